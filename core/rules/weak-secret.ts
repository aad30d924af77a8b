/**
 * weak-secret: values for secrets come from a real random source with enough entropy. Flags
 * generators that only look random (`date | sha256sum`, `echo $RANDOM`, `echo -n word | base64`),
 * literal example values written to a secret (also under a secret-named key of a JSON value:
 * `kong` in `CONF='{"secret":"kong"}'`, and the fallback of `${JWT_SECRET:-changeme}`, judged by
 * the name that takes it or else by the variable read: `signing = os.getenv("JWT_SECRET", …)`,
 * `jwt.encode(payload, os.getenv("JWT_SECRET", …))`), and text next to a generator that promises
 * more bits than it carries ("256-bit key" beside `openssl rand -hex 16`).
 *
 * A secret is one configured in `secrets`, or a name that says so: `*_SECRET`, `*_KEY`, `*_TOKEN`,
 * `*PASSWORD*` (and `jwt-secret`-style keys). A provider-issued key (`*_API_KEY`) that the config
 * does not declare gets no generator as its fix: no command can make one.
 */
import type {Snippet} from '../extract/snippets.js'
import type {Assignment, Fallback, GenUse, SourceUse} from '../facts/types.js'
import {meets, render, strengthen, suggestForAll, type Stage} from '../facts/generators.js'
import {nodeGenerator} from '../facts/javascript.js'
import {withByteCount} from '../facts/powershell.js'
import {pythonGenerator, resizedExpression} from '../facts/python.js'
import {suggestedSize} from '../facts/terraform-random.js'
import {producerNeedles} from '../facts/collect.js'
import type {SecretConstraint} from '../types.js'
import {commentAbove, literalSecretName, resolveTargets, secretName, secretSpellings, secretsByName, secretsReached, spelledAs} from './targets.js'
import {cite, clip, commandLangs, word, type Rule} from './types.js'

/** Fewer bits than this can be searched by brute force: not a secret. */
export const MIN_BITS = 64

export const weakSecret: Rule = {
  meta: {
    id: 'weak-secret',
    description: 'Secrets come from a real random source with enough entropy, not from the clock, `$RANDOM`, fixed text or an example value',
    tags: ['secrets', 'security'],
    severity: 'error',
    fixable: 'safe',
    config: ['secrets']
  },
  // PowerShell blocks are `code`: their assignments are read too (core/facts/powershell.ts).
  langs: [...commandLangs, 'code'],
  needles(config) {
    const names = Object.values(config.secrets).flatMap(secretSpellings)
    // A name that says secret ends in the word (`secretName`); a password is one anywhere in it.
    const words = ['KEY', 'SECRET', 'TOKEN', 'key', 'secret', 'token', 'Key', 'Secret', 'Token'].map(word)
    return [...words, 'PASSWORD', 'PASSWD', 'password', 'Password', ...producerNeedles, ...names]
  },
  check({config, facts, report, use}) {
    const secrets = Object.values(config.secrets)
    const byName = secretsByName(config.secrets)
    resolveTargets(facts, secrets)

    // Generators and look-alikes that feed a secret.
    for (const gen of [...facts.generators, ...facts.sources]) {
      const bits = 'output' in gen ? gen.output.bits : gen.bits
      const target = gen.targets.find((t) => byName.has(t.name) || secretName(t.name))
      if (!target) continue
      const secret = byName.get(target.name)
      if (secret) use(`secret:${secret.name}`, true)
      if (bits >= MIN_BITS) continue
      const name = secret?.name ?? target.name
      // The new value goes wherever this one flows: it must fit every configured secret there.
      const reached = secretsReached(gen, byName)
      if (gen.resource) {
        weakResource(gen, bits, target, name, secret, reached)
        continue
      }
      const fix = 'output' in gen && gen.count ? resizedArray(gen, reached) : inDialect(replacement(reached, gen.stages[0].template), gen.snippet, reached)
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${clip('shown' in gen && gen.shown ? gen.shown : gen.snippet.value.slice(gen.start, gen.printEnd))}\` looks random but carries at most ${Math.floor(bits)} bits (${why(gen)}), too weak for \`${name}\`; use \`${fix.command}\` (${fix.bits} bits)`,
        // Python's replacement needs its imports (`import secrets`), which a fix cannot add;
        // JavaScript's module (`crypto`) likewise.
        expected: fix.foreign ? undefined : fix.command,
        // A configured secret's replacement is sized to its constraint: safe; a guessed one is not.
        safety: fix.sized && gen.snippet.dialect !== 'python' && gen.snippet.dialect !== 'javascript' ? 'safe' : 'suggestion',
        note: `A secret needs at least ${MIN_BITS} bits from a cryptographic random source` + (secret ? `; \`${secret.name}\` is configured in ${cite(secret.source)}` : `; \`${name}\` is named like a secret`)
      })
    }

    // Defaults no name takes (`jwt.encode(payload, os.getenv("JWT_SECRET", "changeme"))`).
    for (const read of facts.reads) {
      const judged = fallbackSecret(read.fallback)
      if (judged) fallback(read.snippet, read.fallback, judged.name, judged.secret)
    }

    // Literal example values written to a secret, or to a secret-named key of a JSON value.
    for (const assignment of facts.assignments) {
      if (assignment.fallback?.kept) {
        const secret = byName.get(assignment.name)
        if (!secret && (!literalSecretName(assignment.name) || programKey(assignment))) continue
        if (secret) use(`secret:${secret.name}`, true)
        kept(assignment, assignment.fallback, secret)
        continue
      }
      if (assignment.fallback) {
        const judged = fallbackSecret(assignment.fallback, programKey(assignment) ? undefined : assignment.name)
        if (judged) fallback(assignment.snippet, assignment.fallback, judged.name, judged.secret)
        continue
      }
      if (assignment.value === undefined || assignment.refs.length > 0 || assignment.gens.length > 0 || assignment.sources.length > 0) continue
      for (const member of assignment.json ?? []) {
        const secret = byName.get(member.key)
        if (!secret && !literalSecretName(member.key)) continue
        if (secret) use(`secret:${secret.name}`, true)
        if (notALiteral(member.value)) continue
        literal(assignment.snippet, {start: member.start, end: member.end, quote: member.quote}, secret, `\`${secret?.name ?? member.key}\`` + (secret ? spelledAs(member.key, secret) : '') + ` in \`${assignment.name}\``, member.key)
      }
      const secret = byName.get(assignment.name)
      if (!secret && (!literalSecretName(assignment.name) || programKey(assignment))) continue
      if (secret) use(`secret:${secret.name}`, true)
      if (notALiteral(assignment.value) || keyValueNotation(assignment.name, assignment.value) || spellsName(assignment.name, assignment.value)) continue
      // The value exactly as the shell or YAML parse placed it: inside its quotes.
      const written = {start: assignment.valueStart ?? assignment.start, end: assignment.valueEnd ?? assignment.end, quote: assignment.valueStart === undefined ? undefined : assignment.valueQuote}
      literal(assignment.snippet, written, secret, `\`${secret?.name ?? assignment.name}\`` + (secret ? spelledAs(assignment.name, secret) : ''), assignment.name, assignment.encoded && assignment.value)
    }

    // Claims of strength next to a generator.
    for (const gen of facts.generators) {
      // A value kept only under names that say no secret (`const uuid = crypto.randomUUID()`, a
      // row's id) is not one: "128 bits" next to it speaks of something else (a column's size).
      if (gen.targets.length > 0 && !gen.targets.some((t) => byName.has(t.name) || secretName(t.name))) continue
      const claim = claimNear(gen, facts.generators)
      if (!claim || claim.bits <= gen.output.bits + 0.5) continue
      const written = gen.snippet.value.slice(gen.start, gen.printEnd)
      const command = gen.resource?.name ?? gen.shown ?? written
      const found = strengthen(gen.stages, claim.bits)
      // A Python or JavaScript expression is resized as written (`secrets.token_hex(32)`), or not
      // at all; a Terraform resource gets a new number for its size (`byte_length = 32`).
      const size = found && gen.resource ? suggestedSize(gen.resource, found.command) : undefined
      const resized = !found ? undefined
        : gen.resource ? size === undefined ? undefined : `${gen.resource.size} = ${size}`
        : gen.snippet.dialect === 'python' || gen.snippet.dialect === 'javascript' ? resizedExpression(command, gen.stages, found.command)
        // PowerShell's generator keeps its form, with the bytes of the stronger command.
        : gen.snippet.dialect === 'powershell' ? withByteCount(gen, written, found.output.randomBytes)
        : found.command
      const stronger = found && resized !== undefined ? {command: resized, output: found.output} : undefined
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${clip(command)}\` carries ${Math.floor(gen.output.bits)} bits, but the text next to it promises ${claim.text}` +
          (stronger ? `; use \`${stronger.command}\` (${Math.floor(stronger.output.bits)} bits)` : '; fix the claim or the command'),
        expected: size === undefined ? stronger?.command : String(size),
        safety: 'suggestion',
        note: `Claim found in ${claim.where}: “${claim.text}”`
      })
    }

    /**
     * A Terraform resource's output that draws too little (`random_password` with `length = 8`,
     * a `random_string` of digits only): the fix is a new number for its size, sized to the
     * configured secrets it reaches (then safe, unless only the resource's name ties it to the
     * secret or another of its outputs is read too), else one that carries 128 bits.
     */
    function weakResource(gen: GenUse | SourceUse, bits: number, target: GenUse['targets'][number], name: string, secret: SecretConstraint | undefined, reached: SecretConstraint[]) {
      const output = gen.resource!
      // `random_id`'s `dec` carries the bits of its bytes, as its `hex` does.
      const exact = 'output' in gen
      const stages = exact ? gen.stages : gen.stages.map((s) => ({...s, args: ['hex', ...s.args.slice(1)]}))
      const sized = exact && reached.length > 0 ? suggestForAll(stages, reached) : undefined
      const fix = sized ?? strengthen(stages, 128)
      const size = fix && suggestedSize(output, fix.command)
      report({
        snippet: gen.snippet,
        start: gen.start,
        end: gen.printEnd,
        message: `\`${output.name}\` looks random but carries at most ${Math.floor(bits)} bits (${output.draws}), too weak for \`${name}\`` +
          (fix && size !== undefined ? `; use \`${output.size} = ${size}\` (${Math.floor(fix.output.bits)} bits)` : ''),
        expected: size === undefined ? undefined : String(size),
        safety: sized && size !== undefined && target.how !== 'label' && !output.shared ? 'safe' : 'suggestion',
        note: `A secret needs at least ${MIN_BITS} bits from a cryptographic random source` + (secret ? `; \`${secret.name}\` is configured in ${cite(secret.source)}` : `; \`${name}\` is named like a secret`) +
          (target.how === 'label' ? `; the resource's name says it is \`${name}\`` : '') +
          (output.shared ? `; the resource's other outputs change size with it` : '')
      })
    }

    /**
     * The secret a fallback gives a value to, by the name the value is `assigned` to
     * (`JWT_SECRET` of `JWT_SECRET = os.getenv("APP_JWT", …)`), else by the variable read
     * (`signing = os.getenv("JWT_SECRET", …)`, a call's argument; a Helm value's last key): a
     * configured secret, or a name that says secret. A provider's key read where no name says
     * secret is a client's (`OpenAI(api_key=os.getenv("OPENAI_API_KEY", "ollama"))`, for a local
     * server that ignores it): not the service's secret, unless the config declares it. Counts
     * the use of a configured secret.
     */
    function fallbackSecret(fallback: Fallback, assigned?: string): {name: string; secret?: SecretConstraint} | undefined {
      let secret = assigned === undefined ? undefined : byName.get(assigned)
      let judged = secret ? {name: secret.name, secret} : assigned !== undefined && literalSecretName(assigned) ? {name: assigned} : undefined
      if (!judged) {
        secret = byName.get(fallback.name)
        const read = fallback.operator === 'default' ? fallback.name.slice(fallback.name.lastIndexOf('.') + 1) : fallback.name
        judged = secret ? {name: secret.name, secret} : literalSecretName(read) && !issuedName(read) ? {name: fallback.name} : undefined
      }
      if (secret) use(`secret:${secret.name}`, true)
      return judged
    }

    /**
     * A literal a secret falls back to when its variable is unset (`${JWT_SECRET:-changeme}`,
     * `os.getenv("JWT_SECRET", "changeme")`, `process.env.JWT_SECRET || 'changeme'`, Helm's
     * `default "changeme"`), for the secret `name` (`fallbackSecret`): wherever the variable is
     * forgotten, the service runs with the docs' value. The fix makes the variable required in
     * the block's own terms (`fallbackForm`), a suggestion since the service then needs it set.
     */
    function fallback(snippet: Snippet, fallback: Fallback, name: string, secret: SecretConstraint | undefined) {
      if (notALiteral(fallback.value)) return
      const how = fallbackForm(snippet, fallback)
      const shown = fallback.written === undefined ? `\`${clip(fallback.value)}\`` : `\`${clip(fallback.written)}\` (base64 of \`${clip(fallback.value)}\`)`
      const unset = fallback.name === name && how.variable === fallback.name ? 'it' : `\`${how.variable}\``
      report({
        snippet,
        start: fallback.start,
        end: fallback.end,
        message: `${shown} is what \`${name}\` ${how.verb} when ${unset} is unset, a fixed example value that ends up in production wherever ${how.forgotten}; ` +
          (how.required === undefined ? 'fail at startup instead when it is unset' : `make it required: \`${clip(how.required)}\``),
        expected: how.expected,
        safety: 'suggestion',
        note: how.note + (secret ? `; \`${secret.name}\` is configured in ${cite(secret.source)}` : `; \`${name}\` is named like a secret`)
      })
    }

    /**
     * A literal a Helm chart writes on first install and keeps on every upgrade (`(lookup
     * …).data.key | default ("changeme" | b64enc)`): no release replaces it, worse than a
     * `default` after a chart value. The fix draws it instead, sized to the configured secret
     * (`randAlphaNum 32 | b64enc`), a suggestion: the installs that kept the literal keep it still.
     */
    function kept(assignment: Assignment, fallback: Fallback, secret: SecretConstraint | undefined) {
      if (notALiteral(fallback.value)) return
      const {encode, wrap} = fallback.kept!
      const fix = replacement(secret ? [secret] : [], true)
      const command = fix.command + (encode ? ' | b64enc' : '')
      const shown = fallback.written === undefined ? `\`${clip(fallback.value)}\`` : `\`${clip(fallback.written)}\` (base64 of \`${clip(fallback.value)}\`)`
      const label = `\`${secret?.name ?? assignment.name}\`` + (secret ? spelledAs(assignment.name, secret) : '')
      report({
        snippet: assignment.snippet,
        start: fallback.start,
        end: fallback.end,
        message: `${shown} is the ${label} every install keeps: the first install writes it and \`lookup\` keeps it on upgrades; draw it with \`${command}\``,
        expected: wrap ? `(${command})` : command,
        safety: 'suggestion',
        note: `\`lookup\` finds the Secret the first install wrote, so \`default\` renders only then and its value stays in every release; rotate the installed ones too` +
          (secret ? `; \`${secret.name}\` is configured in ${cite(secret.source)}` : `; \`${assignment.name}\` is named like a secret`)
      })
    }

    /**
     * A literal written at `at` for the secret `label` names; `decoded`: what a base64 value
     * written there decodes to (a Secret's `data`), judged instead and shown beside it.
     */
    function literal(snippet: Snippet, at: {start: number; end: number; quote?: Assignment['valueQuote']}, secret: SecretConstraint | undefined, label: string, name: string, decoded?: string) {
      const {start, end} = at
      const text = snippet.value.slice(start, end)
      if (text.trim() === '' || notALiteral(decoded ?? text)) return
      const shown = decoded === undefined ? `\`${clip(text)}\`` : `\`${clip(text)}\` (base64 of \`${clip(decoded)}\`)`
      // `$(…)` runs in place of an unquoted or double-quoted value, not inside `'…'`, and not in
      // a Windows batch block.
      const shell = snippet.lang === 'shell' && snippet.dialect !== 'batch' && (at.quote === '' || at.quote === '"')
      const note = 'Values that announce themselves as non-production (`dev-…`, `test-…`, `example-…`, `insecure-…`), placeholders (`<…>`, `…`, `your-…`, `xxx`, `{name}`, `CLIENT_SECRET`, `password value`), references (`{vault://…}`, `{{ … }}`), file paths and addresses (`https://…/pubkey.pem`) are not reported'
      // A key a provider issues (OpenAI, Stripe, AWS) cannot be generated: no `openssl rand` for it,
      // unless the config declares the secret (then the service takes a value of its own).
      const provider = secret ? undefined : issuedValue(decoded ?? text)
      if (!secret && (issuedName(name) || provider)) {
        report({
          snippet,
          start,
          end,
          message: `${shown} is a fixed example value for ${label}, a key only ${provider ?? 'its provider'} issues; show a placeholder such as \`<${name.toLowerCase().replace(/_/g, '-')}>\``,
          safety: 'suggestion',
          note: note + (provider
            ? `; the value has the form of a key ${provider} issues: declare \`${name}\` in \`secrets\` if the service takes a generated one`
            : `; \`${name}\` is named like a provider-issued key (\`*_API_KEY\`, \`*_APIKEY\`, \`*_ACCESS_KEY\`): declare it in \`secrets\` if the service takes a generated one`)
        })
        return
      }
      const fix = inDialect(replacement(secret ? [secret] : []), snippet, secret ? [secret] : [])
      report({
        snippet,
        start,
        end,
        message: `${shown} is a fixed example value for ${label}, and copies of it end up in production; ` +
          (shell ? `generate it: \`$(${fix.command})\`` : `generate one with \`${fix.command}\` and keep it out of the docs`),
        expected: shell ? `$(${fix.command})` : undefined,
        safety: 'suggestion',
        note
      })
    }
  }
}

/**
 * A key that a provider issues rather than one the operator makes: `OPENAI_API_KEY`, `api-key`,
 * `STRIPE_APIKEY`, `AWS_SECRET_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`. Its example values are still
 * reported, but no generator is offered for it.
 */
export function issuedName(name: string): boolean {
  return /(^|[_-])api[_-]?key$|(^|[_-])access[_-]?key([_-]?id)?$/i.test(name)
}

/** Prefixes of keys that providers issue, by the provider's name. */
const issuedPrefixes: ReadonlyArray<[RegExp, string]> = [
  [/^[sr]k_(?:test|live)_[A-Za-z0-9]{8,}$/, 'Stripe'],
  [/^sk-ant-[A-Za-z0-9_-]{8,}$/, 'Anthropic'],
  [/^sk-(?:proj-)?[A-Za-z0-9_-]{16,}$/, 'OpenAI'],
  [/^(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})$/, 'GitHub'],
  [/^xox[abpr]-[A-Za-z0-9-]{10,}$/, 'Slack'],
  [/^(?:AKIA|ASIA)[A-Z0-9]{16}$/, 'AWS'],
  [/^AIza[A-Za-z0-9_-]{35}$/, 'Google']
]

/**
 * The provider whose key a value has the form of (`sk_test_…` is Stripe's): whatever the variable
 * is called, no generator can make one.
 */
export function issuedValue(value: string): string | undefined {
  const v = value.trim()
  return issuedPrefixes.find(([pattern]) => pattern.test(v))?.[1]
}

/**
 * A value that is not a secret written out: a placeholder, a reference to where the secret lives,
 * or a file that holds it. Checked on the parsed value and on the value as written (a `<name>`
 * placeholder reaches the shell parser as `_name_`).
 */
export function notALiteral(value: string): boolean {
  return placeholder(value) || reference(value) || filePath(value)
}

/** Placeholders and self-declared non-production values. */
export function placeholder(value: string): boolean {
  const v = value.trim()
  if (v === '' || v.length < 4) return true
  if (/[<>]|\.\.\.|…|\byour|your[-_]|replace|placeholder|redacted|^\*+$/i.test(v)) return true
  // Masks: `xxxx`, `sk-xxx`, `XXXX-XXXX`, a key's prefix and asterisks (`sk_******`, as Clerk's
  // README shows the keys its dashboard gives); and what a logger's redaction prints in a value's
  // place, wrapped in asterisks (`**GDPR COMPLIANT**`, pino's `censor`; `**masked**`).
  if (/^([A-Za-z0-9]{1,8}[-_])?(x{3,}|X{3,}|\*{3,})([-_](x{3,}|X{3,}|\*{3,}))*$/.test(v) || /^\*{2,}[^*]+\*{2,}$/.test(v)) return true
  // Words that name what goes there: `CLIENT_SECRET`, `PASSWORD`, `CONSUMER KEY`, `password value`.
  const words = v.split(/[\s_-]+/)
  const naming = words.some((w) => /^(secret|key|password|passwd|token|value|here|credentials?)$/i.test(w))
  if (naming && (!/[a-z]/.test(v) || /\s/.test(v))) return true
  // `value`, `secret-value`: only such words, one of them `value`, which no one takes for a
  // password (`KEY=value`); `secret` or `password` alone still counts, as people do set them.
  if (words.some((w) => /^value$/i.test(w)) && words.every((w) => /^(secret|key|password|passwd|token|value)$/i.test(w))) return true
  // `some_value`, `some-secret`: a slot named as any value of its kind.
  if (/^some[-_]/i.test(v)) return true
  return /^(dev|development|test|testing|local|example|sample|dummy|fake|insecure|not-secret)[-_]/i.test(v) || /insecure|dev[-_]only|test[-_]only|do[-_]not[-_]use/i.test(v)
}

/**
 * A program's variable or dict key named `key` alone, in lower case, in a JavaScript or Python
 * block (`const key = 'some/key.zip'`, an S3 object's; `key = "user:42"`, a cache entry's): code
 * names any lookup's key so, as Terraform's `key` argument does (terraform-random.ts). A
 * camel-case `apiKey` is not read either; a constant (`KEY`, `API_KEY`, `SECRET_KEY`) is.
 */
function programKey(assignment: Assignment): boolean {
  return assignment.name === 'key' && (assignment.snippet.dialect === 'javascript' || assignment.snippet.dialect === 'python')
}

/**
 * The notation of a key/value pair, both sides naming slots: `key=password` ("pass `key=password`
 * to set a remote's password"), not a key set to the word `password`.
 */
function keyValueNotation(name: string, value: string): boolean {
  return name === 'key' && /^(value|password|passwd|secret|token|key)$/i.test(value.trim())
}

/**
 * A value that spells the name it is given to as a field name, in two snake-case words or more:
 * `ARM_CLIENT_SECRET=client_secret` (beside `ARM_CLIENT_ID=client_id`, after `az ad sp
 * create-for-rbac` prints the fields so). It names the slot, as `CLIENT_SECRET` does. One word
 * (`DB_PASSWORD=password`) may well be the password, and a value written as words (`JWT_SECRET=
 * jwt-secret`) is a demo value a reader may keep.
 */
function spellsName(name: string, value: string): boolean {
  const words = value.trim().split('_')
  return words.length >= 2 && words.every((w) => /^[a-z0-9]+$/.test(w)) && name.toLowerCase().split(/[-_]/).slice(-words.length).join('_') === words.join('_')
}

/**
 * References to a secret kept elsewhere, and template slots: `{vault://aws/db/password}`,
 * `{{ .Values.password }}` (also inside text: `prefix-{{ randAlphaNum 8 }}`), `${DB_PASSWORD}`
 * (dotenv and Compose interpolate it), `{consumer-key}`, and the first word of a braced slot the
 * shell split (`{base64` of `{base64 encoded key}`).
 */
function reference(value: string): boolean {
  const v = value.trim()
  return v.startsWith('{') || v.startsWith('${') || /\{\{.*\}\}/.test(v) || address(v)
}

/**
 * An address of where the secret or key is (`https://example.com/keys/pubkey.pem`,
 * `awskms:///arn:aws:kms:…`, `file:///etc/chatbox/key`, `bw://My GitHub Account/password`), not a
 * secret written out: a URL with a scheme and `://`, and no password in it
 * (`https://user:secret@host` writes one out).
 */
function address(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S/i.test(value)) return false
  try {
    // A secret manager's item may be named with spaces (dotenvx's
    // `bw://My GitHub Account/password`, 1Password's `op://Private/My Item/password`): the URL as
    // it would be written encoded.
    return new URL(value.replace(/\s/g, '%20')).password === ''
  } catch {
    // Not an address after all (`https://[bad`): a value like any other.
    return false
  }
}

/**
 * A file that holds the secret, not the secret: `/vault/tls/client.key`, `./certs/tls.key`,
 * `~/.ssh/id_ed25519`, `tls.key`. An absolute path needs a second segment or an extension, so a
 * base64 value that happens to start with `/` still counts as a value.
 */
function filePath(value: string): boolean {
  const v = value.trim()
  const path = /^(~|\.{1,2})?\/[\w.@-]+(\/[\w.@-]+)*\/?$/.exec(v)
  if (path) return v.startsWith('.') || v.startsWith('~') || v.indexOf('/', 1) > 0 || /\.\w{1,8}$/.test(v)
  return /^[\w.-]+\.(key|pem|crt|cer|der|p12|pfx|jks|keystore)$/i.test(v)
}

/**
 * How a block's language words a fallback: what the value does, the variable as written, the
 * required form (shell's `${JWT_SECRET:?must be set}`, which the shell and Compose both refuse to
 * expand unset; Python's `os.environ["JWT_SECRET"]` or the settings library's call without its
 * default; Helm's `required "…"`; none in JavaScript, where failing at startup is the service's
 * code to write) and why it is one.
 */
function fallbackForm(snippet: Snippet, fallback: Fallback): {verb: string; variable: string; forgotten: string; required?: string; expected?: string; note: string} {
  if (fallback.operator === 'default') {
    const required = `required "${fallback.name} must be set"`
    return {verb: 'renders', variable: fallback.name, forgotten: 'a release leaves it out', required, expected: required, note: `Helm's \`default\` gives its value when \`${fallback.name}\` is unset or empty`}
  }
  const forgotten = fallback.setting ? 'the setting is forgotten' : 'the variable is forgotten'
  if (snippet.dialect === 'python') {
    const required = fallback.required ?? `os.environ[${JSON.stringify(fallback.name)}]`
    return {verb: 'falls back to', variable: fallback.name, forgotten, required, expected: fallback.required, note: `The default is the value when \`${fallback.name}\` is unset; \`${required}\` raises ${fallback.raises ?? '`KeyError`'} instead`}
  }
  if (snippet.dialect === 'javascript') {
    const reads = fallback.reads ?? `process.env.${fallback.name}`
    const gives = fallback.operator === '=' ? 'A destructuring default gives its value' : '`||` and `??` give the value after them'
    return {verb: 'falls back to', variable: reads, forgotten, note: `${gives} when \`${reads}\` is unset`}
  }
  const required = `${fallback.operator.startsWith(':') ? ':' : ''}?must be set`
  return {
    verb: 'falls back to', variable: fallback.name, forgotten, required: `\${${fallback.name}${required}}`, expected: required,
    note: `\`\${${fallback.name}${fallback.operator}…}\` gives the value after \`${fallback.operator}\` when \`${fallback.name}\` is unset` + (fallback.operator.startsWith(':') ? ' or empty' : '')
  }
}

/**
 * The replacement in a PowerShell block: .NET's cryptographic generator, the bytes of the
 * `openssl rand` sized for the secret
 * (`[Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))`).
 */
function inDialect<T extends {command: string; bits: number}>(fix: T, snippet: Snippet, secrets: SecretConstraint[]): T & {foreign?: true} {
  if (snippet.dialect === 'python') return inPython(fix, secrets)
  if (snippet.dialect === 'javascript') return inJavaScript(fix, secrets)
  if (snippet.dialect !== 'powershell') return fix
  // `openssl rand -base64 N` (or `-hex N`, for a secret decoded as hex) draws N bytes: 8N bits.
  const encode = fix.command.includes('-hex') ? 'ToHexString' : 'ToBase64String'
  return {...fix, command: `[Convert]::${encode}([Security.Cryptography.RandomNumberGenerator]::GetBytes(${fix.bits / 8}))`}
}

/**
 * A PowerShell byte array that draws too few bytes (`New-Object byte[] 4`, then encoded): the
 * array made with the bytes its encoding needs to fit the configured secrets it reaches, else
 * 256 bits.
 */
function resizedArray(gen: GenUse, secrets: SecretConstraint[]): {command: string; bits: number; sized: boolean; foreign?: true} {
  const sized = secrets.length > 0 ? suggestForAll(gen.stages, secrets) : undefined
  const found = sized ?? strengthen(gen.stages, 256)
  const bytes = found?.output.randomBytes ?? 32
  const written = gen.snippet.value.slice(gen.start, gen.printEnd)
  const count = gen.count!
  return {command: written.slice(0, count.start - gen.start) + bytes + written.slice(count.end - gen.start), bits: 8 * bytes, sized: sized !== undefined}
}

function why(gen: GenUse | SourceUse): string {
  const first = gen.stages[0]
  if ('reason' in gen && first.name === 'Get-Random') return gen.reason
  if ('output' in gen && gen.count) return `the array holds ${gen.output.randomBytes} random bytes`
  if (first.name === 'date') return 'a timestamp is guessable'
  if (first.args.some((a) => a.includes('RANDOM'))) return '`$RANDOM` is a 15-bit counter'
  if (first.name === 'echo' || first.name === 'printf') return 'the input is fixed text'
  if (first.name === 'uuidgen' && first.args.includes('-t')) return 'a time-based UUID is guessable'
  if (first.template) return 'it draws too few characters'
  return 'its source is small'
}

/**
 * The replacement in a Python block: the `secrets` module's generator that prints what the
 * `openssl rand` sized for the secrets does, checked against them (`openssl rand -base64 24` →
 * `secrets.token_urlsafe(24)`, 32 characters; `-hex 16` → `secrets.token_hex(16)`; a secret
 * decoded as base64 gets standard base64, `base64.b64encode(secrets.token_bytes(32)).decode()`).
 * A command with no such generator stays as it is, `foreign`: the fix is left out.
 */
function inPython<T extends {command: string; bits: number}>(fix: T, secrets: SecretConstraint[]): T & {foreign?: true} {
  const size = /^openssl rand -(hex|base64) (\d+)$/.exec(fix.command)
  const candidates = !size ? [] : size[1] === 'hex' ? [`secrets.token_hex(${size[2]})`] : [`secrets.token_urlsafe(${size[2]})`, `base64.b64encode(secrets.token_bytes(${size[2]})).decode()`]
  for (const command of candidates) {
    const made = pythonGenerator(['import base64', 'import secrets'], command)
    if (made && secrets.every((secret) => meets(made.output, secret))) return {...fix, command, bits: Math.floor(made.output.bits)}
  }
  return {...fix, foreign: true}
}

/**
 * The replacement in a JavaScript block: Node's `crypto.randomBytes`, encoded as the `openssl
 * rand` sized for the secrets does (`openssl rand -base64 24` →
 * `crypto.randomBytes(24).toString('base64')`, `-hex 16` → `….toString('hex')`), checked
 * against them; else `foreign`, and the fix is left out.
 */
function inJavaScript<T extends {command: string; bits: number}>(fix: T, secrets: SecretConstraint[]): T & {foreign?: true} {
  const size = /^openssl rand -(hex|base64) (\d+)$/.exec(fix.command)
  const command = size && `crypto.randomBytes(${size[2]}).toString('${size[1]}')`
  const made = command ? nodeGenerator([], command) : undefined
  if (command && made && secrets.every((secret) => meets(made.output, secret))) return {...fix, command, bits: Math.floor(made.output.bits)}
  return {...fix, foreign: true}
}

/** `openssl rand -base64 32`, sized to fit every configured secret the value reaches (then the fix is safe). */
function replacement(secrets: SecretConstraint[], template?: true): {command: string; bits: number; sized: boolean} {
  // In a Go template (a Helm chart): Sprig's `randAlphaNum 32`, 190 bits.
  const start: Stage[] = template ? [{name: 'randAlphaNum', args: ['32'], template}] : [{name: 'openssl', args: ['rand', '-base64', '32']}]
  if (secrets.length > 0) {
    const fix = suggestForAll(start, secrets)
    if (fix) return {command: fix.command, bits: Math.floor(fix.output.bits), sized: true}
  }
  return {command: render(start), bits: template ? 190 : 256, sized: false}
}

interface Claim {
  bits: number
  text: string
  where: string
}

const claimPattern = /\b(\d{2,4})[- ]?bits?\b/i

/** A "256-bit"/"128 bits" claim in the comment above or beside the command, or in the text that introduces it. */
function claimNear(gen: GenUse, all: GenUse[]): Claim | undefined {
  const {snippet} = gen
  const lineEnd = snippet.value.indexOf('\n', gen.end)
  const rest = snippet.value.slice(gen.end, lineEnd === -1 ? undefined : lineEnd)
  const trailing = /^[^#]*#(.*)$/.exec(rest)?.[1]
  const alone = all.filter((g) => g.snippet === snippet).length === 1
  const places: Array<[string | undefined, string]> = [
    [snippet.kind === 'code' ? trailing : undefined, 'the comment beside it'],
    [snippet.kind === 'code' ? commentAbove(snippet, gen.start) : undefined, 'the comment above it'],
    [snippet.context.row?.join(' | '), 'its table row'],
    [snippet.kind === 'inline' ? snippet.context.paragraph : undefined, 'its paragraph'],
    [snippet.kind === 'code' && alone ? snippet.context.before : undefined, 'the paragraph before the block']
  ]
  for (const [text, where] of places) {
    if (!text) continue
    const match = claimPattern.exec(text)
    if (match) return {bits: Number(match[1]), text: match[0], where}
  }
  return undefined
}
