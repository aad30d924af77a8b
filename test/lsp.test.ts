/**
 * The language server end to end: a real LSP client talks to the real `docdrift-language-server`
 * process over stdio, the way an editor does.
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
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
import {bigDocument} from './arbitraries/hostile.js'

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

/** What the server publishes for README.md (`text`) in a new workspace holding `files`. */
async function diagnosticsIn(files: Record<string, string>, text: string): Promise<Diagnostic[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  const client = new LspClient()
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content)
    const file = path.join(dir, 'README.md')
    writeFileSync(file, text)
    await client.initialize(dir)
    const {diagnostics} = await client.open(pathToFileURL(file).href, text)
    assert.is(await client.shutdown(), 0)
    return diagnostics
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
}

/** An `import` of a built module, for a workspace's `.remarkrc.mjs`. */
const importOf = (name: string, file: string, query = '') => `import ${name} from ${JSON.stringify(pathToFileURL(path.join(root, file)).href + query)}\n`

test("a user's .remarkrc adds its plugins; a second copy of docdrift in it does not double findings", async () => {
  const config = {routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz', '/readyz']}}
  // `?copy` loads a second instance of the remark face, as a project-local install would.
  const remarkrc =
    importOf('docdrift', 'dist/plugins/remark/index.js', '?copy') +
    `function userRule() { return (tree, file) => { file.message('From the user config', {ruleId: 'user-rule', source: 'user'}).fatal = false } }\n` +
    'export default {plugins: [docdrift, userRule]}\n'
  const diagnostics = await diagnosticsIn({'docdrift.config.json': JSON.stringify(config), '.remarkrc.mjs': remarkrc}, '# Run\n\n```bash\ncurl http://localhost:8080/chat/healthz\n```\n')
  assert.equal(
    diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.code, d.severity]).sort(),
    [
      [0, 0, 'user-rule', DiagnosticSeverity.Warning],
      [3, 26, 'stale-route', DiagnosticSeverity.Error]
    ]
  )
})

test("a user's .remarkrc that turns one rule off (`[staleRoute, 'off']`, its own copy of docdrift) turns it off in the editor too", async () => {
  const config = {routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz']}, secrets: {ENCRYPTION_KEY: {bytes: 32}}}
  // What a project that installed docdrift loads: the shipped face modules, not the server's own.
  const remarkrc = importOf('docdrift', 'dist/remark.js') + importOf('staleRoute', 'dist/remark-rules/stale-route.js') + "export default {plugins: [docdrift, [staleRoute, 'off']]}\n"
  const text = '# Run\n\n```bash\ncurl http://localhost:8080/chat/healthz\nENCRYPTION_KEY=$(openssl rand -base64 32)\n```\n'
  const diagnostics = await diagnosticsIn({'docdrift.config.json': JSON.stringify(config), '.remarkrc.mjs': remarkrc}, text)
  assert.equal(diagnostics.map((d) => [d.range.start.line, d.code]), [[4, 'secret-length']])
})

test("a user's .remarkrc that gives its own copy of docdrift options: its rules run with them beside the server's", async () => {
  // No docdrift.config.json: only the user's options hold a config.
  const config = {routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz']}}
  const remarkrc = importOf('docdrift', 'dist/remark.js') + `export default {plugins: [[docdrift, {config: ${JSON.stringify(config)}}]]}\n`
  const diagnostics = await diagnosticsIn({'.remarkrc.mjs': remarkrc}, '# Run\n\n```bash\ncurl http://localhost:8080/chat/healthz\n```\n')
  assert.equal(diagnostics.map((d) => [d.range.start.line, d.code]), [[3, 'stale-route']])
})

/** Each diagnostic as [rule, line, column, expected fix] (1-based, as the command reports). */
function findings(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, (d.data as DiagnosticData | undefined)?.expected?.[0]])
}

test('.docdriftignore: an ignored document gets no diagnostics and no fixes, its sibling its findings; an edited ignore file counts from the next check', async () => {
  // Like the command's fixture: `.docdriftignore` lists `drafts/` and `*.draft.md`; every file has one stale route.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  cpSync(path.join(root, 'test/fixtures/cli/ignore'), dir, {recursive: true})
  const client = new LspClient()
  try {
    await client.initialize(dir)
    const open = async (name: string) => {
      const file = path.join(dir, name)
      const uri = pathToFileURL(file).href
      return {uri, text: readFileSync(file, 'utf8'), published: await client.open(uri, readFileSync(file, 'utf8'))}
    }
    const stale = [['stale-route', 3, 32, '/chatbox/healthz']]
    const a = await open('a.md')
    assert.equal(findings(a.published.diagnostics), stale)
    const draft = await open('c.draft.md')
    assert.equal(draft.published.diagnostics, [], 'a sibling listed by `*.draft.md`')
    const inFolder = await open('drafts/b.md')
    assert.equal(inFolder.published.diagnostics, [], 'in a folder listed by `drafts/`')

    // No quick fix and no fix-all, even for a docdrift diagnostic the client still holds.
    const held = {...a.published.diagnostics[0]}
    assert.equal(await client.codeActions(draft.uri, held.range, [held]), [])
    const whole = {start: {line: 0, character: 0}, end: {line: 4, character: 0}}
    assert.equal(await client.codeActions(draft.uri, whole, [], ['source.fixAll']), [])
    assert.is((await client.codeActions(a.uri, whole, [], ['source.fixAll'])).length, 1, 'the sibling keeps its fix-all')

    // The ignore file changes: the documents changed afterwards follow it.
    writeFileSync(path.join(dir, '.docdriftignore'), 'drafts/\na.md\n')
    const draftNow = await client.change(draft.uri, [{text: draft.text + '\nMore text.\n'}])
    assert.equal(findings(draftNow.diagnostics), stale, 'no longer listed')
    assert.equal((await client.change(a.uri, [{text: a.text + '\nMore text.\n'}])).diagnostics, [], 'listed now')
    assert.equal((await client.change(inFolder.uri, [{text: inFolder.text + '\nMore text.\n'}])).diagnostics, [], 'still listed')
    rmSync(path.join(dir, '.docdriftignore'))
    assert.equal(findings((await client.change(a.uri, [{text: a.text}])).diagnostics), stale, 'the ignore file is gone')
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test('a document too large for the heap the server may use gets one warning, and the server stays up for the others', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  cpSync(path.join(root, 'test/fixtures/cli/ignore/a.md'), path.join(dir, 'a.md'))
  cpSync(path.join(root, 'test/fixtures/cli/ignore/docdrift.config.json'), path.join(dir, 'docdrift.config.json'))
  writeFileSync(path.join(dir, 'guide.md'), bigDocument(300_000))
  const client = new LspClient(['--stdio'], {nodeArgs: ['--max-old-space-size=64']})
  try {
    await client.initialize(dir)
    const open = (name: string) => client.open(pathToFileURL(path.join(dir, name)).href, readFileSync(path.join(dir, name), 'utf8'))
    const [large] = (await open('guide.md')).diagnostics
    assert.equal({...large, message: large.message.replace(/\d+ MB this/, 'N MB this')}, {
      range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
      message: 'Not checked: the file is 0.3 MB, and checking it needs about 143 MB of memory, more than the N MB this process may use; split the file, or raise the limit (NODE_OPTIONS=--max-old-space-size=256)',
      severity: DiagnosticSeverity.Warning,
      code: 'not-checked',
      source: 'docdrift'
    })
    assert.equal(findings((await open('a.md')).diagnostics), [['stale-route', 3, 32, '/chatbox/healthz']])
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test('a .docdriftignore that cannot be read is named once in a warning, and the nearest readable one above applies', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  cpSync(path.join(root, 'test/fixtures/cli/ignore'), dir, {recursive: true})
  const broken = path.join(dir, 'guides/.docdriftignore')
  mkdirSync(broken)
  const client = new LspClient()
  const warnings: string[] = []
  client.connection.onNotification('window/showMessage', (params: {type: number; message: string}) => {
    warnings.push(`${params.type} ${params.message}`)
  })
  try {
    await client.initialize(dir)
    const guide = {uri: pathToFileURL(path.join(dir, 'guides/d.markdown')).href, text: readFileSync(path.join(dir, 'guides/d.markdown'), 'utf8')}
    assert.equal(findings((await client.open(guide.uri, guide.text)).diagnostics), [['stale-route', 3, 32, '/chatbox/healthz']])
    // Not on disk yet (a new, unsaved file): listed all the same.
    const draft = pathToFileURL(path.join(dir, 'guides/x.draft.md')).href
    assert.equal((await client.open(draft, guide.text)).diagnostics, [], '`*.draft.md` from the folder above')
    await client.change(guide.uri, [{text: guide.text + '\nMore text.\n'}])
    assert.equal(warnings, [`2 docdrift: \`${broken}\` cannot be read (it is a folder), so its patterns are not applied`])
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test('a client that watches files: the server watches ignore files, and a change re-checks the open documents', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-lsp-'))
  cpSync(path.join(root, 'test/fixtures/cli/ignore'), dir, {recursive: true})
  const client = new LspClient()
  const registered: unknown[] = []
  client.connection.onRequest('client/registerCapability', (params: {registrations: unknown[]}) => {
    registered.push(...params.registrations)
    return null
  })
  try {
    await client.initialize(dir, {didChangeWatchedFiles: {dynamicRegistration: true}})
    const file = path.join(dir, 'a.md')
    const uri = pathToFileURL(file).href
    assert.equal(findings((await client.open(uri, readFileSync(file, 'utf8'))).diagnostics), [['stale-route', 3, 32, '/chatbox/healthz']])
    assert.equal(
      registered.map((r) => [(r as {method: string}).method, (r as {registerOptions: unknown}).registerOptions]),
      [['workspace/didChangeWatchedFiles', {watchers: [{globPattern: '**/{.docdriftignore,.remarkignore}'}]}]]
    )
    writeFileSync(path.join(dir, '.docdriftignore'), 'a.md\n')
    const recheck = client.diagnostics(uri, 1)
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {changes: [{uri: pathToFileURL(path.join(dir, '.docdriftignore')).href, type: 2}]})
    assert.equal((await recheck).diagnostics, [], 'the same version, now listed')
    assert.is(await client.shutdown(), 0)
  } finally {
    client.kill()
    rmSync(dir, {recursive: true, force: true})
  }
})

test.run()
