/**
 * No vacuous passes: `docdrift --facts` prints each config fact, where it came from and how often
 * the docs were checked against it; a normal run warns about facts the docs never used.
 */
import {writeFileSync, mkdtempSync, cpSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {cli} from './helpers/cli.js'
import {root} from './helpers/lint.js'

test('--facts lists each fact with its source and counts, instead of the findings', async () => {
  const {code, stdout, stderr} = await cli(['examples/chatbox', '--facts'])
  assert.is(code, 1, 'the exit code still reflects the findings')
  assert.is(stderr, '')
  const lines = stdout.split('\n')
  assert.is(lines[0], 'examples/chatbox/docdrift.config.json')
  const row = (fact: string) => lines.find((l) => l.trim().split(/\s{2,}/)[1] === fact)?.trim().split(/\s{2,}/)
  assert.equal(row('/chatbox'), ['prefix', '/chatbox', 'config.toml chatbox.path_prefix', '50', '11'])
  assert.equal(row('/chat'), ['stale-prefix', '/chat', 'docdrift.config.json routes.stalePrefixes[0]', '50', '30'])
  assert.equal(row('/healthz'), ['route', '/healthz', 'docdrift.config.json routes.paths[5]', '11', '11'])
  assert.equal(row('ENCRYPTION_KEY'), ['secret', 'ENCRYPTION_KEY', 'docdrift.config.json secrets.ENCRYPTION_KEY', '23', '23'])
  assert.not.match(stdout, /stale-route +remark-lint|uses the stale prefix/, 'no findings report')
})

test('--facts --format json is machine-readable', async () => {
  const {stdout} = await cli(['examples/chatbox', '--facts', '--format', 'json'])
  const [config] = JSON.parse(stdout)
  assert.is(config.config, 'examples/chatbox/docdrift.config.json')
  assert.equal(config.facts.find((f: {key: string}) => f.key === 'route:/ws'), {
    key: 'route:/ws', kind: 'route', fact: '/ws', source: {file: 'docdrift.config.json', key: 'routes.paths[0]'}, checked: 7, matched: 7
  })
})

test('a fact the docs never used is a warning in the summary; a clean tree with every fact used gets none', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-facts-'))
  try {
    cpSync(path.join(root, 'examples/chatbox-fixed'), dir, {recursive: true})
    const clean = await cli(['.'], {cwd: dir})
    assert.is(clean.code, 0)
    assert.is(clean.stderr, '')
    // A route with a typo in the config matches nothing anywhere: say so, without failing the run.
    const config = JSON.parse(JSON.stringify(await import(path.join(dir, 'docdrift.config.json'), {with: {type: 'json'}}).then((m) => m.default)))
    config.routes.paths.push('/admin/sesions')
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(config))
    const vacuous = await cli(['.'], {cwd: dir})
    assert.is(vacuous.code, 0)
    assert.is(vacuous.stderr, 'docdrift: warning: 1 config fact never used by the linted docs: route `/admin/sesions` (docdrift.config.json `routes.paths[7]`); run with `--facts` to see them all\n')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test.run()
