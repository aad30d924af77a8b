/**
 * Property tests (fast-check) over generated Markdown with generated shell in it: see
 * test/arbitraries/. `npm test` runs a bounded number of cases with a fixed seed; `npm run fuzz`
 * runs DOCDRIFT_FUZZ_RUNS (100) times as many with the same properties, and long lines.
 *
 * Properties:
 * - the engine and both faces never throw;
 * - every finding's range lies inside the file, is not empty, points at exactly its `actual`, and
 *   its line/column agree with its offsets; a fix replaces exactly that range with `expected`;
 *   no internal error (a report the engine cannot place in the file is one);
 * - applying every safe fix leaves every byte outside the edited ranges unchanged, removes the
 *   fixed findings, adds none, and a second pass finds no safe fix left (idempotent);
 * - the remark and markdownlint faces report the same (rule, line, column, message, fix) rows,
 *   and markdownlint's own fixer produces the same bytes as `applyFixes`.
 */
import fc from 'fast-check'
import {applyFixes as markdownlintApplyFixes} from 'markdownlint'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {INTERNAL_ERROR, lintMarkdown, type Finding} from '../core/engine.js'
import {applyFixes, fixesOf} from '../core/fix.js'
import {ruleIds} from '../core/rules/index.js'
import {markdownDoc, type Doc} from './arbitraries/markdown.js'
import {chatboxConfig} from './arbitraries/shell.js'
import {remarkLint, root} from './helpers/lint.js'
import {markdownlintErrors, markdownlintRows, sortRows, type ParityRow} from './helpers/markdownlint.js'

/** `npm run fuzz` sets DOCDRIFT_FUZZ_RUNS=100: that many times the cases, plus 12k-character lines. */
export const scale = Math.max(1, Number(process.env.DOCDRIFT_FUZZ_RUNS ?? 1) || 1)
export const seed = Number(process.env.DOCDRIFT_FUZZ_SEED ?? 20240606)
const fuzzing = scale > 1
export function params(runs: number): fc.Parameters<[Doc]> {
  return {seed, numRuns: runs * scale, includeErrorInReport: true}
}

const config = chatboxConfig
const options = {config, cwd: root}
const docs = markdownDoc({long: fuzzing, depth: fuzzing ? 3 : 2})
const markdownlintConfig = {default: false, ...Object.fromEntries(ruleIds.map((id) => [id, {config}]))}

function lint(text: string): Finding[] {
  const result = lintMarkdown({text}, options)
  assert.is(result.configError, undefined)
  return result.findings
}

/**
 * 1-based line and UTF-16 column of an offset, counted afresh (CRLF is one line ending; a
 * leading byte order mark counts in offsets, not in columns, as in editors and markdownlint).
 */
function pointOf(text: string, offset: number): {line: number; column: number} {
  let line = 1
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return {line, column: offset - lineStart + 1}
}

function checkRanges(text: string, findings: Finding[]) {
  for (const f of findings) {
    const where = `${f.ruleId} ${f.message}`
    // A finding always points at text; a report the engine cannot place is an internal error
    // (a bug), and generated documents must not make any.
    assert.is.not(f.ruleId, INTERNAL_ERROR, `no internal error: ${where}`)
    assert.ok(f.actual !== '' && f.start.offset < f.end.offset, `a finding has a non-empty range: ${where}`)
    assert.ok(f.start.offset >= 0 && f.start.offset <= f.end.offset && f.end.offset <= text.length, `range inside the file: ${where}`)
    assert.is(text.slice(f.start.offset, f.end.offset), f.actual, `text at the range is \`actual\`: ${where}`)
    assert.equal({line: f.start.line, column: f.start.column}, pointOf(text, f.start.offset), `start line/column: ${where}`)
    assert.equal({line: f.end.line, column: f.end.column}, pointOf(text, f.end.offset), `end line/column: ${where}`)
    if (f.fix) {
      assert.is(f.fix.start, f.start.offset, where)
      assert.is(f.fix.end, f.end.offset, where)
      assert.is(f.fix.text, f.expected, where)
      assert.ok(f.actual !== '', `a fix has text to replace: ${where}`)
    }
  }
}

let findingsSeen = 0
let fixesSeen = 0
test('the engine never throws; every range is inside the file, points at `actual`, with matching line/column', () => {
  fc.assert(
    fc.property(docs, (doc) => {
      const findings = lint(doc.text)
      findingsSeen += findings.length
      checkRanges(doc.text, findings)
    }),
    params(150)
  )
  assert.ok(findingsSeen > 150, `the generated documents hold findings (${findingsSeen})`)
})

/** Key of a finding once its offsets are moved by the edits before it. */
function keyOf(f: Finding, shift = 0): string {
  return `${f.ruleId} ${f.start.offset + shift}-${f.end.offset + shift} ${f.actual} ${f.message}`
}

test('safe fixes: bytes outside the edits unchanged, fixed findings gone, none added, idempotent', () => {
  fc.assert(
    fc.property(docs, (doc) => {
      const text = doc.text
      const before = lint(text)
      const safe = fixesOf(before)
      if (safe.length === 0) return
      const {text: fixed, applied} = applyFixes(text, safe)
      fixesSeen += applied.length
      // Byte-exact: the output is the original with only the applied ranges replaced.
      let cursor = 0
      let at = 0
      for (const fix of applied) {
        const gap = text.slice(cursor, fix.start)
        assert.is(fixed.slice(at, at + gap.length), gap, 'bytes between edits are unchanged')
        at += gap.length
        assert.is(fixed.slice(at, at + fix.text.length), fix.text)
        at += fix.text.length
        cursor = fix.end
      }
      assert.is(fixed.slice(at), text.slice(cursor), 'bytes after the last edit are unchanged')

      const after = lint(fixed)
      checkRanges(fixed, after)
      // Every finding that no edit touched is still there, moved by the edits before it; the
      // fixed ones are gone; nothing new appears.
      const edits = applied.map((fix) => ({start: fix.start, end: fix.end, delta: fix.text.length - (fix.end - fix.start)}))
      const touched = (f: Finding) => edits.some((e) => f.start.offset < e.end && e.start < f.end.offset) || applied.includes(f.fix!)
      const shiftOf = (offset: number) => edits.filter((e) => e.end <= offset).reduce((sum, e) => sum + e.delta, 0)
      const expected = before.filter((f) => !touched(f)).map((f) => keyOf(f, shiftOf(f.start.offset))).sort()
      const newEdits = (() => {
        let delta = 0
        return edits.map((e) => {
          const moved = {start: e.start + delta, end: e.start + delta + e.delta + (e.end - e.start)}
          delta += e.delta
          return moved
        })
      })()
      // Findings inside an edited range after the fix would be a fix that causes a finding.
      const inEdit = after.filter((f) => newEdits.some((e) => f.start.offset < e.end && e.start < f.end.offset))
      const skippedHere = before.filter((f) => f.fix && !applied.includes(f.fix) && touched(f))
      assert.equal(inEdit.filter((f) => !skippedHere.some((s) => s.ruleId === f.ruleId)).map((f) => keyOf(f)), [], 'no finding inside a fixed range')
      assert.equal(after.filter((f) => !inEdit.includes(f)).map((f) => keyOf(f)).sort(), expected, 'untouched findings stay, fixed ones go, none are added')
      // Idempotent: a second pass has nothing left to apply.
      const again = applyFixes(fixed, fixesOf(after))
      assert.equal(again.applied.filter(() => skippedHere.length === 0), [], 'a second fix pass changes nothing')
    }),
    params(150)
  )
  assert.ok(fixesSeen > 30, `safe fixes were applied (${fixesSeen})`)
})

async function remarkRows(text: string): Promise<ParityRow[]> {
  const rows = await remarkLint(text, {config, cwd: root})
  return rows.map((r) => {
    if (r.rule === 'config') return {rule: 'config', line: 1, column: 0, message: r.message}
    const row: ParityRow = {rule: r.rule, line: r.line, column: r.column, message: r.message}
    // markdownlint's fixInfo edits one line: a fix over several lines is remark's and `--fix`'s only.
    if (r.safety === 'safe' && r.expected !== undefined && (r.endLine === undefined || r.endLine === r.line)) row.fix = r.expected
    return row
  })
}

let rowsSeen = 0
test('the remark and markdownlint faces never throw and agree; markdownlint fixes the same bytes', async () => {
  await fc.assert(
    fc.asyncProperty(docs, async (doc) => {
      const fromRemark = sortRows(await remarkRows(doc.text))
      const errors = markdownlintErrors({strings: {doc: doc.text}, config: markdownlintConfig}).doc
      const fromMarkdownlint = sortRows(markdownlintRows(errors))
      rowsSeen += fromRemark.length
      assert.equal(fromMarkdownlint, fromRemark)
      // markdownlint's fixer over our fixInfo gives the bytes the core applier gives. (Its
      // fixer rewrites every line ending of a mixed file to one style, and counts a byte order
      // mark in line 1's columns though rules never see it: host behaviour, so those are left out.)
      if (errors.some((e) => e.fixInfo) && doc.eol !== 'mixed') {
        // The findings markdownlint reported (lint comments may have turned some off).
        const reported = new Set(errors.filter((e) => e.fixInfo).map((e) => `${e.lineNumber}:${e.errorRange?.[0]}:${e.fixInfo!.insertText}`))
        const kept = lint(doc.text).filter((f) => reported.has(`${f.start.line}:${f.start.column}:${f.fix?.text}`))
        const ours = applyFixes(doc.text, fixesOf(kept)).text
        const bom = doc.bom ? '\uFEFF' : ''
        assert.is(bom + markdownlintApplyFixes(doc.text.slice(bom.length), errors), ours, 'markdownlint --fix writes the same bytes')
      }
    }),
    params(60)
  )
  assert.ok(rowsSeen > 50, `the faces reported findings (${rowsSeen})`)
})

// ---------------------------------------------------------------------------------------------
// Regressions: the smallest counterexamples the properties found, kept as plain cases.

test('regression: a byte order mark before front matter keeps exact ranges (offsets count it, columns do not)', async () => {
  const text = '\uFEFF---\ntitle: Guide\n---\n\n```bash\ncurl http://localhost:8080/chat/ws\n```\n'
  const [finding] = lint(text)
  assert.equal([finding.start.line, finding.start.column, finding.actual], [6, 27, '/chat/ws'])
  assert.is(text.slice(finding.start.offset, finding.end.offset), '/chat/ws')
  assert.is(applyFixes(text, fixesOf([finding])).text, text.replace('/chat/ws', '/chatbox/ws'))
  const rows = await remarkRows(text)
  assert.equal(rows.map((r) => [r.line, r.column, r.fix]), [[6, 27, '/chatbox/ws']])
})

test('regression: markdownlint sees `<!--lint disable-->` after a URL with `[::1]` in it, as remark does', async () => {
  const text = '| http://[::1]:8080/chat/ws |\n> - <!--lint disable stale-route-->\n> `http://localhost:8080/chat/ws`'
  // The IPv6 URL before the comment is reported (line 1), the one after it is not (line 3).
  const rows = await remarkRows(text)
  assert.equal(rows.map((r) => `${r.rule} ${r.line}:${r.column}`), ['stale-route 1:20'])
  assert.equal(markdownlintRows(markdownlintErrors({strings: {doc: text}, config: markdownlintConfig}).doc), rows)
})

test('regression: a CRLF block reads as the same block with LF (line continuations, heredocs), in both faces', async () => {
  const lfText = '    cat <<EOF\n    ENCRYPTION_KEY=$(openssl rand -base64 0)\n    curl http://localhost:8080/chat/ws \\\n      -H x\n'
  const crlfText = lfText.replace(/\n/g, '\r\n')
  const places = (text: string) => lint(text).map((f) => [f.ruleId, f.start.line, f.start.column, f.actual])
  assert.equal(places(crlfText), places(lfText))
  assert.ok(places(lfText).some(([rule, line, column]) => rule === 'stale-route' && line === 3 && column === 31), JSON.stringify(places(lfText)))
  assert.equal(await remarkRows(crlfText), await remarkRows(lfText))
  assert.equal(markdownlintRows(markdownlintErrors({strings: {doc: crlfText}, config: markdownlintConfig}).doc), markdownlintRows(markdownlintErrors({strings: {doc: lfText}, config: markdownlintConfig}).doc))
  // An unclosed block that swallows a table: no `\r` reaches the shell parse.
  const swallowed = '```dotenv\n{"url": "http://localhost:8080/chat/healthz"}\n\n| Name |\n|---|\n| `http://localhost:8080/chat/ws?token=$TOKEN&x=1` |  |\n| /chat/ws |  |'
  assert.equal(places(swallowed.replace(/\n/g, '\r\n')), places(swallowed))
})

test.run()
