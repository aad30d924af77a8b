/**
 * Worker threads started before the command has loaded its own modules: a worker needs ~0.4 s to
 * load the parser and the grammar, and starting it first lets that overlap with the main
 * thread's own start. Light on purpose (no engine imports): cli/docdrift.ts calls `prestart`
 * first thing; cli/pool.ts takes what it needs and stops the rest.
 */
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

export interface Spare {
  worker: Worker
  /** Settles when the worker has loaded and asks for work. */
  ready: Promise<void>
}

const spares: Spare[] = []

/**
 * The lock every thread of the process holds while it compiles a grammar with V8's flags set
 * (core/shell/tree-sitter-sync.ts `baselineOnly`, which reads it under this name): the main
 * thread's, given to each worker. The name is written out, not imported, to keep this module
 * light (test/cli-bin.test.ts checks that the two agree).
 */
export const FLAG_LOCK = 'docdrift.v8FlagLock'
const flagLock = new Int32Array(new SharedArrayBuffer(4))
;(globalThis as Record<symbol, unknown>)[Symbol.for(FLAG_LOCK)] ??= flagLock

/** Young generation of a lint worker, MB. */
const YOUNG_GENERATION_MB = 64

/** Start one worker per core (the main thread only hands out files and writes the report). */
export function prestart(count = availableParallelism()): void {
  for (let i = 0; i < count; i++) spares.push(startWorker())
}

export function startWorker(): Spare {
  // A larger young generation than V8's default: a file's parse (micromark events, tokens) dies
  // young, so fewer scavenges and less promoted garbage. 64 MB is as fast as 128 MB on the
  // benchmark corpus (interleaved runs: 4.07 vs 4.11 s) for ~110 MB less peak memory.
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    resourceLimits: {maxYoungGenerationSizeMb: YOUNG_GENERATION_MB},
    workerData: {[FLAG_LOCK]: (globalThis as Record<symbol, unknown>)[Symbol.for(FLAG_LOCK)]}
  })
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: {ready?: true}) => {
      if (!message.ready) return
      worker.off('message', onMessage)
      worker.off('error', reject)
      resolve()
    }
    worker.on('message', onMessage)
    worker.once('error', reject)
  })
  // A worker that is never used must not keep the process alive or crash it.
  ready.catch(() => {})
  return {worker, ready}
}

/** How long a worker told to stop may take to exit (it may be writing the code cache) before it is terminated. */
const CLOSE_MS = 5000

/**
 * Tell an idle worker the run is over and wait for it to exit: it exits by itself once its port
 * closes (cli/worker.ts), so what it does at exit (write the engine's code cache:
 * cli/compile-cache.ts) is done; one that has not exited after `CLOSE_MS` is terminated.
 */
export async function closeWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.postMessage(null)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_MS)))
  if ((await Promise.race([exited, late])) === 'late') await worker.terminate()
  clearTimeout(timer)
}

/** Take up to `count` started workers; the caller owns them. */
export function takeSpares(count: number): Spare[] {
  return spares.splice(0, count)
}

/** Stop the workers nobody took. */
export async function stopSpares(): Promise<void> {
  await Promise.all(spares.splice(0).map((spare) => spare.worker.terminate()))
}
