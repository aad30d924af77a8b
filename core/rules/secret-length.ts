/**
 * secret-length: a command that generates a secret must print a value the service accepts.
 * The generator model predicts the output (length, alphabet, entropy); the config says what
 * the secret must be (exact/min/max bytes after the app's decode step).
 */
import type {GenUse, Target} from '../facts/types.js'
import {meets, render, suggestForAll, swapNumbers, valueBytes, type GeneratorOutput} from '../facts/generators.js'
import {producerNeedles} from '../facts/collect.js'
import {dotnetOutput, withByteCount} from '../facts/powershell.js'
import {resizedExpression} from '../facts/python.js'
import {suggestedSize} from '../facts/terraform-random.js'
import type {SecretConstraint} from '../types.js'
import {cite, commandLangs, type Rule} from './types.js'
import {resolveTargets, secretSpellings, secretsByName, secretsReached, spelledAs} from './targets.js'

export const secretLength: Rule = {
  meta: {
    id: 'secret-length',
    description: 'Commands that generate a configured secret print a value of the length the service requires',
    tags: ['secrets'],
    severity: 'error',
    fixable: 'safe'
  },
  // PowerShell blocks are `code`: their assignments are read too (core/facts/powershell.ts).
  langs: [...commandLangs, 'code'],
  needles(config) {
    const secrets = Object.values(config.secrets)
    if (secrets.length === 0) return []
    // A generator or weak source, or a secret's name (where a generated value flows into it).
    return [...producerNeedles, ...secrets.flatMap(secretSpellings)]
  },
  check({config, facts, report, use}) {
    const secrets = Object.values(config.secrets)
    if (secrets.length === 0) return
    const byName = secretsByName(config.secrets)
    resolveTargets(facts, secrets)
    for (const gen of facts.generators) {
      for (const target of gen.targets) {
        const secret = byName.get(target.name)
        if (secret) use(`secret:${secret.name}`, true)
        if (!secret || (!gen.unencoded && meets(gen.output, asStored(secret, target)))) continue
        reportGen(gen, target, secret)
        break
      }
    }

    function reportGen(gen: GenUse, target: Target, secret: SecretConstraint) {
      // The fixed value goes wherever this one flows: it must fit every configured secret there.
      const constraints = [...new Set([secret, ...secretsReached(gen, byName)])].map((s) => asStored(s, target))
      let fix = suggestForAll(gen.stages, constraints)
      if (gen.resource) {
        resource(gen, target, secret, fix)
        return
      }
      const actual = gen.snippet.value.slice(gen.start, gen.printEnd)
      // Keep the author's spelling (quotes, spacing) when only a size changes: a safe fix. A
      // PowerShell expression keeps its own form, with the byte count of the equivalent command
      // (a byte array's size where it is made); a Python expression its own, resized
      // (`secrets.token_hex(16)`), or no command at all.
      const powershell = gen.snippet.dialect === 'powershell'
      const program = powershell || gen.snippet.dialect === 'python' || gen.snippet.dialect === 'javascript'
      const renumbered = !fix ? undefined
        : powershell ? withByteCount(gen, actual, fix.output.randomBytes)
        : program ? resizedExpression(actual, gen.stages, fix.command)
        : renumber(actual, render(gen.stages), fix.command)
      // Another PowerShell generator (`New-Guid`) is replaced by .NET's cryptographic one: offered.
      const dotnet = powershell && renumbered === undefined ? dotnetFor(fix?.output, constraints) : undefined
      if (dotnet) fix = dotnet
      // A Go template generator written otherwise than as the model renders it (`b64enc
      // (randAlphaNum 32)`, a `default (…)` around it) takes only a new size.
      const written = !gen.stages[0].template || actual.replace(/\s+/g, ' ') === render(gen.stages)
      const command = renumbered ?? (dotnet?.command ?? (program || !written ? undefined : fix?.command))
      const via = target.via ? ` (set from \`${program && !powershell ? '' : '$'}${target.via}\`)`
        : target.reads ? ` (the default of \`${target.reads}\`)` : ''
      const why = secret.why ? ` (${secret.why})` : ''
      const use = fix && command ? `; use \`${command}\` (${describe(fix.output, secret.decode)}, ${Math.floor(fix.output.bits)} bits)` : ''
      // Piped into a secret store or written to a file, the value keeps the command's trailing
      // newline: unless the config says whether the service trims it, the fix is offered, not applied.
      const piped = target.how === 'pipe' && gen.output.trailingNewline && secret.newline === undefined
      const kept = target.how === 'pipe' && gen.output.trailingNewline && secret.newline === 'kept'
      if (gen.unencoded) {
        unencoded(gen, secret, target, command && `${command} | b64enc`, fix?.output, renumbered !== undefined)
        return
      }
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${gen.shown ?? actual}\` ${prints(gen.output, secret.decode)}${kept ? ' and a newline the service keeps' : ''}, but \`${secret.name}\`${spelledAs(target.name, secret)}${via} must be ${requirement(secret)}${why}${use}`,
        expected: command,
        safety: renumbered === undefined || piped ? 'suggestion' : 'safe',
        note: `\`${secret.name}\` must be ${requirement(secret)}${secret.decode === 'none' ? '' : ` after ${secret.decode} decoding`} (${cite(secret.source)})` +
          (piped ? '; the secret also gets the trailing newline (through the pipe or the file), unless the service trims it (`printf %s "$(…)"` prints none; say which in `newline`)' : '') +
          (kept ? `; the trailing newline the pipe or the file passes on is part of the secret (${cite({...secret.source, key: `${secret.source.key}.newline`})})` : '')
      })
    }

    /**
     * A Terraform resource's output (`random_password.encryption_key.result`): the fix is its size
     * argument's new number, written in place of the old (`length = 44` → `length = 32`); offered,
     * not applied, when the resource's name alone ties it to the secret, or another of its outputs
     * is read too (a new size changes that one as well).
     */
    function resource(gen: GenUse, target: Target, secret: SecretConstraint, fix: ReturnType<typeof suggestForAll>) {
      const output = gen.resource!
      const size = fix && suggestedSize(output, fix.command)
      const why = secret.why ? ` (${secret.why})` : ''
      const use = fix && size !== undefined ? `; use \`${output.size} = ${size}\` (${describe(fix.output, secret.decode)}, ${Math.floor(fix.output.bits)} bits)` : ''
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${output.name}\` ${prints(gen.output, secret.decode).replace(/^prints/, 'is')}, but \`${secret.name}\`${spelledAs(target.name, secret)} must be ${requirement(secret)}${why}${use}`,
        expected: size === undefined ? undefined : String(size),
        safety: size === undefined || target.how === 'label' || output.shared ? 'suggestion' : 'safe',
        note: `\`${secret.name}\` must be ${requirement(secret)}${secret.decode === 'none' ? '' : ` after ${secret.decode} decoding`} (${cite(secret.source)})` +
          (target.how === 'label' ? `; the resource's name says it is \`${secret.name}\`` : '') +
          (output.shared ? `; the resource's other outputs change size with it` : '')
      })
    }

    /**
     * A Go template generator in a Secret's `data` without `b64enc`: Kubernetes decodes what it
     * prints from base64 (or refuses it), so the service never gets the value the docs meant.
     */
    function unencoded(gen: GenUse, secret: SecretConstraint, target: Target, command: string | undefined, output: GeneratorOutput | undefined, safe: boolean) {
      const actual = gen.snippet.value.slice(gen.start, gen.printEnd)
      const bytes = gen.unencoded?.decodedBytes
      const decoded = bytes === undefined ? 'Kubernetes refuses it as base64' : `Kubernetes decodes it from base64 to ${bytes} bytes`
      const why = secret.why ? ` (${secret.why})` : ''
      const use = command && output ? `; use \`${command}\` (${describe(output, secret.decode)}, ${Math.floor(output.bits)} bits)` : ''
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${actual}\` is written to a Secret's \`data\` without \`b64enc\`, so ${decoded}, but \`${secret.name}\`${spelledAs(target.name, secret)} must be ${requirement(secret)}${why}${use}`,
        expected: command,
        safety: safe ? 'safe' : 'suggestion',
        note: `A Secret's \`data\` holds each value in base64 and Kubernetes decodes it; \`${secret.name}\` must be ${requirement(secret)}${secret.decode === 'none' ? '' : ` after ${secret.decode} decoding`} (${cite(secret.source)})`
      })
    }
  }
}

/**
 * .NET's cryptographic generator drawing the bytes of the suggested `openssl rand`
 * (`[Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(24))`), when
 * what it prints fits every constraint.
 */
function dotnetFor(output: GeneratorOutput | undefined, constraints: SecretConstraint[]): {command: string; output: GeneratorOutput} | undefined {
  const kind = output?.alphabet === 'hex' ? 'hex' : output?.alphabet === 'base64' ? 'base64' : undefined
  const bytes = output?.randomBytes
  if (!kind || bytes === undefined) return undefined
  const made = dotnetOutput(kind, bytes)
  if (!constraints.every((c) => meets(made, c))) return undefined
  return {command: `[Convert]::${kind === 'hex' ? 'ToHexString' : 'ToBase64String'}([Security.Cryptography.RandomNumberGenerator]::GetBytes(${bytes}))`, output: made}
}

/** The constraint on what the service stores: with the output's trailing newline when it reads a pipe or a file and keeps the newline. */
function asStored(secret: SecretConstraint, target: Target): SecretConstraint & {withNewline?: boolean} {
  return target.how === 'pipe' && secret.newline === 'kept' ? {...secret, withNewline: true} : secret
}

function requirement(secret: SecretConstraint): string {
  const decoded = secret.decode === 'none' ? '' : ` once ${secret.decode}-decoded`
  if (secret.bytes !== undefined) return `exactly ${secret.bytes} bytes${decoded}`
  if (secret.minBytes !== undefined && secret.maxBytes !== undefined) return `${secret.minBytes} to ${secret.maxBytes} bytes${decoded}`
  if (secret.minBytes !== undefined) return `at least ${secret.minBytes} bytes${decoded}`
  return `at most ${secret.maxBytes} bytes${decoded}`
}

function describe(output: GeneratorOutput, decode: SecretConstraint['decode']): string {
  const bytes = decode === 'none' ? undefined : valueBytes(output, decode)
  const chars = `${output.chars} characters${output.multiline ? ' over several lines' : ''}`
  return bytes === undefined ? chars : `${chars}, ${bytes} bytes decoded`
}

function prints(output: GeneratorOutput, decode: SecretConstraint['decode']): string {
  if (decode !== 'none') {
    const bytes = valueBytes(output, decode)
    if (bytes === undefined) return `prints ${output.chars} characters that are not ${decode}`
    return `prints ${output.chars} characters that decode to ${bytes} bytes`
  }
  return `prints ${output.chars} characters${output.multiline ? ' over several lines' : ''}`
}

/**
 * The suggestion differs from the original only in its numbers (`-base64 32` → `-base64 24`):
 * apply those numbers to the text as written. Undefined when the shape changes. File descriptors
 * of redirections (`2>/dev/null`, `2>&1`), which the model does not render, are kept as written.
 */
function renumber(actual: string, original: string, suggested: string): string | undefined {
  const numbers = (s: string) => s.match(/\d+/g) ?? []
  const skeleton = (s: string) => s.replace(/\d+/g, '#')
  if (skeleton(original) !== skeleton(suggested)) return undefined
  const descriptor = /\d+(?=[<>])|(?<=[<>]&)\d+/y
  const written = [...actual.matchAll(/\d+/g)].filter((m) => {
    descriptor.lastIndex = m.index
    return !descriptor.test(actual)
  })
  return swapNumbers(actual, written, numbers(original), numbers(suggested))
}
