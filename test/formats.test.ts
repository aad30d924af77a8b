/**
 * The small tokenizers of core/facts/formats.ts, at their edges: what they read, where, and what
 * they pass over. The rule fixtures show the findings; these pin the offsets.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {caddyDirectives, nginxDirectives, traefikRulePaths} from '../core/facts/formats.js'

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

const directives = (list: ReturnType<typeof caddyDirectives>) => list.map((d) => [d.name.text, ...d.args.map((a) => `${a.text}@${a.start}`)])

test('Caddyfile: a directive per line; a lone brace opens or closes a block, a placeholder is part of its word', () => {
  const text = 'site {\n  rewrite * /x{uri} # comment\n  respond "a \\"b\\"" `c\\` 200\n}\n@m path /a /b\nrespond {path} 200'
  assert.equal(directives(caddyDirectives(text)), [
    ['site'],
    ['rewrite', '*@17', '/x{uri}@19'],
    ['respond', 'a \\"b\\"@48', 'c\\@58', '200@62'],
    ['@m', 'path@71', '/a@76', '/b@79'],
    ['respond', '{path}@90', '200@97']
  ])
})

test('nginx: directives end at `;` or a brace, across lines', () => {
  assert.equal(directives(nginxDirectives('location /a/ {\n  proxy_pass\n    http://b/;  # c\n}')), [['location', '/a/@9'], ['proxy_pass', 'http://b/@32']])
})

test.run()
