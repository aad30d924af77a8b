/**
 * cli/compile-cache.ts: the command's threads run the engine (dist/command/lint-body.cjs) through
 * V8's code cache. A run writes the cache at exit (a worker thread as it exits), the next runs
 * from it with the same report; a cache V8 rejects is written anew, and so is one a much smaller
 * run wrote; `DOCDRIFT_COMPILE_CACHE=off`, a folder others may write in and a linked folder mean
 * no cache; another source is another file, and a folder keeps four caches of a bundle. Each run
 * is a child process, as a user's run is.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {root} from './helpers/lint.js'

const loader = pathToFileURL(path.join(root, 'dist/cli/compile-cache.js')).href
const command = path.join(root, 'dist/command/docdrift.js')

function withFolder(body: (folder: string) => void): void {
  const folder = mkdtempSync(path.join(tmpdir(), 'docdrift-compile-cache-test-'))
  try {
    body(folder)
  } finally {
    rmSync(folder, {recursive: true, force: true})
  }
}

const caches = (folder: string) => readdirSync(folder).sort()

/** examples/chatbox and 20 copies of its README in `folder`/docs: enough files for worker threads (cli/pool.ts MIN_FILES_FOR_WORKERS). */
function docsIn(folder: string): string {
  const docs = path.join(folder, 'docs')
  cpSync(path.join(root, 'examples/chatbox'), docs, {recursive: true})
  for (let n = 1; n <= 20; n++) cpSync(path.join(docs, 'README.md'), path.join(docs, `copy-${n}.md`))
  return docs
}

/** The command over `docs` with `jobs` threads and the cache in `cache`: its JSON report. */
function runCommand(docs: string, cache: string, jobs: number): string {
  const run = spawnSync(process.execPath, [command, '--jobs', String(jobs), '--format', 'json', '.'], {cwd: docs, encoding: 'utf8', env: {...process.env, DOCDRIFT_COMPILE_CACHE: cache}})
  assert.is(run.status, 1, run.stderr)
  assert.ok((JSON.parse(run.stdout) as unknown[]).length > 20 * 5)
  return run.stdout
}

for (const jobs of [2, 1]) {
  test(`the command, ${jobs === 2 ? 'two worker threads' : 'one thread'}: the first run writes the engine's cache at exit, the next runs from it with the same report`, () => {
    withFolder((folder) => {
      const docs = docsIn(folder)
      const cache = path.join(folder, 'cache')
      const first = runCommand(docs, cache, jobs)
      const written = caches(cache)
      assert.is(written.length, 1)
      assert.match(written[0], /^lint-body-[0-9a-f]{20}\.bin$/)
      const bytes = readFileSync(path.join(cache, written[0]))
      assert.is(bytes.subarray(0, 4).toString(), 'DDC1')
      assert.is(runCommand(docs, cache, jobs), first)
      // Read and used, not written again (a cache V8 rejected would be: the next test).
      assert.equal(caches(cache), written)
      assert.ok(readFileSync(path.join(cache, written[0])).equals(bytes))
    })
  })
}

test('a cache V8 cannot use is rejected, the run reports the same, and the cache is written anew', () => {
  withFolder((folder) => {
    const docs = docsIn(folder)
    const cache = path.join(folder, 'cache')
    const first = runCommand(docs, cache, 1)
    const [name] = caches(cache)
    writeFileSync(path.join(cache, name), 'not a code cache')
    assert.is(runCommand(docs, cache, 1), first)
    assert.is(readFileSync(path.join(cache, name)).subarray(0, 4).toString(), 'DDC1')
  })
})

test('a cache written by a run that took less than half the CPU time is written again; one by a larger run is kept', () => {
  withFolder((folder) => {
    const docs = docsIn(folder)
    const cache = path.join(folder, 'cache')
    runCommand(docs, cache, 1)
    const [name] = caches(cache)
    const file = path.join(cache, name)
    const bytes = readFileSync(file)
    // As if written by a run of 1 ms: this run took more, so it writes the cache again.
    bytes.writeUInt32LE(1, 4)
    writeFileSync(file, bytes)
    runCommand(docs, cache, 1)
    assert.ok(readFileSync(file).readUInt32LE(4) > 1)
    // As if written by a run of an hour: kept.
    bytes.writeUInt32LE(3_600_000, 4)
    writeFileSync(file, bytes)
    runCommand(docs, cache, 1)
    assert.ok(readFileSync(file).equals(bytes))
  })
})

/** Runs the CommonJS `source` through runCommonJs in a child process: what it exported, and how the cache was used. */
function runSource(file: string, source: string, folder: string): {value: unknown; state: string} {
  writeFileSync(file, source)
  const script = `import {runCommonJs, compileCacheStatus} from ${JSON.stringify(loader)}
const exported = runCommonJs(new URL(${JSON.stringify(pathToFileURL(file).href)}))
process.stdout.write(JSON.stringify({value: exported.value, state: compileCacheStatus[0].state}))
`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, DOCDRIFT_COMPILE_CACHE: folder}})
  assert.is(run.status, 0, run.stderr)
  return JSON.parse(run.stdout) as {value: unknown; state: string}
}

test('a temporary file a stopped run left behind is removed by the next write; a fresh one (a run writing now) is not', () => {
  withFolder((parent) => {
    const folder = path.join(parent, 'cache')
    const file = path.join(parent, 'some-body.cjs')
    runSource(file, 'exports.value = 1', folder)
    const [cache] = caches(folder)
    const left = path.join(folder, `${cache}.123-1-abcd1234.tmp`)
    const writing = path.join(folder, `${cache}.124-1-abcd1234.tmp`)
    writeFileSync(left, 'half a cache')
    writeFileSync(writing, 'half a cache')
    const hourAgo = new Date(Date.now() - 3_600_000)
    utimesSync(left, hourAgo, hourAgo)
    runSource(file, 'exports.value = 2', folder)
    assert.ok(existsSync(writing))
    assert.not.ok(existsSync(left))
  })
})

test('a file without our header is not given to V8, and one V8 cannot use is rejected: both are written anew', () => {
  withFolder((parent) => {
    const folder = path.join(parent, 'cache')
    const file = path.join(parent, 'some-body.cjs')
    runSource(file, 'exports.value = 1', folder)
    const [name] = caches(folder)
    writeFileSync(path.join(folder, name), 'not a code cache')
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'rejected'})
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'accepted'})
    writeFileSync(path.join(folder, name), Buffer.concat([Buffer.from('DDC1'), Buffer.alloc(4), Buffer.from('not V8 data')]))
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'rejected'})
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'accepted'})
  })
})

test('another source is another cache file; a folder keeps the four newest caches of a bundle', () => {
  withFolder((parent) => {
    const folder = path.join(parent, 'cache')
    const file = path.join(parent, 'some-body.cjs')
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'missing'})
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'accepted'})
    // Same length, other code: V8 alone would take the old cache (it checks the source's length).
    assert.equal(runSource(file, 'exports.value = 2', folder), {value: 2, state: 'missing'})
    assert.is(caches(folder).length, 2)
    for (let n = 3; n <= 7; n++) runSource(file, `exports.value = ${n}`, folder)
    assert.is(caches(folder).length, 4)
    assert.ok(caches(folder).every((name) => /^some-body-[0-9a-f]{20}\.bin$/.test(name)), caches(folder).join(' '))
    assert.equal(runSource(file, 'exports.value = 7', folder), {value: 7, state: 'accepted'})
  })
})

test('DOCDRIFT_COMPILE_CACHE=off, a folder others may write in and a linked folder: no cache, the same result', () => {
  withFolder((parent) => {
    const file = path.join(parent, 'some-body.cjs')
    const made = path.join(parent, 'made')
    assert.equal(runSource(file, 'exports.value = 1', made), {value: 1, state: 'missing'})
    assert.equal(runSource(file, 'exports.value = 1', 'off'), {value: 1, state: 'off'})

    const open = path.join(parent, 'open')
    mkdirSync(open)
    chmodSync(open, 0o777)
    assert.equal(runSource(file, 'exports.value = 1', open), {value: 1, state: 'off'})
    assert.equal(caches(open), [])

    const linked = path.join(parent, 'linked')
    symlinkSync(made, linked)
    assert.equal(runSource(file, 'exports.value = 1', linked), {value: 1, state: 'off'})
  })
})

test.run()
