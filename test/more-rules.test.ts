/**
 * Issue 4: routes from OpenAPI (with methods), user regexes on a linear-time engine, the
 * review's three patterns from the shipped example config, and fact usage ("no vacuous passes").
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {lintMarkdown, loadConfig, UsageTally} from '../core/index.js'
import {engineLint, root, markdownFiles} from './helpers/lint.js'

const openapiDir = path.join(root, 'test/fixtures/openapi')

function configError(config: object, cwd = openapiDir): string {
  try {
    loadConfig(config, {cwd, name: 'docdrift.config.json'})
  } catch (error) {
    return (error as Error).message
  }
  return ''
}

test('routes.openapi: paths with methods, the server path as prefix, combined with routes.paths', () => {
  for (const file of ['openapi.yaml', 'openapi-3.1.json']) {
    const routes = loadConfig({routes: {openapi: file, paths: ['/ws']}}, {cwd: openapiDir}).routes!
    assert.is(routes.prefix, '/chatbox')
    assert.equal(routes.prefixSource, {file, key: 'servers[0].url'})
    assert.equal(routes.paths.map((r) => [r.path, r.methods]), [
      ['/ws', undefined],
      ['/healthz', ['GET', 'HEAD']],
      ['/admin/takeover/{sessionID}', ['POST']]
    ])
    assert.equal(routes.paths[1].source, {file, key: 'paths["/healthz"]'})
  }
  // An explicit prefix wins over the server path.
  assert.is(loadConfig({routes: {openapi: 'openapi.yaml', prefix: '/api'}}, {cwd: openapiDir}).routes!.prefix, '/api')
})

test('routes.openapi: broken, missing and non-3.x documents are config errors naming the file and the place', () => {
  assert.is(configError({routes: {openapi: 'broken.yaml'}}),
    'Config: invalid OpenAPI document broken.yaml at `paths["/healthz"].get.responses[200]`: missing key `description` (pointed at by `routes.openapi` in docdrift.config.json)')
  assert.is(configError({routes: {openapi: 'swagger.yaml'}}),
    'Config: swagger.yaml has `swagger: 2.0`, expected an OpenAPI 3.0 or 3.1 document (pointed at by `routes.openapi` in docdrift.config.json)')
  assert.is(configError({routes: {openapi: 'missing.yaml'}}),
    'Config: `routes.openapi` points at `missing.yaml`, which does not exist (docdrift.config.json)')
  assert.is(configError({routes: {openapi: 'guide.md'}}),
    'Config: unexpected value `guide.md` for `routes.openapi`, expected a `.yaml`, `.yml` or `.json` OpenAPI file (docdrift.config.json)')
  assert.is(configError({routes: {}}),
    'Config: missing key `routes.prefix` in docdrift.config.json, expected a path prefix such as `/chatbox`, or a pointer `{"file", "key"}`')
})

test('stale-route flags a method the OpenAPI document does not define for the route', () => {
  const file = path.join(openapiDir, 'guide.md')
  const rows = engineLint(readFileSync(file, 'utf8'), {path: file})
  assert.equal(rows.map((r) => `${r.line}:${r.column} ${r.message} -> ${r.expected ?? ''}`), [
    '4:9 `POST /chatbox/healthz` gets 405: the route allows only `GET`, `HEAD` (openapi.yaml `paths["/healthz"]`); use `GET` -> GET',
    '8:16 `DELETE /chatbox/admin/takeover/42` gets 405: the route allows only `POST` (openapi.yaml `paths["/admin/takeover/{sessionID}"]`); use `POST` -> POST',
    '9:6 `POST /chatbox/healthz` gets 405: the route allows only `GET`, `HEAD` (openapi.yaml `paths["/healthz"]`); use `GET` -> GET',
    '13:10 `POST /chatbox/healthz` gets 405: the route allows only `GET`, `HEAD` (openapi.yaml `paths["/healthz"]`); use `GET` -> GET',
    '18:1 `POST /chatbox/healthz` gets 405: the route allows only `GET`, `HEAD` (openapi.yaml `paths["/healthz"]`); use `GET` -> GET',
    '23:1 `DELETE /chatbox/admin/takeover/42` gets 405: the route allows only `POST` (openapi.yaml `paths["/admin/takeover/{sessionID}"]`); use `POST` -> POST'
  ])
})

test('forbidden: an invalid regex is a config error with RE2\'s reason', () => {
  const item = (pattern: string) => ({forbidden: [{id: 'x', pattern, message: 'm'}]})
  assert.is(configError(item('(unclosed')),
    'Config: invalid regular expression `(unclosed` for `forbidden[0].pattern`: missing closing ): `(unclosed`, expected RE2 syntax (docdrift.config.json)')
  assert.is(configError(item('(?<=chat)/ws')),
    'Config: invalid regular expression `(?<=chat)/ws` for `forbidden[0].pattern`: invalid named capture: `(?<=chat)/ws`, expected RE2 syntax (docdrift.config.json)')
  assert.is(configError({forbidden: [{id: 'x', pattern: 'a', message: 'm', flags: 'g'}]}),
    'Config: unexpected value `g` for `forbidden[0].flags`, expected flags from `i`, `m`, `s` (docdrift.config.json)')
  assert.is(configError({forbidden: [{id: 'x', pattern: 'a', message: 'm'}, {id: 'x', pattern: 'b', message: 'n'}]}),
    'Config: duplicate id `x` in `forbidden[1].id`, expected an id used once (docdrift.config.json)')
})

test('forbidden: a catastrophic pattern `(a+)+$` runs in linear time', () => {
  const config = loadConfig({forbidden: [{id: 'evil', pattern: '(a+)+$', message: 'Evil pattern matched', in: ['prose']}]}, {cwd: root})
  const text = 'a'.repeat(50_000) + 'b\n\n' + 'a'.repeat(30) + '\n'
  // A backtracking engine would not finish this line in any test run; RE2 reads it once.
  const result = lintMarkdown({text}, {config})
  assert.equal(result.findings.map((f) => `${f.start.line}:${f.start.column} ${f.message}`), ['3:1 Evil pattern matched'])
})


test('examples/forbidden-patterns.config.json: the review\'s three patterns flag the planted cases and nothing in chatbox-fixed', () => {
  const config = loadConfig(path.join(root, 'examples/forbidden-patterns.config.json'))
  const hits = (dir: string) => markdownFiles(dir).flatMap((file) =>
    lintMarkdown({text: readFileSync(path.join(root, file), 'utf8'), path: file}, {config, only: ['forbidden-pattern']}).findings
      .map((f) => `${path.relative(dir, file)}:${f.start.line} ${f.actual}`))
  assert.equal(hits('examples/chatbox-fixed'), [])
  const found = hits('examples/chatbox')
  assert.ok(found.includes('README.md:72 :8080/chat/healthz'), found.join('\n'))
  assert.ok(found.includes('README.md:93 :8080/chat/ws'), found.join('\n'))
  assert.ok(found.includes('docs/SECRET_SETUP_QUICKSTART.md:19 ENCRYPTION_KEY=$(openssl rand -base64 32'), found.join('\n'))
  assert.is(found.filter((f) => f.includes('/chat/healthz')).length, 10)
  assert.is(found.filter((f) => f.includes('/chat/ws')).length, 4)
  assert.is(found.filter((f) => f.includes('ENCRYPTION_KEY=')).length, 2)
})

test('fact usage over examples/chatbox: every fact is checked, and says how often it matched', () => {
  const tally = new UsageTally()
  for (const file of markdownFiles('examples/chatbox')) {
    tally.add(lintMarkdown({text: readFileSync(path.join(root, file), 'utf8'), path: path.join(root, file)}))
  }
  const rows = tally.facts().map((f) => `${f.key} ${f.checked}/${f.matched} ${f.source.file}${f.source.key ? ' ' + f.source.key : ''}`)
  assert.equal(rows, [
    'prefix 50/11 config.toml chatbox.path_prefix',
    'stalePrefix:/chat 50/30 docdrift.config.json routes.stalePrefixes[0]',
    'route:/ws 7/7 docdrift.config.json routes.paths[0]',
    'route:/sessions 3/3 docdrift.config.json routes.paths[1]',
    'route:/admin/sessions 3/3 docdrift.config.json routes.paths[2]',
    'route:/admin/metrics 4/4 docdrift.config.json routes.paths[3]',
    'route:/admin/takeover/:sessionID 2/2 docdrift.config.json routes.paths[4]',
    'route:/healthz 11/11 docdrift.config.json routes.paths[5]',
    'route:/readyz 9/9 docdrift.config.json routes.paths[6]',
    'port:8080 26/26 config.toml chatbox.listen_addr',
    'secret:ENCRYPTION_KEY 23/23 docdrift.config.json secrets.ENCRYPTION_KEY',
    'secret:JWT_SECRET 19/19 docdrift.config.json secrets.JWT_SECRET',
    'image:chatbox-websocket 8/2 docdrift.config.json images.pinned.chatbox-websocket',
    'floating:chatbox:dev 8/1 docdrift.config.json images.floating[0]',
    'install:github.com/boumenot/gocover-cobertura 3/1 go.mod require github.com/boumenot/gocover-cobertura',
    'install:wscat 3/1 docdrift.config.json installs.versions.wscat',
    'install:chatbox/chatbox-websocket 3/1 docdrift.config.json installs.versions["chatbox/chatbox-websocket"]',
    'pattern:docker-compose-v1 1/1 docdrift.config.json forbidden[0]'
  ])
  assert.equal(tally.unmatched(), [])
})

test('fact usage: a fact that matches nothing is reported', () => {
  const config = loadConfig({routes: {prefix: '/chatbox', stalePrefixes: ['/chta'], paths: ['/healthz']}}, {cwd: root})
  const tally = new UsageTally()
  tally.add(lintMarkdown({text: '```bash\ncurl http://localhost:8080/chatbox/healthz\n```\n'}, {config}))
  assert.equal(tally.unmatched().map((f) => f.key), ['stalePrefix:/chta'])
})

// ---------------------------------------------------------------------------------------------
// routes.ports: a localhost URL on another port is another component

const portsGuide = path.join(root, 'test/fixtures/rules/stale-route/invalid-ports.md')
const portsRoutes = {prefix: '/chatbox', stalePrefixes: ['/chat'], paths: ['/healthz', '/readyz']}

test('routes.ports unknown: every localhost URL is the service, whatever its port (as before)', () => {
  const rows = engineLint(readFileSync(portsGuide, 'utf8'), {path: portsGuide, config: {routes: portsRoutes}})
  assert.equal(rows.map((r) => `${r.line}:${r.column} ${r.message} -> ${r.expected ?? ''}`), [
    '7:32 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz',
    '8:40 `/healthz` is missing the route prefix `/chatbox` (inline config `routes.prefix`); use `/chatbox/healthz` -> /chatbox/healthz',
    '14:27 `/chat/readyz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/readyz` -> /chatbox/readyz',
    '21:40 `/healthz` is missing the route prefix `/chatbox` (inline config `routes.prefix`); use `/chatbox/healthz` -> /chatbox/healthz',
    '22:32 `/chat/readyz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/readyz` -> /chatbox/readyz',
    '25:16 `/healthz` is missing the route prefix `/chatbox` (inline config `routes.prefix`); use `/chatbox/healthz` -> /chatbox/healthz',
    '30:26 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz',
    '31:26 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz',
    '39:32 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz',
    '41:32 `/chat/readyz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/readyz` -> /chatbox/readyz',
    '43:25 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz',
    '45:32 `/chat/api/health` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/api/health` -> /chatbox/api/health',
    '56:45 `/chat/healthz` uses the stale prefix `/chat`; routes live under `/chatbox` (inline config `routes.prefix`), so use `/chatbox/healthz` -> /chatbox/healthz'
  ])
})

test('routes.ports: only the service\'s ports are the service; a URL without a port still is', () => {
  const rows = engineLint(readFileSync(portsGuide, 'utf8'), {path: portsGuide, config: {routes: {...portsRoutes, ports: [8080, 9090]}}})
  assert.equal(rows.map((r) => `${r.line}:${r.column}`), ['7:32', '8:40', '14:27', '30:26', '39:32', '41:32', '43:25', '45:32', '56:45'])
  // The port the URL names decides, in every URL form.
  const lint = (line: string) => engineLint('```sh\n' + line + '\n```\n', {config: {routes: {...portsRoutes, ports: [8080]}}}).length
  assert.equal(['curl http://127.0.0.1:8080/chat/healthz', 'http :8080/chat/healthz', 'curl http://admin:pw@localhost:8080/chat/healthz', 'curl http://localhost/chat/healthz', 'wget -qO- http://0.0.0.0/chat/healthz'].map(lint), [1, 1, 1, 1, 1])
  // An IPv6 loopback literal in brackets is a host like any other (its `:` and `]` are not the path).
  assert.equal(['curl -g http://[::1]:8080/chat/healthz', 'curl -g http://[::1]/chat/healthz', 'curl -g http://[::1]:6080/chat/healthz', 'curl http://[2001:db8::1]:8080/chat/healthz'].map(lint), [1, 1, 0, 0])
  assert.equal(['curl http://127.0.0.1:6080/chat/healthz', 'http :6080/chat/healthz', 'curl http://admin:pw@localhost:6080/chat/healthz', 'curl localhost:6080/healthz'].map(lint), [0, 0, 0, 0])
  // Ports say nothing about hosts named in `routes.hosts`.
  assert.is(engineLint('```sh\ncurl https://chat.example.com:6443/chat/healthz\n```\n', {config: {routes: {...portsRoutes, hosts: ['chat.example.com'], ports: [8080]}}}).length, 1)
})

test('routes.ports: a local port forwarded to a service port is the service, from the forward on', () => {
  const lint = (text: string) => engineLint(text, {config: {routes: {...portsRoutes, ports: [8080]}}}).map((r) => `${r.line}:${r.column}`)
  const sh = (...lines: string[]) => '```sh\n' + lines.join('\n') + '\n```\n'
  const curl = 'curl http://localhost:9090/chat/healthz'
  assert.equal(lint(sh(curl)), [])
  assert.equal(lint(sh('kubectl -n chat port-forward --address 0.0.0.0 svc/chatbox 9090:8080 9091:9000', curl)), ['3:27'])
  assert.equal(lint(sh(curl, 'kubectl port-forward svc/chatbox 9090:8080')), [], 'a forward after the URL')
  assert.equal(lint(sh('kubectl port-forward svc/chatbox 9090:80', curl)), [], 'to another port')
  assert.equal(lint(sh('kubectl port-forward svc/chatbox :8080', curl)), [], 'a random local port')
  assert.equal(lint(sh('docker run --rm -p9090:8080/tcp chatbox:2.3.1', curl)), ['3:27'])
  assert.equal(lint(sh('podman run --publish=127.0.0.1:9090:8080 chatbox:2.3.1', curl)), ['3:27'])
  assert.equal(lint(sh('ssh -fN -L 127.0.0.1:9090:10.0.0.5:8080 ops@bastion', curl)), ['3:27'])
  assert.equal(lint('```yaml\nservices:\n  chatbox:\n    ports: ["9090:8080"]\n```\n\n' + sh(curl)), ['8:27'])
})

test('routes.ports: numbers and pointers to a port or a listen address; bad values name the file, the key and what was expected', () => {
  const dir = path.join(root, 'test/fixtures/config/service')
  const ports = (config: object) => loadConfig({routes: {prefix: '/', ports: []}, ...config}, {cwd: dir}).routes!.ports
  assert.equal(loadConfig({routes: {prefix: '/', ports: [8080, {file: 'ports.toml', key: 'server.listen_addr'}, {file: 'ports.toml', key: 'server.metrics_port'}, {file: 'ports.toml', key: 'server.admin'}]}}, {cwd: dir}).routes!.ports, [
    {port: 8080, source: {file: 'inline config', key: 'routes.ports[0]'}},
    {port: 8081, source: {file: 'ports.toml', key: 'server.listen_addr'}},
    {port: 9090, source: {file: 'ports.toml', key: 'server.metrics_port'}},
    {port: 9443, source: {file: 'ports.toml', key: 'server.admin'}}
  ])
  assert.equal(ports({}), [])
  assert.is(configError({routes: {prefix: '/', ports: [70000]}}, dir),
    'Config: unexpected value `70000` for `routes.ports[0]`, expected a port number from 1 to 65535 (docdrift.config.json)')
  assert.is(configError({routes: {prefix: '/', ports: ['8080']}}, dir),
    'Config: unexpected value `8080` for `routes.ports[0]`, expected a port number from 1 to 65535, or a pointer `{"file", "key"}` (docdrift.config.json)')
  assert.is(configError({routes: {prefix: '/', ports: [8080, {file: 'ports.toml', key: 'server.host'}]}}, dir),
    'Config: unexpected value `0.0.0.0` for `server.host` in ports.toml, expected a port number from 1 to 65535 or a listen address such as `:8080` (pointed at by `routes.ports[1]` in docdrift.config.json)')
  assert.is(configError({routes: {prefix: '/', ports: [{file: 'ports.toml', key: 'server.nope'}]}}, dir),
    'Config: `server.nope` not found in ports.toml (pointed at by `routes.ports[0]` in docdrift.config.json)')
})

test('secret-length: a secret piped into a store keeps the trailing newline, so its fix is offered and the note says why', () => {
  const lint = (block: string) => lintMarkdown({text: '```bash\n' + block + '\n```\n'}, {config: 'test/fixtures/rules/docdrift.config.json', cwd: root}).findings
  const [piped] = lint('openssl rand -base64 32 | docker secret create encryption_key -')
  assert.is(piped.fix?.safety, 'suggestion')
  assert.ok(piped.note?.endsWith('; the secret also gets the trailing newline (through the pipe or the file), unless the service trims it (`printf %s "$(…)"` prints none; say which in `newline`)'), piped.note)
  const [captured] = lint('export ENCRYPTION_KEY=$(openssl rand -base64 32)')
  assert.is(captured.fix?.safety, 'safe')
  assert.not.ok(captured.note?.includes('newline'))
  // Options before the name, and a name read from a file instead: only standard input is the pipe's.
  assert.is(lint('openssl rand -base64 32 | docker secret create -l env=prod encryption_key -').length, 1)
  assert.is(lint('openssl rand -base64 32 | docker secret create encryption_key ./key.txt').length, 0)
  // With the secret's `newline` in the config: `kept` counts the newline (the fix drops it),
  // `trimmed` leaves only the value to count, and the fix is safe.
  const [kept] = lint('openssl rand -base64 24 | docker secret create piped_key -')
  assert.is(kept.expected, "openssl rand -base64 24 | tr -d '\\n'")
  assert.ok(kept.note?.endsWith('is part of the secret (docdrift.config.json `secrets.PIPED_KEY.newline`)'), kept.note)
  assert.is(lint('openssl rand -base64 24 | tr -d "\\n" | docker secret create piped_key -').length, 0)
  const [trimmed] = lint('openssl rand -base64 32 | docker secret create trimmed_key -')
  assert.is(trimmed.fix?.safety, 'safe')
  assert.not.ok(trimmed.note?.includes('newline'))
  assert.is(lint('openssl rand -base64 24 | docker secret create trimmed_key -').length, 0)
})

test('a fix replaces the commands that print a secret, and keeps the redirect that writes it to a file', () => {
  const text = '```bash\ndate +%s | sha256sum > jwt.key\nkubectl create secret generic app --from-file=jwt-secret=jwt.key\nuuidgen > enc.key\nkubectl create secret generic app --from-file=encryption-key=enc.key\n```\n'
  const {findings} = lintMarkdown({text}, {config: 'test/fixtures/rules/docdrift.config.json', cwd: root})
  assert.equal(findings.map((f) => [f.ruleId, f.actual, f.fix?.text, f.fix?.safety]), [
    ['weak-secret', 'date +%s | sha256sum', 'openssl rand -base64 32', 'safe'],
    ['secret-length', 'uuidgen', 'openssl rand -base64 24', 'suggestion']
  ])
  let fixed = text
  for (const {fix} of [...findings].reverse()) if (fix) fixed = fixed.slice(0, fix.start) + fix.text + fixed.slice(fix.end)
  assert.ok(fixed.includes('openssl rand -base64 32 > jwt.key\n'), fixed)
  assert.ok(fixed.includes('openssl rand -base64 24 > enc.key\n'), fixed)
})

test.run()
