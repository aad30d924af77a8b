/**
 * PowerShell commands through tree-sitter-powershell (WebAssembly, error tolerant, on the runtime
 * the shell grammar runs on), converted into a small model: every pipeline with its commands, each
 * command with its name, its arguments and what runs inside them. unpinned-install reads it for
 * installers run as they download (`irm https://get.scoop.sh | iex`,
 * `iex ((New-Object Net.WebClient).DownloadString('…'))`), in `powershell`, `ps1` and `pwsh` blocks
 * and in `powershell -c "…"` written in a shell block.
 *
 * The grammar (1 MB) loads the first time a PowerShell command is read.
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {grammarParser} from '../shell/parse.js'

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

const parsed = new Memo<PsPipeline[]>(256 * 1024)

/** Every pipeline of a PowerShell text, nested ones included, in source order. Read-only. */
export function parsePowerShell(text: string): PsPipeline[] {
  return parsed.get(text, () => {
    const tree = powershellParser().parse(text)
    if (!tree) return []
    try {
      const pipelines: PsPipeline[] = []
      collect(tree.rootNode, pipelines)
      return pipelines.sort((a, b) => a.start - b.start)
    } finally {
      tree.delete()
    }
  })
}

/** Whether a command fetches something: a download command with an operand that is not an ellipsis (`irm … | iex` in a sentence). */
export function fetches(command: Pick<PsCommand, 'name' | 'args'>): boolean {
  return downloaders.has(command.name) && command.args.some((arg) => !arg.parameter && arg.text !== '…' && arg.text !== '...')
}

function collect(root: Node, out: PsPipeline[]) {
  // Iterative: PowerShell's expressions nest a dozen nodes deep per level.
  for (const node of descendants(root)) {
    if (node.type !== 'pipeline_chain') continue
    const commands = node.namedChildren.filter((c): c is Node => c?.type === 'command').map(commandOf)
    if (commands.length > 0) out.push({start: node.startIndex, end: node.endIndex, commands})
  }
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
