import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import {
  ConfigError, clearConfigCache, configSchema, findConfig, knownRuleIds, loadConfig, loadConfigFor,
  normalisePrefix, parseKeyPath, parseRouteTemplate, registerRuleIds, renderJsonSchema,
  type RawConfig, type Schema,
} from '../core/config/index.js'
import { annotationKeywords, supportedKeywords } from '../core/config/schema.js'
import { locateJsonError } from '../core/config/load.js'
import { resolveConfig } from '../core/engine.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixtures = join(root, 'test/fixtures/config')
const full = join(fixtures, 'full')
const service = join(fixtures, 'service')
const tree = join(fixtures, 'tree')

/** The message of the ConfigError `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    assert.instance(error, ConfigError)
    return (error as Error).message
  }
  assert.unreachable('expected a ConfigError, nothing was thrown')
  return ''
}

/** Loads an object config as if it were `docdrift.config.json` in the `service` fixture folder. */
function inline(config: object): ReturnType<typeof loadConfig> {
  return loadConfig(config, { cwd: service, name: 'docdrift.config.json' })
}

function inlineError(config: object): string {
  return messageOf(() => inline(config))
}

// ---------------------------------------------------------------------------------------------
// Success

test('loads the full example with a TOML pointer', () => {
  const config = loadConfig('docdrift.config.json', { cwd: full })
  assert.equal(config, {
    file: join(full, 'docdrift.config.json'),
    dir: full,
    routes: {
      prefix: '/chatbox',
      prefixSource: { file: 'config.toml', key: 'chatbox.path_prefix' },
      prefixEnv: 'CHATBOX_PATH_PREFIX',
      stalePrefixes: ['/chat'],
      paths: [
        { path: '/ws', segments: ['ws'], source: { file: 'docdrift.config.json', key: 'routes.paths[0]' } },
        { path: '/sessions', segments: ['sessions'], source: { file: 'docdrift.config.json', key: 'routes.paths[1]' } },
        { path: '/admin/sessions', segments: ['admin', 'sessions'], source: { file: 'docdrift.config.json', key: 'routes.paths[2]' } },
        { path: '/admin/metrics', segments: ['admin', 'metrics'], source: { file: 'docdrift.config.json', key: 'routes.paths[3]' } },
        { path: '/admin/takeover/:sessionID', segments: ['admin', 'takeover', null], source: { file: 'docdrift.config.json', key: 'routes.paths[4]' } },
        { path: '/healthz', segments: ['healthz'], source: { file: 'docdrift.config.json', key: 'routes.paths[5]' } },
        { path: '/readyz', segments: ['readyz'], source: { file: 'docdrift.config.json', key: 'routes.paths[6]' } },
      ],
      hosts: ['chat.example.com'],
      ports: [],
    },
    secrets: {
      ENCRYPTION_KEY: {
        name: 'ENCRYPTION_KEY', bytes: 32, decode: 'none', why: 'AES-256 key', aliases: ['encryption-key'],
        source: { file: 'docdrift.config.json', key: 'secrets.ENCRYPTION_KEY' },
      },
      JWT_SECRET: {
        name: 'JWT_SECRET', minBytes: 32, decode: 'none', aliases: [],
        source: { file: 'docdrift.config.json', key: 'secrets.JWT_SECRET' },
      },
    },
    rules: { 'stale-route': 'error', 'secret-length': 'warn' },
  })
})

test('an absolute config path works from any cwd', () => {
  const config = loadConfig(join(full, 'docdrift.config.json'))
  assert.is(config.routes?.prefix, '/chatbox')
  assert.is(config.dir, full)
})

test('a YAML pointer', () => {
  const routes = inline({ routes: { prefix: { file: 'config.yaml', key: 'chatbox.path_prefix' } } }).routes!
  assert.is(routes.prefix, '/chatbox')
  assert.equal(routes.prefixSource, { file: 'config.yaml', key: 'chatbox.path_prefix' })
})

test('a JSON pointer with an array index', () => {
  const routes = inline({ routes: { prefix: { file: 'settings.json', key: 'servers[0].prefix' } } }).routes!
  assert.is(routes.prefix, '/api/v2')
  assert.equal(routes.prefixSource, { file: 'settings.json', key: 'servers[0].prefix' })
})

test('a .env pointer, and a .env.production pointer whose `/` means no prefix', () => {
  const env = inline({ routes: { prefix: { file: '.env', key: 'CHATBOX_PATH_PREFIX' } } }).routes!
  assert.is(env.prefix, '/chatbox')
  assert.equal(env.prefixSource, { file: '.env', key: 'CHATBOX_PATH_PREFIX' })
  const production = inline({ routes: { prefix: { file: '.env.production', key: 'CHATBOX_PATH_PREFIX' } } }).routes!
  assert.is(production.prefix, '')
})

test('a pointer into a subfolder keeps its path relative to the config folder', () => {
  const routes = inline({ routes: { prefix: { file: './nested/app.toml', key: 'chatbox.path_prefix' } } }).routes!
  assert.equal(routes.prefixSource, { file: 'nested/app.toml', key: 'chatbox.path_prefix' })
})

test('a literal prefix: normalised, sourced from the config itself', () => {
  const routes = inline({ routes: { prefix: 'chatbox/' } }).routes!
  assert.is(routes.prefix, '/chatbox')
  assert.equal(routes.prefixSource, { file: 'docdrift.config.json', key: 'routes.prefix' })
  assert.equal(routes.stalePrefixes, [])
  assert.equal(routes.paths, [])
  assert.equal(routes.hosts, [])
  assert.equal(routes.ports, [])
  assert.is(routes.prefixEnv, undefined)
})

test('an object config without a name is called `inline config`', () => {
  const config = loadConfig({ routes: { prefix: '/x' } }, { cwd: service })
  assert.is(config.file, undefined)
  assert.is(config.dir, service)
  assert.equal(config.routes!.prefixSource, { file: 'inline config', key: 'routes.prefix' })
  assert.is(
    messageOf(() => loadConfig({ routes: 1 }, { cwd: service })),
    'Config: unexpected value `1` for `routes`, expected an object (inline config)')
})

test('an empty config resolves to empty sections', () => {
  assert.equal(inline({}), { dir: service, secrets: {}, rules: {} })
  assert.equal(inline({ $schema: './docdrift.schema.json' }), { dir: service, secrets: {}, rules: {} })
})

test('normalisePrefix', () => {
  assert.is(normalisePrefix('/chatbox'), '/chatbox')
  assert.is(normalisePrefix('/chatbox/'), '/chatbox')
  assert.is(normalisePrefix('chatbox'), '/chatbox')
  assert.is(normalisePrefix('//api//v1/'), '/api/v1')
  assert.is(normalisePrefix('/'), '')
  assert.is(normalisePrefix(''), '')
})

test('route templates: `:param` and `{param}` segments are null', () => {
  const source = { file: 'docdrift.config.json', key: 'routes.paths[0]' }
  assert.equal(parseRouteTemplate('/admin/takeover/:sessionID', source).segments, ['admin', 'takeover', null])
  assert.equal(parseRouteTemplate('/users/{id}/keys/{keyId}', source).segments, ['users', null, 'keys', null])
  assert.equal(parseRouteTemplate('/files/{id}.json', source).segments, ['files', '{id}.json'])
  assert.equal(parseRouteTemplate('/ws/', source).segments, ['ws'])
  assert.equal(parseRouteTemplate('/', source).segments, [])
  assert.is(parseRouteTemplate('/ws/', source).path, '/ws/')
})

test('parseKeyPath', () => {
  assert.equal(parseKeyPath('chatbox.path_prefix'), ['chatbox', 'path_prefix'])
  assert.equal(parseKeyPath('servers[0].prefix'), ['servers', 0, 'prefix'])
  assert.equal(parseKeyPath('a[1][2]'), ['a', 1, 2])
})

test('hosts are lower-cased', () => {
  assert.equal(inline({ routes: { prefix: '/', hosts: ['Chat.Example.com'] } }).routes!.hosts, ['chat.example.com'])
})

test('secrets: decode defaults to none, min and max together', () => {
  const { secrets } = inline({ secrets: { API_TOKEN: { minBytes: 16, maxBytes: 64, decode: 'hex' } } })
  assert.equal(secrets.API_TOKEN, {
    name: 'API_TOKEN', minBytes: 16, maxBytes: 64, decode: 'hex', aliases: [],
    source: { file: 'docdrift.config.json', key: 'secrets.API_TOKEN' },
  })
})

test('registered rule ids are accepted', () => {
  assert.ok(knownRuleIds.includes('stale-route'))
  registerRuleIds('test-only-rule', 'stale-route')
  assert.is(knownRuleIds.filter((id) => id === 'stale-route').length, 1)
  assert.equal(inline({ rules: { 'test-only-rule': 'off' } }).rules, { 'test-only-rule': 'off' })
  knownRuleIds.splice(knownRuleIds.indexOf('test-only-rule'), 1)
})

// ---------------------------------------------------------------------------------------------
// Errors in the config itself

test('error: wrong type', () => {
  assert.is(
    inlineError({ routes: { prefix: '/chatbox', paths: 42 } }),
    'Config: unexpected value `42` for `routes.paths`, expected an array of path strings (docdrift.config.json)')
})

test('error: the config is not an object', () => {
  assert.is(inlineError([]), 'Config: unexpected value `[]` for the config, expected an object (docdrift.config.json)')
})

test('error: unknown top-level key, with and without a suggestion', () => {
  assert.is(
    inlineError({ route: {} }),
    'Config: unknown key `route` in docdrift.config.json, expected one of `routes`, `secrets`, `images`, `installs`, `forbidden`, `rules`; did you mean `routes`?')
  assert.is(
    inlineError({ image: {} }),
    'Config: unknown key `image` in docdrift.config.json, expected one of `routes`, `secrets`, `images`, `installs`, `forbidden`, `rules`; did you mean `images`?')
  assert.is(
    inlineError({ deploy: {} }),
    'Config: unknown key `deploy` in docdrift.config.json, expected one of `routes`, `secrets`, `images`, `installs`, `forbidden`, `rules`')
  assert.is(
    inlineError({ schema: 'x' }),
    'Config: unknown key `schema` in docdrift.config.json, expected one of `routes`, `secrets`, `images`, `installs`, `forbidden`, `rules`; did you mean `$schema`?')
})

test('error: every problem the schema finds, in one line, numbered in document order', () => {
  assert.is(
    inlineError({ routes: { prefix: '/chatbox', paths: ['/ws', 3], stalePrefix: ['/chat'] }, secrets: { JWT_SECRET: { minBytes: 0 } }, rulez: {} }),
    'Config: 4 problems in docdrift.config.json: ' +
      '(1) unexpected value `3` for `routes.paths[1]`, expected a path starting with `/`, without spaces, query or fragment; ' +
      '(2) unknown key `routes.stalePrefix`, expected one of `prefix`, `prefixEnv`, `stalePrefixes`, `paths`, `openapi`, `hosts`, `ports`; did you mean `stalePrefixes`?; ' +
      '(3) unexpected value `0` for `secrets.JWT_SECRET.minBytes`, expected a positive whole number of bytes; ' +
      '(4) unknown key `rulez`, expected one of `routes`, `secrets`, `images`, `installs`, `forbidden`, `rules`; did you mean `rules`?')
  // A missing key and a wrong one in the same object.
  assert.is(
    inlineError({ forbidden: [{ id: 'x' }, { id: 'y', pattern: 'a', message: 'b', in: ['nope'] }] }),
    'Config: 3 problems in docdrift.config.json: (1) missing key `forbidden[0].pattern`, expected a regular expression (RE2 syntax); ' +
      '(2) missing key `forbidden[0].message`, expected a message; ' +
      '(3) unexpected value `nope` for `forbidden[1].in[0]`, expected one of `shell`, `yaml`, `json`, `toml`, `hcl`, `dockerfile`, `nginx`, `dotenv`, `code`, `inline`, `prose`, `url`; did you mean `code`?')
})

test('error: unknown nested key', () => {
  assert.is(
    inlineError({ routes: { prefx: '/chatbox' } }),
    'Config: unknown key `routes.prefx` in docdrift.config.json, expected one of `prefix`, `prefixEnv`, `stalePrefixes`, `paths`, `openapi`, `hosts`, `ports`; did you mean `prefix`?')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.toml', key: 'a', default: '/x' } } }),
    'Config: unknown key `routes.prefix.default` in docdrift.config.json, expected one of `file`, `key`')
})

test('error: missing keys', () => {
  assert.is(
    inlineError({ routes: { paths: ['/ws'] } }),
    'Config: missing key `routes.prefix` in docdrift.config.json, expected a path prefix such as `/chatbox`, or a pointer `{"file", "key"}`')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.toml' } } }),
    'Config: missing key `routes.prefix.key` in docdrift.config.json, expected a dotted key path such as `chatbox.path_prefix`')
})

test('error: bad prefix values', () => {
  assert.is(
    inlineError({ routes: { prefix: 42 } }),
    'Config: unexpected value `42` for `routes.prefix`, expected a path prefix such as `/chatbox`, or a pointer `{"file", "key"}` (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: '/chat box' } }),
    'Config: unexpected value `/chat box` for `routes.prefix`, expected a path prefix such as `/chatbox`, without spaces, query or fragment (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.ini', key: 'prefix' } } }),
    'Config: unexpected value `config.ini` for `routes.prefix.file`, expected a `.toml`, `.yaml`, `.yml`, `.json` or `.env` file (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: '/', prefixEnv: 'PATH-PREFIX' } }),
    'Config: unexpected value `PATH-PREFIX` for `routes.prefixEnv`, expected an environment variable name (letters, digits and `_`) (docdrift.config.json)')
})

test('error: bad paths, stale prefixes and hosts', () => {
  assert.is(
    inlineError({ routes: { prefix: '/', paths: ['/ws', 'healthz'] } }),
    'Config: unexpected value `healthz` for `routes.paths[1]`, expected a path starting with `/`, without spaces, query or fragment (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: '/', stalePrefixes: ['/'] } }),
    'Config: unexpected value `/` for `routes.stalePrefixes[0]`, expected a path prefix other than `/`, such as `/chat` (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: '/chatbox', stalePrefixes: ['/chat', 'chatbox/'] } }),
    'Config: `chatbox/` in `routes.stalePrefixes` is the current prefix, expected only prefixes the service no longer uses (docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: '/', hosts: ['https://chat.example.com'] } }),
    'Config: unexpected value `https://chat.example.com` for `routes.hosts[0]`, expected a host name without scheme or path, such as `chat.example.com` (docdrift.config.json)')
})

test('error: secrets', () => {
  assert.is(
    inlineError({ secrets: { JWT_SECRET: { decode: 'hex' } } }),
    'Config: unexpected value `{"decode":"hex"}` for `secrets.JWT_SECRET`, expected at least one of `bytes`, `minBytes`, `maxBytes` (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 32, maxBytes: 64 } } }),
    'Config: unexpected value `{"bytes":32,"maxBytes":64}` for `secrets.KEY`, expected either `bytes` or `minBytes`/`maxBytes`, not both (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { minBytes: 64, maxBytes: 32 } } }),
    'Config: unexpected value `64` for `secrets.KEY.minBytes`, expected at most `maxBytes` (`32`) (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 0 } } }),
    'Config: unexpected value `0` for `secrets.KEY.bytes`, expected a positive whole number of bytes (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 1.5 } } }),
    'Config: unexpected value `1.5` for `secrets.KEY.bytes`, expected a positive whole number of bytes (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 32, decode: 'base32' } } }),
    'Config: unexpected value `base32` for `secrets.KEY.decode` in docdrift.config.json, expected one of `none`, `hex`, `base64`; did you mean `base64`?')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 32, decode: 'utf8' } } }),
    'Config: unexpected value `utf8` for `secrets.KEY.decode`, expected one of `none`, `hex`, `base64` (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { byte: 32 } } }),
    'Config: unknown key `secrets.KEY.byte` in docdrift.config.json, expected one of `bytes`, `minBytes`, `maxBytes`, `decode`, `why`, `newline`, `aliases`; did you mean `bytes`?')
  assert.is(
    inlineError({ secrets: { 'encryption key': { bytes: 32 } } }),
    'Config: unexpected key `encryption key` in `secrets`, expected an environment variable name (letters, digits and `_`) (docdrift.config.json)')
  assert.is(
    inlineError({ secrets: { KEY: { bytes: 32, aliases: ['key', ''] } } }),
    'Config: unexpected value `""` for `secrets.KEY.aliases[1]`, expected a non-empty name (docdrift.config.json)')
})

test('error: rules', () => {
  assert.is(
    inlineError({ rules: { 'stale-route': 'eror' } }),
    'Config: unexpected value `eror` for `rules.stale-route` in docdrift.config.json, expected one of `off`, `warn`, `error`; did you mean `error`?')
  assert.is(
    inlineError({ rules: { 'stale-route': 2 } }),
    'Config: unexpected value `2` for `rules.stale-route`, expected one of `off`, `warn`, `error` (docdrift.config.json)')
  assert.is(
    inlineError({ rules: { 'stale-routes': 'warn' } }),
    'Config: unknown key `rules.stale-routes` in docdrift.config.json, expected one of `stale-route`, `secret-length`, `mutable-image`, `unpinned-install`, `weak-secret`, `forbidden-pattern`; did you mean `stale-route`?')
  assert.is(
    inlineError({ rules: { StaleRoute: 'warn' } }),
    'Config: unexpected key `StaleRoute` in `rules`, expected a rule id such as `stale-route` (docdrift.config.json)')
})

test('error: long values are cut', () => {
  assert.is(
    inlineError({ routes: { prefix: '/', paths: '/a/very/long/path/that/goes/on/and/on/forever' } }),
    'Config: unexpected value `/a/very/long/path/that/goes/on/and/on/f…` for `routes.paths`, expected an array of path strings (docdrift.config.json)')
})

test('error: errors carry the file and key path', () => {
  try {
    loadConfig({ routes: { prefix: '/', paths: 42 } }, { cwd: service })
    assert.unreachable()
  } catch (error) {
    assert.instance(error, ConfigError)
    assert.is((error as ConfigError).keyPath, 'routes.paths')
    assert.is((error as ConfigError).file, undefined)
    assert.is((error as Error).name, 'ConfigError')
  }
})

// ---------------------------------------------------------------------------------------------
// Errors reading files

test('error: missing config file', () => {
  assert.is(
    messageOf(() => loadConfig('docdrift.config.json', { cwd: service })),
    'Config: cannot read docdrift.config.json: file not found')
  assert.is(
    messageOf(() => loadConfig('nowhere/docdrift.config.json', { cwd: service })),
    'Config: cannot read nowhere/docdrift.config.json: file not found')
})

test('error: the config path is a folder', () => {
  assert.is(messageOf(() => loadConfig('nested', { cwd: service })), 'Config: cannot read nested: it is a folder')
})

test('error: invalid JSON in the config, with line and column', () => {
  assert.is(
    messageOf(() => loadConfig('docdrift.config.json', { cwd: join(fixtures, 'invalid-json') })),
    'Config: invalid JSON in docdrift.config.json at line 4, column 15: unexpected `/`, expected a value')
})

test('invalid JSON: position and reason', () => {
  const cases: Array<[string, number, string]> = [
    ['{"a": x}', 6, 'unexpected `x`, expected a value'],
    ['{"a": 1,}', 7, 'trailing comma before `}`'],
    ['{"a": 1,\n}', 7, 'trailing comma before `}`'],
    ['[1, 2,]', 5, 'trailing comma before `]`'],
    ['{\n  // note\n  "a": 1\n}', 4, 'comments are not allowed in JSON'],
    ['{a: 1}', 1, 'property names need double quotes'],
    ['{"a": \'b\'}', 6, 'strings need double quotes'],
    ['{"a": 1\n "b": 2}', 9, 'expected `,` or `}` after a property value, found `"`'],
    ['{"a" 1}', 5, 'expected `:` after the property name, found `1`'],
    ['{"a": [1 2]}', 9, 'expected `,` or `]` after an array item, found `2`'],
    ['{"a": "b', 6, 'unterminated string'],
    ['{"a": "b\nc"}', 8, 'line break inside a string'],
    ['{"a": "\\x"}', 7, 'invalid escape `\\x`'],
    ['{"a": 01}', 7, 'expected `,` or `}` after a property value, found `1`'],
    ['{"a": undefined}', 6, 'unexpected `undefined`, expected a value'],
    ['{"a": 1}}', 8, 'unexpected `}` after the end of the JSON value'],
    ['', 0, 'unexpected end of file, expected a value'],
    ['{"a": 1', 7, 'unexpected end of file, expected `,` or `}`'],
  ]
  for (const [text, position, reason] of cases) {
    assert.throws(() => JSON.parse(text))
    assert.equal(locateJsonError(text), { position, reason }, text)
  }
  for (const text of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', ' 1 ']) {
    assert.is(locateJsonError(text), undefined, text)
  }
})

test('error: pointer to a missing file', () => {
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.tml.toml', key: 'chatbox.path_prefix' } } }),
    'Config: `routes.prefix.file` points at `config.tml.toml`, which does not exist (docdrift.config.json)')
})

test('error: pointer to a missing key, with and without a suggestion', () => {
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.toml', key: 'chatbox.prefix' } } }),
    'Config: `chatbox.prefix` not found in config.toml (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.toml', key: 'chatbox.path_prefx' } } }),
    'Config: `chatbox.path_prefx` not found in config.toml (pointed at by `routes.prefix` in docdrift.config.json); did you mean `chatbox.path_prefix`?')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.yaml', key: 'chatbox.path_prefix.x' } } }),
    'Config: `chatbox.path_prefix.x` not found in config.yaml (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'settings.json', key: 'servers[1].prefix' } } }),
    'Config: `servers[1].prefix` not found in settings.json (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: '.env', key: 'PATH_PREFIX' } } }),
    'Config: `PATH_PREFIX` not found in .env (pointed at by `routes.prefix` in docdrift.config.json)')
})

test('error: pointed value is not a string', () => {
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.toml', key: 'chatbox.port' } } }),
    'Config: unexpected value `8080` for `chatbox.port` in config.toml, expected a string path prefix (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'config.yaml', key: 'chatbox' } } }),
    'Config: unexpected value `{"path_prefix":"chatbox/","replicas":2}` for `chatbox` in config.yaml, expected a string path prefix (pointed at by `routes.prefix` in docdrift.config.json)')
})

test('error: unparsable pointed files', () => {
  assert.is(
    inlineError({ routes: { prefix: { file: 'bad.toml', key: 'path_prefix' } } }),
    'Config: invalid TOML in bad.toml at line 2, column 1: trying to redefine an already defined table or value (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'bad.yaml', key: 'chatbox.path_prefix' } } }),
    'Config: invalid YAML in bad.yaml at line 3, column 1: all mapping items must start at the same column (pointed at by `routes.prefix` in docdrift.config.json)')
  assert.is(
    inlineError({ routes: { prefix: { file: 'bad.json', key: 'chatbox.path_prefix' } } }),
    'Config: invalid JSON in bad.json at line 2, column 40: trailing comma before `}` (pointed at by `routes.prefix` in docdrift.config.json)')
})

test('error: pointed files are named relative to cwd', () => {
  assert.is(
    messageOf(() => loadConfig({ routes: { prefix: { file: 'config.toml', key: 'nope' } } }, { cwd: service, name: 'x.json' })),
    'Config: `nope` not found in config.toml (pointed at by `routes.prefix` in x.json)')
  const fromRoot = messageOf(() => loadConfig('test/fixtures/config/invalid-json/docdrift.config.json', { cwd: root }))
  assert.ok(fromRoot.startsWith('Config: invalid JSON in test/fixtures/config/invalid-json/docdrift.config.json at line 4'), fromRoot)
})

test('messages: one line, no final period, no stack', () => {
  const messages = [
    inlineError({ route: {} }),
    inlineError({ routes: { prefix: { file: 'bad.yaml', key: 'a' } } }),
    inlineError({ routes: { prefix: { file: 'bad.toml', key: 'a' } } }),
    messageOf(() => loadConfig('docdrift.config.json', { cwd: join(fixtures, 'invalid-json') })),
  ]
  for (const message of messages) {
    assert.ok(message.startsWith('Config: '), message)
    assert.not.ok(message.includes('\n'), message)
    assert.not.ok(message.endsWith('.'), message)
  }
})

// ---------------------------------------------------------------------------------------------
// Discovery and the cache

test('findConfig walks up, stops at stopDir', () => {
  assert.is(findConfig(join(tree, 'docs/guide')), join(tree, 'docdrift.config.json'))
  assert.is(findConfig(join(tree, 'packages/api/docs')), join(tree, 'packages/api/docdrift.config.json'))
  assert.is(findConfig(join(tree, 'packages/web/docs')), join(tree, 'docdrift.config.json'))
  assert.is(findConfig(join(tree, 'docs/guide'), join(tree, 'docs')), undefined)
  assert.is(findConfig(join(fixtures, 'service'), fixtures), undefined)
})

test('loadConfigFor: nearest config, loaded once', () => {
  clearConfigCache()
  const a = loadConfigFor(join(tree, 'docs/guide/setup.md'))
  const b = loadConfigFor(join(tree, 'README.md'))
  assert.is(a!.routes!.prefix, '/root')
  assert.is(a, b)
  assert.is(loadConfigFor(join(tree, 'packages/api/docs/index.md'))!.routes!.prefix, '/api')
  assert.is(loadConfigFor(join(service, 'guide.md'), { stopDir: service }), undefined)
})

test('loadConfigFor: reloads when the config or a pointed file changes, caches errors', () => {
  clearConfigCache()
  const dir = mkdtempSync(join(tmpdir(), 'docdrift-config-'))
  try {
    const configPath = join(dir, 'docdrift.config.json')
    const tomlPath = join(dir, 'config.toml')
    writeFileSync(configPath, JSON.stringify({ routes: { prefix: { file: 'config.toml', key: 'chatbox.path_prefix' } } }))
    writeFileSync(tomlPath, '[chatbox]\npath_prefix = "/one"\n')
    const doc = join(dir, 'docs/setup.md')

    const first = loadConfigFor(doc)
    assert.is(first!.routes!.prefix, '/one')
    assert.is(loadConfigFor(doc), first)

    writeFileSync(tomlPath, '[chatbox]\npath_prefix = "/two"\n')
    utimesSync(tomlPath, new Date(), new Date(Date.now() + 5000))
    const second = loadConfigFor(doc)
    assert.is(second!.routes!.prefix, '/two')

    writeFileSync(configPath, '{"routes": ')
    utimesSync(configPath, new Date(), new Date(Date.now() + 10000))
    const message = messageOf(() => loadConfigFor(doc, { cwd: dir }))
    assert.is(message, 'Config: invalid JSON in docdrift.config.json at line 1, column 12: unexpected end of file, expected a value')
    let thrown: unknown
    try { loadConfigFor(doc, { cwd: dir }) } catch (error) { thrown = error }
    let again: unknown
    try { loadConfigFor(doc, { cwd: dir }) } catch (error) { again = error }
    assert.is(thrown, again)

    writeFileSync(configPath, JSON.stringify({ routes: { prefix: { file: 'gone.toml', key: 'a' } } }))
    utimesSync(configPath, new Date(), new Date(Date.now() + 15000))
    assert.is(
      messageOf(() => loadConfigFor(doc, { cwd: dir })),
      'Config: `routes.prefix.file` points at `gone.toml`, which does not exist (docdrift.config.json)')
    writeFileSync(join(dir, 'gone.toml'), 'a = "/back"\n')
    assert.is(loadConfigFor(doc)!.routes!.prefix, '/back')
  } finally {
    rmSync(dir, { recursive: true, force: true })
    clearConfigCache()
  }
})

test('resolveConfig with `found`: each folder looked up once per run, nested configs still apply', () => {
  clearConfigCache()
  const dir = mkdtempSync(join(tmpdir(), 'docdrift-found-'))
  try {
    const configPath = join(dir, 'docdrift.config.json')
    writeFileSync(configPath, JSON.stringify({ routes: { prefix: '/one' } }))
    writeFileSync(join(dir, 'sub.md'), '')
    const nested = join(dir, 'sub')
    mkdirSync(nested)
    writeFileSync(join(nested, 'docdrift.config.json'), JSON.stringify({ routes: { prefix: '/sub' } }))
    const found = new Map()
    const prefix = (file: string, run?: Map<string, unknown>) => resolveConfig({ found: run as never }, join(dir, file)).config?.routes?.prefix
    assert.is(prefix('a.md', found), '/one')
    assert.is(prefix('sub/c.md', found), '/sub')

    // Changed during the run: the run keeps what it found, the next run (or no run) sees the change.
    writeFileSync(configPath, JSON.stringify({ routes: { prefix: '/two' } }))
    utimesSync(configPath, new Date(), new Date(Date.now() + 5000))
    assert.is(prefix('b.md', found), '/one')
    assert.is(prefix('b.md', new Map()), '/two')
    assert.is(prefix('b.md'), '/two')
    assert.equal([...found.keys()].sort(), [dir, nested].sort())

    // A config error is found once per folder and run too.
    writeFileSync(configPath, '{"routes": ')
    utimesSync(configPath, new Date(), new Date(Date.now() + 10000))
    const run = new Map()
    const error = resolveConfig({ found: run, cwd: dir }, join(dir, 'a.md')).error
    assert.match(error ?? '', /^Config: invalid JSON in \S*docdrift\.config\.json at line 1, column 12: unexpected end of file, expected a value$/)
    assert.is(resolveConfig({ found: run, cwd: dir }, join(dir, 'b.md')).error, error)
    assert.is(run.size, 1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
    clearConfigCache()
  }
})

test('loadConfigFor: a cache hit returns the config already loaded', () => {
  clearConfigCache()
  const file = join(tree, 'docs/guide/setup.md')
  const first = loadConfigFor(file)
  assert.ok(first)
  for (let index = 0; index < 100; index++) assert.is(loadConfigFor(file), first)
})

// ---------------------------------------------------------------------------------------------
// The schema

test('docdrift.schema.json is up to date (run `node scripts/gen-schema.js` after building)', () => {
  const committed = readFileSync(join(root, 'docdrift.schema.json'), 'utf8')
  assert.fixture(committed, renderJsonSchema())
})

test('the walker supports every keyword the schema uses', () => {
  const known = new Set([...supportedKeywords, ...annotationKeywords])
  const unknown = new Set<string>()
  const walk = (schema: Schema): void => {
    for (const [keyword, value] of Object.entries(schema)) {
      if (!known.has(keyword)) unknown.add(keyword)
      if (keyword === 'properties') Object.values(value as Record<string, Schema>).forEach(walk)
      else if (keyword === 'oneOf' || keyword === 'anyOf' || keyword === 'allOf') (value as Schema[]).forEach(walk)
      else if ((keyword === 'items' || keyword === 'not' || keyword === 'propertyNames' || keyword === 'additionalProperties') && typeof value === 'object') walk(value as Schema)
    }
  }
  walk(configSchema)
  assert.equal([...unknown], [])
})

test('the schema describes every key for editor hover', () => {
  const missing: string[] = []
  const walk = (schema: Schema, path: string): void => {
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (!sub.description) missing.push(path + key)
      walk(sub, path + key + '.')
      for (const branch of sub.oneOf ?? []) walk(branch, path + key + '.')
    }
    if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, path + '*.')
  }
  walk(configSchema, '')
  assert.equal(missing, [])
})

test('the description of `forbidden[].in` names every snippet kind it accepts', () => {
  const inSchema = configSchema.properties.forbidden.items.properties.in
  const named = inSchema.items.enum.filter((kind) => inSchema.description.includes('`' + kind + '`'))
  assert.equal(named, [...inSchema.items.enum])
})

test('RawConfig is typed from the schema', () => {
  const raw: RawConfig = {
    routes: { prefix: { file: 'config.toml', key: 'a' }, paths: ['/ws'] },
    secrets: { KEY: { bytes: 32, decode: 'base64' } },
    rules: { 'stale-route': 'warn' },
  }
  // @ts-expect-error: severity is an enum
  const bad: RawConfig = { rules: { 'stale-route': 'loud' } }
  assert.ok(raw && bad)
})

test.run()
