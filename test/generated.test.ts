/** Generated files (rule entry files, doc headers, README table and output) are up to date. */
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {root} from './helpers/lint.js'

test('scripts/generate.js --check finds nothing stale', () => {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/generate.js'), '--check'], {cwd: root, encoding: 'utf8'})
  assert.is(result.stdout, '', 'run `node scripts/generate.js` and commit the result')
  assert.is(result.status, 0)
})

test.run()
