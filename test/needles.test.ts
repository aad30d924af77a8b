/**
 * The engine skips documents and snippets that hold none of the rules' needles (per rule and per
 * snippet language: core/engine.ts `keepFor`). That is only an optimisation: with
 * DOCDRIFT_NO_NEEDLES=1 every snippet is read, and the findings must be the same, for every
 * Markdown file under examples/ and test/fixtures/.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {lintMarkdown, parseMarkdown} from '../core/engine.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder} from './helpers/markdownlint.js'

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')]

function lint(text: string, file: string, needles: boolean) {
  const before = process.env.DOCDRIFT_NO_NEEDLES
  if (needles) delete process.env.DOCDRIFT_NO_NEEDLES
  else process.env.DOCDRIFT_NO_NEEDLES = '1'
  try {
    return lintMarkdown({text, path: file, tree: parseMarkdown(text)})
  } finally {
    if (before === undefined) delete process.env.DOCDRIFT_NO_NEEDLES
    else process.env.DOCDRIFT_NO_NEEDLES = before
  }
}

let found = 0
for (const file of files) {
  test(`needles drop no finding: ${file}`, () => {
    const full = path.join(root, file)
    const text = readFileSync(full, 'utf8')
    const fast = lint(text, full, true)
    const slow = lint(text, full, false)
    found += slow.findings.length
    assert.equal(fast.findings, slow.findings)
  })
}

test('the comparison saw findings', () => {
  assert.ok(found >= 100, `only ${found} findings`)
})

test('a snippet is read for the rules of its language only: prose with `token` is not', () => {
  const config = {secrets: {JWT_SECRET: {minBytes: 32}}}
  const text = 'Set the token in prose, then run `JWT_SECRET=abc123def`.\n'
  const result = lintMarkdown({text, path: '/tmp/x.md'}, {config})
  assert.equal(result.findings.map((f) => [f.ruleId, f.actual]), [['weak-secret', 'abc123def']])
})

test.run()
