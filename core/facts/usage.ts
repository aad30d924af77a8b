/**
 * No vacuous passes: which config facts the linted docs were actually checked against.
 *
 * A wrong config passes silently: a stale prefix nobody writes, a route with a typo, a secret
 * whose name the docs never use. Every rule records, for each place it looks at, which config
 * facts it compared the place with and whether the fact applied (`RuleContext.use`); the engine
 * returns those counts per file in `LintResult.usage`; this module lists the config's facts and
 * adds the counts up over a run.
 *
 * Usage (what `docdrift --facts` prints):
 *
 * ```ts
 * const tally = new UsageTally()
 * for (const file of files) tally.add(lintMarkdown({text, path: file}, options))
 * for (const fact of tally.facts()) console.log(fact.kind, fact.fact, fact.source, fact.checked, fact.matched)
 * tally.unmatched() // facts that matched nothing in the whole run: warn about these
 * ```
 *
 * Fact keys (`FactUsage.key`), as rules record them:
 * - `prefix` — `routes.prefix`: checked for every URL aimed at the service, matched when the URL is under it;
 * - `stalePrefix:<p>` — each `routes.stalePrefixes` entry: matched when a URL is under it;
 * - `route:<template>` — each route (`routes.paths`, `routes.openapi`): matched when a URL resolves to it;
 * - `port:<n>` — each `routes.ports` entry: checked for every localhost URL that names a port, matched when it names this one;
 * - `secret:<NAME>` — each `secrets` entry: matched when a generator or value is written to it;
 * - `image:<repository>` — each `images.pinned` entry: checked for every image reference, matched for its repository;
 * - `floating:<name>` — each `images.floating` entry: matched when a reference may float because of it;
 * - `install:<name>` — each version from `installs` (config or manifest): matched when an install of it is found;
 * - `pattern:<id>` — each `forbidden` pattern: matched once per match.
 */
import type {LintResult} from '../engine.js'
import type {ResolvedConfig, SourceRef} from '../types.js'

export type FactKind = 'prefix' | 'stale-prefix' | 'route' | 'port' | 'secret' | 'image' | 'floating-image' | 'install' | 'pattern'

export interface FactUsage {
  /** Key rules record usage under (see above). */
  key: string
  kind: FactKind
  /** The fact itself, for display: `/chatbox`, `/admin/takeover/:sessionID`, `ENCRYPTION_KEY`, `wscat@6.0.1`. */
  fact: string
  /** The file and key it came from. */
  source: SourceRef
  /** Places in the linted docs compared with this fact. */
  checked: number
  /** Places this fact applied to (0: the fact never matched anything: check the config). */
  matched: number
  /** A version read from a manifest (`installs.manifests`): listed by `UsageTally` only when it matched. */
  optional?: boolean
}

/** Every fact of a config, with zero counts, in config order. */
export function configFacts(config: ResolvedConfig): FactUsage[] {
  const out: FactUsage[] = []
  const add = (key: string, kind: FactKind, fact: string, source: SourceRef) => out.push({key, kind, fact, source, checked: 0, matched: 0})
  const routes = config.routes
  if (routes) {
    add('prefix', 'prefix', routes.prefix || '/', routes.prefixSource)
    routes.stalePrefixes.forEach((stale, index) => add(`stalePrefix:${stale}`, 'stale-prefix', stale, {file: config.file ? baseName(config.file) : 'inline config', key: `routes.stalePrefixes[${index}]`}))
    for (const route of routes.paths) add(`route:${route.path}`, 'route', route.methods ? `${route.methods.join(',')} ${route.path}` : route.path, route.source)
    for (const port of routes.ports) add(`port:${port.port}`, 'port', String(port.port), port.source)
  }
  for (const secret of Object.values(config.secrets)) add(`secret:${secret.name}`, 'secret', secret.name, secret.source)
  for (const [repository, pinned] of Object.entries(config.images?.pinned ?? {})) add(`image:${repository}`, 'image', pinned.ref, pinned.source)
  for (const floating of config.images?.floating ?? []) add(`floating:${floating.name}`, 'floating-image', floating.name, floating.source)
  for (const [name, entry] of Object.entries(config.installs?.versions ?? {})) {
    add(`install:${name}`, 'install', `${name}@${entry.version}`, entry.source)
    if (entry.fromManifest) out[out.length - 1].optional = true
  }
  for (const pattern of config.forbidden ?? []) add(`pattern:${pattern.id}`, 'pattern', pattern.pattern, pattern.source)
  return out
}

/** Adds up the usage of one config's facts over the files of a run. */
export class UsageTally {
  private readonly byConfig = new Map<ResolvedConfig, {checked: Record<string, number>; matched: Record<string, number>}>()

  /** Count one file's result (files without a config or with a config error count for nothing). */
  add(result: LintResult): void {
    if (!result.config || !result.usage) return
    let sum = this.byConfig.get(result.config)
    if (!sum) this.byConfig.set(result.config, (sum = {checked: {}, matched: {}}))
    for (const [key, n] of Object.entries(result.usage.checked)) sum.checked[key] = (sum.checked[key] ?? 0) + n
    for (const [key, n] of Object.entries(result.usage.matched)) sum.matched[key] = (sum.matched[key] ?? 0) + n
  }

  /** Each config seen, with its facts and their counts. */
  configs(): Array<{config: ResolvedConfig; facts: FactUsage[]}> {
    return [...this.byConfig].map(([config, sum]) => ({
      config,
      facts: configFacts(config)
        .map((fact) => ({...fact, checked: sum.checked[fact.key] ?? 0, matched: sum.matched[fact.key] ?? 0}))
        .filter((fact) => !fact.optional || fact.matched > 0)
    }))
  }

  /** All facts of all configs seen. */
  facts(): FactUsage[] {
    return this.configs().flatMap((c) => c.facts)
  }

  /** Facts that matched nothing in the whole run. */
  unmatched(): FactUsage[] {
    return this.facts().filter((fact) => fact.matched === 0)
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file
}
