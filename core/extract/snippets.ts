/**
 * mdast → snippets: every piece of a Markdown file that can carry an operational instruction,
 * with the language it is written in, its context, and an exact map back to file offsets.
 */
import type {Nodes, Parents, Root, RootContent, Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {isMap} from 'yaml'
import {parseYamlDocuments} from '../facts/yaml.js'
import {hasPrompts, promptLength} from '../shell/prepare.js'
import type {LineIndex} from './lines.js'
import {parseMarkdown} from './syntax.js'

/**
 * What a snippet is read as. `code`: a block in another language (Python, Go, an HTTP request
 * file, XML…), read for its URLs only.
 */
export type SnippetLang = 'shell' | 'yaml' | 'json' | 'toml' | 'hcl' | 'dockerfile' | 'nginx' | 'dotenv' | 'inline' | 'prose' | 'url' | 'code'

export interface SnippetContext {
  /** Text of the nearest heading above. */
  heading?: string
  /** Text of the block right before this one (a paragraph introducing a code block). */
  before?: string
  /** Text of the paragraph that holds an inline code or text snippet. */
  paragraph?: string
  /** Texts of the cells of the table row that holds the snippet. */
  row?: string[]
  /** Header cells of that table. */
  header?: string[]
}

export interface Snippet {
  kind: 'code' | 'inline' | 'text' | 'link'
  lang: SnippetLang
  /** Shell block written as a terminal transcript (`$ ` prompts, output lines). */
  transcript?: boolean
  /**
   * A `code` block read beyond its URLs: a Caddyfile's path matchers, PowerShell's commands and
   * Python's assignments to secrets (core/facts/python.ts).
   */
  dialect?: CodeDialect
  value: string
  /** Value index of each mapped segment start, ascending. */
  segStarts: number[]
  /** File offset of each segment start. */
  segOffsets: number[]
  /** File range of the whole node. */
  start: number
  end: number
  /** Rules turned off for this block by its info string (`docdrift-ignore[=rule,rule]`). */
  ignore?: 'all' | Set<string>
  context: SnippetContext
  /** The snippet this one was read out of (a here-document's body in a shell block: `subSnippet`). */
  from?: Snippet
}

const shellLangs = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'console', 'terminal', 'shell-session', 'shellsession', 'sh-session', 'shell-script', 'bat'])
const transcriptLangs = new Set(['console', 'terminal', 'shell-session', 'shellsession', 'sh-session'])
const langAliases: Record<string, SnippetLang> = {
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  toml: 'toml',
  hcl: 'hcl',
  terraform: 'hcl',
  tf: 'hcl',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  containerfile: 'dockerfile',
  nginx: 'nginx',
  nginxconf: 'nginx',
  ini: 'dotenv',
  systemd: 'dotenv',
  dotenv: 'dotenv',
  env: 'dotenv',
  properties: 'dotenv'
}
/**
 * Languages whose blocks are read for URLs only (`code`): programs and requests an operator runs
 * or copies (`requests.get("http://localhost:8080/…")`, an `.http` file), and config files.
 * Output, logs, diffs and Markdown examples (`text`, `log`, `diff`, `md`) are not instructions.
 */
for (const name of [
  'http', 'rest', 'python', 'py', 'python3', 'pycon', 'javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'typescript', 'ts', 'tsx',
  'go', 'golang', 'java', 'kotlin', 'kt', 'scala', 'groovy', 'gradle', 'rust', 'rs', 'ruby', 'rb', 'php', 'csharp', 'cs', 'c#',
  'fsharp', 'swift', 'dart', 'elixir', 'ex', 'exs', 'erlang', 'lua', 'perl', 'pl', 'r', 'c', 'cpp', 'c++',
  'powershell', 'ps1', 'pwsh', 'ps', 'batch', 'cmd', 'fish', 'nu', 'xml', 'html', 'caddyfile', 'caddy', 'apache', 'apacheconf', 'haproxy', 'conf'
]) langAliases[name] = 'code'
/** Code read for URLs and, by unpinned-install, as PowerShell commands (core/facts/powershell.ts). */
const powershellLangs = new Set(['powershell', 'ps1', 'pwsh', 'ps'])
/** Code read for URLs and for the relative paths its requests ask for (core/facts/javascript.ts). */
const javascriptLangs = new Set(['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'typescript', 'ts', 'tsx'])
/** Code read for URLs and, by the secret rules, for assignments (core/facts/python.ts). */
const pythonLangs = new Set(['python', 'py', 'python3', 'pycon'])

/**
 * How a block is read beyond its language: `code` blocks of a language with a reader of its own,
 * `batch`, a Windows batch block (`bat`) read as shell commands (`docker run`, `curl`, `set
 * NAME=value` are written alike) whose fixes must not be the shell's own syntax (`$(…)`), and
 * `root-prompts`, an unlabelled block whose first line is a command after `# ` (`# buildah
 * commit $ctr app`): a root prompt or a comment, which cannot be told apart, so its `# ` lines
 * are read as comments and its other lines as their output (core/shell/prepare.ts).
 */
export type CodeDialect = 'caddy' | 'powershell' | 'python' | 'javascript' | 'batch' | 'root-prompts'
/** Commands whose presence on the first line marks an unlabeled block as shell. */
const shellStarters = new Set([
  'curl', 'wget', 'wscat', 'websocat', 'http', 'https', 'xh', 'kubectl', 'helm', 'docker', 'podman', 'export',
  'openssl', 'go', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'pip', 'pip3', 'pipx', 'uv', 'uvx',
  'cargo', 'gem', 'git', 'make', 'cd', 'echo', 'sudo',
  'source', 'cat', 'head', 'python', 'python3', 'node', 'ssh', 'scp', 'systemctl', 'apt', 'apt-get', 'brew', 'uuidgen', 'pwgen', 'tr',
  'nerdctl', 'buildah', 'ctr', 'crictl', 'skopeo', 'kustomize'
])

/**
 * Context is computed only when a rule asks for it (most snippets never need it): each field is
 * a memoised getter over the mdast nodes.
 */
export function lazyContext(parts: {[K in keyof SnippetContext]?: SnippetContext[K] | (() => SnippetContext[K])}): SnippetContext {
  const context: SnippetContext = {}
  for (const [key, value] of Object.entries(parts)) {
    if (typeof value !== 'function') {
      if (value !== undefined) Object.defineProperty(context, key, {value, enumerable: true})
      continue
    }
    let memo: unknown
    let done = false
    Object.defineProperty(context, key, {
      enumerable: true,
      get() {
        if (!done) {
          memo = value()
          done = true
        }
        return memo
      }
    })
  }
  return context
}

export function memo<T>(compute: () => T): () => T {
  let value: T
  let done = false
  return () => {
    if (!done) {
      value = compute()
      done = true
    }
    return value
  }
}

/** Whether a snippet with this value and language can matter (the engine's needles); others are dropped unmapped. */
export type Keep = (value: string, lang: SnippetLang) => boolean

/**
 * Whether no snippet of a paragraph (heading, table) with this source can be kept, so its inline
 * content need not be read: every text run, inline code and link destination in it is a piece
 * of that source, line by line, as written (inline code) or with its backslash escapes resolved
 * (text, destinations), unless a character reference changes it. So a source without character
 * references that holds no needle, as written or resolved (`keep`: needles are single-line, and
 * a word is found in the source wherever it is in a piece: core/rules/types.ts `Needle`), holds
 * none, whatever the syntax (markdownlint's math and remark's text alike). The token reader
 * (core/extract/tokens.ts) and `tokenizeMarkdown` skip the same paragraphs.
 */
export function paragraphHoldsNothing(source: string, keep: Keep): boolean {
  if (characterReference.test(source)) return false
  const holds = (text: string) => {
    if (keep(text, 'prose') || keep(text, 'url')) return true
    // Inline code lies between the first backtick and the last: a paragraph holds no `inline`
    // snippet unless that stretch holds a needle of the rules that read inline code (`curl`,
    // `random`), whatever the rest of its prose says.
    const code = text.indexOf('`')
    return code !== -1 && keep(text.slice(code, text.lastIndexOf('`') + 1), 'inline')
  }
  return !holds(source) && !(source.includes('\\') && holds(source.replace(escape, '$1')))
}

/** Thrown by `extractSnippets` to read the document again with GFM tables. */
const withTables = new Error('a paragraph may be a GFM table')
/** The `before` of a block after a paragraph that may be a GFM table (never called). */
const maybeTable = () => undefined
/**
 * A line of a paragraph that may be a GFM table's delimiter row (`| --- | :-: |`, `--|--`), after
 * any container prefix: in a tree parsed without tables, the paragraph may be one.
 */
const delimiterRow = /^[ \t>]*(?=[^\n]*\|)\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/m

/** CommonMark's character references (`&amp;`, `&#36;`, `&#x24;`); any other `&` is itself. */
const characterReference = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/
/** CommonMark's backslash escapes: a backslash before ASCII punctuation. */
const escape = /\\([!-/:-@[-`{-~])/g

/**
 * Every snippet of a document, in order. `keep` (optional) drops snippets whose value cannot hold
 * a finding before any mapping or context work.
 */
export function extractSnippets(tree: Root, text: string, lines: LineIndex, keep?: Keep, options: {everyParagraph?: boolean; tables?: boolean} = {}): Snippet[] {
  const out: Snippet[] = []
  /** Whether a paragraph's or heading's inline content can hold a snippet to keep (`everyParagraph`: read them all, for tests). */
  const readsInline = (source: string) => !keep || options.everyParagraph === true || !paragraphHoldsNothing(source, keep)
  const sourceOf = (node: Nodes) => text.slice(node.position!.start.offset, node.position!.end.offset)
  const ctx: SnippetContext = {}
  try {
    walkBlocks(tree, ctx)
  } catch (error) {
    // A tree parsed without GFM tables (the remark face's, unless the user adds remark-gfm) with
    // a paragraph that may be one and holds a needle: the document as docdrift's syntax reads it.
    if (error !== withTables) throw error
    return extractSnippets(parseMarkdown(text), text, lines, keep, {...options, tables: true})
  }
  return out

  function walkBlocks(parent: Parents, outer: SnippetContext) {
    let before: (() => string | undefined) | undefined
    for (const node of parent.children as RootContent[]) {
      if (!node.position) {
        before = undefined
        continue
      }
      switch (node.type) {
        case 'heading': {
          ctx.heading = toString(node)
          const heading = ctx.heading
          if (readsInline(sourceOf(node))) inlines(node, memo(() => lazyContext({...outer, heading, paragraph: heading})))
          before = () => heading
          continue
        }

        case 'paragraph': {
          const paragraph = memo(() => toString(node))
          const heading = ctx.heading
          // In a tree parsed without GFM tables, a paragraph may be one (or end in one): what it
          // holds, and the context of a code block right after it, are read from a parse with them.
          const source = sourceOf(node)
          const tableLike = !options.tables && delimiterRow.test(source)
          if (readsInline(source)) {
            if (tableLike) throw withTables
            inlines(node, memo(() => lazyContext({...outer, heading, paragraph})))
          }
          before = tableLike ? maybeTable : paragraph
          continue
        }

        case 'code': {
          const heading = ctx.heading
          const introduced = before
          if (introduced === maybeTable) throw withTables
          code(node, memo(() => lazyContext({...outer, heading, before: introduced})))
          before = undefined
          continue
        }

        case 'table': {
          // Cells are pieces of the table's source, as a paragraph's inline content is of its own.
          if (readsInline(sourceOf(node))) table(node)
          before = undefined
          continue
        }

        case 'definition': {
          const heading = ctx.heading
          url(node.url, node, memo(() => lazyContext({...outer, heading})))
          continue
        }

        case 'list':
        case 'listItem':
        case 'blockquote': {
          walkBlocks(node, {...outer})
          // A list of prose right before a block still introduces it.
          before = node.type === 'list' ? before : undefined
          continue
        }

        default: {
          if ('children' in node) walkBlocks(node as Parents, outer)
          before = undefined
        }
      }
    }
  }

  function table(node: Table) {
    const header = memo(() => node.children[0]?.children.map((cell) => toString(cell)))
    for (const row of node.children) {
      const cells = memo(() => row.children.map((cell) => toString(cell)))
      const heading = ctx.heading
      const context = memo(() => lazyContext({heading, row: cells, header, paragraph: () => cells().join(' | ')}))
      for (const cell of row.children) inlines(cell, context)
    }
  }

  /**
   * Inline content: text, inline code and link URLs, recursively (emphasis, links…). The context
   * is made when the first snippet is kept (most paragraphs keep none).
   */
  function inlines(parent: Parents, context: () => SnippetContext) {
    for (const node of parent.children as Nodes[]) {
      if (!node.position) continue
      switch (node.type) {
        case 'text': {
          push('text', 'prose', node.value, node, context, false)
          break
        }

        case 'inlineCode': {
          push('inline', 'inline', node.value, node, context, false)
          break
        }

        case 'link': {
          url(node.url, node, context)
          inlines(node, context)
          break
        }

        default: {
          if ('children' in node) inlines(node as Parents, context)
        }
      }
    }
  }

  function url(value: string, node: Nodes, context: () => SnippetContext) {
    if (!value.includes('/') || (keep && !keep(value, 'url'))) return
    const start = node.position!.start.offset!
    const end = node.position!.end.offset!
    // The destination is the last occurrence of the URL inside the node's source.
    const at = text.lastIndexOf(value, end)
    if (at < start) return
    out.push({kind: 'link', lang: 'url', value, segStarts: [0], segOffsets: [at], start, end, context: context()})
  }

  function code(node: Extract<RootContent, {type: 'code'}>, context: () => SnippetContext) {
    const kind = codeKind(node.lang, node.meta, node.value)
    if (!kind) return
    // A CRLF file's block reads as its LF twin (markdownlint hands rules LF text): each line is
    // still mapped to its own source line (mapBlock).
    const value = node.value.includes('\r\n') ? node.value.replace(/\r\n/g, '\n') : node.value
    const snippet = push('code', kind.lang, value, node, context, true)
    if (snippet) {
      snippet.transcript = kind.transcript
      if (kind.ignore) snippet.ignore = kind.ignore
      if (kind.dialect) snippet.dialect = kind.dialect
    }
  }

  function push(kind: Snippet['kind'], lang: SnippetLang, value: string, node: Nodes, context: () => SnippetContext, block: boolean): Snippet | undefined {
    if (value.trim() === '' || (keep && !keep(value, lang))) return undefined
    const start = node.position!.start.offset!
    const end = node.position!.end.offset!
    const snippet: Snippet = {kind, lang, value, segStarts: [], segOffsets: [], start, end, context: context()}
    if (block) mapBlock(snippet, node.position!.start.line, text, lines)
    else mapInline(snippet, text)
    out.push(snippet)
    return snippet
  }
}

/**
 * Whether a code block with this info string can be read at all, before its value is known (a
 * host that builds the value itself skips the blocks in other languages): `codeKind` is undefined
 * for every block this says no to.
 */
export function readsInfo(info: string | null | undefined): boolean {
  const name = (info ?? '').toLowerCase()
  return name === '' || shellLangs.has(name) || Object.hasOwn(langAliases, name)
}

/** How a code block is read (language, transcript, ignored rules), or undefined: never read. */
export function codeKind(info: string | null | undefined, meta: string | null | undefined, value: string): {lang: SnippetLang; transcript: boolean; ignore?: Set<string>; dialect?: CodeDialect} | undefined {
  const name = (info ?? '').toLowerCase()
  let lang: SnippetLang | undefined
  let transcript = false
  let dialect: CodeDialect | undefined
  if (shellLangs.has(name)) {
    lang = 'shell'
    // A `console` block with no prompt at all is commands when it starts like them, output
    // otherwise; a `# ` line alone is no prompt there, but a comment (as `hasPrompts` reads it).
    transcript = hasPrompts(value) || (transcriptLangs.has(name) && (value.split('\n').some((line) => promptLength(line) > 0 && !line.trimStart().startsWith('#')) || !looksLikeShell(value)))
  } else if (Object.hasOwn(langAliases, name)) {
    lang = langAliases[name]
  } else if (name === '') {
    if (looksLikeShell(value)) {
      lang = 'shell'
      transcript = hasPrompts(value)
    } else if (looksLikeDockerfile(value)) {
      lang = 'dockerfile'
    } else if (looksLikeCompose(value)) {
      lang = 'yaml'
    } else if (rootPrompted(value)) {
      lang = 'shell'
      dialect = 'root-prompts'
    }
  }
  // `text`, `plaintext`, `output`, other programming languages: never read.
  if (!lang) return undefined
  const ignore = parseIgnore(`${info ?? ''} ${meta ?? ''}`)
  if (ignore === 'all') return undefined
  const kind: {lang: SnippetLang; transcript: boolean; ignore?: Set<string>; dialect?: CodeDialect} = ignore ? {lang, transcript, ignore} : {lang, transcript}
  if (name === 'caddy' || name === 'caddyfile') kind.dialect = 'caddy'
  if (name === 'bat') kind.dialect = 'batch'
  if (powershellLangs.has(name)) kind.dialect = 'powershell'
  if (pythonLangs.has(name)) kind.dialect = 'python'
  if (javascriptLangs.has(name)) kind.dialect = 'javascript'
  if (dialect) kind.dialect = dialect
  return kind
}

/** Code blocks: value line k is the tail of one source line (container prefixes removed). */
export function mapBlock(snippet: Snippet, startLine: number, text: string, lines: LineIndex) {
  const fenced = text.startsWith('```', snippet.start) || text.startsWith('~~~', snippet.start)
  let line = fenced ? startLine + 1 : startLine
  let index = 0
  for (const part of snippet.value.split('\n')) {
    let end = lines.lineEnd(line)
    // A CRLF line keeps its `\r` in the value, except the block's last line (its line ending is
    // not part of the value).
    if (text.charCodeAt(end - 1) === 13 && !part.endsWith('\r')) end--
    snippet.segStarts.push(index)
    snippet.segOffsets.push(end - part.length)
    index += part.length + 1
    line++
  }
}

/**
 * Inline nodes: find each value line, in order, inside the node's source. A line whose source
 * holds backslash escapes (`\_`, or `\|` in a table cell, even inside code) is mapped in pieces,
 * one segment per run of text between escapes.
 */
export function mapInline(snippet: Snippet, text: string) {
  let cursor = snippet.start
  let index = 0
  for (const line of snippet.value.split('\n')) {
    // A CRLF text keeps the `\r` in the value where the source has trailing spaces before it
    // (`x \r\n` → `x\r`): map the line's own text.
    const part = line.endsWith('\r') ? line.slice(0, -1) : line
    const at = part === '' ? -1 : text.indexOf(part, cursor)
    if (at !== -1 && at + part.length <= snippet.end) {
      snippet.segStarts.push(index)
      snippet.segOffsets.push(at)
      cursor = at + part.length
    } else if (part !== '') {
      const pieces = escapedPieces(part, text, cursor, snippet.end)
      if (pieces) {
        for (const [from, offset] of pieces) {
          snippet.segStarts.push(index + from)
          snippet.segOffsets.push(offset)
        }
        const [from, offset] = pieces[pieces.length - 1]
        cursor = offset + part.length - from
      }
    }
    index += line.length + 1
  }
}

/** Tries per value line: the source of a line is found from its first few candidate starts, or not at all (linear time). */
const escapeTries = 4
const escapable = /[!-/:-@[-`{-~]/

/**
 * `part` in `text[from, to)` with backslash escapes before ASCII punctuation: the pieces as
 * [index in part, file offset], or undefined.
 */
function escapedPieces(part: string, text: string, from: number, to: number): Array<[number, number]> | undefined {
  let tries = 0
  for (let p = from; p < to && tries < escapeTries; p++) {
    const first = text[p] === part[0] ? p : text[p] === '\\' && text[p + 1] === part[0] && escapable.test(part[0]) ? p + 1 : -1
    if (first === -1) continue
    tries++
    const pieces: Array<[number, number]> = [[0, first]]
    let j = first
    let i = 0
    while (i < part.length && j < to) {
      if (text[j] === part[i]) {
        i++
        j++
      } else if (text[j] === '\\' && text[j + 1] === part[i] && escapable.test(part[i])) {
        j++
        pieces.push([i, j])
      } else {
        break
      }
    }
    if (i === part.length) return pieces
    // The first char was escaped: `p + 1` is tried as its own start next, do not count twice.
    if (first !== p) p++
  }
  return undefined
}

/**
 * `parent.value.slice(start, end)` as a snippet of its own, in `lang` (a here-document's body),
 * mapped to the file through the parent's segments, with the parent's context and settings.
 */
export function subSnippet(parent: Snippet, start: number, end: number, lang: SnippetLang): Snippet {
  const segStarts: number[] = []
  const segOffsets: number[] = []
  const {segStarts: starts, segOffsets: offsets} = parent
  for (let k = 0; k < starts.length; k++) {
    const next = k + 1 < starts.length ? starts[k + 1] : Infinity
    if (next <= start || starts[k] >= end) continue
    const from = Math.max(starts[k], start)
    segStarts.push(from - start)
    segOffsets.push(offsets[k] + (from - starts[k]))
  }
  const first = toFileOffset(parent, start)
  const last = toFileOffset(parent, Math.max(start, end - 1))
  const snippet: Snippet = {
    kind: parent.kind,
    lang,
    value: parent.value.slice(start, end),
    segStarts,
    segOffsets,
    start: first === -1 ? parent.start : first,
    end: last === -1 ? parent.end : last + 1,
    context: parent.context,
    from: parent
  }
  if (parent.ignore) snippet.ignore = parent.ignore
  return snippet
}

/** File offset of a value index, or -1 when that part of the value has no exact source. */
export function toFileOffset(snippet: Snippet, index: number): number {
  const {segStarts, segOffsets} = snippet
  if (segStarts.length === 0 || index < segStarts[0]) return -1
  const low = segmentAt(snippet, index)
  return segOffsets[low] + (index - segStarts[low])
}

/** The last segment that starts at or before a value index (0 when none does). */
function segmentAt(snippet: Snippet, index: number): number {
  const {segStarts} = snippet
  let low = 0
  let high = segStarts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (segStarts[mid] <= index) low = mid
    else high = mid - 1
  }
  return low
}

/**
 * The file range of the value range `[from, to)`, or undefined when some of it has no exact source.
 *
 * A value line is the tail of its source line: in a list item or a block quote the source line
 * also holds the container's prefix (`   `, `> `), which the value does not. A range over several
 * lines (a command continued with `\`) therefore covers more file text than value text: each
 * line's part must match the file where its segment maps, and only line breaks may lie between
 * them. `gap` is the file text that stands for the range's first value line break (the break
 * and the next line's prefix), so a replacement spanning lines can keep the prefixes. A line
 * mapped in pieces (backslash escapes, `mapInline`) is followed piece by piece.
 */
export function toFileRange(snippet: Snippet, from: number, to: number, text: string): {start: number; end: number; gap?: string} | undefined {
  const {value, segStarts, segOffsets} = snippet
  if (from >= to || to > value.length || segStarts.length === 0 || from < segStarts[0]) return undefined
  let k = segmentAt(snippet, from)
  let start = -1
  let end = -1
  let gap: string | undefined
  let index = from
  while (index < to) {
    // Only a value line break or an escape separates one mapped segment from the next.
    if (k >= segStarts.length || index < segStarts[k]) return undefined
    const lineEnd = value.indexOf('\n', segStarts[k])
    const next = k + 1 < segStarts.length ? segStarts[k + 1] : value.length
    // A segment ends at its line break, or where the next piece of the same line starts (after an escape).
    const contentEnd = Math.min(lineEnd === -1 ? value.length : lineEnd, next)
    const pieceEnd = Math.min(to, contentEnd)
    if (index < pieceEnd) {
      const at = segOffsets[k] + (index - segStarts[k])
      if (text.slice(at, at + pieceEnd - index) !== value.slice(index, pieceEnd)) return undefined
      if (start < 0) start = at
      end = at + pieceEnd - index
    } else if (start < 0) {
      return undefined
    }
    if (pieceEnd >= to) break
    k++
    if (k < segStarts.length && segStarts[k] === contentEnd) {
      // The next piece of the same line: the source has an escape in between.
      index = contentEnd
      continue
    }
    // The line break: the range goes on at the start of the next segment.
    index = contentEnd + 1
    if (index >= to || k >= segStarts.length || segStarts[k] !== index) return undefined
    gap ??= text.slice(end, segOffsets[k])
  }
  return start < 0 ? undefined : {start, end, gap}
}

/** `docdrift-ignore` (every rule) or `docdrift-ignore=stale-route,secret-length` in an info string. */
export function parseIgnore(info: string): 'all' | Set<string> | undefined {
  let result: Set<string> | undefined
  for (const token of info.split(/\s+/)) {
    if (token === 'docdrift-ignore') return 'all'
    if (token.startsWith('docdrift-ignore=')) {
      result ??= new Set()
      for (const id of token.slice('docdrift-ignore='.length).split(',')) if (id) result.add(id)
    }
  }
  return result
}

function looksLikeShell(value: string): boolean {
  for (const raw of value.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const bare = line.startsWith('$ ') ? line.slice(2).trimStart() : line
    const first = bare.split(/\s/, 1)[0]
    if (shellStarters.has(first)) return true
    if (/^[A-Z_][A-Z0-9_]*=/.test(first)) return true
    return false
  }
  return false
}

/** Dockerfile instructions, as an unlabeled block must spell them (upper case) to be read as one. */
const dockerKeywords = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER',
  'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'MAINTAINER'])

/**
 * An unlabeled block whose first line is `# ` and a command as a shell block starts (`# buildah
 * commit $ctr app`, `# docker run --rm app`), whatever follows: a root prompt's transcript, or
 * commands commented out.
 */
function rootPrompted(value: string): boolean {
  const first = value.split('\n').find((line) => line.trim() !== '')?.trim()
  return first !== undefined && first.startsWith('# ') && looksLikeShell(first.slice(2))
}

/**
 * An unlabeled block that is a Dockerfile: its first instruction (after `ARG`s) is `FROM` with an
 * image alone (`FROM node:20 AS build`, options first), and every line is an instruction in upper
 * case or continues one (`\`). Not shell (`FROM=…` is an assignment), nor SQL (`FROM orders o
 * JOIN …`, a `WHERE` line), nor prose.
 */
function looksLikeDockerfile(value: string): boolean {
  let from = false
  let continued = false
  for (const raw of value.split('\n')) {
    const line = raw.trim()
    const wasContinued = continued
    continued = line.endsWith('\\')
    if (wasContinued || line === '' || line.startsWith('#')) continue
    const [keyword, ...words] = line.split(/\s+/)
    if (!dockerKeywords.has(keyword)) return false
    if (from) continue
    if (keyword === 'ARG') continue
    if (keyword !== 'FROM') return false
    const operands = words.filter((word) => !word.startsWith('--'))
    if (!(operands.length === 1 || (operands.length === 3 && operands[1].toUpperCase() === 'AS'))) return false
    from = true
  }
  return from
}

/**
 * An unlabeled block that is a Compose file naming an image: one YAML document, without errors
 * (not the tail of a here-document, not a transcript), whose top level is a mapping with
 * `services:`, a mapping of services, each a mapping.
 */
function looksLikeCompose(value: string): boolean {
  if (!value.includes('services:') || !value.includes('image:')) return false
  // The parse the YAML readers then find remembered (`parseYamlDocuments`): one per block.
  const docs = parseYamlDocuments(value)
  if (!docs || docs.length !== 1 || docs[0].errors.length > 0) return false
  const top = docs[0].contents
  const services = isMap(top) ? top.get('services', true) : undefined
  return isMap(services) && services.items.length > 0 && services.items.every((pair) => isMap(pair.value))
}
