/**
 * What `docdrift/remark`, `docdrift/remark/<id>` and `docdrift/markdownlint` load for users (package.json
 * `exports`): one ES module per face, built from dist/plugins/ by scripts/bundle.js, so a host
 * loads one file instead of ~250. They import only Node's built-ins and the dependencies the hosts
 * share, a standalone rule is the very plugin the preset attaches, and over every Markdown file of
 * examples/ and test/fixtures/ they give exactly what dist/plugins/ gives. The same for the
 * `docdrift` bin (dist/command/, bundled from dist/cli/).
 */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {builtinModules} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'
import {lint} from 'markdownlint/sync'
import type {Rule} from 'markdownlint'
import remarkParse from 'remark-parse'
import {unified, type Plugin} from 'unified'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {VFile} from 'vfile'
import {ruleIds} from '../core/rules/index.js'
import ownRemark from '../plugins/remark/index.js'
import {root} from './helpers/lint.js'
import {docdriftOnly, markdownFilesUnder, markdownlintErrors} from './helpers/markdownlint.js'

type RemarkFace = typeof import('../plugins/remark/index.js')
type MarkdownlintFace = typeof import('../plugins/markdownlint/index.js')

// Variables, so that TypeScript leaves the package's own entry points to Node's resolution.
const entries = {remark: 'docdrift/remark', markdownlint: 'docdrift/markdownlint', rule: (id: string) => `docdrift/remark/${id}`}
const remarkFace = (await import(entries.remark)) as RemarkFace
const markdownlintFace = (await import(entries.markdownlint)) as MarkdownlintFace

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')].map((file) => path.join(root, file))

test('docdrift/remark, docdrift/remark/<id> and docdrift/markdownlint resolve to the face modules', () => {
  const at = (specifier: string) => path.relative(root, fileURLToPath(import.meta.resolve(specifier)))
  assert.is(at(entries.remark), 'dist/remark.js')
  assert.is(at(entries.markdownlint), 'dist/markdownlint.js')
  assert.equal(ruleIds.map((id) => at(entries.rule(id))), ruleIds.map((id) => `dist/remark-rules/${id}.js`))
})

test('the face modules import Node built-ins and direct dependencies only', async () => {
  const dependencies = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies as Record<string, string>)
  for (const file of ['dist/remark.js', 'dist/markdownlint.js']) {
    // esbuild reads the module (and what it imports relatively) and lists what stays outside.
    const result = await build({entryPoints: [path.join(root, file)], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent'})
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path))
    const packages = [...new Set(imports.filter((id) => !builtinModules.includes(id.replace(/^node:/, ''))))].sort()
    assert.ok(packages.includes('micromark'), `${file}: ${packages.join(', ')}`)
    assert.equal(
      packages.filter((id) => !dependencies.includes(id)),
      [],
      `${file} imports packages that are not direct dependencies`
    )
    // Everything else is inside: the YAML parser is not loaded as a package.
    assert.not.ok(packages.includes('yaml'), file)
  }
})

test('docdrift/remark/<id> is the plugin the preset attaches: listed after the preset, `off` turns it off and `warn` makes it a warning', async () => {
  for (const id of ruleIds) {
    const rule = ((await import(entries.rule(id))) as {default: Plugin}).default
    assert.is(rule, remarkFace.remarkRules[id], id)
  }
  const staleRoute = remarkFace.remarkRules['stale-route'] as Plugin<[unknown?]>
  const file = path.join(root, 'examples/chatbox/README.md')
  const ids = async (...plugins: Array<Plugin<[unknown?]> | [Plugin<[unknown?]>, unknown]>) => {
    const processor = unified().use(remarkParse)
    for (const plugin of plugins) if (Array.isArray(plugin)) processor.use(plugin[0], plugin[1])
    else processor.use(plugin)
    const vfile = new VFile({path: file, value: readFileSync(file, 'utf8'), cwd: root})
    await processor.run(processor.parse(vfile), vfile)
    return new Set(vfile.messages.map((m) => `${m.ruleId}${m.fatal ? '' : ' (warning)'}`))
  }
  const preset = remarkFace.default as Plugin<[unknown?]>
  assert.equal([...(await ids(preset))].filter((id) => id.startsWith('stale-route')), ['stale-route'])
  const off = await ids(preset, [staleRoute, 'off'])
  assert.equal([...off].filter((id) => id.startsWith('stale-route')), [])
  assert.ok(off.has('secret-length'))
  assert.equal([...(await ids(preset, [staleRoute, 'warn']))].filter((id) => id.startsWith('stale-route')), ['stale-route (warning)'])
})

test("remark-cli: `[rule, 'off']` after docdrift/remark in a .remarkrc turns that rule off, and only it", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-remarkrc-'))
  try {
    cpSync(path.join(root, 'examples/chatbox'), dir, {recursive: true})
    const module = (specifier: string) => JSON.stringify(import.meta.resolve(specifier))
    const remark = (plugins: string) => {
      writeFileSync(path.join(dir, '.remarkrc.mjs'), `import docdrift from ${module(entries.remark)}\nimport staleRoute from ${module(entries.rule('stale-route'))}\nexport default {plugins: ${plugins}}\n`)
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules/remark-cli/cli.js'), 'README.md', '--no-color', '--no-stdout'], {cwd: dir, encoding: 'utf8'})
      return run.stderr.split('\n').filter((line) => / (stale-route|secret-length) /.test(line)).map((line) => line.trim().split(/\s+/).slice(1, 2).concat(line.includes('stale-route') ? 'stale-route' : 'secret-length'))
    }
    const all = remark('[docdrift]')
    assert.ok(all.some(([, rule]) => rule === 'stale-route'))
    assert.equal(remark("[docdrift, [staleRoute, 'off']]"), all.filter(([, rule]) => rule !== 'stale-route'))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

/** Every field a remark message carries for docdrift. */
async function remarkMessages(face: Plugin<[unknown?]>, file: string) {
  const vfile = new VFile({path: file, value: readFileSync(file, 'utf8'), cwd: root})
  const processor = unified().use(remarkParse).use(face)
  await processor.run(processor.parse(vfile), vfile)
  return JSON.parse(JSON.stringify(vfile.messages.map((m) => ({...m, stack: undefined}))))
}

test('docdrift/remark gives what dist/plugins/remark gives, message for message', async () => {
  let total = 0
  for (const file of files) {
    const expected = await remarkMessages(ownRemark as Plugin<[unknown?]>, file)
    assert.equal(await remarkMessages(remarkFace.default as Plugin<[unknown?]>, file), expected, path.relative(root, file))
    total += expected.length
  }
  assert.ok(total > 200, `${total} messages`)
})

test('docdrift/markdownlint gives what dist/plugins/markdownlint gives, error for error', () => {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value))
  const expected = plain(markdownlintErrors({files}))
  const actual = plain(lint({files, customRules: markdownlintFace.default as Rule[], config: docdriftOnly}))
  assert.equal(actual, expected)
  assert.ok(Object.values(expected as Record<string, unknown[]>).flat().length > 200)
})

test('the docdrift bin is dist/command/docdrift.js and reports what dist/cli/docdrift.js reports, with worker threads', () => {
  const bin = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>}).bin.docdrift
  assert.is(path.normalize(bin), path.normalize('dist/command/docdrift.js'))
  const run = (entry: string, args: string[]) => spawnSync(process.execPath, [path.join(root, entry), ...args], {cwd: root, encoding: 'utf8'})
  for (const args of [['examples', '--format', 'json', '--jobs', '2'], ['examples/chatbox', '--no-color'], ['--version']]) {
    const shipped = run(bin, args)
    const built = run('dist/cli/docdrift.js', args)
    assert.equal([shipped.status, shipped.stdout, shipped.stderr], [built.status, built.stdout, built.stderr], args.join(' '))
    if (args[0] === 'examples') assert.ok(JSON.parse(shipped.stdout).length > 10)
  }
})

test.run()
