/**
 * Loading `docdrift.config.json`: find it, read it, validate it against `schema.ts`, follow
 * pointers into the service's own config files, and resolve it into a `ResolvedConfig`.
 *
 * Every bad input throws one `ConfigError` with one sentence that names the file, the key path and
 * what was expected. File names in messages are relative to the working folder (`cwd` option,
 * default `process.cwd()`); `SourceRef.file` is relative to the config's folder.
 */

import { readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { parse as parseYaml } from 'yaml'
import { parse as parseEnv } from 'dotenv'

import { RE2JS } from 're2js'
import { readOpenApi } from './openapi.js'
import {
  ConfigError,
  type ForbiddenPattern,
  type ImagesConfig,
  type InstallsConfig,
  type ResolvedConfig,
  type RouteTemplate,
  type RoutesConfig,
  type SecretConstraint,
  type SeverityName,
  type SourceRef,
} from '../types.js'
import {
  configSchema, didYouMean, expectedOf, isPlainObject, listCode, validateAll,
  type Path, type Problem, type RawConfig, type RawForbidden, type RawImages, type RawInstalls, type RawPointer, type RawRoutes,
  type RawSecret, sections,
} from './schema.js'

export const CONFIG_FILE_NAME = 'docdrift.config.json'

// ---------------------------------------------------------------------------------------------
// Rule ids

/**
 * Rule ids accepted in `rules`. The rule registry registers its ids (`registerRuleIds`) when it is
 * imported, which happens before any config is loaded; an id that is not registered is an error
 * with a did-you-mean, so a typo never silently leaves a rule at its default severity.
 */
export const knownRuleIds: string[] = ['stale-route', 'secret-length', 'mutable-image', 'unpinned-install', 'weak-secret', 'forbidden-pattern']

export function registerRuleIds(...ids: string[]): void {
  for (const id of ids) if (!knownRuleIds.includes(id)) knownRuleIds.push(id)
}

// ---------------------------------------------------------------------------------------------
// Public API

export interface LoadOptions {
  /** Folder for relative paths and for file names in messages (default `process.cwd()`). */
  cwd?: string | undefined
  /** For an object config: its name in messages and `SourceRef.file` (default `inline config`). */
  name?: string
}

/**
 * Loads a config. A string is a path to the config file (relative to `cwd`); an object is the
 * config itself, whose pointers resolve against `cwd`.
 */
export function loadConfig(input: string | object, opts: LoadOptions = {}): ResolvedConfig {
  return load(input, opts).config
}

/** Looks for `docdrift.config.json` in `fromDir` and its parents, up to `stopDir` (inclusive) or the filesystem root. */
export function findConfig(fromDir: string, stopDir?: string): string | undefined {
  const stop = stopDir === undefined ? undefined : resolve(stopDir)
  let dir = resolve(fromDir)
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME)
    if (isFile(candidate)) return candidate
    if (dir === stop) return undefined
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

export interface LoadForOptions {
  /** Do not look above this folder. */
  stopDir?: string
  /** Folder for file names in messages (default `process.cwd()`). */
  cwd?: string | undefined
}

/**
 * The config that applies to `filePath` (the nearest `docdrift.config.json` above it), or
 * undefined when there is none. Results, and errors, are cached per config path and are reused
 * while the config file and the files it points at keep their modification time and size.
 * The returned object is shared: treat it as read-only.
 */
export function loadConfigFor(filePath: string, opts: LoadForOptions = {}): ResolvedConfig | undefined {
  const configPath = findConfig(dirname(resolve(filePath)), opts.stopDir)
  if (configPath === undefined) return undefined
  const cached = cache.get(configPath)
  if (cached && cached.stamps.every(([file, stamp]) => stampOf(file) === stamp)) {
    if (cached.result instanceof ConfigError) throw cached.result
    return cached.result
  }
  let result: ResolvedConfig | ConfigError
  let deps: string[]
  try {
    const loaded = load(configPath, { cwd: opts.cwd })
    result = loaded.config
    deps = loaded.deps
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    result = error
    deps = (error as ConfigErrorWithDeps).deps ?? [configPath]
  }
  cache.set(configPath, { stamps: deps.map((file) => [file, stampOf(file)]), result })
  if (result instanceof ConfigError) throw result
  return result
}

/** Forgets everything `loadConfigFor` cached. */
export function clearConfigCache(): void {
  cache.clear()
}

// ---------------------------------------------------------------------------------------------
// Loading

interface CacheEntry {
  /** [absolute path, `mtime:size` or `missing`] of the config and every file it points at. */
  stamps: Array<[string, string]>
  result: ResolvedConfig | ConfigError
}

const cache = new Map<string, CacheEntry>()

type ConfigErrorWithDeps = ConfigError & { deps?: string[] }

interface Context {
  /** Name of the config in messages (relative to cwd, or the object config's name). */
  label: string
  /** `SourceRef.file` for keys of the config itself. */
  sourceFile: string
  /** Absolute path of the config file, if any. */
  file?: string
  /** Folder pointers resolve against. */
  dir: string
  cwd: string
  /** Absolute paths of the files read (for the cache). */
  deps: string[]
}

function load(input: string | object, opts: LoadOptions): { config: ResolvedConfig; deps: string[] } {
  const cwd = resolve(opts.cwd ?? process.cwd())
  let raw: unknown
  let ctx: Context
  if (typeof input === 'string') {
    const file = resolve(cwd, input)
    ctx = { label: display(file, cwd), sourceFile: basename(file), file, dir: dirname(file), cwd, deps: [file] }
    const text = readText(file, ctx, (reason) => `Config: cannot read ${ctx.label}: ${reason}`)
    raw = parseJson(text, ctx.label, file, '')
  } else {
    const name = opts.name ?? 'inline config'
    ctx = { label: name, sourceFile: name, dir: cwd, cwd, deps: [] }
    raw = input
  }
  try {
    return { config: resolveConfig(raw, ctx), deps: ctx.deps }
  } catch (error) {
    if (error instanceof ConfigError) (error as ConfigErrorWithDeps).deps = ctx.deps
    throw error
  }
}

function resolveConfig(raw: unknown, ctx: Context): ResolvedConfig {
  const problems = validateAll(raw, configSchema)
  if (problems.length > 0) throw problemsError(problems, ctx)
  const config = raw as RawConfig
  const resolved: ResolvedConfig = { dir: ctx.dir, secrets: {}, rules: {} }
  if (ctx.file !== undefined) resolved.file = ctx.file
  for (const name of Object.keys(sections) as SectionName[]) {
    if (config[name] !== undefined) resolvers[name](config[name] as never, resolved, ctx)
  }
  return resolved
}

// ---------------------------------------------------------------------------------------------
// Sections

type SectionName = keyof typeof sections
type Resolver<K extends SectionName> = (raw: NonNullable<RawConfig[K]>, into: ResolvedConfig, ctx: Context) => void

/** One resolver per section of `schema.ts`; adding a section there makes the compiler ask for one here. */
const resolvers: { [K in SectionName]: Resolver<K> } = {
  routes(raw, into, ctx) {
    into.routes = resolveRoutes(raw, ctx)
  },
  secrets(raw, into, ctx) {
    for (const [name, secret] of Object.entries(raw)) into.secrets[name] = resolveSecret(name, secret, ctx)
  },
  images(raw, into, ctx) {
    into.images = resolveImages(raw, ctx)
  },
  installs(raw, into, ctx) {
    into.installs = resolveInstalls(raw, ctx)
  },
  forbidden(raw, into, ctx) {
    into.forbidden = resolveForbidden(raw, ctx)
  },
  rules(raw, into, ctx) {
    for (const [id, severity] of Object.entries(raw)) {
      if (!knownRuleIds.includes(id)) {
        throw problemError({ kind: 'unknown-key', path: ['rules'], key: id, allowed: knownRuleIds, suggestion: didYouMean(id, knownRuleIds) }, ctx)
      }
      into.rules[id] = severity as SeverityName
    }
  },
}

function resolveRoutes(raw: RawRoutes, ctx: Context): RoutesConfig {
  const paths = (raw.paths ?? []).map((path, index) => parseRouteTemplate(path, { file: ctx.sourceFile, key: `routes.paths[${index}]` }))
  let openapiSource: SourceRef | undefined
  let base: { prefix: string; prefixSource: SourceRef } | undefined
  if (raw.openapi !== undefined) {
    const file = resolve(ctx.dir, raw.openapi)
    ctx.deps.push(file)
    const label = display(file, ctx.cwd)
    const text = readText(file, ctx, (reason, missing) => missing
      ? `Config: \`routes.openapi\` points at \`${raw.openapi}\`, which does not exist (${ctx.label})`
      : `Config: cannot read ${label}: ${reason} (pointed at by \`routes.openapi\` in ${ctx.label})`)
    const sourceFile = relative(ctx.dir, file).split(sep).join('/')
    const api = readOpenApi(text, label, sourceFile, `(pointed at by \`routes.openapi\` in ${ctx.label})`, file)
    openapiSource = { file: sourceFile }
    if (api.basePath !== undefined) base = { prefix: normalisePrefix(api.basePath), prefixSource: api.basePathSource! }
    for (const route of api.routes) {
      const template = parseRouteTemplate(route.path, route.source)
      template.methods = route.methods
      const same = paths.find((p) => sameSegments(p.segments, template.segments))
      // A path listed in `routes.paths` allows any method; the document only adds new paths.
      if (!same) paths.push(template)
    }
  }
  if (raw.prefix === undefined && raw.openapi === undefined) {
    throw problemError({ kind: 'missing-key', path: ['routes'], key: 'prefix', expected: expectedOf(sections.routes.properties.prefix) }, ctx)
  }
  if (raw.prefix === undefined && base === undefined) {
    throw new ConfigError(
      `Config: \`routes.openapi\` (${raw.openapi}) has no \`servers[0].url\` to take the prefix from, expected \`routes.prefix\` too (${ctx.label})`,
      ctx.file, 'routes.prefix')
  }
  const { prefix, prefixSource } = raw.prefix !== undefined ? resolvePrefix(raw.prefix, ctx) : base!
  const routes: RoutesConfig = {
    prefix,
    prefixSource,
    stalePrefixes: (raw.stalePrefixes ?? []).map(normalisePrefix),
    paths,
    hosts: (raw.hosts ?? []).map((host) => host.toLowerCase()),
    ports: (raw.ports ?? []).map((port, index) => resolvePort(port, `routes.ports[${index}]`, ctx)),
  }
  if (openapiSource) routes.openapi = openapiSource
  if (raw.prefixEnv !== undefined) routes.prefixEnv = raw.prefixEnv
  const current = (raw.stalePrefixes ?? []).findIndex((stale) => normalisePrefix(stale) === prefix)
  if (current !== -1) {
    throw new ConfigError(
      `Config: \`${raw.stalePrefixes![current]}\` in \`routes.stalePrefixes\` is the current prefix, expected only prefixes the service no longer uses (${ctx.label})`,
      ctx.file, `routes.stalePrefixes[${current}]`)
  }
  return routes
}

function resolveSecret(name: string, raw: RawSecret, ctx: Context): SecretConstraint {
  if (raw.minBytes !== undefined && raw.maxBytes !== undefined && raw.minBytes > raw.maxBytes) {
    const keyPath = formatPath(['secrets', name, 'minBytes'])
    throw new ConfigError(
      `Config: unexpected value \`${raw.minBytes}\` for \`${keyPath}\`, expected at most \`maxBytes\` (\`${raw.maxBytes}\`) (${ctx.label})`,
      ctx.file, keyPath)
  }
  const secret: SecretConstraint = {
    name,
    decode: raw.decode ?? 'none',
    aliases: raw.aliases ?? [],
    source: { file: ctx.sourceFile, key: formatPath(['secrets', name]) },
  }
  if (raw.bytes !== undefined) secret.bytes = raw.bytes
  if (raw.minBytes !== undefined) secret.minBytes = raw.minBytes
  if (raw.maxBytes !== undefined) secret.maxBytes = raw.maxBytes
  if (raw.why !== undefined) secret.why = raw.why
  if (raw.newline !== undefined) secret.newline = raw.newline
  return secret
}

function sameSegments(a: Array<string | null>, b: Array<string | null>): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i])
}

// ---------------------------------------------------------------------------------------------
// Images, installs, forbidden patterns

/** `docker.io/library/nginx` → `nginx`: the repository as docdrift compares it. */
export function normaliseRepository(name: string): string {
  return name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '')
}

function resolveImages(raw: RawImages, ctx: Context): ImagesConfig {
  const images: ImagesConfig = { pinned: {}, floating: [] }
  for (const [name, ref] of Object.entries(raw.pinned ?? {})) {
    const keyPath = formatPath(['images', 'pinned', name])
    const repository = ref.replace(/@.*$/, '').replace(/:[^:/]*$/, '')
    if (normaliseRepository(repository) !== normaliseRepository(name)) {
      throw new ConfigError(
        `Config: unexpected value \`${showValue(ref)}\` for \`${keyPath}\`, expected a reference to \`${name}\` itself (${ctx.label})`,
        ctx.file, keyPath)
    }
    images.pinned[normaliseRepository(name)] = { ref, source: { file: ctx.sourceFile, key: keyPath } }
  }
  ;(raw.floating ?? []).forEach((name, index) => {
    images.floating.push({ name: normaliseRepository(name), source: { file: ctx.sourceFile, key: `images.floating[${index}]` } })
  })
  return images
}

function resolveInstalls(raw: RawInstalls, ctx: Context): InstallsConfig {
  const installs: InstallsConfig = { versions: {} }
  // Manifests first, so `versions` wins.
  ;(raw.manifests ?? []).forEach((manifest, index) => {
    const file = resolve(ctx.dir, manifest)
    ctx.deps.push(file)
    const label = display(file, ctx.cwd)
    const at = `installs.manifests[${index}]`
    const text = readText(file, ctx, (reason, missing) => missing
      ? `Config: \`${at}\` points at \`${manifest}\`, which does not exist (${ctx.label})`
      : `Config: cannot read ${label}: ${reason} (pointed at by \`${at}\` in ${ctx.label})`)
    const sourceFile = relative(ctx.dir, file).split(sep).join('/')
    for (const [name, version, key] of manifestVersions(basename(file), text, label, file, `(pointed at by \`${at}\` in ${ctx.label})`)) {
      installs.versions[name] = { version, source: { file: sourceFile, key }, fromManifest: true }
    }
  })
  for (const [name, version] of Object.entries(raw.versions ?? {})) {
    installs.versions[name] = { version, source: { file: ctx.sourceFile, key: formatPath(['installs', 'versions', name]) } }
  }
  return installs
}

/** [name, exact version, key] triples from a manifest; ranges (`^1.2.0`) give their base version only when exact. */
function manifestVersions(name: string, text: string, label: string, file: string, pointedBy: string): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = []
  if (name === 'go.mod') {
    // `require x v1.2.3` and `require ( … )` blocks; `// indirect` comments are fine.
    let block = false
    for (const rawLine of text.split('\n')) {
      const line = rawLine.replace(/\/\/.*$/, '').trim()
      if (line === 'require (') { block = true; continue }
      if (block && line === ')') { block = false; continue }
      const body = block ? line : line.startsWith('require ') ? line.slice(8).trim() : ''
      const match = /^(\S+)\s+(v\S+)$/.exec(body)
      if (match) out.push([match[1], match[2], `require ${match[1]}`])
    }
    return out
  }
  if (name.startsWith('requirements')) {
    for (const rawLine of text.split('\n')) {
      const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([A-Za-z0-9.+!_-]+)/.exec(rawLine)
      if (match) out.push([match[1].toLowerCase(), match[3], match[1]])
    }
    return out
  }
  const data = parseJson(text, label, file, ' ' + pointedBy) as Record<string, unknown>
  if (name === 'package-lock.json') {
    const packages = (data.packages ?? {}) as Record<string, { version?: unknown }>
    for (const [key, entry] of Object.entries(packages)) {
      const at = key.lastIndexOf('node_modules/')
      if (at === -1 || typeof entry?.version !== 'string') continue
      const pkg = key.slice(at + 'node_modules/'.length)
      if (!out.some(([n]) => n === pkg)) out.push([pkg, entry.version, `packages["${key}"].version`])
    }
    return out
  }
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const [pkg, range] of Object.entries((data[field] ?? {}) as Record<string, unknown>)) {
      if (typeof range !== 'string') continue
      const exact = /^[=v]?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/.exec(range.trim())
      if (exact) out.push([pkg, exact[1], `${field}.${pkg}`])
    }
  }
  return out
}

function resolveForbidden(raw: RawForbidden, ctx: Context): ForbiddenPattern[] {
  const seen = new Set<string>()
  return raw.map((item, index) => {
    const keyPath = `forbidden[${index}]`
    if (seen.has(item.id)) {
      throw new ConfigError(`Config: duplicate id \`${item.id}\` in \`${keyPath}.id\`, expected an id used once (${ctx.label})`, ctx.file, `${keyPath}.id`)
    }
    seen.add(item.id)
    const flags = item.flags ?? ''
    compilePattern(item.pattern, flags, ctx, `${keyPath}.pattern`)
    const pattern: ForbiddenPattern = { id: item.id, pattern: item.pattern, flags, message: item.message, source: { file: ctx.sourceFile, key: keyPath } }
    if (item.replace !== undefined) pattern.replace = item.replace
    if (item.in !== undefined) pattern.in = [...item.in]
    return pattern
  })
}

/**
 * User patterns run on RE2 (the `re2js` port): matching takes time linear in the input whatever
 * the pattern, so `(a+)+$` cannot hang CI. The price is RE2's syntax: no backreferences and no
 * lookaround, which are refused here with RE2's own reason.
 */
export function compilePattern(pattern: string, flags: string, ctx?: { file?: string; label: string }, keyPath = 'pattern'): RE2JS {
  let bits = 0
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE
  if (flags.includes('m')) bits |= RE2JS.MULTILINE
  if (flags.includes('s')) bits |= RE2JS.DOTALL
  try {
    return RE2JS.compile(pattern, bits)
  } catch (error) {
    const reason = String((error as Error).message).replace(/^error parsing regexp: /, '')
    throw new ConfigError(
      `Config: invalid regular expression \`${showValue(pattern)}\` for \`${keyPath}\`: ${reason}, expected RE2 syntax (${ctx?.label ?? 'config'})`,
      ctx?.file, keyPath)
  }
}

// ---------------------------------------------------------------------------------------------
// Prefixes and route templates

/** Leading slash, no trailing slash, `/` and `''` → `''`. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/{2,}/g, '/').replace(/\/+$/, '')
  if (trimmed === '') return ''
  return trimmed.startsWith('/') ? trimmed : '/' + trimmed
}

/** `/admin/takeover/:sessionID` → segments `['admin', 'takeover', null]`; `{param}` is a parameter too. */
export function parseRouteTemplate(path: string, source: SourceRef): RouteTemplate {
  const segments = path.split('/').slice(1)
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop()
  return {
    path,
    segments: segments.map((segment) => /^:[^/]+$|^\{[^/{}]+\}$/.test(segment) ? null : segment),
    source,
  }
}

function resolvePrefix(raw: NonNullable<RawRoutes["prefix"]>, ctx: Context): { prefix: string; prefixSource: SourceRef } {
  if (typeof raw === 'string') {
    return { prefix: normalisePrefix(raw), prefixSource: { file: ctx.sourceFile, key: 'routes.prefix' } }
  }
  const value = readPointer(raw, 'routes.prefix', ctx)
  const pointedBy = `(pointed at by \`routes.prefix\` in ${ctx.label})`
  if (typeof value.value !== 'string') {
    throw new ConfigError(
      `Config: unexpected value \`${showValue(value.value)}\` for \`${raw.key}\` in ${value.label}, expected a string path prefix ${pointedBy}`,
      value.file, raw.key)
  }
  return { prefix: normalisePrefix(value.value), prefixSource: value.source }
}

/**
 * One entry of `routes.ports`: a number, or a pointer to a port (`8080`, `"8080"`) or a listen
 * address (`":8080"`, `"0.0.0.0:8080"`, `"[::]:8080"`) in the service's own config.
 */
function resolvePort(raw: NonNullable<RawRoutes['ports']>[number], at: string, ctx: Context): { port: number; source: SourceRef } {
  if (typeof raw === 'number') return { port: raw, source: { file: ctx.sourceFile, key: at } }
  const value = readPointer(raw, at, ctx)
  const port = portOf(value.value)
  if (port === undefined) {
    throw new ConfigError(
      `Config: unexpected value \`${showValue(value.value)}\` for \`${raw.key}\` in ${value.label}, expected a port number from 1 to 65535 or a listen address such as \`:8080\` (pointed at by \`${at}\` in ${ctx.label})`,
      value.file, raw.key)
  }
  return { port, source: value.source }
}

/** The port of a pointed value: a number, a string of digits, or an address ending in `:port`. */
function portOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined
  const digits = text === undefined ? undefined : /^(?:(?:[^:\s]*|\[[^\]\s]*\]):)?(\d{1,5})$/.exec(text)?.[1]
  const port = digits === undefined ? undefined : Number(digits)
  return port !== undefined && port >= 1 && port <= 65535 ? port : undefined
}

// ---------------------------------------------------------------------------------------------
// Pointers into the service's own config

type Format = 'TOML' | 'YAML' | 'JSON' | 'env'

function formatOf(file: string): Format | undefined {
  const name = basename(file)
  const extension = extname(name).toLowerCase()
  if (extension === '.toml') return 'TOML'
  if (extension === '.yaml' || extension === '.yml') return 'YAML'
  if (extension === '.json') return 'JSON'
  if (extension === '.env' || name.startsWith('.env')) return 'env'
  return undefined
}

interface PointedValue {
  value: unknown
  /** Absolute path of the pointed file. */
  file: string
  /** Its name in messages. */
  label: string
  source: SourceRef
}

/** Reads the value a pointer `{file, key}` at `at` (e.g. `routes.prefix`) points to. */
function readPointer(pointer: RawPointer, at: string, ctx: Context): PointedValue {
  const file = resolve(ctx.dir, pointer.file)
  ctx.deps.push(file)
  const label = display(file, ctx.cwd)
  const pointedBy = `(pointed at by \`${at}\` in ${ctx.label})`
  const format = formatOf(file)!
  const text = readText(file, ctx, (reason, missing) => missing
    ? `Config: \`${at}.file\` points at \`${pointer.file}\`, which does not exist (${ctx.label})`
    : `Config: cannot read ${label}: ${reason} ${pointedBy}`)

  let data: unknown
  if (format === 'env') {
    data = parseEnv(text)
  } else if (format === 'JSON') {
    data = parseJson(text, label, file, ' ' + pointedBy)
  } else {
    try {
      data = format === 'TOML' ? parseToml(text) : parseYaml(text)
    } catch (error) {
      const { line, column, reason } = format === 'TOML' ? tomlErrorInfo(error) : yamlErrorInfo(error)
      const where = line === undefined ? '' : ` at line ${line}, column ${column}`
      throw new ConfigError(`Config: invalid ${format} in ${label}${where}: ${reason} ${pointedBy}`, file)
    }
  }

  const source: SourceRef = { file: relative(ctx.dir, file).split(sep).join('/'), key: pointer.key }
  const keys = format === 'env' ? [pointer.key] : parseKeyPath(pointer.key)
  let current: unknown = data
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]
    const container = current as Record<string | number, unknown>
    const found = (typeof key === 'number' ? Array.isArray(current) && key < current.length
      : isPlainObject(current) && Object.hasOwn(current, key))
    if (!found) {
      let hint = ''
      if (typeof key === 'string' && isPlainObject(current)) {
        const suggestion = didYouMean(key, Object.keys(current))
        if (suggestion !== undefined) hint = `; did you mean \`${formatKeyPath([...keys.slice(0, index), suggestion])}\`?`
      }
      throw new ConfigError(`Config: \`${pointer.key}\` not found in ${label} ${pointedBy}${hint}`, file, pointer.key)
    }
    current = container[key]
  }
  return { value: current, file, label, source }
}

/** `chatbox.path_prefix` → `['chatbox', 'path_prefix']`; `servers[0].prefix` → `['servers', 0, 'prefix']`. */
export function parseKeyPath(key: string): Array<string | number> {
  const keys: Array<string | number> = []
  for (const match of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(match[2] !== undefined ? Number(match[2]) : match[1])
  }
  return keys
}

function formatKeyPath(keys: ReadonlyArray<string | number>): string {
  return keys.map((key, index) => typeof key === 'number' ? `[${key}]` : (index === 0 ? key : '.' + key)).join('')
}

function tomlErrorInfo(error: unknown): { line?: number | undefined; column?: number | undefined; reason: string } {
  const e = error as { message?: string; line?: number; column?: number }
  const reason = firstLine(e.message).replace(/^Invalid TOML document:\s*/, '')
  return { line: e.line, column: e.column, reason }
}

function yamlErrorInfo(error: unknown): { line?: number | undefined; column?: number | undefined; reason: string } {
  const e = error as { message?: string; code?: string; linePos?: Array<{ line: number; col: number }> }
  const reason = e.code === 'MULTIPLE_DOCS'
    ? 'more than one document'
    : firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '')
  const position = e.linePos?.[0]
  return { line: position?.line, column: position?.col, reason: lowerFirst(reason) }
}

function firstLine(message: string | undefined): string {
  return (message ?? 'unknown error').split('\n')[0].trim()
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text
}

// ---------------------------------------------------------------------------------------------
// Reading and JSON

function readText(file: string, ctx: Context, message: (reason: string, missing: boolean) => string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const missing = code === 'ENOENT' || code === 'ENOTDIR'
    const reason = missing ? 'file not found'
      : code === 'EISDIR' ? 'it is a folder'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : String(code ?? (error as Error).message)
    const configError = new ConfigError(message(reason, missing), file) as ConfigErrorWithDeps
    configError.deps = ctx.deps
    throw configError
  }
}

function parseJson(text: string, label: string, file: string, suffix: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const found = locateJsonError(text) ?? fromEngineMessage(text, (error as Error).message)
    const { line, column } = lineColumn(text, found.position)
    throw new ConfigError(`Config: invalid JSON in ${label} at line ${line}, column ${column}: ${found.reason}${suffix}`, file)
  }
}

function fromEngineMessage(text: string, message: string): { position: number; reason: string } {
  const position = /position (\d+)/.exec(message)
  return {
    position: position ? Number(position[1]) : text.length,
    reason: lowerFirst(message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '')),
  }
}

export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position)
  const line = before.split('\n').length
  return { line, column: position - (before.lastIndexOf('\n') + 1) + 1 }
}

/**
 * Finds where and why `text` is not JSON, in our words (Node 20's `JSON.parse` leaves out the
 * position for unexpected tokens). Returns undefined when `text` is valid JSON.
 */
export function locateJsonError(text: string): { position: number; reason: string } | undefined {
  let i = 0
  class Stop { constructor(readonly position: number, readonly reason: string) {} }
  const fail = (position: number, reason: string): never => { throw new Stop(position, reason) }
  const show = (at: number): string => {
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(at))
    const token = word ? word[0] : String.fromCodePoint(text.codePointAt(at)!)
    return token === '`' ? '"`"' : '`' + token + '`'
  }

  const space = (): void => {
    for (;;) {
      const c = text[i]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail(i, 'comments are not allowed in JSON')
      else return
    }
  }

  const string = (): void => {
    const start = i
    i++
    for (;;) {
      if (i >= text.length) fail(start, 'unterminated string')
      const c = text[i]
      if (c === '"') { i++; return }
      if (c === '\n' || c === '\r') fail(i, 'line break inside a string')
      if (c < ' ') fail(i, 'control character inside a string')
      if (c === '\\') {
        const next = text[i + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i, 'invalid `\\u` escape')
          i += 6
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          i += 2
        } else {
          fail(i, `invalid escape \`\\${next ?? ''}\``)
        }
      } else {
        i++
      }
    }
  }

  const value = (): void => {
    space()
    const c = text[i]
    if (c === undefined) fail(i, 'unexpected end of file, expected a value')
    if (c === '{') return object()
    if (c === '[') return array()
    if (c === '"') return string()
    if (c === '\'') fail(i, 'strings need double quotes')
    if (c === '-' || (c >= '0' && c <= '9')) {
      const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
      number.lastIndex = i
      const match = number.exec(text)
      if (!match) fail(i, 'invalid number')
      i += match![0].length
      return
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i) && !/[\w$]/.test(text[i + literal.length] ?? '')) { i += literal.length; return }
    }
    fail(i, `unexpected ${show(i)}, expected a value`)
  }

  const object = (): void => {
    i++
    space()
    if (text[i] === '}') { i++; return }
    let comma = -1
    for (;;) {
      space()
      const c = text[i]
      if (c !== '"') {
        if (c === undefined) fail(i, 'unexpected end of file, expected a property name')
        if (c === '}' && comma !== -1) fail(comma, 'trailing comma before `}`')
        if (c === '\'' || /[A-Za-z_$]/.test(c)) fail(i, 'property names need double quotes')
        fail(i, `unexpected ${show(i)}, expected a double-quoted property name`)
      }
      string()
      space()
      if (text[i] !== ':') fail(i, text[i] === undefined ? 'unexpected end of file, expected `:`' : `expected \`:\` after the property name, found ${show(i)}`)
      i++
      value()
      space()
      if (text[i] === ',') { comma = i++; continue }
      if (text[i] === '}') { i++; return }
      fail(i, text[i] === undefined ? 'unexpected end of file, expected `,` or `}`' : `expected \`,\` or \`}\` after a property value, found ${show(i)}`)
    }
  }

  const array = (): void => {
    i++
    space()
    if (text[i] === ']') { i++; return }
    let comma = -1
    for (;;) {
      space()
      if (text[i] === ']' && comma !== -1) fail(comma, 'trailing comma before `]`')
      value()
      space()
      if (text[i] === ',') { comma = i++; continue }
      if (text[i] === ']') { i++; return }
      fail(i, text[i] === undefined ? 'unexpected end of file, expected `,` or `]`' : `expected \`,\` or \`]\` after an array item, found ${show(i)}`)
    }
  }

  try {
    value()
    space()
    if (i < text.length) fail(i, `unexpected ${show(i)} after the end of the JSON value`)
    return undefined
  } catch (error) {
    if (error instanceof Stop) return { position: error.position, reason: error.reason }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function problemError(problem: Problem, ctx: Context): ConfigError {
  const {text, keyPath} = problemText(problem, ctx.label)
  return new ConfigError(`Config: ${text}`, ctx.file, keyPath)
}

/**
 * Every problem the schema found, in one line: one problem as `problemError` says it; more,
 * numbered after the file's name (`Config: 3 problems in docdrift.config.json: (1) …; (2) …`).
 */
function problemsError(problems: Problem[], ctx: Context): ConfigError {
  if (problems.length === 1) return problemError(problems[0], ctx)
  const texts = problems.map((problem, index) => `(${index + 1}) ${problemText(problem).text}`)
  return new ConfigError(`Config: ${problems.length} problems in ${ctx.label}: ${texts.join('; ')}`, ctx.file, problemText(problems[0]).keyPath)
}

/** What is wrong and what was expected; with `label`, also the file (said once for many problems otherwise). */
function problemText(problem: Problem, label?: string): {text: string; keyPath: string} {
  const at = label === undefined ? '' : ` (${label})`
  const inFile = label === undefined ? '' : ` in ${label}`
  switch (problem.kind) {
    case 'value': {
      const where = problem.path.length === 0 ? 'the config' : `\`${formatPath(problem.path)}\``
      const value = showValue(problem.value)
      const text = problem.suggestion === undefined
        ? `unexpected value \`${value}\` for ${where}, expected ${problem.expected}${at}`
        : `unexpected value \`${value}\` for ${where}${inFile}, expected ${problem.expected}; did you mean \`${problem.suggestion}\`?`
      return {text, keyPath: formatPath(problem.path)}
    }
    case 'unknown-key': {
      const keyPath = formatPath([...problem.path, problem.key])
      const allowed = problem.allowed.length === 0 ? 'no keys here' : 'one of ' + listCode(problem.allowed)
      const hint = problem.suggestion === undefined ? '' : `; did you mean \`${problem.suggestion}\`?`
      return {text: `unknown key \`${keyPath}\`${inFile}, expected ${allowed}${hint}`, keyPath}
    }
    case 'bad-key': {
      const keyPath = formatPath([...problem.path, problem.key])
      return {text: `unexpected key \`${problem.key}\` in \`${formatPath(problem.path)}\`, expected ${problem.expected}${at}`, keyPath}
    }
    case 'missing-key': {
      const keyPath = formatPath([...problem.path, problem.key])
      return {text: `missing key \`${keyPath}\`${inFile}, expected ${problem.expected}`, keyPath}
    }
  }
}

/** `['routes', 'paths', 3]` → `routes.paths[3]`; odd keys are quoted (`secrets["a b"]`). */
export function formatPath(path: Path): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += (out === '' ? '' : '.') + key
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

/** A value for a message: strings as they are, the rest as JSON, cut at 40 characters. */
export function showValue(value: unknown): string {
  let text = typeof value === 'string' ? (value === '' ? '""' : value)
    : value === undefined ? 'undefined'
      : JSON.stringify(value) ?? String(value)
  text = text.replace(/\s+/g, ' ')
  return text.length > 40 ? text.slice(0, 39) + '…' : text
}

/** A path for messages: relative to cwd when inside it, else absolute. */
function display(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file
}

// `throwIfNoEntry: false`: a missing file is the common case here (the walk up to a config),
// and an exception per folder per file costs more than the lookup itself.
function isFile(file: string): boolean {
  try {
    return statSync(file, {throwIfNoEntry: false})?.isFile() ?? false
  } catch {
    return false
  }
}

function stampOf(file: string): string {
  try {
    const stat = statSync(file, {throwIfNoEntry: false})
    return stat ? `${stat.mtimeMs}:${stat.size}` : 'missing'
  } catch {
    return 'missing'
  }
}
