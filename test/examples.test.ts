/**
 * The examples end to end: every planted problem in examples/chatbox is reported at its exact
 * place with its fix, nothing else is, and examples/chatbox-fixed lints clean.
 */
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {read, remarkLint, root, markdownFiles, plantedProblems, type Planted} from './helpers/lint.js'


const planted = plantedProblems()

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
