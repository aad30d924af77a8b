/**
 * The `docdrift` bin as a process (shebang, exit codes, one-line config errors), the
 * pre-commit hook file, and the README's CI job and hook entry, run as far as they can run here.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import YAML from 'yaml'
import {run} from '../cli/main.js'
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

test('the process exits 1 on findings, 0 when clean, 2 with a one-line config error', () => {
  const findings = node(['crlf/guide.md'], temp)
  assert.is(findings.status, 1)
  assert.match(findings.stdout, /^crlf\/guide\.md\n/)
  assert.is(node(['crlf/guide.fixed.md'], temp).status, 0)
  const config = node(['crlf', '--config', path.join(fixtures, 'bad-config/docdrift.config.json')], temp)
  assert.is(config.status, 2)
  assert.match(config.stderr, /^docdrift: Config: invalid JSON in \S+docdrift\.config\.json at line 4, column 15: [^\n]+\n$/)
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
