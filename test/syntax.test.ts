/**
 * docdrift reads Markdown without GFM's literal autolinks (core/extract/syntax.ts). A remark
 * setup that has remark-gfm gives the engine a tree where bare URLs are links: the findings must
 * be the same, for every Markdown file under examples/ and test/fixtures/.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {frontmatterFromMarkdown} from 'mdast-util-frontmatter'
import {gfmFromMarkdown} from 'mdast-util-gfm'
import {frontmatter} from 'micromark-extension-frontmatter'
import {gfm} from 'micromark-extension-gfm'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {lintMarkdown, parseMarkdown} from '../core/engine.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder} from './helpers/markdownlint.js'

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')]

function withFullGfm(text: string) {
  return fromMarkdown(text, {extensions: [gfm(), frontmatter(['yaml', 'toml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml', 'toml'])]})
}

test('the syntax has no literal autolinks, and keeps tables', () => {
  const tree = parseMarkdown('See https://a.example/chat.\n\n| a |\n| - |\n| b |\n')
  assert.equal(tree.children.map((node) => node.type), ['paragraph', 'table'])
  assert.equal((tree.children[0] as {children: Array<{type: string}>}).children.map((node) => node.type), ['text'])
  assert.equal((withFullGfm('See https://a.example/chat.\n').children[0] as {children: Array<{type: string}>}).children.map((node) => node.type), ['text', 'link', 'text'])
})

let withUrls = 0
for (const file of files) {
  test(`same findings with literal autolinks: ${file}`, () => {
    const full = path.join(root, file)
    const text = readFileSync(full, 'utf8')
    const ours = lintMarkdown({text, path: full, tree: parseMarkdown(text)})
    const gfmTree = withFullGfm(text)
    if (JSON.stringify(gfmTree).includes('"link"')) withUrls++
    const theirs = lintMarkdown({text, path: full, tree: gfmTree})
    assert.equal(theirs.configError, ours.configError)
    assert.equal(theirs.findings, ours.findings)
  })
}

test('the comparison saw files with links', () => {
  assert.ok(withUrls >= 5, `only ${withUrls} files with links`)
})

test.run()
