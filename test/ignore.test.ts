/**
 * core/ignore.ts, the ignore-file lookup that the command's discovery and the language server
 * share: `skips` (the server's question about one file) agrees with what `discover` finds, and
 * the cache sees changes after `refresh()` only.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {discover} from '../cli/discover.js'
import {Ignorer} from '../core/ignore.js'

/** A temp folder with these files (`name → text`). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-ignore-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

test('skips(root, file) is true exactly for the Markdown files that discover(root) does not find', async () => {
  const files = {
    '.docdriftignore': 'drafts\n*.draft.md\n!keep.draft.md\nguides/old/\n',
    'a.md': '',
    'c.draft.md': '',
    'keep.draft.md': '',
    // The folder is listed above; its own ignore file (nearest for its files) does not list them.
    'drafts/.docdriftignore': 'nothing-here.md\n',
    'drafts/b.md': '',
    'guides/d.md': '',
    'guides/old/e.md': '',
    'guides/.remarkignore': 'f.md\n',
    'guides/f.md': '',
    'guides/deep/.docdriftignore': '/g.md\n',
    'guides/deep/g.md': '',
    'guides/deep/h/g.md': ''
  }
  const dir = tree(files)
  try {
    const found = new Set((await discover(['.'], {cwd: dir})).files)
    const ignorer = new Ignorer({cwd: dir})
    const skipped = Object.keys(files)
      .filter((name) => name.endsWith('.md'))
      .filter((name) => ignorer.skips(dir, path.join(dir, name)))
    assert.equal(skipped, ['c.draft.md', 'drafts/b.md', 'guides/old/e.md', 'guides/f.md', 'guides/deep/g.md'])
    for (const name of Object.keys(files).filter((n) => n.endsWith('.md'))) {
      assert.is(found.has(path.join(dir, name)), !skipped.includes(name), name)
    }
    // Outside the root, or the root itself: not a question of this root.
    assert.is(ignorer.skips(path.join(dir, 'guides'), path.join(dir, 'c.draft.md')), false)
    assert.is(ignorer.skips(dir, dir), false)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('the parsed files are kept until refresh(); then a changed, new or removed ignore file counts', () => {
  const dir = tree({'.docdriftignore': 'a.md\n', 'a.md': '', 'sub/b.md': ''})
  try {
    const ignorer = new Ignorer({cwd: dir})
    const a = path.join(dir, 'a.md')
    const b = path.join(dir, 'sub/b.md')
    assert.equal([ignorer.skips(dir, a), ignorer.skips(dir, b)], [true, false])
    writeFileSync(path.join(dir, '.docdriftignore'), 'sub/\n')
    writeFileSync(path.join(dir, 'sub/.docdriftignore'), '')
    assert.equal([ignorer.skips(dir, a), ignorer.skips(dir, b)], [true, false], 'one view until refresh()')
    ignorer.refresh()
    assert.equal([ignorer.skips(dir, a), ignorer.skips(dir, b)], [false, true], 'the folder is listed above')
    writeFileSync(path.join(dir, 'sub/.docdriftignore'), 'b.md\n')
    writeFileSync(path.join(dir, '.docdriftignore'), '')
    ignorer.refresh()
    assert.equal([ignorer.skips(dir, a), ignorer.skips(dir, b)], [false, true], 'the nearer file lists it')
    rmSync(path.join(dir, 'sub/.docdriftignore'))
    ignorer.refresh()
    assert.equal([ignorer.skips(dir, a), ignorer.skips(dir, b)], [false, false], 'the nearer file is gone')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('an ignore file that cannot be read is reported once, skipped as if absent, and read again once it changes', () => {
  const dir = tree({'.docdriftignore': '*.draft.md\n', 'sub/x.draft.md': '', 'sub/y.md': ''})
  try {
    const broken = path.join(dir, 'sub/.docdriftignore')
    mkdirSync(broken)
    const reports: string[] = []
    const ignorer = new Ignorer({cwd: dir, onUnreadable: (file, error) => reports.push(`${file} ${error.code}`)})
    const x = path.join(dir, 'sub/x.draft.md')
    const y = path.join(dir, 'sub/y.md')
    for (let round = 0; round < 3; round++) {
      ignorer.refresh()
      assert.equal([ignorer.skips(dir, x), ignorer.skips(dir, y)], [true, false])
    }
    assert.equal(reports, [`${broken} EISDIR`])
    rmSync(broken, {recursive: true})
    writeFileSync(broken, 'y.md\n')
    ignorer.refresh()
    assert.equal([ignorer.skips(dir, x), ignorer.skips(dir, y)], [false, true])
    assert.is(reports.length, 1)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test.run()
