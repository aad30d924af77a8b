/**
 * The small tokenizers of core/facts/formats.ts, at their edges: what they read, where, and what
 * they pass over. The rule fixtures show the findings; these pin the offsets.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {traefikRulePaths} from '../core/facts/formats.js'

const paths = (rule: string) => traefikRulePaths(rule).map((t) => [t.text, t.start, t.end, rule.slice(t.start, t.end)])

test('Traefik rules: the paths of Path and PathPrefix, in backticks or double quotes, at their offsets', () => {
  assert.equal(paths('Host(`chat.example.com`) && PathPrefix(`/chat`)'), [['/chat', 40, 45, '/chat']])
  assert.equal(paths('PathPrefix(`/a`, "/b") || !Path( `/c` )'), [['/a', 12, 14, '/a'], ['/b', 18, 20, '/b'], ['/c', 34, 36, '/c']])
  assert.equal(paths('(Path(`/x`) && (Method(`GET`) || PathPrefix(`/y`)))'), [['/x', 7, 9, '/x'], ['/y', 45, 47, '/y']])
  assert.equal(paths('traefik.http.routers.chatbox.rule=PathPrefix(`/chat`)'), [['/chat', 46, 51, '/chat']])
})

test('Traefik rules: regular expressions, other matchers, look-alikes and broken strings are passed over', () => {
  assert.equal(paths('PathRegexp(`^/chat/.*`) && Host(`/chat`) && HeadersRegexp(`X`, `/chat`)'), [])
  assert.equal(paths('MyPathPrefix(`/chat`) && PathPrefixes(`/chat`)'), [])
  assert.equal(paths('PathPrefix(`chat`)'), [], 'not a path')
  assert.equal(paths('PathPrefix(`/chat'), [], 'unclosed')
  assert.equal(paths('PathPrefix("/ch\\\\at")'), [], 'an escape would shift the offsets')
  // A string outside a call is skipped whole: the `PathPrefix(` inside it is not a matcher.
  assert.equal(paths('Host(`PathPrefix(`) && Path(`/ok`)'), [['/ok', 29, 32, '/ok']])
})

test.run()
