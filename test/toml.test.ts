/**
 * TOML blocks (core/facts/toml.ts): the strings read out of them, with the key and tables each is
 * under and its range in the text, and the lines of a sketch that do not parse left out with
 * every other offset kept. The rule fixtures (`*-toml.md`) show the findings.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {parseTomlDocument, tomlStrings} from '../core/facts/toml.js'

function strings(text: string) {
  const doc = parseTomlDocument(text)
  if (!doc) return undefined
  return tomlStrings(doc).map((s) => [s.path.join('.'), s.key, text.slice(s.inner[0], s.inner[1]), s.node.value])
}

test('TOML: each string with its tables, dotted keys, inline tables and arrays, inside its quotes', () => {
  const text = [
    'name = "top"',
    'env.JWT_SECRET = \'lit\'',
    '[[http_service.checks]]',
    'path = "/a"',
    '[[http_service.checks]]',
    'path = "/b"',
    '[runners.docker]',
    'image = "alpine"',
    'services = [{ name = "redis" }, "x"]',
    'rule = """',
    'PathPrefix(`/c`)"""',
    'raw = \'\'\'\r\nline\'\'\'',
    'esc = "a\\tb"'
  ].join('\n')
  assert.equal(strings(text), [
    ['', 'name', 'top', 'top'],
    ['env', 'JWT_SECRET', 'lit', 'lit'],
    ['http_service.checks.0', 'path', '/a', '/a'],
    ['http_service.checks.1', 'path', '/b', '/b'],
    ['runners.docker', 'image', 'alpine', 'alpine'],
    ['runners.docker.services', 'name', 'redis', 'redis'],
    ['runners.docker', 'services', 'x', 'x'],
    ['runners.docker', 'rule', 'PathPrefix(`/c`)', 'PathPrefix(`/c`)'],
    // After the opening line break, LF or CRLF: the range is the value's.
    ['runners.docker', 'raw', 'line', 'line'],
    // An escape: the range is the written text, the value is not (readers compare the two).
    ['runners.docker', 'esc', 'a\\tb', 'a\tb']
  ])
})

test('TOML: a line that does not parse is left out, and the rest keep their offsets', () => {
  const text = '[http_service]\ninternal_port = <port>\n[[http_service.checks]]\npath = "/chat/readyz"\nkey = <your key>\nimage = "x"\n'
  assert.equal(strings(text), [
    ['http_service.checks.0', 'path', '/chat/readyz', '/chat/readyz'],
    ['http_service.checks.0', 'image', 'x', 'x']
  ])
  // A table defined twice: the second header is left out, its keys join the first table.
  assert.equal(strings('[a]\nx = "1"\n[a]\ny = "2"\n'), [['a', 'x', '1', '1'], ['a', 'y', '2', '2']])
})

test('TOML: a block with no line that parses holds no strings; one with more errors than retries is not read', () => {
  assert.equal(strings('= = =\n'), [])
  // A string left open runs to the end: its line is blanked like any other.
  assert.equal(strings('a = "open\n'), [])
  const sketch = Array.from({length: 20}, (_, i) => `k${i} = <v${i}>`).join('\n') + '\nok = "yes"\n'
  assert.is(strings(sketch), undefined)
  // Within the retries, the line after the errors is read.
  assert.equal(strings(sketch.split('\n').slice(4).join('\n')), [['', 'ok', 'yes', 'yes']])
})

test('TOML: a large block with errors is parsed again a few times only (about four parses of it in all)', () => {
  const errors = Array.from({length: 5}, (_, i) => `z${i} = <q>`).join('\n')
  // Five errors after a few lines: each read stops early, all five are blanked.
  assert.equal(strings(`a = "b"\n${errors}\n`), [['', 'a', 'b', 'b']])
  // The same five after 12,000 lines: a fifth full read is over the budget, and the block is not
  // read; three are blanked.
  const big = Array.from({length: 12_000}, (_, i) => `k${i} = "v${i}"`).join('\n')
  assert.is(strings(`${big}\n${errors}\n`), undefined)
  assert.is(strings(`${big}\n${errors.split('\n').slice(0, 3).join('\n')}\n`)?.length, 12_000)
})

test.run()
