/**
 * Terraform's `random` provider as a source of secrets: `random_password`, `random_string`,
 * `random_id`, `random_bytes` and `random_uuid` resources in HCL blocks, and the attributes that
 * hand one of their outputs to a secret (`JWT_SECRET = random_id.jwt_secret.hex` in an env map,
 * a `kubernetes_secret`'s `data`, an `env { name value }` block). What an output is (its length,
 * characters and bits) is the generator model's (`TERRAFORM_RESOURCES` in ./generators.ts).
 *
 * Terraform reads a module as a whole, so a resource and its use may sit in different blocks of
 * a document, in either order: the blocks are read first (`resource`, `use`), then linked once
 * the document is read (`link`). A use becomes an assignment of the secret whose generator is
 * the resource's output, as `NAME=$(openssl rand …)` is in shell; a resource is only modelled when
 * every argument is written out (`length = var.key_length` is none docdrift knows), and a use
 * only when its address names one resource of the document.
 *
 * A resource or module block also hands an output over in an argument named like a secret
 * (`password = random_password.db.result` in an `aws_db_instance`: `secretArgument`), and a
 * local value passes one on (`locals { db = random_password.db.result }`, then `password =
 * local.db`) when the document declares the local once. A literal in such an argument is not read:
 * provider docs fill them with example credentials (`password = "foobarbaz"`), which are not the
 * service's secrets.
 *
 * A resource that nothing in the document uses may still be the secret's: its label spells a
 * configured secret (`random_password.encryption_key` for `ENCRYPTION_KEY`). That is read only
 * when the resource has one output (`random_password`, `random_string`, `random_uuid`), and no
 * block of the document mentions its address (a use docdrift does not follow,
 * `base64encode(random_password.encryption_key.result)`, may change what the service gets).
 */
import type {Snippet} from '../extract/snippets.js'
import type {HclAttribute, HclBlock} from './hcl.js'
import {analyzePipeline, outputCharacters, type Stage} from './generators.js'
import type {Assignment, DocFacts, GenUse, ResourceOutput, SourceUse} from './types.js'
import {literalSecretName} from './names.js'

/** The provider's resources, by type, with their size argument. */
const RESOURCES: Record<string, {size?: string; single: boolean}> = {
  random_password: {size: 'length', single: true},
  random_string: {size: 'length', single: true},
  random_id: {size: 'byte_length', single: false},
  random_bytes: {size: 'length', single: false},
  random_uuid: {single: true}
}

/** Arguments that do not change what a resource's outputs are. */
const inert = new Set(['keepers', 'depends_on', 'provider'])

interface Resource {
  snippet: Snippet
  block: HclBlock
  /** `random_password.encryption_key`. */
  address: string
  /** Declared more than once in the document: which one a use means is not known. */
  repeated?: true
}

interface Use {
  snippet: Snippet
  name: string
  names: string[]
  inner: [number, number]
}

/**
 * Whether an argument of a resource or module block takes a secret, by its name: a name whose
 * literal weak-secret reads (`password`, `master_password`, `client_secret`, `encryption_key`; no
 * `*_token`: an idempotency token, EFS's `creation_token`, is none), but not a key that names a
 * record (an S3 object's `key`, a DynamoDB table's `hash_key`).
 */
export function secretArgument(name: string): boolean {
  return literalSecretName(name) && !/^key$/i.test(name)
}

/**
 * Whether an HCL text may hold the provider's resources or their uses (through a local value too):
 * else nothing is read.
 */
export function mayUseRandom(text: string): boolean {
  return text.includes('random_') || text.includes('local.')
}

export interface RandomReader {
  /** A block of an HCL snippet: a `resource` of the provider is kept. */
  resource(snippet: Snippet, block: HclBlock): void
  /**
   * An attribute that sets the value of `name` to a reference: an output (`random_id.jwt.hex`) or
   * a local value (`local.jwt`).
   */
  use(snippet: Snippet, name: string, reference: NonNullable<HclAttribute['reference']>): void
  /** An attribute of a `locals` block: a local value, which may be an output. */
  local(name: string, reference: HclAttribute['reference']): void
  /**
   * The document's resources and uses as facts: each output used as a generator or source, each
   * use as an assignment; `configured` says whether a label spells a configured secret.
   */
  link(facts: DocFacts, configured?: (name: string) => boolean): void
}

export function randomResources(): RandomReader {
  const resources = new Map<string, Resource>()
  const uses: Use[] = []
  /** Local values by name: the output's names, or null when declared twice or not an output. */
  const locals = new Map<string, string[] | null>()
  return {
    resource(snippet, block) {
      const [type, label] = block.labels
      if (block.type !== 'resource' || block.labels.length !== 2 || !Object.hasOwn(RESOURCES, type) || !label) return
      const address = `${type}.${label}`
      const known = resources.get(address)
      if (known) known.repeated = true
      else resources.set(address, {snippet, block, address})
    },
    use(snippet, name, reference) {
      const {names} = reference
      if ((names.length === 3 && Object.hasOwn(RESOURCES, names[0])) || (names.length === 2 && names[0] === 'local')) uses.push({snippet, name, names, inner: reference.inner})
    },
    local(name, reference) {
      const names = reference?.names
      locals.set(name, !locals.has(name) && names?.length === 3 && Object.hasOwn(RESOURCES, names[0]) ? names : null)
    },
    link(facts, configured) {
      if (resources.size === 0) return
      /** Each output used, once (null: not modelled), by its address (`random_id.jwt.hex`). */
      const made = new Map<string, GenUse | SourceUse | null>()
      const outputs = new Map<Resource, Array<GenUse | SourceUse>>()
      for (const use of uses) {
        const names = use.names[0] === 'local' ? locals.get(use.names[1]) : use.names
        const resource = names && resources.get(`${names[0]}.${names[1]}`)
        if (!names || !resource || resource.repeated) continue
        const key = `${resource.address}.${names[2]}`
        let producer = made.get(key)
        if (producer === undefined) {
          producer = output(resource, names[2]) ?? null
          made.set(key, producer)
          if (producer) {
            push(facts, producer)
            outputs.set(resource, [...(outputs.get(resource) ?? []), producer])
          }
        }
        if (!producer) continue
        const order = use.snippet.start + use.inner[0]
        const assignment: Assignment = {snippet: use.snippet, start: use.inner[0], end: use.inner[1], name: use.name, refs: [], gens: [], sources: [], order}
        if ('output' in producer) assignment.gens.push(producer)
        else assignment.sources.push(producer)
        facts.assignments.push(assignment)
      }
      for (const list of outputs.values()) if (list.length > 1) for (const producer of list) producer.resource!.shared = true
      if (!configured) return
      for (const resource of resources.values()) {
        const [type, label] = resource.block.labels
        if (resource.repeated || !RESOURCES[type].single || !configured(label)) continue
        if (facts.snippets.some((snippet) => snippet.value.includes(resource.address))) continue
        const producer = output(resource, 'result')
        if (!producer) continue
        producer.targets.push({name: label, how: 'label'})
        push(facts, producer)
      }
    }
  }
}

function push(facts: DocFacts, producer: GenUse | SourceUse) {
  if ('output' in producer) facts.generators.push(producer)
  else facts.sources.push(producer)
}

/**
 * A resource's output as the model gives it, at its size's number (or its label); undefined
 * when an argument is not written out, or the model does not know the output.
 */
function output(resource: Resource, name: string): GenUse | SourceUse | undefined {
  const {block, snippet} = resource
  const [type] = block.labels
  const args = [name]
  for (const attribute of block.attributes) {
    if (inert.has(attribute.name)) continue
    // `count` and `for_each` make several (`random_password.x[0]`); a reference is unknown.
    const value = attribute.number?.value ?? attribute.flag ?? attribute.value?.value
    if (value === undefined || attribute.name === 'count' || attribute.name === 'for_each') return undefined
    args.push(`${attribute.name}=${value}`)
  }
  if (block.blocks.some((inner) => inner.type !== 'lifecycle')) return undefined
  const stages: Stage[] = [{name: type, args, terraform: true}]
  const analysis = analyzePipeline(stages)
  const size = RESOURCES[type].size
  const number = size === undefined ? undefined : block.attributes.find((a) => a.name === size)?.number
  const at = number?.inner ?? block.labelsAt[1]
  if (!at || analysis.status === 'unknown') return undefined
  const [start, end] = at
  const order = snippet.start + start
  const described = (chars?: number, set?: number): ResourceOutput => ({
    name: `${resource.address}.${name}`,
    size: number ? size : undefined,
    draws: type === 'random_id' || type === 'random_bytes' ? `${number?.value} random bytes` : `${chars} characters from a set of ${set}`
  })
  if (analysis.status === 'variable') {
    return {snippet, start, end, printEnd: end, stages, bits: analysis.bits, reason: analysis.reason, targets: [], order, resource: described()}
  }
  const out = analysis.output
  return {snippet, start, end, printEnd: end, stages, output: out, targets: [], order, resource: described(out.chars, outputCharacters(stages)?.length)}
}

/**
 * The size a suggestion gives a resource's output (`length = 32` in what `render` wrote for it),
 * for a fix that rewrites the number in place; undefined when the suggestion is not that.
 */
export function suggestedSize(resource: ResourceOutput, command: string): number | undefined {
  if (!resource.size) return undefined
  const match = new RegExp(`[{,] ${resource.size} = (\\d+)(?=,| \\})`).exec(command)
  return match ? Number(match[1]) : undefined
}
