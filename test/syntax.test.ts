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
import {frontmatterSyntax, gfmSyntax} from '../core/extract/syntax.js'
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

/** The remark face's tree when the user has no remark-gfm: docdrift's syntax but GFM tables. */
function withoutTables(text: string) {
  const gfm = gfmSyntax({tables: false})
  const front = frontmatterSyntax()
  return fromMarkdown(text, {extensions: [...gfm.micromark, ...front.micromark], mdastExtensions: [...gfm.mdast, ...front.mdast]})
}

let withTables = 0
for (const file of files) {
  test(`same findings from a tree without tables: ${file}`, () => {
    const full = path.join(root, file)
    const text = readFileSync(full, 'utf8')
    const tree = parseMarkdown(text)
    if (tree.children.some((node) => node.type === 'table')) withTables++
    const ours = lintMarkdown({text, path: full, tree})
    const theirs = lintMarkdown({text, path: full, tree: withoutTables(text)})
    assert.equal(theirs.findings, ours.findings)
  })
}

test('the comparison saw files with tables', () => {
  assert.ok(withTables >= 5, `only ${withTables} files with tables`)
})

test('a tree without tables: a table with a needle, one that interrupts a paragraph, and one that introduces a block are read as tables', () => {
  const config = {secrets: {JWT_SECRET: {minBytes: 32}}}
  const documents = [
    // The row names the secret of the generator in it.
    '| Secret | Make it with |\n| --- | --- |\n| JWT_SECRET | `openssl rand -hex 8` |\n| Other | `openssl rand -hex 4` |\n',
    'Make the secrets:\n| Secret | Make it with |\n| --- | --- |\n| JWT_SECRET | `openssl rand -hex 8` |\n',
    // A table is not the paragraph before the block: it does not name the block's secret.
    '# Setup\n\n| Secret | Use |\n| --- | --- |\n| JWT_SECRET | signing |\n\n```sh\nopenssl rand -hex 8\n```\n',
    // …as a paragraph does, also one that looks like a table but is not (two cells, three delimiters).
    '# Setup\n\nJWT_SECRET is made with:\n\n```sh\nopenssl rand -hex 8\n```\n',
    '# Setup\n\nJWT_SECRET | made with\n--- | --- | ---\n\n```sh\nopenssl rand -hex 8\n```\n'
  ]
  const expected = [['secret-length 3:17'], ['secret-length 4:17'], [], ['secret-length 6:1'], ['secret-length 7:1']]
  documents.forEach((text, index) => {
    const findings = (tree: ReturnType<typeof parseMarkdown>) => lintMarkdown({text, path: '/tmp/table.md', tree}, {config}).findings.map((f) => `${f.ruleId} ${f.start.line}:${f.start.column}`)
    assert.equal(findings(parseMarkdown(text)), expected[index], text)
    assert.equal(findings(withoutTables(text)), expected[index], text)
  })
})

test.run()
