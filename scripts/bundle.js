#!/usr/bin/env node
/**
 * Builds, from the `tsc` output in dist/:
 *
 * - dist/markdownlint.cjs: the markdownlint face as ONE synchronous CommonJS file with every
 *   dependency inside, for hosts that `require` custom rules (VS Code's markdownlint extension runs
 *   them in Electron, where ESM and `import()` fail). The six `.wasm` files it needs are copied next
 *   to it and found relative to it.
 * - dist/command/: the `docdrift` bin (package.json `bin`) and its worker as ES modules with
 *   every dependency inside, in a few shared chunks: the main thread and each worker load a few
 *   files instead of ~250 (on the benchmark corpus, ~0.2 s and ~0.4 s of CPU less per run). The
 *   engine (cli/lint.js and all it imports) is one CommonJS file, dist/command/lint-body.cjs,
 *   which the thread that lints runs through V8's code cache (cli/lint-loader.ts).
 * - dist/remark.js, dist/remark-rules/<id>.js and dist/markdownlint.js: what `docdrift/remark`,
 *   `docdrift/remark/<id>` and `docdrift/markdownlint` load (package.json `exports`). The same
 *   code as dist/plugins/, as one ES module per face: a host loads one file instead of ~250
 *   (YAML, TOML, GFM syntax and docdrift's own modules), about 60 ms less per run. Dependencies the
 *   hosts load themselves stay imports (`sharedWithHosts`), so both use one copy of each.
 *
 * Runs after `tsc` (it bundles dist/). web-tree-sitter is bundled from its CommonJS build with
 * the same patch the ESM engine applies at load time (core/shell/tree-sitter-sync.ts), so the
 * grammar loads synchronously and there is no top-level await anywhere.
 */
import {createHash} from 'node:crypto'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
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

/**
 * The bundle's tree-sitter host: the bundled (patched) web-tree-sitter and the .wasm files in
 * dist/ (`wasmDir`, relative to the bundle: `.` beside it, `..` for dist/command/).
 */
const bundledHost = (wasmDir) => `
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import ts from ${JSON.stringify(webTreeSitterCjs)}
const here = fileURLToPath(new URL(${JSON.stringify(wasmDir + '/')}, import.meta.url))
export function treeSitterHost() {
  return {ts, runtimeWasm: readFileSync(here + 'tree-sitter.wasm'), grammarWasm: readFileSync(here + 'tree-sitter-bash.wasm'), hclWasm: () => readFileSync(here + 'tree-sitter-hcl.wasm'), powershellWasm: () => readFileSync(here + 'tree-sitter-powershell.wasm'), javascriptWasm: () => readFileSync(here + 'tree-sitter-javascript.wasm'), pythonWasm: () => readFileSync(here + 'tree-sitter-python.wasm')}
}
`

/**
 * What every CommonJS build is built with (dist/markdownlint.cjs, the command's engine):
 * web-tree-sitter bundled pre-patched with the `.wasm` files of dist/, Ajv and the OpenAPI
 * schemas inside, `import.meta.url` the bundle's own.
 */
const commonJsPluginFor = (wasmDir) => ({
  name: 'docdrift-sync-tree-sitter',
  setup(b) {
    b.onLoad({filter: /tree-sitter-host\.js$/}, (args) => (path.resolve(args.path) === hostModule ? {contents: bundledHost(wasmDir), loader: 'js', resolveDir: root} : undefined))
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
})
const commonJs = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Some modules ask for their own URL (to resolve files beside them): give them the bundle's.
  banner: {js: "/* docdrift, bundled (scripts/bundle.js) */\nconst __docdriftImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  define: {'import.meta.url': '__docdriftImportMetaUrl'},
  plugins: [commonJsPluginFor('.')]
}

const started = performance.now()
const result = await build({
  ...commonJs,
  stdin: {
    contents: "module.exports = require('./dist/plugins/markdownlint/index.js').default",
    resolveDir: root,
    sourcefile: 'docdrift-markdownlint-entry.cjs',
    loader: 'js'
  },
  outfile
})

copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), path.join(dist, 'tree-sitter.wasm'))
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), path.join(dist, 'tree-sitter-bash.wasm'))
copyFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'), path.join(dist, 'tree-sitter-hcl.wasm'))
copyFileSync(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'), path.join(dist, 'tree-sitter-powershell.wasm'))
copyFileSync(require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm'), path.join(dist, 'tree-sitter-javascript.wasm'))
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), path.join(dist, 'tree-sitter-python.wasm'))

const inputs = Object.keys(result.metafile.inputs)
if (!inputs.some((input) => input.includes('web-tree-sitter/tree-sitter.cjs'))) throw new Error('bundle: web-tree-sitter was not bundled from its CommonJS build')
if (inputs.some((input) => input.includes('web-tree-sitter/tree-sitter.js'))) throw new Error('bundle: the ESM build of web-tree-sitter slipped in')
const kb = (file) => (statSync(file).size / 1024).toFixed(0)
console.log(`dist/markdownlint.cjs: ${kb(outfile)} KiB, ${inputs.length} modules, ${(performance.now() - started).toFixed(0)} ms (+ tree-sitter.wasm, tree-sitter-bash.wasm, tree-sitter-hcl.wasm, tree-sitter-powershell.wasm, tree-sitter-javascript.wasm, tree-sitter-python.wasm)`)

/**
 * Dependencies of docdrift that remark and markdownlint load for their own parse: imported, not
 * bundled, so host and face share them (micromark's edit map is patched once for both:
 * core/extract/micromark-linear.ts). Only direct dependencies can stay imports: a transitive one
 * is not sure to resolve from dist/.
 */
const sharedWithHosts = ['micromark', 'micromark-util-edit-map', 'micromark-util-subtokenize', 'micromark-util-types', 'mdast-util-from-markdown', 'mdast-util-to-string', 'unified', 'vfile', 'vfile-location', 'unist-util-visit', 'decode-named-character-reference']
const dependencies = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies)
const notDependencies = sharedWithHosts.filter((name) => !dependencies.includes(name))
if (notDependencies.length > 0) throw new Error(`bundle: ${notDependencies.join(', ')} must be direct dependencies to stay imports`)

/** What every ES module bundle is built with. */
const esm = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies (yaml's Node build) `require` Node built-ins: give them a `require`.
  banner: {js: `/* docdrift, bundled by scripts/bundle.js */\nimport {createRequire as __docdriftCreateRequire} from 'node:module';\nconst require = __docdriftCreateRequire(import.meta.url);`}
}

/** One face as one ES module: the shared dependencies and Node's built-ins stay imports. */
async function faceModule(entry, out) {
  const started = performance.now()
  const built = await build({
    ...esm,
    entryPoints: [path.join(dist, entry)],
    outfile: path.join(dist, out),
    plugins: [
      {
        name: 'docdrift-shared-with-hosts',
        setup(b) {
          b.onResolve({filter: /^[^./]/}, (args) => {
            const parts = args.path.split('/')
            const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
            return sharedWithHosts.includes(name) ? {path: args.path, external: true} : undefined
          })
        }
      }
    ]
  })
  const modules = Object.keys(built.metafile.inputs).length
  console.log(`dist/${out}: ${kb(path.join(dist, out))} KiB, ${modules} modules, ${(performance.now() - started).toFixed(0)} ms`)
}

// The command: dist/command/ sits as deep as dist/cli/, so `../../package.json` (the version) and
// `./worker.js` (cli/spare.ts) resolve as they do from the tsc output.
{
  const started = performance.now()
  const out = path.join(dist, 'command')
  rmSync(out, {recursive: true, force: true})
  const lintLoader = path.join(dist, 'cli/lint-loader.js')
  const built = await build({
    ...esm,
    entryPoints: [path.join(dist, 'cli/docdrift.js'), path.join(dist, 'cli/worker.js')],
    outdir: out,
    chunkNames: '[name]-[hash]',
    splitting: true,
    plugins: [
      {
        // The engine (cli/lint.js) is not in the chunks: each thread runs lint-body.cjs through
        // V8's code cache (cli/lint-loader.ts).
        name: 'docdrift-cached-engine',
        setup(b) {
          b.onLoad({filter: /lint-loader\.js$/}, (args) =>
            path.resolve(args.path) === lintLoader
              ? {
                  contents: `import {runCommonJs} from ${JSON.stringify(path.join(dist, 'cli/compile-cache.js'))}\nexport async function loadLint() {\n  return runCommonJs(new URL('./lint-body.cjs', import.meta.url))\n}\n`,
                  loader: 'js',
                  resolveDir: path.dirname(lintLoader)
                }
              : undefined
          )
        }
      }
    ]
  })
  if (Object.keys(built.metafile.inputs).some((input) => input.endsWith('dist/cli/lint.js'))) throw new Error('bundle: the engine slipped into dist/command/ chunks')
  // The engine as one CommonJS file beside the chunks; the .wasm files are in dist/, one up.
  const body = await build({...commonJs, entryPoints: [path.join(dist, 'cli/lint.js')], outfile: path.join(out, 'lint-body.cjs'), plugins: [commonJsPluginFor('..')]})
  const outputs = {...built.metafile.outputs, ...body.metafile.outputs}
  const size = Object.values(outputs).reduce((sum, output) => sum + output.bytes, 0)
  console.log(`dist/command/: ${(size / 1024).toFixed(0)} KiB in ${Object.keys(outputs).length} files, ${Object.keys(built.metafile.inputs).length} + ${Object.keys(body.metafile.inputs).length} modules, ${(performance.now() - started).toFixed(0)} ms`)
}

await faceModule('plugins/remark/index.js', 'remark.js')
await faceModule('plugins/markdownlint/index.js', 'markdownlint.js')
// `docdrift/remark/<id>`: the very plugins the preset attaches, from the same module, so a project
// has one copy of each rule (a rule listed next to the preset keeps its setting: plugins/remark/index.ts).
const {ruleIds} = await import(path.join(dist, 'core/rules/index.js'))
const rulesDir = path.join(dist, 'remark-rules')
rmSync(rulesDir, {recursive: true, force: true})
mkdirSync(rulesDir)
for (const id of ruleIds) {
  writeFileSync(path.join(rulesDir, `${id}.js`), `/* docdrift/remark/${id} (scripts/bundle.js) */\nimport {remarkRules} from '../remark.js'\n\nexport default remarkRules[${JSON.stringify(id)}]\n`)
}

// dist/build.json: an id of this build, a hash of every file it runs (not the tests), for
// `docdrift --cache` (cli/cache.ts): a result stored by another build is never reused.
{
  const hash = createHash('sha256').update(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version)
  const files = readdirSync(dist, {recursive: true})
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => /\.(?:c?js|wasm|json)$/.test(name) && !name.startsWith('test/') && name !== 'build.json')
    .sort()
  for (const name of files) hash.update(`\0${name}\0`).update(readFileSync(path.join(dist, name)))
  writeFileSync(path.join(dist, 'build.json'), JSON.stringify({build: hash.digest('base64url')}) + '\n')
}
