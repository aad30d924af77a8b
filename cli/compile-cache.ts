/**
 * What the command's threads run the engine from (cli/lint-loader.ts): the engine is one
 * CommonJS file (dist/command/lint-body.cjs, built by scripts/bundle.js), compiled here through
 * `vm.Script` with V8's code cache, so that each of a run's threads does not compile it again
 * (Node 22 does this for any module with `module.enableCompileCache()`; Node 20 has no such
 * switch). On the benchmark corpus a run with two worker threads spends about 0.3 s less CPU and
 * takes 1–5% less time. The cache is V8's bytecode of every function a run had compiled by its
 * exit, written at exit when there was none, and read by the runs after. (Tried for the remark
 * and markdownlint faces too: their ES modules load as fast as the cached file, so they do not
 * use it.)
 *
 * Where it lives: `$DOCDRIFT_COMPILE_CACHE` if set (`off` turns it off), else
 * `<os.tmpdir()>/docdrift-compile-cache-<uid>`. A file is named after the bundle, and a hash of
 * its code, Node's version, the platform and the options Node was started with, so another build,
 * another Node or other V8 flags never read it; V8 checks it again and rejects what it cannot use,
 * and a rejected cache is written anew, as is one written by a run that took less than half this
 * run's CPU time (it lacks what this run compiled). The folder is made private to the user (mode
 * 0700) and not used when it is a link, belongs to someone else or others may write in it: its
 * files are code this process runs. Reading or writing the cache never fails a run: without it,
 * the engine compiles as any module does.
 */
import {createHash, randomBytes} from 'node:crypto'
import {lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'
import {threadId} from 'node:worker_threads'

/** How many caches of one bundle a folder keeps (other builds, other Node versions), newest first. */
const KEEP = 4
/** How old a temporary file is before it counts as left behind by a run that stopped, ms. */
const STALE_MS = 10 * 60 * 1000

/** What each file loaded did with the cache: for tests. */
export interface CompileCacheStatus {
  /** The CommonJS file. */
  file: string
  /** The cache file, when there is a usable folder. */
  cache?: string
  /** `accepted`: V8 used the cache; `rejected`: it could not; `missing`: none yet; `off`: no folder. */
  state: 'accepted' | 'rejected' | 'missing' | 'off'
}

export const compileCacheStatus: CompileCacheStatus[] = []

/** The cache folder, made if need be, or undefined when there is none this process may trust. */
function cacheFolder(): string | undefined {
  const setting = process.env.DOCDRIFT_COMPILE_CACHE
  if (setting !== undefined && /^(?:off|0|false|no)$/i.test(setting.trim())) return undefined
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  const folder = setting?.trim() ? path.resolve(setting.trim()) : path.join(tmpdir(), `docdrift-compile-cache-${uid ?? 'user'}`)
  try {
    const stat = lstatSync(folder, {throwIfNoEntry: false}) ?? (mkdirSync(folder, {recursive: true, mode: 0o700}), lstatSync(folder))
    if (!stat.isDirectory()) return undefined
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined
    return folder
  } catch {
    return undefined
  }
}

/**
 * Runs the CommonJS file `url` as Node runs one (its own `exports`, `require`, `module`,
 * `__filename`, `__dirname`), with V8's code cache.
 */
export function runCommonJs(url: URL): Record<string, unknown> {
  const file = fileURLToPath(url)
  const source = readFileSync(file, 'utf8')
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const folder = cacheFolder()
  let cache: string | undefined
  let cachedData: Buffer | undefined
  let madeBy = 0
  let foreign = false
  if (folder) {
    const key = createHash('sha256')
      .update(source)
      .update(`\0${process.version}\0${process.platform}\0${process.arch}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`)
      .digest('hex')
      .slice(0, 20)
    cache = path.join(folder, `${path.basename(file, '.cjs')}-${key}.bin`)
    try {
      const bytes = readFileSync(cache)
      // A file of ours starts with `MAGIC` and the CPU time of the run that wrote it; V8 is given
      // nothing else (it is written anew).
      foreign = !(bytes.length > HEADER && bytes.subarray(0, 4).equals(MAGIC))
      if (!foreign) {
        madeBy = bytes.readUInt32LE(4)
        cachedData = bytes.subarray(HEADER)
      }
    } catch {
      cachedData = undefined
    }
  }
  const script = new vm.Script(wrapped, {filename: file, cachedData})
  const state = !cache ? 'off' : foreign ? 'rejected' : cachedData === undefined ? 'missing' : script.cachedDataRejected === false ? 'accepted' : 'rejected'
  compileCacheStatus.push({file, cache, state})
  const module = {exports: {} as Record<string, unknown>}
  ;(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file))
  if (cache) {
    const target = cache
    // At exit, the code cache holds every function compiled by then, not only the top level. A
    // cache made by a smaller run (one file, where this run checked a tree) lacks most of what a
    // larger one runs: a run that took more than twice its CPU time writes it again, so a folder
    // converges in a few runs (each write at least doubles the time it records).
    process.once('exit', () => {
      const cpu = cpuMs()
      if (state !== 'accepted' || cpu > 2 * madeBy + 50) write(target, script, cpu)
    })
  }
  return module.exports
}

/** `DDC1` and the writing run's CPU time in ms (uint32), before V8's data. */
const MAGIC = Buffer.from('DDC1')
const HEADER = 8

/** The process's CPU time so far, ms. */
function cpuMs(): number {
  const {user, system} = process.cpuUsage()
  return Math.min(0xffffffff, Math.round((user + system) / 1000))
}

/** Writes the cache beside its older siblings (kept to `KEEP`), whole or not at all. */
function write(cache: string, script: vm.Script, cpu: number): void {
  // A name of this thread's own: a run's worker threads share the process id, and may write the
  // same cache at once.
  const temporary = `${cache}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`
  try {
    const header = Buffer.alloc(HEADER)
    MAGIC.copy(header)
    header.writeUInt32LE(cpu, 4)
    writeFileSync(temporary, Buffer.concat([header, script.createCachedData()]), {mode: 0o600})
    renameSync(temporary, cache)
    const folder = path.dirname(cache)
    const bundle = path.basename(cache).replace(/[0-9a-f]+\.bin$/, '')
    const siblings = readdirSync(folder)
      .filter((name) => name.startsWith(bundle) && /^[0-9a-f]{20}\.bin$/.test(name.slice(bundle.length)))
      .map((name) => ({name, time: statSync(path.join(folder, name)).mtimeMs}))
      .sort((a, b) => b.time - a.time)
    for (const old of siblings.slice(KEEP)) unlinkSync(path.join(folder, old.name))
    // What a run stopped while writing left behind (a worker terminated after `CLOSE_MS`).
    const stale = Date.now() - STALE_MS
    for (const name of readdirSync(folder)) {
      if (!name.startsWith(bundle) || !name.endsWith('.tmp')) continue
      const file = path.join(folder, name)
      if ((statSync(file, {throwIfNoEntry: false})?.mtimeMs ?? Infinity) < stale) unlinkSync(file)
    }
  } catch {
    try {
      unlinkSync(temporary)
    } catch {
      // Nothing was written.
    }
  }
}
