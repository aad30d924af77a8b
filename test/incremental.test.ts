/**
 * The language server's incremental parse (server/incremental.ts) gives exactly the tree a
 * full parse gives (every node, every position), edit after edit, including the edits that
 * change block structure: fences opened and closed, list and quote markers, definitions,
 * setext underlines, HTML, blank lines added and removed.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import docdrift from '../plugins/remark/index.js'
import {currentText, forget, incrementalParse, stats} from '../server/incremental.js'
import {read} from './helpers/lint.js'

const full = unified().use(remarkParse).use(docdrift).freeze()
const incremental = unified().use(remarkParse).use(docdrift).use(incrementalParse).freeze()

/** A seeded generator, so every run makes the same edits. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
}

const inserts = ['x', ' ', '\n', '\n\n', '```', '```bash\n', '~~~\n', '- ', '> ', '# ', '1. ', '    ', '|', '| a | b |\n|---|---|\n', '[docs]', '[docs]: https://example.com/docs\n\n', '[^1]', '<div>\n', '<!--', '-->', '---\n', '===\n', '`', '*', '/chat/healthz', 'openssl rand -base64 32']

function base(): string {
  const parts = ['examples/chatbox/README.md', 'examples/chatbox/deployments/kubernetes/README.md'].map(read)
  return (
    parts.join('\n\n') +
    '\n\nSee [the docs][docs] and the note[^1].\n\n[docs]: https://example.com/docs\n\n[^1]: A footnote with `curl http://localhost:8080/chat/healthz`.\n\n' +
    parts[0]
  )
}

test('edit after edit, the incremental tree equals a full parse', () => {
  const next = random(7)
  let text = base()
  assert.ok(text.length > 17 * 1024, 'large enough for the incremental path')
  const path = '/virtual/incremental.md'
  forget(path)
  const before = {...stats}
  const parse = (value: string) => incremental.parse(new VFile({path, value}))
  parse(text)
  for (let step = 0; step < 40; step++) {
    const lineStarts = [...text.matchAll(/\n/g)].map((m) => m.index! + 1)
    // Half the edits at a line start, where block structure changes.
    const at = next() < 0.5 ? lineStarts[Math.floor(next() * lineStarts.length)] : Math.floor(next() * text.length)
    if (next() < 0.3) {
      text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20))
    } else {
      text = text.slice(0, at) + inserts[Math.floor(next() * inserts.length)] + text.slice(at)
    }
    assert.equal(parse(text), full.parse(text), `step ${step}`)
  }
  assert.ok(stats.incremental - before.incremental > 20, `most edits took the incremental path (${stats.incremental - before.incremental})`)
  assert.ok(stats.full - before.full >= 2, 'some fell back to a full parse')
  forget(path)
})

test('a document with front matter, broken or not, is parsed whole', () => {
  const path = '/virtual/front-matter.md'
  forget(path)
  const before = stats.incremental
  let text = '---\ntitle: chatbox\n---\n\n' + base()
  for (const edit of [(t: string) => t.replace('title', 'name'), (t: string) => t.slice(0, 8) + t.slice(20), (t: string) => t.replace('Quick start', 'Quick  start')]) {
    text = edit(text)
    assert.equal(incremental.parse(new VFile({path, value: text})), full.parse(text))
  }
  assert.is(stats.incremental, before)
  forget(path)
})

test('an outdated text (the editor moved on) gets an empty tree; the current one a real one', () => {
  const path = '/virtual/outdated.md'
  currentText.set(path, '# Now\n')
  assert.equal(incremental.parse(new VFile({path, value: '# Before\n'})), {type: 'root', children: []})
  assert.is(incremental.parse(new VFile({path, value: '# Now\n'})).children.length, 1)
  forget(path)
  assert.is(incremental.parse(new VFile({path, value: '# Before\n'})).children.length, 1)
})

test('plugins that change the tree do not leak into the next parse', () => {
  const path = '/virtual/mutated.md'
  forget(path)
  const text = base()
  const tree = incremental.parse(new VFile({path, value: text}))
  tree.children.splice(3, 5)
  ;(tree.children[10] as {type: string}).type = 'changed'
  const edited = text.replace('Quick start', 'Quick  start')
  assert.equal(incremental.parse(new VFile({path, value: edited})), full.parse(edited))
  forget(path)
})

test.run()
