/**
 * The `docdrift` bin as a process (shebang, exit codes, one-line config errors), the
 * pre-commit hook file, and the README's CI job and hook entry, run as far as they can run here.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import YAML from 'yaml'
import {MEMORY_PER_CHAR, memoryShortfall} from '../core/memory.js'
import {run} from '../cli/main.js'
import {bigDocument} from './arbitraries/hostile.js'
import {root} from './helpers/lint.js'

const bin = path.join(root, 'dist/command/docdrift.js')
const fixtures = path.join(root, 'test/fixtures/cli')
const temp = mkdtempSync(path.join(os.tmpdir(), 'docdrift-bin-'))
cpSync(path.join(fixtures, 'crlf'), path.join(temp, 'crlf'), {recursive: true})

test.after(() => rmSync(temp, {recursive: true, force: true}))

function node(args: string[], cwd = root) {
  return spawnSync(process.execPath, [bin, ...args], {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined}})
}

test('package.json `bin.docdrift` is the built file: executable, with a node shebang', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  assert.is(path.resolve(root, pkg.bin.docdrift), bin)
  assert.is(readFileSync(bin, 'utf8').split('\n')[0], '#!/usr/bin/env node')
  assert.ok(statSync(bin).mode & 0o100, '`npm run build` makes it executable (postbuild)')
})

test('--stdin reads the process standard input; --fix prints the fixed bytes (CRLF kept)', () => {
  const input = readFileSync(path.join(temp, 'crlf/guide.md'))
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], {cwd: temp, input, env: {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined}})
  const report = run(['--stdin', '--stdin-filename', 'crlf/guide.md'])
  assert.is(report.status, 1)
  assert.is(report.stdout.toString('utf8'), node(['crlf/guide.md'], temp).stdout)
  const fixed = run(['--stdin', '--stdin-filename', 'crlf/guide.md', '--fix'])
  assert.ok(fixed.stdout.equals(readFileSync(path.join(temp, 'crlf/guide.fixed.md'))), fixed.stdout.toString('utf8'))
  assert.match(fixed.stderr.toString('utf8'), /Fixed \d+ problems? in 1 file/)
})

test('the process exits 1 on findings, 0 when clean, 2 with a one-line config error', () => {
  const findings = node(['crlf/guide.md'], temp)
  assert.is(findings.status, 1)
  assert.match(findings.stdout, /^crlf\/guide\.md\n/)
  assert.is(node(['crlf/guide.fixed.md'], temp).status, 0)
  const config = node(['crlf', '--config', path.join(fixtures, 'bad-config/docdrift.config.json')], temp)
  assert.is(config.status, 2)
  assert.match(config.stderr, /^docdrift: Config: invalid JSON in \S+docdrift\.config\.json at line 4, column 15: [^\n]+\n$/)
})

test('a file too large for the memory the process may use is reported as not checked; the rest are checked', () => {
  const dir = path.join(temp, 'large')
  mkdirSync(dir)
  writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify({routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz']}, secrets: {ENCRYPTION_KEY: {bytes: 32}}}))
  writeFileSync(path.join(dir, 'guide.md'), bigDocument(300_000))
  writeFileSync(path.join(dir, 'small.md'), '# Small\n\nGenerate `ENCRYPTION_KEY` with `openssl rand -base64 32`.\n')
  const small = spawnSync(process.execPath, ['--max-old-space-size=64', bin, 'guide.md', 'small.md'], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  assert.is(small.status, 1)
  // No crash, no stack trace: only the note on config facts the unchecked file would have used.
  assert.match(small.stderr, /^docdrift: warning: 3 config facts never used by the linted docs: [^\n]+\n$/)
  const refused = /^guide\.md\n {2}error {2}Not checked: the file is 0\.3 MB, and checking it needs about 11\d MB of memory, more than the \d+ MB this process may use; split the file, or raise the limit \(NODE_OPTIONS=--max-old-space-size=(\d+)\)\n\nsmall\.md\n {2}3:33 {2}error {2}`openssl rand -base64 32` prints 44 characters/
  const match = refused.exec(small.stdout)
  assert.ok(match, small.stdout.slice(0, 600))
  // The limit the message asks for is enough: the file is checked with it.
  const raised = spawnSync(process.execPath, [`--max-old-space-size=${match![1]}`, bin, '-f', 'json', 'guide.md'], {cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28})
  assert.is(raised.status, 1, raised.stderr)
  const findings: Array<{ruleId: string | null; message: string}> = JSON.parse(raised.stdout)
  assert.ok(findings.length > 100)
  assert.ok(findings.every((f) => f.ruleId !== null), 'every entry is a finding, none a file error')
})

test('memoryShortfall: what checking a text needs against what the heap has left', () => {
  const heap = {heap_size_limit: 100 * 2 ** 20, used_heap_size: 20 * 2 ** 20}
  assert.is(memoryShortfall('x'.repeat(200_000), MEMORY_PER_CHAR.tokens, heap), undefined)
  assert.is(
    memoryShortfall('x'.repeat(250_000), MEMORY_PER_CHAR.tokens, heap),
    'Not checked: the file is 0.2 MB, and checking it needs about 95 MB of memory, more than the 100 MB this process may use; split the file, or raise the limit (NODE_OPTIONS=--max-old-space-size=256)'
  )
  assert.match(memoryShortfall('x'.repeat(40 * 2 ** 20), MEMORY_PER_CHAR.tokens, {heap_size_limit: 4096 * 2 ** 20, used_heap_size: 0})!, /the file is 40 MB, and checking it needs about 16000 MB of memory, more than the 4096 MB .+--max-old-space-size=16128\)$/)
})

test('.pre-commit-hooks.yaml: the docdrift hook, and its entry run the way pre-commit runs it', () => {
  const hooks = YAML.parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8'))
  assert.equal(hooks, [{id: 'docdrift', name: 'docdrift', description: hooks[0].description, entry: 'docdrift', language: 'node', types: ['markdown']}])
  // pre-commit installs the package (npm links its bins, executable) and runs `entry` + the staged files.
  const binDir = path.join(temp, 'bin')
  mkdirSync(binDir)
  symlinkSync(bin, path.join(binDir, 'docdrift'))
  const env = {...process.env, PATH: `${binDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1'}
  const clean = spawnSync(hooks[0].entry, ['crlf/guide.fixed.md'], {cwd: temp, env, encoding: 'utf8'})
  assert.equal([clean.status, clean.stdout, clean.stderr], [0, '', ''])
  const dirty = spawnSync(hooks[0].entry, ['crlf/guide.md', 'crlf/guide.fixed.md'], {cwd: temp, env, encoding: 'utf8'})
  assert.is(dirty.status, 1)
  assert.match(dirty.stdout, /fix: \/chatbox\/healthz/)
})

test("README: the GitHub Actions job parses, and its docdrift commands run (on examples/chatbox's docs)", async () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Command line\n'), readme.indexOf('\n## ', readme.indexOf('\n## Command line\n') + 5))
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1]))
  const workflow = blocks.find((b) => b.jobs)
  const steps: Array<{run?: string; uses?: string; with?: Record<string, unknown>}> = workflow.jobs.docdrift.steps
  assert.equal(steps.map((s) => s.uses ?? s.run), ['actions/checkout@v4', 'actions/setup-node@v4', 'npm ci', 'npx docdrift docs --format sarif > docdrift.sarif', 'github/codeql-action/upload-sarif@v3'])
  assert.is(steps[4].with?.sarif_file, 'docdrift.sarif')
  const commands = [steps[3].run!, ...[...section.matchAll(/`- run: (npx docdrift [^`]+)`/g)].map((m) => m[1])]
  assert.is(commands.length, 2)
  for (const command of commands) {
    const args = command.replace(/ >.*$/, '').split(' ').slice(2)
    let stdout = ''
    let stderr = ''
    const code = await run(args, {cwd: path.join(root, 'examples/chatbox'), env: {}, stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}})
    assert.is(code, 1, `${command}: ${stderr}`)
    if (args.includes('sarif')) assert.is(JSON.parse(stdout).version, '2.1.0')
    else assert.match(stdout, /^::(error|warning) file=docs\//)
  }
  const hook = blocks.find((b) => b.repos)
  assert.is(hook.repos[0].hooks[0].id, YAML.parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8'))[0].id)
})

test.run()
