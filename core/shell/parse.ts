/**
 * Shell syntax through tree-sitter-bash (WebAssembly, error tolerant), converted once into a
 * small tree of our own so that the rest of the engine never touches tree-sitter nodes.
 *
 * The grammar is loaded synchronously when this module is first imported (no top-level await, so
 * the engine also runs as CommonJS; see ./tree-sitter-sync.ts), and every parse is synchronous
 * (markdownlint's sync API and editors need synchronous rules).
 */
import type {Node, Parser} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {treeSitterHost, type TreeSitterHost} from './tree-sitter-host.js'
import {createParserSync, loadLanguageSync} from './tree-sitter-sync.js'

const host = treeSitterHost()
const parser = createParserSync(host.ts, host.runtimeWasm, host.grammarWasm)

/** The tree-sitter runtime, initialised with the shell's grammar: other grammars load into it (core/facts/hcl.ts). */
export const treeSitterRuntime: TreeSitterHost = host

/** A parser for another grammar on the same runtime, made (and its grammar loaded) on first use. */
export function grammarParser(wasm: (host: TreeSitterHost) => Uint8Array): () => Parser {
  let made: Parser | undefined
  return () => {
    if (!made) {
      made = new host.ts.Parser()
      made.setLanguage(loadLanguageSync(host.ts, wasm(host)))
    }
    return made
  }
}

/** A word of a command: offsets are into the parsed text. */
export interface ShWord {
  start: number
  end: number
  /** Source text of the word, quotes included. */
  raw: string
  /** Value after quote removal when the word is fully literal (no expansions), else undefined. */
  value?: string
  /** Literal text before the first expansion (`K=` in `K=$(openssl rand 3)`). */
  literalPrefix: string
  /** Command substitutions inside the word, in order. */
  substitutions: ShPipeline[][]
  /** Process substitutions inside the word (`<(curl …)`, read by the command as a file), in order. */
  processes: ShPipeline[][]
  /** Variables the word expands (`$NEW_KEY`, `${NEW_KEY}`). */
  refs: string[]
  /**
   * Literal values the word falls back to when a variable is unset (or empty):
   * `${JWT_SECRET:-changeme}` and `${JWT_SECRET:=changeme}`, with and without the colon, the
   * value bare or quoted (`${JWT_SECRET:-"changeme"}`). The range is of the operator and the
   * value (`:-"changeme"`); a value that expands or runs anything is not literal and not listed.
   */
  fallbacks?: ShFallback[]
  /** The variable a word that is one `${NAME:=…}` (or `${NAME=…}`) expansion sets when it is unset. */
  assigns?: string
  /** Where each piece of `value` was written: see `valueRange`. */
  parts: ShPart[]
}

export interface ShFallback {
  /** The variable (`JWT_SECRET`). */
  name: string
  /** `:-`, `-`, `:=` or `=`. */
  operator: string
  value: string
  /** Source range of the operator and the value. */
  start: number
  end: number
}

/** The operators of `${NAME<op>value}` that give `value` when NAME is unset (or, with the colon, empty). */
const fallbackOperators = new Set([':-', '-', ':=', '='])

/**
 * `${NAME:-value}` from its expansion node's children: the name, the operator and the value, when
 * the value is literal text (words and quoted strings, with no escape, expansion or substitution).
 */
function fallbackIn(children: ReadonlyArray<Node | null>): ShFallback | undefined {
  const [open, name, operator] = children
  const close = children[children.length - 1]
  if (open?.type !== '${' || name?.type !== 'variable_name' || !operator || !fallbackOperators.has(operator.type) || close?.type !== '}') return undefined
  let value = ''
  for (const part of children.slice(3, -1)) {
    const text = part && literalText(part)
    if (text === undefined) return undefined
    value += text
  }
  return {name: name.text, operator: operator.type, value, start: operator.startIndex, end: close.startIndex}
}

/**
 * The text a word, a quoted string or a concatenation of them stands for, when it is literal.
 * (In an expansion's operand the grammar reads `keyboard-cat` as a `variable_name` and a word.)
 */
function literalText(n: Node): string | undefined {
  switch (n.type) {
    case 'word':
    case 'variable_name':
    case 'string_content': {
      return /[$`\\{}]/.test(n.text) ? undefined : n.text
    }

    case 'raw_string': {
      return n.text.slice(1, -1)
    }

    case 'string':
    case 'concatenation': {
      let text = ''
      for (const child of n.namedChildren) {
        const part = child && literalText(child)
        if (part === undefined) return undefined
        text += part
      }
      return text
    }

    default: {
      return undefined
    }
  }
}

/** A literal piece of a word's value and the source text it came from. */
export interface ShPart {
  /** Offset of the piece in the word's value, and its length there. */
  at: number
  length: number
  /** Source range the piece was read from, inside its quotes. */
  start: number
  end: number
  /** How the piece was quoted: not, `"…"`, or `'…'` (and `$'…'`). */
  quote: '' | '"' | "'"
  /** Source offset of each value character, when escapes make value and source differ. */
  offsets?: number[]
}

/**
 * Source range of `value.slice(from, to)` of a literal word, inside its quotes, with the quoting
 * around it (`mixed` when the range spans differently quoted pieces, as in `"a"'b'`).
 */
export function valueRange(word: ShWord, from: number, to: number): {start: number; end: number; quote: ShPart['quote'] | 'mixed'} | undefined {
  if (to <= from) return undefined
  const first = word.parts.findIndex((p) => from >= p.at && from < p.at + p.length)
  const last = word.parts.findIndex((p) => to > p.at && to <= p.at + p.length)
  if (first === -1 || last === -1) return undefined
  const a = word.parts[first]
  const b = word.parts[last]
  const start = a.offsets ? a.offsets[from - a.at] : a.start + (from - a.at)
  const end = b.offsets ? b.offsets[to - 1 - b.at] + 1 : b.start + (to - b.at)
  // One quoting only if the pieces are written back to back under the same quotes.
  let quote: ShPart['quote'] | 'mixed' = a.quote
  for (let i = first + 1; i <= last; i++) {
    if (word.parts[i].quote !== a.quote || word.parts[i].start !== word.parts[i - 1].end) quote = 'mixed'
  }
  return {start, end, quote}
}

export interface ShRedirect {
  op: string
  target?: ShWord
}

export interface ShCommand {
  start: number
  end: number
  name?: ShWord
  args: ShWord[]
  /** `FOO=bar cmd` prefix assignments. */
  env: ShAssign[]
  redirects: ShRedirect[]
}

/**
 * Commands that run the command after them, with the options of theirs that take a value (as a
 * separate word): `sudo -u postgres psql` runs `psql`.
 */
const wrappers: Record<string, ReadonlySet<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user', '--close-from', '--command-timeout']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  command: new Set(),
  exec: new Set(['-a']),
  nohup: new Set(),
  time: new Set(['-f', '-o', '--format', '--output'])
}

/** A program's name without its folder: `/usr/local/go/bin/go` is `go`. */
const programName = (word: string) => word.slice(word.lastIndexOf('/') + 1)

/**
 * Whether a command word runs the command after it (`sudo`, `/usr/bin/env`), or is a usage line's
 * optional `[sudo]`: the parse reads that as a test (`[ … ]`) and the command after it as the one
 * that runs, which is what the reader runs, with or without sudo.
 */
export const wrapsCommand = (word: string) => word === '[sudo]' || Object.hasOwn(wrappers, programName(word))

/**
 * The command that runs and its arguments, or no name: a path stands for its program
 * (`/usr/bin/docker` is `docker`), and the wrappers above stand for the command they run with
 * their own options and (for `env`) assignments skipped: `sudo -E env GOFLAGS=-mod=mod
 * /usr/local/go/bin/go install x@latest` is `go install x@latest`.
 */
export function runCommand(command: ShCommand): {name?: string; args: ShWord[]} {
  let name = command.name?.value === undefined ? undefined : programName(command.name.value)
  let args = command.args
  for (let depth = 0; name !== undefined && depth < 4 && Object.hasOwn(wrappers, name); depth++) {
    const valued = wrappers[name]
    let index = 0
    while (index < args.length) {
      const value = args[index].value
      if (value === undefined) return {args: []}
      if (value === '--') {
        index++
        break
      }
      if (value.startsWith('-') && value.length > 1) {
        // `command -v go` looks `go` up, and runs nothing.
        if (name === 'command' && (value === '-v' || value === '-V')) return {args: []}
        index += valued.has(value) ? 2 : 1
        continue
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
        index++
        continue
      }
      break
    }
    if (index >= args.length) return {args: []}
    name = args[index].value === undefined ? undefined : programName(args[index].value!)
    args = args.slice(index + 1)
  }
  return {name, args}
}

export interface ShPipeline {
  start: number
  end: number
  commands: ShCommand[]
}

export interface ShAssign {
  start: number
  end: number
  name: string
  value?: ShWord
  /** `export NAME=…` (or declare -x). */
  exported: boolean
}

export interface ShComment {
  start: number
  end: number
  /** Text after `#`. */
  text: string
}

export interface ShScript {
  /** Top-level and nested pipelines in source order (a lone command is a pipeline of one). */
  pipelines: ShPipeline[]
  /** Assignments, standalone or exported, in source order (not `FOO=bar cmd` prefixes). */
  assigns: ShAssign[]
  comments: ShComment[]
  /** Every word anywhere (arguments, values, redirect targets), in source order. */
  words: ShWord[]
  /** Here-documents, in source order. */
  heredocs: ShHeredoc[]
}

/** A here-document (`<<EOF` … `EOF`): its body, and the commands its text goes to. */
export interface ShHeredoc {
  /** The body: from the line after `<<EOF` to the delimiter line (or the end of the text). */
  start: number
  end: number
  /** The command the body is the standard input of (its redirects include `> file` written after `<<EOF`). */
  command: ShCommand
  /** The commands of a pipeline written after `<<EOF` (`cat <<EOF | kubectl apply -f -`). */
  pipe: ShCommand[]
}

let currentText = ''
/** Where, in `currentText`, the first line break that `cutAtLineBreak` cut a command at is (-1: none). */
let firstCut = -1
/** The most times one text is split at a cut and parsed again (each part is shorter). */
const maxSplits = 16

/**
 * Parsed scripts by text: an editor re-lints the same blocks on every keystroke, and docs repeat
 * blocks. Scripts are shared, so callers treat them as read-only.
 */
const parsed = new Memo<ShScript>(1024 * 1024)

/** Parse shell text (already cleaned of prompts and output lines); offsets start at `base`. */
export function parseShell(text: string, base = 0): ShScript {
  if (base !== 0) {
    const script = parseAt(lf(text))
    shift(script, base)
    return script
  }
  return parsed.get(text, () => parseAt(lf(text)))
}

/**
 * Text from a CRLF file can still hold `\r`s (code blocks lose them at extraction; inline code
 * and YAML scalars keep theirs): the shell reads each as a space (same offsets), and a line
 * continuation keeps its backslash right before the line feed, so every host reads the text as
 * it reads the LF file (markdownlint hands rules LF text; found by npm run fuzz).
 */
function lf(text: string): string {
  return text.includes('\r') ? text.replace(/\\\r(?=\n)/g, ' \\').replace(/\r(?=\n)/g, ' ') : text
}

/** Move every offset of a script by `delta` (for text parsed out of a larger snippet). */
function shift(script: ShScript, delta: number) {
  const seen = new Set<object>()
  const move = (node: {start: number; end: number}) => {
    if (seen.has(node)) return
    seen.add(node)
    node.start += delta
    node.end += delta
  }
  for (const word of script.words) {
    if (seen.has(word)) continue
    move(word)
    for (const part of word.parts) {
      part.start += delta
      part.end += delta
      if (part.offsets) part.offsets = part.offsets.map((o) => o + delta)
    }
  }
  for (const pipeline of script.pipelines) {
    move(pipeline)
    for (const command of pipeline.commands) {
      move(command)
      for (const assign of command.env) move(assign)
    }
  }
  for (const assign of script.assigns) move(assign)
  for (const comment of script.comments) move(comment)
  for (const heredoc of script.heredocs) move(heredoc)
}

function parseAt(text: string, budget = {splits: maxSplits}): ShScript {
  currentText = text
  firstCut = -1
  const tree = parser.parse(text)
  const script: ShScript = {pipelines: [], assigns: [], comments: [], words: [], heredocs: []}
  if (!tree) return script
  try {
    statements(tree.rootNode, script)
  } finally {
    tree.delete()
  }
  // tree-sitter-bash can read the lines after a pipeline as arguments and further stages of it
  // (`a | b | c⏎d | e⏎f > g` comes out as `a | {b | c d | e f} > g`, and `go install x@latest` on
  // a line of its own as an argument): where a command runs past a line break (`cutAtLineBreak`),
  // the text is parsed again as two, the lines before that line break and the lines after it.
  if (firstCut === -1 || budget.splits === 0) return script
  budget.splits--
  const at = firstCut
  const head = parseAt(text.slice(0, at), budget)
  const rest = parseAt(text.slice(at + 1), budget)
  shift(rest, at + 1)
  head.pipelines.push(...rest.pipelines)
  head.assigns.push(...rest.assigns)
  head.comments.push(...rest.comments)
  head.words.push(...rest.words)
  head.heredocs.push(...rest.heredocs)
  return head
}

/**
 * Whether an assignment is a URL's query parameter that the shell cut off: in `curl
 * host/auth?user=admin&password=Password123!` the unquoted `&` sends curl to the background and
 * assigns `password`, a variable nothing reads; the writer meant one URL. The `&` touches both
 * the word before it and the assignment, as no one writes a background job.
 */
function queryPart(node: Node): boolean {
  const amp = node.previousSibling
  const before = amp?.previousSibling
  return amp?.type === '&' && amp.endIndex === node.startIndex && !!before && before.endIndex === amp.startIndex
}

/** Walk statement-level nodes, collecting pipelines, assignments and comments. */
function statements(node: Node, script: ShScript): ShPipeline[] {
  const out: ShPipeline[] = []
  for (const child of node.namedChildren) {
    if (!child) continue
    switch (child.type) {
      case 'comment': {
        script.comments.push({start: child.startIndex, end: child.endIndex, text: child.text.slice(1)})
        break
      }

      case 'pipeline': {
        const commands: ShCommand[] = []
        for (const part of child.namedChildren) {
          if (!part) continue
          const command = commandOf(part, script)
          if (command) commands.push(command)
          else out.push(...(walked.get(part) ?? statements(part, script)))
        }
        const last = commands.at(-1)
        pushPipeline({start: child.startIndex, end: last && cut.has(last) ? last.end : child.endIndex, commands})
        break
      }

      case 'command':
      case 'redirected_statement': {
        const command = commandOf(child, script)
        if (command) pushPipeline({start: child.startIndex, end: cut.has(command) ? command.end : child.endIndex, commands: [command]})
        else out.push(...(walked.get(child) ?? statements(child, script)))
        break
      }

      case 'variable_assignment': {
        if (!queryPart(child)) script.assigns.push(assignOf(child, script, false))
        break
      }

      case 'declaration_command': {
        const exported = child.child(0)?.type === 'export'
        for (const part of child.namedChildren) {
          if (part?.type === 'variable_assignment') script.assigns.push(assignOf(part, script, exported))
          else if (part?.type === 'word' || part?.type === 'variable_name') wordOf(part, script)
        }
        break
      }

      case 'variable_assignments': {
        for (const part of child.namedChildren) {
          if (part?.type === 'variable_assignment') script.assigns.push(assignOf(part, script, false))
        }
        break
      }

      default: {
        // Lists, subshells, compound statements, if/for/while bodies, ERROR nodes: descend.
        out.push(...statements(child, script))
      }
    }
  }
  return out

  function pushPipeline(pipeline: ShPipeline) {
    out.push(pipeline)
    script.pipelines.push(pipeline)
  }
}

function commandOf(node: Node, script: ShScript): ShCommand | undefined {
  // A web-tree-sitter node's `type` (and `endIndex`) is a call into WebAssembly: read it once.
  const type = node.type
  if (type === 'redirected_statement') {
    const body = node.childForFieldName('body')
    const redirects: ShRedirect[] = []
    const heredocs: Node[] = []
    for (const child of node.namedChildren) {
      const childType = child?.type
      if (!child || child === body || !childType?.endsWith('redirect')) continue
      redirects.push(redirectOf(child, script))
      if (childType !== 'heredoc_redirect') continue
      heredocs.push(child)
      // `<<EOF > file`: a redirect written after the here-document's start is the command's too.
      for (const inner of child.namedChildren) if (inner?.type === 'file_redirect') redirects.push(redirectOf(inner, script))
    }
    if (!body) return undefined
    const command = body.type === 'command' ? commandOf(body, script) : undefined
    if (!command) {
      if (body.type === 'command') return undefined
      const inner = statementsInto(body, script)
      // `a | b > f`: tree-sitter hangs the redirect on the pipeline; the shell applies it to the
      // pipeline's last command, and it is part of what the pipeline's range covers.
      const pipeline = body.type === 'pipeline' ? inner.at(-1) : undefined
      const last = pipeline?.commands.at(-1)
      if (pipeline && last && redirects.length > 0) {
        last.redirects.push(...redirects)
        if (!cut.has(last)) last.end = pipeline.end = node.endIndex
      }
      walked.set(node, inner)
      return undefined
    }
    command.redirects.push(...redirects)
    command.start = node.startIndex
    if (!cut.has(command)) command.end = node.endIndex
    if (heredocs.length > 0) droppedDash(body.endIndex, heredocs[0].startIndex, command, script)
    for (const heredoc of heredocs) heredocOf(heredoc, command, script)
    return command
  }
  if (type !== 'command') return undefined
  const command: ShCommand = {start: node.startIndex, end: node.endIndex, args: [], env: [], redirects: []}
  for (const child of node.namedChildren) {
    if (!child) continue
    const childType = child.type
    if (childType === 'command_name') {
      const word = child.namedChildren[0]
      if (word) command.name = wordOf(word, script)
    } else if (childType === 'variable_assignment') {
      command.env.push(assignOf(child, script, false))
    } else if (childType.endsWith('redirect')) {
      command.redirects.push(redirectOf(child, script))
    } else if (childType === 'comment') {
      script.comments.push({start: child.startIndex, end: child.endIndex, text: child.text.slice(1)})
    } else {
      command.args.push(wordOf(child, script))
    }
  }
  cutAtLineBreak(command)
  return command
}

/**
 * tree-sitter-bash drops a lone `-` written right before `<<EOF` (`helm install x -f - <<EOF`,
 * `tar xf - <<EOF`): the tree has no node for it, or, written against it (`-f -<<EOF`), takes it
 * into the here-document's operator. Read from the text, it is the command's last argument, as
 * the shell runs it.
 */
function droppedDash(from: number, to: number, command: ShCommand, script: ShScript) {
  const gap = currentText.slice(from, to)
  const against = currentText.startsWith('-<<', to) && /\s/.test(currentText[to - 1] ?? '')
  if (gap.trim() !== (against ? '' : '-')) return
  const start = against ? to : from + gap.indexOf('-')
  const word: ShWord = {start, end: start + 1, raw: '-', value: '-', literalPrefix: '-', substitutions: [], processes: [], refs: [], parts: [{at: 0, length: 1, start, end: start + 1, quote: ''}]}
  script.words.push(word)
  command.args.push(word)
}

/** A here-document's body and the commands after `<<EOF` (their words are the script's words too). */
function heredocOf(node: Node, command: ShCommand, script: ShScript) {
  const body = node.namedChildren.find((c) => c?.type === 'heredoc_body')
  if (!body) return
  const pipe: ShCommand[] = []
  // `| a | b` after `<<EOF` is a pipeline inside a pipeline.
  const commands = (parent: Node) => {
    for (const part of parent.namedChildren) {
      if (part?.type === 'pipeline') commands(part)
      else if (parent.type === 'pipeline' && part) {
        const next = commandOf(part, script)
        if (next) pipe.push(next)
      }
    }
  }
  commands(node)
  script.heredocs.push({start: body.startIndex, end: body.endIndex, command, pipe})
}

/** Commands `cutAtLineBreak` ended early: their range is their words', not tree-sitter's node. */
const cut = new WeakSet<ShCommand>()

/**
 * tree-sitter's error recovery can run a command on past a line break that ends it in the shell
 * (an unclosed backtick further down a block takes the next lines in as arguments): keep the
 * words before the first line break that is not escaped, as the shell reads them, and end the
 * command there. The lines after it are parsed again on their own (`parseAt`).
 */
function cutAtLineBreak(command: ShCommand) {
  let end = command.name?.end
  if (end === undefined) return
  for (let index = 0; index < command.args.length; index++) {
    const arg = command.args[index]
    const lineBreak = unescapedLineBreak(currentText.slice(end, arg.start))
    if (lineBreak !== -1) {
      command.args.length = index
      command.end = end
      cut.add(command)
      if (firstCut === -1 || end + lineBreak < firstCut) firstCut = end + lineBreak
      return
    }
    end = arg.end
  }
}

/** The offset in `gap` of its first line break that no backslash escapes, or -1. */
function unescapedLineBreak(gap: string): number {
  for (let at = gap.indexOf('\n'); at !== -1; at = gap.indexOf('\n', at + 1)) if (gap[at - 1] !== '\\') return at
  return -1
}

function statementsInto(node: Node, script: ShScript): ShPipeline[] {
  const wrapper = {namedChildren: [node]} as unknown as Node
  return statements(wrapper, script)
}

/** Redirected statements whose body `commandOf` walked already, with the pipelines it found. */
const walked = new WeakMap<Node, ShPipeline[]>()

function redirectOf(node: Node, script: ShScript): ShRedirect {
  const op = node.children.find((c) => c && !c.isNamed)?.text ?? ''
  const dest = node.childForFieldName('destination') ?? node.namedChildren.find((c) => c && c.type !== 'file_descriptor') ?? null
  return {op, target: dest ? wordOf(dest, script) : undefined}
}

function assignOf(node: Node, script: ShScript, exported: boolean): ShAssign {
  const name = node.childForFieldName('name')?.text ?? ''
  const valueNode = node.childForFieldName('value')
  return {
    start: node.startIndex,
    end: node.endIndex,
    name,
    value: valueNode ? wordOf(valueNode, script) : undefined,
    exported
  }
}

/** Convert any word-like node; collects substitutions, expansions and the literal value. */
function wordOf(node: Node, script: ShScript): ShWord {
  const word: ShWord = {
    start: node.startIndex,
    end: node.endIndex,
    raw: node.text,
    literalPrefix: '',
    substitutions: [],
    processes: [],
    refs: [],
    parts: []
  }
  script.words.push(word)
  let literal = true
  let prefixDone = false
  let value = ''
  /** Quoting of the text being visited (the leaves of a `"…"` string are quoted by it). */
  let quote: ShPart['quote'] = ''
  visit(node, true)
  if (literal) word.value = value
  return word

  /**
   * Append source text `[start, end)` to the value. `escapes` lists the characters a backslash
   * escapes in this quoting (undefined: none; '' : any character, as outside quotes).
   */
  function addLiteral(start: number, end: number, quoting: ShPart['quote'], escapes?: string) {
    const source = currentText.slice(start, end)
    let text = source
    let offsets: number[] | undefined
    if (escapes !== undefined && source.includes('\\')) {
      text = ''
      offsets = []
      for (let i = 0; i < source.length; i++) {
        const next = source[i + 1]
        if (source[i] === '\\' && next !== undefined && (escapes === '' || escapes.includes(next))) i++
        text += source[i]
        offsets.push(start + i)
      }
      if (text.length === source.length) offsets = undefined
    }
    if (text.length > 0) word.parts.push({at: value.length, length: text.length, start, end, quote: quoting, ...(offsets ? {offsets} : {})})
    value += text
    if (!prefixDone) word.literalPrefix += text
  }

  function visit(n: Node, top: boolean) {
    const type = n.type
    switch (type) {
      case 'word':
      case 'number':
      case 'variable_name': {
        addLiteral(n.startIndex, n.endIndex, '', '')
        return
      }

      case 'raw_string': {
        addLiteral(n.startIndex + 1, n.endIndex - 1, "'")
        return
      }

      case 'ansi_c_string': {
        addLiteral(n.startIndex + 2, n.endIndex - 1, "'")
        return
      }

      case 'string_content': {
        addLiteral(n.startIndex, n.endIndex, '"', '$`"\\\n')
        return
      }

      case 'string':
      case 'concatenation':
      case 'translated_string': {
        // A string's literal parts are the gaps between its named children (tree-sitter-bash
        // leaves some content unnamed), so walk the children and the text between them.
        let cursor = n.startIndex + (type === 'string' ? 1 : type === 'translated_string' ? 2 : 0)
        const stop = n.endIndex - (type === 'concatenation' ? 0 : 1)
        const outer = quote
        if (type !== 'concatenation') quote = '"'
        for (const child of n.namedChildren) {
          if (!child) continue
          if (child.startIndex > cursor) gap(type, cursor, child.startIndex)
          visit(child, false)
          cursor = child.endIndex
        }
        if (stop > cursor) gap(type, cursor, stop)
        quote = outer
        return
      }

      case 'command_substitution': {
        literal = false
        prefixDone = true
        const inner: ShScript = script
        word.substitutions.push(statements(n, inner))
        return
      }

      case 'process_substitution': {
        literal = false
        prefixDone = true
        word.processes.push(statements(n, script))
        return
      }

      case 'simple_expansion':
      case 'expansion': {
        literal = false
        prefixDone = true
        const name = n.namedChildren.find((c) => c?.type === 'variable_name')
        if (name) word.refs.push(name.text)
        if (type === 'expansion') {
          const children = n.children
          const fallback = fallbackIn(children)
          if (fallback) (word.fallbacks ??= []).push(fallback)
          // What runs in the value a variable falls back to (`${KEY:-$(openssl rand -hex 32)}`).
          substitutionsIn(n)
          // `${NAME:=…}` and `${NAME=…}` set the variable when it is unset, as a word of their own.
          const [, variable, operator] = children
          if ((operator?.type === ':=' || operator?.type === '=') && variable?.type === 'variable_name') {
            const parent = n.parent
            if (top || (parent?.type === 'string' && parent.parent?.type !== 'concatenation' && parent.namedChildCount === 1)) word.assigns = variable.text
          }
        }
        return
      }

      default: {
        if (n.namedChildCount === 0) {
          if (top || type === 'special_variable_name') {
            literal = literal && type !== 'special_variable_name'
          }
          addLiteral(n.startIndex, n.endIndex, quote)
          return
        }
        literal = false
        prefixDone = true
        for (const child of n.namedChildren) if (child) visit(child, false)
      }
    }
  }

  /** The substitutions inside an expansion's operand, not those inside another substitution. */
  function substitutionsIn(n: Node) {
    for (const child of n.namedChildren) {
      if (!child) continue
      const type = child.type
      if (type === 'command_substitution') word.substitutions.push(statements(child, script))
      else if (type === 'process_substitution') word.processes.push(statements(child, script))
      else if (child.namedChildCount > 0) substitutionsIn(child)
    }
  }

  function gap(type: string, from: number, to: number) {
    // Only the string's own literal text (quotes of nested strings are handled by their nodes).
    if (type === 'concatenation') return
    addLiteral(from, to, '"', '$`"\\\n')
  }
}
