/**
 * Go template actions as Helm charts write a value (`{{ randAlphaNum 32 | b64enc | quote }}`,
 * `{{ .Values.jwtSecret | default "changeme" }}`): one action parsed as a pipeline, and what it
 * renders when the chart's values leave it unset, for the secret rules.
 *
 * No maintained parser of Go's template syntax is published on npm (nor a tree-sitter grammar
 * with a `.wasm` that web-tree-sitter could load), so this is a small tokenizer and parser of the
 * action's syntax, after `text/template/parse`'s lexer: strings (`"…"` with Go escapes, raw
 * `` `…` ``), numbers, fields (`.Values.x`, `$.Values.x`), variables (`$x`), identifiers,
 * parentheses, a field after them (`(lookup …).data.key`) and `|`. A value written as a
 * conditional (`{{ if $existing }}…{{ else }}{{ randAlphaNum 32 }}{{ end }}`) is the branch taken
 * when the values it tests are unset, and a variable is what its one definition in the block
 * (`{{- $jwt := randAlphaNum 32 -}}`) gives. Anything else (`range`, comments, text around the
 * actions) is not a value and reads as nothing.
 */
import type {Stage} from './generators.js'

/** An operand or a function name, with its range in the text. */
export type TplNode =
  | {kind: 'string'; value: string; start: number; end: number}
  | {kind: 'number'; text: string; start: number; end: number}
  | {kind: 'field'; text: string; start: number; end: number}
  | {kind: 'variable'; text: string; start: number; end: number}
  | {kind: 'ident'; name: string; start: number; end: number}
  | {kind: 'pipeline'; pipeline: TplPipeline; start: number; end: number}
  | {kind: 'chain'; pipeline: TplPipeline; fields: string; start: number; end: number}

/** A command: a function and its arguments, or one operand. */
export interface TplCommand {
  args: TplNode[]
  start: number
  end: number
}

export interface TplPipeline {
  commands: TplCommand[]
  start: number
  end: number
  /** The branch a conditional takes when the `lookup` it tests finds nothing (`templateBranch`). */
  afterLookup?: true
}

interface Token {
  kind: 'string' | 'number' | 'field' | 'variable' | 'ident' | '(' | ')' | '|'
  text: string
  value?: string
  start: number
  end: number
}

/** Go's keywords: an action that starts with one is control flow, not a value. */
const keywords = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'])

const goEscapes: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'"}

/**
 * The one action a value is (`{{ … }}`, `{{- … -}}`, spaces around it), as its pipeline with
 * ranges offset by `base`; undefined when the value holds anything else or does not parse.
 */
export function templateAction(value: string, base = 0): TplPipeline | undefined {
  const open = /^\s*\{\{(- )?/.exec(value)
  const close = /( -)?\}\}\s*$/.exec(value)
  if (!open || !close || close.index < open[0].length) return undefined
  const pipeline = actionBody(value, open[0].length, close.index)
  return pipeline && shift(pipeline, base)
}

/** The pipeline written in `text` between `from` and `to`; undefined for control flow or errors. */
function actionBody(text: string, from: number, to: number): TplPipeline | undefined {
  const tokens = tokenize(text, from, to)
  if (!tokens || tokens.length === 0) return undefined
  if (tokens[0].kind === 'ident' && keywords.has(tokens[0].text)) return undefined
  const parser = {at: 0}
  const pipeline = parsePipeline(tokens, parser)
  return pipeline && parser.at === tokens.length ? pipeline : undefined
}

/**
 * The variables a block defines (`{{- $jwt := randAlphaNum 32 -}}`), each with its pipeline and
 * how often the block uses it; a variable defined twice or assigned again (`$jwt = …`) maps to
 * undefined, since which value a use sees depends on the control flow around it.
 */
export type TplScope = Map<string, {pipeline: TplPipeline; uses: number} | undefined>

export function templateScope(text: string): TplScope {
  const scope: TplScope = new Map()
  for (const match of text.matchAll(/\{\{-?\s*(\$[A-Za-z_][A-Za-z0-9_]*)\s*(:?=)([^\n]*?)(?: -)?\}\}/dg)) {
    const [from, to] = match.indices![3]
    const name = match[1]
    const pipeline = match[2] === ':=' && !scope.has(name) ? actionBody(text, from, to) : undefined
    const uses = [...text.matchAll(new RegExp(`\\$${name.slice(1)}(?![A-Za-z0-9_])`, 'g'))].length - 1
    scope.set(name, pipeline && {pipeline, uses})
  }
  return scope
}

/**
 * A value written as one conditional (`{{ if $existing }}{{ $existing.data.key }}{{ else }}{{
 * randAlphaNum 32 }}{{ end }}`, `{{ if not .Values.x }}…{{ end }}`): the one action of the branch
 * taken when what it tests is unset (a chart value, a `lookup` on first install), with ranges
 * offset by `base`, marked `afterLookup` after a `lookup`; undefined for anything else.
 */
export function templateBranch(value: string, base = 0, scope: TplScope = new Map()): TplPipeline | undefined {
  const actions = [...value.matchAll(/\{\{(?:- )?([^\n]*?)(?: -)?\}\}/dg)]
  // Only whitespace around and between the actions.
  let at = 0
  for (const action of actions) {
    if (value.slice(at, action.index).trim() !== '') return undefined
    at = action.index + action[0].length
  }
  if (value.slice(at).trim() !== '' || actions.length < 3) return undefined
  const words = actions.map((a) => a[1].trim())
  const test = /^if\s+(not\s+)?/.exec(words[0])
  const elseAt = words.indexOf('else')
  if (!test || words.at(-1) !== 'end' || words.slice(1, -1).some((w, i) => /^(?:if|else|end|range|with)\b/.test(w) && i + 1 !== elseAt)) return undefined
  const whenTrue = actions.slice(1, elseAt === -1 ? -1 : elseAt)
  const whenFalse = elseAt === -1 ? [] : actions.slice(elseAt + 1, -1)
  if (whenTrue.length > 1 || whenFalse.length > 1) return undefined
  const [from, to] = actions[0].indices![1]
  const lead = actions[0][1].length - actions[0][1].trimStart().length
  const condition = actionBody(value, from + lead + test[0].length, to)
  const tested = condition && evaluatePipeline(condition, {scope, visiting: new Set()})
  if (tested?.kind !== 'reference') return undefined
  // The condition is unset, so false: the `else` branch, or the first with `not`.
  const [taken] = test[1] ? whenTrue : whenFalse
  const pipeline = taken && templateAction(taken[0], taken.index + base)
  return pipeline && tested.lookup ? {...pipeline, afterLookup: true} : pipeline
}

/**
 * A chart template as its YAML parser should see it, at the same offsets: a line of actions alone
 * (`{{- $existing := lookup … -}}`, `{{- if … }}`, `{{- end }}`) blanked, and a value of several
 * actions (`key: {{ if … }}…{{ end }}`) written as one (`{{      }}`, a flow map the value's
 * readers find by its range); other text as it is.
 */
export function templateYaml(text: string): string {
  return text
    .replace(/^[ \t]*(?:\{\{[^\n]*?\}\}[ \t]*)+$/gm, (line) => ' '.repeat(line.length))
    .replace(/^([ \t]*(?:- )?[^\s#'"{\-][^:\n]*:[ \t]+)(\{\{[^\n]*?\}\}[^\n]*\}\})[ \t]*$/gm, (line, _key: string, value: string) => line.replace(value, `{{${' '.repeat(value.length - 4)}}}`))
}

/** The action's tokens between `from` and `to`; undefined at anything the lexer does not read here. */
function tokenize(text: string, from: number, to: number): Token[] | undefined {
  const tokens: Token[] = []
  let at = from
  while (at < to) {
    const char = text[at]
    if (/\s/.test(char)) {
      at++
      continue
    }
    const start = at
    if (char === '(' || char === ')' || char === '|') {
      tokens.push({kind: char, text: char, start, end: ++at})
      continue
    }
    if (char === '"') {
      let value = ''
      at++
      while (at < to && text[at] !== '"') {
        if (text[at] === '\n') return undefined
        if (text[at] === '\\') {
          const escaped = goEscapes[text[at + 1]]
          if (escaped === undefined) return undefined
          value += escaped
          at += 2
        } else {
          value += text[at++]
        }
      }
      if (at >= to) return undefined
      at++
      tokens.push({kind: 'string', text: text.slice(start, at), value, start, end: at})
      continue
    }
    if (char === '`') {
      const end = text.indexOf('`', at + 1)
      if (end === -1 || end >= to) return undefined
      at = end + 1
      tokens.push({kind: 'string', text: text.slice(start, at), value: text.slice(start + 1, end), start, end: at})
      continue
    }
    const word = /^(?:[-+]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)|\$?(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.|\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at, to))
    if (!word) return undefined
    const body = word[0]
    at += body.length
    const kind = /^[-+\d]/.test(body) ? 'number' : body.startsWith('$') ? (body.includes('.') ? 'field' : 'variable') : body.startsWith('.') ? 'field' : 'ident'
    tokens.push({kind, text: body, start, end: at})
  }
  return tokens
}

function parsePipeline(tokens: Token[], parser: {at: number}): TplPipeline | undefined {
  const commands: TplCommand[] = []
  for (;;) {
    const args: TplNode[] = []
    while (parser.at < tokens.length && tokens[parser.at].kind !== '|' && tokens[parser.at].kind !== ')') {
      const token = tokens[parser.at++]
      if (token.kind === '(') {
        const inner = parsePipeline(tokens, parser)
        if (!inner || tokens[parser.at]?.kind !== ')') return undefined
        const close = tokens[parser.at++]
        // A field right after the parentheses: `(lookup …).data.key`.
        const field = tokens[parser.at]
        if (field?.kind === 'field' && field.start === close.end && field.text.startsWith('.')) {
          parser.at++
          args.push({kind: 'chain', pipeline: inner, fields: field.text, start: token.start, end: field.end})
        } else {
          args.push({kind: 'pipeline', pipeline: inner, start: token.start, end: close.end})
        }
      } else if (token.kind === 'string') {
        args.push({kind: 'string', value: token.value!, start: token.start, end: token.end})
      } else if (token.kind === 'ident') {
        if (keywords.has(token.text)) return undefined
        args.push({kind: 'ident', name: token.text, start: token.start, end: token.end})
      } else {
        args.push({kind: token.kind as 'number' | 'field' | 'variable', text: token.text, start: token.start, end: token.end})
      }
    }
    if (args.length === 0) return undefined
    commands.push({args, start: args[0].start, end: args[args.length - 1].end})
    if (tokens[parser.at]?.kind !== '|') break
    parser.at++
  }
  return {commands, start: commands[0].start, end: commands[commands.length - 1].end}
}

function shift(pipeline: TplPipeline, base: number): TplPipeline {
  if (base === 0) return pipeline
  const node = (n: TplNode): TplNode =>
    n.kind === 'pipeline' || n.kind === 'chain' ? {...n, pipeline: shift(n.pipeline, base), start: n.start + base, end: n.end + base} : {...n, start: n.start + base, end: n.end + base}
  return {
    commands: pipeline.commands.map((c) => ({args: c.args.map(node), start: c.start + base, end: c.end + base})),
    start: pipeline.start + base,
    end: pipeline.end + base
  }
}

// ============================================================================================
// What an action renders with the chart's values unset
// ============================================================================================

/** A Sprig function the generator model follows (core/facts/generators.ts, `TEMPLATE_FUNCTIONS`). */
const sources = new Set(['randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'randBytes', 'uuidv4'])
const transforms = new Set(['b64enc', 'b64dec', 'sha256sum', 'sha1sum', 'quote', 'squote', 'trim', 'upper', 'lower', 'toString', 'trunc'])

/** Functions that give empty text for empty text (not `quote`: `""`). */
const emptyKept = new Set(['b64enc', 'b64dec', 'trim', 'upper', 'lower', 'toString'])

/** One stage of a generator and where its command is written. */
interface Placed {
  stage: Stage
  start: number
  end: number
}

/**
 * What an action renders when the values it reads are unset:
 * - `generator`: Sprig functions the model follows, each placed where its command is written;
 * - `fallback`: the literal a `default` gives when `subject` (`.Values.jwtSecret`) is unset, with
 *   the range of `default "…"`, and the functions applied after it (`quote`, `b64enc`);
 * - `kept`: the literal a `default` gives after `lookup` (`(lookup …).data.key | default
 *   ("changeme" | b64enc)`): the first install writes it, and every upgrade finds and keeps it.
 *   Also the literal a conditional's branch renders then (`{{ if $existing }}…{{ else }}{{
 *   "changeme" | b64enc }}{{ end }}`). The range is the default's argument (inside its
 *   parentheses: `"changeme" | b64enc`) or the branch's action, `inner` the functions applied to
 *   the literal there, `after` all of them with those after `default`; `wrap`: a generator in its
 *   place needs parentheses (an argument written without them);
 * - undefined: anything else (a value reference alone, `required`, `lookup`, `include`).
 */
export type Rendered =
  | {kind: 'generator'; stages: Placed[]}
  | {kind: 'fallback'; value: string; subject: string; start: number; end: number; after: string[]}
  | {kind: 'kept'; value: string; subject: string; start: number; end: number; inner: string[]; after: string[]; wrap: boolean}

/**
 * A value the chart leaves unset: a reference (`.Values.x`), or what `lookup` finds on first
 * install (nothing: `lookup: true`, also `dict` and fields and `index` of either).
 */
type Reference = {kind: 'reference'; text: string; lookup?: boolean}
/** A literal, and the functions applied to it (`"changeme" | b64enc`). */
type Literal = {kind: 'literal'; value: string; after: string[]}
type Evaluated = Rendered | Reference | Literal | undefined

/** The block's variables, and those being evaluated (a definition that uses itself is unknown). */
interface Context {
  scope: TplScope
  visiting: Set<string>
}

export function renderedWhenUnset(pipeline: TplPipeline, scope: TplScope = new Map()): Rendered | undefined {
  const value = evaluatePipeline(pipeline, {scope, visiting: new Set()})
  if (value?.kind === 'literal' && pipeline.afterLookup) {
    // A last `quote` stays: it quotes for YAML whatever renders.
    const {commands} = pipeline
    const last = commands.at(-1)!.args[0]
    const quoted = commands.length > 1 && last.kind === 'ident' && (last.name === 'quote' || last.name === 'squote')
    const end = quoted ? commands.at(-2)!.end : pipeline.end
    return {kind: 'kept', value: value.value, subject: 'lookup', start: pipeline.start, end, inner: quoted ? value.after.slice(0, -1) : value.after, after: value.after, wrap: false}
  }
  return value?.kind === 'generator' || value?.kind === 'fallback' || value?.kind === 'kept' ? value : undefined
}

function evaluatePipeline(pipeline: TplPipeline, context: Context): Evaluated {
  let value: Evaluated
  let piped = false
  for (const command of pipeline.commands) {
    value = evaluateCommand(command, piped ? value : undefined, piped, context)
    if (value === undefined) return undefined
    piped = true
  }
  return value
}

/** A field of a value (`.data.key`, `index … "key"`): unset where the value is. */
function fieldOf(value: Evaluated, text: string): Evaluated {
  return value?.kind === 'reference' ? {kind: 'reference', text, lookup: value.lookup} : undefined
}

function operand(node: TplNode, context: Context): Evaluated {
  switch (node.kind) {
    case 'string':
      return {kind: 'literal', value: node.value, after: []}
    case 'field':
    case 'variable': {
      // A variable the block defines is what its definition gives (`$jwt`, `$existing.data.key`).
      const name = /^\$[A-Za-z0-9_]+/.exec(node.text)?.[0]
      if (!name || !context.scope.has(name)) return {kind: 'reference', text: node.text}
      const definition = context.scope.get(name)
      if (!definition || context.visiting.has(name)) return undefined
      context.visiting.add(name)
      const value = evaluatePipeline(definition.pipeline, context)
      context.visiting.delete(name)
      // `$auth.jwtSecret` with `$auth := .Values.auth` is `.Values.auth.jwtSecret`.
      if (node.text !== name) return fieldOf(value, value?.kind === 'reference' && !value.lookup ? value.text + node.text.slice(name.length) : node.text)
      // A generator used in two places would be judged twice at its one definition.
      return value?.kind === 'generator' && definition.uses !== 1 ? undefined : value
    }
    case 'ident':
      // `lookup … | default dict`: an empty map.
      return node.name === 'dict' ? {kind: 'reference', text: 'dict', lookup: true} : undefined
    case 'pipeline':
      return evaluatePipeline(node.pipeline, context)
    case 'chain':
      return fieldOf(evaluatePipeline(node.pipeline, context), node.fields)
    default:
      return undefined
  }
}

function evaluateCommand(command: TplCommand, input: Evaluated, piped: boolean, context: Context): Evaluated {
  const [head, ...rest] = command.args
  if (head.kind !== 'ident') return rest.length === 0 && !piped ? operand(head, context) : undefined
  const name = head.name
  const arg = (node: TplNode) => operand(node, context)
  // `lookup "v1" "Secret" ns name` finds nothing on first install (and in `helm template`).
  if (name === 'lookup') return !piped && rest.length === 4 ? {kind: 'reference', text: 'lookup', lookup: true} : undefined
  // `index $secret.data "jwt-secret"`, `get $data "jwt"`: a key of an unset map is unset.
  if (name === 'index' || name === 'get') {
    if (piped || rest.length < 2 || (name === 'get' && rest.length !== 2)) return undefined
    return fieldOf(arg(rest[0]), name)
  }
  if (sources.has(name)) {
    if (piped) return undefined
    const count = rest.length === 1 && rest[0].kind === 'number' && /^\d+$/.test(rest[0].text) ? [rest[0].text] : undefined
    if (name === 'uuidv4' ? rest.length > 0 : !count) return undefined
    return {kind: 'generator', stages: [{stage: {name, args: count ?? [], template: true}, start: command.start, end: command.end}]}
  }
  if (transforms.has(name)) {
    // The function's own arguments (`trunc 32`), then its input: piped in, or the last argument.
    const own = name === 'trunc' ? 1 : 0
    if (own === 1 && (rest[0]?.kind !== 'number' || !/^-?\d+$/.test(rest[0].text))) return undefined
    const args = own === 1 ? [(rest[0] as {text: string}).text] : []
    let subject = input
    let end = command.end
    if (!piped) {
      if (rest.length !== own + 1) return undefined
      subject = arg(rest[own])
      // `b64enc (randAlphaNum 32)`: the function's place ends before its argument.
      end = rest[own].start
    } else if (rest.length !== own) {
      return undefined
    }
    if (subject?.kind === 'generator') {
      return {kind: 'generator', stages: [...subject.stages, {stage: {name, args, template: true}, start: command.start, end}]}
    }
    if (subject?.kind === 'fallback' || subject?.kind === 'kept' || subject?.kind === 'literal') return {...subject, after: [...subject.after, name]}
    // What `lookup` does not find is empty, and so is its text decoded (`$existing.data.key |
    // b64dec | default "…"` in `stringData`).
    if (subject?.kind === 'reference' && subject.lookup && emptyKept.has(name)) return subject
    return undefined
  }
  if (name === 'default') {
    // `default D X`, `X | default D`: D when X is unset or empty.
    const given = piped ? (rest.length === 1 ? input : undefined) : rest.length === 2 ? arg(rest[1]) : undefined
    if (rest.length < 1 || given === undefined) return undefined
    if (given.kind !== 'reference') return given
    const fallback = arg(rest[0])
    if (fallback?.kind === 'literal') {
      // After `lookup`, the literal the first install writes and every upgrade keeps.
      if (given.lookup) {
        const written = rest[0]
        const [start, end] = written.kind === 'pipeline' ? [written.pipeline.start, written.pipeline.end] : [written.start, written.end]
        return {kind: 'kept', value: fallback.value, subject: given.text, start, end, inner: fallback.after, after: fallback.after, wrap: written.kind !== 'pipeline'}
      }
      if (fallback.after.length > 0) return undefined
      return {kind: 'fallback', value: fallback.value, subject: given.text, start: command.start, end: rest[0].end, after: []}
    }
    return fallback
  }
  return undefined
}
