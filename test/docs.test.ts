/**
 * Docs are tests: every `markdown` example in docs/rules/*.md is linted with the config of
 * examples/chatbox and must report exactly the `text` block that follows it. The project's own
 * docs (README, docs/, examples/chatbox-fixed) pass its own lint, run as users run it.
 */
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {Code} from 'mdast'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {parseMarkdown} from '../core/engine.js'
import {ruleIds} from '../core/rules/index.js'
import {read, remarkLint, render, root} from './helpers/lint.js'

const config = path.join(root, 'examples/chatbox/docdrift.config.json')

test('every rule has a page, and every page a rule', () => {
  const pages = readdirSync(path.join(root, 'docs/rules')).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3))
  assert.equal(pages.sort(), [...ruleIds].sort())
})

for (const id of ruleIds) {
  test(`docs/rules/${id}.md: examples report what the page says`, async () => {
    const tree = parseMarkdown(read(`docs/rules/${id}.md`))
    const blocks = tree.children.filter((n): n is Code => n.type === 'code')
    let pairs = 0
    for (let i = 0; i < blocks.length - 1; i++) {
      if (blocks[i].lang !== 'markdown' || blocks[i + 1].lang !== 'text') continue
      const example = blocks[i].value + '\n'
      const rows = await remarkLint(example, {path: path.join(root, 'examples/chatbox/example.md'), config})
      assert.fixture(render(rows), blocks[i + 1].value === '' ? '' : blocks[i + 1].value + '\n', `example at line ${blocks[i].position?.start.line}`)
      pairs++
    }
    assert.ok(pairs >= 2, 'a page shows at least one invalid and one valid example')
  })
}

test('the project lints its own README, docs/ and examples/chatbox-fixed clean', () => {
  const cli = path.join(root, 'node_modules/remark-cli/cli.js')
  const result = spawnSync(process.execPath, [cli, 'README.md', 'docs', 'examples/chatbox-fixed', '--frail', '--no-color', '--quiet'], {cwd: root, encoding: 'utf8'})
  assert.is(result.stderr, '')
  assert.is(result.status, 0)
})

test.run()
