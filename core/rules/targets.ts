/**
 * Which secret does a generator's output become? From assignments (`NAME=$(…)`), arguments
 * (`--from-literal=NAME=$(…)`, `-e NAME=$(…)`), variable flow through the document
 * (`NEW=$(…)` … `export NAME=$NEW`), and, for a bare command, the comment, table row,
 * paragraph or heading that names the secret right before it.
 */
import type {Snippet} from '../extract/snippets.js'
import type {DocFacts, GenUse, SourceUse} from '../facts/types.js'
import type {SecretConstraint} from '../types.js'
import {literalSecretName, secretName} from '../facts/names.js'

export {literalSecretName, secretName}

const resolved = new WeakSet<DocFacts>()

/**
 * Configured secrets by name and by alias, also as other tools spell the name: a Helm value or
 * JSON path's last key, in any case and with `_`, `-` or camelCase between its words
 * (`secrets.encryptionKey`, `encryption_key` and `EncryptionKey` are `ENCRYPTION_KEY`).
 */
export function secretsByName(secrets: Record<string, SecretConstraint>): Map<string, SecretConstraint> {
  let byName = byConfig.get(secrets)
  if (byName) return byName
  byName = namesOf(Object.values(secrets))
  byConfig.set(secrets, byName)
  return byName
}

function namesOf(secrets: readonly SecretConstraint[]): Map<string, SecretConstraint> {
  const byName = new SecretNames()
  for (const secret of secrets) {
    byName.set(secret.name, secret)
    for (const alias of secret.aliases) byName.set(alias, secret)
  }
  return byName
}

/** Once per config, not per document (read-only). */
const byConfig = new WeakMap<Record<string, SecretConstraint>, Map<string, SecretConstraint>>()

/** ` (as \`secrets.encryptionKey\`)` when the docs spell a secret otherwise than its name and aliases; else nothing. */
export function spelledAs(written: string, secret: SecretConstraint): string {
  return written === secret.name || secret.aliases.includes(written) ? '' : ` (as \`${written}\`)`
}

/**
 * A secret's names as the docs may write them, for needles: each name and alias as written, and
 * its words in snake, kebab, camel and Pascal case and in capitals (`encryption_key`,
 * `encryption-key`, `encryptionKey`, `EncryptionKey`, `ENCRYPTION_KEY`).
 */
export function secretSpellings(secret: SecretConstraint): string[] {
  const out = new Set<string>()
  for (const name of [secret.name, ...secret.aliases]) {
    out.add(name)
    const words = normalSecretName(name).split('_').filter((w) => w !== '')
    if (words.length === 0) continue
    const title = words.map((w) => w[0].toUpperCase() + w.slice(1))
    out.add(words.join('_')).add(words.join('-')).add(words[0] + title.slice(1).join('')).add(title.join('')).add(words.join('_').toUpperCase())
  }
  return [...out]
}

/**
 * Whether a text may write a configured secret's name or alias in a spelling `secretsByName`
 * finds: as written, or its words in order (`normalSecretName`) in any case, with nothing or any
 * run of other characters but letters, digits and a dot between them (`SESSION_SALT`,
 * `sessionSalt`, `session-salt`, `Session_Salt`; a dot starts another key of a path). Without
 * one, no name a block sets or reads is a configured secret's, so a block that names no secret
 * otherwise need not be parsed for its settings (core/facts/python.ts `mayAssignSecret`).
 */
export function secretMentions(secrets: Record<string, SecretConstraint>): (text: string) => boolean {
  let mentions = mentionsByConfig.get(secrets)
  if (mentions) return mentions
  const patterns = new Set<string>()
  for (const secret of Object.values(secrets)) {
    for (const name of [secret.name, ...secret.aliases]) {
      patterns.add(name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
      const words = normalSecretName(name).split('_').filter((w) => w !== '')
      if (words.length > 0) patterns.add(words.join('[^a-z0-9.]*'))
    }
  }
  // `u`: a capital that lowercases to an ASCII letter (the Kelvin sign) matches it, as
  // `normalSecretName` lowercases it.
  const pattern = patterns.size === 0 ? undefined : new RegExp([...patterns].join('|'), 'iu')
  mentions = pattern ? (text) => pattern.test(text) : () => false
  mentionsByConfig.set(secrets, mentions)
  return mentions
}

const mentionsByConfig = new WeakMap<Record<string, SecretConstraint>, (text: string) => boolean>()

/** `secrets.encryptionKey` → `encryption_key`. */
export function normalSecretName(name: string): string {
  let normal = normalNames.get(name)
  if (normal === undefined) {
    normal = name.slice(name.lastIndexOf('.') + 1).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
    // Every YAML key and shell variable of a document is looked up (`SecretNames.get`), and
    // most are the same few names again: remembered, up to a bound.
    if (normalNames.size >= 4096) normalNames.clear()
    normalNames.set(name, normal)
  }
  return normal
}

const normalNames = new Map<string, string>()

class SecretNames extends Map<string, SecretConstraint> {
  private readonly normal = new Map<string, SecretConstraint>()

  override set(name: string, secret: SecretConstraint): this {
    const key = normalSecretName(name)
    if (key !== '' && !this.normal.has(key)) this.normal.set(key, secret)
    return super.set(name, secret)
  }

  override get(name: string): SecretConstraint | undefined {
    return super.get(name) ?? this.normal.get(normalSecretName(name))
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined
  }
}

/** The configured secrets a generator's output reaches, once each: a fix must fit them all. */
export function secretsReached(gen: GenUse | SourceUse, byName: Map<string, SecretConstraint>): SecretConstraint[] {
  return [...new Set(gen.targets.flatMap((t) => byName.get(t.name) ?? []))]
}

export function resolveTargets(facts: DocFacts, secrets: SecretConstraint[]): void {
  if (resolved.has(facts)) return
  resolved.add(facts)
  const flows = new Map<string, Producer[]>()
  let known: Map<string, SecretConstraint> | undefined
  const configured = () => (known ??= namesOf(secrets))
  const assignments = [...facts.assignments].sort((a, b) => a.order - b.order)
  for (const assignment of assignments) {
    const producers: Producer[] = [...assignment.gens, ...assignment.sources]
    if (assignment.piped) {
      for (const gen of producers) add(gen, {name: assignment.name, how: 'pipe'})
    } else if (producers.length > 0) {
      for (const gen of producers) add(gen, {name: assignment.name, how: 'assignment'})
      // `const key = process.env.ENCRYPTION_KEY ?? crypto.randomBytes(32).toString('base64')`:
      // the default is the variable's when the name set is no configured secret.
      const read = assignment.defaultOf
      if (read && !configured().has(assignment.name)) for (const gen of producers) add(gen, {name: read.name, how: 'assignment', reads: read.reads ?? ''})
      flows.set(assignment.name, producers)
    } else if (assignment.refs.length > 0) {
      const gens = assignment.refs.flatMap((ref) => (flows.get(ref) ?? []).map((gen) => ({gen, ref})))
      for (const {gen, ref} of gens) add(gen, {name: assignment.name, via: ref, how: 'flow'})
      if (gens.length > 0) flows.set(assignment.name, gens.map((g) => g.gen))
      else flows.delete(assignment.name)
    } else {
      flows.delete(assignment.name)
    }
  }
  for (const gen of [...facts.generators, ...facts.sources]) {
    if (gen.targets.length > 0) continue
    // A lone `date` or `echo $RANDOM` prints a time or a number; only a pipeline that dresses it
    // up (`date | sha256sum`) reads as a secret generator.
    if ('bits' in gen && gen.stages.length < 2 && !gen.stages[0].args.some((a) => a.includes('RANDOM'))) continue
    const name = nameFromContext(gen, secrets)
    if (name) gen.targets.push({name, how: 'context'})
  }

  function add(gen: Producer, target: GenUse['targets'][number]) {
    if (!gen.targets.some((t) => t.name === target.name)) gen.targets.push(target)
  }
}

type Producer = GenUse | SourceUse

/**
 * The one secret named by the comment above, the table row, the paragraph, or the heading: the
 * nearest of these that names a secret decides, and one that names two (or a configured secret
 * and another secret written out, `WEBHOOK_SECRET`) names none.
 */
function nameFromContext(gen: Producer, secrets: SecretConstraint[]): string | undefined {
  const {context} = gen.snippet
  const texts = [commentAbove(gen.snippet, gen.start), context.row?.join(' | '), context.before, context.paragraph, context.heading]
  for (const text of texts) {
    if (!text) continue
    const named = secrets.filter((secret) => mentions(text, secret))
    const other = namesOtherSecret(text, secrets)
    if (named.length === 1 && !other) return named[0].name
    if (named.length > 0 || other) return undefined
  }
  return undefined
}

/** Whether `text` writes out the name of a secret that is none of `secrets` (`WEBHOOK_SECRET`, `signing-key`). */
function namesOtherSecret(text: string, secrets: SecretConstraint[]): boolean {
  const flat = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const [name] of text.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+/g)) {
    if (secretName(name) && !secrets.some((secret) => [secret.name, ...secret.aliases].some((known) => flat(known) === flat(name)))) return true
  }
  return false
}

/** Comment lines directly above a command in its block. */
export function commentAbove(snippet: Snippet, start: number): string | undefined {
  const lines = snippet.value.slice(0, start).split('\n')
  lines.pop()
  const comments: string[] = []
  while (lines.length > 0) {
    const line = lines.pop()!.trim()
    if (line.startsWith('#')) comments.push(line.slice(1))
    else break
  }
  return comments.length > 0 ? comments.join(' ') : undefined
}

/** `ENCRYPTION_KEY`, an alias, or the words of the name (`Encryption Key`, `encryption-key`). */
function mentions(text: string, secret: SecretConstraint): boolean {
  const normal = ' ' + text.toLowerCase().replace(/[^a-z0-9]+/g, ' ') + ' '
  for (const name of [secret.name, ...secret.aliases]) {
    const words = ' ' + name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() + ' '
    if (normal.includes(words)) return true
  }
  return false
}
