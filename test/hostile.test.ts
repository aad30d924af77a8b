/**
 * Hostile input: a rule that throws on one block, and hostile sizes (a big document, a long
 * code block, a long single line, many tiny files) at small scale. Growth is shown by exact
 * finding counts at 1× and 4× and by a child process with a capped heap that must finish;
 * no wall-clock assertion here (bench/hostile.js times the full sizes).
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {EditMap} from 'micromark-util-edit-map'
import {INTERNAL_ERROR, lintMarkdown, parseMarkdown} from '../core/engine.js'
import {linearConsume, micromarkPatched} from '../core/extract/micromark-linear.js'
import {rules} from '../core/rules/index.js'
import type {Rule} from '../core/rules/types.js'
import {run} from '../cli/main.js'
import * as hostile from './arbitraries/hostile.js'
import {chatboxConfig} from './arbitraries/shell.js'
import {remarkLint, root} from './helpers/lint.js'
import {markdownlintErrors} from './helpers/markdownlint.js'

const config = chatboxConfig
const options = {config, cwd: root}

function countBy(findings: Array<{ruleId: string}>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const f of findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1
  return out
}

// ---------------------------------------------------------------------------------------------
// A rule that throws on one block

const boom: Rule = {
  meta: {id: 'boom', description: 'Throws on blocks that say BOOM', tags: [], severity: 'warn', fixable: 'none'},
  check({facts, report}) {
    for (const snippet of facts.snippets) {
      if (snippet.value.includes('BOOM')) throw new TypeError('cannot read properties of undefined (reading `x`)')
      report({snippet, start: 0, end: 1, message: 'seen'})
    }
  }
}

const boomDoc = [
  '# Guide', '',
  '```bash', 'curl http://localhost:8080/chat/healthz', '```', '',
  '```bash', 'curl http://localhost:8080/chat/ws # BOOM', '```', '',
  '```bash', 'curl http://localhost:8080/chat/ws', '```', ''
].join('\n')
const boomMessage = '`boom` failed on this block (`TypeError: cannot read properties of undefined (reading `x`)`), so docdrift did not check it; the rest of the file was checked'

function withBoom<T>(fn: () => T): T {
  rules.push(boom)
  const done = () => rules.splice(rules.indexOf(boom), 1)
  try {
    const result = fn()
    if (result instanceof Promise) return result.finally(done) as T
    done()
    return result
  } catch (error) {
    done()
    throw error
  }
}

test('a rule that throws on one block: an internal-error warning there, every other block and rule still checked', () => {
  withBoom(() => {
    const {findings} = lintMarkdown({text: boomDoc}, options)
    assert.equal(findings.map((f) => [f.ruleId, f.start.line, f.start.column, f.ruleId === INTERNAL_ERROR ? f.message : f.actual]), [
      ['boom', 1, 3, 'G'],
      ['boom', 4, 1, 'c'],
      ['stale-route', 4, 27, '/chat/healthz'],
      [INTERNAL_ERROR, 7, 1, boomMessage],
      ['stale-route', 8, 27, '/chat/ws'],
      ['boom', 12, 1, 'c'],
      ['stale-route', 12, 27, '/chat/ws']
    ])
    const internal = findings.find((f) => f.ruleId === INTERNAL_ERROR)!
    assert.is(internal.severity, 'warning')
    assert.is(internal.failed, 'boom')
    assert.match(internal.note ?? '', 'TypeError')
  })
})

test('the internal error reaches remark once, as a non-fatal `docdrift` message, and the rest is reported', async () => {
  await withBoom(async () => {
    const rows = await remarkLint(boomDoc, options)
    assert.equal(rows.map((r) => [r.rule, r.line, r.column, r.fatal]), [
      ['stale-route', 4, 27, true],
      ['stale-route', 8, 27, true],
      ['stale-route', 12, 27, true],
      [INTERNAL_ERROR, 7, 1, false]
    ])
    assert.is(rows[3].message, boomMessage)
  })
})

// A rule whose report cannot be placed in the file (an empty range; text that is not in the
// source, as `&amp;` reads `&`) is a docdrift bug: never a finding with an empty or guessed range.
const stray: Rule = {
  meta: {id: 'stray', description: 'Reports ranges that are not in the file', tags: [], severity: 'warn', fixable: 'none'},
  check({facts, report}) {
    for (const snippet of facts.snippets) {
      if (snippet.value.includes('EMPTY')) report({snippet, start: 2, end: 2, message: 'empty'})
      const amp = snippet.value.indexOf('a & b')
      if (amp !== -1) report({snippet, start: amp, end: amp + 5, message: 'entity'})
    }
  }
}

test('a report that cannot be placed in the file: an internal-error warning at its block, not a finding', () => {
  rules.push(stray)
  try {
    const text = ['# Guide', '', '```bash', 'echo EMPTY', '```', '', 'Then a &amp; b with `curl`.', ''].join('\n')
    const {findings} = lintMarkdown({text}, {...options, only: ['stray']})
    assert.equal(findings.map((f) => [f.ruleId, f.start.line, f.start.column, f.actual, f.failed]), [
      [INTERNAL_ERROR, 3, 1, '', 'stray'],
      [INTERNAL_ERROR, 7, 1, '', 'stray']
    ])
    assert.is(findings[1].message, '`stray` found a problem in this block (`a & b`) that docdrift could not place in the file, so it is not reported as a finding; this is a docdrift bug: entity')
  } finally {
    rules.splice(rules.indexOf(stray), 1)
  }
})

test('the internal error reaches markdownlint once, at the block', () => {
  withBoom(() => {
    const errors = markdownlintErrors({strings: {doc: boomDoc}, config: {default: false, 'stale-route': {config}, 'secret-length': {config}}}).doc
    assert.equal(errors.map((e) => [e.lineNumber, e.errorDetail]).sort(), [
      [12, errors.find((e) => e.lineNumber === 12)!.errorDetail],
      [4, errors.find((e) => e.lineNumber === 4)!.errorDetail],
      [7, boomMessage],
      [8, errors.find((e) => e.lineNumber === 8)!.errorDetail]
    ])
  })
})

test('the command goes on: the internal error is a warning in the report, the exit code is the findings\'', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-boom-'))
  try {
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(config))
    writeFileSync(path.join(dir, 'guide.md'), '# Guide\n\n```bash\necho BOOM\n```\n\n```bash\ncurl http://localhost:8080/chatbox/healthz\n```\n')
    let out = ''
    let err = ''
    const io = {cwd: dir, env: {}, stdout: {write: (t: string) => (out += t)}, stderr: {write: (t: string) => (err += t)}}
    const code = await withBoom(() => run(['--format', 'json', 'guide.md'], io))
    assert.is(code, 0, out)
    assert.match(out, INTERNAL_ERROR)
    assert.match(out, '`boom` failed on this block')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

// ---------------------------------------------------------------------------------------------
// Hostile sizes, small: exact counts at 1× and 4×

test('a big document: 1× and 4× hold exactly 1× and 4× the planted findings', () => {
  const one = hostile.bigDocument(20_000)
  const four = hostile.bigDocument(80_000)
  const sections = (text: string) => text.split('## Step ').length - 1
  for (const text of [one, four]) {
    const counts = countBy(lintMarkdown({text}, options).findings)
    const n = sections(text)
    assert.equal({'stale-route': counts['stale-route'], 'secret-length': counts['secret-length']}, {'stale-route': 3 * n, 'secret-length': 2 * n})
  }
  assert.ok(sections(four) > 3 * sections(one))
})

test('a long code block and a long single line: every finding found, at 1× and 4×', () => {
  for (const lines of [2_000, 8_000]) {
    const counts = countBy(lintMarkdown({text: hostile.bigCodeBlock(lines)}, options).findings)
    assert.is(counts['stale-route'], hostile.bigCodeBlockFindings(lines))
  }
  for (const size of [10_000, 40_000]) {
    const {findings} = lintMarkdown({text: hostile.longSingleLine(size)}, options)
    assert.is(countBy(findings)['stale-route'], hostile.longSingleLineFindings(size))
    assert.ok(findings.every((f) => f.start.line === 1))
  }
})

test('micromark edits its events in linear time (patched), with the same result', () => {
  assert.ok(micromarkPatched, 'micromark-util-edit-map changed: check core/extract/micromark-linear.ts')
  assert.is((EditMap.prototype as unknown as {consume: unknown}).consume, linearConsume)
  // The untouched prefix stays in place; the edits land as before.
  const events = ['a', 'b', 'c', 'd', 'e'] as unknown as never[]
  const map = new EditMap()
  map.add(3, 1, ['X', 'Y'] as never[])
  map.add(1, 0, ['Z'] as never[])
  map.consume(events)
  assert.equal(events, ['a', 'Z', 'b', 'c', 'X', 'Y', 'e'])
  // Many block quotes (each closing one edited the whole event list before).
  const quotes = Array.from({length: 2000}, (_, i) => `> quote ${i}\n\n- item ${i}\n`).join('\n')
  const tree = parseMarkdown(quotes)
  assert.is(tree.children.length, 4000)
  assert.is(tree.children[3999].position?.end.offset, quotes.length - 1)
})

test('memory stays bounded: a 500 KB document, a 10,000-line block and a 300 KB line under a 256 MB heap', () => {
  const script = `
    const {lintMarkdown} = await import(${JSON.stringify(path.join(root, 'dist/core/engine.js'))})
    const h = await import(${JSON.stringify(path.join(root, 'dist/test/arbitraries/hostile.js'))})
    const {chatboxConfig} = await import(${JSON.stringify(path.join(root, 'dist/test/arbitraries/shell.js'))})
    const o = {config: chatboxConfig}
    const a = lintMarkdown({text: h.bigDocument(5e5)}, o).findings.length
    const b = lintMarkdown({text: h.bigCodeBlock(10000)}, o).findings.length
    const c = lintMarkdown({text: h.longSingleLine(3e5)}, o).findings.length
    console.log(JSON.stringify([a, b, c]))`
  const child = spawnSync(process.execPath, ['--max-old-space-size=256', '--input-type=module', '-e', script], {encoding: 'utf8', cwd: root})
  assert.is(child.status, 0, child.stderr)
  const [a, b, c] = JSON.parse(child.stdout) as number[]
  assert.ok(a > 3_000, String(a))
  assert.is(b, hostile.bigCodeBlockFindings(10_000))
  assert.is(c, hostile.longSingleLineFindings(3e5))
})

test('many tiny files: 60 files through the command, each reported', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docdrift-tiny-'))
  try {
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(config))
    for (let i = 0; i < 60; i++) writeFileSync(path.join(dir, `note-${i}.md`), hostile.tinyFile(i))
    let out = ''
    let err = ''
    const io = {cwd: dir, env: {}, stdout: {write: (t: string) => (out += t)}, stderr: {write: (t: string) => (err += t)}}
    const code = await run(['--format', 'json', '--jobs', '2', '.'], io)
    assert.is(code, 1)
    assert.not.match(err, /\n\s+at /, 'no stack trace')
    const report = JSON.parse(out) as unknown
    const text = JSON.stringify(report)
    assert.is(text.split('"stale-route"').length - 1, 60, 'one finding per file')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test.run()
