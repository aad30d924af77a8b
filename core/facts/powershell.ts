/**
 * PowerShell commands through tree-sitter-powershell (WebAssembly, error tolerant, on the runtime
 * the shell grammar runs on), converted into a small model: every pipeline with its commands, each
 * command with its name, its arguments and what runs inside them. unpinned-install reads it for
 * installers run as they download (`irm https://get.scoop.sh | iex`,
 * `iex ((New-Object Net.WebClient).DownloadString('…'))`), in `powershell`, `ps1` and `pwsh` blocks
 * and in `powershell -c "…"` written in a shell block; the secret rules read its assignments and
 * the generators they hold (`$env:ENCRYPTION_KEY = [Convert]::ToBase64String(…GetBytes(32))`,
 * also `[Environment]::SetEnvironmentVariable('NAME', …)` and `setx NAME …`). A block written as
 * a session (`PS C:\> …` prompts and what the commands printed) is read for its commands only.
 *
 * The grammar (1 MB) loads the first time a PowerShell command is read.
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {grammarParser} from '../shell/parse.js'
import {maskPowerShellSession} from '../shell/prepare.js'
import type {GeneratorOutput} from './generators.js'

export interface PsArgument {
  /** Source text of the argument. */
  text: string
  /** A parameter (`-Uri`, `-UseBasicParsing`). */
  parameter: boolean
  start: number
  end: number
}

export interface PsCommand {
  /** The command's name, lower-cased (`irm`, `invoke-expression`); `&` for an invocation of an expression. */
  name: string
  start: number
  end: number
  args: PsArgument[]
  /**
   * Whether the command runs text as a script: `iex`/`Invoke-Expression`, or `&` on a script
   * block made from text (`& ([scriptblock]::Create(…))`).
   */
  runsText: boolean
  /** Whether a download runs inside it: a download command, or a `.DownloadString(…)` call. */
  downloadsInside: boolean
}

export interface PsPipeline {
  start: number
  end: number
  commands: PsCommand[]
}

/** Commands that fetch a URL (Windows PowerShell also maps `curl` and `wget` to `Invoke-WebRequest`). */
const downloaders: ReadonlySet<string> = new Set(['irm', 'iwr', 'invoke-restmethod', 'invoke-webrequest', 'curl', 'curl.exe', 'wget', 'wget.exe'])
const runners: ReadonlySet<string> = new Set(['iex', 'invoke-expression'])

const powershellParser = grammarParser((host) => host.powershellWasm())

/** A PowerShell text as read: its pipelines and its assignments, each in source order. */
interface PsScript {
  pipelines: PsPipeline[]
  assignments: PsAssignment[]
}

const parsed = new Memo<PsScript>(256 * 1024)

/** A PowerShell text parsed once, for its pipelines and its assignments both. */
function readPowerShell(text: string): PsScript {
  return parsed.get(text, () => {
    const script: PsScript = {pipelines: [], assignments: []}
    // A session's prompts and output become spaces: every offset stays where it was.
    const tree = powershellParser().parse(maskPowerShellSession(text))
    if (!tree) return script
    try {
      // Iterative: PowerShell's expressions nest a dozen nodes deep per level.
      for (const node of descendants(tree.rootNode)) {
        if (node.type === 'pipeline_chain') pipeline(node, script.pipelines)
        else if (node.type === 'assignment_expression') assignment(node, script.assignments)
        else if (node.type === 'invokation_expression') setEnvironmentVariable(node, script.assignments)
        else if (node.type === 'command') setx(node, script.assignments)
      }
      script.pipelines.sort((a, b) => a.start - b.start)
      script.assignments.sort((a, b) => a.start - b.start)
      return script
    } finally {
      tree.delete()
    }
  })
}

/** Every pipeline of a PowerShell text, nested ones included, in source order. Read-only. */
export function parsePowerShell(text: string): PsPipeline[] {
  return readPowerShell(text).pipelines
}

/** Every assignment of a PowerShell text (`$env:NAME = …`, `$name = …`), in source order. Read-only. */
export function powershellAssignments(text: string): PsAssignment[] {
  return readPowerShell(text).assignments
}

/** Whether a command fetches something: a download command with an operand that is not an ellipsis (`irm … | iex` in a sentence). */
export function fetches(command: Pick<PsCommand, 'name' | 'args'>): boolean {
  return downloaders.has(command.name) && command.args.some((arg) => !arg.parameter && arg.text !== '…' && arg.text !== '...')
}

function pipeline(node: Node, out: PsPipeline[]) {
  const commands = node.namedChildren.filter((c): c is Node => c?.type === 'command').map(commandOf)
  if (commands.length > 0) out.push({start: node.startIndex, end: node.endIndex, commands})
}

function assignment(node: Node, out: PsAssignment[]) {
  const left = node.namedChildren.find((c) => c?.type === 'left_assignment_expression')
  const operator = node.namedChildren.find((c) => c?.type === 'assignement_operator')
  const value = node.childForFieldName('value')
  const name = left ? variableName(left.text) : undefined
  if (!name || !value || operator?.text !== '=') return
  out.push(valued({name, start: node.startIndex, end: node.endIndex}, value))
}

/**
 * `[Environment]::SetEnvironmentVariable('NAME', value, 'User')` (also `[System.Environment]`):
 * an assignment of `value` to NAME, which the process and, with a scope, every later session see.
 */
function setEnvironmentVariable(node: Node, out: PsAssignment[]) {
  if (typeOf(node) !== 'environment' || memberOf(node) !== 'setenvironmentvariable') return
  const list = node.namedChildren.find((c) => c?.type === 'argument_list')?.childForFieldName('argument_expression_list')
  const [key, value] = list?.namedChildren.filter((c): c is Node => c?.type === 'argument_expression') ?? []
  const name = key && stringValue(key.text)
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !value) return
  out.push(valued({name, start: node.startIndex, end: node.endIndex}, value))
}

/** Windows' `setx NAME value` (`/M` for every user): an assignment of `value` to NAME for every later session. */
function setx(node: Node, out: PsAssignment[]) {
  const command = node.childForFieldName('command_name')?.text.toLowerCase()
  if (command !== 'setx' && command !== 'setx.exe') return
  const operands = node.childForFieldName('command_elements')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'command_argument_sep' && c.type !== 'command_parameter') ?? []
  // `setx NAME value` (then `/M`); not `setx /S host …` or `setx /F file …`, which start with a switch.
  const [key, value] = operands
  const name = key && (stringValue(key.text) ?? key.text)
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !value) return
  const found = valued({name, start: node.startIndex, end: node.endIndex}, value)
  // A bare word is a string in argument mode.
  if (value.type === 'generic_token' && !/[$`(]/.test(value.text)) found.literal = {value: value.text, start: value.startIndex, end: value.endIndex}
  out.push(found)
}

/** An assignment with what its value node holds: a generator, a variable, a download, a string written out. */
function valued(found: PsAssignment, value: Node): PsAssignment {
  const generator = generatorOf(value)
  if (generator) found.generator = generator
  const ref = variableName(value.text)
  if (ref) found.ref = ref
  if (downloadsIn(value)) found.downloads = true
  const literal = stringValue(value.text)
  if (literal !== undefined) found.literal = {value: literal, start: value.startIndex + 1, end: value.endIndex - 1}
  return found
}

/**
 * The text of a string with nothing expanded in it: verbatim (`'…'`, no `''` escape) or
 * expandable without `$` or a backtick escape. Undefined for anything else.
 */
function stringValue(text: string): string | undefined {
  return /^'[^']*'$|^"[^"$`]*"$/.test(text) ? text.slice(1, -1) : undefined
}

/** The type an invocation is made on, lower-cased, without `[`, `]` and `System.` (`convert`, `environment`). */
function typeOf(node: Node): string | undefined {
  return node.namedChildren.find((c) => c?.type === 'type_literal')?.text.toLowerCase().replace(/^\[(system\.)?|\]$/g, '')
}

/** `node` and every named node below it, depth first, in source order. */
function* descendants(node: Node): Generator<Node> {
  const stack = [node]
  while (stack.length > 0) {
    const next = stack.pop()!
    yield next
    const children = next.namedChildren
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]
      if (child) stack.push(child)
    }
  }
}

/** A command's name, lower-cased (`&` for an invoked expression), and its arguments. */
function invocation(node: Node): {name: string; nameNode: Node | null; args: PsArgument[]} {
  const nameNode = node.childForFieldName('command_name')
  const invoked = node.namedChildren.some((c) => c?.type === 'command_invokation_operator')
  const name = invoked && nameNode?.type === 'command_name_expr' ? '&' : (nameNode?.text ?? '').toLowerCase()
  const args: PsArgument[] = []
  for (const child of node.childForFieldName('command_elements')?.namedChildren ?? []) {
    if (!child || child.type === 'command_argument_sep') continue
    args.push({text: child.text, parameter: child.type === 'command_parameter', start: child.startIndex, end: child.endIndex})
  }
  return {name, nameNode, args}
}

function commandOf(node: Node): PsCommand {
  const {name, nameNode, args} = invocation(node)
  const runsText = runners.has(name) || (name === '&' && nameNode !== null && createsScriptBlock(nameNode))
  // Only a command that runs text needs to know what downloads inside it.
  return {name, start: node.startIndex, end: node.endIndex, args, runsText, downloadsInside: runsText && downloadsIn(node)}
}

/** `[scriptblock]::Create(…)` in an invoked expression. */
function createsScriptBlock(node: Node): boolean {
  for (const next of descendants(node)) {
    if (next.type !== 'invokation_expression') continue
    const type = next.namedChildren.find((c) => c?.type === 'type_literal')?.text.toLowerCase()
    if (type === '[scriptblock]' && memberOf(next) === 'create') return true
  }
  return false
}

/** A download below a command: a command that fetches, or a `.DownloadString(…)` call. */
function downloadsIn(command: Node): boolean {
  for (const next of descendants(command)) {
    if (next.id === command.id) continue
    if (next.type === 'command') {
      const {name, args} = invocation(next)
      if (fetches({name, args})) return true
    }
    if (next.type === 'invokation_expression' && memberOf(next) === 'downloadstring') return true
  }
  return false
}

function memberOf(node: Node): string | undefined {
  return node.namedChildren.find((c) => c?.type === 'member_name')?.text.toLowerCase()
}

/**
 * What a PowerShell expression prints when it makes a secret: the base64 or hex of `bytes` bytes
 * from .NET's cryptographic generator
 * (`[Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))`,
 * `[Convert]::ToHexString(…)`), or `weak`: anything built on `Get-Random`, which draws from
 * `System.Random`, seeded with 32 bits, whatever it is dressed in.
 */
export interface PsGenerator {
  kind: 'base64' | 'hex' | 'weak'
  bytes?: number
  start: number
  end: number
}

export interface PsAssignment {
  /** The variable, without `$` and `env:` (`ENCRYPTION_KEY` for `$env:ENCRYPTION_KEY`). */
  name: string
  start: number
  end: number
  generator?: PsGenerator
  /** The variable the value is, when it is one (`$env:ENCRYPTION_KEY = $key`). */
  ref?: string
  /** The value, when it is a string written out (`'changeme'`, `"changeme"`): inside its quotes. */
  literal?: {value: string; start: number; end: number}
  /** A download runs in the value (`$script = irm https://…`), as `PsCommand.downloadsInside`. */
  downloads?: true
}

/** `$env:NAME`, `${env:NAME}`, `$NAME`: the name; undefined for anything else. */
export function variableName(text: string): string | undefined {
  const match = /^\$(?:\{(?:env:)?([A-Za-z_]\w*)\}|(?:env:)?([A-Za-z_]\w*))$/i.exec(text.trim())
  return match ? (match[1] ?? match[2]) : undefined
}

function generatorOf(value: Node): PsGenerator | undefined {
  let encoding: 'base64' | 'hex' | undefined
  let bytes: number | undefined
  for (const node of descendants(value)) {
    if (node.type === 'command' && invocation(node).name === 'get-random') return {kind: 'weak', start: value.startIndex, end: value.endIndex}
    if (node.type !== 'invokation_expression') continue
    const type = typeOf(node)
    const member = memberOf(node)
    if (type === 'convert' && member === 'tobase64string') encoding ??= 'base64'
    if (type === 'convert' && member === 'tohexstring') encoding ??= 'hex'
    if (type === 'security.cryptography.randomnumbergenerator' && member === 'getbytes') {
      const count = node.namedChildren.find((c) => c?.type === 'argument_list')?.text.replace(/^\(|\)$/g, '').trim()
      if (count && /^\d+$/.test(count)) bytes = Number(count)
    }
  }
  return encoding && bytes !== undefined ? {kind: encoding, bytes, start: value.startIndex, end: value.endIndex} : undefined
}

/** What .NET prints for `bytes` random bytes: unwrapped, padded base64, or upper-case hex; no newline. */
export function dotnetOutput(kind: 'base64' | 'hex', bytes: number): GeneratorOutput {
  return kind === 'base64'
    ? {chars: 4 * Math.ceil(bytes / 3), trailingNewline: false, multiline: false, alphabet: 'base64', bits: 8 * bytes, randomBytes: bytes, newlines: 0, padding: (3 - (bytes % 3)) % 3}
    : {chars: 2 * bytes, trailingNewline: false, multiline: false, alphabet: 'hex', bits: 8 * bytes, randomBytes: bytes}
}
