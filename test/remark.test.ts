/**
 * The remark face as remark-lint users expect it: severities, lint comments, standalone rules,
 * config errors as one file-level message, `url`/`note`/`actual`/`expected` on messages.
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {unified} from 'unified'
import {VFile} from 'vfile'
import docdrift, {docdriftTables} from '../plugins/remark/index.js'
import staleRoute from '../plugins/remark/rules/stale-route.js'
import secretLength from '../plugins/remark/rules/secret-length.js'
import remarkLint from 'remark-lint'
import {read, root} from './helpers/lint.js'

const fixtures = path.join(root, 'test/fixtures/rules')
const doc = 'Check `/chat/healthz` and run:\n\n```bash\nexport ENCRYPTION_KEY=$(openssl rand -base64 32)\n```\n'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function run(processor: any, value: string, dir = fixtures): Promise<VFile["messages"]> {
  const file = new VFile({value, path: path.join(dir, 'doc.md'), cwd: root})
  await processor.run(processor.parse(file), file)
  return file.messages
}

test('messages carry ruleId, source, url, actual, expected, note and an exact place', async () => {
  const [message] = await run(unified().use(remarkParse).use(docdrift), 'See `/chat/healthz`.\n')
  assert.is(message.ruleId, 'stale-route')
  assert.is(message.source, 'remark-lint')
  assert.is(message.url, 'https://github.com/docdrift/docdrift/blob/main/docs/rules/stale-route.md')
  assert.is(message.actual, '/chat/healthz')
  assert.equal(message.expected, ['/chatbox/healthz'])
  assert.is(message.note, 'The service serves its routes under `/chatbox` (service/config.toml `chatbox.path_prefix`); `/chat` is listed in `routes.stalePrefixes`')
  assert.equal(message.place, {start: {line: 1, column: 6, offset: 5}, end: {line: 1, column: 19, offset: 18}})
  assert.is(message.fatal, true, 'deployment-breaking rules are errors by default')
})

test('a remark severity overrides the default', async () => {
  const messages = await run(unified().use(remarkParse).use(remarkLint).use(staleRoute, 'warn').use(secretLength, ['error']), doc)
  assert.equal(messages.map((m) => [m.ruleId, m.fatal]), [['stale-route', false], ['secret-length', true]])
  const off = await run(unified().use(remarkParse).use(remarkLint).use(staleRoute, 'off'), doc)
  assert.equal(off, [])
})

test('config `rules` severities apply when remark sets none', async () => {
  const config = {routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz']}, rules: {'stale-route': 'warn', 'secret-length': 'off'}}
  const messages = await run(unified().use(remarkParse).use(docdrift, {config}), doc)
  assert.equal(messages.map((m) => [m.ruleId, m.fatal, m.reason]), [
    ['stale-route', false, '`/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz`']
  ])
})

test('lint comments disable, enable and ignore each rule by id', async () => {
  const value = [
    '<!--lint disable stale-route-->',
    '',
    '`/chat/healthz`',
    '',
    '<!--lint enable stale-route-->',
    '',
    '<!--lint ignore secret-length-->',
    '',
    '```bash',
    'export ENCRYPTION_KEY=$(openssl rand -base64 32)',
    '```',
    '',
    '`/chat/readyz`',
    ''
  ].join('\n')
  const messages = await run(unified().use(remarkParse).use(docdrift), value)
  assert.equal(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`), ['13:2 stale-route'])
})

test('a finding after the last leaf (a document ending in a link) survives message control', async () => {
  const messages = await run(unified().use(remarkParse).use(docdrift), '[Run this](http://localhost:8080/chat/ws)\n')
  assert.equal(messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.actual}`), ['1:33 stale-route /chat/ws'])
})

test('CRLF text with trailing spaces: each of two identical URLs on a line has its own place (found by npm run fuzz)', async () => {
  const value = '- -   ```bash\r\n    curl http://$HOST/chat/ws -H "X-Pad: x" curl http://$HOST/chat/ws -H "X-Pad: x" \r\n      ```\r\n'
  const messages = await run(unified().use(remarkParse).use(docdrift), value)
  assert.equal(messages.map((m) => `${m.line}:${m.column} ${m.actual}`), ['2:22 /chat/ws', '2:62 /chat/ws'])
})

test('two rules fixing the same text differently: the first keeps its safe fix, the other becomes a suggestion (found by npm run fuzz)', async () => {
  const messages = await run(unified().use(remarkParse).use(docdrift), '```bash\nexport ENCRYPTION_KEY=$(openssl rand -hex 0)\n```\n')
  const fixes = messages.map((m) => [m.ruleId, m.expected?.[0], (m as unknown as {docdrift: {fix?: {safety: string}}}).docdrift.fix?.safety])
  assert.equal(fixes, [['secret-length', 'openssl rand -hex 16', 'safe'], ['weak-secret', 'openssl rand -base64 24', 'suggestion']])
})

test('standalone rules work without the preset (with remark-lint for comments)', async () => {
  const messages = await run(unified().use(remarkParse).use(remarkLint).use(secretLength), doc)
  assert.equal(messages.map((m) => m.ruleId), ['secret-length'])
})

test('a bad config is one file-level, fatal message, not a crash per rule', async () => {
  const messages = await run(unified().use(remarkParse).use(docdrift, {config: {routes: {prefix: '/chatbox', paths: 42}}}), doc)
  assert.equal(messages.map((m) => [m.ruleId, m.source, m.fatal, m.line, m.reason]), [
    ['config', 'docdrift', true, undefined, 'Config: unexpected value `42` for `routes.paths`, expected an array of path strings (inline config)']
  ])
})

test('a tree without positions stays silent and does not crash', async () => {
  const processor = unified().use(remarkParse).use(docdrift)
  const file = new VFile({value: doc, path: path.join(fixtures, 'doc.md')})
  const tree = processor.parse(file)
  const strip = (node: {position?: unknown; children?: unknown[]}) => {
    delete node.position
    for (const child of node.children ?? []) strip(child as {position?: unknown})
  }
  strip(tree as never)
  await processor.run(tree, file)
  assert.equal(file.messages, [])
})

test('`remark examples/chatbox` as users run it: every planted problem, exit code 1', () => {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/remark-cli/cli.js'), 'examples/chatbox', '--no-color'], {cwd: root, encoding: 'utf8'})
  assert.is(result.status, 1)
  const planted = JSON.parse(read('test/fixtures/planted.json')).length
  assert.ok(result.stderr.includes(`✖ ${planted} errors`) || result.stderr.includes(`${planted} messages`), result.stderr.split('\n').at(-2))
  assert.match(result.stderr, /29:34-29:47 +error +`\/chat\/healthz` uses the stale prefix `\/chat`/)
})

test('`remark` over folders with their own configs: each file gets its folder\'s (configs are looked up once per folder and run)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-remark-run-'))
  try {
    const config = (prefix: string) => JSON.stringify({routes: {prefix, stalePrefixes: ['/chat'], paths: ['/healthz']}})
    mkdirSync(path.join(dir, 'sub'))
    writeFileSync(path.join(dir, 'docdrift.config.json'), config('/one'))
    writeFileSync(path.join(dir, 'sub/docdrift.config.json'), config('/sub'))
    for (const file of ['a.md', 'b.md', 'sub/c.md', 'sub/d.md']) writeFileSync(path.join(dir, file), 'Check `/chat/healthz`.\n')
    const plugin = path.join(root, 'dist/plugins/remark/index.js')
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/remark-cli/cli.js'), '.', '--no-config', '--no-ignore', '--no-stdout', '--no-color', '--use', plugin], {cwd: dir, encoding: 'utf8'})
    const uses = [...result.stderr.matchAll(/^(\S+\.md)\n.*use `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`)
    assert.equal(uses, ['a.md /one/healthz', 'b.md /one/healthz', 'sub/c.md /sub/healthz', 'sub/d.md /sub/healthz'], result.stderr)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('`remark examples/chatbox-fixed --frail` prints nothing and exits 0', () => {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/remark-cli/cli.js'), 'examples/chatbox-fixed', '--frail', '--quiet'], {cwd: root, encoding: 'utf8'})
  assert.is(result.stderr, '')
  assert.is(result.status, 0)
})

test('docdrift leaves GFM tables to the user (read from a parse of its own where they matter); docdriftTables adds them once', () => {
  const text = '| a |\n| - |\n| `curl /chat/x` |\n\n~~old~~\n'
  const plain = unified().use(remarkParse).use(docdrift).freeze()
  const withTables = unified().use(remarkParse).use(docdrift).use(docdriftTables).use(docdriftTables).freeze()
  const tree = (processor: typeof plain) => processor.parse(text) as unknown as {children: Array<{type: string; children: Array<{type: string}>}>}
  assert.equal(tree(plain).children.map((node) => node.type), ['paragraph', 'paragraph'])
  assert.equal(tree(plain).children[1].children.map((node) => node.type), ['delete'])
  assert.equal(tree(withTables).children.map((node) => node.type), ['table', 'paragraph'])
  assert.is(withTables.data().micromarkExtensions!.length, plain.data().micromarkExtensions!.length + 1)
})

test.run()
