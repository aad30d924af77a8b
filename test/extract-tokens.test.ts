/**
 * The two extractors agree: snippets read from markdownlint's micromark tokens
 * (`core/extract/tokens.ts`) equal those read from remark's mdast (`core/extract/snippets.ts`) for
 * the same text, on every Markdown file under examples/ and test/fixtures/ and on cases where
 * the two syntaxes differ (math, `~~`, task items, directives, literal URLs, JSON front matter):
 * there the token reader either matches or says it cannot (and the face parses).
 *
 * And the tokens docdrift makes itself (`core/extract/tokenize.ts`, docdrift's syntax, for the
 * command and the engine's own parse) read into exactly the mdast snippets, never falling back.
 */
import path from 'node:path'
import {lint} from 'markdownlint/sync'
import type {Rule, RuleParams} from 'markdownlint'
import {textOf} from '../plugins/markdownlint/create.js'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {lintMarkdown, parseMarkdown} from '../core/engine.js'
import {readFileSync} from 'node:fs'
import {LineIndex} from '../core/extract/lines.js'
import {codeKind, extractSnippets, readsInfo, type Snippet} from '../core/extract/snippets.js'
import {tokenizeMarkdown} from '../core/extract/tokenize.js'
import {extractSnippetsFromTokens, paragraphHoldsNothing, type MicromarkToken} from '../core/extract/tokens.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder} from './helpers/markdownlint.js'

/** markdownlint's params for each file or string, from a rule that only records them. */
function paramsOf(input: {files?: string[]; strings?: Record<string, string>}): Map<string, RuleParams> {
  const captured = new Map<string, RuleParams>()
  const capture: Rule = {names: ['capture'], description: 'records params', tags: ['test'], parser: 'micromark', function: (params) => void captured.set(params.name, params)}
  lint({...input, config: {default: false, capture: true}, customRules: [capture]})
  return captured
}

/** Snippets as plain data: context getters read, ignore sets listed. */
function plain(snippets: Snippet[]): unknown[] {
  return snippets.map((s) => ({
    ...s,
    context: Object.fromEntries(Object.keys(s.context).map((key) => [key, s.context[key as keyof Snippet['context']]])),
    ignore: s.ignore instanceof Set ? [...s.ignore] : s.ignore
  }))
}

function both(params: RuleParams): {tokens?: unknown[]; mdast: unknown[]; reason?: string} {
  const text = textOf(params)
  const lines = new LineIndex(text)
  let reason: string | undefined
  const fromTokens = extractSnippetsFromTokens(
    {tokens: params.parsers.micromark!.tokens as readonly MicromarkToken[], frontMatter: params.frontMatterLines, onUnsupported: (why) => (reason = why)},
    text,
    lines
  )
  return {tokens: fromTokens && plain(fromTokens), mdast: plain(extractSnippets(parseMarkdown(text), text, lines)), reason}
}

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')]
const byFile = paramsOf({files: files.map((file) => path.join(root, file))})

for (const file of files) {
  test(`same snippets from tokens and mdast: ${file}`, () => {
    const {tokens, mdast, reason} = both(byFile.get(path.join(root, file))!)
    if (file === 'test/fixtures/markdownlint/json-front-matter.md') {
      assert.is(reason, 'front matter', 'JSON front matter is Markdown to remark: the face parses')
      return
    }
    if (file === 'test/fixtures/rules/weak-secret/invalid-math.md') {
      // Every paragraph read (no needles): markdownlint's math is not remark's text. With the
      // needles the paragraph is not read for snippets (markdownlint.test.ts).
      assert.is(reason, 'mathText')
      return
    }
    assert.ok(tokens, `tokens not read: ${reason}`)
    assert.equal(tokens, mdast)
  })
}

const cases: Record<string, string> = {
  // Info strings: read languages (any case), unlabeled shell, other languages and names that are
  // also properties of every object (never read).
  codeLanguages:
    '```Bash\ncurl /chat/x\n```\n\n```yml\nimage: nginx:latest\n```\n\n```\ncurl /chat/x\n```\n\n```python\ncurl /chat/x\n```\n\n' +
    '```constructor\ncurl /chat/x\n```\n\n```toString\nimage: nginx:latest\n```\n\n    curl /chat/x\n',
  math: 'Set $HOME and $PATH, then `curl /chat/x`.\n\nExport $A_B before $C.\n',
  mathLines: 'Set $KEY and\n   $SECRET here /chat/x.\n',
  mathSyntax: 'Set $a *b* c$ and /chat/x *d*.\n',
  strike: 'Use ~~/chat/x~~ /chatbox/x.\n',
  tilde: 'Copy to ~/.kube/config and /chat/x.\n',
  task: '- [x] ran `curl /chat/x`\n- [ ] next\n',
  directive: ':::note\nRun `curl /chat/x`.\n:::\n',
  // markdownlint's line ending token after a lone `$` runs on over the next line's `> `.
  quoteDollar: '> gives you $300 in free `/chat/a`\n> credits /chat/x.\n\n- `$KEY` and $A\n  more /chat/y\n',
  directiveBlank: 'Intro /chat/a\n\n:::warning\n\nRun `curl /chat/x`.\n\n```sh\ncurl /chat/y\n```\n\n:::\n\n```sh\ncurl /chat/z\n```\n',
  directiveNested: '::::tip\n\n:::note\n\nIn /chat/a\n\n:::\n\n::::\n\nafter /chat/b\n',
  directiveInList: '- item /chat/a\n\n  :::note\n\n  `curl /chat/x`\n\n  :::\n\n  more /chat/b\n',
  directiveInQuote: '> a /chat/q\n>\n> :::note\n>\n> b /chat/x\n>\n> :::\n',
  directiveComment: ':::note\n\n<!-- c -->\n\n/chat/a\n\n:::\n',
  directiveTightAfter: ':::note\n\nx /chat/a\n\n:::\nafter /chat/b\n',
  directiveTightBefore: 'para /chat/a\n:::note\n\nx /chat/c\n\n:::\n',
  directiveTightInside: ':::note\n\nx /chat/a\n:::\n\ny /chat/b\n',
  directiveUnclosedFence: ':::note\n\n```sh\ncurl /chat/x\n\n:::\n\nafter /chat/y\n',
  directiveLabel: ':::tip[Some *title*]\n\nx /chat/a\n\n:::\n',
  directiveHtmlOpen: ':::note\n\n<!-- open\n\n:::\n\n/chat/a -->\n',
  literal: 'See [link](https://a.example/chat) or https://c.example/chat and www.d.example/chat.\n',
  literalAfterBracket: 'See (`x`)[https://b.example/chat/y].\n',
  email: 'Mail ops@example.com about /chat/x.\n',
  entities: 'Use `a &amp; b` and &lt;/chat/x&gt; or &#47;chat&#x2F;y \\* [t](/chat/a&amp;b "t").\n\n[ref]: /chat/ref\n',
  nested: '> - a\n>   ```sh\n>   curl /chat/x\n>   ```\n>\n> b /chat/y\n\n| `a \\| b` | /chat/z |\n| --- | --- |\n| c | ![alt /chat](/chat/img.png) |\n',
  setext: 'Title /chat\nmore\n===\n\n    indented /chat/code\n\n```\ncurl /chat/q\n```\n',
  breaks: 'line /chat/a  \nnext /chat/b\\\nlast [x\ny](/chat/c)\n',
  htmlText: 'Run /chat/a <br\n   /> and <span\n  class="x">/chat/b</span>.\n'
}
const byCase = paramsOf({strings: cases})

for (const [name, markdown] of Object.entries(cases)) {
  test(`tokens match mdast or say they cannot: ${name}`, () => {
    const {tokens, mdast, reason} = both(byCase.get(name)!)
    if (tokens) assert.equal(tokens, mdast, markdown)
    else assert.ok(reason, `no reason given for ${name}`)
  })
}

test('the token reader covers the common constructs without falling back', () => {
  for (const name of ['math', 'mathLines', 'quoteDollar', 'tilde', 'literal', 'literalAfterBracket', 'email', 'entities', 'nested', 'setext', 'breaks']) {
    assert.ok(both(byCase.get(name)!).tokens, name)
  }
  for (const name of ['mathSyntax', 'strike', 'task', 'directive']) assert.not.ok(both(byCase.get(name)!).tokens, name)
})

test('code blocks: a language is read, or not, whatever the info string (`constructor`, `toString` are not languages)', () => {
  const params = byCase.get('codeLanguages')!
  const snippets = both(params).tokens as Array<{lang: string; value: string}>
  assert.equal(snippets.map((s) => [s.lang, s.value]), [['shell', 'curl /chat/x'], ['yaml', 'image: nginx:latest'], ['shell', 'curl /chat/x'], ['code', 'curl /chat/x'], ['shell', 'curl /chat/x']])
  for (const info of ['bash', 'Bash', 'console', 'yml', 'JSON', 'env', 'python', 'http', 'Go', 'powershell', 'toml', '', null]) assert.ok(readsInfo(info), String(info))
  for (const info of ['python', 'http', 'Go', 'powershell', 'xml']) assert.is(codeKind(info, null, 'curl /chat/x')?.lang, 'code', info)
  assert.is(codeKind('TOML', null, 'a = 1')?.lang, 'toml')
  for (const info of ['hcl', 'terraform', 'TF']) assert.is(codeKind(info, null, 'a = 1')?.lang, 'hcl', info)
  for (const info of ['text', 'output', 'log', 'diff', 'md', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.not.ok(readsInfo(info), info)
    assert.is(codeKind(info, null, 'curl /chat/x'), undefined, info)
  }
})

test('directive containers kept apart by blank lines are read, others handed back', () => {
  for (const name of ['directiveBlank', 'directiveNested', 'directiveInList', 'directiveInQuote', 'directiveComment']) {
    const {tokens, reason} = both(byCase.get(name)!)
    assert.ok(tokens, `${name}: ${reason}`)
  }
  for (const name of ['directive', 'directiveTightAfter', 'directiveTightInside', 'directiveUnclosedFence', 'directiveLabel', 'directiveHtmlOpen']) {
    assert.is(both(byCase.get(name)!).reason, 'directiveContainer', name)
  }
})

/** Snippets from docdrift's own tokens and from mdast; `reason` if the token reader gave up. */
function own(text: string): {tokens?: unknown[]; mdast: unknown[]; reason?: string} {
  const lines = new LineIndex(text)
  let reason: string | undefined
  const fromTokens = extractSnippetsFromTokens({tokens: tokenizeMarkdown(text), ownSyntax: true, onUnsupported: (why) => (reason = why)}, text, lines)
  return {tokens: fromTokens && plain(fromTokens), mdast: plain(extractSnippets(parseMarkdown(text), text, lines)), reason}
}

const ownCases: Record<string, string> = {
  ...cases,
  taskVariants: '- [x] ran `curl /chat/x`\n- [ ]\tnext /chat/y\n- [X] *done* /chat/z\n  more /chat/w\n- [ ] [link](/chat/l)\n1. [x]\n   /chat/n\n\n* [ ] a\n\n  - [x] nested /chat/v\n> - [ ] quoted /chat/q\n- not [x] /chat/t\n- [x]\n- [x] \n',
  strikeNested: 'Use ~~old `curl /chat/x` and **/chat/y**~~ then ~one~ /chatbox/x ~~~not~~~.\n\n| ~~/chat/a~~ | b |\n| --- | --- |\n',
  footnotes: 'Text[^1] and /chat/a.\n\n[^1]: Run `curl /chat/x`\n    and /chat/y.\n\n    ```sh\n    curl /chat/z\n    ```\n',
  yamlFrontMatter: '---\ntitle: /chat/x\nkey: value\n---\n\n# Run /chat/y\n',
  tomlFrontMatter: '+++\ntitle = "/chat/x"\n+++\nrun /chat/y\n',
  jsonFrontMatter: '{\n  "title": "/chat/x"\n}\n\nrun `curl /chat/y`\n',
  crlf: '# T\r\n\r\n```sh\r\ncurl /chat/x \\\r\n  -H a\r\n```\r\n\r\n- [x] /chat/y\r\n  ~~/chat/z~~\r\n',
  html: '<div>\n\n`curl /chat/x`\n\n</div>\n\n<details><summary>/chat/s</summary>\n\ncurl /chat/y\n</details>\n',
  definitions: '[a]: /chat/a "t"\n[b]:\n  <http://localhost/chat/b>\n\n[a] [b][] [c][a] [d]\n',
  // Needles a backslash escape or a character reference splits in the source, and code spans
  // (their backslashes stay) between needles outside them.
  escapes: 'Set API\\_KEY and `API\\_KEY` or [x](/ch\\at/x "t").\n\nThen API&#95;KEY, /ch&#97;t/y and a && b.\n\n```sh\ncurl x\n```\n',
  codeStretch: 'curl a `b` c `KEY` d.\n\n`image` x `y`\n\n```sh\ncurl x\n```\n'
}

for (const file of files) {
  test(`own tokens read as mdast: ${file}`, () => {
    const {tokens, mdast, reason} = own(readFileSync(path.join(root, file), 'utf8'))
    assert.ok(tokens, `tokens not read: ${reason}`)
    assert.equal(tokens, mdast)
  })
}

for (const [name, markdown] of Object.entries(ownCases)) {
  test(`own tokens read as mdast: ${name}`, () => {
    const {tokens, mdast, reason} = own(markdown)
    assert.ok(tokens, `tokens not read: ${reason}`)
    assert.equal(tokens, mdast, markdown)
  })
}

test('own tokens: the cases are not vacuous (task, strikethrough and footnote snippets are there)', () => {
  const values = (name: string) => (own(ownCases[name]).tokens as Array<{value: string}>).map((s) => s.value)
  assert.equal(values('taskVariants').slice(0, 3), ['ran ', 'curl /chat/x', 'next /chat/y'])
  assert.ok(values('strikeNested').includes('curl /chat/x'))
  assert.ok(values('footnotes').includes('curl /chat/z'))
})

test('the engine reads a text with a byte order mark alike without and with a tree', () => {
  const text = '\uFEFF# Run\n\n```sh\ncurl http://localhost:8080/chat/healthz\n```\n- [x] `curl http://localhost:8080/chat/x`\n'
  const config = path.join(root, 'examples/chatbox/docdrift.config.json')
  const fromText = lintMarkdown({text}, {config}).findings
  const fromTree = lintMarkdown({text, tree: parseMarkdown(text)}, {config}).findings
  assert.equal(fromText.length, 2)
  assert.equal(fromText, fromTree)
  assert.is(text.slice(fromText[0].start.offset, fromText[0].end.offset), fromText[0].actual)
})


/**
 * With needles, the command's tokens leave the inline content of needle-free paragraphs unread
 * (`tokenizeMarkdown`'s `skipInline`) until a block after one asks for it as context: the
 * snippets, contexts included, are still exactly the mdast ones, for several needle sets.
 */
const needleSets = [['chat'], ['curl', 'KEY', 'image'], ['http', 'x'], ['API_KEY', '/chat']]
function lazy(text: string, needles: string[]): {tokens?: unknown[]; mdast: unknown[]; held: number} {
  const keep = (value: string) => needles.some((needle) => value.includes(needle))
  const lines = new LineIndex(text)
  let held = 0
  const tokens = tokenizeMarkdown(text, (source) => {
    const skip = paragraphHoldsNothing(source, keep)
    if (skip) held++
    return skip
  })
  const fromTokens = extractSnippetsFromTokens({tokens, ownSyntax: true}, text, lines, keep)
  return {tokens: fromTokens && plain(fromTokens), mdast: plain(extractSnippets(parseMarkdown(text), text, lines, keep, {everyParagraph: true})), held}
}

test('the mdast reader passes over the same paragraphs and headings and gives the same snippets and contexts', () => {
  const texts = [...files.map((file) => readFileSync(path.join(root, file), 'utf8').replace(/^\uFEFF/, '')), ...Object.values(ownCases)]
  for (const text of texts) {
    for (const needles of needleSets) {
      const keep = (value: string) => needles.some((needle) => value.includes(needle))
      const tree = parseMarkdown(text)
      const lines = new LineIndex(text)
      assert.equal(plain(extractSnippets(tree, text, lines, keep)), plain(extractSnippets(tree, text, lines, keep, {everyParagraph: true})), `${needles.join(',')}: ${text.slice(0, 80)}`)
    }
  }
})

test('a paragraph holds nothing: inline code between its first and last backtick, text with escapes resolved, no character reference', () => {
  const inline = (value: string, lang: string) => lang === 'inline' && value.includes('KEY')
  assert.is(paragraphHoldsNothing('Set KEY then `a`.', inline), true)
  assert.is(paragraphHoldsNothing('Set `a` then `KEY`.', inline), false)
  assert.is(paragraphHoldsNothing('`KEY`', inline), false)
  assert.is(paragraphHoldsNothing('Set `a` KEY.', inline), true)
  const prose = (value: string, lang: string) => lang === 'prose' && value.includes('API_KEY')
  assert.is(paragraphHoldsNothing('Set API\\_KEY.', prose), false)
  assert.is(paragraphHoldsNothing('Set API&#95;KEY.', prose), false)
  assert.is(paragraphHoldsNothing('Set API-KEY && `x` \\\n more.', prose), true)
})

test('the mdast reader asks about a paragraph without a needle once per language, not about each of its pieces', () => {
  const text = '# Title *here*\n\nSome *emphasis* and **strong** and [a link](https://example.com/x) here.\n'
  const asked = (options?: {everyParagraph: boolean}) => {
    const values: string[] = []
    extractSnippets(parseMarkdown(text), text, new LineIndex(text), (value, lang) => (values.push(`${lang}:${value}`), value.includes('chat')), options)
    return values
  }
  assert.equal(asked(), ['prose:# Title *here*', 'url:# Title *here*', 'prose:Some *emphasis* and **strong** and [a link](https://example.com/x) here.', 'url:Some *emphasis* and **strong** and [a link](https://example.com/x) here.'])
  assert.equal(asked({everyParagraph: true}), ['prose:Title ', 'prose:here', 'prose:Some ', 'prose:emphasis', 'prose: and ', 'prose:strong', 'prose: and ', 'url:https://example.com/x', 'prose:a link', 'prose: here.'])
})

test('paragraphs whose inline content is read only when asked give the same snippets and contexts', () => {
  let held = 0
  const texts = [...files.map((file) => readFileSync(path.join(root, file), 'utf8').replace(/^\uFEFF/, '')), ...Object.values(ownCases)]
  for (const text of texts) {
    for (const needles of needleSets) {
      const result = lazy(text, needles)
      assert.ok(result.tokens, 'tokens read')
      assert.equal(result.tokens, result.mdast, `${needles.join(',')}: ${text.slice(0, 80)}`)
      held += result.held
    }
  }
  assert.ok(held > 100, `paragraphs held back: ${held}`)
})

test('a held paragraph read as context: the code block after it is introduced by its text', () => {
  const text = 'Intro *with* `code` and [a link](https://example.com).\n\n```sh\ncurl /chat/x\n```\n'
  const {tokens, mdast, held} = lazy(text, ['chat'])
  assert.is(held, 1)
  assert.equal(tokens, mdast)
  assert.is((tokens as Array<{context: {before?: string}}>)[0].context.before, 'Intro with code and a link.')
})

test.run()
