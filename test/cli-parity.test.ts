/**
 * The command and the remark face agree field for field: the command reads files with docdrift's
 * own micromark tokens and applies remark-lint's comments itself (cli/lint.ts); `remark` with
 * `docdrift/remark` parses to mdast and runs the rules as plugins. For every Markdown file under
 * examples/ and test/fixtures/ and for cases with `<!--lint …-->` comments, a byte order mark,
 * CRLF, task items, strikethrough and front matter, both give the same findings (rule, severity,
 * message, range, offending text, expected text, fix, note, url), config errors and fact usage.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {VFile} from 'vfile'
import {lintFiles} from '../cli/lint.js'
import type {FileResult, Finding} from '../cli/types.js'
import docdrift from '../plugins/remark/index.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder} from './helpers/markdownlint.js'

interface Outcome {
  findings: Finding[]
  configErrors: string[]
  usage?: FileResult['usage']
}

/** What `remark` with `docdrift/remark` reports for a file, as the command's result shape. */
async function viaRemark(filePath: string): Promise<Outcome> {
  const file = new VFile({value: readFileSync(filePath, 'utf8'), path: filePath, cwd: root})
  const processor = unified().use(remarkParse).use(docdrift)
  await processor.run(processor.parse(file), file)
  const outcome: Outcome = {findings: [], configErrors: []}
  for (const message of file.messages) {
    if (message.ruleId === 'config') {
      if (!outcome.configErrors.includes(message.reason)) outcome.configErrors.push(message.reason)
      continue
    }
    const place = message.place as {start: Finding['start']; end: Finding['end']}
    const fix = (message as unknown as {docdrift?: {fix?: Finding['fix']}}).docdrift?.fix
    const finding: Finding = {
      ruleId: message.ruleId!,
      severity: message.fatal ? 'error' : 'warning',
      message: message.reason,
      start: place.start,
      end: place.end,
      actual: message.actual ?? '',
      url: message.url ?? ''
    }
    if (message.expected?.[0] !== undefined) finding.expected = message.expected[0]
    if (fix) finding.fix = fix
    if (message.note) finding.note = message.note
    outcome.findings.push(finding)
  }
  outcome.findings.sort((a, b) => a.start.offset - b.start.offset || a.end.offset - b.end.offset || (a.ruleId < b.ruleId ? -1 : 1))
  const usage = file.data.docdrift
  if (usage) outcome.usage = {config: usage.config, checked: usage.usage.checked, matched: usage.usage.matched}
  return outcome
}

async function viaCommand(filePath: string): Promise<Outcome> {
  const [result] = await lintFiles([filePath], {cwd: root, fix: 'none'})
  assert.equal(result.errors, [], filePath)
  const outcome: Outcome = {findings: result.findings, configErrors: result.configErrors}
  if (result.usage) outcome.usage = result.usage
  return outcome
}

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')].map((file) => path.join(root, file))

let total = 0
for (const file of files) {
  test(`command = remark: ${path.relative(root, file)}`, async () => {
    const command = await viaCommand(file)
    const remark = await viaRemark(file)
    assert.equal(command, remark)
    total += command.findings.length
  })
}

const config = JSON.stringify({
  routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz', '/ws']},
  secrets: {ENCRYPTION_KEY: {bytes: 32, decode: 'none', why: 'AES-256 key'}}
})

const cases: Record<string, string> = {
  comments: [
    '# Comments',
    '',
    '<!--lint disable stale-route-->',
    '',
    '`curl http://localhost:8080/chat/healthz`',
    '',
    '<!--lint enable stale-route-->',
    '',
    '<!--lint ignore secret-length-->',
    '',
    '`ENCRYPTION_KEY=$(openssl rand -base64 32)`',
    '',
    '`ENCRYPTION_KEY=$(openssl rand -base64 32)` and `curl http://localhost:8080/chat/ws`',
    '',
    'Ends in a link: [health](http://localhost:8080/chat/healthz)'
  ].join('\n'),
  bom: '\uFEFF# Run\n\n```sh\ncurl http://localhost:8080/chat/healthz\n```\n',
  crlf: '# Run\r\n\r\n- [x] `curl http://localhost:8080/chat/healthz`\r\n- ~~old~~ `ENCRYPTION_KEY=$(openssl rand -base64 32)`\r\n',
  frontMatter: '---\ntitle: /chat/healthz\n---\n\n[^1]: `curl http://localhost:8080/chat/ws`\n\nSee[^1].\n'
}

test('command = remark on comments, a byte order mark, CRLF, task items, strikethrough, front matter', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cli-parity-'))
  try {
    writeFileSync(path.join(dir, 'docdrift.config.json'), config)
    let found = 0
    for (const [name, text] of Object.entries(cases)) {
      const file = path.join(dir, `${name}.md`)
      writeFileSync(file, text)
      const command = await viaCommand(file)
      assert.equal(command.findings, (await viaRemark(file)).findings, name)
      found += command.findings.length
      if (name === 'comments') {
        assert.equal(
          command.findings.map((f) => `${f.ruleId} ${f.start.line}`),
          ['secret-length 13', 'stale-route 13', 'stale-route 15'],
          'the comments turn off lines 5 and 11 only'
        )
      }
    }
    assert.ok(found >= 7, `found ${found}`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('command parity is not vacuous', () => {
  assert.ok(files.length >= 40, String(files.length))
  assert.ok(total > 100, String(total))
})

test.run()
