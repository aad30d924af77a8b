/**
 * Docs are tests: every `markdown` example in docs/rules/*.md is linted with the config of
 * examples/chatbox and must report exactly the `text` block that follows it. The project's own
 * docs (README, docs/, bench/RESULTS.md, examples/chatbox-fixed) pass its own lint, run as users run it.
 */
import {spawnSync} from 'node:child_process'
import {readdirSync, writeFileSync} from 'node:fs'
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
    const source = read(`docs/rules/${id}.md`)
    const tree = parseMarkdown(source)
    const blocks = tree.children.filter((n): n is Code => n.type === 'code')
    let pairs = 0
    let updated = source
    for (let i = blocks.length - 2; i >= 0; i--) {
      if (blocks[i].lang !== 'markdown' || blocks[i + 1].lang !== 'text') continue
      const example = blocks[i].value + '\n'
      const rows = await remarkLint(example, {path: path.join(root, 'examples/chatbox/example.md'), config})
      const actual = render(rows)
      if (process.env.UPDATE) {
        // Rewrite the `text` block's body (between its fences) with what the example reports now.
        const block = blocks[i + 1]
        const open = updated.indexOf('\n', block.position!.start.offset!) + 1
        const close = updated.lastIndexOf('```', block.position!.end.offset! - 1)
        updated = updated.slice(0, open) + actual + updated.slice(close)
      } else {
        assert.fixture(actual, blocks[i + 1].value === '' ? '' : blocks[i + 1].value + '\n', `example at line ${blocks[i].position?.start.line}`)
      }
      pairs++
    }
    if (process.env.UPDATE && updated !== source) writeFileSync(path.join(root, `docs/rules/${id}.md`), updated)
    assert.ok(pairs >= 2, 'a page shows at least one invalid and one valid example')
  })
}

test('the project lints its own README, docs/, bench/RESULTS.md and examples/chatbox-fixed clean', () => {
  const cli = path.join(root, 'node_modules/remark-cli/cli.js')
  const result = spawnSync(process.execPath, [cli, 'README.md', 'docs', 'bench/RESULTS.md', 'examples/chatbox-fixed', '--frail', '--no-color', '--quiet'], {cwd: root, encoding: 'utf8'})
  assert.is(result.stderr, '')
  assert.is(result.status, 0)
})

test.run()
