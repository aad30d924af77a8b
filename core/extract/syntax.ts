/**
 * The Markdown syntax docdrift reads: CommonMark, front matter (YAML, TOML) and the block and
 * inline parts of GFM: tables, strikethrough, task list items and footnotes.
 *
 * Not GFM's literal autolinks (`https://…` in running text turned into links). docdrift finds
 * URLs in text itself (`core/facts/urls.ts`), so linking them first adds nothing, and it is the
 * costliest part of GFM: micromark tries it at nearly every word, and mdast-util-gfm then walks
 * every text node again with regular expressions (together +30% on the Markdown parse of the
 * benchmark corpus). A tree made with literal autolinks (a remark setup with remark-gfm) gives
 * the same findings: test/syntax.test.ts.
 */
import type {Root} from 'mdast'
import {fromMarkdown, type Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import {frontmatterFromMarkdown} from 'mdast-util-frontmatter'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown} from 'mdast-util-gfm-task-list-item'
import {frontmatter} from 'micromark-extension-frontmatter'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import type {Extension as MicromarkExtension} from 'micromark-util-types'

/** Front matter fences docdrift knows. */
export const frontmatterKinds = ['yaml', 'toml'] as const

/**
 * The GFM part of the syntax: micromark (tokenizer) and mdast (tree) extensions. `tables: false`
 * for a host that parses for more than docdrift (the remark face): GFM tables are a tenth of the
 * Markdown parse (micromark tries a table at the start of every paragraph), and few paragraphs
 * are tables that hold a needle, so `extractSnippets` parses those documents again with tables.
 */
export function gfmSyntax(options: {tables?: boolean} = {}): {micromark: MicromarkExtension[]; mdast: FromMarkdownExtension[]} {
  const tables = options.tables !== false
  return {
    micromark: [gfmFootnote(), gfmStrikethrough(), ...(tables ? [gfmTable()] : []), gfmTaskListItem()],
    mdast: [gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), ...(tables ? [gfmTableFromMarkdown()] : []), gfmTaskListItemFromMarkdown()]
  }
}

/** The front matter part. */
export function frontmatterSyntax(): {micromark: MicromarkExtension[]; mdast: FromMarkdownExtension[]} {
  return {micromark: [frontmatter([...frontmatterKinds])], mdast: [frontmatterFromMarkdown([...frontmatterKinds])]}
}

let whole: {micromark: MicromarkExtension[]; mdast: FromMarkdownExtension[]} | undefined

/** Everything, for `fromMarkdown` (made once: extensions are plain data). */
export function markdownSyntax(): {micromark: MicromarkExtension[]; mdast: FromMarkdownExtension[]} {
  if (!whole) {
    const gfm = gfmSyntax()
    const front = frontmatterSyntax()
    whole = {micromark: [...gfm.micromark, ...front.micromark], mdast: [...gfm.mdast, ...front.mdast]}
  }
  return whole
}

/** Parse Markdown the way docdrift reads it (CommonMark, GFM without literal autolinks, front matter), into mdast. */
export function parseMarkdown(text: string): Root {
  const syntax = markdownSyntax()
  return fromMarkdown(text, {extensions: syntax.micromark, mdastExtensions: syntax.mdast})
}
