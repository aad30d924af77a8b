/**
 * JavaScript and TypeScript blocks (`js`, `ts`, `jsx`, `tsx`, `mjs`…): the paths a client asks
 * for relative to the page, which no URL scan sees (`fetch('/chat/sessions')`, `new
 * WebSocket('/chat/ws')`). Parsed by tree-sitter-javascript on the runtime the shell grammar runs
 * on (TypeScript's annotations come out as errors the parse recovers from; the calls around them
 * stay), loaded the first time a block with such a call, or a setting, is read.
 *
 * Read: the first argument of `fetch` (also `window.fetch`, `globalThis.fetch`, `self.fetch`),
 * `axios` and its method calls (`axios.get`…), `ky`'s, jQuery's `$.get`/`$.post`/`$.getJSON`/
 * `$.ajax`, `new WebSocket`, `new EventSource` and `new Request`; the second of an
 * `XMLHttpRequest`'s `.open('GET', …)`; a `url` or `baseURL` member of an object given to one of
 * those (`axios({url: …})`, `axios.create({baseURL: …})`, `$.ajax({url: …})`); and the path `new
 * URL('/chat/sessions', base)` resolves against a base (`urlConstructor`, below). A path is a
 * string, or a template literal up to its first `${…}`, that starts with one `/`. Routes a server
 * defines (`app.get('/chat', …)`) and a router's own paths (`navigate('/chat')`) are not requests
 * and are not read.
 *
 * The same parse gives the block's settings for the secret rules (`readJavaScript`, below), and
 * the images its infrastructure code deploys for mutable-image (`javascriptImages`).
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {grammarParser} from '../shell/parse.js'
import type {Token} from './formats.js'
import {mayDeployImage, type CodeImage} from './types.js'
import {analyzePipeline, type GeneratorOutput, type Stage} from './generators.js'
import {unassigned, type PyScript, type PyValue} from './python.js'

const javascriptParser = grammarParser((host) => host.javascriptWasm())

const parsed = new Memo<Block>(1024 * 1024)

/** What one parse of a block gives its readers. */
interface Block {
  requests: RequestPath[]
  script: PyScript
  images: CodeImage[]
}

/** Functions whose first argument is a request's address. */
const requestFunctions = new Set(['fetch', 'axios', 'ky'])
/** Objects whose method calls take the address first (`axios.get(url)`, `$.getJSON(url)`). */
const requestObjects = new Map<string, ReadonlySet<string>>([
  ['axios', new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'create', 'postForm', 'putForm', 'patchForm'])],
  ['ky', new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'create', 'extend'])],
  ['$', new Set(['get', 'post', 'getJSON', 'ajax'])],
  ['jQuery', new Set(['get', 'post', 'getJSON', 'ajax'])]
])
/** Globals whose `fetch` is the one (`window.fetch(url)`). */
const globals = new Set(['window', 'globalThis', 'self'])
/** Constructors that take an address first. */
const requestConstructors = new Set(['WebSocket', 'EventSource', 'Request'])
/** Members of an options object that hold the address. */
const addressMembers = new Set(['url', 'baseURL', 'baseUrl', 'prefixUrl'])
/** The methods `XMLHttpRequest.open` takes first. */
const httpMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** Whether a JavaScript block may hold a request's relative path (before any parse). */
export function mayRequest(text: string): boolean {
  return /\b(?:fetch|axios|ky|WebSocket|EventSource|Request|ajax|getJSON|open)\b|\$\.(?:get|post)\b|\bnew\s+URL\b/.test(text)
}

/** A path a request asks for; `partial` when it is the start of a template literal (`/sessions/${id}`). */
export interface RequestPath extends Token {
  partial?: true
  /**
   * The host (and port) of the absolute base a `new URL(path, base)` resolves the path against
   * (`localhost:8080`); none when the path is asked for relative to the page.
   */
  host?: string
}

/** The relative paths a JavaScript text asks for, in order (read-only: shared by every reader of the same text). */
export function requestPaths(text: string): RequestPath[] {
  return readBlock(text).requests
}

/** The images a JavaScript text deploys, in order (read-only: shared by every reader of the same text). */
export function javascriptImages(text: string): CodeImage[] {
  return readBlock(text).images
}

/**
 * One parse of a block for all its readers (requests, settings and images): each walk is cheap
 * next to the parse.
 */
function readBlock(text: string): Block {
  return parsed.get(text, () => {
    const requests: RequestPath[] = []
    const script: PyScript = {imports: [], assignments: [], prints: [], reads: []}
    const images: CodeImage[] = []
    let tree = javascriptParser().parse(text)
    if (!tree) return {requests, script, images}
    // TypeScript's non-null assertions, read as the program runs them: without the `!`.
    const asserted = tree.rootNode.hasError ? nonNullAssertions(tree.rootNode) : []
    if (asserted.length > 0) {
      tree.delete()
      tree = javascriptParser().parse(withoutAssertions(text, asserted))
      if (!tree) return {requests, script, images}
    }
    try {
      visit(tree.rootNode, requests, constants(tree.rootNode))
      for (const statement of tree.rootNode.namedChildren) if (statement) topLevel(statement, script)
      if (mayDeployImage(text)) imagesIn(tree.rootNode, images)
    } finally {
      tree.delete()
    }
    script.reads = unassigned(script)
    return {requests: requests.sort((a, b) => a.start - b.start), script, images: images.sort((a, b) => a.start - b.start)}
  })
}

/** The arrays of a pod spec whose objects are containers (`containers: [{name, image}]`). */
const containerLists = new Set(['containers', 'initContainers'])

/**
 * The images infrastructure code deploys, anywhere in the block (a stack's constructor, a
 * function): the first argument of a call to a `fromRegistry` method (AWS CDK's
 * `ContainerImage.fromRegistry('nginx')`, `DockerImage.fromRegistry(…)`), an `imageIdentifier`
 * member (App Runner's `Source.fromEcrPublic({imageIdentifier: …})`), and the `image` member of
 * an object in a `containers` or `initContainers` array (a pod spec: Pulumi's, cdk8s') or given
 * to an `addContainer` method (cdk8s-plus' `deployment.addContainer({image: 'nginx'})`; ECS's
 * takes `image: ContainerImage.fromRegistry(…)`, read as a call), the `image` of a Pulumi
 * Crosswalk task definition's `container` or of each container it names (`taskDefinitionArgs:
 * {container: {image: 'nginx'}}`, `containers: {web: {image: 'nginx'}}`), and Pulumi's Docker
 * provider's `new docker.RemoteImage(name, {name: …})` and `new docker.Container(name, {image:
 * …})`. Each a string, or a template literal without `${…}`; a name, a concatenation or an
 * interpolation is not read.
 */
function imagesIn(node: Node, out: CodeImage[]) {
  if (node.type === 'call_expression') {
    const callee = node.childForFieldName('function')
    const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined
    const args = method === 'fromRegistry' || method === 'addContainer' ? argumentsOf(node) : []
    if (method === 'fromRegistry' && args[0]) imageLiteral(args[0], out)
    if (method === 'addContainer') for (const arg of args) if (arg.type === 'object') memberImage(arg, 'image', out, true)
  } else if (node.type === 'new_expression') {
    // Pulumi's Docker provider: `new docker.RemoteImage(name, {name: 'nginx:latest'})` pulls the
    // image, `new docker.Container(name, {image: 'nginx'})` runs it.
    const callee = node.childForFieldName('constructor')
    const kind = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined
    const options = argumentsOf(node)[1]
    if (options?.type === 'object' && callee?.childForFieldName('object')?.text === 'docker') {
      if (kind === 'RemoteImage') memberImage(options, 'name', out)
      if (kind === 'Container') memberImage(options, 'image', out)
    }
  } else if (node.type === 'pair') {
    const name = memberName(node)
    const value = node.childForFieldName('value')
    if (name === 'imageIdentifier' && value) imageLiteral(value, out)
    if (name !== undefined && containerLists.has(name) && value?.type === 'array') {
      for (const item of value.namedChildren) if (item?.type === 'object') memberImage(item, 'image', out, true)
    }
    // Pulumi Crosswalk's task definitions: one `container: {image}`, or named ones,
    // `containers: {web: {image}}`.
    if (name === 'containers' && value?.type === 'object') {
      for (const pair of value.namedChildren) {
        const container = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined
        if (container?.type === 'object') memberImage(container, 'image', out)
      }
    }
    if (name === 'taskDefinitionArgs' && value?.type === 'object') {
      for (const pair of value.namedChildren) {
        const container = pair?.type === 'pair' && memberName(pair) === 'container' ? pair.childForFieldName('value') : undefined
        if (container?.type === 'object') memberImage(container, 'image', out)
      }
    }
  }
  for (const child of node.namedChildren) if (child) imagesIn(child, out)
}

/** The name of an object's member: `image`, `'image'`. */
function memberName(pair: Node): string | undefined {
  const key = pair.childForFieldName('key')
  return key?.type === 'property_identifier' ? key.text : key?.type === 'string' ? literal(key)?.text : undefined
}

/** The member `name` of an object, when it is a literal image reference. */
function memberImage(object: Node, name: string, out: CodeImage[], cluster = false) {
  for (const pair of object.namedChildren) {
    if (pair?.type !== 'pair' || memberName(pair) !== name) continue
    const value = pair.childForFieldName('value')
    if (value) imageLiteral(value, out, cluster)
  }
}

function imageLiteral(node: Node, out: CodeImage[], cluster = false) {
  const text = wholeLiteral(node)
  if (text) out.push({...text, ...(cluster ? {cluster: true as const} : {})})
}

/**
 * TypeScript's non-null assertions (`process.env.JWT_SECRET!`): a `!` token right after a name, a
 * member's name, `)` or `]`, with nothing between, which no JavaScript writes (its `!` starts an
 * operand, after an operator, a keyword such as `await`, or a line break). tree-sitter-javascript
 * recovers from one in ways that depend on the lines after it: it takes the next line's
 * declaration into an assignment, the next statement as the operand of `!`, or the whole
 * declaration as an error. Where each `!` is, in a tree with errors.
 */
function nonNullAssertions(root: Node): number[] {
  const found: number[] = []
  for (const bang of root.descendantsOfType('!')) {
    if (!bang || bang.startIndex === 0) continue
    // The token that ends right before it (whitespace or a comment there is no such token).
    const before = root.descendantForIndex(bang.startIndex - 1)
    if (before?.endIndex !== bang.startIndex) continue
    if (before.type === ')' || before.type === ']' || before.type === 'property_identifier' || before.type === 'identifier') found.push(bang.startIndex)
  }
  return found
}

/**
 * The text with each non-null assertion's `!` as a space: what the program does, since the
 * assertion only tells the type checker the value is there, at the same offsets.
 */
function withoutAssertions(text: string, at: readonly number[]): string {
  let out = ''
  let from = 0
  for (const index of at) {
    out += text.slice(from, index) + ' '
    from = index + 1
  }
  return out + text.slice(from)
}

function visit(node: Node, out: RequestPath[], strings: ReadonlyMap<string, string | undefined>) {
  const type = node.type
  if (type === 'call_expression' || type === 'new_expression') {
    const callee = node.childForFieldName(type === 'call_expression' ? 'function' : 'constructor')
    const list = argumentsOf(node)
    const at = callee ? addressArgument(type, callee, list) : -1
    if (at !== -1 && list[at]) address(list[at], out)
    if (type === 'new_expression' && callee?.type === 'identifier' && callee.text === 'URL') urlConstructor(list, out, strings)
    // An options object given to a request (`axios({url})`, `$.ajax({url})`,
    // `axios.create({baseURL})`).
    if (at !== -1) for (const arg of list) if (arg.type === 'object') members(arg, out)
  }
  for (const child of node.namedChildren) if (child) visit(child, out, strings)
}

/**
 * The program's top-level `const NAME = '…'` (also exported), a string or a template literal
 * without `${…}`: the value of each name (undefined for a name declared more than once).
 */
function constants(root: Node): Map<string, string | undefined> {
  const strings = new Map<string, string | undefined>()
  for (let statement of root.namedChildren) {
    if (statement?.type === 'export_statement') statement = statement.childForFieldName('declaration')
    if (statement?.type !== 'lexical_declaration' || statement.child(0)?.type !== 'const') continue
    for (const declarator of statement.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue
      const name = declarator.childForFieldName('name')
      const value = declarator.childForFieldName('value')
      if (name?.type !== 'identifier' || !value) continue
      strings.set(name.text, strings.has(name.text) ? undefined : wholeLiteral(value)?.text)
    }
  }
  return strings
}

/** A string literal, or a template literal without `${…}`, as written. */
function wholeLiteral(node: Node): Token | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined
  const text = literal(node, true)
  return text && text.text.length === node.text.length - 2 ? text : undefined
}

/** Which argument of a call is the address it requests: -1 when the call is no request. */
function addressArgument(type: string, callee: Node, args: readonly Node[]): number {
  if (type === 'new_expression') return callee.type === 'identifier' && requestConstructors.has(callee.text) ? 0 : -1
  if (callee.type === 'identifier') return requestFunctions.has(callee.text) ? 0 : -1
  if (callee.type !== 'member_expression') return -1
  const object = callee.childForFieldName('object')
  const property = callee.childForFieldName('property')?.text
  if (!object || property === undefined) return -1
  // A map: an object's own names would find `hasOwnProperty.call(…)`'s in its prototype.
  if (object.type === 'identifier' && requestObjects.get(object.text)?.has(property)) return 0
  if (object.type === 'identifier' && globals.has(object.text) && property === 'fetch') return 0
  // `xhr.open('GET', '/chat/sessions')`
  if (property === 'open' && args.length >= 2) {
    const method = literal(args[0])
    if (method && httpMethods.has(method.text.toUpperCase())) return 1
  }
  return -1
}

/** The schemes of the URLs a request goes to. */
const webSchemes = new Set(['http:', 'https:', 'ws:', 'wss:'])

/**
 * `new URL('/chat/sessions', base)`: a path resolved against a base. A base the block does not
 * write out (`location.origin`, `window.location.href`, a variable) is the page's, so the path is
 * asked for relative to the page, as `fetch('/chat/sessions')` asks for it. A written absolute
 * base (`'http://localhost:8080'`, or a top-level `const` the block sets to one) is resolved as
 * the `URL` class resolves it, and the path is that host's, when resolving leaves it as written
 * (`/chat/../x` is `/x`: not read). The module's own address (`import.meta.url`) gives a file
 * beside the module, not a route; a base that is no http(s) or ws(s) URL, or only starts as one
 * (`` `http://localhost:${port}` ``), is not read.
 */
function urlConstructor(args: readonly Node[], out: RequestPath[], strings: ReadonlyMap<string, string | undefined>) {
  if (args.length !== 2) return
  const [input, base] = args
  if (base.type === 'member_expression' && base.text === 'import.meta.url') return
  const found: RequestPath[] = []
  address(input, found)
  const [path] = found
  if (!path) return
  const constant = base.type === 'identifier' ? strings.get(base.text) : undefined
  // A name, a member, a call, a template literal that starts with `${…}`: not written out.
  const writtenBase = constant !== undefined || base.type === 'string' || (base.type === 'template_string' && base.namedChildren[0]?.type !== 'template_substitution')
  if (!writtenBase) {
    out.push(path)
    return
  }
  // The whole literal, as written: a template literal's `${…}` or an escape leaves it unknown.
  const written = constant ?? wholeLiteral(base)?.text
  if (written === undefined) return
  let resolved: URL
  try {
    resolved = new URL(path.text, written)
  } catch {
    return
  }
  if (!webSchemes.has(resolved.protocol) || resolved.pathname !== path.text) return
  out.push({...path, host: resolved.host})
}

/** The `url`/`baseURL` members of an options object. */
function members(object: Node, out: RequestPath[]) {
  for (const pair of object.namedChildren) {
    if (pair?.type !== 'pair') continue
    const key = pair.childForFieldName('key')
    const name = key?.type === 'string' ? literal(key)?.text : key?.text
    const value = pair.childForFieldName('value')
    if (name !== undefined && addressMembers.has(name) && value) address(value, out)
  }
}

/** A relative path that an argument or member starts with. */
function address(node: Node, out: RequestPath[]) {
  const text = literal(node, true)
  if (!text || !text.text.startsWith('/') || text.text.startsWith('//')) return
  // The path ends where a query, a fragment or whitespace starts.
  const end = text.text.search(/[?#\s]/)
  const path = end === -1 ? text.text : text.text.slice(0, end)
  const found: RequestPath = {text: path, start: text.start, end: text.start + path.length}
  if (end === -1 && text.text.length < node.text.length - 2) found.partial = true
  out.push(found)
}

/**
 * The text of a string literal as written, between its quotes; with `prefix`, also the leading
 * text of a template literal up to its first `${…}`. Undefined when an escape makes what is
 * written differ from the value (the range would not be the value's).
 */
function literal(node: Node, prefix = false): Token | undefined {
  if (node.type === 'string') {
    const parts = node.namedChildren
    if (parts.some((part) => part?.type !== 'string_fragment')) return undefined
    return {text: node.text.slice(1, -1), start: node.startIndex + 1, end: node.endIndex - 1}
  }
  if (prefix && node.type === 'template_string') {
    let end = node.startIndex + 1
    for (const part of node.namedChildren) {
      if (part?.type === 'string_fragment' && part.startIndex === end) end = part.endIndex
      else break
    }
    if (end === node.startIndex + 1) return undefined
    const start = node.startIndex + 1
    return {text: node.text.slice(1, end - node.startIndex), start, end}
  }
  return undefined
}

/** Whether a JavaScript block may print a generated value (Node's `crypto`), before any parse. */
export function mayGenerate(text: string): boolean {
  return text.includes('crypto')
}

/** Modules whose generators the `node -e` model knows. */
const cryptoModules = new Set(['crypto', 'node:crypto'])

/**
 * The values a JavaScript block gives secrets, in the shape of a Python block's (python.ts):
 * at the program's top level, `const JWT_SECRET = …` (also `let`, `var`, `export const`),
 * `process.env.JWT_SECRET = …` (or `process.env['JWT_SECRET']`; Bun's `Bun.env.JWT_SECRET = …`,
 * Deno's `Deno.env.set('JWT_SECRET', …)`), a default after the environment's value
 * (`process.env.JWT_SECRET || 'changeme'`, `?? 'changeme'`, and as logical assignment,
 * `process.env.JWT_SECRET ||= 'changeme'`, `??=`; `Bun.env.JWT_SECRET ?? …`, Vite's
 * `import.meta.env.JWT_SECRET ?? …`, `Deno.env.get('JWT_SECRET') ?? …`), the default of a name
 * taken apart from the environment (`const {JWT_SECRET = 'changeme'} = process.env`,
 * `environmentDefaults`), and what `console.log(…)` prints. A value is a string literal, a name
 * (variable flow), or an expression that the `node -e` model evaluates with the block's `crypto`
 * imports (`crypto.randomBytes(32).toString('base64')`). A default after the environment's value
 * that no name takes is read too, wherever the top level evaluates it: a call's argument, a member
 * of an object (`app.use(session({secret: process.env.SESSION_SECRET || 'keyboard cat'}))`,
 * `module.exports = {secret: …}`), an item of an array, a template literal's `${…}`. Functions
 * and classes are not read, nor a statement the parse recovered around, but for TypeScript's
 * annotations and assertions (`declaredValue`) and non-null assertions (`nonNullAssertions`).
 */
export function readJavaScript(text: string): PyScript {
  return readBlock(text).script
}

function topLevel(statement: Node, script: PyScript) {
  if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration' || statement.type === 'expression_statement') defaultReads(statement, script)
  switch (statement.type) {
    case 'export_statement': {
      const declaration = statement.childForFieldName('declaration')
      if (declaration) topLevel(declaration, script)
      // `export default {secret: process.env.SESSION_SECRET || 'keyboard cat'}`
      const value = statement.childForFieldName('value')
      if (value) defaultReads(value, script)
      return
    }

    case 'import_statement': {
      if (!statement.hasError) importOf(statement, script.imports)
      return
    }

    case 'lexical_declaration':
    case 'variable_declaration': {
      for (const declarator of statement.children) {
        // The parse recovered around what follows (`const A: Record<string, string> = …` comes
        // out as declarators named `string`): not read.
        if (declarator?.type === 'ERROR' || declarator?.isMissing) return
        if (declarator?.type !== 'variable_declarator') continue
        const name = declarator.childForFieldName('name')
        const value = declaredValue(declarator)
        if (!name || !value) continue
        // `valueOf` reads through TypeScript's `as string` in a value; nothing else does.
        if (value.hasError && (name.type !== 'identifier' || requiredModule(value) !== undefined)) continue
        if (requiredModule(value) !== undefined) {
          requireOf(name, value, script.imports)
          continue
        }
        if (name.type === 'object_pattern') {
          const environment = environmentObject(value)
          if (environment) environmentDefaults(name, environment, script)
          continue
        }
        if (name.type !== 'identifier') continue
        const read = valueOf(value)
        if (read) script.assignments.push({name: name.text, start: declarator.startIndex, end: declarator.endIndex, value: read})
      }
      return
    }

    case 'expression_statement': {
      const expression = statement.namedChild(0)
      if (!expression || statement.hasError) return
      if (expression.type === 'assignment_expression') {
        const left = expression.childForFieldName('left')
        const right = expression.childForFieldName('right')
        const name = left ? environmentRead(left, true)?.name : undefined
        const read = right ? valueOf(right) : undefined
        if (name && read) script.assignments.push({name, start: expression.startIndex, end: expression.endIndex, value: read})
        return
      }
      // `process.env.JWT_SECRET ||= 'changeme'` (also `??=`): a default, which the variable gets
      // when it is unset (or empty, for `||=`), as after `process.env.JWT_SECRET ||`.
      if (expression.type === 'augmented_assignment_expression') {
        const operator = expression.childForFieldName('operator')?.text
        const left = expression.childForFieldName('left')
        const right = expression.childForFieldName('right')
        const read = left && (operator === '||=' || operator === '??=') ? environmentRead(left, true) : undefined
        const value = read && right ? defaultOf(right) : undefined
        if (!read || !value) return
        const {startIndex: start, endIndex: end} = expression
        script.assignments.push({name: read.name, start, end, value: {kind: 'fallback', variable: read.name, reads: read.reads, start, end, value}})
        return
      }
      // `Deno.env.set('JWT_SECRET', …)`
      if (expression.type === 'call_expression' && expression.childForFieldName('function')?.text === 'Deno.env.set') {
        const [key, value, ...rest] = argumentsOf(expression)
        const name = key && rest.length === 0 ? literal(key)?.text : undefined
        const read = name && value ? valueOf(value) : undefined
        if (name && read) script.assignments.push({name, start: expression.startIndex, end: expression.endIndex, value: read})
        return
      }
      // `console.log(crypto.randomBytes(32).toString('base64'))`: one argument.
      if (expression.type === 'call_expression' && expression.childForFieldName('function')?.text === 'console.log') {
        const args = argumentsOf(expression)
        if (args.length === 1 && args[0] && args[0].type !== 'spread_element') script.prints.push({text: args[0].text, start: args[0].startIndex, end: args[0].endIndex})
      }
    }
  }
}

/**
 * The value a declarator gives, through the TypeScript that tree-sitter-javascript recovers from
 * without misreading: an annotation (`const JWT_SECRET: string = …`, an error between the name
 * and `=`), and an assertion to a named type (`throughAssertion`). Undefined for any other error
 * around the value; `valueOf` reads the value's own.
 */
function declaredValue(declarator: Node): Node | undefined {
  const field = declarator.childForFieldName('value')
  if (!field || !declarator.hasError) return field ?? undefined
  const value = throughAssertion(field)
  const children = declarator.children.filter((child): child is Node => child !== null && child.type !== 'comment')
  const equals = children.findIndex((child) => child.type === '=')
  if (!value || equals === -1 || children[0].hasError) return undefined
  const annotation = children.slice(1, equals)
  if (annotation.length > 1 || (annotation[0] && (annotation[0].type !== 'ERROR' || annotation[0].child(0)?.type !== ':'))) return undefined
  // After `=`: the value, or the error that holds it and the type it is asserted to.
  const after = children.length - equals - 1
  return after === 1 || (after === 2 && value !== field) ? value : undefined
}

/**
 * What a field holds through TypeScript's assertion to a named type, as tree-sitter-javascript
 * recovers it: `KEY = process.env.KEY as string` (also `… || 'changeme' as string`) comes out as
 * an error holding the expression and `as`, then the type's name as the field (the expression's
 * own errors are its reader's to judge). The field itself when no error comes before it;
 * undefined for any other error (`= process.env.KEY as unknown as string`, `as Secret<string>`).
 * A non-null assertion (`process.env.KEY!`) is gone before (`nonNullAssertions`).
 */
function throughAssertion(field: Node): Node | undefined {
  const before = field.previousSibling
  if (before?.type !== 'ERROR') return field
  const [inner, as, ...rest] = before.children
  return field.type === 'identifier' && rest.length === 0 && inner && as?.type === 'identifier' && as.text === 'as' ? inner : undefined
}

/**
 * `as string` after an operand (`process.env.KEY as string || 'changeme'`, also `as unknown as
 * string`), which the parse recovers as an error of its own after the operand: `as` and a type's
 * name, in pairs.
 */
function trailingAssertion(error: Node): boolean {
  const parts = error.children
  if (parts.length === 0 || parts.length % 2 !== 0) return false
  return parts.every((part, at) => part !== null && (at % 2 === 0 ? part.text === 'as' && (part.type === 'identifier' || part.type === 'as') : part.type === 'identifier'))
}

/**
 * An operand, through parentheses and TypeScript's `as string` inside them (`(process.env.KEY
 * as string) ?? 'changeme'`); undefined when the parse recovered from anything else in it.
 */
function operand(node: Node): Node | undefined {
  // A `||` or `??` inside reads its own (`valueOf`).
  if (node.type === 'binary_expression') return node
  if (node.type !== 'parenthesized_expression') return node.hasError ? undefined : node
  const [inner, error, ...rest] = node.namedChildren.filter((child) => child?.type !== 'comment')
  if (!inner || rest.length > 0 || (error && (error.type !== 'ERROR' || !trailingAssertion(error)))) return undefined
  return operand(inner)
}

/** Where code runs later, or once per instance: not read. */
const deferred = new Set(['arrow_function', 'function_expression', 'function', 'function_declaration', 'generator_function', 'generator_function_declaration', 'class', 'class_declaration', 'method_definition'])

/**
 * The environment's values read with a literal default (`PyScript.reads`): `process.env.NAME ||
 * '…'` (and the other forms `valueOf` reads) anywhere in a statement but the functions and
 * classes it defines.
 */
function defaultReads(node: Node, script: PyScript) {
  if (deferred.has(node.type)) return
  if (node.type === 'binary_expression') {
    const value = valueOf(node)
    if (value?.kind === 'fallback' && value.value.kind === 'literal') {
      script.reads.push(value)
      return
    }
  }
  for (const child of node.namedChildren) if (child) defaultReads(child, script)
}

/** The arguments of a call, without comments. */
function argumentsOf(call: Node): Node[] {
  const args = call.childForFieldName('arguments')
  return args?.type === 'arguments' ? args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment') : []
}

/**
 * The environments a program reads as an object, and whether it sets variables through it:
 * Node's `process.env`, Bun's `Bun.env`, and Vite's `import.meta.env` (read only: Vite writes
 * its values into the bundle).
 */
const environments = new Map([['process.env', true], ['Bun.env', true], ['import.meta.env', false]])

/**
 * A read of an environment variable, or with `written` a variable set: `process.env.NAME` or
 * `process.env['NAME']` (also `Bun.env`, `import.meta.env`), and Deno's `Deno.env.get('NAME')`.
 * The variable's name, and the read as messages show it (`process.env.NAME`,
 * `Deno.env.get("NAME")`).
 */
function environmentRead(node: Node, written = false): {name: string; reads: string} | undefined {
  if (node.type === 'call_expression') {
    if (written || node.childForFieldName('function')?.text !== 'Deno.env.get') return undefined
    const [key, ...rest] = argumentsOf(node)
    const name = key && rest.length === 0 ? literal(key)?.text : undefined
    return name ? {name, reads: `Deno.env.get(${JSON.stringify(name)})`} : undefined
  }
  const object = node.childForFieldName('object')?.text
  const settable = object === undefined ? undefined : environments.get(object)
  if (settable === undefined || (written && !settable)) return undefined
  if (node.type === 'member_expression') {
    const name = node.childForFieldName('property')?.text
    return name === undefined ? undefined : {name, reads: `${object}.${name}`}
  }
  if (node.type === 'subscript_expression') {
    const index = node.childForFieldName('index')
    const name = index ? literal(index)?.text : undefined
    return name === undefined ? undefined : {name, reads: `${object}.${name}`}
  }
  return undefined
}

/**
 * An environment taken apart by an object pattern (`const {JWT_SECRET = 'changeme'} =
 * process.env`): `process.env`, `Bun.env`, `import.meta.env` or Deno's `Deno.env.toObject()`.
 * How a read of one of its variables is written, as messages show it.
 */
function environmentObject(node: Node): ((name: string) => string) | undefined {
  const object = node.text
  if (node.type === 'member_expression' && environments.has(object)) return (name) => `${object}.${name}`
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'Deno.env.toObject' && argumentsOf(node).length === 0) {
    return (name) => `Deno.env.get(${JSON.stringify(name)})`
  }
  return undefined
}

/**
 * The defaults of an object pattern over the environment: `{JWT_SECRET = 'changeme'}` gives
 * `JWT_SECRET` its default when the variable is unset, as `process.env.JWT_SECRET ??
 * 'changeme'` does; `{JWT_SECRET: secret = 'changeme'}` gives it to `secret`. A name without a
 * default, a computed key, a nested pattern and the rest (`...env`) are not read.
 */
function environmentDefaults(pattern: Node, reads: (name: string) => string, script: PyScript) {
  for (const part of pattern.namedChildren) {
    let variable: string | undefined
    let local: Node | null | undefined
    let given: Node | null | undefined
    if (part?.type === 'object_assignment_pattern') {
      local = part.childForFieldName('left')
      if (local?.type === 'shorthand_property_identifier_pattern') variable = local.text
      given = part.childForFieldName('right')
    } else if (part?.type === 'pair_pattern') {
      const key = part.childForFieldName('key')
      const target = part.childForFieldName('value')
      variable = key?.type === 'property_identifier' ? key.text : key?.type === 'string' ? literal(key)?.text : undefined
      if (target?.type === 'assignment_pattern') {
        local = target.childForFieldName('left')
        given = target.childForFieldName('right')
      }
    }
    if (!part || variable === undefined || !local || (local.type !== 'identifier' && local.type !== 'shorthand_property_identifier_pattern') || !given) continue
    const value = defaultOf(given)
    if (!value) continue
    const fallback: PyValue = {kind: 'fallback', variable, reads: reads(variable), operator: '=', start: part.startIndex, end: part.endIndex, value}
    script.assignments.push({name: local.text, start: part.startIndex, end: part.endIndex, value: fallback})
  }
}

/** The module of `require('crypto')` (or of a member of it, `require('crypto').randomBytes`). */
function requiredModule(value: Node): string | undefined {
  const call = value.type === 'member_expression' ? value.childForFieldName('object') : value
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') return undefined
  const [argument] = call.childForFieldName('arguments')?.namedChildren ?? []
  return argument ? literal(argument)?.text : undefined
}

/** `const crypto = require('crypto')`, `const {randomBytes} = require('crypto')`, as the model reads them. */
function requireOf(name: Node, value: Node, imports: string[]) {
  const module = requiredModule(value)
  if (module === undefined || !cryptoModules.has(module)) return
  const source = value.text
  if (name.type === 'identifier') imports.push(`const ${name.text} = ${source}`)
  else if (name.type === 'object_pattern' && value.type === 'call_expression') for (const [local, member] of destructured(name)) imports.push(`const ${local} = ${source}.${member}`)
}

/** `import crypto from 'crypto'`, `import * as crypto from 'node:crypto'`, `import {randomBytes as rb} from 'crypto'`. */
function importOf(statement: Node, imports: string[]) {
  const source = statement.childForFieldName('source')
  const module = source ? literal(source)?.text : undefined
  if (module === undefined || !cryptoModules.has(module)) return
  const clause = statement.namedChildren.find((child) => child?.type === 'import_clause')
  for (const part of clause?.namedChildren ?? []) {
    if (!part) continue
    if (part.type === 'identifier') imports.push(`const ${part.text} = require('${module}')`)
    else if (part.type === 'namespace_import') {
      const local = part.namedChildren.find((child) => child?.type === 'identifier')
      if (local) imports.push(`const ${local.text} = require('${module}')`)
    } else if (part.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        if (specifier?.type !== 'import_specifier') continue
        const member = specifier.childForFieldName('name')?.text
        const local = specifier.childForFieldName('alias')?.text ?? member
        if (member && local) imports.push(`const ${local} = require('${module}').${member}`)
      }
    }
  }
}

/** The names an object pattern takes (`{randomBytes, randomUUID: uuid}` → randomBytes, uuid ← randomUUID). */
function destructured(pattern: Node): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const part of pattern.namedChildren) {
    if (part?.type === 'shorthand_property_identifier_pattern') out.push([part.text, part.text])
    else if (part?.type === 'pair_pattern') {
      const key = part.childForFieldName('key')?.text
      const value = part.childForFieldName('value')
      if (key && value?.type === 'identifier') out.push([value.text, key])
    }
  }
  return out
}

function valueOf(node: Node): PyValue | undefined {
  // An expression the parse recovered inside is not read, but for TypeScript's `as string` on an
  // operand (`operand`, and `binary_expression` below).
  if (node.hasError && node.type !== 'binary_expression' && node.type !== 'parenthesized_expression') return undefined
  switch (node.type) {
    case 'string': {
      const text = literal(node)
      return text && text.text !== '' ? {kind: 'literal', literal: {value: text.text, start: text.start, end: text.end}} : undefined
    }

    case 'identifier':
      return {kind: 'ref', name: node.text}

    case 'binary_expression': {
      // `process.env.JWT_SECRET || 'changeme'`: the default when the variable is unset (or empty).
      const operator = node.childForFieldName('operator')?.text
      const leftField = node.childForFieldName('left')
      const rightField = node.childForFieldName('right')
      const asserted = rightField ? throughAssertion(rightField) : undefined
      const left = leftField ? operand(leftField) : undefined
      const right = asserted ? operand(asserted) : undefined
      // TypeScript's `as string` on either side is the only error read through.
      const errors = node.children.filter((child): child is Node => child?.type === 'ERROR')
      const known = (error: Node) => (asserted !== rightField && error.nextSibling?.startIndex === rightField?.startIndex) ||
        (error.previousSibling?.startIndex === leftField?.startIndex && trailingAssertion(error))
      if (!left || !right || !errors.every(known)) return undefined
      const read = environmentRead(left)
      if ((operator !== '||' && operator !== '??') || !read) return undefined
      const value = defaultOf(right)
      return value ? {kind: 'fallback', variable: read.name, reads: read.reads, start: node.startIndex, end: node.endIndex, value} : undefined
    }

    // `(process.env.KEY || 'changeme')`
    case 'parenthesized_expression': {
      const inner = operand(node)
      return inner ? valueOf(inner) : undefined
    }

    case 'call_expression':
    case 'member_expression':
      return expression(node)

    default:
      return undefined
  }
}

/** A default for an environment variable: a string, or a call for the generator model. */
function defaultOf(given: Node): PyValue | undefined {
  const node = operand(given)
  return node?.type === 'string' ? valueOf(node) : node?.type === 'call_expression' ? expression(node) : undefined
}

function expression(node: Node): PyValue {
  return {kind: 'expression', text: node.text, start: node.startIndex, end: node.endIndex}
}

/**
 * What an expression gives, as the `node -e` model evaluates it with the block's imports:
 * `console.log(…)`. The program is the stage a fix resizes; undefined when it is not a generator
 * the model knows.
 */
export function nodeGenerator(imports: readonly string[], text: string): {stages: Stage[]; output: GeneratorOutput} | undefined {
  const code = text.replace(/\s*\n\s*/g, ' ')
  const program = `${imports.map((statement) => `${statement}; `).join('')}console.log(${code})`
  const stages: Stage[] = [{name: 'node', args: ['-e', program]}]
  const analysis = analyzePipeline(stages)
  return analysis.status === 'exact' ? {stages, output: analysis.output} : undefined
}
