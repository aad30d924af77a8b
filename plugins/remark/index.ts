/**
 * `import docdrift from 'docdrift/remark'`: one plugin that attaches every docdrift rule,
 * remark-lint's `<!--lint …-->` comments, and the syntax docs need (GFM but its literal
 * autolinks and its tables, front matter: `core/extract/syntax.ts`).
 *
 * ```js
 * // .remarkrc.js
 * import docdrift from 'docdrift/remark'
 * export default {plugins: [docdrift]}
 * ```
 */
import {frontmatterToMarkdown} from 'mdast-util-frontmatter'
import {gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmTable} from 'micromark-extension-gfm-table'
import type {Root} from 'mdast'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {frontmatterKinds, frontmatterSyntax, gfmSyntax} from '../../core/extract/syntax.js'
import {ruleIds} from '../../core/rules/index.js'
import {controlMessages} from '../message-control.js'
import {createRemarkRule, type Options} from './create.js'

export type {Options} from './create.js'

export const remarkRules = Object.fromEntries(ruleIds.map((id) => [id, createRemarkRule(id)]))

const syntaxAdded = new WeakSet<object>()

export default function docdrift(this: Processor, options?: Options, fileSet?: unknown) {
  const data = this.data()
  // The syntax once per processor, and only what the user's plugins (remark-gfm,
  // remark-frontmatter) did not add already.
  if (!syntaxAdded.has(data)) {
    syntaxAdded.add(data)
    const micromark = (data.micromarkExtensions ??= [])
    const fromMarkdown = (data.fromMarkdownExtensions ??= [])
    // Declared by remark-stringify, which is the user's to add: the extensions make its output round-trip.
    const withOutput = data as typeof data & {toMarkdownExtensions?: unknown[]}
    const toMarkdown = (withOutput.toMarkdownExtensions ??= [])
    const hasTables = holdsTables(micromark)
    const hasFrontmatter = fromMarkdown.flat().some((e) => 'enter' in e && e.enter && 'yaml' in e.enter)
    if (!hasTables) {
      // GFM but its tables, which docdrift reads from a parse of its own where they matter
      // (core/extract/syntax.ts `gfmSyntax`): the user's tree keeps the user's tables.
      const gfm = gfmSyntax({tables: false})
      micromark.push(...gfm.micromark)
      fromMarkdown.push(...gfm.mdast)
      toMarkdown.push(gfmFootnoteToMarkdown(), gfmStrikethroughToMarkdown(), gfmTaskListItemToMarkdown())
    }
    if (!hasFrontmatter) {
      const front = frontmatterSyntax()
      micromark.push(...front.micromark)
      fromMarkdown.push(...front.mdast)
      toMarkdown.push(frontmatterToMarkdown([...frontmatterKinds]))
    }
  }
  // A rule already listed keeps that listing's setting, as rules do after a remark-lint preset:
  // the user's (`[staleRoute, 'off']`, `[staleRoute, 'warn']`), or another docdrift preset's, from
  // this copy or another (an editor's language server brings its own: the first preset runs the
  // rules, the next adds none). Known by name, whatever the copy. (unified-engine never hands us a
  // plugin set to `false`: that one is added here, on.)
  const listed = new Set(this.attachers.map(([plugin]) => plugin.name))
  // unified-engine's file set, passed on: the rules look configs up once per run and folder.
  for (const id of ruleIds) if (!listed.has(remarkRules[id].name)) this.use(remarkRules[id], options, fileSet)
  // After the rules, so their messages are there to control.
  this.use(lintComments)
}

/** Whether micromark extensions hold GFM tables (remark-gfm's, or `docdriftTables`). */
function holdsTables(micromark: unknown[]): boolean {
  return (micromark.flat() as Array<Record<string, unknown>>).some((e) => 'flow' in e && e.flow && Object.values(e.flow as object).flat().some((c) => c && typeof c === 'object' && 'name' in c && c.name === 'table'))
}

/**
 * GFM tables, for a processor that lacks them and parses only the blocks around an edit (the
 * language server): there a table costs a keystroke little, while reading a document again with
 * tables, as docdrift does where a table-like paragraph matters, would cost it a whole parse.
 */
export function docdriftTables(this: Processor) {
  const data = this.data()
  const micromark = (data.micromarkExtensions ??= [])
  if (holdsTables(micromark)) return
  micromark.push(gfmTable())
  ;(data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown())
  ;((data as typeof data & {toMarkdownExtensions?: unknown[]}).toMarkdownExtensions ??= []).push(gfmTableToMarkdown())
}

/**
 * remark-lint's `<!--lint disable|enable|ignore …-->` comments, as remark-lint applies them, but
 * only in files that have one (remark-lint itself walks every tree; with remark-lint in the
 * config too, both apply the same comments).
 */
function lintComments() {
  return (tree: Root, file: VFile) => controlMessages(tree, file, String(file))
}
