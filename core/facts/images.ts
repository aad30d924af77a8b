/**
 * Container image references in a document: `image:` fields of YAML blocks (Kubernetes,
 * Compose), `docker|podman run|create|pull`, `kubectl run|create deployment --image`, `kubectl set
 * image`, `helm --set image.tag=`, `buildah from`, `ctr`, `crictl pull`, `skopeo copy`,
 * `kustomize edit set image`, Dockerfile `FROM` and `COPY --from=`, and GitHub Actions steps'
 * `uses: docker://…`; and in JavaScript and Python blocks, the images infrastructure code deploys
 * (`codeImages`). Each with its exact range, and the `imagePullPolicy` beside it. Also the
 * images the document builds itself (`docker build -t`, Compose `build:` with `image:`, a
 * Serverless service's `provider.ecr.images` with a `path`, and `docker tag` of such a build),
 * which are never pulled, and the images it loads into a local cluster (`kind load docker-image`,
 * `minikube image load`, `k3d image import`).
 */
import {innerRange, parseYamlDocuments} from './yaml.js'
import {parseTomlDocument, tomlStrings} from './toml.js'
import {parseHcl, type HclBlock} from './hcl.js'
import {isMap, isPair, isScalar, isSeq, visit, type Document, type Scalar, type YAMLMap} from 'yaml'
import type {Snippet} from '../extract/snippets.js'
import {parseShell, runCommand, type ShCommand, type ShWord} from '../shell/parse.js'
import {only, rootPromptCommands} from '../shell/prepare.js'
import {dockerInstructions} from './formats.js'
import {javascriptImages} from './javascript.js'
import {pythonImages} from './python.js'
import {mayDeployImage, type DocFacts} from './types.js'

/** An image reference written in a snippet. */
interface ImageName {
  snippet: Snippet
  /** Range of the reference (or a build's tag) in the snippet value. */
  start: number
  end: number
  /** The reference as written (`chatbox-websocket:latest`). */
  ref: string
  /** `docker.io/`, `library/` removed. */
  repository: string
  /** As written; none means `latest`. */
  tag?: string
}

export interface ImageRef extends ImageName {
  digest?: string
  /**
   * Only the tag is written, the repository beside it or the chart's: `helm --set image.tag=latest`
   * (`set`), a chart's values, `image: {repository: …, tag: latest}` (`values`), or Kustomize's
   * `images: [{name: …, newTag: latest}]` (`kustomize`).
   */
  tagOnly?: 'set' | 'values' | 'kustomize'
  /** `imagePullPolicy` next to it (YAML; `image_pull_policy` in Terraform), range in the snippet value; `written`: the setting as messages quote it. */
  policy?: {value: string; start: number; end: number; written?: string}
  /**
   * Taken from the local image store when it holds the reference, so an image the document
   * builds is never pulled: `docker|podman|nerdctl run|create` (without `--pull always`),
   * Dockerfile `FROM`, a Compose service. Not a `pull`, and not a Kubernetes container,
   * `kubectl` or `helm`: a cluster pulls from a registry.
   */
  local?: boolean
  /** A container of a Kubernetes pod (YAML): the node's kubelet looks it up, following `policy`. */
  cluster?: boolean
  /** The fix writes the release tag, no digest: `kustomize edit set image` takes it apart. */
  noDigest?: boolean
}

/**
 * An image the document builds: a tag of `docker build` (and kin), a Compose service's `image:`
 * beside `build:`, or the target of `docker tag` whose source is built here.
 */
export type BuiltImage = ImageName

/** An image copied from the local image store into a local cluster's nodes: `kind load docker-image X`, `minikube image load X`, `k3d image import X`. */
export type LoadedImage = ImageName

/** `docker tag SRC DST`: DST names what SRC names. */
interface Tagging {
  source: string
  target: ImageName
}

/** `registry:5000/team/app:1.2@sha256:…` → parts; undefined for variables and placeholders. */
export function parseImage(ref: string): {repository: string; tag?: string; digest?: string} | undefined {
  if (ref === '' || /[$<>{}\s]|\.\.\./.test(ref)) return undefined
  // `image` itself is the metavariable of a usage line (`podman run -t -i image bash`), and so
  // is a name that says "an image" and no more, written without a tag or a registry:
  // `my_image`, `your-image`, `someimage`, `image_name` (rclone's `image: my_image`).
  if (imageSlot.test(ref)) return undefined
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  if (!/^[a-z0-9][a-z0-9._/:-]*$/.test(rest)) return undefined
  const out: {repository: string; tag?: string; digest?: string} = {repository: normalise(rest)}
  if (tag !== undefined) out.tag = tag
  if (digest !== undefined) out.digest = digest
  return out
}

/** A name of any image: `image`, `my_image`, `your-image`, `someimage`, `image-name`, `my_image_name`. */
const imageSlot = /^(?:(?:my|your|some)[-_]?)?image(?:[-_]?name)?$/

function normalise(name: string): string {
  return name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '')
}

/**
 * docker/podman options that take no value (anything else without `=` takes the next word), with
 * podman's switches (`--replace`, `--rmi`, `--tls-verify`). `-a` is `pull --all-tags`, but
 * `run -a stdout` attaches a stream: see `pullFlags`.
 */
const flagOptions = new Set(['-d', '--detach', '--rm', '-i', '--interactive', '-t', '--tty', '-it', '-ti', '-dit', '-itd', '-id', '-dt', '-td', '-di', '--init',
  '--privileged', '-P', '--publish-all', '--read-only', '-q', '--quiet', '--no-healthcheck', '--oom-kill-disable', '--all-tags', '--disable-content-trust', '--help',
  '--replace', '--rmi', '--no-hosts', '--env-host', '--http-proxy', '--read-only-tmpfs', '--tls-verify', '--sig-proxy', '--use-api-socket', '--unsetenv-all', '--passwd'])

/** Options that take no value in `pull` only. */
const pullFlags = new Set(['-a'])

/**
 * Short options of `run`, `create` and `pull` that take no value, as letters of a cluster: `-dP`
 * is `-d -P`, and takes no value; `-itv` ends in `-v`, which takes the next word.
 */
const flagLetters = new Set(['d', 'i', 't', 'P', 'q'])

/** A cluster of short options (`-dP`, `-itv`) that takes no value: all its letters are flags. */
function flagCluster(value: string): boolean {
  return /^-[A-Za-z]{2,}$/.test(value) && [...value.slice(1)].every((letter) => flagLetters.has(letter))
}
const engines = new Set(['docker', 'podman', 'nerdctl'])
/** The programs that build, tag or load an image (`commandBuilds`, `commandTags`, `commandLoads`). */
const builders: ReadonlySet<string> = new Set([...engines, 'buildah', 'kind', 'minikube', 'k3d'])

const cache = new WeakMap<DocFacts, ImageRef[]>()

const builtCache = new WeakMap<DocFacts, BuiltImage[]>()

const loadedCache = new WeakMap<DocFacts, LoadedImage[]>()

export function imageRefs(facts: DocFacts): ImageRef[] {
  let refs = cache.get(facts)
  if (refs) return refs
  refs = []
  const built: BuiltImage[] = []
  const tags: Tagging[] = []
  const loaded: LoadedImage[] = []
  for (const snippet of facts.snippets) {
    if (snippet.lang === 'yaml') yamlImages(snippet, refs, built)
    else if (snippet.lang === 'toml') tomlImages(snippet, refs)
    else if (snippet.lang === 'hcl') hclImages(snippet, refs)
    else if (snippet.lang === 'dockerfile') dockerfileImages(snippet, refs)
    else if (snippet.lang === 'code') codeImages(snippet, refs)
  }
  for (const {snippet, script} of facts.scripts) {
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        commandImages(snippet, command, refs)
        commandBuilds(snippet, command, built)
        commandTags(snippet, command, tags)
        commandLoads(snippet, command, loaded)
      }
    }
    // A `# ` line may be a root prompt (buildah's tutorials: `# buildah commit $ctr app`): what
    // it builds, tags or loads is read too, as that can only take findings away; no reference
    // on such a line is reported.
    for (const command of rootPromptCommands(script, snippet.value, builders)) {
      commandBuilds(snippet, command, built)
      commandTags(snippet, command, tags)
      commandLoads(snippet, command, loaded)
    }
  }
  // A tag of a built image is built too, through any chain of tags (anywhere on the page, as builds are).
  const keys = new Set(built.map(imageKey))
  for (let grew = true; grew;) {
    grew = false
    for (const {source, target} of tags) {
      const key = imageKey(target)
      if (!keys.has(source) || keys.has(key)) continue
      keys.add(key)
      built.push(target)
      grew = true
    }
  }
  refs.sort((a, b) => a.snippet.start - b.snippet.start || a.start - b.start)
  built.sort((a, b) => a.snippet.start - b.snippet.start || a.start - b.start)
  loaded.sort((a, b) => a.snippet.start - b.snippet.start || a.start - b.start)
  cache.set(facts, refs)
  builtCache.set(facts, built)
  loadedCache.set(facts, loaded)
  return refs
}

/** The images the document builds (anywhere in it: a use before the build reads the same image). */
export function builtImages(facts: DocFacts): BuiltImage[] {
  if (!builtCache.has(facts)) imageRefs(facts)
  return builtCache.get(facts)!
}

/** The images the document loads into a local cluster (anywhere in it, as for builds). */
export function loadedImages(facts: DocFacts): LoadedImage[] {
  if (!loadedCache.has(facts)) imageRefs(facts)
  return loadedCache.get(facts)!
}

/** `repository:tag`, `latest` when no tag is written: what a build tags and a run looks up. */
export function imageKey(image: {repository: string; tag?: string}): string {
  return `${image.repository}:${image.tag ?? 'latest'}`
}

function pushBuilt(built: ImageName[], snippet: Snippet, start: number, end: number, ref: string) {
  const name = imageName(snippet, start, end, ref)
  if (name) built.push(name)
}

/** A tag-only (digest-less) reference as an image name; undefined for variables, placeholders and digests. */
function imageName(snippet: Snippet, start: number, end: number, ref: string): ImageName | undefined {
  const parts = parseImage(ref)
  if (!parts || parts.digest !== undefined) return undefined
  return {snippet, start, end, ref, repository: parts.repository, ...(parts.tag === undefined ? {} : {tag: parts.tag})}
}

/** The word as an image name at its place in the snippet. */
function wordImage(snippet: Snippet, word: ShWord | undefined): ImageName | undefined {
  if (word?.value === undefined) return undefined
  const range = within(word, 0, word.value)
  return range ? imageName(snippet, range[0], range[1], word.value) : undefined
}

/** `<engine> tag SRC DST…`, `<engine> image tag SRC DST…` (podman and nerdctl take several targets). */
function commandTags(snippet: Snippet, command: ShCommand, tags: Tagging[]) {
  const {name, args} = runCommand(command)
  if (!name || !engines.has(name)) return
  const i = args[0]?.value === 'image' ? 1 : 0
  if (args[i]?.value !== 'tag') return
  const [source, ...targets] = args.slice(i + 1).filter((a) => !a.value?.startsWith('-'))
  const from = wordImage(snippet, source)
  if (!from) return
  for (const word of targets) {
    const target = wordImage(snippet, word)
    if (target) tags.push({source: imageKey(from), target})
  }
}

/** Per tool: the subcommand that loads images into a local cluster, and its options that take the next word. */
const loaders: Record<string, {subcommands: string[]; options: Set<string>}> = {
  kind: {subcommands: ['load docker-image'], options: new Set(['--name', '--nodes', '-v', '--verbosity'])},
  minikube: {subcommands: ['image load'], options: new Set(['-p', '--profile', '-v'])},
  k3d: {subcommands: ['image import'], options: new Set(['-c', '--cluster', '-m', '--mode'])}
}

/** `kind load docker-image X…`, `minikube image load X…`, `k3d image import X…`: images copied from the local store into the cluster. */
function commandLoads(snippet: Snippet, command: ShCommand, loaded: LoadedImage[]) {
  const {name, args} = runCommand(command)
  const loader = name === undefined ? undefined : loaders[name]
  if (!loader) return
  const loadOptions = loader.options
  const words = args.map((a) => a.value)
  // Global options may come first: `minikube -p dev image load X`.
  let i = 0
  while (words[i]?.startsWith('-')) i += loadOptions.has(words[i]!) ? 2 : 1
  if (!loader.subcommands.includes(`${words[i]} ${words[i + 1]}`)) return
  for (i += 2; i < args.length; i++) {
    const value = words[i]
    if (value === undefined) return
    if (value.startsWith('-')) {
      if (loadOptions.has(value)) i++
      continue
    }
    const image = wordImage(snippet, args[i])
    if (image) loaded.push(image)
  }
}

function pullsAnyway(policy: string | undefined): boolean {
  return policy === 'always' || policy === 'newer' || policy === 'true'
}

/**
 * Builders: `<engine> build`, `<engine> image build`, `docker buildx build`, `docker builder
 * build`, `buildah bud|build`, `buildah commit`, `<engine> commit` and `<engine> container commit`.
 */
function commandBuilds(snippet: Snippet, command: ShCommand, built: BuiltImage[]) {
  let {name, args} = runCommand(command)
  if (!name) return
  let i = 0
  if (engines.has(name) && (args[0]?.value === 'commit' || (args[0]?.value === 'container' && args[1]?.value === 'commit'))) {
    // `docker commit CONTAINER IMAGE` writes a container's changes to the machine's store.
    i = args[0].value === 'commit' ? 1 : 2
    const container = operand(args, i, engineCommitFlags, true)
    const image = container === undefined ? undefined : operand(args, container + 1, engineCommitFlags)
    const word = image === undefined ? undefined : args[image]
    const range = word?.value === undefined ? undefined : within(word, 0, word.value)
    if (range) pushBuilt(built, snippet, range[0], range[1], word!.value!)
    return
  } else if (engines.has(name)) {
    if (args[0]?.value === 'image' || args[0]?.value === 'buildx' || args[0]?.value === 'builder') i = 1
    if (args[i]?.value !== 'build') return
  } else if (name === 'buildah' && args[0]?.value === 'commit') {
    // `buildah commit CONTAINER IMAGE` writes the working container to the machine's store.
    const container = operand(args, 1, commitFlags, true)
    const image = container === undefined ? undefined : operand(args, container + 1, commitFlags)
    const word = image === undefined ? undefined : args[image]
    const range = word?.value === undefined ? undefined : within(word, 0, word.value)
    if (range) pushBuilt(built, snippet, range[0], range[1], word!.value!)
    return
  } else if (name === 'buildah') {
    if (args[0]?.value !== 'bud' && args[0]?.value !== 'build') return
  } else if (name === 'pack' && args[0]?.value === 'build') {
    // Cloud Native Buildpacks: `pack build IMAGE --builder …` names the image it builds in its
    // operand (`-t` adds more tags, read below).
    const image = packImage(args)
    const range = image?.value === undefined ? undefined : within(image, 0, image.value)
    if (range) pushBuilt(built, snippet, range[0], range[1], image!.value!)
  } else {
    return
  }
  for (i++; i < args.length; i++) {
    const value = args[i].value
    if (value === '-t' || value === '--tag') {
      const tag = args[++i]
      if (tag?.value === undefined) continue
      const range = within(tag, 0, tag.value)
      if (range) pushBuilt(built, snippet, range[0], range[1], tag.value)
    } else if (value?.startsWith('--tag=') || value?.startsWith('-t=')) {
      const ref = value.slice(value.indexOf('=') + 1)
      const range = within(args[i], value.indexOf('=') + 1, ref)
      if (range) pushBuilt(built, snippet, range[0], range[1], ref)
    }
  }
}

/** `pack build` options that take no value; any other option without `=` takes the next word. */
const packFlags = new Set(['--publish', '--clear-cache', '--trust-builder', '--trust-extra-buildpacks', '--verbose', '-v', '--quiet', '-q', '--no-color', '--timestamps', '--force-color', '--sparse', '--help', '-h'])

/** The image `pack build` builds: its one operand, after `build`. */
function packImage(args: ShWord[]): ShWord | undefined {
  for (let i = 1; i < args.length; i++) {
    const value = args[i].value
    if (value === undefined) return undefined
    if (!value.startsWith('-')) return args[i]
    if (!value.includes('=') && !packFlags.has(value)) i++
  }
  return undefined
}

function push(refs: ImageRef[], snippet: Snippet, start: number, end: number, ref: string, extra: Partial<ImageRef> = {}) {
  const parts = parseImage(ref)
  if (parts) add(refs, {snippet, start, end, ref, ...parts, ...extra})
}

/** A reference, once per place (two readers may find the same one). */
function add(refs: ImageRef[], ref: ImageRef) {
  if (!refs.some((r) => r.snippet === ref.snippet && r.start === ref.start)) refs.push(ref)
}

function yamlImages(snippet: Snippet, refs: ImageRef[], built?: BuiltImage[]) {
  const text = snippet.value
  // Most YAML blocks name no image: skip their parse (an `image` key, a GitHub Actions step's
  // `uses: docker://…`, a CI job's `container:` or GitLab CI's `services:` is spelled out in
  // the text).
  if (!text.includes('image') && !text.includes('docker://') && !text.includes('container:') && !text.includes('services:')) return
  const docs = parseYamlDocuments(text)
  if (!docs) return
  for (const doc of docs) {
    const gitlab = gitlabCi(doc)
    visit(doc, {
      Map(_, map, path) {
        if (gitlab) gitlabImages(snippet, map, refs)
        // The top-level map of a fragment that is not a whole pipeline (the path holds the document).
        else if (path.length === 1) gitlabServices(snippet, map, refs)
        const values = map.get('image', true)
        if (isMap(values)) helmValuesImage(snippet, values, refs)
        if (map.has('newTag') && map.has('name')) kustomizeImage(snippet, map, refs)
        const container = map.get('container', true)
        if (isScalar(container) && typeof container.value === 'string' && container.range && (map.has('runs-on') || map.has('steps'))) {
          // A CI job run in an image (GitHub Actions' `container: node:20`, Azure Pipelines'
          // too), pulled by the runner.
          const [start, end] = innerRange(container as Scalar)
          if (text.slice(start, end) === container.value) push(refs, snippet, start, end, container.value)
        }
        const uses = map.get('uses', true)
        if (isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith('docker://') && uses.range) {
          // A workflow step run in an image, pulled by the runner on every run.
          const [start, end] = innerRange(uses as Scalar)
          if (text.slice(start, end) === uses.value) push(refs, snippet, start + 'docker://'.length, end, uses.value.slice('docker://'.length))
        }
        const image = map.get('image', true)
        if (!isScalar(image) || typeof image.value !== 'string' || !image.range) return
        let [start, end] = innerRange(image as Scalar)
        let ref = image.value
        if (ref.includes('${')) {
          // Compose interpolation: `${CHATBOX_IMAGE:-chatbox:latest}` runs its default when unset.
          const fallback = fallbackImage(snippet, parseShell(only(text, start, end)).words[0])
          if (!fallback) return
          ;({start, end, ref} = fallback)
        }
        const policyNode = map.get('imagePullPolicy', true)
        const extra: Partial<ImageRef> = {}
        if (isScalar(policyNode) && typeof policyNode.value === 'string' && policyNode.range) {
          const [ps, pe] = innerRange(policyNode as Scalar)
          extra.policy = {value: policyNode.value, start: ps, end: pe}
        }
        // A container of a Kubernetes pod is pulled by the cluster; anything else (a Compose
        // service) runs what the machine has.
        const pull = map.get('pull_policy')
        const cluster = path.some((node) => isPair(node) && isScalar(node.key) && podContainers.has(String(node.key.value)))
        extra.local = policyNode === undefined && pull !== 'always' && !cluster
        if (cluster) extra.cluster = true
        push(refs, snippet, start, end, ref, extra)
        // Compose: `build:` beside `image:` builds the image under that name.
        if (built && map.has('build')) pushBuilt(built, snippet, start, end, ref)
      }
    })
    if (built && isMap(doc.contents)) serverlessBuilds(snippet, doc.contents, built)
  }
}

/**
 * A Serverless Framework service builds the images its `provider.ecr.images` names from a folder
 * (`my-task: {path: ./, file: Dockerfile}`) and pushes them to ECR; a function's or a Fargate
 * task's `image: my-task` names that build, not an image in a registry. An entry with a `uri`
 * and no `path` names an image already pushed, and builds nothing.
 */
function serverlessBuilds(snippet: Snippet, top: YAMLMap, built: BuiltImage[]) {
  const provider = top.get('provider', true)
  const ecr = isMap(provider) ? provider.get('ecr', true) : undefined
  const images = isMap(ecr) ? ecr.get('images', true) : undefined
  if (!isMap(images)) return
  for (const {key, value} of images.items) {
    if (!isScalar(key) || typeof key.value !== 'string' || !key.range || !isMap(value) || !value.has('path')) continue
    const [start, end] = innerRange(key as Scalar)
    if (snippet.value.slice(start, end) === key.value) pushBuilt(built, snippet, start, end, key.value)
  }
}

/**
 * A Helm chart's values (`image: {registry: …, repository: …, tag: latest, pullPolicy: …}`), as the
 * chart renders them, `[registry/]repository:tag`, pulled by the cluster. Only a mutable tag is read
 * (`latest`, `main`): an empty or missing tag is the chart's `appVersion`, which the chart pins; a
 * `digest` pins it too.
 */
function helmValuesImage(snippet: Snippet, image: YAMLMap, refs: ImageRef[]) {
  const registry = stringAt(image, 'registry')?.value
  const ref = movingTag(snippet, image, 'tag', `${registry ? `${registry}/` : ''}${stringAt(image, 'repository')?.value ?? ''}`, 'values')
  if (!ref) return
  const policy = stringAt(image, 'pullPolicy')
  if (policy?.range) {
    const [start, end] = innerRange(policy)
    ref.policy = {value: policy.value, start, end, written: `pullPolicy: ${policy.value}`}
  }
  add(refs, ref)
}

/**
 * Kustomize's image transformer (`images: [{name: nginx, newName: …, newTag: latest}]` in a
 * kustomization): every container of `name` runs `newName:newTag`, pulled by the cluster. Only
 * a mutable `newTag` is read (`latest`, `main`; a `digest` pins it).
 */
function kustomizeImage(snippet: Snippet, map: YAMLMap, refs: ImageRef[]) {
  const ref = movingTag(snippet, map, 'newTag', stringAt(map, 'newName')?.value ?? stringAt(map, 'name')?.value ?? '', 'kustomize')
  if (ref) add(refs, ref)
}

/**
 * Tags that follow a branch or a development channel, not a release: each push or nightly build
 * moves them (`ghcr.io/acme/tool:main`, `alpine:edge`). Release channels (`stable`, `lts`) and
 * major versions (`postgres:16`) move with releases only, the publisher's promise, as a major
 * tag of an action is for unpinned-install.
 */
const branchTags = new Set(['main', 'master', 'develop', 'development', 'nightly', 'edge', 'head', 'HEAD', 'unstable', 'canary', 'snapshot', 'SNAPSHOT'])

/**
 * No tag (which is `latest`), `latest`, a tag that follows a branch, or `latest` with a variant
 * (`latest-alpine`, `alpine-latest`, `latest-arm64v8`): each pull may get another build. A part
 * that names one build (a commit, `latest-3f2a9c1`; a date, `latest-20240101`) pins it, and a
 * template that renders a tag is none (`{{ site.data.gateway_latest.release }}`).
 */
export function mutableTag(tag: string | undefined): boolean {
  if (tag === undefined || tag === 'latest' || branchTags.has(tag)) return true
  // A tag as the registry takes it: a template's `{{ site.data.gateway_latest.release }}` is not one.
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) return false
  const parts = tag.split(/[-_.]/)
  return parts.includes('latest') && !parts.some((part) => /^\d{6,}$/.test(part) || (/^[0-9a-f]{7,40}$/.test(part) && /\d/.test(part)))
}

/**
 * The mutable tag written under `key` of `map` (`latest`, `main`), for the image `repository` (no
 * tag of its own), when no `digest` beside it pins it: pulled by the cluster.
 */
function movingTag(snippet: Snippet, map: YAMLMap, key: string, repository: string, tagOnly: 'values' | 'kustomize'): ImageRef | undefined {
  const tag = stringAt(map, key)
  if (!tag?.range || !mutableTag(tag.value) || stringAt(map, 'digest')?.value) return undefined
  const [start, end] = innerRange(tag)
  const parts = parseImage(repository)
  if (snippet.value.slice(start, end) !== tag.value || !parts || parts.tag !== undefined || parts.digest !== undefined) return undefined
  return {snippet, start, end, ref: tag.value, repository: parts.repository, tag: tag.value, tagOnly, cluster: true}
}

/** A string scalar under `key` of a YAML map. */
function stringAt(map: YAMLMap, key: string): Scalar<string> | undefined {
  const node = map.get(key, true)
  return isScalar(node) && typeof node.value === 'string' ? (node as Scalar<string>) : undefined
}

/**
 * A GitLab CI pipeline (`.gitlab-ci.yml`): its top level has `stages`, `default` or `include`, or
 * a job (a mapping with a `script`).
 */
function gitlabCi(doc: Document.Parsed): boolean {
  const top = doc.contents
  if (!isMap(top)) return false
  return top.items.some((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    return key === 'stages' || key === 'default' || key === 'include' || (isMap(pair.value) && pair.value.has('script'))
  })
}

/** The keys of a GitLab CI service written as a mapping. */
const gitlabServiceKeys: ReadonlySet<string> = new Set(['name', 'alias', 'entrypoint', 'command', 'variables', 'pull_policy', 'docker'])

/**
 * A fragment of a GitLab CI pipeline that shows only its `services:` (a list; Compose's
 * `services:` is a mapping): its items are images when each is written with a tag
 * (`postgres:latest`, `{name: redis:7, alias: cache}`). A list of bare names (`- nginx`) may be
 * anything else's (an Ansible role's services), and is not read.
 */
function gitlabServices(snippet: Snippet, top: YAMLMap, refs: ImageRef[]) {
  const services = top.get('services', true)
  if (!isSeq(services) || services.items.length === 0) return
  const names = services.items.map((item) => {
    if (isMap(item) && !item.items.every((pair) => isScalar(pair.key) && gitlabServiceKeys.has(String(pair.key.value)))) return undefined
    const name = isMap(item) ? item.get('name', true) : item
    return isScalar(name) && typeof name.value === 'string' && /^[\w.\/-]+:[\w.-]+$/.test(name.value) ? (name as Scalar<string>) : undefined
  })
  if (names.some((name) => name === undefined)) return
  gitlabImages(snippet, top, refs)
}

/**
 * GitLab CI's other ways to name an image, pulled by the runner on every job: `image: {name: …}`,
 * and `services:` items, each an image or `{name: image, alias: …}`.
 */
function gitlabImages(snippet: Snippet, map: YAMLMap, refs: ImageRef[]) {
  const named = (node: unknown) => {
    const name = isMap(node) ? node.get('name', true) : node
    if (!isScalar(name) || typeof name.value !== 'string' || !name.range) return
    const [start, end] = innerRange(name as Scalar)
    if (snippet.value.slice(start, end) === name.value) push(refs, snippet, start, end, name.value)
  }
  const image = map.get('image', true)
  if (isMap(image)) named(image)
  const services = map.get('services', true)
  if (isSeq(services)) for (const item of services.items) named(item)
}

/**
 * TOML's `image = "…"` (fly.toml's `[build]`, a GitLab runner's `[runners.docker]` and the `name`
 * of its `[[runners.docker.services]]`): pulled by the platform or the runner, so not `local`.
 */
function tomlImages(snippet: Snippet, refs: ImageRef[]) {
  const text = snippet.value
  if (!text.includes('image')) return
  const doc = parseTomlDocument(text)
  if (!doc) return
  for (const {node, inner, key, path, verbatim} of tomlStrings(doc)) {
    if (node.parent.type !== 'TOMLKeyValue' || !verbatim) continue
    if (key !== 'image' && !(key === 'name' && path.filter((p) => !/^\d+$/.test(p)).join('.').endsWith('runners.docker.services'))) continue
    push(refs, snippet, inner[0], inner[1], node.value)
  }
}

/**
 * HCL's `image = "…"`: a Nomad task's `config`, Terraform's `docker_container` or a Kubernetes
 * `container` block (with its `image_pull_policy`, pulled by the cluster). Pulled by the client or
 * the cluster, so not `local`.
 */
function hclImages(snippet: Snippet, refs: ImageRef[]) {
  if (!snippet.value.includes('image')) return
  const walk = (block: HclBlock) => {
    const image = block.attributes.find((a) => a.name === 'image')?.value
    if (image?.value !== undefined) {
      const extra: Partial<ImageRef> = {}
      const policy = block.attributes.find((a) => a.name === 'image_pull_policy')?.value
      if (policy?.value !== undefined) extra.policy = {value: policy.value, start: policy.inner[0], end: policy.inner[1], written: `image_pull_policy = "${policy.value}"`}
      if (block.type === 'container' || block.type === 'init_container') extra.cluster = true
      push(refs, snippet, image.inner[0], image.inner[1], image.value, extra)
    }
    for (const inner of block.blocks) walk(inner)
  }
  walk(parseHcl(snippet.value))
}

/**
 * The images infrastructure code deploys (AWS CDK's `ContainerImage.fromRegistry(…)`, App
 * Runner's `imageIdentifier`, a Pulumi or cdk8s pod spec's `containers`): core/facts/javascript.ts
 * `javascriptImages`, core/facts/python.ts `pythonImages`. Pulled by the service or the cluster,
 * so not `local`.
 */
function codeImages(snippet: Snippet, refs: ImageRef[]) {
  const text = snippet.value
  if (snippet.dialect !== 'javascript' && snippet.dialect !== 'python') return
  if (!mayDeployImage(text)) return
  for (const image of snippet.dialect === 'javascript' ? javascriptImages(text) : pythonImages(text)) {
    push(refs, snippet, image.start, image.end, image.text, image.cluster ? {cluster: true} : {})
  }
}

const podContainers = new Set(['containers', 'initContainers', 'ephemeralContainers'])

function dockerfileImages(snippet: Snippet, refs: ImageRef[]) {
  const stages = new Set<string>()
  const instructions = dockerInstructions(snippet.value)
  // A fragment (an elided `...` line, or a first instruction other than `FROM` or `ARG`) may name
  // stages in the lines it leaves out: `COPY --from=builder` there is one of them.
  const first = instructions[0]?.keyword.text
  const elided = (instruction: (typeof instructions)[number]) => instruction.keyword.text === '' && ['...', '…'].includes(instruction.rest.text.trim())
  const fragment = instructions.some(elided) ||
    (first !== undefined && first !== 'FROM' && first !== 'ARG')
  for (const instruction of instructions) {
    if (instruction.keyword.text === 'COPY') {
      // `COPY --from=busybox:latest …` copies out of an image, unless it names a stage (or its index).
      const from = /(?<=^|\s)--from=(\S+)/.exec(instruction.rest.text)
      const ref = from?.[1]
      // A bare name (no registry, path or tag) in a fragment is a stage of the lines left out.
      const stage = fragment && ref !== undefined && /^[\w.-]+$/.test(ref)
      if (ref && !stage && !stages.has(ref.toLowerCase()) && !/^\d+$/.test(ref)) {
        const start = instruction.rest.start + from.index + '--from='.length
        push(refs, snippet, start, start + ref.length, ref, {local: true})
      }
      continue
    }
    if (instruction.keyword.text !== 'FROM') continue
    const words = [...instruction.rest.text.matchAll(/\S+/g)]
    let index = 0
    while (index < words.length && words[index][0].startsWith('--')) index++
    const word = words[index]
    if (!word) continue
    const ref = word[0]
    const start = instruction.rest.start + word.index!
    const as = words[index + 1]?.[0].toLowerCase() === 'as' ? words[index + 2]?.[0] : undefined
    if (ref !== 'scratch' && !stages.has(ref.toLowerCase())) push(refs, snippet, start, start + ref.length, ref, {local: true})
    if (as) stages.add(as.toLowerCase())
  }
}

/** Range of `sub`, a part of the word's value starting at `index`, in the snippet. */
function within(word: ShWord, index: number, sub: string): [number, number] | undefined {
  if (word.value === word.raw) return [word.start + index, word.start + index + sub.length]
  const at = word.raw.indexOf(sub)
  return at === -1 ? undefined : [word.start + at, word.start + at + sub.length]
}

/**
 * The image a word that is one `${NAME:-image}` expansion (also `-`, `:=`, `=`) runs when NAME is
 * unset, which is what a reader who copies the command gets: its default, where it is written
 * as it reads (not quoted inside the expansion).
 */
function fallbackImage(snippet: Snippet, word: ShWord | undefined): {start: number; end: number; ref: string} | undefined {
  const fallbacks = word?.fallbacks ?? []
  if (!word || fallbacks.length !== 1 || word.refs.length !== 1 || word.substitutions.length > 0) return undefined
  const bare = word.raw.startsWith('"') && word.raw.endsWith('"') ? word.raw.slice(1, -1) : word.raw
  if (!bare.startsWith('${') || !bare.endsWith('}')) return undefined
  const [fallback] = fallbacks
  const start = fallback.start + fallback.operator.length
  return snippet.value.slice(start, fallback.end) === fallback.value ? {start, end: fallback.end, ref: fallback.value} : undefined
}

function commandImages(snippet: Snippet, command: ShCommand, refs: ImageRef[]) {
  let {name, args} = runCommand(command)
  if (!name) return
  const word = (w: ShWord | undefined, extra?: Partial<ImageRef>) => {
    const fallback = w && w.value === undefined ? fallbackImage(snippet, w) : undefined
    if (fallback) push(refs, snippet, fallback.start, fallback.end, fallback.ref, extra)
    if (!w || w.value === undefined) return
    const range = within(w, 0, w.value)
    if (range) push(refs, snippet, range[0], range[1], w.value, extra)
  }
  if (engines.has(name)) {
    let i = 0
    if (args[0]?.value === 'container' || args[0]?.value === 'image') i = 1
    const sub = args[i]?.value
    if (sub !== 'run' && sub !== 'create' && sub !== 'pull') return
    // `--pull always` (or `newer`) fetches even an image the machine has.
    let local = sub !== 'pull'
    for (i++; i < args.length; i++) {
      const value = args[i].value
      // An expansion: an image only as one `${IMAGE:-default}`.
      if (value === undefined) return word(args[i], {local})
      if (!value.startsWith('-')) return word(args[i], {local})
      if (value === '--pull') local &&= !pullsAnyway(args[i + 1]?.value)
      else if (value.startsWith('--pull=')) local &&= !pullsAnyway(value.slice(7))
      // `podman run --rootfs /path/to/rootfs cmd` runs an unpacked root file system: no image.
      if (value === '--rootfs' || value === '--rootfs=true') return
      // `docker pull -a alpine` pulls every tag of the repository, not one that moves.
      if (sub === 'pull' && (value === '-a' || value === '--all-tags')) return
      if (!value.includes('=') && !flagOptions.has(value) && !(sub === 'pull' && pullFlags.has(value)) && !flagCluster(value)) i++
    }
    return
  }
  if (Object.hasOwn(tools, name)) {
    for (const {word: w, skip, extra} of tools[name]!(args)) {
      const ref = w.value!.slice(skip)
      const range = within(w, skip, ref)
      if (range) push(refs, snippet, range[0], range[1], ref, extra)
    }
    return
  }
  if (name === 'kubectl') {
    const sub = args[0]?.value
    if (sub === 'set' && args[1]?.value === 'image') {
      for (const arg of args.slice(3)) {
        const value = arg.value
        const eq = value?.indexOf('=') ?? -1
        if (value === undefined || value.startsWith('-') || eq <= 0) continue
        const range = within(arg, eq + 1, value.slice(eq + 1))
        if (range) push(refs, snippet, range[0], range[1], value.slice(eq + 1))
      }
      return
    }
    if (sub !== 'run' && sub !== 'create') return
    args.forEach((arg, i) => {
      const value = arg.value
      if (value === '--image') word(args[i + 1])
      else if (value?.startsWith('--image=')) {
        const ref = value.slice(8)
        const range = within(arg, 8, ref)
        if (range) push(refs, snippet, range[0], range[1], ref)
      }
    })
    return
  }
  if (name === 'helm') {
    args.forEach((arg, i) => {
      const option = arg.value
      const setting = option === '--set' || option === '--set-string' ? args[i + 1] : undefined
      const value = setting?.value
      if (!setting || value === undefined) return
      for (const part of value.split(',')) {
        const match = /^((?:[\w-]+\.)*image\.tag)=(.*)$/.exec(part)
        if (!match) continue
        const tag = match[2]
        const index = value.indexOf(part) + match[1].length + 1
        const range = within(setting, index, tag)
        if (!range || tag === '' || /[$<{]/.test(tag)) continue
        refs.push({snippet, start: range[0], end: range[1], ref: tag, repository: match[1].replace(/\.?image\.tag$/, '') || 'image', tag, tagOnly: 'set'})
      }
    })
  }
}

/**
 * An image a tool's command names: the word, and the length of a prefix before the reference
 * (`docker://`, `app=`).
 */
interface ToolImage {
  word: ShWord
  skip: number
  extra: Partial<ImageRef>
}

/**
 * The first operand after `start`: options in `flags` take no value, others take the next word
 * unless written `--option=value`; undefined at an expansion, unless it may be the operand
 * (`buildah commit "$ctr" app`).
 */
function operand(args: ShWord[], start: number, flags: ReadonlySet<string>, expansions = false): number | undefined {
  for (let i = start; i < args.length; i++) {
    const value = args[i].value
    if (value === undefined) return expansions ? i : undefined
    if (!value.startsWith('-') || value === '-') return i
    if (!value.includes('=') && !flags.has(value)) i++
  }
  return undefined
}

/** `buildah commit` options that take no value. */
const commitFlags = new Set(['--rm', '-q', '--quiet', '--squash', '-D', '--disable-compression', '--omit-history', '--tls-verify', '--identity-label', '--help', '-h'])

/** `docker|podman|nerdctl commit` options that take no value. */
const engineCommitFlags = new Set(['-p', '--pause', '-q', '--quiet', '-s', '--squash', '--include-volumes', '--help', '-h'])

/** `buildah from` options that take no value (`--pull` alone is `--pull=true`). */
const buildahFlags = new Set(['-q', '--quiet', '--pull', '--pull-always', '--pull-never', '--tls-verify', '--http-proxy', '--help', '-h', '--debug'])

/** `ctr` options (global, `images pull`, `run`, `container create`) that take no value. */
const ctrFlags = new Set(['--debug', '--all-platforms', '--plain-http', '--skip-verify', '-k', '--http-dump', '--http-trace', '--print-chainid', '--skip-metadata',
  '--local', '--all-metadata', '--rm', '-t', '--tty', '-d', '--detach', '--null-io', '--privileged', '--read-only', '--net-host', '--no-pivot',
  '--allow-new-privs', '--seccomp', '--remap-labels', '--cni', '--privileged-without-host-devices', '--sync-fs', '--help', '-h'])

/** `crictl` options (global and `pull`) that take no value. */
const crictlFlags = new Set(['-D', '--debug', '--help', '-h'])

/** `skopeo` global options that take no value. */
const skopeoFlags = new Set(['--debug', '--insecure-policy', '--help', '-h'])

/** A skopeo image name, `transport:reference`: `docker://…`, `oci:…`, `dir:…`. */
const skopeoTransport = /^(docker|oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage|sif|tarball):/

/** The pull policies of `buildah from --pull=…` that fetch an image the machine has. */
function buildahPulls(value: string): boolean {
  return value === '--pull' || value === '--pull-always' || (value.startsWith('--pull=') && pullsAnyway(value.slice(7)))
}

/** A fully qualified reference, as `ctr` needs it: a registry host, then a path. */
function qualified(ref: string): boolean {
  const slash = ref.indexOf('/')
  const host = ref.slice(0, slash)
  return slash > 0 && (host.includes('.') || host.includes(':') || host === 'localhost')
}

/**
 * Tools beside the engines that name an image to pull or run: `buildah from IMAGE` (from the
 * machine's store when it has it; `scratch` is no image), `ctr images pull REF`, `ctr run REF ID`
 * and `ctr container create REF ID` (fully qualified references; a run takes what the store has),
 * `crictl pull IMAGE`, `skopeo copy SRC DST` (a source in the `docker://` transport, the others
 * are local), and `kustomize edit set image`. Not `skopeo inspect`, which runs nothing: it shows
 * what a tag names today, as a reader does to pin it.
 */
const tools: Record<string, (args: ShWord[]) => ToolImage[]> = {
  buildah(args) {
    const sub = operand(args, 0, skopeoFlags)
    if (sub === undefined || args[sub].value !== 'from') return []
    const at = operand(args, sub + 1, buildahFlags)
    if (at === undefined || args[at].value === 'scratch') return []
    const pulls = args.slice(sub + 1, at).some((a) => buildahPulls(a.value!))
    return [{word: args[at], skip: 0, extra: {local: !pulls}}]
  },
  ctr(args) {
    const sub = operand(args, 0, ctrFlags)
    if (sub === undefined) return []
    const group = args[sub].value
    let at: number | undefined
    let local = true
    if (['images', 'image', 'i'].includes(group!) && args[sub + 1]?.value === 'pull') {
      at = sub + 2
      local = false
    } else if (['containers', 'container', 'c'].includes(group!) && args[sub + 1]?.value === 'create') at = sub + 2
    else if (group === 'run') at = sub + 1
    else return []
    const rest = args.slice(at)
    // `ctr run --rootfs /path id` runs an unpacked root file system.
    if (rest.some((a) => a.value === '--rootfs' || a.value === '--rootfs=true')) return []
    const image = operand(args, at, ctrFlags)
    if (image === undefined || !qualified(args[image].value!)) return []
    return [{word: args[image], skip: 0, extra: local ? {local} : {}}]
  },
  crictl(args) {
    const sub = operand(args, 0, crictlFlags)
    if (sub === undefined || args[sub].value !== 'pull') return []
    const at = operand(args, sub + 1, crictlFlags)
    return at === undefined ? [] : [{word: args[at], skip: 0, extra: {}}]
  },
  skopeo(args) {
    const sub = operand(args, 0, skopeoFlags)
    if (sub === undefined || args[sub].value !== 'copy') return []
    // The operands are the words in a transport; option values (paths, credentials) are not.
    const names = args.slice(sub + 1).filter((a) => a.value !== undefined && skopeoTransport.test(a.value))
    if (names.length !== 2 || !names[0].value!.startsWith('docker://')) return []
    return [{word: names[0], skip: 'docker://'.length, extra: {}}]
  },
  kustomize(args) {
    const words = args.map((a) => a.value)
    if (words[0] !== 'edit' || words[1] !== 'set' || words[2] !== 'image') return []
    const out: ToolImage[] = []
    for (const arg of args.slice(3)) {
      const value = arg.value
      if (value === undefined || value.startsWith('-')) continue
      // `name=newName:newTag`, or `name:newTag`; `name=newName` alone keeps the tag the
      // manifests have, so only a written tag is read.
      const skip = value.indexOf('=') + 1
      const parts = parseImage(value.slice(skip))
      if (parts?.tag === undefined) continue
      out.push({word: arg, skip, extra: {cluster: true, noDigest: true}})
    }
    return out
  }
}
