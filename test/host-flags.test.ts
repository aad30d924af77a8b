/**
 * docdrift runs inside other programs (remark, markdownlint-cli2, VS Code's extension host), and
 * compiles its tree-sitter grammars with V8 flags set for the compilation only
 * (core/shell/tree-sitter-sync.ts `baselineOnly`). These tests check that the host's flags are as
 * they were afterwards, as V8 itself sees them: a code cache records a hash of every V8 flag, and
 * a fresh process with the same flags rejects the cache if any flag differed when it was made.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {root} from './helpers/lint.js'

const temp = mkdtempSync(path.join(os.tmpdir(), 'docdrift-flags-'))
test.after(() => rmSync(temp, {recursive: true, force: true}))

const url = (file: string) => JSON.stringify(pathToFileURL(path.join(root, file)).href)

/**
 * Runs `before` (code that may change V8's flags) in one process, makes a code cache there, and
 * tells whether a fresh process, started with the same V8 flags, rejects it.
 */
function cacheRejected(before: string, flags: string[] = []): boolean {
  const cache = path.join(temp, `cache-${Math.random().toString(36).slice(2)}`)
  const script = 'function f() { return 1 }; f()'
  const make = `${before}
    const vm = await import('node:vm'); const fs = await import('node:fs')
    const s = new vm.Script(${JSON.stringify(script)}); s.runInThisContext()
    fs.writeFileSync(${JSON.stringify(cache)}, s.createCachedData())`
  const check = `const vm = await import('node:vm'); const fs = await import('node:fs')
    console.log(new vm.Script(${JSON.stringify(script)}, {cachedData: fs.readFileSync(${JSON.stringify(cache)})}).cachedDataRejected)`
  const made = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', make], {encoding: 'utf8'})
  assert.is(made.status, 0, made.stderr)
  // V8 warns on stderr of a flag it does not know: docdrift's flags must all be known.
  assert.is(made.stderr, '')
  const checked = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', check], {encoding: 'utf8'})
  assert.is(checked.status, 0, checked.stderr)
  return checked.stdout.trim() === 'true'
}

/** Loads both grammars (bash at import, HCL on its first block) and parses with each. */
const useGrammars = `
  const {parseShell} = await import(${url('dist/core/shell/parse.js')})
  const {parseHcl} = await import(${url('dist/core/facts/hcl.js')})
  if (parseShell('echo hi | grep h').pipelines.length !== 1) throw new Error('bash grammar not used')
  if (parseHcl('job "x" { a = "b" }').blocks.length !== 1) throw new Error('hcl grammar not used')`

test('the detector works: flags left changed (as `--no-liftoff-only` alone leaves them) reject the cache', () => {
  const v8 = `const v8 = await import('node:v8'); v8.setFlagsFromString('--liftoff-only'); v8.setFlagsFromString('--no-liftoff-only')`
  assert.is(cacheRejected(v8), true)
  assert.is(cacheRejected(''), false)
})

test('after docdrift compiles its grammars, the host has the flags it had', () => {
  assert.is(cacheRejected(useGrammars), false)
})

test('a host that chose its WebAssembly tiering keeps its choice', () => {
  assert.is(cacheRejected(useGrammars, ['--no-wasm-tier-up']), false)
  assert.is(cacheRejected(useGrammars, ['--no-wasm-lazy-compilation', '--no-wasm-dynamic-tiering']), false)
})

test.run()
