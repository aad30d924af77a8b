/**
 * HCL blocks (core/facts/hcl.ts): blocks with their type and labels, attributes with their string
 * values at their ranges, tuples and objects; interpolations and escapes are not values; and a
 * sketch that does not parse still gives the attributes around the error. The rule fixtures
 * (`*-hcl.md`) show the findings.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {parseHcl, type HclAttribute, type HclBlock, type HclString} from '../core/facts/hcl.js'

const string = (text: string, s: HclString | undefined) => s && {at: text.slice(s.inner[0], s.inner[1]), value: s.value}
function plain(text: string, block: HclBlock): unknown {
  const attribute = (a: HclAttribute): unknown => ({
    name: a.name,
    ...(a.value ? {value: string(text, a.value)} : {}),
    ...(a.items.length > 0 ? {items: a.items.map((s) => string(text, s))} : {}),
    ...(a.object ? {object: a.object.map(attribute)} : {})
  })
  return {type: block.type, labels: block.labels, attributes: block.attributes.map(attribute), blocks: block.blocks.map((b) => plain(text, b))}
}

test('HCL: blocks, labels, attributes, tuples and objects, each string at its range', () => {
  const text = [
    'job "chat" {',
    '  task "server" {',
    '    config { image = "redis:7" }',
    '    env = { A = "b", "c-d" = "e" }',
    '    tags = ["x=1", 2, "y"]',
    '  }',
    '}',
    'locals { n = 3 }'
  ].join('\n')
  assert.equal(plain(text, parseHcl(text)), {
    type: '', labels: [], attributes: [],
    blocks: [
      {type: 'job', labels: ['chat'], attributes: [], blocks: [
        {type: 'task', labels: ['server'], attributes: [
          {name: 'env', object: [{name: 'A', value: {at: 'b', value: 'b'}}, {name: 'c-d', value: {at: 'e', value: 'e'}}]},
          {name: 'tags', items: [{at: 'x=1', value: 'x=1'}, {at: 'y', value: 'y'}]}
        ], blocks: [
          {type: 'config', labels: [], attributes: [{name: 'image', value: {at: 'redis:7', value: 'redis:7'}}], blocks: []}
        ]}
      ]},
      {type: 'locals', labels: [], attributes: [{name: 'n'}], blocks: []}
    ]
  })
})

test('HCL: an interpolation or an escape is written, not a value; a reference has no string', () => {
  const text = 'a = "${var.x}/y"\nb = "%{ if true }x%{ endif }"\nc = "say \\"hi\\""\nd = var.secret\ne = ""\n'
  const attributes = parseHcl(text).attributes.map((a) => [a.name, string(text, a.value)])
  assert.equal(attributes, [
    ['a', {at: '${var.x}/y', value: undefined}],
    ['b', {at: '%{ if true }x%{ endif }', value: undefined}],
    ['c', {at: 'say \\"hi\\"', value: undefined}],
    ['d', undefined],
    ['e', {at: '', value: ''}]
  ])
})

test('HCL: a boolean, and a heredoc\'s body from the line after its opening to the line of its closing identifier', () => {
  const text = 'template {\n  env = true\n  data = <<-EOF\n    A=b\n    C=${x}\n  EOF\n  keep = false\n}\n'
  const [data] = parseHcl(text).blocks
  assert.equal(data.attributes.map((a) => [a.name, a.flag, a.heredoc && text.slice(...a.heredoc)]), [
    ['env', true, undefined],
    ['data', undefined, '    A=b\n    C=${x}\n'],
    ['keep', false, undefined]
  ])
})

test('HCL: a placeholder that does not parse leaves the attributes around it', () => {
  const text = 'check {\n  type = "http"\n  port = <port>\n  path = "/chat/healthz"\n}\n'
  const check = parseHcl(text).blocks[0]
  assert.is(check.type, 'check')
  const values = check.attributes.filter((a) => a.value).map((a) => [a.name, string(text, a.value)?.at])
  assert.equal(values, [['type', 'http'], ['path', '/chat/healthz']])
  // A block cut short keeps every line (the missing `}` is not an error line to blank).
  const short = 'job "x" {\n  task "t" {\n    image = "a:1"\n    path = "/b"'
  assert.equal(parseHcl(short).blocks[0].blocks[0].attributes.map((a) => a.name), ['image', 'path'])
  // A string left open has no range to trust.
  assert.equal(parseHcl('a = "open\n').attributes.filter((a) => a.value), [])
})

test('HCL: numbers, references alone or as a string\'s one interpolation, and labels at their ranges', () => {
  const text = 'resource "random_id" "jwt" {\n  byte_length = 8\n}\na = random_id.jwt.hex\nb = "${random_id.jwt.hex}"\nc = "x-${random_id.jwt.hex}"\nd = random_id.jwt[0].hex\ne = 1.5\n'
  const file = parseHcl(text)
  const [block] = file.blocks
  assert.equal(block.labelsAt.map(([s, e]) => text.slice(s, e)), ['random_id', 'jwt'])
  const number = block.attributes[0].number!
  assert.equal([number.value, text.slice(...number.inner)], [8, '8'])
  const refs = file.attributes.map((a) => a.reference && [a.reference.names.join('.'), text.slice(...a.reference.inner)])
  assert.equal(refs, [['random_id.jwt.hex', 'random_id.jwt.hex'], ['random_id.jwt.hex', 'random_id.jwt.hex'], undefined, undefined, undefined])
  assert.equal(file.attributes[4].number, undefined)
})

test.run()
