/**
 * Parity: the remark face (unified + remark-parse + docdrift) and the markdownlint face
 * (markdownlint's sync API with the custom rules) report identical (rule, line, column, message,
 * fix) sets for every Markdown file under examples/ and test/fixtures/, configs discovered.
 * Includes a CRLF file, YAML and JSON front matter, HTML comments and a broken config.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {remarkLint, root} from './helpers/lint.js'
import {markdownFilesUnder, markdownlintErrors, markdownlintRows, sortRows, type ParityRow} from './helpers/markdownlint.js'

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')]

async function remarkRows(file: string): Promise<ParityRow[]> {
  const rows = await remarkLint(readFileSync(path.join(root, file), 'utf8'), {path: path.join(root, file)})
  return rows.map((r) => {
    if (r.rule === 'config') return {rule: 'config', line: 1, column: 0, message: r.message}
    const row: ParityRow = {rule: r.rule, line: r.line, column: r.column, message: r.message}
    if (r.safety === 'safe' && r.expected !== undefined) row.fix = r.expected
    return row
  })
}

const results = markdownlintErrors({files: files.map((file) => path.join(root, file))})

test('parity covers the examples, the fixtures, a CRLF file and front matter', () => {
  assert.ok(files.length >= 10, files.join('\n'))
  for (const needed of ['test/fixtures/markdownlint/crlf.md', 'test/fixtures/markdownlint/front-matter.md', 'examples/chatbox/docs/KEY_MANAGEMENT.md']) {
    assert.ok(files.includes(needed), needed)
  }
  assert.ok(readFileSync(path.join(root, 'test/fixtures/markdownlint/crlf.md'), 'utf8').includes('\r\n'), 'crlf.md must keep CRLF')
})

for (const file of files) {
  test(`parity: ${file}`, async () => {
    const fromRemark = sortRows(await remarkRows(file))
    const fromMarkdownlint = sortRows(markdownlintRows(results[path.join(root, file)] ?? []))
    assert.equal(fromMarkdownlint, fromRemark)
  })
}

test('parity is not vacuous: findings in front matter lines, after them, in CRLF and a config error', async () => {
  const all = new Map<string, ParityRow[]>()
  for (const file of files) all.set(file, markdownlintRows(results[path.join(root, file)] ?? []))
  const total = [...all.values()].flat()
  assert.ok(total.filter((r) => r.rule === 'stale-route').length > 40)
  assert.ok(total.some((r) => r.rule === 'secret-length' && r.fix))
  assert.ok(total.some((r) => r.rule !== 'config' && r.fix === undefined), 'a suggestion without fixInfo')
  assert.ok(all.get('test/fixtures/markdownlint/crlf.md')!.length >= 3)
  assert.ok(all.get('test/fixtures/markdownlint/front-matter.md')!.every((r) => r.line > 4))
  assert.ok(all.get('test/fixtures/markdownlint/json-front-matter.md')!.some((r) => r.line === 2), 'finding inside JSON front matter')
  assert.equal(all.get('test/fixtures/markdownlint/bad-config/guide.md')!.map((r) => r.rule), ['config'])
})

test.run()
