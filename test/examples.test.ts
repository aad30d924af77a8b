/**
 * The examples end to end: every planted problem in examples/chatbox is reported at its exact
 * place with its fix, nothing else is, and examples/chatbox-fixed lints clean.
 */
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {read, remarkLint, root} from './helpers/lint.js'

interface Planted {
  file: string
  line: number
  column: number
  rule: string
  actual: string
  expected: string
}

function markdownFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const rel = path.join(dir, name)
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...markdownFiles(rel))
    else if (name.endsWith('.md')) out.push(rel)
  }
  return out
}

const planted: Planted[] = JSON.parse(read('test/fixtures/planted.json'))

test('examples/chatbox: every planted problem, and only those, with its fix', async () => {
  const found: Planted[] = []
  for (const file of markdownFiles('examples/chatbox')) {
    for (const row of await remarkLint(read(file), {path: path.join(root, file)})) {
      found.push({file, line: row.line, column: row.column, rule: row.rule, actual: row.actual ?? '', expected: row.expected ?? ''})
    }
  }
  const key = (p: Planted) => `${p.file}:${p.line}:${p.column} ${p.rule} ${p.actual} -> ${p.expected}`
  assert.equal(found.map(key).sort(), planted.map(key).sort())
})

test('examples/chatbox-fixed lints clean', async () => {
  for (const file of markdownFiles('examples/chatbox-fixed')) {
    assert.equal(await remarkLint(read(file), {path: path.join(root, file)}), [], file)
  }
})

test.run()
