#!/usr/bin/env node
/**
 * Builds dist/markdownlint.cjs: the markdownlint face as ONE synchronous CommonJS file with every
 * dependency inside, for hosts that `require` custom rules (VS Code's markdownlint extension runs
 * them in Electron, where ESM and `import()` fail). The two `.wasm` files it needs are copied next
 * to it and found relative to it.
 *
 * Runs after `tsc` (it bundles dist/). web-tree-sitter is bundled from its CommonJS build with
 * the same patch the ESM engine applies at load time (core/shell/tree-sitter-sync.ts), so the
 * grammar loads synchronously and there is no top-level await anywhere.
 */
import {copyFileSync, readFileSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const require = createRequire(import.meta.url)
const {patchWebTreeSitter} = await import(path.join(dist, 'core/shell/tree-sitter-sync.js'))

const webTreeSitterCjs = require.resolve('web-tree-sitter')
const hostModule = path.join(dist, 'core/shell/tree-sitter-host.js')
const openApiModule = path.join(dist, 'core/config/openapi.js')
/** What openapi.js requires when a config names an OpenAPI document (Ajv and the schemas): bundled too. */
const openApiRequire = 'const require = createRequire(import.meta.url);'
const outfile = path.join(dist, 'markdownlint.cjs')

/** The bundle's tree-sitter host: the bundled (patched) web-tree-sitter and .wasm files beside the bundle. */
const bundledHost = `
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import ts from ${JSON.stringify(webTreeSitterCjs)}
const here = fileURLToPath(new URL('.', import.meta.url))
export function treeSitterHost() {
  return {ts, runtimeWasm: readFileSync(here + 'tree-sitter.wasm'), grammarWasm: readFileSync(here + 'tree-sitter-bash.wasm')}
}
`

const started = performance.now()
const result = await build({
  stdin: {
    contents: "module.exports = require('./dist/plugins/markdownlint/index.js').default",
    resolveDir: root,
    sourcefile: 'docdrift-markdownlint-entry.cjs',
    loader: 'js'
  },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Some modules ask for their own URL (to resolve files beside them): give them the bundle's.
  banner: {js: "/* docdrift markdownlint rules, bundled (scripts/bundle.js) */\nconst __docdriftImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  define: {'import.meta.url': '__docdriftImportMetaUrl'},
  plugins: [
    {
      name: 'docdrift-sync-tree-sitter',
      setup(b) {
        b.onLoad({filter: /tree-sitter-host\.js$/}, (args) => (path.resolve(args.path) === hostModule ? {contents: bundledHost, loader: 'js', resolveDir: root} : undefined))
        // openapi.js loads Ajv and the OpenAPI schemas with a `require` of its own, made at run
        // time, which esbuild cannot follow: given the bundle's `require`, they are bundled, and
        // still run only when a config names an OpenAPI document.
        b.onLoad({filter: /openapi\.js$/}, (args) => {
          if (path.resolve(args.path) !== openApiModule) return undefined
          const source = readFileSync(args.path, 'utf8')
          if (!source.includes(openApiRequire)) throw new Error(`bundle: ${openApiRequire} not found in dist/core/config/openapi.js`)
          return {contents: source.replace(openApiRequire, ''), loader: 'js', resolveDir: path.dirname(args.path)}
        })
        b.onLoad({filter: /tree-sitter\.cjs$/}, (args) =>
          path.resolve(args.path) === webTreeSitterCjs ? {contents: patchWebTreeSitter(readFileSync(args.path, 'utf8')), loader: 'js'} : undefined
        )
      }
    }
  ]
})

copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), path.join(dist, 'tree-sitter.wasm'))
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), path.join(dist, 'tree-sitter-bash.wasm'))

const inputs = Object.keys(result.metafile.inputs)
if (!inputs.some((input) => input.includes('web-tree-sitter/tree-sitter.cjs'))) throw new Error('bundle: web-tree-sitter was not bundled from its CommonJS build')
if (inputs.some((input) => input.includes('web-tree-sitter/tree-sitter.js'))) throw new Error('bundle: the ESM build of web-tree-sitter slipped in')
const kb = (file) => (statSync(file).size / 1024).toFixed(0)
console.log(`dist/markdownlint.cjs: ${kb(outfile)} KiB, ${inputs.length} modules, ${(performance.now() - started).toFixed(0)} ms (+ tree-sitter.wasm, tree-sitter-bash.wasm)`)
