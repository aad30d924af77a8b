/**
 * The one description of `docdrift.config.json`.
 *
 * The same object is used for:
 *
 * 1. runtime validation, by the small walker at the end of this file (`validate`), whose problems
 *    `load.ts` turns into one `ConfigError` sentence each;
 * 2. the shipped `docdrift.schema.json` (`renderJsonSchema`, written by `scripts/gen-schema.js`;
 *    a test checks the committed file is up to date);
 * 3. the TypeScript type of a raw config (`RawConfig = FromSchema<typeof configSchema>`);
 * 4. later, the options table in the docs.
 *
 * The schema is JSON-Schema draft-07 shaped. One extra keyword, `expected`, holds the noun phrase
 * that ends our messages ("expected an array of path strings"); in the generated JSON Schema it
 * becomes VS Code's `errorMessage`. The walker supports exactly the keywords in
 * `supportedKeywords`; a test fails if the schema uses any other.
 *
 * Adding a section (`images`, `installs`, `forbidden`, ...): write its schema below and add it to
 * `sections`. The compiler then asks for its resolver in `load.ts` (`resolvers` is keyed by
 * `keyof typeof sections`). Adding a key to an existing section (`routes.openapi`) is one entry in
 * that section's `properties`.
 */

// ---------------------------------------------------------------------------------------------
// Schema shape

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'

export interface Schema {
  readonly title?: string
  readonly description?: string
  /** Our message ending: "expected <this>". Becomes `errorMessage` in the JSON Schema. */
  readonly expected?: string
  readonly type?: SchemaType
  readonly enum?: readonly (string | number | boolean)[]
  readonly default?: unknown
  readonly examples?: readonly unknown[]
  // strings
  readonly minLength?: number
  readonly pattern?: string
  // numbers
  readonly minimum?: number
  readonly maximum?: number
  // arrays
  readonly items?: Schema
  // objects
  readonly properties?: { readonly [key: string]: Schema }
  readonly required?: readonly string[]
  readonly additionalProperties?: boolean | Schema
  readonly propertyNames?: Schema
  // combinators
  readonly oneOf?: readonly Schema[]
  readonly anyOf?: readonly Schema[]
  readonly allOf?: readonly Schema[]
  readonly not?: Schema
}

/** Keywords the walker checks. */
export const supportedKeywords: readonly string[] = [
  'type', 'enum', 'minLength', 'pattern', 'minimum', 'maximum', 'items', 'properties', 'required',
  'additionalProperties', 'propertyNames', 'oneOf', 'anyOf', 'allOf', 'not',
]
/** Keywords that only annotate (editor hover, docs, messages). */
export const annotationKeywords: readonly string[] = ['title', 'description', 'expected', 'default', 'examples']

// ---------------------------------------------------------------------------------------------
// Building blocks

const envName = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  expected: 'an environment variable name (letters, digits and `_`)',
} as const satisfies Schema

const literalPrefix = {
  type: 'string',
  pattern: '^[^\\s?#]*$',
  expected: 'a path prefix such as `/chatbox`, without spaces, query or fragment',
  description: 'The path prefix itself, e.g. `/chatbox` (`/` or `""` for none).',
} as const satisfies Schema

const pointer = {
  type: 'object',
  description: 'A value inside the service\'s own config file, so the docs are checked against the same truth the service reads.',
  properties: {
    file: {
      type: 'string',
      pattern: '(\\.(toml|ya?ml|json|env)|(^|[\\\\/])\\.env[^\\\\/]*)$',
      expected: 'a `.toml`, `.yaml`, `.yml`, `.json` or `.env` file',
      description: 'The service\'s config file, relative to the folder of docdrift.config.json. The format follows the extension: TOML, YAML, JSON, or `.env` (also `.env.production` and the like).',
      examples: ['config.toml', 'deploy/values.yaml', '.env'],
    },
    key: {
      type: 'string',
      minLength: 1,
      expected: 'a dotted key path such as `chatbox.path_prefix`',
      description: 'Dotted key path inside the file (`chatbox.path_prefix`, `servers[0].prefix`); for `.env` files the variable name.',
      examples: ['chatbox.path_prefix'],
    },
  },
  required: ['file', 'key'],
  additionalProperties: false,
} as const satisfies Schema

const portNumber = {
  type: 'integer',
  minimum: 1,
  maximum: 65535,
  expected: 'a port number from 1 to 65535',
  description: 'The port itself, e.g. `8080`.',
} as const satisfies Schema

const bytesCount = {
  type: 'integer',
  minimum: 1,
  expected: 'a positive whole number of bytes',
} as const satisfies Schema

const severity = {
  enum: ['off', 'warn', 'error'],
  description: '`off` turns the rule off, `warn` reports without failing, `error` fails the run.',
} as const satisfies Schema

// ---------------------------------------------------------------------------------------------
// Sections

const routesSchema = {
  type: 'object',
  description: 'Where the service serves HTTP: the current path prefix, prefixes that used to be current, the known routes, and the service\'s host names and ports. Used by `stale-route`.',
  properties: {
    prefix: {
      description: 'Required unless `openapi` gives it. The current path prefix: a literal (`"/chatbox"`) or a pointer `{"file": "config.toml", "key": "chatbox.path_prefix"}` into the service\'s own config. Normalised to a leading slash and no trailing slash.',
      expected: 'a path prefix such as `/chatbox`, or a pointer `{"file", "key"}`',
      oneOf: [literalPrefix, pointer],
    },
    prefixEnv: {
      ...envName,
      description: 'Environment variable that overrides the prefix at run time; docs that set it use their own prefix.',
    },
    stalePrefixes: {
      type: 'array',
      description: 'Prefixes the service used to serve under. A documented URL under one of them is stale.',
      expected: 'an array of path prefixes',
      items: {
        type: 'string',
        pattern: '^(?=.*[^/])[^\\s?#]*$',
        expected: 'a path prefix other than `/`, such as `/chat`',
      },
      default: [],
    },
    paths: {
      type: 'array',
      description: 'Route templates under the prefix. `:param` and `{param}` segments match any one segment.',
      expected: 'an array of path strings',
      items: {
        type: 'string',
        pattern: '^/[^\\s?#]*$',
        expected: 'a path starting with `/`, without spaces, query or fragment',
        examples: ['/healthz', '/admin/takeover/:sessionID'],
      },
      default: [],
    },
    openapi: {
      type: 'string',
      pattern: '\\.(ya?ml|json)$',
      expected: 'a `.yaml`, `.yml` or `.json` OpenAPI file',
      description: 'An OpenAPI 3.0 or 3.1 document (YAML or JSON), relative to the folder of docdrift.config.json. Its `paths` become known routes with their methods, and the path of `servers[0].url` becomes the prefix when `prefix` is not given. Combines with `paths`.',
      examples: ['openapi.yaml'],
    },
    hosts: {
      type: 'array',
      description: 'Host names that mean this service in a documented URL, besides localhost, 127.0.0.1, 0.0.0.0, ::1 and host.docker.internal.',
      expected: 'an array of host names',
      items: {
        type: 'string',
        pattern: '^[^\\s/]+$',
        expected: 'a host name without scheme or path, such as `chat.example.com`',
      },
      default: [],
    },
    ports: {
      type: 'array',
      description: 'Ports the service listens on: numbers, or pointers `{"file": "config.toml", "key": "chatbox.listen_addr"}` to a port or a listen address (`:8080`, `0.0.0.0:8080`) in the service\'s own config. A localhost URL that names another port (`127.0.0.1:6080`, a port-forward to another component) is not the service, unless the docs forward that port to one of these first (`kubectl port-forward svc/chatbox 9090:8080`, `docker run -p 9090:8080`, `ssh -L`, Compose `ports:`); without `ports`, every localhost URL is.',
      expected: 'an array of ports',
      items: {
        expected: 'a port number from 1 to 65535, or a pointer `{"file", "key"}`',
        oneOf: [portNumber, pointer],
      },
      default: [],
    },
  },
  additionalProperties: false,
} as const satisfies Schema

const secretSchema = {
  type: 'object',
  description: 'Length constraint for one secret. Give `bytes`, or `minBytes` and/or `maxBytes`.',
  properties: {
    bytes: { ...bytesCount, description: 'Exact length in bytes after `decode`.' },
    minBytes: { ...bytesCount, description: 'Minimum length in bytes after `decode`.' },
    maxBytes: { ...bytesCount, description: 'Maximum length in bytes after `decode`.' },
    decode: {
      enum: ['none', 'hex', 'base64'],
      default: 'none',
      description: 'How the service decodes the value before use: `none` (the bytes of the string), `hex` or `base64`.',
    },
    why: {
      type: 'string',
      description: 'Why the constraint exists, quoted in messages, e.g. `AES-256 key`.',
    },
    newline: {
      enum: ['trimmed', 'kept'],
      description: 'What the service does with a trailing newline on a secret it reads from a file or standard input (a generator piped into `docker secret create`, or written to a file the secret is made from): `trimmed` (it is dropped, so only the value counts) or `kept` (it is part of the secret and counts in its length). Unset: not known; such a value is checked without the newline and its fix is only a suggestion.',
    },
    aliases: {
      type: 'array',
      description: 'Other spellings of the same secret, e.g. `encryption-key` in a Kubernetes secret.',
      expected: 'an array of names',
      items: { type: 'string', minLength: 1, expected: 'a non-empty name' },
      default: [],
    },
  },
  additionalProperties: false,
  allOf: [
    {
      anyOf: [{ required: ['bytes'] }, { required: ['minBytes'] }, { required: ['maxBytes'] }],
      expected: 'at least one of `bytes`, `minBytes`, `maxBytes`',
    },
    {
      not: { anyOf: [{ required: ['bytes', 'minBytes'] }, { required: ['bytes', 'maxBytes'] }] },
      expected: 'either `bytes` or `minBytes`/`maxBytes`, not both',
    },
  ],
} as const satisfies Schema

const secretsSchema = {
  type: 'object',
  description: 'Secrets the service reads, by environment variable name, with their length constraints. Used by `secret-length`.',
  propertyNames: envName,
  additionalProperties: secretSchema,
} as const satisfies Schema

const imagesSchema = {
  type: 'object',
  description: 'Container images the docs may show. Used by `mutable-image`: `:latest` and untagged references are flagged unless the image may float; a pinned reference becomes the fix.',
  properties: {
    pinned: {
      type: 'object',
      description: 'The reference to deploy, per image repository (`registry.example.com/chatbox`): a release tag and a digest, `name:1.4.2@sha256:<64 hex>`. Becomes the fix for a mutable reference to that repository.',
      propertyNames: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9._/:-]*$',
        expected: 'an image repository such as `registry.example.com/chatbox`, without tag or digest',
      },
      additionalProperties: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$',
        expected: 'a pinned reference `name:tag@sha256:<64 lowercase hex digits>`',
        examples: ['registry.example.com/chatbox:2.3.1@sha256:0f6c2b1e…'],
      },
    },
    floating: {
      type: 'array',
      description: 'Images that may float: a repository (`chatbox`, any tag) or one reference (`chatbox:dev`). Images built elsewhere for local use (another page, a `make` target) and throwaway tools belong here; an image the same page builds needs no entry.',
      expected: 'an array of image names',
      items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._/:-]*$', expected: 'an image name such as `chatbox` or `chatbox:dev`' },
      default: [],
    },
  },
  additionalProperties: false,
} as const satisfies Schema

const installsSchema = {
  type: 'object',
  description: 'Versions to pin tools to. Used by `unpinned-install`: the fix pins an unpinned install to the version found here.',
  properties: {
    versions: {
      type: 'object',
      description: 'Version per package: a Go module path, an npm, PyPI, crates.io or RubyGems package name, a GitHub repository whose actions, release assets or files the docs use (`actions/setup-go`, `cert-manager/cmctl`: a tag, or for an action a commit SHA; a repository named here also has its files fetched from a branch reported), or a Helm chart (`jetstack/cert-manager`, `oci://…/cert-manager`, or the chart\'s name alone).',
      propertyNames: { type: 'string', minLength: 1, expected: 'a package name' },
      additionalProperties: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9.+_-]*$',
        expected: 'an exact version such as `1.4.2` or `v1.3.0`',
      },
    },
    manifests: {
      type: 'array',
      description: 'The repository\'s own manifests to read versions from, relative to the folder of docdrift.config.json: `go.mod`, `package.json`, `package-lock.json`, `requirements.txt`. `versions` wins over them.',
      expected: 'an array of manifest paths',
      items: {
        type: 'string',
        pattern: '(^|[\\\\/])(go\\.mod|package\\.json|package-lock\\.json|requirements[^\\\\/]*\\.txt)$',
        expected: 'a `go.mod`, `package.json`, `package-lock.json` or `requirements*.txt` path',
      },
      default: [],
    },
  },
  additionalProperties: false,
} as const satisfies Schema

const forbiddenLangs = ['shell', 'yaml', 'json', 'toml', 'hcl', 'dockerfile', 'nginx', 'dotenv', 'code', 'inline', 'prose', 'url'] as const

const forbiddenSchema = {
  type: 'array',
  description: 'Patterns the docs must not contain, each reported by `forbidden-pattern` with its own message. Regular expressions use RE2 syntax and run in linear time.',
  expected: 'an array of patterns',
  items: {
    type: 'object',
    description: 'One forbidden pattern.',
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', expected: 'an id in kebab-case such as `chat-healthz`', description: 'Short id, shown in the note and in `--facts`.' },
      pattern: { type: 'string', minLength: 1, expected: 'a regular expression (RE2 syntax)', description: 'Regular expression, RE2 syntax (no backreferences or lookaround).' },
      message: { type: 'string', minLength: 1, expected: 'a message', description: 'The finding\'s message: what was found, why it fails, the fix.' },
      replace: { type: 'string', description: 'Replacement for the match (`$1` inserts a group), a safe fix: `--fix` applies it.' },
      in: {
        type: 'array',
        description: 'Where to look: `shell`, `yaml`, `json`, `toml`, `hcl` (also `terraform`, `tf`), `dockerfile`, `nginx`, `dotenv` blocks, `code` blocks in other languages (Python, Go, `http`…), `inline` code, `prose`, link `url`s. Default: everywhere.',
        expected: 'an array of snippet kinds',
        items: { enum: forbiddenLangs },
      },
      flags: { type: 'string', pattern: '^[ims]*$', expected: 'flags from `i`, `m`, `s`', description: '`i` ignore case, `m` `^`/`$` match at line ends, `s` `.` matches newlines.' },
    },
    required: ['id', 'pattern', 'message'],
    additionalProperties: false,
  },
} as const satisfies Schema

const rulesSchema = {
  type: 'object',
  description: 'Severity per rule id: `off`, `warn` or `error`.',
  propertyNames: {
    type: 'string',
    pattern: '^[a-z][a-z0-9-]*$',
    expected: 'a rule id such as `stale-route`',
  },
  additionalProperties: severity,
} as const satisfies Schema

/** Top-level sections. Add a section here (and its resolver in `load.ts`). */
export const sections = {
  routes: routesSchema,
  secrets: secretsSchema,
  images: imagesSchema,
  installs: installsSchema,
  forbidden: forbiddenSchema,
  rules: rulesSchema,
} as const

export const configSchema = {
  title: 'docdrift config',
  description: 'docdrift.config.json: what the documented service really looks like, so docdrift can find docs that drifted from it.',
  type: 'object',
  properties: {
    $schema: {
      type: 'string',
      description: 'Path or URL of this JSON Schema, for editors (`./node_modules/docdrift/docdrift.schema.json`).',
    },
    ...sections,
  },
  additionalProperties: false,
} as const satisfies Schema

// ---------------------------------------------------------------------------------------------
// Types from the schema

type Simplify<T> = { [K in keyof T]: T[K] } & {}

type ObjectOf<P, R> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } &
  { -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]> }
>

/** The TypeScript type of a value that passed `validate(value, S)`. */
export type FromSchema<S> =
  S extends { readonly oneOf: readonly (infer B)[] } ? FromSchema<B> :
  S extends { readonly enum: readonly (infer E)[] } ? E :
  S extends { readonly type: 'string' } ? string :
  S extends { readonly type: 'integer' | 'number' } ? number :
  S extends { readonly type: 'boolean' } ? boolean :
  S extends { readonly type: 'array'; readonly items: infer I } ? FromSchema<I>[] :
  S extends { readonly type: 'object'; readonly properties: infer P } ?
    ObjectOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never> :
  S extends { readonly type: 'object'; readonly additionalProperties: infer A } ?
    (A extends Schema ? Record<string, FromSchema<A>> : Record<string, unknown>) :
  unknown

export type RawConfig = FromSchema<typeof configSchema>
export type RawRoutes = FromSchema<typeof routesSchema>
export type RawPointer = FromSchema<typeof pointer>
export type RawSecret = FromSchema<typeof secretSchema>
export type RawImages = FromSchema<typeof imagesSchema>
export type RawInstalls = FromSchema<typeof installsSchema>
export type RawForbidden = FromSchema<typeof forbiddenSchema>

// ---------------------------------------------------------------------------------------------
// JSON Schema output

const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#'

/** The JSON Schema for editors: `expected` becomes VS Code's `errorMessage`, descriptions also render as Markdown. */
export function toJsonSchema(schema: Schema = configSchema): Record<string, unknown> {
  const out = convert(schema)
  return { $schema: JSON_SCHEMA_DRAFT, ...out }
}

function convert(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'expected') {
      out.errorMessage = 'Expected ' + String(value)
    } else if (keyword === 'description') {
      out.description = value
      out.markdownDescription = value
    } else if (keyword === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, convert(v)]))
    } else if (keyword === 'oneOf' || keyword === 'anyOf' || keyword === 'allOf') {
      out[keyword] = (value as Schema[]).map(convert)
    } else if (keyword === 'items' || keyword === 'not' || keyword === 'propertyNames' ||
      (keyword === 'additionalProperties' && typeof value === 'object')) {
      out[keyword] = convert(value as Schema)
    } else {
      out[keyword] = value
    }
  }
  return out
}

/** The text of `docdrift.schema.json`. */
export function renderJsonSchema(): string {
  return JSON.stringify(toJsonSchema(), null, 2) + '\n'
}

// ---------------------------------------------------------------------------------------------
// The walker

export type Path = ReadonlyArray<string | number>

/** One validation problem; `load.ts` words it. */
export type Problem =
  /** `value` at `path` does not fit; `expected` is a noun phrase. */
  | { kind: 'value'; path: Path; value: unknown; expected: string; suggestion?: string | undefined }
  /** Key `key` is not allowed in the object at `path`. */
  | { kind: 'unknown-key'; path: Path; key: string; allowed: string[]; suggestion?: string | undefined }
  /** Key `key` has a bad name (propertyNames) in the object at `path`. */
  | { kind: 'bad-key'; path: Path; key: string; expected: string }
  /** Required key `key` is missing in the object at `path`. */
  | { kind: 'missing-key'; path: Path; key: string; expected: string }

/** Validates `value` against `schema`; returns the first problem in document order, if any. */
export function validate(value: unknown, schema: Schema, path: Path = []): Problem | undefined {
  return validateAll(value, schema, path, 1)[0]
}

/**
 * Every problem of `value` against `schema`, in document order (at most `limit`): each property
 * and item is checked whatever its siblings hold, so a config with three mistakes hears of all
 * three at once. A value of the wrong type, or outside its `enum`, is one problem (its inside is
 * not looked at).
 */
export function validateAll(value: unknown, schema: Schema, path: Path = [], limit = Infinity): Problem[] {
  const out: Problem[] = []
  collect(value, schema, path, out, limit)
  return out
}

function collect(value: unknown, schema: Schema, path: Path, out: Problem[], limit: number): void {
  const add = (problem: Problem) => {
    if (out.length < limit) out.push(problem)
  }
  if (schema.oneOf) {
    const fitting = schema.oneOf.filter((branch) => branch.type === undefined || typeFits(value, branch.type))
    if (fitting.length === 1) return collect(value, fitting[0], path, out, limit)
    const passing = fitting.filter((branch) => validate(value, branch, path) === undefined)
    if (passing.length !== 1) return add({ kind: 'value', path, value, expected: expectedOf(schema) })
  }

  if (schema.type !== undefined && !typeFits(value, schema.type)) {
    return add({ kind: 'value', path, value, expected: expectedOf(schema) })
  }

  if (schema.enum && !schema.enum.includes(value as string)) {
    const strings = schema.enum.filter((v): v is string => typeof v === 'string')
    return add({ kind: 'value', path, value, expected: expectedOf(schema), suggestion: typeof value === 'string' ? didYouMean(value, strings) : undefined })
  }

  if (typeof value === 'string') {
    if ((schema.minLength !== undefined && value.length < schema.minLength) ||
      (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))) {
      return add({ kind: 'value', path, value, expected: expectedOf(schema) })
    }
  }

  if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) ||
    (schema.maximum !== undefined && value > schema.maximum))) {
    return add({ kind: 'value', path, value, expected: expectedOf(schema) })
  }

  const before = out.length
  if (Array.isArray(value) && schema.items) {
    for (let index = 0; index < value.length && out.length < limit; index++) collect(value[index], schema.items, [...path, index], out, limit)
  }

  if (isPlainObject(value)) {
    const properties = schema.properties ?? {}
    for (const [key, item] of Object.entries(value)) {
      if (out.length >= limit) return
      if (schema.propertyNames && validate(key, schema.propertyNames) !== undefined) {
        add({ kind: 'bad-key', path, key, expected: expectedOf(schema.propertyNames) })
        continue
      }
      const known = Object.hasOwn(properties, key) ? properties[key] : undefined
      const itemSchema = known ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      if (!itemSchema) {
        if (schema.additionalProperties === false) {
          const candidates = Object.keys(properties)
          add({
            kind: 'unknown-key', path, key,
            allowed: candidates.filter((name) => !name.startsWith('$')),
            suggestion: didYouMean(key, candidates),
          })
        }
        continue
      }
      collect(item, itemSchema, [...path, key], out, limit)
    }
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) {
        const propertySchema = properties[key]
        add({ kind: 'missing-key', path, key, expected: propertySchema ? expectedOf(propertySchema) : 'a value' })
      }
    }
  }
  // Constraints on the whole value, once its parts are sound.
  if (out.length > before) return
  for (const sub of schema.allOf ?? []) {
    const problem = validate(value, sub, path)
    if (problem) return add(problem)
  }
  if (schema.anyOf && !schema.anyOf.some((branch) => validate(value, branch, path) === undefined)) {
    return add({ kind: 'value', path, value, expected: expectedOf(schema) })
  }
  if (schema.not && validate(value, schema.not, path) === undefined) {
    return add({ kind: 'value', path, value, expected: expectedOf(schema) })
  }
}

function typeFits(value: unknown, type: SchemaType): boolean {
  switch (type) {
    case 'object': return isPlainObject(value)
    case 'array': return Array.isArray(value)
    case 'string': return typeof value === 'string'
    case 'integer': return Number.isInteger(value)
    case 'number': return typeof value === 'number' && Number.isFinite(value)
    case 'boolean': return typeof value === 'boolean'
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The noun phrase for "expected ...": the schema's own `expected`, else one made from enum or type. */
export function expectedOf(schema: Schema): string {
  if (schema.expected) return schema.expected
  if (schema.enum) return 'one of ' + listCode(schema.enum.map(String))
  switch (schema.type) {
    case 'object': return 'an object'
    case 'array': return 'an array'
    case 'string': return 'a string'
    case 'integer': return 'a whole number'
    case 'number': return 'a number'
    case 'boolean': return '`true` or `false`'
    default: return 'a valid value'
  }
}

/** `a`, `b`, `c` (each in backticks, comma-separated). */
export function listCode(values: readonly string[]): string {
  return values.map((value) => '`' + value + '`').join(', ')
}

/**
 * The one candidate close to `input` (Levenshtein distance at most 2 ignoring case, and less than
 * the input's length), or undefined when there is none or more than one.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase()
  const close = candidates.filter((candidate) => {
    if (candidate === input) return false
    const distance = levenshtein(needle, candidate.toLowerCase())
    return distance <= 2 && distance < input.length
  })
  return close.length === 1 ? close[0] : undefined
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
