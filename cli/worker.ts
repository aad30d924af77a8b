/** A lint worker: says it is ready, then receives batches of file paths (with the run's settings) and answers with their results (cli/pool.ts). */
import {parentPort} from 'node:worker_threads'
import type {CacheEntry} from './cache.js'
import {loadLint} from './lint-loader.js'
import type {LintSettings} from './types.js'

const {lintFiles} = await loadLint()

parentPort?.on('message', async (message: {id: number; files: string[]; settings: LintSettings; cached?: Record<string, CacheEntry>} | null) => {
  if (message === null) {
    // The end of the run: the thread exits by itself (and writes the code cache if it had none).
    parentPort?.close()
    return
  }
  try {
    parentPort?.postMessage({id: message.id, results: await lintFiles(message.files, message.settings, message.cached)})
  } catch (error) {
    parentPort?.postMessage({id: message.id, error: (error as Error)?.stack ?? String(error)})
  }
})

parentPort?.postMessage({ready: true})
