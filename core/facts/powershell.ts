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
export function fetches(command: PsCommand): boolean {
  return downloaders.has(command.name) && command.args.some((arg) => !arg.parameter && arg.text !== '…' && arg.text !== '...')
}

function collect(node: Node, out: PsPipeline[]) {
  if (node.type === 'pipeline_chain') {
    const commands = node.namedChildren.filter((c): c is Node => c?.type === 'command').map(commandOf)
    if (commands.length > 0) out.push({start: node.startIndex, end: node.endIndex, commands})
  }
  for (const child of node.namedChildren) if (child) collect(child, out)
}

function commandOf(node: Node): PsCommand {
  const nameNode = node.childForFieldName('command_name')
  const invoked = node.namedChildren.some((c) => c?.type === 'command_invokation_operator')
  const name = invoked && nameNode?.type === 'command_name_expr' ? '&' : (nameNode?.text ?? '').toLowerCase()
  const elements = node.childForFieldName('command_elements')
  const args: PsArgument[] = []
  for (const child of elements?.namedChildren ?? []) {
    if (!child || child.type === 'command_argument_sep') continue
    args.push({text: child.text, parameter: child.type === 'command_parameter', start: child.startIndex, end: child.endIndex})
  }
  const scriptBlock = name === '&' && nameNode !== null && createsScriptBlock(nameNode)
  return {name, start: node.startIndex, end: node.endIndex, args, runsText: runners.has(name) || scriptBlock, downloadsInside: downloadsIn(node)}
}

/** `[scriptblock]::Create(…)` in an invoked expression. */
function createsScriptBlock(node: Node): boolean {
  if (node.type === 'invokation_expression') {
    const type = node.namedChildren.find((c) => c?.type === 'type_literal')?.text.toLowerCase()
    const member = node.namedChildren.find((c) => c?.type === 'member_name')?.text.toLowerCase()
    if (type === '[scriptblock]' && member === 'create') return true
  }
  return node.namedChildren.some((c) => c !== null && createsScriptBlock(c))
}

/** A download below `node`: a command that fetches, or a `.DownloadString(…)` call. */
function downloadsIn(node: Node): boolean {
  for (const child of node.namedChildren) {
    if (!child) continue
    if (child.type === 'command' && fetches(commandOf(child))) return true
    if (child.type === 'invokation_expression' && child.namedChildren.find((c) => c?.type === 'member_name')?.text.toLowerCase() === 'downloadstring') return true
    if (downloadsIn(child)) return true
  }
  return false
}
