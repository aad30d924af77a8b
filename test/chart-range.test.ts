/**
 * Chart ranges as Helm reads them (core/facts/installs.ts `withinRange`), for a `Chart.lock`
 * that pins a `Chart.yaml` dependency: the rule fixtures (`*-chart-lock.md`) show the findings.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {rangeHolds, withinRange} from '../core/facts/installs.js'

test('versions within a range', () => {
  const within: [string, string][] = [
    ['18.1.6', '^18.1.0'], ['v1.16.2', '~1.16'], ['2.47.0', '~> 2.47'], ['7.2.4', '7.x'], ['0.14.0', '>= 0.12.0, < 1.0.0'],
    ['2.27.0', '*'], ['4.11.3', '4.10 - 4.11'], ['6.7.1', '^0.2.1 || ^6.7.0'], ['0.2.9', '^0.2.1'], ['1.2.3', '1.2.3'],
    ['1.3.0', '>1.2'], ['1.2.9', '<=1.2'], ['1.5.0', '!=1.4'], ['1.2.4', '>=1.2 <2'], ['1.0.0', '=>1'], ['1.2.3+build.4', '1.2.x']
  ]
  for (const [version, range] of within) assert.ok(withinRange(version, range), `${version} is within ${range}`)
})

test('versions outside a range, and what is not read', () => {
  const outside: [string, string][] = [
    ['1.17.0', '~1.16'], ['19.0.0', '^18.1.0'], ['0.3.0', '^0.2.1'], ['0.0.4', '^0.0.3'], ['1.2.9', '>1.2'], ['1.3.0', '<=1.2'],
    ['1.4.2', '!=1.4'], ['2.0.0', '>=1.2 <2'], ['4.12.0', '4.10 - 4.11'], ['1.2.4', '1.2.3'],
    // A prerelease on either side, a version not written in full, and what is no range.
    ['6.8.0-rc.1', '^6.7.0'], ['6.8.0', '^6.8.0-rc.1'], ['6.8', '^6.7.0'], ['1.2.3', 'latest'], ['1.2.3', '{{ .Values.version }}'], ['1.2.3', '']
  ]
  for (const [version, range] of outside) assert.not.ok(withinRange(version, range), `${version} is not within ${range}`)
})

test('a release outside a range, told apart from what is not read', () => {
  const outside: [string, string][] = [['1.17.0', '~1.16'], ['5.2.0', '>=5.0.0 <5.2.0'], ['1.3.0', '1.2.x || ^1.4'], ['2.0.0', '1.x-beta >=3']]
  for (const [version, range] of outside) assert.is(rangeHolds(version, range), false, `${version} is outside ${range}`)
  const unread: [string, string][] = [['6.8.0-rc.1', '^6.7.0'], ['6.8', '^6.7.0'], ['1.3.0', '1.2.x || 1.x-beta'], ['1.2.3', 'latest'], ['1.2.3', '']]
  for (const [version, range] of unread) assert.is(rangeHolds(version, range), undefined, `${version} in ${range} is not read`)
  assert.is(rangeHolds('1.2.4', '1.2.x || 1.x-beta'), true)
})

test.run()
