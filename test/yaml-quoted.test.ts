/**
 * `doubleQuotedValue` (core/facts/yaml.ts) reads a one-line double-quoted YAML scalar the way the
 * YAML parser does, and says where each character of the value is written: checked against the
 * `yaml` parser itself for every escape YAML has.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {parse} from 'yaml'
import {doubleQuotedValue} from '../core/facts/yaml.js'

const sources = [
  'plain text',
  '{\\"secret\\": \\"kong\\"}',
  'tab\\there, \\ttab, new\\nline, cr\\r, nul\\0, bell\\a, bs\\b, vt\\v, ff\\f, esc\\e, space\\ , slash\\/, back\\\\slash',
  'next\\N, nbsp\\_, ls\\L, ps\\P',
  'hex \\x41\\x7e, unicode \\u00e9\\u20AC, astral \\U0001F600 done',
  '\\"',
  ''
]

test('the value of each escape is the YAML parser\'s, and each character points at what wrote it', () => {
  for (const source of sources) {
    const read = doubleQuotedValue(source)
    assert.ok(read, source)
    assert.is(read!.value, parse(`"${source}"`), source)
    assert.is(read!.offsets.length, read!.value.length, source)
    for (let index = 0; index < read!.value.length; index++) {
      const at = read!.offsets[index]
      // A character written as itself is there; an escaped one points at its backslash.
      assert.ok(source[at] === read!.value[index] || source[at] === '\\', `${source} [${index}]`)
    }
  }
  const json = doubleQuotedValue('{\\"secret\\": \\"kong\\"}')!
  const start = json.value.indexOf('kong')
  assert.is(json.offsets[start], '{\\"secret\\": \\"'.length)
})

test('escapes YAML does not know, short hex and line breaks (folding) are not read', () => {
  for (const source of ['bad \\q escape', 'short \\x4', 'short \\u00e', 'not hex \\xzz', 'trailing \\', 'two\nlines', 'cr\rline']) {
    assert.is(doubleQuotedValue(source), undefined, source)
  }
})

test.run()
