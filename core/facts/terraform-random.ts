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

/** Whether an HCL text may hold the provider's resources or their uses: else nothing is read. */
export function mayUseRandom(text: string): boolean {
  return text.includes('random_')
}

export interface RandomReader {
  /** A block of an HCL snippet: a `resource` of the provider is kept. */
  resource(snippet: Snippet, block: HclBlock): void
  /** An attribute that sets the value of `name` to a reference (`random_id.jwt_secret.hex`). */
  use(snippet: Snippet, name: string, reference: NonNullable<HclAttribute['reference']>): void
  /**
   * The document's resources and uses as facts: each output used as a generator or source, each
   * use as an assignment; `configured` says whether a label spells a configured secret.
   */
  link(facts: DocFacts, configured?: (name: string) => boolean): void
}

export function randomResources(): RandomReader {
  const resources = new Map<string, Resource>()
  const uses: Use[] = []
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
      if (reference.names.length === 3 && Object.hasOwn(RESOURCES, reference.names[0])) uses.push({snippet, name, names: reference.names, inner: reference.inner})
    },
    link(facts, configured) {
      if (resources.size === 0) return
      /** Each output used, once (null: not modelled), by its address (`random_id.jwt.hex`). */
      const made = new Map<string, GenUse | SourceUse | null>()
      const outputs = new Map<Resource, Array<GenUse | SourceUse>>()
      for (const use of uses) {
        const resource = resources.get(`${use.names[0]}.${use.names[1]}`)
        if (!resource || resource.repeated) continue
        const key = `${resource.address}.${use.names[2]}`
        let producer = made.get(key)
        if (producer === undefined) {
          producer = output(resource, use.names[2]) ?? null
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
