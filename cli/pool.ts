/**
 * Spread files across the main thread and worker threads. Files are handed out in small batches
 * as threads become free (a worker asks once it has loaded; one slow file does not hold up a
 * whole share), and results are put back in file order, so the output is the same as a
 * single-threaded run.
 */
import {availableParallelism} from 'node:os'
import {lintFiles} from './lint.js'
import {startWorker, stopSpares, takeSpares, type Spare} from './spare.js'
import type {FileResult, LintSettings} from './types.js'

/** Below this many files, starting workers (each loads the parser and grammar) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 17

/** How many threads a run uses: `--jobs`, else one per core, never more than the files. */
export function threadCount(files: number, jobs?: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, files))
  if (files < MIN_FILES_FOR_WORKERS) return 1
  return Math.max(1, Math.min(availableParallelism(), files))
}

export async function lintAll(files: string[], settings: LintSettings, threads: number): Promise<FileResult[]> {
  if (threads <= 1 || files.length <= 1) {
    await stopSpares()
    return lintFiles(files, settings)
  }
  const results: FileResult[] = new Array(files.length)
  // Batches small enough to balance the load, large enough to keep messaging cheap.
  const size = Math.max(1, Math.min(16, Math.floor(files.length / (threads * 4))))
  const batches: Array<{id: number; files: string[]}> = []
  for (let at = 0; at < files.length; at += size) batches.push({id: at, files: files.slice(at, at + size)})
  let next = 0
  const store = (id: number, batch: FileResult[]) => batch.forEach((result, index) => (results[id + index] = result))
  // The main thread has everything loaded already: it lints too, beside threads - 1 workers
  // (started early by cli/docdrift.ts when it could, cli/spare.ts).
  const wanted = Math.min(threads, batches.length) - 1
  const workers = takeSpares(wanted)
  await stopSpares()
  while (workers.length < wanted) workers.push(startWorker())
  // Each worker asks for work once loaded; one still loading when the work is done is not waited for.
  const idle: Array<() => void> = []
  const local = async () => {
    while (next < batches.length) {
      const batch = batches[next++]
      store(batch.id, await lintFiles(batch.files, settings))
      // Linting a batch settles in microtasks only: give the event loop a turn, so the workers'
      // answers are read and they get their next batch while this thread goes on.
      await new Promise((resolve) => setImmediate(resolve))
    }
    for (const release of idle) release()
  }
  const remote = ({worker, ready}: Spare) =>
    new Promise<void>((resolve, reject) => {
      let busy = false
      idle.push(() => busy || resolve())
      const feed = () => {
        busy = next < batches.length
        if (!busy) {
          resolve()
          return
        }
        worker.postMessage({...batches[next++], settings})
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
    await Promise.all([local(), ...workers.map(remote)])
  } finally {
    await Promise.all(workers.map(({worker}) => worker.terminate()))
  }
  return results
}
