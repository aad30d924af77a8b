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

/**
 * What the walk of one text finds that a later line reads: byte arrays made (`$bytes = New-Object
 * byte[] 32`), cryptographic generators kept in variables (`$rng =
 * [Security.Cryptography.RandomNumberGenerator]::Create()`), arrays filled from one
 * (`$rng.GetBytes($bytes)`), and values that encode an array (`[Convert]::ToBase64String($bytes)`).
 * Variables by lower-cased name (PowerShell's are case-insensitive), each with where it is written.
 * An array filled by `System.Random` (`(New-Object System.Random).NextBytes($bytes)`) is weak.
 */
interface ByteFlow {
  /** Every assignment to a variable, with the byte array it makes (none: it holds something else). */
  arrays: Array<{name: string; at: number; array?: ByteArray}>
  /** Variables that hold a generator: cryptographic, or `weak` (`System.Random`). */
  generators: Map<string, 'crypto' | 'weak'>
  fills: Array<{name: string; at: number; weak: boolean}>
  encoded: Map<PsAssignment, {kind: 'base64' | 'hex'; name: string; start: number; end: number}>
}

/** A byte array made with a size: the expression, and where its size is written. */
interface ByteArray {
  bytes: number
  start: number
  end: number
  count: {start: number; end: number}
}

const parsed = new Memo<PsScript>(256 * 1024)

/** A PowerShell text parsed once, for its pipelines and its assignments both. */
function readPowerShell(text: string): PsScript {
  return parsed.get(text, () => {
    const script: PsScript = {pipelines: [], assignments: []}
    // A session's prompts and output become spaces: every offset stays where it was.
    const tree = powershellParser().parse(maskPowerShellSession(text))
    if (!tree) return script
    const flow: ByteFlow = {arrays: [], generators: new Map(), fills: [], encoded: new Map()}
    try {
      // Iterative: PowerShell's expressions nest a dozen nodes deep per level.
      for (const node of descendants(tree.rootNode)) {
        if (node.type === 'pipeline_chain') pipeline(node, script.pipelines)
        else if (node.type === 'assignment_expression') assignment(node, script.assignments, flow)
        else if (node.type === 'invokation_expression') {
          setEnvironmentVariable(node, script.assignments, flow)
          filled(node, flow)
        } else if (node.type === 'command') setx(node, script.assignments, flow)
      }
      encodedArrays(flow)
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

function assignment(node: Node, out: PsAssignment[], flow: ByteFlow) {
  const left = node.namedChildren.find((c) => c?.type === 'left_assignment_expression')
  const operator = node.namedChildren.find((c) => c?.type === 'assignement_operator')
  const value = node.childForFieldName('value')
  const name = left ? variableName(left.text) : undefined
  if (!name || !value || operator?.text !== '=') return
  out.push(valued({name, start: node.startIndex, end: node.endIndex}, value, flow))
  const variable = name.toLowerCase()
  flow.arrays.push({name: variable, at: node.startIndex, array: byteArray(value)})
  const generator = makesGenerator(value, flow)
  if (generator) flow.generators.set(variable, generator)
  else flow.generators.delete(variable)
}

/**
 * `[Environment]::SetEnvironmentVariable('NAME', value, 'User')` (also `[System.Environment]`):
 * an assignment of `value` to NAME, which the process and, with a scope, every later session see.
 */
function setEnvironmentVariable(node: Node, out: PsAssignment[], flow: ByteFlow) {
  if (typeOf(node) !== 'environment' || memberOf(node) !== 'setenvironmentvariable') return
  const list = node.namedChildren.find((c) => c?.type === 'argument_list')?.childForFieldName('argument_expression_list')
  const [key, value] = list?.namedChildren.filter((c): c is Node => c?.type === 'argument_expression') ?? []
  const name = key && stringValue(key.text)
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !value) return
  out.push(valued({name, start: node.startIndex, end: node.endIndex}, value, flow))
}

/** Windows' `setx NAME value` (`/M` for every user): an assignment of `value` to NAME for every later session. */
function setx(node: Node, out: PsAssignment[], flow: ByteFlow) {
  const command = node.childForFieldName('command_name')?.text.toLowerCase()
  if (command !== 'setx' && command !== 'setx.exe') return
  const operands = node.childForFieldName('command_elements')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'command_argument_sep' && c.type !== 'command_parameter') ?? []
  // `setx NAME value` (then `/M`); not `setx /S host …` or `setx /F file …`, which start with a switch.
  const [key, value] = operands
  const name = key && (stringValue(key.text) ?? key.text)
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !value) return
  const found = valued({name, start: node.startIndex, end: node.endIndex}, value, flow)
  // A bare word is a string in argument mode.
  if (value.type === 'generic_token' && !/[$`(]/.test(value.text)) found.literal = {value: value.text, start: value.startIndex, end: value.endIndex}
  out.push(found)
}

/**
 * An assignment with what its value node holds: a generator, a variable, a download, a string
 * written out; a byte array it encodes is read once the text is (`encodedArrays`).
 */
function valued(found: PsAssignment, value: Node, flow: ByteFlow): PsAssignment {
  const generator = generatorOf(value)
  if (generator) found.generator = generator
  const encoded = generator ? undefined : encodedArray(value)
  if (encoded) flow.encoded.set(found, encoded)
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
  kind: 'base64' | 'hex' | 'weak' | 'guid'
  bytes?: number
  /** A GUID's format: `D` (`New-Guid`, `[guid]::NewGuid()`, 36 characters) or `N` (`.ToString('N')`, 32 hex digits). */
  format?: 'D' | 'N'
  /**
   * Where the number of random bytes is written when the range is not the expression that prints
   * them: an array's size (`32` of `New-Object byte[] 32`), the range being the array made, which
   * a fix resizes; `shown` is then the expression that prints the value
   * (`[Convert]::ToBase64String($bytes)`).
   */
  count?: {start: number; end: number}
  shown?: {start: number; end: number}
  /** Why a `weak` one is (`Get-Random` when not given). */
  reason?: string
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
  const guid = guidFormat(value)
  if (guid) return {kind: 'guid', format: guid, start: value.startIndex, end: value.endIndex}
  for (const node of descendants(value)) {
    if (node.type === 'command' && invocation(node).name === 'get-random') return {kind: 'weak', start: value.startIndex, end: value.endIndex}
  }
  // The value is the encoding itself, of the bytes drawn: what is done to it after
  // (`.Substring(0, 32)`, `-replace '=', ''`, `.TrimEnd('=')`) prints something else, not read.
  const encoded = unwrap(value)
  if (encoded.type !== 'invokation_expression' || typeOf(encoded) !== 'convert') return undefined
  const member = memberOf(encoded)
  const encoding = member === 'tobase64string' ? 'base64' : member === 'tohexstring' ? 'hex' : undefined
  const [drawn, ...rest] = argumentsOf(encoded)
  if (!encoding || !drawn || rest.length > 0) return undefined
  if (drawn.type !== 'invokation_expression' || typeOf(drawn) !== 'security.cryptography.randomnumbergenerator' || memberOf(drawn) !== 'getbytes') return undefined
  const [count, ...more] = argumentsOf(drawn)
  if (count?.type !== 'decimal_integer_literal' || more.length > 0) return undefined
  return {kind: encoding, bytes: Number(count.text), start: value.startIndex, end: value.endIndex}
}

/**
 * Expressions wrapped in what adds nothing to them (parentheses, a pipeline of one, the grammar's
 * levels of precedence): the expression. A command, a call, a member or a variable is one.
 */
function unwrap(node: Node): Node {
  let at = node
  while (!expressions.has(at.type)) {
    const children = at.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment')
    if (children.length !== 1) return at
    const [child] = children
    // `-join (…)`, `!$x`: an operator around the one child.
    if (at.type !== 'parenthesized_expression' && child.text.trim() !== at.text.trim()) return at
    at = child
  }
  return at
}
const expressions: ReadonlySet<string> = new Set(['command', 'invokation_expression', 'member_access', 'variable', 'decimal_integer_literal'])

/** The arguments of a call (`(a, b)`), unwrapped. */
function argumentsOf(node: Node): Node[] {
  const list = node.namedChildren.find((c) => c?.type === 'argument_list')?.childForFieldName('argument_expression_list')
  return list?.namedChildren.filter((c): c is Node => c?.type === 'argument_expression').map(unwrap) ?? []
}

/** What a call or a member is read on (`$rng` of `$rng.GetBytes(…)`), unwrapped. */
function receiverOf(node: Node): Node | undefined {
  const receiver = node.namedChildren.find((c) => c !== null && c.type !== 'member_name' && c.type !== 'argument_list' && c.type !== 'type_literal')
  return receiver ? unwrap(receiver) : undefined
}

/** `byte[]`, `System.Byte[]`, `'byte[]'`: a type's name, lower-cased, without quotes and `System.`. */
function typeName(text: string): string {
  const name = (stringValue(text) ?? text).toLowerCase()
  return (name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name).replace(/^system\./, '')
}

/** The positional arguments of `New-Object`, and those of `-TypeName` and `-ArgumentList`. */
function newObject(node: Node): {type?: Node; args: Node[]} | undefined {
  if (node.type !== 'command' || invocation(node).name !== 'new-object') return undefined
  const elements = node.childForFieldName('command_elements')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'command_argument_sep') ?? []
  let type: Node | undefined
  const args: Node[] = []
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]
    const parameter = element.type === 'command_parameter' ? element.text.toLowerCase() : undefined
    if (parameter === '-typename') type = elements[++i]
    else if (parameter === '-argumentlist') args.push(...(elements[++i] ? [elements[i]] : []))
    else if (parameter !== undefined) return undefined
    else if (type === undefined) type = element
    else args.push(element)
  }
  return {type, args: args.map(unwrap)}
}

/** A byte array made with a size: `New-Object byte[] 32` (`-TypeName`, `-ArgumentList`), `[byte[]]::new(32)`. */
function byteArray(value: Node): ByteArray | undefined {
  const node = unwrap(value)
  const made = newObject(node)
  const size = made
    ? made.type && typeName(made.type.text) === 'byte[]' && made.args.length === 1 ? made.args[0] : undefined
    : node.type === 'invokation_expression' && typeOf(node) === 'byte[]' && memberOf(node) === 'new' ? argumentsOf(node).at(0) : undefined
  if (!size || size.type !== 'decimal_integer_literal') return undefined
  return {bytes: Number(size.text), start: node.startIndex, end: node.endIndex, count: {start: size.startIndex, end: size.endIndex}}
}

/** .NET's generators, as `typeOf` names them: cryptographic, or `System.Random` (`weak`). */
const generatorTypes: ReadonlyMap<string, 'crypto' | 'weak'> = new Map([
  ['security.cryptography.randomnumbergenerator', 'crypto'], ['security.cryptography.rngcryptoserviceprovider', 'crypto'], ['random', 'weak']
])

/**
 * A generator: `[Security.Cryptography.RandomNumberGenerator]::Create()`,
 * `[System.Security.Cryptography.RNGCryptoServiceProvider]::new()`, `New-Object
 * System.Security.Cryptography.RNGCryptoServiceProvider`; or `System.Random` (`New-Object
 * System.Random`, `[Random]::new()`, seeded or not), `weak`; or a variable set to one.
 */
function makesGenerator(value: Node, flow: ByteFlow): 'crypto' | 'weak' | undefined {
  const node = unwrap(value)
  if (node.type === 'variable') return flow.generators.get(variableName(node.text)?.toLowerCase() ?? '')
  if (node.type === 'invokation_expression') {
    const member = memberOf(node)
    const kind = generatorTypes.get(typeOf(node) ?? '')
    if (kind === 'weak') return member === 'new' ? kind : undefined
    return kind && (member === 'new' || member === 'create') && argumentsOf(node).length === 0 ? kind : undefined
  }
  const made = newObject(node)
  const type = made?.type === undefined ? undefined : typeName(made.type.text)
  if (type === 'random') return 'weak'
  return type === 'security.cryptography.rngcryptoserviceprovider' && made?.args.length === 0 ? 'crypto' : undefined
}

/**
 * `$rng.GetBytes($bytes)` on a cryptographic generator, `[…RandomNumberGenerator]::Fill($bytes)`,
 * or `System.Random`'s `.NextBytes($bytes)` (weak): the array filled.
 */
function filled(node: Node, flow: ByteFlow) {
  const member = memberOf(node)
  const args = argumentsOf(node)
  if (args.length !== 1 || args[0].type !== 'variable') return
  const receiver = receiverOf(node)
  const generator = receiver && (member === 'getbytes' || member === 'nextbytes') ? makesGenerator(receiver, flow) : undefined
  const fills = member === 'getbytes' ? generator === 'crypto'
    : member === 'nextbytes' ? generator === 'weak'
    : member === 'fill' && typeOf(node) === 'security.cryptography.randomnumbergenerator'
  const name = variableName(args[0].text)
  if (fills && name) flow.fills.push({name: name.toLowerCase(), at: node.startIndex, weak: member === 'nextbytes'})
}

/** `[Convert]::ToBase64String($bytes)` (`ToHexString`): the encoding and the array's variable. */
function encodedArray(value: Node): {kind: 'base64' | 'hex'; name: string; start: number; end: number} | undefined {
  const node = unwrap(value)
  if (node.type !== 'invokation_expression' || typeOf(node) !== 'convert') return undefined
  const member = memberOf(node)
  const kind = member === 'tobase64string' ? 'base64' : member === 'tohexstring' ? 'hex' : undefined
  const args = argumentsOf(node)
  const name = args.length === 1 && args[0].type === 'variable' ? variableName(args[0].text) : undefined
  return kind && name ? {kind, name: name.toLowerCase(), start: node.startIndex, end: node.endIndex} : undefined
}

/**
 * The values that encode a byte array filled from a cryptographic generator: the array made last
 * before the value, filled after it was made and before the value was read, gives the bytes.
 */
function encodedArrays(flow: ByteFlow) {
  for (const [assignment, encoded] of flow.encoded) {
    const made = flow.arrays.filter((a) => a.name === encoded.name && a.at < encoded.start).at(-1)
    const array = made?.array
    const fill = array && flow.fills.filter((f) => f.name === encoded.name && f.at > made.at && f.at < encoded.start).at(-1)
    if (!array || !fill) continue
    // `System.Random`'s bytes are as weak as `Get-Random`'s, however many: the value is the fix's.
    assignment.generator = fill.weak
      ? {kind: 'weak', reason: 'System.Random is seeded with 32 bits', start: encoded.start, end: encoded.end}
      : {kind: encoded.kind, bytes: array.bytes, start: array.start, end: array.end, count: array.count, shown: {start: encoded.start, end: encoded.end}}
  }
}

/**
 * A GUID as text: `New-Guid` and `[guid]::NewGuid()` (`[System.Guid]`), made a string as they
 * are assigned, `(New-Guid).Guid`, and `.ToString()` of one: `D`, 36 characters; `.ToString('N')`:
 * `N`, 32 hex digits. Any other format, or anything done to it, is not read.
 */
function guidFormat(value: Node): 'D' | 'N' | undefined {
  const node = unwrap(value)
  if (node.type === 'command') return invocation(node).name === 'new-guid' && invocation(node).args.length === 0 ? 'D' : undefined
  const member = memberOf(node)
  const receiver = receiverOf(node)
  if (node.type === 'member_access') return member === 'guid' && receiver && guidObject(receiver) ? 'D' : undefined
  if (node.type !== 'invokation_expression') return undefined
  const args = argumentsOf(node)
  if (typeOf(node) === 'guid' && member === 'newguid') return args.length === 0 ? 'D' : undefined
  if (member !== 'tostring' || !receiver || !guidObject(receiver)) return undefined
  if (args.length === 0) return 'D'
  const format = args.length === 1 ? stringValue(args[0].text) : undefined
  return format === 'N' || format === 'n' ? 'N' : format === 'D' || format === 'd' ? 'D' : undefined
}

/** A `Guid` object (not its text): `New-Guid`, `[guid]::NewGuid()`. */
function guidObject(node: Node): boolean {
  if (node.type === 'command') return invocation(node).name === 'new-guid' && invocation(node).args.length === 0
  return node.type === 'invokation_expression' && typeOf(node) === 'guid' && memberOf(node) === 'newguid' && argumentsOf(node).length === 0
}

/**
 * A PowerShell generator (`[Convert]::ToBase64String([…RandomNumberGenerator]::GetBytes(32))`,
 * or a byte array made for one, `New-Object byte[] 32`, whose size is written at `count` in
 * `gen`'s snippet) drawing `bytes` bytes instead; `expression` is the text of `gen`'s range.
 */
export function withByteCount(gen: {start: number; count?: {start: number; end: number}}, expression: string, bytes: number | undefined): string | undefined {
  if (bytes !== undefined && gen.count) return expression.slice(0, gen.count.start - gen.start) + bytes + expression.slice(gen.count.end - gen.start)
  const written = /(getbytes\s*\(\s*)\d+/i.exec(expression)
  if (bytes === undefined || !written) return undefined
  const at = written.index + written[1].length
  return expression.slice(0, at) + bytes + expression.slice(at).replace(/^\d+/, '')
}

/** What .NET prints for `bytes` random bytes: unwrapped, padded base64, or upper-case hex; no newline. */
export function dotnetOutput(kind: 'base64' | 'hex', bytes: number): GeneratorOutput {
  return kind === 'base64'
    ? {chars: 4 * Math.ceil(bytes / 3), trailingNewline: false, multiline: false, alphabet: 'base64', bits: 8 * bytes, randomBytes: bytes, newlines: 0, padding: (3 - (bytes % 3)) % 3}
    : {chars: 2 * bytes, trailingNewline: false, multiline: false, alphabet: 'hex', bits: 8 * bytes, randomBytes: bytes}
}
