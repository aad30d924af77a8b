/**
 * The `docdrift` command, run in-process through `run(args, io)` (the bin is a thin wrapper,
 * exercised in cli-bin.test.ts): discovery and ignore files, exit codes, the report, `--fix`
 * byte for byte, `--fix-dry-run`, the machine formats (SARIF validated against the SARIF
 * 2.1.0 schema), and worker threads giving the same output as one thread.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import os, {availableParallelism} from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import * as ajvModule from 'ajv/dist/2020.js'
import {applyFixes} from '../core/fix.js'
import {findConfig} from '../core/config/load.js'
import {rules} from '../core/rules/index.js'
import {version} from '../cli/main.js'
import {threadCount} from '../cli/pool.js'
import {cli, type Outcome} from './helpers/cli.js'
import {remarkLint, root} from './helpers/lint.js'

const fixtures = path.join(root, 'test/fixtures/cli')
const temps: string[] = []

/** A copy of `from` in a fresh temp folder (no ignore file of this repo above it). */
function copy(from: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cli-'))
  temps.push(dir)
  cpSync(from, dir, {recursive: true})
  return dir
}

function markdownFiles(dir: string, base = dir): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...markdownFiles(full, base))
    else if (name.endsWith('.md')) out.push(path.relative(base, full))
  }
  return out
}

interface Entry {
  file: string
  ruleId: string | null
  severity: string
  message: string
  line: number
  column: number
  endLine: number
  endColumn: number
  actual: string | null
  expected: string | null
  fix: {range: [number, number]; text: string; safety: string} | null
  note: string | null
  url: string | null
}

const planted: Array<{file: string; line: number; column: number; rule: string; actual: string; expected: string}> = JSON.parse(readFileSync(path.join(root, 'test/fixtures/planted.json'), 'utf8'))

/** What `remark` with our plugin reports for these files, as JSON entries' comparable fields. */
async function remarkRows(files: string[], cwd = root): Promise<string[]> {
  const rows: string[] = []
  for (const file of files) {
    for (const row of await remarkLint(readFileSync(path.join(cwd, file), 'utf8'), {path: path.join(cwd, file), cwd})) {
      rows.push(`${file}:${row.line}:${row.column} ${row.rule} ${row.fatal ? 'error' : 'warning'} ${row.actual ?? ''} -> ${row.expected ?? ''} (${row.safety ?? 'no fix'}) ${row.message}`)
    }
  }
  return rows
}

function entryRow(e: Entry): string {
  return `${e.file}:${e.line}:${e.column} ${e.ruleId} ${e.severity} ${e.actual ?? ''} -> ${e.expected ?? ''} (${e.fix?.safety ?? 'no fix'}) ${e.message}`
}

const chatboxFiles = markdownFiles(path.join(root, 'examples/chatbox')).map((file) => `examples/chatbox/${file.split(path.sep).join('/')}`).sort()

let chatboxJson: Promise<Outcome> | undefined
/** `docdrift examples/chatbox -f json`, run once for the tests that compare with it. */
function chatboxEntries(): Promise<Entry[]> {
  chatboxJson ??= cli(['examples/chatbox', '-f', 'json'])
  return chatboxJson.then((outcome) => JSON.parse(outcome.stdout) as Entry[])
}

test.after(() => {
  for (const dir of temps) rmSync(dir, {recursive: true, force: true})
})

test('--help and --version exit 0', async () => {
  const help = await cli(['--help'])
  assert.is(help.code, 0)
  assert.match(help.stdout, /^Usage: docdrift \[options\] \[paths or globs\.\.\.\]/)
  for (const flag of ['--fix', '--fix-dry-run', '--format', '--quiet', '--max-warnings', '--jobs', '--config', '--cache', '--cache-location']) assert.ok(help.stdout.includes(flag), flag)
  // Every option --help names is in the README's table of options too.
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const table = readme.slice(readme.indexOf('| Option | What it does |'), readme.indexOf('No vacuous passes'))
  const flags = [...new Set(help.stdout.match(/--[a-z][a-z-]*/g))].filter((flag) => !['--help', '--version', '--config'].includes(flag))
  assert.equal(flags.filter((flag) => !table.includes('`' + flag) && !table.includes(', ' + flag)), [])
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  const shown = await cli(['--version'])
  assert.equal([shown.code, shown.stdout], [0, `${pkg.version}\n`])
  assert.is(version(), pkg.version)
})

test('usage errors exit 2 with one line and a hint', async () => {
  for (const args of [['--nope'], ['--format', 'xml'], ['--fix', '--fix-dry-run'], ['--max-warnings', 'many'], ['--jobs', '0']]) {
    const outcome = await cli(args)
    assert.is(outcome.code, 2, args.join(' '))
    assert.is(outcome.stdout, '')
    assert.match(outcome.stderr, /^docdrift: .+\nRun `docdrift --help` for usage\.\n$/)
  }
})

test('--stdin: the same report as the file it stands for, and --fix prints the fixed text', async () => {
  const file = 'examples/chatbox/README.md'
  const text = readFileSync(path.join(root, file))
  const asFile = await cli(['-f', 'json', file])
  const asStdin = await cli(['--stdin', '--stdin-filename', file, '-f', 'json'], {stdin: text})
  assert.is(asStdin.code, asFile.code)
  assert.ok(JSON.parse(asFile.stdout).length > 10)
  assert.equal(JSON.parse(asStdin.stdout), JSON.parse(asFile.stdout))
  // Without a name: `<stdin>`, with the config found from the working folder.
  const unnamed = await cli(['--stdin', '-f', 'json'], {stdin: text, cwd: path.join(root, 'examples/chatbox')})
  const rows = (out: string) => (JSON.parse(out) as Entry[]).map((e) => `${e.line}:${e.column} ${e.ruleId} ${e.message}`)
  assert.equal(rows(unnamed.stdout), rows(asFile.stdout))
  assert.equal([...new Set((JSON.parse(unnamed.stdout) as Entry[]).map((e) => e.file))], ['<stdin>'])
  // One document is not expected to use every config fact: no warning about unused ones.
  assert.not.match(unnamed.stderr, /never used/)

  // --fix: the fixed document on stdout (as `--fix` writes the file), the report on stderr.
  const fixed = await cli(['--stdin', '--stdin-filename', file, '--fix'], {stdin: text})
  assert.is(fixed.stdout, readFileSync(path.join(root, 'examples/chatbox-fixed/README.md'), 'utf8'))
  assert.match(fixed.stderr, /Fixed \d+ problems? in 1 file/)
  assert.is(fixed.code, (await cli([file, '--fix-dry-run'])).code)
  // Nothing to fix, or bytes that are not UTF-8: printed back as they came.
  const clean = readFileSync(path.join(root, 'examples/chatbox-fixed/README.md'))
  assert.ok((await cli(['--stdin', '--stdin-filename', file, '--fix'], {stdin: clean})).stdoutBytes.equals(clean))
  const latin1 = Buffer.concat([text, Buffer.from([0xe9, 0x0a])])
  const raw = await cli(['--stdin', '--stdin-filename', file, '--fix'], {stdin: latin1})
  assert.ok(raw.stdoutBytes.equals(latin1))
  assert.match(raw.stderr, /Not fixed: standard input is not valid UTF-8/)
  assert.is(raw.code, 1)
})

test('--stdin usage errors', async () => {
  for (const [args, message] of [
    [['--stdin', 'README.md'], /paths cannot be given too \(`README\.md`\)/],
    [['--stdin-filename', 'x.md'], /add `--stdin`/],
    [['--stdin', '--stdin-filename', ''], /needs a path/],
    [['--stdin', '--cache'], /does not apply to `--stdin`/]
  ] as const) {
    const outcome = await cli([...args], {stdin: '# x\n'})
    assert.is(outcome.code, 2, args.join(' '))
    assert.match(outcome.stderr, message)
  }
  const noStream = await cli(['--stdin'])
  assert.is(noStream.code, 2)
  assert.match(noStream.stderr, /^docdrift: standard input cannot be read here\n$/)
})

test('a missing path exits 2, and the other paths are still linted', async () => {
  const outcome = await cli(['examples/chatbox/README.md', 'no/such/file.md', 'nothing/**/*.md', '-f', 'json'])
  assert.is(outcome.code, 2)
  assert.match(outcome.stderr, /`no\/such\/file\.md`/)
  assert.match(outcome.stderr, /`nothing\/\*\*\/\*\.md`/)
  const entries: Entry[] = JSON.parse(outcome.stdout)
  assert.equal(entries.map(entryRow).sort(), (await remarkRows(['examples/chatbox/README.md'])).sort())
})

test('config errors exit 2 with the engine message on one line, no stack', async () => {
  const explicit = await cli(['examples/chatbox', '--config', 'test/fixtures/cli/bad-config/docdrift.config.json'])
  assert.is(explicit.code, 2)
  assert.is(explicit.stdout, '')
  assert.match(explicit.stderr, /^docdrift: Config: invalid JSON in test\/fixtures\/cli\/bad-config\/docdrift\.config\.json at line 4, column 15: [^\n]+\n$/)
  const missing = await cli(['examples/chatbox', '--config', 'nope.json'])
  assert.is(missing.code, 2)
  assert.is(missing.stderr.split('\n').length, 2, missing.stderr)

  // Discovered per file: said once, whatever the number of files and rules.
  const dir = copy(path.join(fixtures, 'bad-config'))
  writeFileSync(path.join(dir, 'more.md'), readFileSync(path.join(dir, 'doc.md')))
  const discovered = await cli(['.'], {cwd: dir})
  assert.is(discovered.code, 2)
  // (The engine names the file relative to the process's folder: here, the test runner's.)
  assert.match(discovered.stderr, /^docdrift: Config: invalid JSON in \S*docdrift\.config\.json at line 4, column 15: [^\n]+\n$/)
  assert.not.match(discovered.stderr, /\n\s+at /)
})

test('clean docs exit 0 and print nothing', async () => {
  const dir = copy(path.join(fixtures, 'crlf'))
  rmSync(path.join(dir, 'guide.md'))
  const outcome = await cli([], {cwd: dir})
  assert.equal(outcome, {code: 0, stdout: '', stderr: ''})
})

test('the default report: place, severity, message, rule, source line, caret, fix, summary', async () => {
  const outcome = await cli(['examples/chatbox'])
  assert.is(outcome.code, 1)
  const out = outcome.stdout
  assert.not.match(out, /\u001B\[/, 'no colour off a TTY')
  assert.ok(out.startsWith('examples/chatbox/README.md\n'), out.slice(0, 80))
  const lines = out.split('\n')
  // Places are padded to the widest in the file (`108:10`).
  const at = lines.findIndex((line) => /^ {2}29:34 +error +`\/chat\/healthz` uses the stale prefix `\/chat`/.test(line))
  assert.ok(at > 0, 'finding line')
  assert.ok(lines[at].endsWith('  stale-route'))
  assert.is(lines[at + 1], '    29 | # - Health: http://localhost:8080/chat/healthz')
  const caret = lines[at + 2]
  assert.is(caret, '       | ' + ' '.repeat(33) + '^'.repeat('/chat/healthz'.length), 'caret under columns 34-46')
  assert.is(lines[at + 3].trim(), 'fix: /chatbox/healthz')
  assert.not.match(out, /suggestion: /, 'every planted problem has a safe fix')
  // Wide characters before the range (emoji, typographic quotes) keep the caret under it.
  const wide = lines.findIndex((line) => /^ {2}67:30 +error/.test(line))
  assert.is(lines[wide + 1], '    67 | The “health” endpoint 🩺 is `/chat/healthz` — it answers `200 ok` as soon as the HTTP server')
  // 29 UTF-16 units before the range: 28 characters, one of them an emoji two columns wide.
  assert.is(lines[wide + 2], '       | ' + ' '.repeat(29) + '^'.repeat(13))
  const entries = await chatboxEntries()
  const count = (pick: (e: Entry) => boolean) => entries.filter(pick).length
  const [errors, warnings, safe, suggestions] = [count((e) => e.severity === 'error'), count((e) => e.severity === 'warning'), count((e) => e.fix?.safety === 'safe'), count((e) => e.fix?.safety === 'suggestion')]
  let summary = `✖ ${errors + warnings} problems (${errors} errors, ${warnings} warning${warnings === 1 ? '' : 's'})\n  ${safe} fixable with \`--fix\`\n`
  if (suggestions) summary += `  ${suggestions} suggestion${suggestions === 1 ? '' : 's'} to review (not applied by \`--fix\`)\n`
  assert.ok(out.endsWith(summary), out.slice(-200))
  for (const file of ['examples/chatbox/deployments/kubernetes/README.md', 'examples/chatbox/docs/KEY_MANAGEMENT.md', 'examples/chatbox/docs/SECRET_SETUP_QUICKSTART.md']) {
    assert.ok(lines.includes(file), file)
  }
})

test('colour only on a TTY, and NO_COLOR / FORCE_COLOR / --no-color decide first', async () => {
  const args = ['examples/chatbox/docs/KEY_MANAGEMENT.md']
  assert.match((await cli(args, {tty: true})).stdout, /\u001B\[31m/)
  assert.not.match((await cli(args, {tty: true, env: {NO_COLOR: '1'}})).stdout, /\u001B\[/)
  assert.not.match((await cli([...args, '--no-color'], {tty: true})).stdout, /\u001B\[/)
  assert.match((await cli(args, {env: {FORCE_COLOR: '1'}})).stdout, /\u001B\[31m/)
  assert.not.match((await cli(args, {tty: true, env: {FORCE_COLOR: '0'}})).stdout, /\u001B\[/)
})

test('--format json: what remark reports (every planted finding among it), with ranges and fixes; every key present', async () => {
  const entries = await chatboxEntries()
  assert.is((await chatboxJson!).code, 1)
  assert.equal(entries.map(entryRow).sort(), (await remarkRows(chatboxFiles)).sort())
  // In file order, then by place.
  const order = entries.map((e) => [chatboxFiles.indexOf(e.file), e.line, e.column])
  assert.equal(order, [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]))
  const key = (p: {file: string; line: number; column: number; rule: string; actual: string; expected: string}) => `${p.file}:${p.line}:${p.column} ${p.rule} ${p.actual} -> ${p.expected}`
  const found = new Set(entries.map((e) => key({file: e.file, line: e.line, column: e.column, rule: e.ruleId ?? '', actual: e.actual ?? '', expected: e.expected ?? ''})))
  for (const p of planted) assert.ok(found.has(key(p)), key(p))
  const keys = ['file', 'ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'actual', 'expected', 'fix', 'note', 'url']
  for (const entry of entries) {
    assert.equal(Object.keys(entry), keys)
    const text = readFileSync(path.join(root, entry.file), 'utf8')
    if (!entry.fix) continue
    assert.is(text.slice(entry.fix.range[0], entry.fix.range[1]), entry.actual, 'range is the offending text')
    assert.is(entry.fix.text, entry.expected)
    assert.is(entry.url, `https://github.com/docdrift/docdrift/blob/main/docs/rules/${entry.ruleId}.md`)
  }
})

test('--quiet and --max-warnings', async () => {
  const dir = copy(path.join(fixtures, 'warn'))
  const plain = await cli(['.'], {cwd: dir})
  assert.is(plain.code, 0, 'warnings alone pass')
  assert.match(plain.stdout, /\n {2}3:42 {2}warning {2}`\/chat\/healthz` uses the stale prefix/)
  assert.match(plain.stdout, /⚠ 1 problem \(0 errors, 1 warning\)/)
  assert.is((await cli(['.', '--max-warnings', '1'], {cwd: dir})).code, 0)
  const over = await cli(['.', '--max-warnings', '0'], {cwd: dir})
  assert.is(over.code, 1)
  assert.match(over.stderr, /too many warnings \(1\); the maximum is 0/)
  assert.equal(await cli(['.', '--quiet'], {cwd: dir}), {code: 0, stdout: '', stderr: ''})
  assert.is((await cli(['.', '--quiet', '-f', 'json'], {cwd: dir})).stdout, '[]\n')
})

test('folders, globs and ignore files (.docdriftignore, nested .remarkignore)', async () => {
  const dir = copy(path.join(fixtures, 'ignore'))
  const files = async (args: string[]) => [...new Set((JSON.parse((await cli([...args, '-f', 'json'], {cwd: dir})).stdout) as Entry[]).map((e) => e.file))]
  assert.equal(await files([]), ['a.md', 'guides/d.markdown'])
  assert.equal(await files(['**/*.md']), ['a.md'])
  assert.equal(await files(['--no-ignore']), ['a.md', 'c.draft.md', 'drafts/b.md', 'guides/d.markdown', 'guides/old/e.md'])
  assert.equal(await files(['--ignore-pattern', 'guides/']), ['a.md'])
  // A file named explicitly is linted whatever its extension; an ignored one is skipped with a note.
  const named = await cli(['drafts/b.md', 'guides/notes.txt', '-f', 'json'], {cwd: dir})
  assert.equal([...new Set((JSON.parse(named.stdout) as Entry[]).map((e) => e.file))], ['guides/notes.txt'])
  assert.match(named.stderr, /skipped `drafts\/b\.md`: an ignore file lists it/)
})

test('a file that cannot be read is reported, and the rest are still linted', async () => {
  const dir = copy(path.join(fixtures, 'ignore'))
  symlinkSync(path.join(dir, 'gone.md'), path.join(dir, 'broken.md'))
  const outcome = await cli(['.', '-f', 'json'], {cwd: dir})
  assert.is(outcome.code, 1)
  const entries: Entry[] = JSON.parse(outcome.stdout)
  const broken = entries.filter((e) => e.file === 'broken.md')
  assert.is(broken.length, 1)
  assert.is(broken[0].ruleId, null)
  assert.match(broken[0].message, /no such file|ENOENT/i)
  assert.equal([...new Set(entries.map((e) => e.file))], ['a.md', 'broken.md', 'guides/d.markdown'])
  const report = await cli(['.'], {cwd: dir})
  assert.match(report.stdout, /\nbroken\.md\n {2}error {2}No such file or folder/)
})

test('--fix: examples/chatbox becomes examples/chatbox-fixed byte for byte, and only what needed fixing is written', async () => {
  const dir = copy(path.join(root, 'examples/chatbox'))
  const initial: Entry[] = JSON.parse((await cli(['.', '-f', 'json'], {cwd: dir})).stdout)
  const safe = initial.filter((e) => e.fix?.safety === 'safe')
  // A Markdown file with nothing to fix must keep its bytes and its mtime.
  writeFileSync(path.join(dir, 'docs/CLEAN.md'), '# Clean\n\nNothing to fix: `curl http://localhost:8080/chatbox/healthz`.\n')
  const past = new Date('2020-01-01T00:00:00Z')
  utimesSync(path.join(dir, 'docs/CLEAN.md'), past, past)
  const outcome = await cli(['.', '--fix'], {cwd: dir})
  assert.is(outcome.code, 0, 'every planted problem has a safe fix')
  assert.ok(outcome.stdout.endsWith(`✔ Fixed ${safe.length} problems in ${new Set(safe.map((e) => e.file)).size} files\n`), outcome.stdout.slice(-200))
  assert.is(statSync(path.join(dir, 'docs/CLEAN.md')).mtimeMs, past.getTime())

  // What remains has no safe fix, and none of the fixed findings is among it.
  const after: Entry[] = JSON.parse((await cli(['.', '-f', 'json'], {cwd: dir})).stdout)
  assert.equal(after.filter((e) => e.fix?.safety === 'safe'), [])
  const sameFinding = (a: Entry, b: Entry) => a.file === b.file && a.ruleId === b.ruleId && a.actual === b.actual && a.message === b.message
  for (const e of after) assert.ok(initial.some((i) => sameFinding(i, e) && i.fix?.safety !== 'safe'), `new or fixed finding left: ${entryRow(e)}`)
  assert.equal(after, [], 'nothing remains')

  const fixedTree = path.join(root, 'examples/chatbox-fixed')
  for (const file of markdownFiles(fixedTree)) {
    let bytes = readFileSync(path.join(dir, file))
    // Apply the remaining suggestions by hand: then it must be the corrected tree exactly.
    const suggestions = after.filter((e) => e.file === file && e.fix).map((e) => ({start: e.fix!.range[0], end: e.fix!.range[1], text: e.fix!.text, safety: 'safe' as const}))
    if (suggestions.length > 0) bytes = Buffer.from(applyFixes(bytes.toString('utf8'), suggestions).text, 'utf8')
    assert.ok(bytes.equals(readFileSync(path.join(fixedTree, file))), `${file} differs from examples/chatbox-fixed`)
  }
  assert.ok(readFileSync(path.join(dir, 'docs/KEY_MANAGEMENT.md'), 'utf8').includes('\r\n'), 'CRLF kept')
  assert.equal(readdirSync(path.join(dir, 'docs')).sort(), ['CLEAN.md', 'CLIENTS.md', 'KEY_MANAGEMENT.md', 'SECRET_SETUP_QUICKSTART.md'], 'no temp files left')

  // A second run changes nothing.
  const before = new Map(markdownFiles(dir).map((file) => [file, {bytes: readFileSync(path.join(dir, file)), mtime: statSync(path.join(dir, file)).mtimeMs}]))
  const again = await cli(['.', '--fix'], {cwd: dir})
  assert.is(again.code, 0)
  assert.not.match(again.stdout, /Fixed/)
  for (const [file, was] of before) {
    assert.ok(readFileSync(path.join(dir, file)).equals(was.bytes), file)
    assert.is(statSync(path.join(dir, file)).mtimeMs, was.mtime, file)
  }
})

test('--fix on a CRLF file with non-ASCII text changes only the flagged ranges', async () => {
  const dir = copy(path.join(fixtures, 'crlf'))
  rmSync(path.join(dir, 'guide.fixed.md'))
  const first = await cli(['guide.md', '--fix'], {cwd: dir})
  assert.equal([first.code, first.stdout], [0, '✔ Fixed 3 problems in 1 file\n'])
  const expected = readFileSync(path.join(fixtures, 'crlf/guide.fixed.md'))
  assert.ok(readFileSync(path.join(dir, 'guide.md')).equals(expected))
  assert.equal(await cli(['guide.md', '--fix'], {cwd: dir}), {code: 0, stdout: '', stderr: ''})
  assert.ok(readFileSync(path.join(dir, 'guide.md')).equals(expected))
})

test('--fix-dry-run prints a unified diff that `git apply` turns into what --fix writes, and writes nothing', async () => {
  const dir = copy(path.join(root, 'examples/chatbox'))
  cpSync(path.join(fixtures, 'crlf'), path.join(dir, 'crlf'), {recursive: true})
  rmSync(path.join(dir, 'crlf/guide.fixed.md'))
  const originals = new Map(markdownFiles(dir).map((file) => [file, readFileSync(path.join(dir, file))]))
  const outcome = await cli(['.', '--fix-dry-run'], {cwd: dir})
  assert.is(outcome.code, 0, 'nothing would remain after fixing')
  assert.match(outcome.stdout, /^--- a\/README\.md\n\+\+\+ b\/README\.md\n@@ -21,12 \+21,12 @@\n/)
  assert.match(outcome.stdout, /\n-# - Health: http:\/\/localhost:8080\/chat\/healthz\n\+# - Health: http:\/\/localhost:8080\/chatbox\/healthz\n/)
  assert.match(outcome.stdout, /\n\\ No newline at end of file\n/)
  assert.match(outcome.stderr, /Would fix \d+ problems in \d+ files/)
  for (const [file, bytes] of originals) assert.ok(readFileSync(path.join(dir, file)).equals(bytes), file)

  const patched = copy(dir)
  writeFileSync(path.join(patched, 'fix.diff'), outcome.stdout)
  execFileSync('git', ['apply', '-p1', 'fix.diff'], {cwd: patched})
  await cli(['.', '--fix'], {cwd: dir})
  for (const file of originals.keys()) assert.ok(readFileSync(path.join(patched, file)).equals(readFileSync(path.join(dir, file))), file)
})

test('--format sarif validates against the SARIF 2.1.0 schema and carries rules and fixes', async () => {
  const outcome = await cli(['examples/chatbox', '--format', 'sarif'])
  assert.is(outcome.code, 1)
  const log = JSON.parse(outcome.stdout)
  const Ajv2020 = ((ajvModule as unknown as {default: {default?: unknown}}).default.default ?? (ajvModule as unknown as {default: unknown}).default) as new (options: object) => {compile(schema: object): ((data: unknown) => boolean) & {errors?: unknown}}
  const schema = JSON.parse(readFileSync(path.join(fixtures, 'sarif-schema-2.1.0.json'), 'utf8'))
  const validate = new Ajv2020({strict: false, allErrors: true, validateFormats: false}).compile(schema)
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2))
  const run = log.runs[0]
  assert.equal(run.tool.driver.rules.map((r: {id: string}) => r.id), rules.map((rule) => rule.meta.id))
  for (const rule of run.tool.driver.rules) assert.is(rule.helpUri, `https://github.com/docdrift/docdrift/blob/main/docs/rules/${rule.id}.md`)
  assert.is(run.results.length, (await chatboxEntries()).length)
  const first = run.results.find((r: {locations: Array<{physicalLocation: {region: {startLine: number}}}>}) => r.locations[0].physicalLocation.region.startLine === 29)
  assert.equal(first.locations[0].physicalLocation.artifactLocation, {uri: 'examples/chatbox/README.md', uriBaseId: '%SRCROOT%'})
  assert.equal(first.fixes[0].artifactChanges[0].replacements[0].insertedContent, {text: '/chatbox/healthz'})
  const region = first.fixes[0].artifactChanges[0].replacements[0].deletedRegion
  assert.equal([region.startLine, region.startColumn, region.endLine, region.endColumn], [29, 34, 29, 47])
  const text = readFileSync(path.join(root, 'examples/chatbox/README.md'), 'utf8')
  assert.is(text.slice(region.charOffset, region.charOffset + region.charLength), '/chat/healthz')
  // Invalid input still gives a valid log (the unreadable file as a notification).
  const dir = copy(path.join(fixtures, 'ignore'))
  symlinkSync(path.join(dir, 'gone.md'), path.join(dir, 'broken.md'))
  const withError = JSON.parse((await cli(['.', '-f', 'sarif'], {cwd: dir})).stdout)
  assert.ok(validate(withError), JSON.stringify(validate.errors, null, 2))
  assert.is(withError.runs[0].invocations[0].toolExecutionNotifications.length, 1)
})

test('--format github prints workflow commands', async () => {
  const outcome = await cli(['examples/chatbox', '--format', 'github'])
  assert.is(outcome.code, 1)
  const lines = outcome.stdout.trimEnd().split('\n')
  const entries = await chatboxEntries()
  assert.is(lines.length, entries.length)
  lines.forEach((line, i) => {
    const e = entries[i]
    const columns = e.line === e.endLine ? `,col=${e.column},endColumn=${e.endColumn}` : ''
    assert.ok(line.startsWith(`::${e.severity} file=${e.file},line=${e.line},endLine=${e.endLine}${columns},title=docdrift ${e.ruleId}::`), line)
  })
  assert.ok(lines.includes('::error file=examples/chatbox/README.md,line=29,endLine=29,col=34,endColumn=47,title=docdrift stale-route::`/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (config.toml `chatbox.path_prefix`), so use `/chatbox/healthz`'))
})

test('--format rdjson gives reviewdog suggestions with UTF-8 byte columns', async () => {
  const dir = copy(path.join(fixtures, 'crlf'))
  const outcome = await cli(['guide.md', '--format', 'rdjson'], {cwd: dir})
  assert.is(outcome.code, 1)
  const doc = JSON.parse(outcome.stdout)
  assert.is(doc.source.name, 'docdrift')
  assert.is(doc.diagnostics.length, 3)
  // Apply each suggestion by line and byte column, as reviewdog does: the fixed file results.
  const lines = readFileSync(path.join(dir, 'guide.md')).toString('utf8').split('\n').map((line) => Buffer.from(line, 'utf8'))
  for (const diagnostic of [...doc.diagnostics].reverse()) {
    assert.is(diagnostic.severity, 'ERROR')
    assert.ok(diagnostic.code.url.endsWith(`${diagnostic.code.value}.md`))
    const [suggestion] = diagnostic.suggestions
    assert.equal(suggestion.range, diagnostic.location.range)
    const {start, end} = suggestion.range
    assert.is(start.line, end.line)
    const line = lines[start.line - 1]
    lines[start.line - 1] = Buffer.concat([line.subarray(0, start.column - 1), Buffer.from(suggestion.text), line.subarray(end.column - 1)])
  }
  assert.ok(Buffer.concat(lines.flatMap((line, i) => (i === 0 ? [line] : [Buffer.from('\n'), line]))).equals(readFileSync(path.join(fixtures, 'crlf/guide.fixed.md'))))
  const healthz = doc.diagnostics[1]
  const prefix = 'Étape 2 — vérifiez la santé 🩺 : `curl http://localhost:8080'
  assert.equal(healthz.location.range.start, {line: 9, column: Buffer.byteLength(prefix) + 1}, 'bytes, not UTF-16 units')
  assert.is.not(Buffer.byteLength(prefix), prefix.length)
})

test('worker threads give the same findings in the same order as one thread', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cli-'))
  temps.push(dir)
  // Enough copies of examples/chatbox for more than 16 files.
  const copies = Math.ceil(17 / markdownFiles(path.join(root, 'examples/chatbox')).length)
  for (let i = 0; i < copies; i++) cpSync(path.join(root, 'examples/chatbox'), path.join(dir, `copy-${i}`), {recursive: true})
  const count = markdownFiles(dir).length
  assert.ok(count > 16)
  const single = await cli(['.', '-f', 'json', '--jobs', '1'], {cwd: dir})
  const workers = await cli(['.', '-f', 'json', '--jobs', '2'], {cwd: dir})
  assert.is(single.code, 1)
  assert.is(workers.code, 1)
  assert.is(JSON.parse(single.stdout).length, (await chatboxEntries()).length * copies)
  assert.is(workers.stdout, single.stdout)
  // By default, workers only above 16 files, never more than the files or the cores.
  assert.is(threadCount(16), 1)
  assert.is(threadCount(count), Math.min(availableParallelism(), count))
  assert.is(threadCount(count, 1), 1)
  assert.is(threadCount(3, 8), 3)
})

test('files without a config are not checked, and the command says so (an empty config turns on the rules that need no facts)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cli-'))
  temps.push(dir)
  // The test needs a folder with no config above it: say so plainly when the machine has one.
  const above = findConfig(dir)
  assert.is(above, undefined, `${above} is above the temporary folder ${dir}, so its files always have a config; remove it to run this test`)
  const page = '# Run\n\n```sh\ndocker run nginx:latest\nexport JWT_SECRET=changeme\n```\n'
  writeFileSync(path.join(dir, 'a.md'), page)
  const one = await cli(['a.md'], {cwd: dir})
  assert.is(one.code, 0)
  assert.is(one.stdout, '')
  assert.is(one.stderr, "docdrift: `a.md` was not checked: no docdrift.config.json in its folder or above; add one (see Configuration in docdrift's README) or pass `--config <path>`\n")
  cpSync(path.join(dir, 'a.md'), path.join(dir, 'sub/a.md'), {recursive: true})
  writeFileSync(path.join(dir, 'sub/docdrift.config.json'), '{}')
  writeFileSync(path.join(dir, 'b.md'), page)
  const some = await cli(['--format', 'json', '.'], {cwd: dir})
  assert.is(some.stderr, "docdrift: 2 of 3 files were not checked (first: `a.md`): no docdrift.config.json in their folders or above; add one (see Configuration in docdrift's README) or pass `--config <path>`\n")
  const report = JSON.parse(some.stdout) as Array<{file: string; ruleId: string; line: number; column: number}>
  const found = report.map((m) => `${m.file} ${m.ruleId} ${m.line}:${m.column}`)
  assert.equal(found, ['sub/a.md mutable-image 4:12', 'sub/a.md weak-secret 5:19'])
  assert.is(some.code, 1)
  const given = await cli(['--config', 'sub/docdrift.config.json', 'a.md'], {cwd: dir})
  assert.is(given.stderr, '')
  assert.is(given.code, 1)
})

test('an ignore file that cannot be read is named once, and the files are linted as if it were not there', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-cli-'))
  temps.push(dir)
  writeFileSync(path.join(dir, 'docdrift.config.json'), '{}')
  writeFileSync(path.join(dir, 'a.md'), '```sh\ndocker run nginx:latest\n```\n')
  // A folder where the ignore file should be: unreadable as a file, also when the tests run as root.
  mkdirSync(path.join(dir, '.docdriftignore'))
  const outcome = await cli(['--format', 'json', '.'], {cwd: dir})
  assert.is(outcome.stderr, 'docdrift: `.docdriftignore` cannot be read (it is a folder), so its patterns are not applied\n')
  assert.equal((JSON.parse(outcome.stdout) as Array<{file: string; ruleId: string}>).map((m) => `${m.file} ${m.ruleId}`), ['a.md mutable-image'])
  assert.is(outcome.code, 1)
})

test.run()
