/**
 * The language server end to end: a real LSP client talks to the real `docdrift-language-server`
 * process over stdio, the way an editor does.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {DiagnosticSeverity, type Diagnostic} from 'vscode-languageserver-protocol/node.js'
import {lintMarkdown, resolveConfig} from '../core/engine.js'
import type {DiagnosticData} from '../server/index.js'
import {ruleUrl} from '../core/rules/index.js'
import {LspClient, applyEdits} from './helpers/lsp.js'
import {root, plantedProblems} from './helpers/lint.js'

const readme = 'examples/chatbox/README.md'
const planted = plantedProblems().filter((p) => p.file === readme)

/** The text a diagnostic's range covers. */
function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n')
  assert.is(d.range.start.line, d.range.end.line, 'one-line range')
  return lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)
}

function at(diagnostics: Diagnostic[], line: number, column: number): Diagnostic {
  const found = diagnostics.find((d) => d.range.start.line === line - 1 && d.range.start.character === column - 1)
  assert.ok(found, `a diagnostic at ${line}:${column}`)
  return found!
}

test('examples/chatbox/README.md: diagnostics, quick fixes, fix-all, clean after the edit', async () => {
  const client = new LspClient()
  try {
    const init = await client.initialize(root)
    const capabilities = init.capabilities
    assert.equal(capabilities.codeActionProvider, {codeActionKinds: ['quickfix', 'source.fixAll.docdrift'], resolveProvider: false})
    assert.is(capabilities.documentFormattingProvider, undefined, 'no whole-document formatting')
    assert.equal(capabilities.textDocumentSync, {openClose: true, change: 2})

    const file = path.join(root, readme)
    const uri = pathToFileURL(file).href
    let text = readFileSync(file, 'utf8')
    const opened = await client.open(uri, text)
    const diagnostics = opened.diagnostics
    assert.is(opened.version, 1)
    assert.is(diagnostics.length, planted.length, 'one diagnostic per planted problem')

    // Every place is exactly the text its fix replaces.
    for (const p of planted) {
      const d = at(diagnostics, p.line, p.column)
      assert.is(d.code, p.rule)
      assert.is(covered(text, d), p.actual)
      assert.equal((d.data as {expected: string[]}).expected, [p.expected])
    }

    const stale = at(diagnostics, 29, 34)
    assert.equal(stale, {
      range: {start: {line: 28, character: 33}, end: {line: 28, character: 46}},
      message:
        '`/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (config.toml `chatbox.path_prefix`), so use `/chatbox/healthz`' +
        '\nThe service serves its routes under `/chatbox` (config.toml `chatbox.path_prefix`); `/chat` is listed in `routes.stalePrefixes`',
      severity: DiagnosticSeverity.Error,
      code: 'stale-route',
      source: 'docdrift',
      codeDescription: {href: ruleUrl('stale-route')},
      data: {expected: ['/chatbox/healthz'], safety: 'safe'}
    })
    const secret = at(diagnostics, 24, 25)
    assert.equal(secret.range, {start: {line: 23, character: 24}, end: {line: 23, character: 56}})
    assert.is(secret.code, 'secret-length')
    assert.is(secret.codeDescription?.href, ruleUrl('secret-length'))
    assert.ok(secret.message.startsWith('`head -c 32 /dev/urandom | base64` prints 44 characters, but `ENCRYPTION_KEY` must be exactly 32 bytes'))
    // Each diagnostic carries the engine's safety class for its fix.
    for (const finding of lintMarkdown({text, path: file}).findings) {
      const d = at(diagnostics, finding.start.line, finding.start.column)
      assert.is((d.data as DiagnosticData | undefined)?.safety, finding.fix?.safety, `${finding.ruleId} at ${finding.start.line}`)
    }
    const safetyOf = (d: Diagnostic) => (d.data as DiagnosticData | undefined)?.safety

    // A suggestion is offered, but never preferred (fix-all and auto-fix leave it alone).
    const suggested = diagnostics.find((d) => safetyOf(d) === 'suggestion')
    if (suggested) {
      const [suggestion, ...noMore] = await client.codeActions(uri, suggested.range, [suggested])
      assert.is(noMore.length, 0)
      assert.is(suggestion.isPreferred, false)
      assert.is(suggestion.title, `Replace \`${covered(text, suggested)}\` with \`${(suggested.data as DiagnosticData).expected![0]}\``)
    }

    // The safe quick fix at the stale route: preferred, names its diagnostic, replaces exactly the route.
    const actions = await client.codeActions(uri, stale.range, [stale])
    assert.is(actions.length, 1)
    const [fix] = actions
    assert.is(fix.kind, 'quickfix')
    assert.is(fix.isPreferred, true)
    assert.is(fix.title, 'Replace `/chat/healthz` with `/chatbox/healthz`')
    assert.equal(fix.diagnostics, [stale])
    const edits = fix.edit!.changes![uri]
    assert.equal(edits, [{range: stale.range, newText: '/chatbox/healthz'}])

    text = applyEdits(text, edits)
    assert.ok(text.split('\n')[28].endsWith('# - Health: http://localhost:8080/chatbox/healthz'))
    const after = await client.change(uri, edits.map((e) => ({range: e.range, text: e.newText})))
    assert.is(after.version, 2)
    assert.is(after.diagnostics.length, planted.length - 1)
    assert.not.ok(after.diagnostics.some((d) => d.range.start.line === 28), 'line 29 is clean')

    // Only quick fixes were asked for: no fix-all.
    assert.is((await client.codeActions(uri, stale.range, [], ['quickfix'])).length, 0)

    // Fix all: every safe fix at once, the suggestion left for the author.
    const whole = {start: {line: 0, character: 0}, end: {line: text.split('\n').length, character: 0}}
    const [fixAll, ...others] = await client.codeActions(uri, whole, [], ['source.fixAll'])
    assert.is(others.length, 0)
    assert.is(fixAll.kind, 'source.fixAll.docdrift')
    const allEdits = fixAll.edit!.changes![uri]
    const unsafe = after.diagnostics.filter((d) => safetyOf(d) !== 'safe')
    assert.is(allEdits.length, after.diagnostics.length - unsafe.length)
    assert.ok(allEdits.length > 10)
    text = applyEdits(text, allEdits)
    const fixed = await client.change(uri, [{text}])
    assert.equal(fixed.diagnostics.map((d) => [d.code, d.message]), unsafe.map((d) => [d.code, d.message]), 'only what is not safe to fix is left')

    assert.is(await client.shutdown(), 0, 'exits 0 after shutdown')
  } finally {
    client.kill()
  }
})

test('a broken docdrift.config.json gives one diagnostic with the config message, and the server keeps going', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  const client = new LspClient()
  try {
    writeFileSync(path.join(dir, 'docdrift.config.json'), '{"routes": {"prefix": "/chatbox",}\n')
    const file = path.join(dir, 'README.md')
    const text = '# Run\n\n```bash\ncurl http://localhost:8080/chat/healthz\n```\n'
    writeFileSync(file, text)
    const expected = resolveConfig({}, file).error
    assert.ok(expected, 'the engine reports the config as broken')

    await client.initialize(dir)
    const uri = pathToFileURL(file).href
    const opened = await client.open(uri, text)
    assert.is(opened.diagnostics.length, 1)
    const [d] = opened.diagnostics
    assert.is(d.message, expected)
    assert.is(d.severity, DiagnosticSeverity.Error)
    assert.is(d.code, 'config')
    assert.equal(d.range, {start: {line: 0, character: 0}, end: {line: 0, character: 0}})

    const changed = await client.change(uri, [{text: text + '\nMore text.\n'}])
    assert.is(changed.diagnostics.length, 1)
    assert.is(changed.diagnostics[0].message, expected)
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test("a user's .remarkrc adds its plugins; a second copy of docdrift in it does not double findings", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  const client = new LspClient()
  try {
    const config = {routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz', '/readyz']}}
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(config))
    // `?copy` loads a second instance of the remark face, as a project-local install would.
    const face = pathToFileURL(path.join(root, 'dist/plugins/remark/index.js')).href + '?copy'
    writeFileSync(
      path.join(dir, '.remarkrc.mjs'),
      `import docdrift from ${JSON.stringify(face)}\n` +
        `function userRule() { return (tree, file) => { file.message('From the user config', {ruleId: 'user-rule', source: 'user'}).fatal = false } }\n` +
        'export default {plugins: [docdrift, userRule]}\n'
    )
    const file = path.join(dir, 'README.md')
    const text = '# Run\n\n```bash\ncurl http://localhost:8080/chat/healthz\n```\n'
    writeFileSync(file, text)

    await client.initialize(dir)
    const {diagnostics} = await client.open(pathToFileURL(file).href, text)
    assert.equal(
      diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.code, d.severity]).sort(),
      [
        [0, 0, 'user-rule', DiagnosticSeverity.Warning],
        [3, 26, 'stale-route', DiagnosticSeverity.Error]
      ]
    )
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test.run()
