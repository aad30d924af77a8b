/**
 * micromark tokens → snippets: the same `Snippet[]` that `extractSnippets` makes from mdast, read
 * from the token tree a host already built (markdownlint's `params.parsers.micromark.tokens`),
 * so the Markdown is not parsed a second time.
 *
 * Host-neutral: tokens are plain data (`type`, `text`, 1-based lines and columns, `children`).
 * Text, inline code, link URLs and block values are rebuilt as mdast-util-from-markdown builds
 * them (data runs merged into one text node, escapes and character references decoded, line
 * endings kept, the first and last line ending of fenced code dropped).
 *
 * Where the host's syntax differs from docdrift's (`syntax.ts`: CommonMark, GFM but literal autolinks, front matter) in a way that
 * would change a snippet, this returns `undefined` and the caller parses the text itself: math
 * and directives (markdownlint's extensions, text to remark; a directive container set apart by
 * blank lines is read as the blocks remark reads there), `~` pairs (GFM strikethrough, which
 * markdownlint does not parse), task list items, and front matter remark does not know (JSON).
 * Tokens made with docdrift's own syntax (`tokenize.ts`, `ownSyntax`) hold none of these, and
 * hold what markdownlint's do not: front matter, strikethrough, task list checks.
 */
import {decodeNamedCharacterReference} from 'decode-named-character-reference'
import {toString} from 'mdast-util-to-string'
import {EXIT, visit} from 'unist-util-visit'
import type {LineIndex} from './lines.js'
import {parseMarkdown} from './syntax.js'
import {codeKind, lazyContext, readsInfo, mapBlock, mapInline, memo, paragraphHoldsNothing, type Keep, type Snippet, type SnippetContext} from './snippets.js'

export {paragraphHoldsNothing} from './snippets.js'

export interface MicromarkToken {
  type: string
  /** The token's source text. */
  text: string
  /** 1-based, relative to the tokenized text. */
  startLine: number
  startColumn: number
  endLine: number
  endColumn: number
  children: readonly MicromarkToken[]
}

export interface TokenSource {
  tokens: readonly MicromarkToken[]
  /** Front matter lines the host removed before tokenizing (`text` starts with them; token line 1 follows them). */
  frontMatter?: readonly string[]
  /** Made by `tokenizeMarkdown` (docdrift's syntax), not by a host with its own. */
  ownSyntax?: boolean
  /** Told why the tokens could not be read (tests, benchmarks). */
  onUnsupported?: (reason: string) => void
}

/** Tokens of markdownlint's micromark extensions that remark reads as plain text. */
const foreign = new Set(['mathFlow', 'mathText', 'directiveContainer', 'directiveLeaf', 'directiveText'])

/** Tokens that are not mdast nodes (and so never reset "the block before"). */
const syntaxOnly = new Set([
  'lineEnding', 'lineEndingBlank', 'linePrefix', 'lineSuffix', 'whitespace', 'listItemIndent', 'listItemPrefix',
  'blockQuotePrefix', 'blockQuoteMarker', 'blockQuotePrefixWhitespace', 'chunkFlow', 'chunkContent', 'chunkText', 'chunkString',
  'gfmFootnoteDefinitionIndent'
])

/** Tokens that start a line inside containers (indents, `>` markers). */
const prefixes = new Set(['linePrefix', 'whitespace', 'listItemIndent', 'blockQuotePrefix', 'blockQuoteMarker', 'blockQuotePrefixWhitespace'])

class Unsupported extends Error {}

/**
 * Every snippet of a document, in order, from its micromark tokens; undefined when the tokens
 * hold a construct remark reads differently (the caller then parses `text` with remark's syntax).
 */
export function extractSnippetsFromTokens(source: TokenSource, text: string, lines: LineIndex, keep?: Keep): Snippet[] | undefined {
  const own = source.ownSyntax === true
  const front = source.frontMatter ?? []
  // Front matter remark does not know (JSON) is Markdown to remark.
  if (front.length > 0 && !/^(?:---|\+\+\+)[ \t]*$/.test(front[0])) {
    source.onUnsupported?.('front matter')
    return undefined
  }
  const lineOffset = front.length
  const out: Snippet[] = []
  const ctx: SnippetContext = {}
  const offset = (line: number, column: number) => lines.starts[line - 1 + lineOffset] + column - 1
  const startOf = (token: MicromarkToken) => offset(token.startLine, token.startColumn)
  const endOf = (token: MicromarkToken) => offset(token.endLine, token.endColumn)
  /** The document as remark reads it, for the rare context the tokens cannot give (`plainString`). */
  const remarkTree = memo(() => parseMarkdown(text))
  try {
    walkBlocks(source.tokens, ctx)
  } catch (error) {
    if (error instanceof Unsupported) {
      source.onUnsupported?.(error.message)
      return undefined
    }
    throw error
  }
  return out

  function walkBlocks(tokens: readonly MicromarkToken[], outer: SnippetContext) {
    let before: (() => string | undefined) | undefined
    const blocks = (list: readonly MicromarkToken[]) => {
      for (let index = 0; index < list.length; index++) {
        const token = list[index]
        switch (token.type) {
          case 'content': {
            // Not a node: paragraphs and definitions sit in it.
            blocks(token.children)
            continue
          }

          case 'atxHeading':
          case 'setextHeading': {
            const content = token.children.find((c) => c.type === 'atxHeadingText' || c.type === 'setextHeadingText')
            const phrasing = content ? inline(content.children, false) : emptyPhrasing
            ctx.heading = phrasing.string()
            const heading = ctx.heading
            emit(phrasing, memo(() => lazyContext({...outer, heading, paragraph: heading})))
            before = () => heading
            continue
          }

          case 'paragraph': {
            if (keep && nothingToKeep(token)) {
              // Read only if a block after it asks for the paragraph that introduces it.
              before = memo(() => plainString(token))
              continue
            }
            const phrasing = inline(token.children, false)
            const heading = ctx.heading
            emit(phrasing, memo(() => lazyContext({...outer, heading, paragraph: phrasing.string})))
            before = phrasing.string
            continue
          }

          case 'codeFenced':
          case 'codeIndented': {
            const heading = ctx.heading
            const introduced = before
            code(token, memo(() => lazyContext({...outer, heading, before: introduced})))
            before = undefined
            continue
          }

          case 'table': {
            // A table is read as a paragraph is: not at all when its source holds no needle.
            if (!keep || !nothingToKeep(token)) table(token)
            before = undefined
            continue
          }

          case 'definition': {
            const destination = find(token, 'definitionDestinationString')
            const heading = ctx.heading
            url(destination ? stringOf(destination) : '', token, memo(() => lazyContext({...outer, heading})))
            continue
          }

          case 'listOrdered':
          case 'listUnordered': {
            // micromark has no list item token: an item starts at each prefix.
            let item: MicromarkToken[] = []
            for (const child of token.children) {
              if (child.type === 'listItemPrefix' && item.length > 0) {
                listItem(item, outer)
                item = []
              }
              item.push(child)
            }
            if (item.length > 0) listItem(item, outer)
            // A list of prose right before a block still introduces it.
            continue
          }

          case 'blockQuote': {
            walkBlocks(token.children, {...outer})
            before = undefined
            continue
          }

          case 'htmlFlow':
          case 'thematicBreak':
          // Front matter (docdrift's syntax; markdownlint removes it first): not a snippet.
          case 'yaml':
          case 'toml': {
            before = undefined
            continue
          }

          case 'directiveContainer': {
            // markdownlint's syntax only: read as the blocks remark reads there, or hand back.
            if (own) throw new Unsupported(token.type)
            blocks(directiveAsBlocks(token, list, index))
            continue
          }

          case 'gfmFootnoteDefinition': {
            walkBlocks(token.children.filter((c) => !c.type.startsWith('gfmFootnoteDefinition') && c.type !== 'definitionMarker'), outer)
            before = undefined
            continue
          }

          default: {
            if (syntaxOnly.has(token.type) || token.type.startsWith('undefinedReference') || token.type === 'gfmFootnoteDefinitionLabel') continue
            throw new Unsupported(token.type)
          }
        }
      }
    }
    blocks(tokens)
  }

  /**
   * A directive container (`:::note` … `:::`, markdownlint's syntax) as the blocks remark reads
   * there: each fence line a paragraph of its own (`:::note`, `:::`), the content ordinary blocks.
   * That holds when blank lines keep each fence line apart from its neighbours (no paragraph runs
   * into or out of it), the opening fence is a bare name (no label or attributes, which could be
   * inline syntax to remark), and nothing in the content would run past the closing fence without
   * the container (an unclosed code fence, an HTML block that ends at a marker). Else: hand back.
   */
  function directiveAsBlocks(token: MicromarkToken, siblings: readonly MicromarkToken[], index: number): MicromarkToken[] {
    const fail = (): never => {
      throw new Unsupported('directiveContainer')
    }
    const [open, lineEnd, content, ...rest] = token.children.filter((c) => !prefixes.has(c.type))
    if (open?.type !== 'directiveContainerFence' || lineEnd?.type !== 'lineEnding' || content?.type !== 'directiveContainerContent' || rest.length > 0) fail()
    if (!/^:{3,}[A-Za-z][A-Za-z0-9-]*$/.test(open.text)) fail()
    // A blank line (or the start of the document, list item or quote) before the opening fence…
    const before = siblings[skipPrefixes(siblings, index - 1, -1)]
    if (before && before.type !== 'lineEndingBlank' && before.type !== 'listItemPrefix') fail()
    // …and after it.
    const inner = content.children
    if (inner[skipPrefixes(inner, 0, 1)]?.type !== 'lineEndingBlank') fail()
    // A closing fence, with a blank line before it…
    const closeAt = skipPrefixes(inner, inner.length - 1, -1)
    const close = inner[closeAt]
    if (close?.type !== 'directiveContainerFence' || !/^:{3,}$/.test(close.text)) fail()
    if (inner[skipPrefixes(inner, closeAt - 1, -1)]?.type !== 'lineEndingBlank') fail()
    // …and after it (or the end).
    const afterAt = skipPrefixes(siblings, index + 1, 1)
    const after = siblings[afterAt]
    if (after && !(after.type === 'lineEnding' && (siblings[skipPrefixes(siblings, afterAt + 1, 1)]?.type ?? 'lineEndingBlank') === 'lineEndingBlank')) fail()
    const body = inner.slice(0, closeAt)
    for (const block of body) {
      if (block.type === 'codeFenced' && block.children.filter((c) => c.type === 'codeFencedFence').length < 2) fail()
      // HTML blocks that end at a marker (comments, `<pre>`, `<script>`…): only when it is there.
      if (block.type === 'htmlFlow' && /^[ \t]*<(?:script|pre|style|textarea|!|\?)/i.test(block.text) && !/^[ \t]*<!--[\s\S]*-->[ \t]*$/.test(block.text)) fail()
    }
    return [fenceParagraph(open), ...body, fenceParagraph(close)]
  }

  /** The index of the first token from `from` (going by `step`) that is not a line or container prefix. */
  function skipPrefixes(list: readonly MicromarkToken[], from: number, step: 1 | -1): number {
    let at = from
    while (at >= 0 && at < list.length && prefixes.has(list[at].type)) at += step
    return at
  }

  /** A fence line of a directive container as remark reads it: a paragraph of plain text. */
  function fenceParagraph(fence: MicromarkToken): MicromarkToken {
    const data: MicromarkToken = {...fence, type: 'data', children: []}
    return {...fence, type: 'paragraph', children: [data]}
  }

  /** Whether no snippet of a paragraph can be kept, known from its source text (`paragraphHoldsNothing`). */
  function nothingToKeep(token: MicromarkToken): boolean {
    return paragraphHoldsNothing(token.text, keep!)
  }

  /**
   * A paragraph's mdast `toString`, when only the string is wanted (the context of the block
   * after it). Where markdownlint's tokens read it otherwise than remark (math, strikethrough),
   * the document is parsed with docdrift's syntax, once and only then, and the string is remark's.
   */
  function plainString(token: MicromarkToken): string {
    try {
      return inline(token.children, false).string()
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error
      const start = startOf(token)
      let found: string | undefined
      visit(remarkTree(), 'paragraph', (node) => {
        if (node.position?.start.offset !== start) return undefined
        found = toString(node)
        return EXIT
      })
      return found ?? token.text
    }
  }

  function listItem(item: MicromarkToken[], outer: SnippetContext) {
    // GFM task list items (`- [x] …`) lose their checkbox in mdast; markdownlint keeps it as text.
    if (!own) {
      const first = item.find((c) => c.type === 'content' || c.type === 'paragraph' || (!syntaxOnly.has(c.type) && c.type !== 'listItemPrefix'))
      if (first && /^\[[ \txX]\]/.test(first.text)) throw new Unsupported('task list item')
    }
    walkBlocks(item, {...outer})
  }

  function table(token: MicromarkToken) {
    const rows: MicromarkToken[] = []
    for (const part of token.children) {
      if (part.type === 'tableHead' || part.type === 'tableBody') for (const row of part.children) if (row.type === 'tableRow') rows.push(row)
    }
    const cellsOf = (row: MicromarkToken) =>
      row.children.filter((c) => c.type === 'tableHeader' || c.type === 'tableData').map((cell) => {
        const content = cell.children.find((c) => c.type === 'tableContent')
        return content ? inline(content.children, true) : emptyPhrasing
      })
    const headerRow = rows[0] && cellsOf(rows[0])
    const header = memo(() => headerRow?.map((cell) => cell.string()))
    for (const row of rows) {
      const cells = row === rows[0] ? headerRow : cellsOf(row)
      const strings = memo(() => cells.map((cell) => cell.string()))
      const heading = ctx.heading
      const context = memo(() => lazyContext({heading, row: strings, header, paragraph: () => strings().join(' | ')}))
      for (const cell of cells) emit(cell, context)
    }
  }

  function code(token: MicromarkToken, context: () => SnippetContext) {
    let value = ''
    let lang: string | null = null
    let meta: string | null = null
    if (token.type === 'codeFenced') {
      const fence = token.children.find((child) => child.type === 'codeFencedFence')
      const info = fence && find(fence, 'codeFencedFenceInfo')
      const rest = fence && find(fence, 'codeFencedFenceMeta')
      if (info) lang = stringOf(info)
      if (rest) meta = stringOf(rest)
      // Blocks in other languages (most code in docs) are never read: their value is not needed.
      if (!readsInfo(lang)) return
      let opened = false
      for (const child of token.children) {
        if (child.type === 'codeFencedFence') {
          opened = true
        } else if (opened) {
          if (child.type === 'codeFlowValue') value += child.text
          else if (child.type === 'lineEnding') value += '\n'
        }
      }
      value = value.replace(/^\n|\n$/g, '')
    } else {
      for (const child of token.children) {
        if (child.type === 'codeFlowValue') value += child.text
        else if (child.type === 'lineEnding') value += '\n'
      }
      value = value.replace(/\n$/, '')
    }
    const kind = codeKind(lang, meta, value)
    if (!kind) return
    const snippet = push('code', kind.lang, value, startOf(token), endOf(token), context, token.startLine + lineOffset)
    if (snippet) {
      snippet.transcript = kind.transcript
      if (kind.ignore) snippet.ignore = kind.ignore
      if (kind.dialect) snippet.dialect = kind.dialect
    }
  }

  /** Snippets of one phrasing container, in document order. */
  function emit(phrasing: Phrasing, context: () => SnippetContext) {
    for (const part of phrasing.parts) {
      if (part.kind === 'link') url(part.value, part.token, context)
      else push(part.kind, part.kind === 'text' ? 'prose' : 'inline', part.value, part.start, part.end, context)
    }
  }

  function url(value: string, token: MicromarkToken, context: () => SnippetContext) {
    if (!value.includes('/') || (keep && !keep(value, 'url'))) return
    const start = startOf(token)
    const end = endOf(token)
    // The destination is the last occurrence of the URL inside the node's source.
    const at = text.lastIndexOf(value, end)
    if (at < start) return
    out.push({kind: 'link', lang: 'url', value, segStarts: [0], segOffsets: [at], start, end, context: context()})
  }

  function push(kind: Snippet['kind'], lang: Snippet['lang'], value: string, start: number, end: number, context: () => SnippetContext, blockLine?: number): Snippet | undefined {
    if (value.trim() === '' || (keep && !keep(value, lang))) return undefined
    const snippet: Snippet = {kind, lang, value, segStarts: [], segOffsets: [], start, end, context: context()}
    if (blockLine !== undefined) mapBlock(snippet, blockLine, text, lines)
    else mapInline(snippet, text)
    out.push(snippet)
    return snippet
  }

  /**
   * Inline content as mdast would hold it: the text, inline code and link snippets it yields, in
   * order, and its `toString` (for context), computed on demand.
   */
  function inline(tokens: readonly MicromarkToken[], inTable: boolean): Phrasing {
    const parts: Part[] = []
    const strings: string[] = []
    let run: {value: string; start: number; end: number} | undefined
    let atHardBreak = false
    // After a task list check, mdast drops the one space or tab that follows it.
    let afterCheck = false
    let tildes = 0
    const flush = () => {
      if (run) {
        parts.push({kind: 'text', ...run})
        strings.push(run.value)
      }
      run = undefined
    }
    const add = (value: string, token: MicromarkToken) => {
      if (afterCheck) {
        afterCheck = false
        if (!run) run = {value: '', start: startOf(token) + 1, end: 0}
        value = value.slice(1)
      }
      if (!run) run = {value: '', start: startOf(token), end: 0}
      run.value += value
      run.end = endOf(token)
    }
    const walk = (list: readonly MicromarkToken[]) => {
      for (const token of list) {
        switch (token.type) {
          case 'data': {
            for (let i = token.text.indexOf('~'); i !== -1; i = token.text.indexOf('~', i + 1)) tildes++
            add(token.text, token)
            break
          }

          case 'characterEscape': {
            add(token.text.slice(1), token)
            break
          }

          case 'characterReference': {
            add(decodeReference(token.text), token)
            break
          }

          case 'lineEnding': {
            if (atHardBreak) atHardBreak = false
            else add(lineEndingOf(token), token)
            break
          }

          case 'hardBreakEscape':
          case 'hardBreakTrailing': {
            flush()
            atHardBreak = true
            break
          }

          case 'codeText': {
            flush()
            let value = ''
            for (const child of token.children) {
              if (child.type === 'codeTextData') value += child.text
              else if (child.type === 'lineEnding') value += lineEndingOf(child)
            }
            if (inTable) value = value.replace(/\\([\\|])/g, (all: string, char: string) => (char === '|' ? char : all))
            parts.push({kind: 'inline', value, start: startOf(token), end: endOf(token)})
            strings.push(value)
            break
          }

          case 'emphasis':
          case 'strong':
          case 'strikethrough': {
            flush()
            const content = token.children.find((c) => c.type === 'emphasisText' || c.type === 'strongText' || c.type === 'strikethroughText')
            if (content) walk(content.children)
            flush()
            break
          }

          case 'link': {
            flush()
            const resource = token.children.find((c) => c.type === 'resource')
            if (resource) {
              const destination = find(resource, 'resourceDestinationString')
              parts.push({kind: 'link', value: destination ? stringOf(destination) : '', token})
            }
            const label = token.children.find((c) => c.type === 'label')?.children.find((c) => c.type === 'labelText')
            if (label) walk(label.children)
            flush()
            break
          }

          case 'image': {
            flush()
            const label = token.children.find((c) => c.type === 'label')?.children.find((c) => c.type === 'labelText')
            if (label) strings.push(inline(label.children, inTable).string())
            break
          }

          case 'autolink': {
            flush()
            const protocol = find(token, 'autolinkProtocol')
            const email = find(token, 'autolinkEmail')
            const value = (protocol ?? email)!
            parts.push({kind: 'link', value: protocol ? value.text : 'mailto:' + value.text, token})
            add(value.text, value)
            flush()
            break
          }

          case 'literalAutolink': {
            // docdrift's syntax has no literal autolinks (core/extract/syntax.ts): text.
            add(token.text, token)
            break
          }

          case 'htmlText': {
            flush()
            // As mdast's `html` value: without the indent of continued lines.
            let value = ''
            for (const child of token.children) {
              if (child.type === 'htmlTextData') value += child.text
              else if (child.type === 'lineEnding') value += lineEndingOf(child)
            }
            strings.push(value)
            break
          }

          case 'mathText': {
            // `$…$` is text to remark, as long as nothing in it would be syntax there.
            let value = ''
            for (const child of token.children) {
              if (child.type === 'mathTextSequence' || child.type === 'mathTextData') {
                // After a line ending remark drops the indent (`linePrefix`).
                value += value.endsWith('\n') ? child.text.replace(/^[ \t]+/, '') : child.text
              } else if (child.type === 'lineEnding') {
                // Before a line ending remark drops spaces (`lineSuffix`), or makes two a break.
                if (value.endsWith('  ')) throw new Unsupported('mathText')
                value = value.replace(/[ \t]+$/, '') + '\n'
              }
            }
            if (!plainToRemark(value)) throw new Unsupported('mathText')
            add(value, token)
            break
          }

          case 'gfmFootnoteCall': {
            flush()
            break
          }

          case 'taskListCheck': {
            afterCheck = true
            break
          }

          default: {
            if (syntaxOnly.has(token.type) || token.type.startsWith('undefinedReference')) break
            throw new Unsupported(foreign.has(token.type) ? token.type : `inline ${token.type}`)
          }
        }
      }
    }
    walk(tokens)
    flush()
    // Two tildes can be GFM strikethrough to remark (a `delete` node splits the text).
    if (tildes >= 2 && !own) throw new Unsupported('strikethrough')
    return {parts, string: memo(() => strings.join(''))}
  }

  function find(token: MicromarkToken, type: string): MicromarkToken | undefined {
    for (const child of token.children) {
      if (child.type === type) return child
      const deep = find(child, type)
      if (deep) return deep
    }
    return undefined
  }
}

type Part = {kind: 'text' | 'inline'; value: string; start: number; end: number} | {kind: 'link'; value: string; token: MicromarkToken}

interface Phrasing {
  parts: Part[]
  /** mdast `toString` of the container. */
  string: () => string
}

const emptyPhrasing: Phrasing = {parts: [], string: () => ''}

/**
 * Text that remark reads as one plain run: no character that could start or end an inline
 * construct (code, emphasis, links, HTML, escapes, references, strikethrough, autolinks, breaks).
 * An underscore counts only between letters or digits, where it can neither open nor close.
 */
function plainToRemark(value: string): boolean {
  return !/[`*[\]!<&\\~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/.test(value)
}

/**
 * A line ending token's line ending (`\n`, `\r\n`, `\r`). markdownlint's tokens can run on over
 * the next line's container prefix (`"\n> "` after a `$` in a block quote); mdast never holds it.
 */
function lineEndingOf(token: MicromarkToken): string {
  const code = token.text.charCodeAt(0)
  if (code === 13) return token.text.charCodeAt(1) === 10 ? '\r\n' : '\r'
  return code === 10 ? '\n' : token.text
}

/** A string token's value: escapes and character references decoded (mdast `resume`). */
function stringOf(token: MicromarkToken): string {
  let value = ''
  for (const child of token.children) {
    if (child.type === 'data') value += child.text
    else if (child.type === 'characterEscape') value += child.text.slice(1)
    else if (child.type === 'characterReference') value += decodeReference(child.text)
    else if (child.type === 'lineEnding') value += lineEndingOf(child)
    else value += stringOf(child)
  }
  return value
}

/** `&amp;`, `&#35;`, `&#x23;` → the character. */
function decodeReference(raw: string): string {
  const body = raw.slice(1, -1)
  if (body.charCodeAt(0) !== 35 /* # */) {
    const named = decodeNamedCharacterReference(body)
    return named === false ? raw : named
  }
  const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88
  const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10)
  // As micromark-util-decode-numeric-character-reference: invalid and control points → U+FFFD.
  if (
    code < 9 || code === 11 || (code > 13 && code < 32) || (code > 126 && code < 160) || (code > 55295 && code < 57344) ||
    (code > 64975 && code < 65008) || (code & 65535) === 65535 || (code & 65535) === 65534 || code > 1114111
  ) {
    return '\uFFFD'
  }
  return String.fromCodePoint(code)
}
