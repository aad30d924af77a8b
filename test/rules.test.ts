/**
 * Rule fixtures: each `test/fixtures/rules/<rule>/<case>.md` is linted through the remark face
 * (as users run it) and must give exactly the findings in `<case>.expected` beside it: one line
 * per finding, `line:column rule message` and, when there is a fix, `  fix (safety): text`.
 * `valid*.md` cases must give nothing. Regenerate after a deliberate change with
 * `UPDATE=1 node dist/test/run.js rules`, then read the diff.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {remarkLint, render, root} from './helpers/lint.js'

const base = path.join(root, 'test/fixtures/rules')

for (const rule of readdirSync(base).filter((name) => !name.includes('.') && name !== 'service')) {
  for (const name of readdirSync(path.join(base, rule)).filter((n) => n.endsWith('.md')).sort()) {
    test(`${rule}/${name}`, async () => {
      const file = path.join(base, rule, name)
      const rows = await remarkLint(readFileSync(file, 'utf8'), {path: file})
      const actual = render(rows)
      const expectedFile = file.replace(/\.md$/, '.expected')
      if (name.startsWith('valid')) {
        assert.is(actual, '', 'valid cases report nothing')
        return
      }
      if (process.env.UPDATE) writeFileSync(expectedFile, actual)
      assert.ok(existsSync(expectedFile), `missing ${expectedFile}`)
      assert.ok(rows.length > 0, 'invalid cases report something')
      assert.fixture(actual, readFileSync(expectedFile, 'utf8'))
    })
  }
}

test.run()
