/**
 * Python blocks (core/facts/python.ts): which blocks load the grammar, the names and values read
 * at their ranges (also in a `>>>` session), the defaults no name takes (in JavaScript blocks
 * too), and a generator resized as written. The rule fixtures (`*-python.md`,
 * `*-fallback-read.md`) show the findings.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {readJavaScript} from '../core/facts/javascript.js'
import {mayAssignSecret, pythonGenerator, readPython, resizedExpression} from '../core/facts/python.js'
import {secretMentions, secretsByName} from '../core/rules/targets.js'
import type {SecretConstraint} from '../core/types.js'

test('Python, JavaScript: only a block that names a secret, or a configured one in any spelling, is parsed', () => {
  assert.ok(mayAssignSecret('JWT_SECRET = "x"'))
  assert.ok(mayAssignSecret('x = os.getenv("A", "b")'))
  assert.not.ok(mayAssignSecret('import requests\nprint(requests.get(URL).json())'))
  const secrets: Record<string, SecretConstraint> = {
    SESSION_SALT: {name: 'SESSION_SALT', minBytes: 16, decode: 'none', aliases: ['cookies.pepperValue'], source: {file: 'docdrift.config.json', key: 'secrets.SESSION_SALT'}}
  }
  const mentions = secretMentions(secrets)
  assert.ok(mayAssignSecret('SESSION_SALT = "abc"', mentions))
  assert.ok(mayAssignSecret('>>> SESSION_SALT = "abc"', mentions))
  assert.ok(mayAssignSecret('app.config["SESSION_SALT"] = "abc"', mentions))
  assert.ok(mayAssignSecret("const SESSION_SALT = 'abc'", mentions))
  assert.ok(mayAssignSecret("export const sessionSalt = 'abc'", mentions))
  assert.ok(mayAssignSecret("app.use(h({salt: process.env.SESSION_SALT || 'abc'}))", mentions))
  assert.ok(mayAssignSecret("h(Deno.env.get('SESSION_SALT') ?? 'abc')", mentions))
  assert.ok(mayAssignSecret("h(import.meta.env['SESSION_SALT'] ?? 'abc')", mentions))
  assert.ok(mayAssignSecret("const PEPPER_VALUE = 'abc'", mentions))
  assert.not.ok(mayAssignSecret('salt = "abc"', mentions))
  assert.not.ok(mayAssignSecret("h(process.env.PORT || 8080)", mentions))
  assert.not.ok(mayAssignSecret("session.salt = 'abc'; sessions_alt = 'abc'", mentions))
  // Sound: every name the config's lookup takes for the secret is found, in any spelling.
  const byName = secretsByName(secrets)
  const names = ['SESSION_SALT', 'session_salt', 'sessionSalt', 'SessionSalt', 'session-salt', 'Session_Salt', 'SESSION-SALT', 'sessionSALT', '_session__salt_', 'app.SESSION_SALT', 'pepperValue', 'PEPPER_VALUE', 'cookies.pepperValue', 'pepper value']
  for (const name of names) {
    assert.ok(byName.has(name), name)
    assert.ok(mayAssignSecret(`x = ${JSON.stringify(name)}`, mentions), name)
  }
})

test('Python: names, values and defaults at their ranges, in a session too', () => {
  const text = ['>>> import os, secrets, requests', '>>> JWT_SECRET = os.getenv("JWT_SECRET", "changeme")', 'None', '>>> CONF = {"db": {"PASSWORD": f"pw"}}'].join('\n')
  const script = readPython(text)
  assert.equal(script.imports, ['import os', 'import secrets'])
  // A dict is no value of its own: its keys are read.
  assert.is(script.assignments.length, 2)
  const [fallback, pair] = script.assignments
  assert.is(fallback.name, 'JWT_SECRET')
  assert.is(fallback.value.kind, 'fallback')
  if (fallback.value.kind !== 'fallback' || fallback.value.value.kind !== 'literal') throw new Error('not a literal fallback')
  assert.is(text.slice(fallback.value.start, fallback.value.end), 'os.getenv("JWT_SECRET", "changeme")')
  assert.is(fallback.value.required, 'os.environ["JWT_SECRET"]')
  const literal = fallback.value.value.literal
  assert.is(text.slice(literal.start, literal.end), 'changeme')
  assert.is(pair.name, 'PASSWORD')
  if (pair.value.kind !== 'literal') throw new Error('not a literal')
  assert.is(text.slice(pair.value.literal.start, pair.value.literal.end), 'pw')
})

test('Python and JavaScript: defaults no name takes, once each, outside functions and lambdas', () => {
  const shown = (script: ReturnType<typeof readPython>, text: string) => script.reads.map((r) => `${r.variable} ${text.slice(r.start, r.end)}`)
  const python = [
    'import os',
    'JWT_SECRET = os.getenv("JWT_SECRET", "a")',
    'jwt.encode(p, os.getenv("JWT_SECRET", "b"), key=os.environ.get("SIGNING_KEY") or "c")',
    'token = sign(os.getenv("A", os.getenv("B", "d")))',
    'settings = Settings(jwt_secret=os.getenv("JWT_SECRET", "e"))',
    'f = lambda: os.getenv("JWT_SECRET", "f")',
    'def g():',
    '    return os.getenv("JWT_SECRET", "g")'
  ].join('\n')
  assert.equal(shown(readPython(python), python), ['JWT_SECRET os.getenv("JWT_SECRET", "b")', 'SIGNING_KEY os.environ.get("SIGNING_KEY") or "c"', 'B os.getenv("B", "d")'])
  const javascript = [
    "const JWT_SECRET = process.env.JWT_SECRET || 'a'",
    "app.use(session({secret: process.env.SESSION_SECRET || 'b'}))",
    "export default {key: import.meta.env.VITE_KEY ?? 'c', port: process.env.PORT || 8080}",
    "app.get('/', () => process.env.JWT_SECRET || 'd')",
    "function f() { return process.env.JWT_SECRET || 'e' }"
  ].join('\n')
  assert.equal(shown(readJavaScript(javascript), javascript), ["SESSION_SECRET process.env.SESSION_SECRET || 'b'", "VITE_KEY import.meta.env.VITE_KEY ?? 'c'"])
})

test('JavaScript: a logical assignment to the environment is its default; other assignments are not', () => {
  const javascript = [
    "process.env.JWT_SECRET ||= 'a'",
    "Bun.env['DB_PASSWORD'] ??= 'b'",
    "process.env.SESSION_SECRET += 'c'",
    "config.JWT_SECRET ||= 'd'",
    "import.meta.env.VITE_KEY ??= 'e'",
    "if (dev) process.env.SIGNING_KEY ||= 'f'"
  ].join('\n')
  const shown = readJavaScript(javascript).assignments.map((a) => a.value.kind === 'fallback' ? `${a.name} ${a.value.reads} ${javascript.slice(a.start, a.end)}` : a.name)
  assert.equal(shown, ["JWT_SECRET process.env.JWT_SECRET process.env.JWT_SECRET ||= 'a'", "DB_PASSWORD Bun.env.DB_PASSWORD Bun.env['DB_PASSWORD'] ??= 'b'"])
})

test('Python: a generator is resized as written, past the numbers of its imports', () => {
  const imports = ['from base64 import b64encode', 'import os']
  const made = pythonGenerator(imports, 'b64encode(os.urandom(32)).decode()')
  assert.ok(made)
  assert.is(made!.output.chars, 44)
  const resized = made!.stages.map((s) => ({...s, args: s.args.map((a) => a.replace('urandom(32)', 'urandom(24)'))}))
  const command = `python ${resized[0].args.map((a) => (a === '-c' ? a : `'${a}'`)).join(' ')}`
  assert.is(resizedExpression('b64encode(os.urandom(32)).decode()', made!.stages, command), 'b64encode(os.urandom(24)).decode()')
  assert.is(resizedExpression('b64encode(os.urandom(32)).decode()', made!.stages, 'openssl rand -base64 24'), undefined)
  assert.is(pythonGenerator([], 'os.urandom(32)'), undefined)
})

test('Python: branches guarded for development or tests are not read, their opposites are', () => {
  const names = (text: string) => readPython(text).assignments.map((a) => (a.value.kind === 'literal' ? a.value.literal.value : a.value.kind))
  const branch = (condition: string) => names(`if ${condition}:\n    K = "then"\nelse:\n    K = "else"\n`)
  assert.equal(branch('DEBUG'), ['else'])
  assert.equal(branch('not settings.DEBUG'), ['then'])
  assert.equal(branch('(ENV == "development")'), ['else'])
  assert.equal(branch('ENV != "production"'), ['else'])
  assert.equal(branch('DEBUG is False'), ['then'])
  assert.equal(branch('DEBUG and USE_KEYS'), ['else'])
  assert.equal(branch('USE_KEYS and DEBUG'), ['else'])
  assert.equal(branch('DEBUG or USE_KEYS'), ['then', 'else'])
  assert.equal(branch('isDev or TESTING'), ['else'])
  assert.equal(branch('ENV in ("dev", "prod")'), ['then', 'else'])
  assert.equal(branch('USE_KEYS'), ['then', 'else'])
  // A later branch holds where every condition before it failed: outside production, after one for it.
  assert.equal(names('if DEBUG:\n    K = "a"\nelif STAGING:\n    K = "b"\nelse:\n    K = "c"\n'), ['b', 'c'])
  assert.equal(names('if ENV == "production":\n    K = "a"\nelif STAGING:\n    K = "b"\nelse:\n    K = "c"\n'), ['a'])
  assert.equal(names('try:\n    K = "a"\nexcept KeyError:\n    K = "b"\nelse:\n    K = "c"\nfinally:\n    K = "d"\nwith x:\n    K = "e"\n'), ['a', 'b', 'c', 'd', 'e'])
  assert.equal(names('class DevSettings:\n    K = "a"\nclass ProductionConfig:\n    K = "b"\n'), ['b'])
  // Imports in a block at module level count; a print under `if __name__` too, in a class not.
  const script = readPython('try:\n    import secrets\nexcept ImportError:\n    pass\nif __name__ == "__main__":\n    print(secrets.token_hex(16))\nclass C:\n    import base64\n    print(secrets.token_hex(8))\n')
  assert.equal(script.imports, ['import secrets'])
  assert.equal(script.prints.map((p) => p.text), ['secrets.token_hex(16)'])
})

test('Python: settings libraries\' defaults, pydantic fields and settings objects', () => {
  const read = (text: string) => readPython(text).assignments.map((a) => {
    const v = a.value
    if (v.kind === 'fallback') return `${a.name} ${v.variable} ${v.value.kind === 'literal' ? v.value.literal.value : v.value.kind} ${v.required ?? '-'} ${v.raises ?? '-'}`
    return `${a.name} ${v.kind === 'literal' ? v.literal.value : v.kind}`
  })
  assert.equal(read('K = env("A", default="x1")\nK = env("A", "x2")\nK = env.str("A", "x3")\nK = config("A", "x4", cast=str)\nK = config("A", str)\nK = config("A", Csv())\nK = env("A", default=None)\nK = os.getenv("A", "x5")\n'), [
    'K A x1 env("A") an error', 'K A x2 env("A") an error', 'K A x3 env.str("A") an error', 'K A x4 config("A", cast=str) an error', 'K A x5 os.environ["A"] -'
  ])
  assert.equal(read('class S:\n    a: str = Field("x1")\n    b: str = Field(default="x2", min_length=8)\n    c: str = Field(...)\n    d: str = Field(default_factory=lambda: secrets.token_hex(8))\n    e: SecretStr = SecretStr("x3")\n'), [
    'a x1', 'b x2', 'd expression', 'e x3'
  ])
  assert.equal(read('s = Settings(jwt_secret="x1")\nc = AppConfig(db_password="x2")\nc = OpenAI(api_key="x3")\nc = psycopg.connect(password="x4")\n'), [
    'jwt_secret x1', 's expression', 'db_password x2', 'c expression', 'c expression', 'c expression'
  ])
})

test.run()
