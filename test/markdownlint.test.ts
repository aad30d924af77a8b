/**
 * The markdownlint face on its own and through markdownlint-cli2: rule objects as markdownlint
 * wants them, options from markdownlint config, one config error per file, front matter lines,
 * markdownlint's own disable comments, and examples/chatbox through the shipped
 * `.markdownlint-cli2.jsonc` (planted set; `--fix` touches only the flagged ranges).
 */
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {main} from 'markdownlint-cli2'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import rules, {faceStats} from '../plugins/markdownlint/index.js'
import {ruleIds, ruleUrl} from '../core/rules/index.js'
import {read, root, plantedProblems} from './helpers/lint.js'
import {markdownlintErrors, markdownlintRows} from './helpers/markdownlint.js'

const fixtureConfig = 'test/fixtures/markdownlint/docdrift.config.json'
// Line 10 is three edits from `/admin/metrics`: a suggestion (a typo one or two edits away would be safe).
const stale = '# Guide\n\n```sh\ncurl http://localhost:8080/chat/healthz\n```\n\nThen:\n\n```sh\ncurl http://localhost:8080/chatbox/admin/metricsxyz\n```\n'

test('one rule object per registry rule, shaped as markdownlint requires', () => {
  assert.equal(rules.map((rule) => rule.names[0]), ruleIds)
  for (const rule of rules) {
    assert.equal(rule.names.length, 1)
    assert.is(rule.parser, 'micromark')
    assert.ok(rule.information instanceof URL)
    assert.is(rule.information.href, ruleUrl(rule.names[0]))
    assert.type(rule.description, 'string')
    assert.ok(rule.tags.includes('docdrift'))
    assert.not.ok(rule.asynchronous)
    assert.is(rule.function.constructor.name, 'Function', 'synchronous')
  }
})

test('`config` from markdownlint config; nothing without a discoverable config', () => {
  const withConfig = markdownlintErrors({strings: {guide: stale}, config: {default: false, 'stale-route': {config: fixtureConfig}}})
  const rows = markdownlintRows(withConfig.guide)
  assert.equal(rows.map((r) => [r.rule, r.line, r.column, r.fix]), [
    ['stale-route', 4, 27, '/chatbox/healthz'],
    ['stale-route', 10, 27, undefined]
  ])
  // A suggestion stays visible in the message and never carries fixInfo.
  assert.match(rows[1].message, '/chatbox/admin/metrics')
  assert.is(withConfig.guide[1].fixInfo, null)
  // Discovery from the file's folder: a folder without any docdrift.config.json above it.
  const lonely = path.join(mkdtempSync(path.join(tmpdir(), 'docdrift-')), 'guide.md')
  const none = markdownlintErrors({strings: {[lonely]: stale}, config: {default: false, 'stale-route': true}})
  assert.equal(none[lonely], [])
  rmSync(path.dirname(lonely), {recursive: true})
  const found = markdownlintErrors({strings: {[path.join(root, 'test/fixtures/markdownlint/guide.md')]: stale}})
  assert.is(Object.values(found)[0].length, 2, 'discovered from the file name')
})

test('config errors: exactly one file-level error per file, from the first enabled rule', () => {
  const bad = path.join(root, 'test/fixtures/markdownlint/bad-config/guide.md')
  const both = markdownlintErrors({files: [bad]})[bad]
  assert.is(both.length, 1)
  assert.equal(both[0].ruleNames, ['stale-route'])
  assert.is(both[0].lineNumber, 1)
  assert.match(both[0].errorDetail ?? '', 'routes.paths')
  const second = markdownlintErrors({files: [bad], config: {default: false, 'secret-length': true}})[bad]
  assert.equal(second.map((e) => e.ruleNames[0]), ['secret-length'])
})

test('line numbers count the front matter that markdownlint strips', () => {
  const file = path.join(root, 'test/fixtures/markdownlint/front-matter.md')
  const errors = markdownlintErrors({files: [file]})[file]
  const lines = read('test/fixtures/markdownlint/front-matter.md').split('\n')
  assert.ok(errors.length >= 3)
  for (const error of errors) {
    const [column, length] = error.errorRange!
    assert.is(lines[error.lineNumber - 1].slice(column - 1, column - 1 + length), error.errorContext)
  }
})

test('markdownlint comments turn rules off by their docdrift names', () => {
  const text = `<!-- markdownlint-disable stale-route -->\n${stale}`
  const errors = markdownlintErrors({strings: {guide: text}, config: {default: false, 'stale-route': {config: fixtureConfig}}})
  assert.equal(errors.guide, [])
})

test('the engine runs once per file for all rules (state shared on `params.lines`)', () => {
  const before = faceStats.files
  const errors = markdownlintErrors({strings: {a: stale, b: stale}, config: {default: false, 'stale-route': {config: fixtureConfig}, 'secret-length': {config: fixtureConfig}}})
  assert.is(errors.a.length, 2)
  assert.is(faceStats.files - before, 2, 'one parse and analysis per file, not per rule')
})

test('markdownlint reads as math what remark reads as text: the face parses again only where such a paragraph holds a needle', () => {
  const config = {default: false, 'weak-secret': {config: fixtureConfig}, 'stale-route': {config: fixtureConfig}}
  const math = 'Note $a *b* c$ here.\n\n```sh\nexport API_KEY=hunter2hunter2\n```\n'
  let before = faceStats.parsed
  assert.equal(markdownlintErrors({strings: {math}, config}).math.map((e) => e.lineNumber), [4])
  assert.is(faceStats.parsed - before, 0, 'no needle in the paragraph: its inline content is not read')
  before = faceStats.parsed
  const needle = 'Note $a *b* /chat/x c$ here.\n\n```sh\nexport API_KEY=hunter2hunter2\n```\n'
  const both = markdownlintErrors({strings: {needle}, config}).needle
  assert.equal(both.map((e) => `${e.lineNumber} ${e.ruleNames[0]}`), ['4 weak-secret'])
  assert.is(faceStats.parsed - before, 1, 'a needle in it (`/chat`): read as remark reads it')
})

test('configs are looked up once per folder while files keep coming, and again after a pause', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-mdl-run-'))
  try {
    const file = path.join(dir, 'guide.md')
    writeFileSync(file, '```sh\nexport API_KEY=hunter2hunter2\n```\n')
    const lint = () => markdownlintErrors({files: [file], config: {default: false, 'weak-secret': true}})[file].map((e) => e.ruleNames[0])
    writeFileSync(path.join(dir, 'docdrift.config.json'), '{}\n')
    assert.equal(lint(), ['weak-secret'])
    // Turned off in the same run (no pause): the config found for the folder stands.
    writeFileSync(path.join(dir, 'docdrift.config.json'), '{"rules": {"weak-secret": "off"}}\n')
    assert.equal(lint(), ['weak-secret'])
    await new Promise((resolve) => setTimeout(resolve, 1100))
    assert.equal(lint(), [], 'the next check after a pause reads the changed config')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('presets/markdownlint.jsonc turns on every registry rule through the `docdrift` tag', () => {
  // `"extends": "docdrift/presets/markdownlint.jsonc"` resolves (package.json `exports`).
  assert.is(createRequire(import.meta.url).resolve('docdrift/presets/markdownlint.jsonc'), path.join(root, 'presets/markdownlint.jsonc'))
  const text = read('presets/markdownlint.jsonc').replace(/^\s*\/\/.*$/gm, '')
  assert.equal(JSON.parse(text), {docdrift: true})
  const errors = markdownlintErrors({strings: {guide: stale}, config: {default: false, docdrift: false, 'stale-route': {config: fixtureConfig}}})
  assert.is(errors.guide.length, 2, 'rule names still work one by one')
})

// ---- markdownlint-cli2 over examples/chatbox, through the shipped config ----

const planted = plantedProblems()

interface CliRow {
  file: string
  line: number
  column: number
  rule: string
  context: string
}

async function cli2(directory: string, argv: string[]): Promise<{code: number; rows: CliRow[]; messages: string[]}> {
  const errors: string[] = []
  const messages: string[] = []
  const code = await main({directory, argv, logMessage: (m: string) => messages.push(m), logError: (m: string) => errors.push(m)})
  const rows = errors.map((line) => {
    const match = /^(.+?):(\d+)(?::(\d+))? \w+ (\S+) .*?(?: \[Context: "(.*)"\])?$/.exec(line)
    assert.ok(match, line)
    return {file: match![1], line: Number(match![2]), column: Number(match![3] ?? 0), rule: match![4], context: match![5] ?? ''}
  })
  return {code, rows, messages}
}

const key = (r: {file: string; line: number; column: number; rule: string}, actual: string) => `${r.file}:${r.line}:${r.column} ${r.rule} ${actual}`
const chatbox = path.join(root, 'examples/chatbox')

test('markdownlint-cli2 with examples/chatbox/.markdownlint-cli2.jsonc reports exactly the planted set', async () => {
  const {code, rows} = await cli2(chatbox, ['**/*.md'])
  assert.is(code, 1)
  const expected = planted.map((p) => key({...p, file: path.relative('examples/chatbox', p.file)}, p.actual)).sort()
  assert.equal(rows.map((r) => key(r, r.context)).sort(), expected)
})

test('markdownlint-cli2 lints examples/chatbox-fixed clean', async () => {
  const {code, rows} = await cli2(path.join(root, 'examples/chatbox-fixed'), ['**/*.md'])
  assert.equal(rows, [])
  assert.is(code, 0)
})

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full, base) : [path.relative(base, full)]
  })
}

/** Offset of a 1-based line and column in text whose lines may end in CRLF. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1
  return offset + column - 1
}

test('markdownlint-cli2 --fix on a copy: only the flagged ranges change, CRLF stays, the tree lints clean, a second run changes nothing', async () => {
  // Two levels below the repository, so the shipped config's relative customRules path still resolves.
  mkdirSync(path.join(root, '.tmp'), {recursive: true})
  const work = mkdtempSync(path.join(root, '.tmp', 'mdl-fix-'))
  try {
    cpSync(chatbox, work, {recursive: true})
    const before = new Map(filesUnder(work).map((f) => [f, readFileSync(path.join(work, f))]))
    // Which planted findings are safe: markdownlint carries fixInfo for exactly those.
    const safe = new Set<string>()
    const mdFiles = planted.map((p) => p.file).filter((f, i, all) => all.indexOf(f) === i)
    const results = markdownlintErrors({files: mdFiles.map((f) => path.join(root, f))})
    for (const p of planted) {
      const error = results[path.join(root, p.file)].find((e) => e.lineNumber === p.line && e.errorRange?.[0] === p.column)
      assert.ok(error, key(p, p.actual))
      if (error!.fixInfo) safe.add(key(p, p.actual))
    }
    assert.is(safe.size, planted.length, 'every planted problem carries fixInfo')

    const run = await cli2(work, ['**/*.md', '--fix'])
    assert.is(run.code, 0, 'clean after --fix')

    for (const [file, original] of before) {
      const after = readFileSync(path.join(work, file))
      const rows = planted.filter((p) => path.relative('examples/chatbox', p.file) === file && safe.has(key(p, p.actual)))
      let expected = original.toString('utf8')
      // Apply the planted fixes from the end, so earlier offsets stay valid.
      for (const p of [...rows].sort((a, b) => b.line - a.line || b.column - a.column)) {
        const at = offsetOf(expected, p.line, p.column)
        assert.is(expected.slice(at, at + p.actual.length), p.actual, key(p, p.actual))
        expected = expected.slice(0, at) + p.expected + expected.slice(at + p.actual.length)
      }
      assert.ok(Buffer.from(expected, 'utf8').equals(after), `${file}: bytes outside the flagged ranges changed`)
      if (original.includes('\r\n')) assert.not.ok(/[^\r]\n/.test(after.toString('utf8')), `${file} stays CRLF`)
    }

    const left = await cli2(work, ['**/*.md'])
    const suggestions = planted.filter((p) => !safe.has(key(p, p.actual)))
    assert.equal(left.rows.map((r) => `${r.file} ${r.rule} ${r.context}`).sort(), suggestions.map((p) => `${path.relative('examples/chatbox', p.file)} ${p.rule} ${p.actual}`).sort())

    const snapshot = new Map(filesUnder(work).map((f) => [f, readFileSync(path.join(work, f))]))
    await cli2(work, ['**/*.md', '--fix'])
    for (const [file, bytes] of snapshot) assert.ok(bytes.equals(readFileSync(path.join(work, file))), `${file}: second --fix changed it`)
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
})

test.run()
