/** A lint worker: says it is ready, then receives batches of file paths and answers with their results (cli/pool.ts). */
import {parentPort, workerData} from 'node:worker_threads'
import {lintFiles} from './lint.js'
import type {LintSettings} from './types.js'

const settings = workerData as LintSettings

parentPort?.on('message', async (message: {id: number; files: string[]} | null) => {
  if (message === null) {
    parentPort?.close()
    return
  }
  try {
    parentPort?.postMessage({id: message.id, results: await lintFiles(message.files, settings)})
  } catch (error) {
    parentPort?.postMessage({id: message.id, error: (error as Error)?.stack ?? String(error)})
  }
})

parentPort?.postMessage({ready: true})
