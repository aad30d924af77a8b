/**
 * mutable-image: container images in docs and manifests are pinned. `:latest` and untagged
 * references pull whatever the tag points at today, so a pod restart can run a different build
 * and a rollback cannot return to the old one; `imagePullPolicy: Always` next to such a tag makes
 * that happen on every start. The fix is the pinned reference from `images.pinned`. An image the
 * document builds itself (`docker build -t`, Compose `build:`, `docker tag` of such a build) and
 * then runs is never pulled; nor is one it loads into a local cluster (`kind load docker-image`,
 * `minikube image load`, `k3d image import`) and runs there with `imagePullPolicy: IfNotPresent`
 * or `Never`.
 */
import {builtImages, imageKey, imageRefs, loadedImages, mutableTag, type ImageRef} from '../facts/images.js'
import {codeImageNeedles} from '../facts/types.js'
import type {ImagesConfig} from '../types.js'
import {cite, commandLangs, inLangs, type Rule} from './types.js'

export const mutableImage: Rule = {
  meta: {
    id: 'mutable-image',
    description: 'Container images are pinned: no `:latest` or branch tag (`:main`, `:nightly`), no missing tag, no `imagePullPolicy: Always` on a mutable tag',
    tags: ['images', 'reproducibility'],
    severity: 'error',
    fixable: 'safe',
    config: ['images']
  },
  langs: commandLangs,
  needles() {
    // `services:` for GitLab CI's service images, `container:` for a CI job's image; `buildah` and
    // `pack build` for an image the document builds (what a later `podman run` of it runs).
    // `ctr`, `crictl`, `skopeo` and `kustomize edit set image` pull or set images too.
    // In JavaScript and Python blocks, infrastructure code's images (`fromRegistry`,
    // `containers`…): needles of code blocks only, which `image` alone must not keep.
    return ['image', 'FROM', 'docker', 'podman', 'nerdctl', 'services:', 'container:', 'buildah', 'pack build', 'ctr', 'crictl', 'skopeo', ...inLangs(['code'], codeImageNeedles)]
  },
  check({config, facts, report, use}) {
    const images: ImagesConfig = config.images ?? {pinned: {}, floating: []}
    const refs = imageRefs(facts)
    // Images the document builds itself or loads into a cluster (before or after the use): what
    // runs is that build, from the machine's store or the cluster node's.
    const loaded = new Set(loadedImages(facts).map(imageKey))
    const built = new Set([...builtImages(facts).map(imageKey), ...loaded].map(unqualified))
    for (const image of refs) {
      for (const repository of Object.keys(images.pinned)) use(`image:${repository}`, repository === image.repository)
      let floats = false
      for (const floating of images.floating) {
        const matched = floating.name === image.repository || floating.name === `${image.repository}:${image.tag ?? 'latest'}`
        use(`floating:${floating.name}`, matched)
        floats ||= matched
      }
      if (floats || image.digest !== undefined) continue
      if (image.local && built.has(unqualified(imageKey(image)))) continue
      if (!mutableTag(image.tag)) continue
      // A pod's kubelet pulls a loaded image unless its policy says not to; Kubernetes' default
      // policy is `Always` for `:latest` and untagged images, `IfNotPresent` for other tags.
      const pull = image.policy?.value ?? (image.tag === undefined || image.tag === 'latest' ? 'Always' : 'IfNotPresent')
      if (image.cluster && loaded.has(imageKey(image)) && (pull === 'IfNotPresent' || pull === 'Never')) continue
      const pinned = images.pinned[image.repository]
      const field = {set: 'image.tag=', values: 'tag: ', kustomize: 'newTag: '}
      const shown = image.tagOnly ? field[image.tagOnly] + image.ref : image.ref
      const why = image.tag === undefined ? 'has no tag, so it pulls whatever `:latest` is today' : 'is a mutable tag, so each pull may run a different build'
      let expected: string | undefined
      if (pinned && !image.tagOnly) expected = pinned.ref
      else if (pinned && image.tagOnly) expected = pinned.ref.slice(pinned.ref.lastIndexOf(':', pinned.ref.indexOf('@')) + 1)
      // Kustomize takes the digest in a `digest:` field of its own: the fix writes the release tag.
      if (expected && (image.tagOnly === 'kustomize' || image.noDigest)) expected = expected.split('@')[0]
      report({
        snippet: image.snippet,
        start: image.start,
        end: image.end,
        message: `\`${shown}\`` + (image.tagOnly && image.tagOnly !== 'set' ? ` (of \`${image.repository}\`)` : '') + ` ${why}; ` + (pinned ? `pin it to \`${short(expected!)}\` (${cite(pinned.source)})`
          : image.tagOnly ? `pin a release tag (\`${field[image.tagOnly]}<version>\`) and the digest` : `pin a release and digest (\`${image.repository}:<version>@sha256:<digest>\`)`),
        expected,
        // The config names the pinned reference: applying it is what the user asked for.
        safety: expected === undefined ? 'suggestion' : 'safe',
        note: pinned
          ? `The pinned reference is \`${pinned.ref}\` (${cite(pinned.source)})`
          : `Add the image to \`images.pinned\` to get a fix, or to \`images.floating\` if it may float`
      })
      if (image.policy && image.policy.value === 'Always') policy(image, pinned !== undefined && image.tagOnly !== 'set')
    }

    /** Safe together with a configured pin (the same `--fix` pins the image); otherwise a suggestion. */
    function policy(image: ImageRef, pinnedToo: boolean) {
      const policy = image.policy!
      report({
        snippet: image.snippet,
        start: policy.start,
        end: policy.end,
        message: `\`${policy.written ?? 'imagePullPolicy: Always'}\` re-pulls the mutable \`${image.tagOnly === 'values' ? `${image.repository}:${image.ref}` : image.ref}\` on every pod start; pin the image and use \`IfNotPresent\``,
        expected: 'IfNotPresent',
        safety: pinnedToo ? 'safe' : 'suggestion',
        note: 'With a digest-pinned image, `Always` and `IfNotPresent` run the same build; with a mutable tag only `IfNotPresent` keeps a node on the build it has'
      })
    }
  }
}

/**
 * Podman and buildah store an image built as `myapp` under `localhost/myapp`, and look either
 * name up: the key without `localhost/`.
 */
function unqualified(key: string): string {
  return key.startsWith('localhost/') ? key.slice('localhost/'.length) : key
}

/** `name:1.2@sha256:0123456789abcdef…` → digest shortened to 12 hex digits for messages. */
function short(ref: string): string {
  return ref.replace(/(@sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '$1…')
}
