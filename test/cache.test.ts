/**
 * `docdrift --cache`: a file's stored result stands only while its text, its config (with every
 * fact read from the service's files) and docdrift's build are the same. A stored result is told
 * apart from a fresh one by editing it in the cache file: the edit shows in the report only when
 * the result was reused.
 */
import {appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {buildId, hashText} from '../cli/cache.js'
import {resolveConfig} from '../core/engine.js'
import {cli} from './helpers/cli.js'
import {root} from './helpers/lint.js'

const temps: string[] = []

/** examples/chatbox in a fresh temp folder. */
function chatbox(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cache-'))
  temps.push(dir)
  cpSync(path.join(root, 'examples/chatbox'), dir, {recursive: true})
  return dir
}

test.after(() => {
  for (const dir of temps) rmSync(dir, {recursive: true, force: true})
})

interface Stored {
  docdrift: string
  files: Record<string, {text: string; config: string; findings: Array<{message: string}>}>
}

const read = (dir: string, name = '.docdriftcache'): Stored => JSON.parse(readFileSync(path.join(dir, name), 'utf8'))

/** Mark the first stored finding of every file, so a report that shows the mark reused it. */
function mark(dir: string) {
  const stored = read(dir)
  for (const entry of Object.values(stored.files)) if (entry.findings.length > 0) entry.findings[0].message = 'FROM THE CACHE'
  writeFileSync(path.join(dir, '.docdriftcache'), JSON.stringify(stored))
}

/** The files whose report shows a reused result. */
const reused = (report: string) => [...new Set((JSON.parse(report) as Array<{file: string; message: string}>).filter((e) => e.message === 'FROM THE CACHE').map((e) => e.file))].sort()

/** The report with the marks put back: what a fresh run must print. */
const unmarked = (report: string, fresh: string) => {
  const entries = JSON.parse(report) as Array<{message: string}>
  const real = JSON.parse(fresh) as Array<{message: string}>
  return JSON.stringify(entries.map((e, i) => (e.message === 'FROM THE CACHE' ? {...e, message: real[i].message} : e)))
}

/** The files of examples/chatbox that have findings (all of them but one). */
const withFindings = ['README.md', 'ci/README.md', 'deployments/kubernetes/README.md', 'deployments/nomad/README.md', 'docs/CLIENTS.md', 'docs/KEY_MANAGEMENT.md', 'docs/SECRET_SETUP_QUICKSTART.md']

test('--cache stores every checked file and reuses each result while nothing that decides it changed', async () => {
  const dir = chatbox()
  const fresh = await cli(['.', '-f', 'json'], {cwd: dir})
  const first = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal({code: first.code, stdout: first.stdout, stderr: first.stderr}, fresh)
  const stored = read(dir)
  assert.is(stored.docdrift, buildId())
  const files = readdirSync(dir, {recursive: true}).map(String).filter((name) => name.endsWith('.md')).map((name) => name.split(path.sep).join('/')).sort()
  assert.equal(Object.keys(stored.files).sort(), files)

  mark(dir)
  const second = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal(reused(second.stdout), withFindings)
  assert.is(unmarked(second.stdout, fresh.stdout), JSON.stringify(JSON.parse(fresh.stdout)))
  assert.is(second.code, fresh.code)
  assert.is(second.stderr, fresh.stderr, 'the facts the docs used are stored too')

  // One more run from worker threads: the same.
  const threads = await cli(['.', '-f', 'json', '--cache', '--jobs', '2'], {cwd: dir})
  assert.is(threads.stdout, second.stdout)
})

test('a changed text, a changed fact in the service\'s own files, or another build is checked again', async () => {
  const dir = chatbox()
  await cli(['.', '--cache'], {cwd: dir})
  mark(dir)
  appendFileSync(path.join(dir, 'docs/KEY_MANAGEMENT.md'), '\nOne more line.\n')
  const edited = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal(reused(edited.stdout), withFindings.filter((name) => name !== 'docs/KEY_MANAGEMENT.md'))

  // The prefix the config reads from config.toml: every file resolves to another config.
  mark(dir)
  const toml = path.join(dir, 'config.toml')
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('path_prefix = "/chatbox"', 'path_prefix = "/chatbox2"'))
  const refacted = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal(reused(refacted.stdout), [])
  assert.is(refacted.stdout, (await cli(['.', '-f', 'json'], {cwd: dir})).stdout)
  assert.match(refacted.stdout, /\/chatbox2/)

  // A cache another build wrote: nothing of it is used.
  mark(dir)
  const stored = read(dir)
  writeFileSync(path.join(dir, '.docdriftcache'), JSON.stringify({...stored, docdrift: 'another build'}))
  const rebuilt = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal(reused(rebuilt.stdout), [])
  assert.is(read(dir).docdrift, buildId())
})

test('a cache that cannot be read is a warning, every file is checked, and the cache is written again', async () => {
  const dir = chatbox()
  const fresh = await cli(['.', '-f', 'json'], {cwd: dir})
  writeFileSync(path.join(dir, '.docdriftcache'), '{"docdrift": ')
  const outcome = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.is(outcome.stdout, fresh.stdout)
  assert.is(outcome.code, fresh.code)
  assert.is(outcome.stderr, 'docdrift: warning: cannot read the cache `.docdriftcache` (Unexpected end of JSON input); every file is checked, and the cache written again\n' + fresh.stderr)
  assert.is(read(dir).docdrift, buildId())

  // A hand-edited entry of the wrong shape is dropped, and its file checked.
  mark(dir)
  const stored = read(dir)
  ;(stored.files['README.md'] as unknown as {findings: unknown}).findings = 'none'
  delete (stored.files['ci/README.md'].findings[0] as {start?: unknown}).start
  writeFileSync(path.join(dir, '.docdriftcache'), JSON.stringify(stored))
  const again = await cli(['.', '-f', 'json', '--cache'], {cwd: dir})
  assert.equal(reused(again.stdout), withFindings.filter((name) => name !== 'README.md' && name !== 'ci/README.md'))
})

test('a resolved config is plain data, so its hash covers every fact in it', () => {
  for (const file of ['examples/chatbox/README.md', 'test/fixtures/config/full/README.md']) {
    const {config} = resolveConfig({cwd: root}, path.join(root, file))
    assert.ok(config, file)
    // Deep equality that compares prototypes: a Map, a Set or a class instance would not survive.
    assert.equal(JSON.parse(JSON.stringify(config)), config, file)
  }
})

test('--cache-location: a folder holds .docdriftcache; a cache that cannot be written is a warning that changes nothing else', async () => {
  const dir = chatbox()
  mkdirSync(path.join(dir, 'tmp'))
  const fresh = await cli(['.', '-f', 'json'], {cwd: dir})
  const inFolder = await cli(['.', '-f', 'json', '--cache-location', 'tmp'], {cwd: dir})
  assert.is(inFolder.stdout, fresh.stdout)
  assert.is(Object.keys(read(dir, 'tmp/.docdriftcache').files).length, 7)
  // A folder not made yet, written as a folder.
  await cli(['.', '--cache-location', 'new/'], {cwd: dir})
  assert.is(Object.keys(read(dir, 'new/.docdriftcache').files).length, 7)

  writeFileSync(path.join(dir, 'not-a-folder'), '')
  const unwritable = await cli(['.', '-f', 'json', '--cache-location', 'not-a-folder/cache'], {cwd: dir})
  assert.is(unwritable.stdout, fresh.stdout)
  assert.is(unwritable.code, fresh.code)
  assert.is(
    unwritable.stderr,
    fresh.stderr + 'docdrift: warning: cannot write the cache `not-a-folder/cache` (a folder on its path is a file); the next run checks every file again\n'
  )
  const empty = await cli(['.', '--cache-location', ''], {cwd: dir})
  assert.equal(empty, {code: 2, stdout: '', stderr: 'docdrift: `--cache-location` needs a path\nRun `docdrift --help` for usage.\n'})
})

test('--fix with --cache fixes what the cache holds, and stores the fixed files', async () => {
  const dir = chatbox()
  await cli(['.', '--cache'], {cwd: dir})
  const before = read(dir)
  const fixed = await cli(['.', '--fix', '--cache'], {cwd: dir})
  assert.is(fixed.code, 0)
  for (const name of withFindings) {
    assert.is(readFileSync(path.join(dir, name), 'utf8'), readFileSync(path.join(root, 'examples/chatbox-fixed', name), 'utf8'), name)
  }
  // The stored results are those of the fixed texts (nothing left to report), reused as they are:
  // a finding put into one shows.
  const stored = read(dir)
  for (const name of withFindings) assert.is(stored.files[name].text, hashText(readFileSync(path.join(dir, name), 'utf8')), name)
  assert.equal((JSON.parse((await cli(['.', '-f', 'json'], {cwd: dir})).stdout) as unknown[]).length, 0)
  stored.files['README.md'].findings = [{...before.files['README.md'].findings[0], message: 'FROM THE CACHE'}]
  writeFileSync(path.join(dir, '.docdriftcache'), JSON.stringify(stored))
  assert.equal(reused((await cli(['.', '-f', 'json', '--cache'], {cwd: dir})).stdout), ['README.md'])
})

test.run()
