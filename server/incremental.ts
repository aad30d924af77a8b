/**
 * Incremental Markdown parsing for the editor path: a keystroke re-parses the few top-level
 * blocks around the edit, not the whole document. The previous tree of each open document is
 * kept; blocks before the edit are reused as they are, blocks after it with positions shifted,
 * and only the changed stretch (plus one block of margin each side) goes through the
 * processor's own parser. The result equals a full parse, else this falls back to one:
 * - the stretch must be bounded by blank lines, and by blocks that cannot absorb their
 *   neighbours (no list, block quote or HTML at the seams), and its last block must end before
 *   the trailing blank line (an unclosed fence or HTML block runs on: full parse);
 * - link and footnote definitions elsewhere in the document are appended to the stretch, so
 *   references in it resolve as they would in the whole document; a stretch that adds or drops
 *   a definition changes every reference: full parse;
 * - documents that open with front matter, and documents under 16 KiB: full parse.
 */
import path from 'node:path'
import type {Root, RootContent} from 'mdast'
import type {Plugin, Processor} from 'unified'
import type {Node, Point} from 'unist'
import type {VFile} from 'vfile'
import {MEMORY_PER_CHAR, memoryShortfall} from '../core/memory.js'

interface Entry {
  text: string
  tree: Root
  signature: string
}

type Parse = (text: string, file: VFile) => Root

/** Below this size a full parse is as fast as bookkeeping. */
const minimumSize = 16 * 1024
/** Documents kept (the editor's open Markdown files). */
const keep = 32

const cache = new Map<string, Entry>()

/**
 * The editor's current text of each open document (by file path). A check whose text is no
 * longer current is outdated before it starts (the user typed on): it gets an empty tree, and
 * its diagnostics are never published, so a burst of keystrokes costs one check, not one each.
 */
export const currentText = new Map<string, string>()

export const stats = {full: 0, incremental: 0, skipped: 0}

/**
 * Plugins known to leave the tree as they found it: syntax extensions, remark-lint (its message
 * control and every `remark-lint:*` rule, ours included) and this server's own.
 */
const readOnly = new Set(['remarkParse', 'remarkStringify', 'remarkGfm', 'remarkFrontmatter', 'remarkLint', 'lintMessageControl', 'lintComments', 'docdrift', 'docdriftTables', 'afterDocdrift', 'tagSafetyPlugin', 'incrementalParse'])
const isReadOnly = (plugin: {name?: string}) => readOnly.has(plugin.name ?? '') || (plugin.name ?? '').startsWith('remark-lint')

/** remark plugin: wraps the processor's parser. */
export const incrementalParse: Plugin<[], Root> = function incrementalParse(this: Processor) {
  const self = this as unknown as {parser?: Parse; data(key: string): unknown; attachers?: Array<[{name?: string}]>}
  const original = self.parser
  if (!original) return
  // Without plugins that rewrite the tree, the cached tree needs no pristine copy (a copy of a
  // 5,000-line tree costs a keystroke ~20 ms). Decided once, when the processor is complete.
  let shared: boolean | undefined
  self.parser = function (text: string, file: VFile): Root {
    shared ??= (self.attachers ?? []).every(([plugin]) => isReadOnly(plugin))
    // unified-engine makes paths relative to its cwd.
    const key = file.path ? path.resolve(file.cwd, file.path) : undefined
    const current = key ? currentText.get(key) : undefined
    if (current !== undefined && current !== text) {
      stats.skipped++
      return {type: 'root', children: []}
    }
    // Extensions and settings are read at parse time, so a config change invalidates the tree.
    const signature = JSON.stringify([
      (self.data('micromarkExtensions') as unknown[] | undefined)?.length ?? 0,
      (self.data('fromMarkdownExtensions') as unknown[] | undefined)?.length ?? 0,
      self.data('settings') ?? null
    ])
    const previous = key ? cache.get(key) : undefined
    let tree: Root | undefined
    if (previous && previous.signature === signature && text.length >= minimumSize) {
      // The previous tree is consumed: its nodes move into the new one.
      if (key) cache.delete(key)
      tree = reparse(previous, text, (slice) => original.call(this, slice, file))
    }
    if (tree) stats.incremental++
    else {
      // A document too large for the heap would take the server down (and every open
      // document's diagnostics with it): it gets one message instead, and no tree.
      const shortfall = memoryShortfall(text, MEMORY_PER_CHAR.tree)
      if (shortfall) {
        file.message(shortfall, {ruleId: 'not-checked', source: 'docdrift'})
        return {type: 'root', children: []}
      }
      stats.full++
      tree = original.call(this, text, file)
    }
    if (!key || text.length < minimumSize) return tree
    // Plugins may change the tree they get (remark-toc does): keep a pristine copy.
    cache.delete(key)
    cache.set(key, {text, tree, signature})
    if (cache.size > keep) cache.delete(cache.keys().next().value!)
    return shared ? tree : structuredClone(tree)
  }
}

/** Forget a document (closed in the editor). */
export function forget(path: string) {
  cache.delete(path)
  currentText.delete(path)
}

const definitionTypes = new Set(['definition', 'footnoteDefinition'])
const absorbing = new Set(['list', 'blockquote', 'html'])
const frontMatter = new Set(['yaml', 'toml'])

function reparse(previous: Entry, text: string, parse: (slice: string) => Root): Root | undefined {
  const old = previous.text
  const children = previous.tree.children
  // Front matter (even unclosed or broken) is read from the document's first line onwards.
  if (children.length < 3 || /^(---|\+\+\+)/.test(old) || /^(---|\+\+\+)/.test(text)) return undefined
  if (children.some((c) => !c.position || c.position.start.offset === undefined || c.position.end.offset === undefined)) return undefined

  // The edit: old[prefix, old.length - suffix) became text[prefix, text.length - suffix).
  // Block by block first: the editor's texts are concatenations, where charCodeAt is slow.
  const shortest = Math.min(old.length, text.length)
  const block = 1024
  let prefix = 0
  while (prefix + block <= shortest && old.slice(prefix, prefix + block) === text.slice(prefix, prefix + block)) prefix += block
  while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++
  const most = shortest - prefix
  let suffix = 0
  while (suffix + block <= most && old.slice(old.length - suffix - block, old.length - suffix) === text.slice(text.length - suffix - block, text.length - suffix)) suffix += block
  while (suffix < most && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++
  if (prefix === old.length && prefix === text.length) return previous.tree
  const editEnd = old.length - suffix
  const delta = text.length - old.length

  const start = (node: RootContent) => node.position!.start.offset!
  const end = (node: RootContent) => node.position!.end.offset!
  // First and last blocks that touch the edit, one block of margin each side.
  let first = children.findIndex((c) => end(c) >= prefix)
  if (first === -1) first = children.length - 1
  let last = children.length - 1
  while (last > 0 && start(children[last]) > editEnd) last--
  first = Math.max(0, first - 1)
  last = Math.min(children.length - 1, last + 1)
  if (first === 0 || last === children.length - 1) return undefined
  const before = children[first - 1]
  const after = children[last + 1]
  if (absorbing.has(before.type) || absorbing.has(after.type) || absorbing.has(children[first].type) || absorbing.has(children[last].type)) return undefined

  // The stretch starts at a line start after a blank line, and ends before a blank line.
  const from = lineStart(old, start(children[first]))
  const gapEnd = lineStart(old, start(after))
  if (!hasBlankLine(old.slice(end(before), from))) return undefined
  if (!hasBlankLine(old.slice(end(children[last]), gapEnd))) return undefined
  if (from > prefix || gapEnd < editEnd) return undefined
  const to = gapEnd + delta
  const stretch = text.slice(from, to)

  // Definitions outside the stretch, appended so that references resolve.
  const outside = [...children.slice(0, first), ...children.slice(last + 1)].filter((c) => definitionTypes.has(c.type))
  const inside = children.slice(first, last + 1).filter((c) => definitionTypes.has(c.type)).length
  const appendix = outside.map((c) => old.slice(start(c), end(c))).join('\n\n')
  const parsed = parse(appendix ? stretch + '\n\n' + appendix : stretch)
  const fresh = appendix ? parsed.children.slice(0, parsed.children.length - outside.length) : parsed.children
  if (appendix && parsed.children.slice(fresh.length).some((c) => !definitionTypes.has(c.type))) return undefined
  if (fresh.filter((c) => definitionTypes.has(c.type)).length !== inside) return undefined
  if (fresh.length === 0) return undefined
  // Front matter only opens a document: the stretch must not read its first block as such.
  if (fresh.some((c) => frontMatter.has(c.type))) return undefined
  const lastFresh = fresh[fresh.length - 1]
  if (absorbing.has(fresh[0].type) || absorbing.has(lastFresh.type)) return undefined
  // The last block must end before the blank line that closes the stretch.
  const trailing = stretch.slice(lastFresh.position?.end.offset ?? stretch.length)
  if (!hasBlankLine(trailing)) return undefined

  const line = lineOf(text, from) - 1
  for (const node of fresh) shift(node, from, line)
  const lineDelta = countLines(text, from, to) - countLines(old, from, gapEnd)
  const moved = children.slice(last + 1)
  for (const node of moved) shift(node, delta, lineDelta)
  const tree: Root = {
    type: 'root',
    children: [...children.slice(0, first), ...fresh, ...moved],
    position: {start: {line: 1, column: 1, offset: 0}, end: endPoint(text)}
  }
  return tree
}

function shift(node: Node, offset: number, lines: number) {
  const move = (point: Point) => {
    point.line += lines
    if (point.offset !== undefined) point.offset += offset
  }
  if (node.position) {
    move(node.position.start)
    move(node.position.end)
  }
  const children = (node as {children?: Node[]}).children
  if (children) for (const child of children) shift(child, offset, lines)
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

function blank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text)
}

function hasBlankLine(text: string): boolean {
  return blank(text) && /\n[ \t\r]*\n/.test(text)
}

function lineOf(text: string, offset: number): number {
  return countLines(text, 0, offset) + 1
}

function countLines(text: string, from: number, to: number): number {
  let count = 0
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++
  return count
}

function endPoint(text: string): Point {
  const lastBreak = text.lastIndexOf('\n')
  return {line: countLines(text, 0, text.length) + 1, column: text.length - lastBreak, offset: text.length}
}
