/**
 * Go template actions (core/facts/gotemplate.ts) and the Sprig functions of the generator model
 * (core/facts/generators.ts, `TEMPLATE_FUNCTIONS`).
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {renderedWhenUnset, templateAction, templateBranch, templateScope, templateYaml, type TplScope} from '../core/facts/gotemplate.js'
import {analyzePipeline, render, suggest, type Stage} from '../core/facts/generators.js'

const sprig = (line: string): Stage[] =>
  line.split('|').map((part) => {
    const [name, ...args] = part.trim().split(/\s+/)
    return {name, args, template: true}
  })

function exact(line: string) {
  const analysis = analyzePipeline(sprig(line))
  assert.is(analysis.status, 'exact', line)
  return analysis.status === 'exact' ? analysis.output : undefined!
}

/** What an action renders unset, as text: stage names and where each is written, or the fallback. */
function rendered(value: string, scope: TplScope = new Map(), text = value): string | undefined {
  const base = text.length - value.length
  const pipeline = templateAction(value, base) ?? templateBranch(value, base, scope)
  const result = pipeline && renderedWhenUnset(pipeline, scope)
  value = text
  if (!result) return undefined
  if (result.kind === 'fallback') return `fallback ${JSON.stringify(result.value)} of ${result.subject} at ${value.slice(result.start, result.end)} then [${result.after.join(' ')}]`
  if (result.kind === 'kept') return `kept ${JSON.stringify(result.value)} of ${result.subject} at ${value.slice(result.start, result.end)}${result.wrap ? ' wrapped' : ''} then [${result.inner.join(' ')}] [${result.after.join(' ')}]`
  return result.stages.map((s) => `${render([s.stage])} @${value.slice(s.start, s.end).trim()}`).join(', ')
}

test('an action parses as a pipeline, with trim markers, quotes and parentheses', () => {
  assert.is(rendered('{{ randAlphaNum 44 | b64enc | quote }}'), 'randAlphaNum 44 @randAlphaNum 44, b64enc @b64enc, quote @quote')
  assert.is(rendered('{{- randAlphaNum 32 -}}'), 'randAlphaNum 32 @randAlphaNum 32')
  assert.is(rendered('  {{randBytes 32}}  '), 'randBytes 32 @randBytes 32')
  // The function's place ends before its parenthesised argument.
  assert.is(rendered('{{ b64enc (randAlphaNum 44) }}'), 'randAlphaNum 44 @randAlphaNum 44, b64enc @b64enc')
  assert.is(rendered('{{ .Values.key | default (randAlphaNum 16) | b64enc }}'), 'randAlphaNum 16 @randAlphaNum 16, b64enc @b64enc')
  assert.is(rendered('{{ randAlphaNum 64 | sha256sum | trunc 32 }}'), 'randAlphaNum 64 @randAlphaNum 64, sha256sum @sha256sum, trunc 32 @trunc 32')
})

test('a literal default is the fallback of the value it stands for', () => {
  assert.is(rendered('{{ .Values.jwtSecret | default "changeme" | quote }}'), 'fallback "changeme" of .Values.jwtSecret at default "changeme" then [quote]')
  assert.is(rendered('{{ default "hunter22" .Values.db.password }}'), 'fallback "hunter22" of .Values.db.password at default "hunter22" then []')
  assert.is(rendered('{{ $.Values.key | default `raw\\n` }}'), 'fallback "raw\\\\n" of $.Values.key at default `raw\\n` then []')
  assert.is(rendered('{{ .Values.key | default "a\\"b" }}'), 'fallback "a\\"b" of .Values.key at default "a\\"b" then []')
  // A value given (not a reference) wins over the default.
  assert.is(rendered('{{ default "changeme" (randAlphaNum 32) }}'), 'randAlphaNum 32 @randAlphaNum 32')
})

test('a literal default after lookup is kept: written on first install, found on every upgrade', () => {
  const lookup = '(lookup "v1" "Secret" .Release.Namespace "chatbox")'
  assert.is(rendered(`{{ ${lookup}.data.key | default "changeme" }}`), 'kept "changeme" of .data.key at "changeme" wrapped then [] []')
  assert.is(rendered(`{{ ${lookup}.data.key | default ("changeme" | b64enc) | quote }}`), 'kept "changeme" of .data.key at "changeme" | b64enc then [b64enc] [b64enc quote]')
  assert.is(rendered(`{{ index ${lookup}.data "jwt-secret" | default (b64enc "changeme") }}`), 'kept "changeme" of index at b64enc "changeme" then [b64enc] [b64enc]')
  const scope = templateScope('{{- $existing := lookup "v1" "Secret" "ns" "chatbox" -}}')
  assert.is(rendered('{{ index $existing.data "jwt-secret" | default "Y2hhbmdlbWU=" | quote }}', scope), 'kept "Y2hhbmdlbWU=" of index at "Y2hhbmdlbWU=" wrapped then [] [quote]')
  // The branch a conditional takes when lookup finds nothing, a last `quote` left out of its range.
  assert.is(rendered('{{ if $existing }}{{ $existing.data.key }}{{ else }}{{ "changeme" | b64enc | quote }}{{ end }}', scope), 'kept "changeme" of lookup at "changeme" | b64enc then [b64enc] [b64enc quote]')
  assert.is(rendered('{{ if not $existing }}{{ "changeme" }}{{ end }}', scope), 'kept "changeme" of lookup at "changeme" then [] []')
  assert.is(rendered('{{ if .Values.x }}{{ .Values.x }}{{ else }}{{ "changeme" }}{{ end }}'), undefined)
  // Decoded, what lookup does not find is still empty.
  assert.is(rendered(`{{ ${lookup}.data.key | b64dec | default "changeme" | quote }}`), 'kept "changeme" of .data.key at "changeme" wrapped then [] [quote]')
  assert.is(rendered(`{{ ${lookup}.data.key | quote | default "changeme" }}`), undefined)
  // After a chart value, a literal with functions applied is not read as a fallback.
  assert.is(rendered('{{ .Values.key | default ("changeme" | b64enc) }}'), undefined)
})

test('references, other functions and control flow render nothing known', () => {
  for (const value of [
    '{{ .Values.jwtSecret }}',
    '{{ .Values.jwtSecret | b64enc | quote }}',
    '{{ required "set it" .Values.jwtSecret }}',
    '{{ .Values.jwtSecret | required "set it" | default "x" }}',
    '{{ (lookup "v1" "Secret" "ns" "name").data.key }}',
    '{{ include "chart.secret" . }}',
    '{{ if .Values.x }}a{{ end }}',
    '{{ $x := randAlphaNum 8 }}',
    '{{ randAlphaNum 8 }}{{ randAlphaNum 8 }}',
    'prefix-{{ randAlphaNum 8 }}',
    '{{ randAlphaNum }}',
    '{{ randAlphaNum .Values.length }}',
    '{{ randAlphaNum 8 | randAlphaNum 8 }}',
    '{{ /* comment */ }}',
    '{{ "unterminated }}',
    '{{ (randAlphaNum 8 }}',
    '{{ }}',
    '{{ randAlphaNum 8 | }}'
  ]) {
    assert.is(rendered(value), undefined, value)
  }
})

test('what lookup finds on first install is unset: the default after it is what renders', () => {
  const lookup = '(lookup "v1" "Secret" .Release.Namespace "chatbox")'
  assert.is(rendered(`{{ ${lookup}.data.key | default (randAlphaNum 32 | b64enc) | quote }}`), 'randAlphaNum 32 @randAlphaNum 32, b64enc @b64enc, quote @quote')
  assert.is(rendered(`{{ index ${lookup}.data "jwt-secret" | default (randAlphaNum 16) }}`), 'randAlphaNum 16 @randAlphaNum 16')
  assert.is(rendered(`{{ get (${lookup} | default dict) "data" | default (randAlphaNum 8) }}`), 'randAlphaNum 8 @randAlphaNum 8')
  // A field needs no space.
  assert.is(rendered(`{{ ${lookup} .data.key | default (randAlphaNum 8) }}`), undefined)
  assert.is(rendered(`{{ lookup "v1" "Secret" | default (randAlphaNum 8) }}`), undefined)
  assert.is(rendered(`{{ (randAlphaNum 8).data | default (randAlphaNum 8) }}`), undefined)
})

test('a conditional value is the branch taken when what it tests is unset', () => {
  assert.is(rendered('{{ if .Values.key }}{{ .Values.key }}{{ else }}{{ randAlphaNum 8 }}{{ end }}'), 'randAlphaNum 8 @randAlphaNum 8')
  assert.is(rendered('{{- if not .Values.key -}} {{ randAlphaNum 8 | b64enc }} {{- end }}'), 'randAlphaNum 8 @randAlphaNum 8, b64enc @b64enc')
  for (const value of [
    '{{ if .Values.key }}{{ randAlphaNum 8 }}{{ end }}',
    '{{ if .Values.key }}{{ .Values.key }}{{ else }}x{{ randAlphaNum 8 }}{{ end }}',
    '{{ if .Values.key }}{{ .Values.key }}{{ else }}{{ randAlphaNum 8 }}{{ randAlphaNum 8 }}{{ end }}',
    '{{ if eq .Values.key "a" }}{{ .Values.key }}{{ else }}{{ randAlphaNum 8 }}{{ end }}',
    '{{ with .Values.key }}{{ . }}{{ else }}{{ randAlphaNum 8 }}{{ end }}',
    '{{ if .Values.key }}{{ .Values.key }}{{ else }}{{ randAlphaNum 8 }}',
    '{{ if .Values.a }}{{ if .Values.b }}{{ end }}{{ else }}{{ randAlphaNum 8 }}{{ end }}'
  ]) {
    assert.is(rendered(value), undefined, value)
  }
})

test("a variable is its one definition's value", () => {
  const text = [
    '{{- $existing := lookup "v1" "Secret" .Release.Namespace "chatbox" -}}',
    '{{- $jwt := randAlphaNum 16 -}}',
    '{{- $twice := randAlphaNum 8 -}}',
    '{{ $redefined := randAlphaNum 8 }}{{ $redefined := randAlphaNum 9 }}{{ $assigned := randAlphaNum 8 }}{{ $assigned = "x" }}',
    '{{ $values := .Values.a }}{{ $values := .Values.b }}',
    '{{ $self := $self | default (randAlphaNum 8) }}{{ $auth := .Values.auth }}',
    'a: {{ $twice }}',
    'b: {{ $twice }}',
    'c: '
  ].join('\n')
  const at = (value: string) => rendered(value, templateScope(text + value), text + value)
  assert.is(at('{{ $existing.data.key | default (randAlphaNum 32) }}'), 'randAlphaNum 32 @randAlphaNum 32')
  assert.is(at('{{ if $existing }}{{ $existing.data.key }}{{ else }}{{ randAlphaNum 32 }}{{ end }}'), 'randAlphaNum 32 @randAlphaNum 32')
  // The generator is placed where the variable is defined, the stages after it where it is used.
  assert.is(at('{{ $jwt | b64enc }}'), 'randAlphaNum 16 @randAlphaNum 16, b64enc @b64enc')
  assert.is(at('{{ $auth.jwt | default "changeme" }}'), 'fallback "changeme" of .Values.auth.jwt at default "changeme" then []')
  assert.is(at('{{ $existing.data.key | default "changeme" }}'), 'kept "changeme" of $existing.data.key at "changeme" wrapped then [] []')
  for (const value of ['{{ $twice }}', '{{ $redefined }}', '{{ $assigned }}', '{{ $self }}', '{{ $jwt.data | default (randAlphaNum 8) }}', '{{ $values.key | default "x" }}']) {
    assert.is(at(value), undefined, value)
  }
  // A variable the block does not define is a value from elsewhere, as before.
  assert.is(at('{{ $other.key | default "changeme" }}'), 'fallback "changeme" of $other.key at default "changeme" then []')
})

test('a chart template as YAML: lines of actions blanked, several actions as one', () => {
  const text = '{{- $x := lookup "v1" "Secret" "ns" "n" -}}\ndata:\n  {{- if $x }}\n  a: {{ if $x }}{{ $x.data.a }}{{ else }}{{ randAlphaNum 8 }}{{ end }}\n  b: {{ randAlphaNum 8 }}\n  c: "{{ a }}{{ b }}"\n'
  const yaml = templateYaml(text)
  const value = '{{ if $x }}{{ $x.data.a }}{{ else }}{{ randAlphaNum 8 }}{{ end }}'
  assert.is(yaml, `${' '.repeat(43)}\ndata:\n${' '.repeat(14)}\n  a: {{${' '.repeat(value.length - 4)}}}\n  b: {{ randAlphaNum 8 }}\n  c: "{{ a }}{{ b }}"\n`)
})

test('ranges are offset into the text the action sits in', () => {
  const text = 'KEY: {{ randAlphaNum 44 | b64enc }}'
  const pipeline = templateAction(text.slice(5), 5)!
  assert.is(text.slice(pipeline.start, pipeline.end), 'randAlphaNum 44 | b64enc')
  assert.is(text.slice(pipeline.commands[0].start, pipeline.commands[0].end), 'randAlphaNum 44')
})

test('Sprig generators: lengths, alphabets and bits', () => {
  const alnum = exact('randAlphaNum 32')
  assert.equal([alnum.chars, alnum.alphabet, Math.floor(alnum.bits), alnum.trailingNewline], [32, 'alnum', 190, false])
  assert.equal([exact('randAlpha 8').chars, Math.floor(exact('randAlpha 8').bits)], [8, 45])
  assert.equal([exact('randNumeric 6').alphabet, Math.floor(exact('randNumeric 6').bits)], ['decimal', 19])
  assert.equal([exact('randAscii 24').chars, Math.floor(exact('randAscii 24').bits)], [24, 157])
  const bytes = exact('randBytes 32')
  assert.equal([bytes.chars, bytes.alphabet, bytes.padding, bytes.bits, bytes.randomBytes], [44, 'base64', 1, 256, 32])
  assert.equal([exact('uuidv4').chars, exact('uuidv4').alphabet, exact('uuidv4').bits], [36, 'uuid', 122])
})

test('Sprig transforms', () => {
  assert.equal([exact('randAlphaNum 32 | b64enc').chars, exact('randAlphaNum 32 | b64enc').alphabet], [44, 'base64'])
  assert.equal([exact('randBytes 32 | b64dec').chars, exact('randBytes 32 | b64dec').alphabet, exact('randBytes 32 | b64dec').bits], [32, 'binary', 256])
  assert.equal([exact('randAlphaNum 8 | sha256sum').chars, exact('randAlphaNum 8 | sha256sum').alphabet, Math.floor(exact('randAlphaNum 8 | sha256sum').bits)], [64, 'hex', 47])
  assert.equal([exact('randAlphaNum 64 | sha1sum').chars, exact('randAlphaNum 64 | sha1sum').bits], [40, 160])
  assert.is(exact('randAlphaNum 32 | quote').chars, 34)
  assert.is(exact('randAscii 8 | squote').chars, 10)
  assert.is(exact('randAlphaNum 32 | trunc 10').chars, 10)
  assert.is(exact('randAlphaNum 32 | trunc -10').chars, 10)
  assert.is(exact('randAlphaNum 8 | trunc 10').chars, 8)
  assert.is(exact('randAlphaNum 32 | trim | toString').chars, 32)
  // 52 letters fold onto 26: log2(26) bits each.
  assert.is(Math.floor(exact('randAlpha 10 | upper').bits), 47)
  assert.is(exact('randAlphaNum 10 | lower').charset, '0123456789abcdefghijklmnopqrstuvwxyz')
  // Lengths that depend on chance, or input that is not base64, are not exact.
  assert.is(analyzePipeline(sprig('randAscii 8 | trim')).status, 'unknown')
  assert.is(analyzePipeline(sprig('randAscii 8 | quote')).status, 'unknown')
  assert.is(analyzePipeline(sprig('randAlphaNum 30 | b64dec')).status, 'unknown')
  assert.is(analyzePipeline(sprig('randAscii 32 | b64dec')).status, 'unknown')
  assert.is(analyzePipeline(sprig('b64enc')).status, 'unknown')
  // A shell command of the same name is not a template function, nor the other way round.
  assert.is(analyzePipeline([{name: 'randAlphaNum', args: ['32']}]).status, 'unknown')
  assert.is(analyzePipeline([{name: 'openssl', args: ['rand', '-hex', '16'], template: true}]).status, 'unknown')
})

test('suggestions for a Sprig pipeline stay Sprig', () => {
  assert.is(suggest(sprig('randAlphaNum 44'), {bytes: 32, decode: 'none'})?.command, 'randAlphaNum 32')
  assert.is(suggest(sprig('randAlphaNum 32'), {bytes: 32, decode: 'base64'})?.command, 'randBytes 32')
  assert.is(suggest(sprig('uuidv4'), {minBytes: 32, decode: 'none'})?.command, 'uuidv4')
  assert.is(suggest(sprig('uuidv4'), {bytes: 32, decode: 'none'})?.command, 'randAlphaNum 32')
  assert.is(suggest(sprig('randNumeric 6'), {bytes: 16, decode: 'hex'})?.command, 'randAlphaNum 64 | sha256sum | trunc 32')
  assert.is(render(sprig('randAlphaNum 32 | b64enc')), 'randAlphaNum 32 | b64enc')
})

test.run()
