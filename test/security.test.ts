/**
 * Nothing escapes the docs. Linting never runs anything the docs contain, never touches the
 * network, never reads a file outside the docs and the config's folder unless the config names
 * it, and `docdrift --fix` writes only the files it was given, each through a temporary file
 * renamed over it, leaving files it could not fix byte-identical.
 *
 * The command runs in a child process with test/fixtures/security/guard.cjs preloaded: it makes
 * every way to start a program or open a connection throw, and logs every file operation.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {lintMarkdown} from '../core/engine.js'
import {remarkLint, root} from './helpers/lint.js'
import {markdownlintErrors} from './helpers/markdownlint.js'

const guard = path.join(root, 'test/fixtures/security/guard.cjs')
/** docdrift's dependencies, wherever `node_modules` really lives (it may be a link). */
const modules = realpathSync(path.join(root, 'node_modules'))
// The bin users run (package.json `bin`): the bundled command, whose engine keeps V8's compiled
// code in `compileCache` (plugins/compile-cache.ts), the one folder it writes in.
const bin = path.join(root, 'dist/command/docdrift.js')
const base = mkdtempSync(path.join(tmpdir(), 'docdrift-security-'))
const compileCache = path.join(base, 'compile-cache')
const pwned = path.join(base, 'pwned')
const touch = `$(touch ${pwned})`

const config = {
  routes: {prefix: {file: '../service/config.toml', key: 'chatbox.path_prefix'}, stalePrefixes: ['/chat'], paths: ['/ws', '/healthz']},
  secrets: {ENCRYPTION_KEY: {bytes: 32, why: 'AES-256 key'}}
}

/** A guide that tries to run something in every place docdrift reads, and names files outside. */
function hostileGuide(): string {
  const fences = ['bash', 'sh', 'console', 'zsh', '', 'yaml', 'dockerfile', 'nginx', 'env', 'json']
  return [
    '---', `title: ${touch}`, `health: http://localhost:8080/chat/healthz?x=${touch}`, '---', '',
    `# Setup ${touch} \`${touch}\``, '',
    `Run \`ENCRYPTION_KEY=${touch} curl http://localhost:8080/chat/healthz\` or \`\`touch ${pwned}\`\`, see [docs](http://localhost:8080/chat/${touch}).`, '',
    ...fences.flatMap((lang) => [
      '```' + lang,
      `export ENCRYPTION_KEY=$(openssl rand -base64 32; touch ${pwned})`,
      `curl "http://localhost:8080/chat/healthz?t=${touch}" \`touch ${pwned}\``,
      `python3 -c 'open("${pwned}", "w")' && node -e 'require("fs").writeFileSync("${pwned}", "")'`,
      `cat <<EOF > ${pwned}`, `${touch}`, 'EOF',
      `RUN touch ${pwned}`, `HEALTHCHECK CMD touch ${pwned}`, `location /chat/ { return 200 "${touch}"; }`,
      `- name: ENCRYPTION_KEY`, `  value: "${touch}"`,
      'source ../../outside/secret.env && cat /etc/shadow ../../outside/secret.toml',
      'curl https://api.example.com/v1/chat --env-file ../../outside/secret.env',
      '```', ''
    ]),
    `| Key | Command |`, `|---|---|`, `| ENCRYPTION_KEY | \`openssl rand -base64 32 ${touch}\` |`, '',
    `<div>${touch}</div>`, '', `<!-- ${touch} -->`, '',
    '![diagram](../../outside/secret.png) [notes](../../outside/secret.toml) <https://example.org/chat/ws>', ''
  ].join('\n')
}

function layout(): {dir: string; project: string; docs: string} {
  const dir = mkdtempSync(path.join(base, 'tree-'))
  const project = path.join(dir, 'project')
  const docs = path.join(project, 'docs')
  mkdirSync(docs, {recursive: true})
  mkdirSync(path.join(dir, 'service'))
  mkdirSync(path.join(dir, 'outside'))
  writeFileSync(path.join(dir, 'service/config.toml'), '[chatbox]\npath_prefix = "/chatbox"\n')
  writeFileSync(path.join(dir, 'outside/secret.toml'), 'token = "x"\n')
  writeFileSync(path.join(dir, 'outside/secret.env'), 'TOKEN=x\n')
  writeFileSync(path.join(project, 'docdrift.config.json'), JSON.stringify(config))
  return {dir, project, docs}
}

interface LogEntry {
  op: 'read' | 'write' | 'rename' | 'exec' | 'net'
  path?: string
  from?: string
  what?: string
}

/** Run the real command under the guard; returns its exit code, output and the guard's log. */
function guarded(args: string[], cwd: string): {status: number | null; stdout: string; stderr: string; log: LogEntry[]} {
  const logFile = path.join(base, `guard-${Math.random().toString(36).slice(2)}.jsonl`)
  writeFileSync(logFile, '')
  const child = spawnSync(process.execPath, ['--require', guard, bin, '--jobs', '1', ...args], {cwd, encoding: 'utf8', env: {...process.env, DOCDRIFT_GUARD_LOG: logFile, NO_COLOR: '1', DOCDRIFT_COMPILE_CACHE: compileCache}})
  const log = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogEntry)
  return {status: child.status, stdout: child.stdout, stderr: child.stderr, log}
}

test('the guard works: it sees reads and refuses programs and connections', () => {
  const {dir} = layout()
  const probe = path.join(dir, 'probe.mjs')
  writeFileSync(probe, `import {readFileSync} from 'node:fs'\nimport {execSync} from 'node:child_process'\nimport net from 'node:net'\nreadFileSync(${JSON.stringify(probe)})\nlet refused = 0\ntry { execSync('true') } catch { refused++ }\ntry { net.connect(80, '127.0.0.1') } catch { refused++ }\ntry { await fetch('http://127.0.0.1:9/') } catch { refused++ }\nconsole.log(refused)\n`)
  const logFile = path.join(dir, 'log.jsonl')
  writeFileSync(logFile, '')
  const child = spawnSync(process.execPath, ['--require', guard, probe], {encoding: 'utf8', env: {...process.env, DOCDRIFT_GUARD_LOG: logFile}})
  assert.is(child.stdout.trim(), '3', child.stderr)
  const log = readFileSync(logFile, 'utf8')
  assert.match(log, JSON.stringify(probe))
  assert.match(log, '"op":"exec"')
  assert.match(log, '"op":"net"')
})

test('linting runs nothing from the docs: engine, remark and markdownlint in this process', async () => {
  const {docs} = layout()
  const file = path.join(docs, 'guide.md')
  const text = hostileGuide()
  writeFileSync(file, text)
  const findings = lintMarkdown({text, path: file}).findings
  assert.ok(findings.length > 10, 'the guide is linted')
  const rows = await remarkLint(text, {path: file})
  assert.ok(rows.length > 10)
  const errors = markdownlintErrors({files: [file]})[file]
  assert.ok(errors.length > 10)
  assert.not.ok(existsSync(pwned), 'nothing from the docs ran')
})

test('the command runs nothing, connects nowhere, reads only the docs, the config and the file it points at, and writes only its compiled code', () => {
  const {dir, project, docs} = layout()
  writeFileSync(path.join(docs, 'guide.md'), hostileGuide())
  const {status, stdout, stderr, log} = guarded(['--format', 'json', '.'], project)
  assert.is(status, 1, stderr)
  assert.ok(JSON.parse(stdout), 'a report')
  assert.not.ok(existsSync(pwned), 'nothing from the docs ran')
  assert.equal(log.filter((e) => e.op === 'exec' || e.op === 'net'), [], 'no program started, no connection tried')
  // Every file touched is docdrift's own code, the project (docs + config), the file the config
  // names, a fixed-name probe (config, ignore files) in a folder above the project, or the
  // engine's compiled code.
  const probes = new Set(['docdrift.config.json', '.docdriftignore', '.remarkignore', '.gitignore', 'package.json'])
  const cached = (file: string) => file === compileCache || file.startsWith(compileCache + path.sep)
  const allowed = (p: string) => {
    const file = path.resolve(project, p)
    if (file === root || file.startsWith(root + path.sep) || file.startsWith(modules + path.sep) || cached(file)) return true
    if (file === project || file.startsWith(project + path.sep)) return true
    if (file === path.join(dir, 'service/config.toml')) return true
    const folder = path.dirname(file)
    if ((folder === path.sep || project.startsWith(folder + path.sep)) && probes.has(path.basename(file))) return true
    // Folders above the project (discovery walks up, never down).
    return project.startsWith(file + path.sep) || file === path.sep
  }
  const outside = log.filter((e) => e.path !== undefined && !allowed(e.path))
  assert.equal(outside, [], 'nothing else was read')
  assert.ok(log.some((e) => e.path === path.join(dir, 'service/config.toml')), 'the pointed file was read')
  assert.not.ok(log.some((e) => e.path?.includes('outside')), 'no file the docs name')
  // Nothing is written but the engine's compiled code, at exit, through a temporary file.
  const writes = log.filter((e) => e.op === 'write' || e.op === 'rename')
  assert.ok(writes.length > 0 && writes.every((e) => cached(path.resolve(project, e.path ?? e.from ?? ''))), JSON.stringify(writes))
  // A second run reads that code and writes nothing.
  const again = guarded(['--format', 'json', '.'], project)
  assert.is(again.stdout, stdout)
  assert.equal(again.log.filter((e) => e.op === 'write' || e.op === 'rename'), [], 'linting writes nothing')
})

test('--fix writes only the files it was given, through a temp file and a rename; files it cannot fix stay byte-identical', () => {
  const {project, docs} = layout()
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(path.join(docs, name), content)
    return path.join(docs, name)
  }
  const fixable = write('fixable.md', '# Guide\r\n\r\nRun `curl http://localhost:8080/chat/healthz` — naïve 🚀\r\n\r\n```bash\r\nexport ENCRYPTION_KEY=$(openssl rand -base64 32)\r\n```\r\n')
  const suggestionOnly = write('suggestion.md', '# Guide\n\n```bash\ncurl http://localhost:8080/chat/unknown/route\nexport ENCRYPTION_KEY=$(uuidgen)\n```\n')
  const notUtf8 = write('latin1.md', Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n\n`curl http://localhost:8080/chat/healthz`\n')]))
  const clean = write('clean.md', '# Fine\n\n`curl http://localhost:8080/chatbox/healthz`\n')
  const notGiven = write('not-given.md', '`curl http://localhost:8080/chat/healthz`\n')
  const given = [fixable, suggestionOnly, notUtf8, clean]
  const before = new Map([...given, notGiven].map((file) => [file, readFileSync(file)]))

  const {status, stderr, log} = guarded(['--fix', ...given.map((file) => path.relative(project, file))], project)
  assert.is(status, 1, stderr)

  // The fixable file changed only inside the flagged ranges, CRLF and non-ASCII kept.
  assert.is(readFileSync(fixable, 'utf8'), before.get(fixable)!.toString('utf8').replace('/chat/healthz', '/chatbox/healthz').replace('-base64 32', '-base64 24'))
  // The rest are byte-identical, the file not given included.
  for (const file of [suggestionOnly, notUtf8, clean, notGiven]) assert.ok(readFileSync(file).equals(before.get(file)!), `${path.basename(file)} unchanged`)

  // Writes: one temp file beside `fixable.md`, renamed over it; nothing else written or renamed
  // (but the engine's compiled code, in its folder: the test above).
  const writes = log.filter((e) => (e.op === 'write' || e.op === 'rename') && !(e.path ?? '').startsWith(compileCache))
  const temps = writes.filter((e) => e.op === 'write' && e.path && path.basename(e.path).startsWith('.fixable.md.docdrift-') && e.path.endsWith('.tmp'))
  assert.ok(temps.length >= 1, JSON.stringify(writes))
  assert.ok(temps.every((e) => path.dirname(e.path!) === docs))
  const renames = writes.filter((e) => e.op === 'rename')
  assert.equal(renames.map((e) => [path.basename(e.from!).startsWith('.fixable.md.docdrift-'), e.path]), [[true, fixable]])
  assert.equal(writes.filter((e) => e.op === 'write' && !temps.includes(e)), [], 'no direct write to any file')
  assert.equal(log.filter((e) => e.op === 'exec' || e.op === 'net'), [])
  assert.not.ok(existsSync(temps[0].path!), 'no temp file left')
})

test.after(() => rmSync(base, {recursive: true, force: true}))

test.run()
