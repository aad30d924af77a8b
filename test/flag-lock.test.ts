/**
 * The command's threads share one lock while they compile a grammar with V8's flags set
 * (core/shell/tree-sitter-sync.ts `baselineOnly`): V8's flags are the process's, and one thread
 * putting them back while another compiles would let that grammar tier up. These tests hold the
 * lock on this thread and watch a worker wait for it.
 */
import {setTimeout as sleep} from 'node:timers/promises'
import {pathToFileURL} from 'node:url'
import path from 'node:path'
import {Worker} from 'node:worker_threads'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {FLAG_LOCK as engineName} from '../core/shell/tree-sitter-sync.js'
import {FLAG_LOCK, startWorker} from '../cli/spare.js'
import {root} from './helpers/lint.js'

test('the command passes the lock under the name the engine reads', () => {
  assert.is(FLAG_LOCK, engineName)
  assert.instance((globalThis as Record<symbol, unknown>)[Symbol.for(FLAG_LOCK)], Int32Array)
})

test('a worker given the lock compiles the shell grammar only once the lock is free', async () => {
  const lock = new Int32Array(new SharedArrayBuffer(8))
  lock[0] = 1 // held here
  const parse = JSON.stringify(pathToFileURL(path.join(root, 'dist/core/shell/parse.js')).href)
  // Importing parse.js compiles the grammar; then the worker reports what this thread wrote
  // into the second slot, which happens just before it lets go of the lock.
  const worker = new Worker(`import(${parse}).then((m) => { m.parseShell('echo hi'); require('node:worker_threads').parentPort.postMessage(Atomics.load(workerData.lock, 1)) })`.replace('workerData.lock', `require('node:worker_threads').workerData[${JSON.stringify(FLAG_LOCK)}]`), {eval: true, workerData: {[FLAG_LOCK]: lock}})
  const seen = new Promise<number>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  // Long enough for the worker to load and compile unlocked (about 0.5 s) had it not waited.
  await sleep(2000)
  Atomics.store(lock, 1, 7)
  Atomics.store(lock, 0, 0)
  Atomics.notify(lock, 0)
  assert.is(await seen, 7)
  assert.is(Atomics.load(lock, 0), 0, 'the worker let go of the lock')
  await worker.terminate()
})

test("the command's workers wait for the main thread's lock", async () => {
  const lock = (globalThis as Record<symbol, unknown>)[Symbol.for(FLAG_LOCK)] as Int32Array
  assert.is(Atomics.compareExchange(lock, 0, 0, 1), 0)
  const {worker, ready} = startWorker()
  let loaded = false
  void ready.then(() => (loaded = true))
  await sleep(2000)
  const loadedWhileHeld = loaded
  Atomics.store(lock, 0, 0)
  Atomics.notify(lock, 0)
  await ready
  await worker.terminate()
  assert.is(loadedWhileHeld, false)
})

test.run()
