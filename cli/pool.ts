/**
 * Spread files across worker threads. Files are handed out in small batches as workers become
 * free (a worker asks once it has loaded; one slow file does not hold up a whole share), and
 * results are put back in file order, so the output is the same as a single-threaded run.
 */
import {availableParallelism} from 'node:os'
import {loadLint} from './lint-loader.js'
import {closeWorker, startWorker, stopSpares, takeSpares, type Spare} from './spare.js'
import type {CacheEntry} from './cache.js'
import type {FileResult, LintSettings} from './types.js'

/** Below this many files, starting workers (each loads the parser and grammar) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 17

/** How many threads a run uses: `--jobs`, else one per core, never more than the files. */
export function threadCount(files: number, jobs?: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, files))
  if (files < MIN_FILES_FOR_WORKERS) return 1
  return Math.max(1, Math.min(availableParallelism(), files))
}

/** `cached`: the stored results (`--cache`), by absolute path; each thread gets those of its files. */
export async function lintAll(files: string[], settings: LintSettings, threads: number, cached?: ReadonlyMap<string, CacheEntry>): Promise<FileResult[]> {
  const entriesOf = (batch: string[]) => {
    const entries: Record<string, CacheEntry> = {}
    if (cached) for (const file of batch) if (cached.has(file)) entries[file] = cached.get(file)!
    return entries
  }
  if (threads <= 1 || files.length <= 1) {
    await stopSpares()
    const {lintFiles} = await loadLint()
    return lintFiles(files, settings, entriesOf(files))
  }
  const results: FileResult[] = new Array(files.length)
  // Batches small enough to balance the load, large enough to keep messaging cheap.
  const size = Math.max(1, Math.min(16, Math.floor(files.length / (threads * 4))))
  const batches: Array<{id: number; files: string[]}> = []
  for (let at = 0; at < files.length; at += size) batches.push({id: at, files: files.slice(at, at + size)})
  let next = 0
  const store = (id: number, batch: FileResult[]) => batch.forEach((result, index) => (results[id + index] = result))
  // One worker per thread (started early by cli/docdrift.ts when it could: cli/spare.ts); the
  // main thread only hands out batches, so it never loads the engine, and every linting thread
  // has the worker's larger young generation.
  const wanted = Math.min(threads, batches.length)
  const workers = takeSpares(wanted)
  await stopSpares()
  while (workers.length < wanted) workers.push(startWorker())
  const remote = ({worker, ready}: Spare) =>
    new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= batches.length) {
          resolve()
          return
        }
        const batch = batches[next++]
        worker.postMessage({...batch, settings, cached: entriesOf(batch.files)})
      }
      ready.then(feed, reject)
      worker.on('message', (message: {ready?: true; id: number; results?: FileResult[]; error?: string}) => {
        if (message.ready) return
        if (message.error !== undefined || !message.results) {
          reject(new Error(message.error))
          return
        }
        store(message.id, message.results)
        feed()
      })
      worker.on('error', reject)
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`a lint worker stopped with code ${code}`))
      })
    })
  try {
    await Promise.all(workers.map(remote))
  } catch (error) {
    await Promise.all(workers.map(({worker}) => worker.terminate()))
    throw error
  }
  // Done: each worker is told so and exits by itself, writing the code cache if it had none.
  await Promise.all(workers.map(({worker}) => closeWorker(worker)))
  return results
}
