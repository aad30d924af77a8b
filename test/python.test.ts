/**
 * Python blocks (core/facts/python.ts): which blocks load the grammar, the names and values read
 * at their ranges (also in a `>>>` session), and a generator resized as written. The rule
 * fixtures (`*-python.md`) show the findings.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {mayAssignSecret, pythonGenerator, readPython, resizedExpression} from '../core/facts/python.js'

test('Python: only a block that names a secret, or assigns a configured name, is parsed', () => {
  assert.ok(mayAssignSecret('JWT_SECRET = "x"'))
  assert.ok(mayAssignSecret('x = os.getenv("A", "b")'))
  assert.not.ok(mayAssignSecret('import requests\nprint(requests.get(URL).json())'))
  const configured = (name: string) => name === 'SESSION_SALT'
  assert.ok(mayAssignSecret('SESSION_SALT = "abc"', configured))
  assert.ok(mayAssignSecret('>>> SESSION_SALT = "abc"', configured))
  assert.not.ok(mayAssignSecret('salt = "abc"', configured))
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

test.run()
