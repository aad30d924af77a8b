/**
 * JavaScript and TypeScript blocks (`js`, `ts`, `jsx`, `tsx`, `mjs`…): the paths a client asks
 * for relative to the page, which no URL scan sees (`fetch('/chat/sessions')`, `new
 * WebSocket('/chat/ws')`). Parsed by tree-sitter-javascript on the runtime the shell grammar runs
 * on (TypeScript's annotations come out as errors the parse recovers from; the calls around them
 * stay), loaded the first time a block with such a call is read.
 *
 * Read: the first argument of `fetch`, `axios` and its method calls (`axios.get`…), `ky`'s,
 * jQuery's `$.get`/`$.post`/`$.getJSON`/`$.ajax`, `new WebSocket`, `new EventSource` and `new
 * Request`; the second of an `XMLHttpRequest`'s `.open('GET', …)`; and a `url` or `baseURL` member
 * of an object given to one of those (`axios({url: …})`, `axios.create({baseURL: …})`,
 * `$.ajax({url: …})`). A path is a string, or a template literal up to its first `${…}`, that
 * starts with one `/`. Routes a server defines (`app.get('/chat', …)`) and a router's own
 * paths (`navigate('/chat')`) are not requests and are not read.
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {grammarParser} from '../shell/parse.js'
import type {Token} from './formats.js'

const javascriptParser = grammarParser((host) => host.javascriptWasm())

const parsed = new Memo<RequestPath[]>(1024 * 1024)

/** Functions whose first argument is a request's address. */
const requestFunctions = new Set(['fetch', 'axios', 'ky'])
/** Objects whose method calls take the address first (`axios.get(url)`, `$.getJSON(url)`). */
const requestObjects: Record<string, ReadonlySet<string>> = {
  axios: new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'create', 'postForm', 'putForm', 'patchForm']),
  ky: new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'create', 'extend']),
  $: new Set(['get', 'post', 'getJSON', 'ajax']),
  jQuery: new Set(['get', 'post', 'getJSON', 'ajax'])
}
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
  return /\b(?:fetch|axios|ky|WebSocket|EventSource|Request|ajax|getJSON|open)\b|\$\.(?:get|post)\b/.test(text)
}

/** A path a request asks for; `partial` when it is the start of a template literal (`/sessions/${id}`). */
export interface RequestPath extends Token {
  partial?: true
}

/** The relative paths a JavaScript text asks for, in order (read-only: shared by every reader of the same text). */
export function requestPaths(text: string): RequestPath[] {
  return parsed.get(text, () => {
    const tree = javascriptParser().parse(text)
    if (!tree) return []
    const out: RequestPath[] = []
    try {
      visit(tree.rootNode, out)
    } finally {
      tree.delete()
    }
    return out.sort((a, b) => a.start - b.start)
  })
}

function visit(node: Node, out: RequestPath[]) {
  const type = node.type
  if (type === 'call_expression' || type === 'new_expression') {
    const callee = node.childForFieldName(type === 'call_expression' ? 'function' : 'constructor')
    const args = node.childForFieldName('arguments')
    const list = args?.type === 'arguments' ? args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment') : []
    const at = callee ? addressArgument(type, callee, list) : -1
    if (at !== -1 && list[at]) address(list[at], out)
    // An options object given to a request (`axios({url})`, `$.ajax({url})`, `axios.create({baseURL})`).
    if (at !== -1) for (const arg of list) if (arg.type === 'object') members(arg, out)
  }
  for (const child of node.namedChildren) if (child) visit(child, out)
}

/** Which argument of a call is the address it requests: -1 when the call is no request. */
function addressArgument(type: string, callee: Node, args: readonly Node[]): number {
  if (type === 'new_expression') return callee.type === 'identifier' && requestConstructors.has(callee.text) ? 0 : -1
  if (callee.type === 'identifier') return requestFunctions.has(callee.text) ? 0 : -1
  if (callee.type !== 'member_expression') return -1
  const object = callee.childForFieldName('object')
  const property = callee.childForFieldName('property')?.text
  if (!object || property === undefined) return -1
  if (object.type === 'identifier' && requestObjects[object.text]?.has(property)) return 0
  if (object.type === 'identifier' && globals.has(object.text) && property === 'fetch') return 0
  // `xhr.open('GET', '/chat/sessions')`
  if (property === 'open' && args.length >= 2) {
    const method = literal(args[0])
    if (method && httpMethods.has(method.text.toUpperCase())) return 1
  }
  return -1
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
