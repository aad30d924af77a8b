/**
 * Tool installs in a document's commands: `go install|get|run …@latest`, global `npm`/`pnpm`/
 * `yarn`/`bun` installs, `npx x@latest` (and `pnpm dlx`, `yarn dlx`, `bunx`), `pip install x`
 * without `==` (and `uv pip install`, `uv tool install`), `uvx x@latest` (and `uvx --from`),
 * `cargo install|binstall x` and `gem install x` without a version, Helm charts installed or
 * upgraded from a repository without `--version` (or with a range), and by the Flux CLI without
 * `--chart-version` (`flux create helmrelease`), from a branch (`flux create source git`) or at
 * `latest` (`flux create source oci`), installers run as they download (`curl … | sh`,
 * `bash -c "$(curl …)"`, `sh <(curl …)`; in PowerShell `irm … | iex`), and GitHub Actions that a
 * workflow runs from a branch (`uses: x/y@main`).
 */
import {isMap, isScalar, isSeq, visit, type Node, type Pair} from 'yaml'
import type {Snippet} from '../extract/snippets.js'
import {runCommand, valueRange, type ShCommand, type ShPipeline, type ShWord} from '../shell/parse.js'
import {parseHcl, type HclBlock} from './hcl.js'
import {fetches as psFetches, parsePowerShell, powershellAssignments, variableName} from './powershell.js'
import type {DocFacts} from './types.js'
import {innerRange, parseYamlDocuments} from './yaml.js'

/**
 * `action`: a GitHub Actions step or reusable workflow (`uses: owner/repo@ref`); `helm`: a chart;
 * `release`: a GitHub release asset fetched through `releases/latest/download/`.
 * `branch`: a file of a GitHub repository fetched from a branch
 * (`raw.githubusercontent.com/OWNER/REPO/main/…`), or a GitOps source that deploys one (Argo CD,
 * Flux `GitRepository`), read only for a repository `installs.versions` names (the docs' own
 * repository's branch is theirs); `artifact`: a Flux `OCIRepository` at `latest`, read likewise.
 */
export type Ecosystem = 'go' | 'npm' | 'pip' | 'cargo' | 'gem' | 'action' | 'helm' | 'release' | 'branch' | 'artifact'

export interface Install {
  snippet: Snippet
  /**
   * Range of the package word in the snippet value; for a download, of the pipeline from the
   * download to what runs it, or of the command that runs it (`bash -c "$(curl …)"`); for a
   * release, of `latest/download` in its address.
   */
  start: number
  end: number
  /** The text in that range. */
  text: string
  /** `download`: an installer run as it downloads, piped into a shell or given to one as its script. */
  kind: Ecosystem | 'download'
  /** Package name or Go package path (for `download`: the URL, or the command that downloads). */
  name: string
  /** What the doc asked for: `latest`, a range, or undefined for no version at all. */
  requested?: string
  /** A Python package written `name@version` (`uvx ruff@latest`), pinned the same way. */
  at?: true
  /** The version asked for is an option's (`gem install x -v '~> 7.1'`), not part of the word. */
  ranged?: true
  /** A Terraform `helm_release`: its version is an attribute to add beside the chart, which no fix writes. */
  attribute?: true
  /**
   * Run once without a version (`npx wscat`, `pnpm dlx`, `uvx httpie`): the newest, or what is
   * installed or cached. Only the version the config asks for makes that drift
   * (unpinned-install reads it then).
   */
  runner?: true
  /**
   * A chart's range given to `--version` (`helm install x repo/chart --version '^1.2'`): the range
   * is that option's value, which the fix replaces.
   */
  option?: true
  /** A chart rendered (`helm template`) or downloaded (`helm pull`) rather than installed. */
  verb?: 'renders' | 'downloads'
  /**
   * A GitOps or chart manifest's YAML field that pins it (`version`, `targetRevision`, `tag`,
   * `ref.tag`; the first part is the key the manifest lacks): the range is its value when
   * `requested` is set, else the chart or the repository that has none.
   */
  field?: string
  /**
   * The option that pins a command's install, when it is not Helm's `--version`:
   * `--chart-version` of `flux create helmrelease`, `--tag` in place of the `--branch` of `flux
   * create source git` (or after its `--url`, with no ref given), and the `--tag` of `flux create
   * source oci`.
   */
  flag?: string
  /**
   * A `Chart.yaml` dependency's version as the page's `Chart.lock` holds it, outside the
   * dependency's range (`v1.17.0` for `~1.16`): the lock does not pin it.
   */
  lockedOutside?: string
}

const cache = new WeakMap<DocFacts, Install[]>()
const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish'])
/** A shell's options that take a value as the next word (`bash -o pipefail`). */
const shellValued: ReadonlySet<string> = new Set(['-o', '-O', '+o', '+O'])
/**
 * Interpreters that run a program given as text (`python3 -c '…'`), from a file, or, given
 * neither, from their standard input (`curl … | python3 -`, Poetry's installer): the option
 * letters that take the program's text (`-c`, `perl -ne`), those that run something else
 * (`python3 -m json.tool` pretty-prints what it reads), and the options that take a value.
 */
const interpreters: Record<string, {text: string; other?: string; valued?: ReadonlySet<string>}> = {
  python: {text: 'c', other: 'm', valued: new Set(['-W', '-X'])},
  python3: {text: 'c', other: 'm', valued: new Set(['-W', '-X'])},
  perl: {text: 'eE', valued: new Set(['-I', '-M', '-m'])},
  ruby: {text: 'e', valued: new Set(['-r', '-I'])},
  node: {text: 'ep', valued: new Set(['-r', '--require', '--import'])}
}
const floatingGo = new Set(['latest', 'master', 'main', 'HEAD', 'upgrade', 'patch'])
/** Installers' own bootstrap packages: upgrading them is not installing a tool. */
const pipBootstrap = new Set(['pip', 'setuptools', 'wheel'])

export function installs(facts: DocFacts): Install[] {
  let out = cache.get(facts)
  if (out) return out
  out = []
  // Read only for a document that installs a chart.
  let added: Set<string> | undefined
  const repos = () => (added ??= helmRepos(facts))
  let locked: ChartLock[] | undefined
  const locks = () => (locked ??= chartLocks(facts))
  for (const {snippet, script} of facts.scripts) {
    // Most blocks fetch no latest release: their words are not searched for one.
    const releases = snippet.value.includes('/releases/latest/download/') || snippet.value.includes('raw.githubusercontent.com/') || snippet.value.includes('/raw/')
    for (const pipeline of script.pipelines) {
      piped(snippet, pipeline, out)
      for (const command of pipeline.commands) {
        substituted(snippet, command, out)
        commandInstalls(snippet, command, out, repos, releases)
        powershellCommand(snippet, command, out)
      }
    }
  }
  for (const snippet of facts.snippets) {
    if (snippet.lang === 'yaml') actions(snippet, out)
    if (snippet.lang === 'yaml' && mayDeploy(snippet.value)) manifests(snippet, out, repos, locks)
    if (snippet.lang === 'hcl' && snippet.value.includes('helm_release')) helmReleases(snippet, out)
    // A PowerShell block is read for URLs (lang `code`) and here for its installers.
    if (snippet.dialect === 'powershell' && mayRunDownload(snippet.value)) powershellDownloads(snippet, snippet.value, (from, to) => [from, to], out)
  }
  const seen = new Set<string>()
  const downloads = out.filter((i) => i.kind === 'download')
  out = out.filter((i) => {
    const key = `${i.snippet.start}:${i.start}:${i.end}`
    if (seen.has(key)) return false
    seen.add(key)
    // A latest release run as it downloads is reported as what it is, once.
    return i.kind !== 'release' || !downloads.some((d) => d.snippet === i.snippet && d.start <= i.start && i.end <= d.end)
  })
  out.sort((a, b) => a.snippet.start - b.snippet.start || a.start - b.start)
  cache.set(facts, out)
  return out
}

/**
 * Terraform's `resource "helm_release"` without `version`: a chart from its `repository` (or an
 * `oci://` chart) at whatever version is newest when `terraform apply` runs. Without a
 * repository the chart is a folder, an archive or its URL: nothing to pin.
 */
function helmReleases(snippet: Snippet, out: Install[]) {
  const visit = (block: HclBlock) => {
    for (const inner of block.blocks) {
      if (inner.type === 'resource' && inner.labels[0] === 'helm_release') release(inner)
      else visit(inner)
    }
  }
  const release = (block: HclBlock) => {
    const chart = block.attributes.find((a) => a.name === 'chart')?.value
    const has = (name: string) => block.attributes.some((a) => a.name === name)
    if (chart?.value === undefined || has('version')) return
    const name = chart.value
    if (!has('repository') && !name.startsWith('oci://')) return
    out.push({snippet, start: chart.inner[0], end: chart.inner[1], text: name, kind: 'helm', name, attribute: true})
  }
  visit(parseHcl(snippet.value))
}

/** Refs that name a branch (or `latest`): the code a workflow runs moves with it. */
const floatingRefs = new Set(['latest', 'master', 'main', 'HEAD'])

/**
 * GitHub Actions `uses: owner/repo[/path]@ref` (a step's action, a job's reusable workflow) on a
 * branch. A release tag, even a moving major tag (`@v4`), is the publisher's promise and is not
 * reported; local actions (`./…`) and images (`docker://…`, mutable-image's) are not installs.
 */
function actions(snippet: Snippet, out: Install[]) {
  const text = snippet.value
  // Most YAML blocks run no action: skip their parse (the key is spelled out in the text).
  if (!text.includes('uses')) return
  for (const doc of parseYamlDocuments(text) ?? []) {
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || pair.key.value !== 'uses' || !isScalar(pair.value) || typeof pair.value.value !== 'string' || !pair.value.range) return
        const spec = pair.value.value
        const match = /^([\w.-]+\/[\w.-]+(?:\/[^@\s]+)?)@([^@\s]+)$/.exec(spec)
        if (!match || !floatingRefs.has(match[2])) return
        const [start, end] = innerRange(pair.value)
        // Written with escapes the range cannot be the value's (`"actions\/checkout@main"`).
        if (text.slice(start, end) !== spec) return
        out.push({snippet, start, end, text: spec, kind: 'action', name: match[1], requested: match[2]})
      }
    })
  }
}

/**
 * The words a GitOps or chart manifest holds (`chart:` in Argo CD, Flux `HelmRelease` and
 * `HelmChart`, helmfile and Fleet; `dependencies:` in `Chart.yaml`; `helmCharts:` in a
 * kustomization; `argoproj.io/`, `GitRepository`, `OCIRepository`). Most YAML blocks have none:
 * their parse is skipped.
 */
function mayDeploy(text: string): boolean {
  return text.includes('chart:') || text.includes('dependencies:') || text.includes('helmCharts:') || text.includes('argoproj.io/') || text.includes('Repository')
}

/** Branches a Git source deploys whatever was merged last from. */
const gitBranches = new Set(['HEAD', 'main', 'master', 'develop'])

/**
 * `1.x`, `*`, `^1.2`, `~1.2`, `>=1.2 <2`, `1.2 - 1.4`, and `latest` or `HEAD` (Argo CD's newest):
 * a chart version that moves. A version (`1.2.3`, `v1.2`) and whatever is not read as either
 * (a template, `{{ .Values.version }}`) do not.
 */
export function floatingChart(version: string): boolean {
  const v = version.trim()
  if (v === 'latest' || v === 'HEAD') return true
  if (pinnedVersion(v)) return false
  const clauses = v.replace(/([<>=!~^])\s+(?=[\dvxX*])/g, '$1').split(/\s*(?:\|\||,)\s*|\s+/).filter((c) => c !== '' && c !== '-')
  return clauses.length > 0 && clauses.every((c) => /^(?:[<>]=?|=|!=|\^|~>?)?v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(c))
}

/** A map's value for `key` (the node), if the node is a map. */
function field(node: unknown, key: string): unknown {
  return isMap(node) ? node.get(key, true) : undefined
}

/** A scalar's string (a plain number as written: `version: 1.12` is `1.12`); undefined otherwise. */
function scalarText(text: string, node: unknown): string | undefined {
  if (!isScalar(node) || !node.range) return undefined
  if (typeof node.value === 'string') return node.value
  if (typeof node.value === 'number') return text.slice(node.range[0], node.range[1])
  return undefined
}

/**
 * Charts and repositories that GitOps and chart manifests deploy without a pin, in YAML blocks
 * (and YAML here-documents):
 * - Argo CD `Application` and `ApplicationSet` (its `template`) sources (`spec.source`,
 *   `spec.sources[]`): a chart (`chart` with `repoURL`) whose `targetRevision` is missing or
 *   moves (`*`, a range, `latest`, `HEAD`), and a Git source (`path` with `repoURL`) on a branch
 *   (`targetRevision` missing, `HEAD`, `main`, `master`, `develop`);
 * - Flux `HelmRelease` (`spec.chart.spec`) and `HelmChart` (`spec`) from a `HelmRepository` with
 *   no `version` or a range,
 *   `GitRepository` on a branch (`spec.ref.branch: main` with no `tag`, `semver`, `commit` or
 *   `name`, or no `ref`, which is `master`), and `OCIRepository` with no `ref` or at
 *   `tag: latest`;
 * - Helm `Chart.yaml` (or `requirements.yaml`) `dependencies[]` from a repository, with no
 *   version or a range (unless the page's `Chart.lock` pins it within the range: `chartLocks`),
 *   and helmfile `releases[]` of a `repo/chart` whose `repo` the file lists (or the document
 *   adds), with no version or a range;
 * - a k3s / RKE2 `HelmChart` (`helm.cattle.io`) from a `repo` (or an `oci://` chart without a
 *   tag), with no `version` or a range;
 * - Kustomize `helmCharts[]` (a `kustomization.yaml`, or a `Kustomization` or `Component` of
 *   `kustomize.config.k8s.io`) from a `repo`, and a Rancher Fleet `fleet.yaml` `helm` chart from
 *   a `repo` (or an `oci://` chart without a tag), with no `version` or a range.
 * Values with a template (`{{ … }}`, `${…}`) are not read: they are filled in elsewhere.
 */
function manifests(snippet: Snippet, out: Install[], repos: () => ReadonlySet<string>, locks: () => readonly ChartLock[]) {
  const text = snippet.value
  const documents = parseYamlDocuments(text) ?? []
  const templated = (value: string) => value.includes('{{') || value.includes('${')
  /** A scalar's place as written, or undefined (escapes, a template, not a string). */
  const place = (node: unknown): {value: string; start: number; end: number} | undefined => {
    const value = scalarText(text, node)
    if (value === undefined || value === '' || templated(value)) return undefined
    const [start, end] = innerRange(node as Parameters<typeof innerRange>[0])
    return text.slice(start, end) === value ? {value, start, end} : undefined
  }
  const push = (at: {value: string; start: number; end: number}, kind: Ecosystem, name: string, pin: string, requested?: string, extra: Partial<Install> = {}) => {
    out.push({snippet, start: at.start, end: at.end, text: at.value, kind, name, field: pin, ...(requested === undefined ? {} : {requested}), ...extra})
  }
  /** A chart at `version` (a node, or undefined when the key is missing): reported when it moves. */
  const chart = (name: {value: string; start: number; end: number}, version: unknown, hasVersion: boolean, pin: string, extra: Partial<Install> = {}) => {
    if (!hasVersion) return push(name, 'helm', name.value, pin, undefined, extra)
    const at = place(version)
    if (at && floatingChart(at.value)) push(at, 'helm', name.value, pin, at.value, extra)
  }
  const has = (node: unknown, key: string) => isMap(node) && node.has(key)
  // helmfile repositories, by name, from every document of the block.
  let listed: Set<string> | undefined
  const helmfileRepos = () => (listed ??= new Set(documents.flatMap((doc) => {
    const list = field(doc.contents, 'repositories')
    return isSeq(list) ? list.items.map((item) => scalarText(text, field(item, 'name'))).filter((n): n is string => n !== undefined) : []
  })))
  for (const doc of documents) {
    const root = doc.contents
    if (!isMap(root)) continue
    const kind = scalarText(text, field(root, 'kind'))
    const api = scalarText(text, field(root, 'apiVersion')) ?? ''
    if ((kind === 'Application' || kind === 'ApplicationSet') && api.startsWith('argoproj.io/')) {
      const spec = kind === 'ApplicationSet' ? field(field(field(root, 'spec'), 'template'), 'spec') : field(root, 'spec')
      const many = field(spec, 'sources')
      for (const source of [field(spec, 'source'), ...(isSeq(many) ? many.items : [])]) {
        if (!isMap(source)) continue
        const repoURL = place(field(source, 'repoURL'))
        const name = place(field(source, 'chart'))
        const revision = field(source, 'targetRevision')
        if (repoURL && name) {
          chart(name, revision, has(source, 'targetRevision'), 'targetRevision')
        } else if (repoURL && has(source, 'path') && !has(source, 'chart')) {
          const repository = gitRepository(repoURL.value)
          if (repository === undefined) continue
          if (!has(source, 'targetRevision')) push(repoURL, 'branch', repository, 'targetRevision')
          const at = place(revision)
          if (at && gitBranches.has(at.value)) push(at, 'branch', repository, 'targetRevision', at.value)
        }
      }
    } else if ((kind === 'HelmRelease' && api.includes('fluxcd.io/')) || (kind === 'HelmChart' && api.startsWith('source.toolkit.fluxcd.io/'))) {
      // A `HelmRelease`'s chart template, or the `HelmChart` it makes (also written by hand).
      const spec = kind === 'HelmRelease' ? field(field(field(root, 'spec'), 'chart'), 'spec') : field(root, 'spec')
      const name = place(field(spec, 'chart'))
      // A chart from a Git repository or a bucket is a folder: its version is the source's.
      if (!name || scalarText(text, field(field(spec, 'sourceRef'), 'kind')) !== 'HelmRepository' || /^[./]/.test(name.value)) continue
      chart(name, field(spec, 'version'), has(spec, 'version'), 'version')
    } else if (kind === 'HelmChart' && api.startsWith('helm.cattle.io/')) {
      // k3s' and RKE2's Helm controller: `spec.chart` from `spec.repo`, or an `oci://` chart
      // without a tag; a chart archive (`….tgz`, `chartContent`) is fixed.
      const spec = field(root, 'spec')
      const name = place(field(spec, 'chart'))
      const repo = scalarText(text, field(spec, 'repo'))
      if (!name || name.value.endsWith('.tgz')) continue
      const last = name.value.slice(name.value.lastIndexOf('/') + 1)
      if (!(repo !== undefined && /^(https?|oci):\/\//.test(repo)) && !(name.value.startsWith('oci://') && !/[:@]/.test(last))) continue
      chart(name, field(spec, 'version'), has(spec, 'version'), 'version')
    } else if (kind === 'GitRepository' && api.startsWith('source.toolkit.fluxcd.io/')) {
      const spec = field(root, 'spec')
      const url = place(field(spec, 'url'))
      const repository = url && gitRepository(url.value)
      if (!url || repository === undefined) continue
      const ref = field(spec, 'ref')
      if (!has(spec, 'ref')) {
        push(url, 'branch', repository, 'ref.tag')
        continue
      }
      if (['tag', 'semver', 'commit', 'name'].some((key) => has(ref, key))) continue
      // `branch: main` becomes `tag: vX.Y.Z`: the key and its value, written on one line.
      const pair = isMap(ref) ? (ref.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'branch') : undefined
      const branch = place(pair?.value)
      const key = pair?.key as Node | undefined
      if (!branch || !gitBranches.has(branch.value) || !key?.range) continue
      const start = key.range[0]
      const end = text[branch.end] === '"' || text[branch.end] === "'" ? branch.end + 1 : branch.end
      const written = text.slice(start, end)
      if (/[\r\n]/.test(written)) continue
      out.push({snippet, start, end, text: written, kind: 'branch', name: repository, field: 'tag', requested: branch.value})
    } else if (kind === 'OCIRepository' && api.startsWith('source.toolkit.fluxcd.io/')) {
      const spec = field(root, 'spec')
      const url = place(field(spec, 'url'))
      if (!url || !url.value.startsWith('oci://')) continue
      const ref = field(spec, 'ref')
      if (!has(spec, 'ref')) {
        push(url, 'artifact', url.value, 'ref.tag')
        continue
      }
      const tag = place(field(ref, 'tag'))
      if (tag?.value === 'latest' && !['semver', 'digest'].some((key) => has(ref, key))) push(tag, 'artifact', url.value, 'tag', tag.value)
    } else if (kind === undefined && isSeq(field(root, 'dependencies'))) {
      // Chart.yaml (requirements.yaml): subcharts from a chart repository or an OCI registry.
      for (const dependency of (field(root, 'dependencies') as {items: unknown[]}).items) {
        const name = place(field(dependency, 'name'))
        const repository = scalarText(text, field(dependency, 'repository'))
        if (!name || repository === undefined || !/^(https?|oci):\/\//.test(repository)) continue
        // A range the page's Chart.lock resolves (no version is `*`): `helm dependency build`
        // installs the locked version.
        const range = has(dependency, 'version') ? scalarText(text, field(dependency, 'version')) : '*'
        const lock = range === undefined ? undefined : lockedWithin(locks(), name.value, repository, range)
        if (lock?.pinned) continue
        chart(name, field(dependency, 'version'), has(dependency, 'version'), 'version', lock?.outside === undefined ? {} : {lockedOutside: lock.outside})
      }
    } else if (kind === undefined && isSeq(field(root, 'releases'))) {
      // helmfile: a `repo/chart` whose repository the file lists or the document adds; else a
      // folder.
      for (const release of (field(root, 'releases') as {items: unknown[]}).items) {
        const name = place(field(release, 'chart'))
        const slash = name ? name.value.indexOf('/') : -1
        if (!name || slash <= 0 || name.value.indexOf('/', slash + 1) !== -1) continue
        const repo = name.value.slice(0, slash)
        if (!helmfileRepos().has(repo) && !repos().has(repo)) continue
        chart(name, field(release, 'version'), has(release, 'version'), 'version')
      }
    } else if ((kind === undefined || ((kind === 'Kustomization' || kind === 'Component') && api.startsWith('kustomize.config.k8s.io/'))) && isSeq(field(root, 'helmCharts'))) {
      // Kustomize inflates each chart from its `repo` (`helm pull`); without one, a folder of
      // `helmGlobals.chartHome`.
      for (const entry of (field(root, 'helmCharts') as {items: unknown[]}).items) {
        const name = place(field(entry, 'name'))
        const repo = scalarText(text, field(entry, 'repo'))
        if (!name || repo === undefined || !/^(https?|oci):\/\//.test(repo)) continue
        chart(name, field(entry, 'version'), has(entry, 'version'), 'version')
      }
    } else if (kind === undefined && !has(root, 'apiVersion') && isMap(field(root, 'helm'))) {
      // Fleet's fleet.yaml: a chart from `repo` (where `chart` is its name), or an `oci://` chart
      // (a tag or a digest pins it); else a folder, an archive or its URL, or a Git repository's.
      const helm = field(root, 'helm')
      const name = place(field(helm, 'chart'))
      const repo = scalarText(text, field(helm, 'repo'))
      if (!name) continue
      const last = name.value.slice(name.value.lastIndexOf('/') + 1)
      const fromRepo = repo !== undefined && /^(https?|oci):\/\//.test(repo)
      if (!fromRepo && !(name.value.startsWith('oci://') && !/[:@]/.test(last))) continue
      // A target's own version (`targetCustomizations[].helm.version`) stands in for a missing one.
      const targets = field(root, 'targetCustomizations')
      const targeted = isSeq(targets) && targets.items.some((target) => has(field(target, 'helm'), 'version'))
      chart(name, field(helm, 'version'), has(helm, 'version') || targeted, 'version')
    }
  }
}

/** A subchart as a `Chart.lock` (or Helm 2's `requirements.lock`) pins it. */
interface ChartLock {
  name: string
  repository: string
  version: string
}

/**
 * The subcharts pinned by the `Chart.lock` files a page shows in its YAML blocks (a map of
 * `dependencies`, `digest` and `generated`, with no `apiVersion`): `helm dependency build`
 * installs these versions, whatever the `Chart.yaml` ranges would resolve to today. None when the
 * page runs something that resolves the ranges again and rewrites the lock (`helm dependency
 * update`, `helm dep up`, `--dependency-update` of `helm install`, `upgrade`, `template` or
 * `package`, `helm package -u`): the lock shown is then not what the reader installs.
 */
function chartLocks(facts: DocFacts): ChartLock[] {
  for (const {script} of facts.scripts) {
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        const {name, args} = runCommand(command)
        if (name === 'helm' && resolvesAgain(args.map((a) => a.value))) return []
      }
    }
  }
  const out: ChartLock[] = []
  for (const snippet of facts.snippets) {
    if (snippet.lang !== 'yaml' || !snippet.value.includes('generated')) continue
    const text = snippet.value
    for (const doc of parseYamlDocuments(text) ?? []) {
      const root = doc.contents
      const list = field(root, 'dependencies')
      if (!isMap(root) || !isSeq(list) || root.has('apiVersion') || !root.has('digest') || !root.has('generated')) continue
      for (const item of list.items) {
        const [name, repository, version] = ['name', 'repository', 'version'].map((key) => scalarText(text, field(item, key)))
        if (name !== undefined && repository !== undefined && version !== undefined) out.push({name, repository, version})
      }
    }
  }
  return out
}

/**
 * A `helm` command that resolves a chart's dependency ranges again (its words): `helm
 * dependency|dependencies|dep update|up`, and `--dependency-update` (`-u` of `helm package`).
 * Read loosely on purpose: a command taken for one keeps the ranges reported.
 */
function resolvesAgain(values: readonly (string | undefined)[]): boolean {
  if (values.some((v) => v === '--dependency-update' || v?.startsWith('--dependency-update='))) return true
  const words = values.filter((v): v is string => v !== undefined && !v.startsWith('-'))
  if (words[0] === 'package' && values.includes('-u')) return true
  const dependency = words.findIndex((w) => w === 'dependency' || w === 'dependencies' || w === 'dep')
  return dependency !== -1 && words.slice(dependency + 1).some((w) => w === 'update' || w === 'up')
}

/**
 * What the page's locks say of a Chart.yaml dependency's range (`^18.1.0`): `pinned` when every
 * lock entry of the same name and repository holds a version within it, and there is one (a
 * range or a version not understood is not); else `outside`, the version of an entry read
 * outside the range (`v1.17.0` for `~1.16`), which the lock holds but does not pin it to.
 */
function lockedWithin(locks: readonly ChartLock[], name: string, repository: string, range: string): {pinned: boolean; outside?: string} {
  const same = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '')
  const entries = locks.filter((lock) => lock.name === name && same(lock.repository, repository))
  if (entries.length > 0 && entries.every((lock) => withinRange(lock.version, range))) return {pinned: true}
  const outside = entries.find((lock) => rangeHolds(lock.version, range) === false)
  return outside ? {pinned: false, outside: outside.version} : {pinned: false}
}

/** `1.2.3`, `v1.2.3`: a release's numbers; undefined for a prerelease or anything else. */
function release(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(\+[0-9A-Za-z.-]+)?$/.exec(version.trim())
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

function compare(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/**
 * Whether a release (`18.1.6`) is within a chart range as Helm reads one (Masterminds semver):
 * `||` between alternatives, clauses apart by commas or spaces, `A - B`, the operators `=`, `!=`,
 * `>`, `>=`, `<`, `<=`, `~`, `~>` and `^`, and versions with parts missing or wildcards (`1.x`,
 * `*`). A prerelease, on either side, is not read: false.
 */
export function withinRange(version: string, range: string): boolean {
  return rangeHolds(version, range) === true
}

/**
 * `withinRange`, telling apart what is not read (undefined: a prerelease, a version not written in
 * full, a clause that is no range) from a release outside the range (false).
 */
export function rangeHolds(version: string, range: string): boolean | undefined {
  const v = release(version)
  if (!v) return undefined
  const alternatives = range.split('||').map((alternative) => {
    const words = alternative.replace(/([<>=!~^])\s+(?=[\dvxX*])/g, '$1').split(/\s*,\s*|\s+/).filter((w) => w !== '')
    const clauses: string[] = []
    for (let i = 0; i < words.length; i++) {
      // `1.2 - 1.4`: from the one to the other, both included.
      if (words[i + 1] === '-' && words[i + 2] !== undefined) {
        clauses.push('>=' + words[i], '<=' + words[i + 2])
        i += 2
      } else {
        clauses.push(words[i])
      }
    }
    const held = clauses.map((clause) => withinClause(v, clause))
    // All the clauses of an alternative hold; one that does not rules it out, read or not.
    return clauses.length === 0 ? undefined : held.includes(false) ? false : held.includes(undefined) ? undefined : true
  })
  return alternatives.includes(true) ? true : alternatives.includes(undefined) ? undefined : false
}

function withinClause(v: readonly number[], clause: string): boolean | undefined {
  const match = /^(=>|=<|[<>]=?|!=|=|\^|~>?)?v?((?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2})$/.exec(clause)
  if (!match) return undefined
  const op = match[1] === '=>' ? '>=' : match[1] === '=<' ? '<=' : match[1] === '~>' ? '~' : match[1] ?? '='
  // The parts written, up to the first wildcard (`1.x` is `1`).
  const parts: number[] = []
  for (const part of match[2].split('.')) {
    if (!/^\d+$/.test(part)) break
    parts.push(Number(part))
  }
  if (parts.length === 0) return op === '=' || op === '>=' || op === '~' || op === '^'
  const low = [parts[0], parts[1] ?? 0, parts[2] ?? 0]
  // Just past the versions the parts written name: `1.2` names 1.2.0 to 1.3.0.
  const past = parts.length === 1 ? [parts[0] + 1, 0, 0] : parts.length === 2 ? [parts[0], parts[1] + 1, 0] : [parts[0], parts[1], parts[2] + 1]
  const named = compare(v, low) >= 0 && compare(v, past) < 0
  switch (op) {
    case '=': return named
    case '!=': return !named
    case '>': return compare(v, past) >= 0
    case '>=': return compare(v, low) >= 0
    case '<': return compare(v, low) < 0
    case '<=': return compare(v, past) < 0
    case '~': return compare(v, low) >= 0 && compare(v, parts.length === 1 ? [parts[0] + 1, 0, 0] : [parts[0], parts[1] + 1, 0]) < 0
    default: {
      // `^`: up to the next change of the first part that is not zero (`^0.2.3` below 0.3.0).
      const upper = parts[0] > 0 || parts.length === 1 ? [parts[0] + 1, 0, 0] : parts[1] > 0 || parts.length === 2 ? [0, parts[1] + 1, 0] : [0, 0, parts[2] + 1]
      return compare(v, low) >= 0 && compare(v, upper) < 0
    }
  }
}

/** `OWNER/REPO` of a Git repository's address (`https://github.com/OWNER/REPO.git`, `git@host:OWNER/REPO`). */
function gitRepository(url: string): string | undefined {
  return /^(?:(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/|[^@/\s]+@[^:/\s]+:)([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url)?.[1]
}

/**
 * The words a PowerShell installer needs, in any case: a command that runs text (`iex`,
 * `Invoke-Expression`, `[scriptblock]::Create`). Most PowerShell blocks have none: their parse
 * is skipped.
 */
function mayRunDownload(text: string): boolean {
  return /\biex\b|invoke-expression|\]::create/i.test(text)
}

/**
 * PowerShell installers run as they download (core/facts/powershell.ts): a download piped into
 * `iex` (`irm https://get.scoop.sh | iex`, the range from the download to the end of the
 * pipeline), and `iex` or `& ([scriptblock]::Create(…))` given a download to run
 * (`iex ((New-Object Net.WebClient).DownloadString('…'))`, Chocolatey's; the command's range),
 * also through a variable set from one earlier (`$script = irm …`, then `iex $script`).
 * `place` maps a range of `text` to the snippet (text and snippet differ for `powershell -c "…"`).
 */
function powershellDownloads(snippet: Snippet, text: string, place: (from: number, to: number) => [number, number] | undefined, out: Install[]) {
  const push = (from: number, to: number, name: string) => {
    const at = place(from, to)
    if (at) out.push({snippet, start: at[0], end: at[1], text: snippet.value.slice(at[0], at[1]), kind: 'download', name})
  }
  // Variables that hold a download's text (`$script = irm …`), by where they were set.
  const downloaded = powershellAssignments(text).filter((a) => a.downloads)
  const holdsDownload = (arg: string, at: number) => {
    const name = variableName(arg)?.toLowerCase()
    return name !== undefined && downloaded.some((a) => a.name.toLowerCase() === name && a.end <= at)
  }
  for (const pipeline of parsePowerShell(text)) {
    const commands = pipeline.commands
    const fetch = commands.findIndex(psFetches)
    if (fetch !== -1 && commands.slice(fetch + 1).some((c) => c.runsText && c.args.every((a) => a.parameter))) {
      push(commands[fetch].start, pipeline.end, commands[fetch].args.find((a) => /^https?:\/\//i.test(a.text))?.text ?? commands[fetch].name)
    }
    for (const command of commands) {
      const operands = command.args.filter((a) => !a.parameter)
      const given = operands.length === 1 && holdsDownload(operands[0].text, command.start)
      if (command.runsText && (command.downloadsInside || given)) push(command.start, command.end, command.name)
    }
  }
}

/** `powershell -c "irm … | iex"` (also `pwsh`, `-Command`) in a shell block: its program read as PowerShell. */
function powershellCommand(snippet: Snippet, command: ShCommand, out: Install[]) {
  const {name, args} = runCommand(command)
  if (name === undefined || !/^(powershell|pwsh)(\.exe)?$/i.test(name)) return
  const flag = args.findIndex((a) => /^-(c|command)$/i.test(a.value ?? ''))
  const program = flag === -1 ? undefined : args[flag + 1]
  if (program?.value === undefined || !mayRunDownload(program.value)) return
  const value = program.value
  powershellDownloads(snippet, value, (from, to) => {
    const range = valueRange(program, from, to)
    // Only where the program is written as it reads (no escapes in between).
    return range && snippet.value.slice(range.start, range.end) === value.slice(from, to) ? [range.start, range.end] : undefined
  }, out)
}

/** `curl … | sh`: a download piped into a program that runs what it reads. */
function piped(snippet: Snippet, pipeline: ShPipeline, out: Install[]) {
  const commands = pipeline.commands
  const fetch = commands.findIndex(fetches)
  if (fetch === -1) return
  const runs = commands.slice(fetch + 1).some((c) => {
    const {name, args} = runCommand(c)
    return name !== undefined && programOf(name, args) === 'stdin'
  })
  if (!runs) return
  // From the download to the shell that runs it: what comes before the download is not the install.
  const start = commands[fetch].start
  out.push({snippet, start, end: pipeline.end, text: snippet.value.slice(start, pipeline.end), kind: 'download', name: source(commands[fetch])})
}

/**
 * A download run without a pipe: given to a shell as its script's text (`bash -c "$(curl …)"`,
 * Homebrew's installer; `eval "$(curl …)"`), as its script's file (`sh <(curl …)`, Nix's;
 * `source <(curl …)`), or as its standard input (`bash < <(curl …)`, `bash <<< "$(curl …)"`).
 */
function substituted(snippet: Snippet, command: ShCommand, out: Install[]) {
  const {name, args} = runCommand(command)
  if (name === undefined) return
  let fetch: ShCommand | undefined
  if (name === 'eval') {
    fetch = fetchIn(args.flatMap((a) => a.substitutions))
  } else if (name === 'source' || name === '.') {
    fetch = fetchIn(args[0]?.processes ?? [])
  } else {
    const program = programOf(name, args)
    if (program === 'stdin') {
      fetch = fetchIn(command.redirects.flatMap((r) => (r.op === '<' ? r.target?.processes : r.op === '<<<' ? r.target?.substitutions : undefined) ?? []))
    } else if (program) {
      fetch = fetchIn('text' in program ? program.text.substitutions : program.file.processes)
    }
  }
  if (!fetch) return
  out.push({snippet, start: command.start, end: command.end, text: snippet.value.slice(command.start, command.end), kind: 'download', name: source(fetch)})
}

/**
 * `curl` or `wget`, through any wrapper, with something to fetch: `curl … | sh` in a sentence
 * names the pattern, and fetches nothing. Where an ellipsis stands for the address, what else
 * is written is an option's value (`curl -H 'Accept: text/plain' … | sh`): only an address or
 * an expansion is fetched then.
 */
function fetches(command: ShCommand): boolean {
  const {name, args} = runCommand(command)
  if (name !== 'curl' && name !== 'wget') return false
  const operands = args.filter((arg) => arg.value === undefined || !arg.value.startsWith('-'))
  if (!operands.some((arg) => arg.value === '…' || arg.value === '...')) return operands.length > 0
  return operands.some((arg) => arg.value === undefined || arg.value.includes('://'))
}

/** The first download among the pipelines of substitutions. */
function fetchIn(lists: ShPipeline[][]): ShCommand | undefined {
  for (const pipelines of lists) {
    for (const pipeline of pipelines) {
      const fetch = pipeline.commands.find(fetches)
      if (fetch) return fetch
    }
  }
  return undefined
}

/** What a download fetches: its URL, else the program's name. */
function source(fetch: ShCommand): string {
  const {name, args} = runCommand(fetch)
  return args.find((a) => /^https?:\/\//.test(a.value ?? ''))?.value ?? name!
}

/**
 * What a shell or an interpreter runs, read from its options and operands: program text (`-c`),
 * a file (the first operand), or its standard input (`-s`, `-`, or no operand); undefined for
 * other programs and for what runs none of these (`python3 -m json.tool`).
 */
export function programOf(name: string, args: ShWord[]): {text: ShWord} | {file: ShWord} | 'stdin' | undefined {
  const shell = shells.has(name)
  const interpreter = Object.hasOwn(interpreters, name) ? interpreters[name] : undefined
  if (!shell && !interpreter) return undefined
  const valued = shell ? shellValued : interpreter!.valued ?? new Set()
  let text = false
  let stdin = false
  const operand = (word: ShWord | undefined) => (text ? (word ? {text: word} : undefined) : stdin || !word || word.value === '-' ? 'stdin' : {file: word})
  for (let index = 0; index < args.length; index++) {
    const value = args[index].value
    // A word with an expansion (`"$(curl …)"`, `<(curl …)`) is an operand: no option is written so.
    if (value === undefined || value === '-' || !value.startsWith('-')) return operand(args[index])
    if (value === '--') return operand(args[index + 1])
    if (valued.has(value)) {
      index++
      continue
    }
    if (value.startsWith('--')) {
      text ||= /^--(eval|print)(=|$)/.test(value)
      continue
    }
    // `-rjson`, `-Ilib`: an option with its value attached.
    if (valued.has(value.slice(0, 2))) continue
    const letters = value.slice(1)
    if (shell) {
      // `-c`, `-lc`, `-xc`: the first operand is the script's text; `-s`: the script is stdin.
      text ||= letters.includes('c')
      stdin ||= letters.includes('s')
      continue
    }
    if ([...letters].some((letter) => interpreter!.other?.includes(letter))) return undefined
    text ||= [...letters].some((letter) => interpreter!.text.includes(letter))
  }
  return operand(undefined)
}

/** `https://github.com/OWNER/REPO/releases/latest/download/ASSET`, as written in a word (quotes and `${OS}` and all). */
const latestRelease = /^["']?(?:https?:\/\/)?github\.com\/([\w.-]+\/[\w.-]+)\/releases\/(latest\/download)\//

/**
 * A command's arguments that fetch a GitHub release asset through `releases/latest/download/`:
 * whatever release is newest the day it runs (`curl -LO`, `wget`, `kubectl apply -f`; not
 * `echo`); and those that fetch a repository's file from a branch (`branch`; unpinned-install
 * reads those only for a repository whose version the config names). Read from the word as
 * written, so an asset named with variables (`cmctl_${OS}_${ARCH}`) is read too.
 */
function latestReleases(snippet: Snippet, args: ShWord[], out: Install[]) {
  for (const word of args) {
    const written = snippet.value.slice(word.start, word.end)
    const release = latestRelease.exec(written)
    const match = release ?? rawBranch.exec(written) ?? githubRawBranch.exec(written)
    if (!match) continue
    const start = word.start + match[0].length - match[2].length - 1
    const kind = release ? 'release' : 'branch'
    out.push({snippet, start, end: start + match[2].length, text: match[2], kind, name: match[1], requested: release ? 'latest' : match[2]})
  }
}

/**
 * A file of a GitHub repository fetched from a branch, whatever was merged last:
 * `https://raw.githubusercontent.com/OWNER/REPO/main/…` and
 * `https://github.com/OWNER/REPO/raw/master/…` (the repository, then the branch, with its
 * `refs/heads/` when written).
 */
const rawBranch = /^["']?(?:https?:\/\/)?raw\.githubusercontent\.com\/([\w.-]+\/[\w.-]+)\/((?:refs\/heads\/)?(?:main|master|HEAD|develop))\//
const githubRawBranch = /^["']?(?:https?:\/\/)?github\.com\/([\w.-]+\/[\w.-]+)\/raw\/((?:refs\/heads\/)?(?:main|master|HEAD|develop))\//

/** The chart repositories the document adds (`helm repo add jetstack https://charts.jetstack.io`), by name. */
function helmRepos(facts: DocFacts): Set<string> {
  const repos = new Set<string>()
  for (const {script} of facts.scripts) {
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        const {name, args} = runCommand(command)
        if (name !== 'helm' || args[0]?.value !== 'repo' || args[1]?.value !== 'add') continue
        const repo = args.slice(2).find((a) => a.value !== undefined && !a.value.startsWith('-'))?.value
        if (repo) repos.add(repo)
      }
    }
  }
  return repos
}

/**
 * `helm install`, `upgrade`, `template` and `pull` options that take the next word as their
 * value. Any other option takes none (`--dry-run` takes one only after `=`): were it a newer one
 * that takes a value, the command would have one word too many, and is not read.
 */
const helmValued: ReadonlySet<string> = new Set([
  '-n', '--namespace', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json', '--set-literal', '--version', '--repo',
  '--timeout', '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-as-user', '--kube-as-group', '--kube-ca-file', '--kube-token',
  '--kube-tls-server-name', '--description', '--post-renderer', '--post-renderer-args', '--name-template', '--ca-file', '--cert-file',
  '--key-file', '--keyring', '--username', '--password', '--registry-config', '--repository-cache', '--repository-config', '-o', '--output',
  '--history-max', '--max-history', '-l', '--labels', '--burst-limit', '--qps',
  '--output-dir', '-a', '--api-versions', '--kube-version', '-s', '--show-only', '-d', '--destination', '--untardir'
])

/**
 * A Helm chart installed, upgraded, rendered or downloaded without `--version`, or with a range
 * given to it (`--version '^1.2'`, then `range`, the place of its value): `helm install NAME
 * CHART`, `helm upgrade [--install] NAME CHART`, `helm template [NAME] CHART` (its output is
 * what `| kubectl apply -f -` installs) and `helm pull CHART`, where CHART comes from a repository,
 * an OCI registry (`oci://…`) or `--repo URL`. A `repo/chart` counts only when the document adds
 * `repo` (`helm repo add`): otherwise it may be a local folder. Local charts, archives and chart
 * URLs are not installs of a version that moves. The operands must be exactly the release and
 * the chart (the chart alone with `--generate-name`, for `template` without a name, and for
 * `pull`): any other count is a command not understood.
 */
function helmChart(args: ShWord[], repos: () => ReadonlySet<string>): {word: ShWord; chart: string; range?: {start: number; end: number; value: string}} | undefined {
  const verb = args[0]?.value
  const values = args.map((a) => a.value)
  const positional: ShWord[] = []
  let generated = false
  let range: {start: number; end: number; value: string} | undefined
  for (let i = 1; i < args.length; i++) {
    const value = values[i]
    if (value === undefined || !value.startsWith('-')) {
      positional.push(args[i])
      continue
    }
    const option = value.includes('=') ? value.slice(0, value.indexOf('=')) : value
    if (option === '--version') {
      // A version pins the chart; a range (`'^1.2'`, `'>=1.2 <2'`, `'*'`) moves, and is read as
      // its value where it is written (no escapes). `latest` is no version Helm takes.
      const word = value.includes('=') ? args[i] : args[i + 1]
      const from = value.includes('=') ? '--version='.length : 0
      const version = word?.value?.slice(from)
      if (version === undefined || version === 'latest' || version === 'HEAD' || !floatingChart(version)) return undefined
      const at = valueRange(word, from, word.value!.length)
      if (!at || at.quote === 'mixed') return undefined
      range = {start: at.start, end: at.end, value: version}
    }
    if (option === '-g' || option === '--generate-name' || option === '--name-template') generated = true
    if (!value.includes('=') && helmValued.has(value)) i++
  }
  const counts = verb === 'pull' || verb === 'fetch' ? [1] : generated ? [1] : verb === 'template' ? [1, 2] : [2]
  if (!counts.includes(positional.length)) return undefined
  const word = positional[positional.length - 1]
  const chart = word.value
  if (chart === undefined) return undefined
  const repoFlag = values.some((v) => v === '--repo' || v?.startsWith('--repo='))
  if (chart.startsWith('oci://')) {
    // A tag or a digest on the reference pins it (`oci://…/chart:1.2.3`).
    const last = chart.slice(chart.lastIndexOf('/') + 1)
    return last.includes(':') || last.includes('@') ? undefined : {word, chart, range}
  }
  if (repoFlag) return /^[\w.-]+$/.test(chart) ? {word, chart, range} : undefined
  const slash = chart.indexOf('/')
  return slash > 0 && chart.indexOf('/', slash + 1) === -1 && repos().has(chart.slice(0, slash)) && !chart.endsWith('.tgz') ? {word, chart, range} : undefined
}

function commandInstalls(snippet: Snippet, command: ShCommand, out: Install[], repos: () => ReadonlySet<string>, releases: boolean) {
  let {name, args} = runCommand(command)
  if ((name === 'python' || name === 'python3') && args[0]?.value === '-m' && args[1]?.value === 'pip') {
    name = 'pip'
    args = args.slice(2)
  }
  // uv's pip and tool installs are pip's; `uv tool run` is `uvx`.
  if (name === 'uv' && (args[0]?.value === 'pip' || args[0]?.value === 'tool') && args[1]?.value === 'install') {
    name = 'pip'
    args = args.slice(1)
  } else if (name === 'uv' && args[0]?.value === 'tool' && args[1]?.value === 'run') {
    name = 'uvx'
    args = args.slice(2)
  }
  if (!name) return
  // Printing an address fetches nothing.
  if (releases && name !== 'echo' && name !== 'printf') latestReleases(snippet, args, out)
  const values = args.map((a) => a.value ?? '')
  const add = (word: Pick<ShWord, 'start' | 'end'>, kind: Ecosystem, pkg: string, requested?: string, spelling: Pick<Install, 'at' | 'ranged' | 'runner' | 'verb' | 'option'> = {}) => {
    if (placeholderPackage(snippet.value.slice(word.start, word.end), pkg)) return
    out.push({snippet, start: word.start, end: word.end, text: snippet.value.slice(word.start, word.end), kind, name: pkg, requested, ...spelling})
  }
  const operands = (from: number, valued: Set<string>) => {
    const words: ShWord[] = []
    for (let i = from; i < args.length; i++) {
      const value = args[i].value
      if (value === undefined) continue
      if (value.startsWith('-')) {
        if (!value.includes('=') && valued.has(value)) i++
        continue
      }
      words.push(args[i])
    }
    return words
  }

  if (name === 'go' && (values[0] === 'install' || values[0] === 'get' || values[0] === 'run')) {
    const packages = operands(1, new Set(['-C', '-o', '-tags', '-ldflags', '-gcflags', '-modfile', '-p', '-mod', '-exec']))
    // `go run pkg@version args…`: the words after the package are the program's.
    for (const word of values[0] === 'run' ? packages.slice(0, 1) : packages) {
      const at = word.value!.lastIndexOf('@')
      if (at <= 0) continue
      const version = word.value!.slice(at + 1)
      if (floatingGo.has(version)) add(word, 'go', word.value!.slice(0, at), version)
    }
    return
  }

  if (name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'npx' || name === 'bun' || name === 'bunx') {
    let from = -1
    let global = false
    if (name === 'npx' || name === 'bunx') from = 0
    else if (name === 'npm' && values[0] === 'exec') from = 1
    else if ((name === 'pnpm' || name === 'yarn') && values[0] === 'dlx') from = 1
    else if (name === 'bun' && values[0] === 'x') from = 1
    else if (name === 'yarn' && values[0] === 'global' && values[1] === 'add') {
      from = 2
      global = true
    } else if (['install', 'i', 'add', 'in', 'isntall'].includes(values[0])) {
      global = values.includes('-g') || values.includes('--global') || values.includes('--location=global')
      if (global) from = 1
    }
    if (from === -1) return
    const npx = !global
    // npm's option parser gives a flag the `true` or `false` after it (`--unsafe-perm true`, as
    // Azure's Functions Core Tools README writes it): that word is the flag's value, no package.
    const flagValue = (word: ShWord) => {
      const before = args[args.indexOf(word) - 1]?.value
      return (word.value === 'true' || word.value === 'false') && !!before?.startsWith('-') && !before.includes('=')
    }
    const words = operands(from, new Set(['-p', '--package', '--prefix', '--registry', '-c', '--call'])).filter((word) => !flagValue(word))
    for (const word of npx ? words.slice(0, 1) : words) {
      const spec = word.value!
      if (spec.startsWith('.') || spec.startsWith('/') || spec.includes('://') || spec.startsWith('git+') || spec.includes('/') && !spec.startsWith('@')) continue
      const at = spec.lastIndexOf('@')
      const pkg = at > 0 ? spec.slice(0, at) : spec
      const version = at > 0 ? spec.slice(at + 1) : undefined
      // A spec that is no package's name is a slot the reader fills in
      // (`hasura-cli[@tag|@version]`, which the shell cuts at `|`): npm names are URL-safe, and
      // no version has brackets.
      if (!npmName(pkg) || version !== undefined && /[[\]{}]/.test(version)) continue
      if (npx) {
        if (version !== undefined && !exactNpmVersion(version)) add(word, 'npm', pkg, version)
        // With `-p`/`--package` the operand is a command of the package named there.
        else if (version === undefined && !values.some((v) => v === '-p' || v.startsWith('--package'))) add(word, 'npm', pkg, undefined, {runner: true})
      } else if (version === undefined || !exactNpmVersion(version)) {
        add(word, 'npm', pkg, version)
      }
    }
    return
  }

  if (name === 'uvx') {
    // Like npx: only a version asked for is read (`uvx ruff` runs the newest, or the cached one).
    // `--from PKG` names the package, and the operand is then one of its commands.
    // `--from=PKG` is one word: the package is the part after `=`, where it was written.
    const from = values.findIndex((v) => v === '--from' || v.startsWith('--from='))
    const [operand] = operands(0, new Set(['--from', '--with', '--python', '-p', '--index', '--index-url', '--extra-index-url', '-w']))
    const joined = from !== -1 && values[from] !== '--from'
    const spec = from === -1 ? operand?.value : joined ? values[from].slice('--from='.length) : args[from + 1]?.value
    const inner = joined && spec ? valueRange(args[from], '--from='.length, values[from].length) : undefined
    const word = from === -1 ? operand : joined ? (inner?.quote === 'mixed' ? undefined : inner) : args[from + 1]
    const requirement = from === -1 || !spec ? undefined : /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([<>=!~].*)$/.exec(spec)
    if (word && requirement) {
      // A requirement (`--from 'httpie>=3'`): pinned only by `==`, as for pip.
      if (!/^===?\s*[A-Za-z0-9.+!_-]+$/.test(requirement[3])) add(word, 'pip', requirement[1], requirement[3])
      return
    }
    const at = spec ? spec.lastIndexOf('@') : -1
    if (word && spec && at > 0 && !pinnedVersion(spec.slice(at + 1))) {
      add(word, 'pip', spec.slice(0, at), spec.slice(at + 1), {at: true})
    } else if (word && spec && at === -1 && !requirement && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec)) {
      add(word, 'pip', spec, undefined, {at: true, runner: true})
    }
    return
  }

  if ((name === 'pip' || name === 'pip3' || name === 'pipx') && values[0] === 'install') {
    const valued = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root', '-f', '--find-links', '--python'])
    for (const word of operands(1, valued)) {
      const spec = word.value!
      if (spec.startsWith('.') || spec.startsWith('/') || spec.includes('://') || spec.startsWith('git+') || spec.endsWith('.whl') || spec.endsWith('.tar.gz')) continue
      const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/.exec(spec)
      if (!match) continue
      const pkg = match[1]
      if (pipBootstrap.has(pkg.toLowerCase())) continue
      const constraint = match[3]
      if (/^===?\s*[A-Za-z0-9.+!_-]+$/.test(constraint)) continue
      add(word, 'pip', pkg, constraint === '' ? undefined : constraint)
    }
    return
  }

  if (name === 'cargo' && (values[0] === 'install' || values[0] === 'binstall')) {
    if (values.some((v) => v === '--version' || v === '--vers' || v.startsWith('--version=') || v.startsWith('--vers=') || v === '--path' || v === '--git' || v.startsWith('--path=') || v.startsWith('--git='))) return
    for (const word of operands(1, new Set(['--root', '--target', '--features', '-F', '--index', '--registry', '-j', '--jobs', '--profile', '--bin', '--example', '--branch', '--tag', '--rev']))) {
      const spec = word.value!
      const at = spec.indexOf('@')
      if (at > 0 && pinnedVersion(spec.slice(at + 1))) continue
      add(word, 'cargo', at > 0 ? spec.slice(0, at) : spec, at > 0 ? spec.slice(at + 1) : undefined)
    }
  }
  if (name === 'helm' && ['install', 'upgrade', 'template', 'pull', 'fetch'].includes(values[0])) {
    const found = helmChart(args, repos)
    const verb = values[0] === 'template' ? 'renders' : values[0] === 'pull' || values[0] === 'fetch' ? 'downloads' : undefined
    if (found?.range && snippet.value.slice(found.range.start, found.range.end) === found.range.value) add(found.range, 'helm', found.chart, found.range.value, {option: true, ...(verb ? {verb} : {})})
    else if (found && !found.range) add(found.word, 'helm', found.chart, undefined, verb ? {verb} : {})
    return
  }
  if (name === 'flux') {
    const [verb, what, kind] = fluxSubcommand(values)
    if (verb !== 'create') return
    if (what === 'helmrelease' || what === 'hr') fluxRelease(snippet, args, out)
    else if (what === 'source' && kind === 'git') fluxGitSource(snippet, args, out)
    else if (what === 'source' && kind === 'oci') fluxOciSource(snippet, args, out)
    return
  }
  if (name === 'gem' && values[0] === 'install') {
    // `-v 7.1.3` (or `--version`) pins every gem of the command; `name:version` pins one.
    const option = values.findIndex((v) => v === '-v' || v === '--version' || v.startsWith('--version='))
    const requested = option === -1 ? undefined : values[option].startsWith('--version=') ? values[option].slice('--version='.length) : values[option + 1]
    if (requested !== undefined && pinnedVersion(requested.replace(/^=\s*/, ''))) return
    const valued = new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-p', '--http-proxy', '--platform', '-g', '--file', '--build-root'])
    for (const word of operands(1, valued)) {
      const spec = word.value!
      if (spec.startsWith('.') || spec.startsWith('/') || spec.endsWith('.gem')) continue
      const colon = spec.indexOf(':')
      if (colon > 0 && pinnedVersion(spec.slice(colon + 1))) continue
      if (colon > 0) add(word, 'gem', spec.slice(0, colon), spec.slice(colon + 1))
      else if (requested === undefined) add(word, 'gem', spec)
      else add(word, 'gem', spec, requested, {ranged: true})
    }
  }

}

/**
 * The last value a command gives an option (`--chart=podinfo` or `--chart podinfo`): the word it
 * is written in, where in that word's value it starts, and the option's word.
 */
function optionValue(args: readonly ShWord[], option: string): {word: ShWord; from: number; value: string; flag: ShWord} | undefined {
  let found: {word: ShWord; from: number; value: string; flag: ShWord} | undefined
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value
    if (value === option && args[i + 1]?.value !== undefined) found = {word: args[i + 1], from: 0, value: args[i + 1].value!, flag: args[i]}
    else if (value?.startsWith(option + '=')) found = {word: args[i], from: option.length + 1, value: value.slice(option.length + 1), flag: args[i]}
  }
  return found
}

/**
 * The Flux CLI's options that may come before its subcommand and take the next word as their
 * value: the global ones (`flux -n flux-system create …`, `--context`, `--kubeconfig`) and those
 * of `flux create` (`--interval`, `--label`).
 */
const fluxValued: ReadonlySet<string> = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--timeout', '--as', '--as-group', '--as-uid', '--cache-dir',
  '--certificate-authority', '--client-certificate', '--client-key', '--cluster', '--kube-api-burst', '--kube-api-qps',
  '--request-timeout', '-s', '--server', '--tls-server-name', '--token', '--user', '--interval', '--label'
])
/** The Flux CLI's options that take no value and may come before its subcommand. */
const fluxSwitches: ReadonlySet<string> = new Set(['--verbose', '--insecure-skip-tls-verify', '--disable-compression', '--export'])

/**
 * The first three words of a `flux` command that are not options (`create source oci`), with the
 * options written before them skipped as cobra reads them (`flux -n flux-system create hr …` is
 * `flux create hr … -n flux-system`). An option not known to take a value or not (a newer one)
 * ends the words read: what follows it may be its value.
 */
function fluxSubcommand(values: readonly (string | undefined)[]): string[] {
  const words: string[] = []
  for (let i = 0; i < values.length && words.length < 3; i++) {
    const value = values[i]
    if (value === undefined) break
    if (!value.startsWith('-')) {
      words.push(value)
      continue
    }
    if (value.includes('=') || fluxSwitches.has(value)) continue
    if (!fluxValued.has(value)) break
    i++
  }
  return words
}

/**
 * `flux create helmrelease NAME --source=HelmRepository/… --chart=podinfo`: the `HelmRelease`
 * it makes installs the chart at `--chart-version`, which is `*` when not given; a range
 * (`--chart-version=">=6.0.0"`, `6.x`) moves as well. A chart from a Git repository or a bucket
 * (another `--source` kind, or a path: `--chart=./charts/podinfo`) is a folder, whose version is
 * the source's; `--chart-ref` names a chart source made elsewhere. As the manifest is read
 * (`manifests`).
 */
function fluxRelease(snippet: Snippet, args: readonly ShWord[], out: Install[]) {
  const chart = optionValue(args, '--chart')
  const source = optionValue(args, '--source')?.value
  if (!chart || (source !== undefined && !/^helmrepository\//i.test(source)) || /^[./~]/.test(chart.value) || chart.value === '') return
  const version = optionValue(args, '--chart-version')
  if (!version) {
    out.push({snippet, start: chart.word.start, end: chart.word.end, text: snippet.value.slice(chart.word.start, chart.word.end), kind: 'helm', name: chart.value, flag: '--chart-version'})
    return
  }
  if (version.value === 'latest' || version.value === 'HEAD' || !floatingChart(version.value)) return
  const at = valueRange(version.word, version.from, version.word.value!.length)
  if (!at || at.quote === 'mixed' || snippet.value.slice(at.start, at.end) !== version.value) return
  out.push({snippet, start: at.start, end: at.end, text: version.value, kind: 'helm', name: chart.value, requested: version.value, option: true, flag: '--chart-version'})
}

/**
 * `flux create source git NAME --url=… --branch=main`: the `GitRepository` it makes deploys
 * whatever was merged last, unless a `--tag`, `--tag-semver`, `--commit` or `--ref-name` pins it.
 * Read for a repository `installs.versions` names, as the manifest is (`manifests`); the range is
 * the option and its value (`--branch=main`, or `--branch main` on one line), which `--tag`
 * replaces. With no ref option at all, the branch is the CLI's default, `master` (as a manifest
 * with no `ref`; newer CLIs ask for a ref instead): the range is the `--url` option, which the
 * fix follows with `--tag`.
 */
function fluxGitSource(snippet: Snippet, args: readonly ShWord[], out: Install[]) {
  const url = optionValue(args, '--url')
  const repository = url && gitRepository(url.value)
  if (!url || repository === undefined) return
  // An option is there whatever its value (`--branch="$BRANCH"` names a branch not read).
  const given = (option: string) => args.some((a) => [a.raw, a.value].some((w) => w === option || w?.startsWith(option + '=')))
  if (!['--branch', '--tag', '--tag-semver', '--commit', '--ref-name'].some(given)) {
    const text = snippet.value.slice(url.flag.start, url.word.end)
    if (/[\r\n]/.test(text)) return
    out.push({snippet, start: url.flag.start, end: url.word.end, text, kind: 'branch', name: repository, flag: '--tag'})
    return
  }
  const branch = optionValue(args, '--branch')
  if (!branch || !gitBranches.has(branch.value)) return
  if (['--tag', '--tag-semver', '--commit', '--ref-name'].some((option) => optionValue(args, option))) return
  const text = snippet.value.slice(branch.flag.start, branch.word.end)
  if (/[\r\n]/.test(text)) return
  out.push({snippet, start: branch.flag.start, end: branch.word.end, text, kind: 'branch', name: repository, requested: branch.value, flag: '--tag'})
}

/**
 * `flux create source oci NAME --url=oci://… --tag=latest`: the `OCIRepository` it makes deploys
 * whatever was pushed last as `latest`, unless `--tag-semver` or `--digest` (which win over
 * `--tag`) is given. As the manifest's `ref.tag: latest` (`manifests`): read for an artifact
 * `installs.versions` names, and a semver range (`--tag-semver='>=1.0.0'`, `ref.semver`) is the
 * author's choice of what to follow, not reported. Without any of the three the command fails
 * (`--tag, --tag-semver or --digest is required`): it deploys nothing. The range is the tag's
 * value, which the version replaces.
 */
function fluxOciSource(snippet: Snippet, args: readonly ShWord[], out: Install[]) {
  const url = optionValue(args, '--url')
  const tag = optionValue(args, '--tag')
  if (!url?.value.startsWith('oci://') || tag?.value !== 'latest') return
  if (['--tag-semver', '--digest'].some((option) => optionValue(args, option))) return
  const at = valueRange(tag.word, tag.from, tag.word.value!.length)
  if (!at || at.quote === 'mixed' || snippet.value.slice(at.start, at.end) !== tag.value) return
  out.push({snippet, start: at.start, end: at.end, text: tag.value, kind: 'artifact', name: url.value, requested: tag.value, option: true, flag: '--tag'})
}

/** `1`, `1.4`, `1.4.2`, `v1.4.2`, `=1.4.2`, `1.4.2-rc.1`: a version, not a range or a tag. */
/**
 * A package the reader is to name: a slot as written (`npm install -g <pkg-name>`, which the shell
 * reader sees as `_pkg-name_`), or a metasyntactic name (`npx foo@latest`, `go install
 * example.com/foo@latest`), the way docs of a package manager show its syntax.
 */
function placeholderPackage(written: string, pkg: string): boolean {
  return /<[A-Za-z][\w .-]*>/.test(written) || metasyntactic.has(pkg.slice(pkg.lastIndexOf('/') + 1).toLowerCase())
}

const metasyntactic = new Set(['foo', 'bar', 'baz', 'qux', 'quux'])

/**
 * Whether a word can be an npm package's name (`pm2`, `@nestjs/cli`, the legacy `JSONStream`):
 * URL-safe characters, a scope before one slash.
 */
function npmName(name: string): boolean {
  return /^(@[\w.~-]+\/)?[\w.~-]+$/.test(name)
}

/**
 * An exact npm version (`1.2.3`, `v1.2.3-rc.1`): npm reads a shorter one as a range, `@4` as the
 * newest `4.x.x` and `@4.1` as the newest `4.1.x`.
 */
function exactNpmVersion(version: string): boolean {
  return /^=?v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)
}

export function pinnedVersion(version: string): boolean {
  return /^=?v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/.test(version)
}
