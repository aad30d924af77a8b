/**
 * HCL blocks (`hcl`, `terraform`, `tf`: Terraform, Nomad, Consul), parsed by tree-sitter-hcl on
 * the runtime the shell grammar already runs on, into a small tree of our own: blocks with their
 * type and labels, attributes with their string values and where those are written. The grammar
 * (90 KB of WebAssembly) is loaded the first time a document has an HCL block.
 *
 * A sketch with a placeholder (`port = <port>`) still gives the attributes around it: tree-sitter
 * recovers from the error, but may fold the next line into it (`port = <port>⏎path = "/x"` comes
 * out as one attribute), so the line of each error is blanked and the text parsed again
 * (./sketch.ts), as TOML's are.
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {grammarParser} from '../shell/parse.js'
import {blankLineAt, mayParseAgain, maxBlankedLines} from './sketch.js'

export interface HclString {
  /** The text between the quotes. */
  raw: string
  /** Its range in the parsed text. */
  inner: [number, number]
  /** The value, when it is the text as written: undefined with an interpolation (`${…}`, `%{…}`) or an escape. */
  value?: string
}

export interface HclAttribute {
  /** `image` in `image = "…"`; an object's key (`{A = "b"}`). */
  name: string
  /** A string value. */
  value?: HclString
  /** The strings of a tuple value (`["A=b", "c"]`). */
  items: HclString[]
  /** An object value's members (`{A = "b"}`). */
  object?: HclAttribute[]
  /** A boolean value (`env = true`). */
  flag?: boolean
  /** A heredoc value's body (`<<EOF` … `EOF`), from the line after its opening to the line of its closing identifier. */
  heredoc?: [number, number]
  /** A whole number (`length = 44`), and where it is written. */
  number?: {value: number; inner: [number, number]}
  /**
   * A reference written as names alone (`random_password.key.result`: `['random_password', 'key',
   * 'result']`), or as the one interpolation of a string (`"${random_id.jwt.hex}"`), and where
   * its names are written; not one with an index (`x[0].result`) or a call.
   */
  reference?: {names: string[]; inner: [number, number]}
}

export interface HclBlock {
  /** `job`, `resource`, `env`…; empty for the file itself. */
  type: string
  labels: string[]
  /** Where each label is written (inside its quotes). */
  labelsAt: Array<[number, number]>
  attributes: HclAttribute[]
  blocks: HclBlock[]
}

const hclParser = grammarParser((host) => host.hclWasm())

const parsed = new Memo<HclBlock>(1024 * 1024)

/** An HCL text as blocks and attributes (read-only: shared by every reader of the same text). */
export function parseHcl(text: string): HclBlock {
  return parsed.get(text, () => {
    let source = text
    let tree = hclParser().parse(source)
    let cost = text.length
    for (let attempt = 0; tree && tree.rootNode.hasError && attempt < maxBlankedLines && mayParseAgain(cost, text.length); attempt++) {
      const at = firstError(tree.rootNode)
      const blanked = at === undefined ? undefined : blankLineAt(source, at)
      if (blanked === undefined) break
      source = blanked
      tree.delete()
      tree = hclParser().parse(source)
      cost += source.length
    }
    const file: HclBlock = {type: '', labels: [], labelsAt: [], attributes: [], blocks: []}
    if (!tree) return file
    try {
      const body = tree.rootNode.namedChildren.find((child) => child?.type === 'body')
      if (body) readBody(body, file, source)
    } finally {
      tree.delete()
    }
    return file
  })
}

/**
 * Where the first syntax error of a tree is: an `ERROR` node. A missing token (a block cut short,
 * its `}` never written) is left to tree-sitter, which reads the text as if it were there.
 */
function firstError(node: Node): number | undefined {
  if (node.isError) return node.startIndex
  for (const child of node.children) {
    if (!child?.hasError) continue
    const at = firstError(child)
    if (at !== undefined) return at
  }
  return undefined
}

/** A body's attributes and blocks; `source` is the parsed text (for a heredoc's lines). */
function readBody(body: Node, into: HclBlock, source: string) {
  for (const child of body.namedChildren) {
    if (!child) continue
    const type = child.type
    if (type === 'attribute') {
      const [name, expression] = child.namedChildren
      if (name?.type === 'identifier' && expression) into.attributes.push(attribute(name.text, expression, source))
    } else if (type === 'block') {
      const block: HclBlock = {type: '', labels: [], labelsAt: [], attributes: [], blocks: []}
      for (const part of child.namedChildren) {
        if (!part) continue
        const kind = part.type
        if (kind === 'identifier' && block.type === '') block.type = part.text
        else if (kind === 'string_lit') {
          const label = stringOf(part)
          block.labels.push(label?.raw ?? '')
          block.labelsAt.push(label?.inner ?? [part.startIndex, part.endIndex])
        } else if (kind === 'identifier') {
          block.labels.push(part.text)
          block.labelsAt.push([part.startIndex, part.endIndex])
        }
        else if (kind === 'body') readBody(part, block, source)
      }
      into.blocks.push(block)
    }
  }
}

function attribute(name: string, expression: Node, source: string): HclAttribute {
  const out: HclAttribute = {name, items: []}
  const value = unwrap(expression)
  if (!value) return out
  const string = stringOf(value)
  const reference = referenceOf(string && value.type === 'quoted_template' ? interpolated(value) : value)
  if (reference) out.reference = reference
  if (string) {
    out.value = string
  } else if (value.type === 'numeric_lit') {
    if (/^\d+$/.test(value.text)) out.number = {value: Number(value.text), inner: [value.startIndex, value.endIndex]}
  } else if (value.type === 'bool_lit') {
    out.flag = value.text === 'true'
  } else if (value.type === 'heredoc_template') {
    const marks = value.namedChildren.filter((part) => part?.type === 'heredoc_identifier')
    if (marks.length === 2) {
      const start = source.indexOf('\n', marks[0]!.endIndex) + 1
      const end = source.lastIndexOf('\n', marks[1]!.startIndex) + 1
      if (start > 0 && end >= start) out.heredoc = [start, end]
    }
  } else if (value.type === 'tuple') {
    for (const item of value.namedChildren) {
      const inner = item && unwrap(item)
      const text = inner && stringOf(inner)
      if (text) out.items.push(text)
    }
  } else if (value.type === 'object') {
    out.object = []
    for (const element of value.namedChildren) {
      if (element?.type !== 'object_elem') continue
      const [key, member] = element.namedChildren
      const keyNode = key && unwrap(key)
      const keyName = keyNode?.type === 'variable_expr' ? keyNode.text : keyNode ? stringOf(keyNode)?.value : undefined
      if (keyName !== undefined && member) out.object.push(attribute(keyName, member, source))
    }
  }
  return out
}

/** The names of a reference: a variable and the attributes read from it, nothing else. */
function referenceOf(node: Node | undefined): HclAttribute['reference'] {
  if (node?.type !== 'expression') return undefined
  const names: string[] = []
  for (const part of node.namedChildren) {
    const name = part?.namedChild(0)
    const first = names.length === 0
    if (!part || part.type !== (first ? 'variable_expr' : 'get_attr') || part.namedChildCount !== 1 || name?.type !== 'identifier') return undefined
    names.push(name.text)
  }
  return names.length > 1 ? {names, inner: [node.startIndex, node.endIndex]} : undefined
}

/** The expression of a string that is one interpolation and nothing else (`"${random_id.jwt.hex}"`). */
function interpolated(template: Node): Node | undefined {
  const parts = template.namedChildren.filter((part) => part?.type !== 'quoted_template_start' && part?.type !== 'quoted_template_end')
  const only = parts.length === 1 && parts[0]?.type === 'template_interpolation' ? parts[0] : undefined
  const inner = only?.namedChildren.filter((part) => part?.type === 'expression')
  // `${~ x ~}` strips white space around it: the same value, but not worth the case.
  return inner?.length === 1 && only!.namedChildCount === 3 ? inner[0]! : undefined
}

/** The node an expression stands for: a string, tuple, object or variable (through `expression`, `literal_value`, `collection_value`, `template_expr`). */
function unwrap(node: Node): Node | undefined {
  let at: Node | null = node
  while (at && (at.type === 'expression' || at.type === 'literal_value' || at.type === 'collection_value' || at.type === 'template_expr')) {
    if (at.namedChildCount !== 1) return at
    at = at.namedChild(0)
  }
  return at ?? undefined
}

/** A quoted string (`string_lit`, or `quoted_template` with interpolations); not a heredoc. */
function stringOf(node: Node): HclString | undefined {
  const type = node.type
  if (type !== 'string_lit' && type !== 'quoted_template') return undefined
  // A string left open (tree-sitter's recovery): no range to trust.
  const text = node.text
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return undefined
  const start = node.startIndex + 1
  const end = node.endIndex - 1
  if (end < start) return undefined
  const raw = text.slice(1, -1)
  const literal = node.namedChildren.every((part) => part?.type === 'quoted_template_start' || part?.type === 'quoted_template_end' || part?.type === 'template_literal')
  const out: HclString = {raw, inner: [start, end]}
  if (literal && !raw.includes('\\')) out.value = raw
  return out
}
