/**
 * plugins/compile-cache.ts: `docdrift/remark` and `docdrift/markdownlint` run their code through
 * V8's code cache. A face's first run writes the cache at exit, the next runs from it with the
 * same findings; a cache V8 rejects is written anew, and so is one a much smaller run wrote;
 * `DOCDRIFT_COMPILE_CACHE=off`, a folder others may write in and a linked folder mean no cache;
 * another source is another file, and a folder keeps four caches of a face; the command's worker
 * threads write and read the engine's cache. Each run is a child process, as a host's run is.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {root} from './helpers/lint.js'

const loader = pathToFileURL(path.join(root, 'dist/plugins/compile-cache.js')).href
const readme = path.join(root, 'examples/chatbox/README.md')

interface Run {
  states: string[]
  findings: string[]
}

/** Lints examples/chatbox/README.md with one face in a child process; what it found and how the cache was used. */
function runFace(face: 'remark' | 'markdownlint', cache: string): Run {
  const faceUrl = pathToFileURL(path.join(root, `dist/${face}.js`)).href
  const lint =
    face === 'markdownlint'
      ? `const {lint} = await import('markdownlint/sync')
const results = lint({strings: {[file]: readFileSync(file, 'utf8')}, customRules: (await import(${JSON.stringify(faceUrl)})).default, config: {default: false, docdrift: true}})
findings = results[file].map((e) => e.lineNumber + ' ' + e.ruleNames[0] + ' ' + e.errorDetail)`
      : `const {unified} = await import('unified')
const {VFile} = await import('vfile')
const remarkParse = (await import('remark-parse')).default
const vfile = new VFile({path: file, value: readFileSync(file, 'utf8')})
const processor = unified().use(remarkParse).use((await import(${JSON.stringify(faceUrl)})).default)
await processor.run(processor.parse(vfile), vfile)
findings = vfile.messages.map((m) => m.line + ' ' + m.ruleId + ' ' + m.reason)`
  const script = `import {readFileSync} from 'node:fs'
const file = ${JSON.stringify(readme)}
let findings
${lint}
const {compileCacheStatus} = await import(${JSON.stringify(loader)})
process.stdout.write(JSON.stringify({states: compileCacheStatus.map((s) => s.state), findings}))
`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: root, encoding: 'utf8', env: {...process.env, DOCDRIFT_COMPILE_CACHE: cache}})
  assert.is(run.status, 0, run.stderr)
  return JSON.parse(run.stdout) as Run
}

function withFolder(body: (folder: string) => void): void {
  const folder = mkdtempSync(path.join(tmpdir(), 'docdrift-compile-cache-test-'))
  try {
    body(folder)
  } finally {
    rmSync(folder, {recursive: true, force: true})
  }
}

const caches = (folder: string) => readdirSync(folder).sort()

for (const face of ['markdownlint', 'remark'] as const) {
  test(`docdrift/${face}: the first run writes the cache at exit, the next runs from it with the same findings`, () => {
    withFolder((parent) => {
      const folder = path.join(parent, 'cache')
      const first = runFace(face, folder)
      assert.equal(first.states, ['missing'])
      assert.ok(first.findings.length >= 5, first.findings.join('\n'))
      const written = caches(folder)
      assert.is(written.length, 1)
      assert.match(written[0], new RegExp(`^${face}-body-[0-9a-f]{20}\\.bin$`))
      const bytes = readFileSync(path.join(folder, written[0]))
      const second = runFace(face, folder)
      assert.equal(second.states, ['accepted'])
      assert.equal(second.findings, first.findings)
      // Read, not written again.
      assert.equal(caches(folder), written)
      assert.ok(readFileSync(path.join(folder, written[0])).equals(bytes))
    })
  })
}

test('a cache V8 cannot use is rejected, the face runs as without one, and the cache is written anew', () => {
  withFolder((folder) => {
    const first = runFace('markdownlint', folder)
    const [name] = caches(folder)
    writeFileSync(path.join(folder, name), 'not a code cache')
    const second = runFace('markdownlint', folder)
    assert.equal(second.states, ['rejected'])
    assert.equal(second.findings, first.findings)
    assert.is.not(readFileSync(path.join(folder, name), 'utf8'), 'not a code cache')
    assert.equal(runFace('markdownlint', folder).states, ['accepted'])
  })
})

test('DOCDRIFT_COMPILE_CACHE=off, a folder others may write in and a linked folder: no cache, same findings', () => {
  withFolder((parent) => {
    const expected = runFace('markdownlint', path.join(parent, 'made'))
    const off = runFace('markdownlint', 'off')
    assert.equal(off.states, ['off'])
    assert.equal(off.findings, expected.findings)

    const open = path.join(parent, 'open')
    mkdirSync(open)
    chmodSync(open, 0o777)
    assert.equal(runFace('markdownlint', open).states, ['off'])
    assert.equal(caches(open), [])

    const linked = path.join(parent, 'linked')
    symlinkSync(path.join(parent, 'made'), linked)
    assert.equal(runFace('markdownlint', linked).states, ['off'])
  })
})

test('a cache written by a run that took less than half the CPU time is written again; one by a larger run is kept', () => {
  withFolder((folder) => {
    runFace('markdownlint', folder)
    const [name] = caches(folder)
    const file = path.join(folder, name)
    const bytes = readFileSync(file)
    assert.is(bytes.subarray(0, 4).toString(), 'DDC1')
    // As if written by a run of 1 ms: this run took more, so it writes the cache again.
    bytes.writeUInt32LE(1, 4)
    writeFileSync(file, bytes)
    assert.equal(runFace('markdownlint', folder).states, ['accepted'])
    assert.ok(readFileSync(file).readUInt32LE(4) > 1)
    // As if written by a run of an hour: kept.
    bytes.writeUInt32LE(3_600_000, 4)
    writeFileSync(file, bytes)
    assert.equal(runFace('markdownlint', folder).states, ['accepted'])
    assert.ok(readFileSync(file).equals(bytes))
  })
})

test('the command: its lint threads run the engine from the cache a run wrote (worker threads write it as they exit)', () => {
  withFolder((folder) => {
    const cache = path.join(folder, 'cache')
    const docs = path.join(folder, 'docs')
    cpSync(path.join(root, 'examples/chatbox'), docs, {recursive: true})
    // Enough files for worker threads (cli/pool.ts MIN_FILES_FOR_WORKERS), two of them.
    for (let n = 1; n <= 20; n++) cpSync(readme, path.join(docs, `copy-${n}.md`))
    const command = path.join(root, 'dist/command/docdrift.js')
    const run = () => spawnSync(process.execPath, [command, '--jobs', '2', '--format', 'json', '.'], {cwd: docs, encoding: 'utf8', env: {...process.env, DOCDRIFT_COMPILE_CACHE: cache}})
    const first = run()
    assert.is(first.status, 1, first.stderr)
    assert.ok((JSON.parse(first.stdout) as unknown[]).length > 20 * 5)
    const written = caches(cache)
    assert.is(written.length, 1)
    assert.match(written[0], /^lint-body-[0-9a-f]{20}\.bin$/)
    const bytes = readFileSync(path.join(cache, written[0]))
    const second = run()
    assert.is(second.stdout, first.stdout)
    assert.ok(readFileSync(path.join(cache, written[0])).equals(bytes))
  })
})

/** Runs the CommonJS `source` through runCommonJs in a child process; what it exported, as JSON. */
function runSource(file: string, source: string, folder: string, shared = '{}'): {value: unknown; state: string} {
  writeFileSync(file, source)
  const script = `import {runCommonJs, compileCacheStatus} from ${JSON.stringify(loader)}
const exported = runCommonJs(new URL(${JSON.stringify(pathToFileURL(file).href)}), ${shared})
process.stdout.write(JSON.stringify({value: exported.value, state: compileCacheStatus[0].state}))
`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, DOCDRIFT_COMPILE_CACHE: folder}})
  assert.is(run.status, 0, run.stderr)
  return JSON.parse(run.stdout) as {value: unknown; state: string}
}

test('another source is another cache file; a folder keeps the four newest caches of a face', () => {
  withFolder((parent) => {
    const folder = path.join(parent, 'cache')
    const file = path.join(parent, 'face-body.cjs')
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'missing'})
    assert.equal(runSource(file, 'exports.value = 1', folder), {value: 1, state: 'accepted'})
    // Same length, other code: V8 alone would take the old cache (it checks the source's length).
    assert.equal(runSource(file, 'exports.value = 2', folder), {value: 2, state: 'missing'})
    assert.is(caches(folder).length, 2)
    for (let n = 3; n <= 7; n++) runSource(file, `exports.value = ${n}`, folder)
    assert.is(caches(folder).length, 4)
    assert.ok(caches(folder).every((name) => /^face-body-[0-9a-f]{20}\.bin$/.test(name)))
    assert.equal(runSource(file, 'exports.value = 7', folder), {value: 7, state: 'accepted'})
  })
})

test("the face's require answers the packages it shares with its host with the host's modules", () => {
  withFolder((parent) => {
    const file = path.join(parent, 'face-body.cjs')
    const source = "const shared = require('shared-package')\nexports.value = [shared.marker, typeof require('node:path').join]"
    assert.equal(runSource(file, source, 'off', "{'shared-package': {marker: 'the host copy'}}"), {value: ['the host copy', 'function'], state: 'off'})
    assert.not.ok(existsSync(path.join(parent, 'off')))
  })
})

test.run()
