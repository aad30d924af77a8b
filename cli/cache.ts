/**
 * `docdrift --cache`: the results of files that have not changed, kept from the last run.
 *
 * A file's result is reused only when all that decides it is the same: the file's text, the
 * config it resolved to (every fact read from the service's own files, the rule settings), and
 * the build of docdrift (`dist/build.json`, a hash of every file the build made, written by
 * scripts/bundle.js). Anything else (a file that could not be read or checked, a config error, a
 * `--fix-dry-run`) is never stored, so it is checked again each run.
 *
 * The main thread reads and writes the cache file; the threads that lint get the entries of
 * their files and hand back the keys of what they checked (everything is plain data).
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {ResolvedConfig} from '../core/types.js'
import type {CacheKey, FileResult, Finding} from './types.js'

/** Where the cache goes by default, in the folder the command runs in. */
export const DEFAULT_CACHE_FILE = '.docdriftcache'

/** One file's stored result, under the key it was stored for. */
export interface CacheEntry extends CacheKey {
  findings: Finding[]
  usage: NonNullable<FileResult['usage']>
  lines: FileResult['lines']
}

export interface Cache {
  /** Absolute path of the cache file. */
  file: string
  /** The cache file as messages name it: relative to the working folder. */
  shown: string
  build: string
  /** By absolute file path. */
  entries: Map<string, CacheEntry>
}

interface CacheFile {
  docdrift: string
  /** By path relative to the cache file's folder, with `/`. */
  files: Record<string, CacheEntry>
}

/**
 * The cache at `location` (a file, or a folder to hold `.docdriftcache`; relative to `cwd`), with
 * its entries when it was written by this build. A cache that cannot be read is started over, with
 * a warning: the run then checks every file.
 */
export function loadCache(location: string, cwd: string): {cache?: Cache; warning?: string; error?: string} {
  const build = buildId()
  if (!build) return {error: 'cannot use `--cache`: this build of docdrift has no dist/build.json (run `npm run build`)'}
  // A folder (one that exists, or a path written as one: `tmp/`) holds `.docdriftcache`.
  const resolved = path.resolve(cwd, location)
  let file = /[\\/]$/.test(location) ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved
  try {
    if (file === resolved && statSync(resolved).isDirectory()) file = path.join(resolved, DEFAULT_CACHE_FILE)
  } catch {
    // Not there yet: the file to write.
  }
  const shown = path.relative(cwd, file).split(path.sep).join('/') || file
  const cache: Cache = {file, shown, build, entries: new Map()}
  const unreadable = (error: unknown) => ({cache, warning: `cannot read the cache \`${shown}\` (${(error as Error).message}); every file is checked, and the cache written again`})
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    // None yet (also when a folder on the way is a file: writing it says so).
    const code = (error as NodeJS.ErrnoException)?.code
    return code === 'ENOENT' || code === 'ENOTDIR' ? {cache} : unreadable(error)
  }
  let stored: CacheFile
  try {
    stored = JSON.parse(text) as CacheFile
    if (!isObject(stored) || typeof stored.docdrift !== 'string' || !isObject(stored.files)) throw new Error('not a docdrift cache')
  } catch (error) {
    return unreadable(error)
  }
  // Another build of docdrift may read the same text differently: start over.
  if (stored.docdrift !== build) return {cache}
  const folder = path.dirname(file)
  for (const [name, entry] of Object.entries(stored.files)) {
    if (validEntry(entry)) cache.entries.set(path.resolve(folder, name), entry)
  }
  return {cache}
}

/** Whether a stored entry has the shape this build writes (a hand-edited one that does not is dropped). */
function validEntry(entry: unknown): entry is CacheEntry {
  if (!isObject(entry)) return false
  const e = entry as Partial<CacheEntry>
  return typeof e.text === 'string' && typeof e.config === 'string' && Array.isArray(e.findings) && e.findings.every(validFinding) &&
    isObject(e.usage) && isObject(e.usage.checked) && isObject(e.usage.matched) && isObject(e.lines) && Object.values(e.lines).every((line) => typeof line === 'string')
}

/** What the reports read of a finding. */
function validFinding(finding: unknown): boolean {
  if (!isObject(finding)) return false
  const f = finding as Partial<Finding>
  const point = (p: unknown) => isObject(p) && ['line', 'column', 'offset'].every((key) => Number.isInteger((p as Record<string, unknown>)[key]))
  return typeof f.ruleId === 'string' && (f.severity === 'error' || f.severity === 'warning') && typeof f.message === 'string' && point(f.start) && point(f.end) &&
    (f.fix === undefined || (isObject(f.fix) && Number.isInteger(f.fix.start) && Number.isInteger(f.fix.end) && typeof f.fix.text === 'string'))
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Store what this run checked (a file it could not check loses its entry) and write the cache
 * atomically. Entries of files this run did not look at are kept while the files exist. Returns
 * a warning when the cache cannot be written.
 */
export function saveCache(cache: Cache, results: FileResult[]): string | undefined {
  for (const result of results) {
    if (result.cacheKey && result.usage) {
      cache.entries.set(result.path, {...result.cacheKey, findings: result.findings, usage: result.usage, lines: result.lines})
    } else if (result.errors.length > 0 || result.configErrors.length > 0) {
      cache.entries.delete(result.path)
    }
  }
  for (const file of cache.entries.keys()) if (!existsSync(file)) cache.entries.delete(file)
  const folder = path.dirname(cache.file)
  const files: Record<string, CacheEntry> = {}
  for (const [file, entry] of [...cache.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    files[path.relative(folder, file).split(path.sep).join('/')] = entry
  }
  const temp = `${cache.file}.${process.pid}.tmp`
  try {
    mkdirSync(folder, {recursive: true})
    writeFileSync(temp, JSON.stringify({docdrift: cache.build, files} satisfies CacheFile))
    renameSync(temp, cache.file)
  } catch (error) {
    try {
      rmSync(temp, {force: true})
    } catch {
      // Nothing was written there.
    }
    const code = (error as NodeJS.ErrnoException)?.code
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a folder on its path is a file' : (error as Error).message
    return `cannot write the cache \`${cache.shown}\` (${why}); the next run checks every file again`
  }
  return undefined
}

/** sha256 of a text, base64. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}

const configHashes = new WeakMap<ResolvedConfig, string>()

/** sha256 of a resolved config: every fact and setting in it, and where each came from. */
export function hashConfig(config: ResolvedConfig): string {
  let hash = configHashes.get(config)
  if (!hash) {
    hash = hashText(JSON.stringify(config))
    configHashes.set(config, hash)
  }
  return hash
}

let build: string | undefined | null = null

/** The build's id (dist/build.json), undefined when the build has none. */
export function buildId(): string | undefined {
  if (build === null) {
    try {
      const id = (JSON.parse(readFileSync(new URL('../build.json', import.meta.url), 'utf8')) as {build?: unknown}).build
      build = typeof id === 'string' && id !== '' ? id : undefined
    } catch {
      build = undefined
    }
  }
  return build
}

/** Whether a stored result was stored for this key. */
export function storedFor(entry: CacheEntry | undefined, key: CacheKey): entry is CacheEntry {
  return entry !== undefined && entry.text === key.text && entry.config === key.config
}
