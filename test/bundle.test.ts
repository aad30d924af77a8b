/**
 * dist/markdownlint.cjs, the single CommonJS file for hosts that `require` custom rules (VS Code's
 * markdownlint extension): loaded by a plain CommonJS script in a folder without node_modules,
 * it gives the same findings as the ESM face; and examples/vscode's configuration, loaded by
 * markdownlint-cli2's programmatic API, runs it from node_modules/docdrift.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {main} from 'markdownlint-cli2'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {patchWebTreeSitter} from '../core/shell/tree-sitter-sync.js'
import {ruleIds} from '../core/rules/index.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder, markdownlintErrors} from './helpers/markdownlint.js'

const bundle = path.join(root, 'dist/markdownlint.cjs')
const assets = ['markdownlint.cjs', 'tree-sitter.wasm', 'tree-sitter-bash.wasm', 'tree-sitter-hcl.wasm', 'tree-sitter-powershell.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm']
const require = createRequire(import.meta.url)

function hasNodeModulesAbove(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'node_modules'))) return true
    if (path.dirname(at) === at) return false
  }
}

test('the bundle is one CommonJS file: no top-level await, no import(), only Node built-ins required', () => {
  const code = readFileSync(bundle, 'utf8')
  // Calls, not text: Ajv keeps `'require("ajv/dist/runtime/equal")'` as a string for code it can
  // write out standalone; it is never required at run time (the OpenAPI test below proves it).
  const required = [...code.matchAll(/(?<!['"`])\brequire\("([^"]+)"\)/g)].map((m) => m[1])
  const builtins = new Set(require('node:module').builtinModules as string[])
  assert.equal(required.filter((id) => !builtins.has(id.replace(/^node:/, ''))), [])
  assert.not.match(code, /^await /m)
})

/**
 * Runs dist/markdownlint.cjs from a plain CommonJS script in a temp folder with no node_modules
 * above it, over `files` with the markdownlint `config`; the results as the script printed them.
 */
function runBundleAlone(files: string[], config: Record<string, unknown>): {names: string[]; results: unknown} {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-cjs-'))
  try {
    assert.not.ok(hasNodeModulesAbove(dir), 'the temp folder must have no node_modules above it')
    for (const asset of assets) copyFileSync(path.join(root, 'dist', asset), path.join(dir, asset))
    // markdownlint itself is not bundled here (hosts bring their own): the script gets its path.
    writeFileSync(
      path.join(dir, 'lint.cjs'),
      `'use strict'
const rules = require('./markdownlint.cjs')
const {lint} = require(process.env.MARKDOWNLINT_SYNC)
const fs = require('node:fs')
const files = JSON.parse(process.env.FILES)
const strings = Object.fromEntries(files.map((file) => [file, fs.readFileSync(file, 'utf8')]))
const results = lint({strings, customRules: rules, config: JSON.parse(process.env.CONFIG)})
process.stdout.write(JSON.stringify({names: rules.map((rule) => rule.names[0]), results}))
`
    )
    // The script lives in the bare folder (so `require` finds no node_modules); the working
    // folder is the repository's, as for the ESM run, since messages cite config paths from it.
    const run = spawnSync(process.execPath, [path.join(dir, 'lint.cjs')], {
      cwd: root,
      encoding: 'utf8',
      env: {...process.env, NODE_PATH: '', MARKDOWNLINT_SYNC: require.resolve('markdownlint/sync'), FILES: JSON.stringify(files), CONFIG: JSON.stringify(config)}
    })
    assert.is(run.status, 0, run.stderr)
    return JSON.parse(run.stdout)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value))

test('required from a plain CommonJS script in a folder without node_modules: same findings as the ESM face', () => {
  const files = [...markdownFilesUnder('examples/chatbox'), ...markdownFilesUnder('test/fixtures/markdownlint')].map((f) => path.join(root, f))
  const {names, results} = runBundleAlone(files, {default: false, docdrift: true})
  assert.equal(names, ruleIds)
  const esm = markdownlintErrors({files})
  assert.equal(results, plain(esm))
  assert.ok(Object.values(esm).flat().length > 40)
})

test('routes from an OpenAPI document (3.0 and 3.1) need nothing beside the bundle: Ajv and the schemas are inside it', () => {
  const guide = path.join(root, 'test/fixtures/openapi/guide.md')
  for (const spec of ['openapi.yaml', 'openapi-3.1.json']) {
    const options = {config: {routes: {openapi: `test/fixtures/openapi/${spec}`, stalePrefixes: ['/chat'], paths: ['/ws']}}}
    const config = {default: false, 'stale-route': options}
    const {results} = runBundleAlone([guide], config)
    const esm = markdownlintErrors({files: [guide], config})
    assert.equal(results, plain(esm), spec)
    const found = (esm[guide] ?? []).map((e) => `${e.lineNumber} ${e.ruleNames[0]}`)
    assert.ok(found.length >= 3, `${spec}: ${found.join(', ')}`)
    assert.not.ok(JSON.stringify(results).includes('Cannot find module'), spec)
  }
})

test('examples/vscode: markdownlint-cli2 loads node_modules/docdrift/dist/markdownlint.cjs from the shipped config', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-vscode-'))
  try {
    cpSync(path.join(root, 'examples/vscode'), dir, {recursive: true})
    const installed = path.join(dir, 'node_modules/docdrift')
    mkdirSync(path.join(installed, 'dist'), {recursive: true})
    for (const asset of assets) copyFileSync(path.join(root, 'dist', asset), path.join(installed, 'dist', asset))
    writeFileSync(path.join(installed, 'package.json'), JSON.stringify({name: 'docdrift', type: 'module'}))
    const settings = readFileSync(path.join(dir, '.vscode/settings.json'), 'utf8')
    assert.match(settings, 'source.fixAll.markdownlint')
    const lines: string[] = []
    const code = await main({directory: dir, argv: ['**/*.md'], logMessage: () => {}, logError: (m: string) => lines.push(m)})
    const ours = lines.filter((line) => ruleIds.some((id) => line.includes(` ${id} `)))
    assert.equal(ours.map((line) => line.split(' ').slice(0, 3).join(' ')), ['docs/guide.md:6:25 error secret-length', 'docs/guide.md:7:32 error stale-route'])
    assert.is(code, 1)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('the synchronous web-tree-sitter patch refuses text it does not know', () => {
  assert.throws(() => patchWebTreeSitter('module.exports = {}'), /cannot patch web-tree-sitter/)
  const source = readFileSync(require.resolve('web-tree-sitter'), 'utf8')
  const patched = patchWebTreeSitter(source)
  assert.match(patched, 'static initSync(moduleOptions)')
  assert.match(patched, 'static loadSync(bytes)')
})

test.run()
