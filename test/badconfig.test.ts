/**
 * Bad config, every way, through the three faces: the `docdrift` command exits 2 and prints the
 * message once; remark gets one fatal file-level `docdrift` message; markdownlint one file-level
 * error. Each case asserts the exact message (test/config.test.ts checks the loader's wording
 * for many more values; this file checks that every kind of failure reaches every face whole).
 * The folders live under the system temp folder, so every face names the config by its
 * absolute path.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {run} from '../cli/main.js'
import {lintMarkdown} from '../core/engine.js'
import {remarkLint, root} from './helpers/lint.js'
import {markdownlintErrors} from './helpers/markdownlint.js'

const guide = '# Guide\n\n```bash\ncurl http://localhost:8080/chat/healthz\n```\n'
const base = mkdtempSync(path.join(tmpdir(), 'docdrift-badconfig-'))

interface Case {
  name: string
  /** Files of the folder; `docdrift.config.json` is discovered unless `explicit` names a path. */
  files: Record<string, string>
  explicit?: string
  message: (dir: string) => string
}

const routes = (extra: object) => JSON.stringify({routes: {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz'], ...extra}})

const cases: Case[] = [
  {
    name: 'missing config file',
    files: {},
    explicit: 'nowhere/docdrift.config.json',
    message: (dir) => `Config: cannot read ${dir}/nowhere/docdrift.config.json: file not found`
  },
  {
    name: 'the config path is a folder',
    files: {'config/keep': ''},
    explicit: 'config',
    message: (dir) => `Config: cannot read ${dir}/config: it is a folder`
  },
  {
    name: 'invalid JSON, with line and column',
    files: {'docdrift.config.json': '{\n  "routes": {\n    "prefix": "/chatbox",\n  }\n}\n'},
    message: (dir) => `Config: invalid JSON in ${dir}/docdrift.config.json at line 3, column 25: trailing comma before \`}\``
  },
  {
    name: 'unknown key, with a did-you-mean',
    files: {'docdrift.config.json': JSON.stringify({routes: {prefx: '/chatbox'}})},
    message: (dir) => `Config: unknown key \`routes.prefx\` in ${dir}/docdrift.config.json, expected one of \`prefix\`, \`prefixEnv\`, \`stalePrefixes\`, \`paths\`, \`openapi\`, \`hosts\`, \`ports\`; did you mean \`prefix\`?`
  },
  {
    name: 'wrong type',
    files: {'docdrift.config.json': routes({paths: 42})},
    message: (dir) => `Config: unexpected value \`42\` for \`routes.paths\`, expected an array of path strings (${dir}/docdrift.config.json)`
  },
  {
    name: 'pointer to a missing file',
    files: {'docdrift.config.json': routes({prefix: {file: 'config.toml', key: 'chatbox.path_prefix'}})},
    message: (dir) => `Config: \`routes.prefix.file\` points at \`config.toml\`, which does not exist (${dir}/docdrift.config.json)`
  },
  {
    name: 'pointer to a missing key, with a did-you-mean',
    files: {'docdrift.config.json': routes({prefix: {file: 'config.toml', key: 'chatbox.path_prefx'}}), 'config.toml': '[chatbox]\npath_prefix = "/chatbox"\n'},
    message: (dir) => `Config: \`chatbox.path_prefx\` not found in ${dir}/config.toml (pointed at by \`routes.prefix\` in ${dir}/docdrift.config.json); did you mean \`chatbox.path_prefix\`?`
  },
  {
    name: 'unreadable TOML',
    files: {'docdrift.config.json': routes({prefix: {file: 'config.toml', key: 'chatbox.path_prefix'}}), 'config.toml': '[chatbox]\npath_prefix = "/chatbox\n'},
    message: (dir) => `Config: invalid TOML in ${dir}/config.toml at line 2, column 24: control characters are not allowed in strings (pointed at by \`routes.prefix\` in ${dir}/docdrift.config.json)`
  },
  {
    name: 'unreadable YAML',
    files: {'docdrift.config.json': routes({prefix: {file: 'config.yaml', key: 'chatbox.path_prefix'}}), 'config.yaml': 'chatbox:\n  path_prefix: /chatbox\n replicas: 2\n'},
    message: (dir) => `Config: invalid YAML in ${dir}/config.yaml at line 3, column 1: all mapping items must start at the same column (pointed at by \`routes.prefix\` in ${dir}/docdrift.config.json)`
  },
  {
    name: 'unreadable OpenAPI',
    files: {'docdrift.config.json': routes({openapi: 'openapi.yaml'}), 'openapi.yaml': 'openapi: 3.0.3\npaths:\n  /healthz: [\n'},
    message: (dir) => `Config: invalid OpenAPI document ${dir}/openapi.yaml: flow sequence in block collection must be sufficiently indented and end with a ] (pointed at by \`routes.openapi\` in ${dir}/docdrift.config.json)`
  },
  {
    name: 'not an OpenAPI document',
    files: {'docdrift.config.json': routes({openapi: 'openapi.yaml'}), 'openapi.yaml': 'swagger: "2.0"\npaths: {}\n'},
    message: (dir) => `Config: ${dir}/openapi.yaml has \`swagger: 2.0\`, expected an OpenAPI 3.0 or 3.1 document (pointed at by \`routes.openapi\` in ${dir}/docdrift.config.json)`
  },
  {
    name: 'invalid regular expression',
    files: {'docdrift.config.json': JSON.stringify({forbidden: [{id: 'old-route', pattern: '(?<=curl )/chat', message: 'old route'}]})},
    message: (dir) => `Config: invalid regular expression \`(?<=curl )/chat\` for \`forbidden[0].pattern\`: invalid named capture: \`(?<=curl )/chat\`, expected RE2 syntax (${dir}/docdrift.config.json)`
  },
  {
    name: 'unbalanced regular expression',
    files: {'docdrift.config.json': JSON.stringify({forbidden: [{id: 'old-route', pattern: '(/chat', message: 'old route'}]})},
    message: (dir) => `Config: invalid regular expression \`(/chat\` for \`forbidden[0].pattern\`: missing closing ): \`(/chat\`, expected RE2 syntax (${dir}/docdrift.config.json)`
  }
]

function folder(c: Case, index: number): string {
  const dir = path.join(base, String(index))
  mkdirSync(dir, {recursive: true})
  for (const [name, content] of Object.entries(c.files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), content)
  }
  writeFileSync(path.join(dir, 'guide.md'), guide)
  return dir
}

cases.forEach((c, index) => {
  test(`bad config: ${c.name} — one message, exit 2, in every face`, async () => {
    const dir = folder(c, index)
    const file = path.join(dir, 'guide.md')
    const config = c.explicit === undefined ? undefined : path.join(dir, c.explicit)
    const message = c.message(dir)

    // The engine: a config error, no findings (never a lint with a silently wrong config).
    const result = lintMarkdown({text: guide, path: file}, {config, cwd: root})
    assert.is(result.configError, message)
    assert.equal(result.findings, [])

    // The command: the message once on stderr, nothing else, exit 2.
    let stdout = ''
    let stderr = ''
    const io = {cwd: root, env: {}, stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}}
    const code = await run([...(config ? ['--config', config] : []), '--format', 'json', file], io)
    assert.is(stderr, `docdrift: ${message}\n`)
    assert.is(code, 2)
    assert.not.match(stdout + stderr, /\n\s+at /, 'no stack trace')

    // remark: one fatal file-level message from `docdrift`.
    const rows = await remarkLint(guide, {path: file, cwd: root, config})
    assert.equal(rows.map((r) => [r.rule, r.message, r.fatal]), [['config', message, true]])

    // markdownlint: one file-level error.
    const options = config ? {config} : true
    const errors = markdownlintErrors({files: [file], config: {default: false, 'stale-route': options, 'secret-length': options}})[file]
    assert.equal(errors.map((e) => [e.lineNumber, e.errorDetail, e.errorRange]), [[1, message, null]])
  })
})

test('a catastrophic regular expression is accepted and runs in linear time (RE2): `(a+)+$` over 100,000 `a`s and a `!`', () => {
  const dir = folder({name: 'redos', files: {'docdrift.config.json': JSON.stringify({forbidden: [{id: 'redos', pattern: '(a+)+$', message: 'found it'}]})}, message: () => ''}, cases.length)
  const text = '`' + 'a'.repeat(100_000) + '!`\n\n`aaaa`\n'
  const result = lintMarkdown({text, path: path.join(dir, 'guide.md')}, {cwd: root})
  assert.is(result.configError, undefined)
  assert.equal(result.findings.map((f) => [f.ruleId, f.start.line, f.actual]), [['forbidden-pattern', 3, 'aaaa']])
})

test.after(() => rmSync(base, {recursive: true, force: true}))

test.run()
