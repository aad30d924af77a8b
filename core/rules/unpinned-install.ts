/**
 * unpinned-install: tools the docs install are pinned to a version, so every reader (and CI) gets
 * the same tool. The fix pins to the version from `installs.versions` or the repository's own
 * manifests (`go.mod`, `package.json`, `package-lock.json`, `requirements.txt`).
 */
import {installs, type Install} from '../facts/installs.js'
import type {InstallsConfig, SourceRef} from '../types.js'
import {cite, clip, commandLangs, word, type Rule} from './types.js'

export const unpinnedInstall: Rule = {
  meta: {
    id: 'unpinned-install',
    description: 'Installed tools and Helm charts are pinned to a version: no `@latest`, no versionless global installs, no installer run as it downloads',
    tags: ['installs', 'reproducibility'],
    severity: 'warn',
    fixable: 'safe',
    config: ['installs']
  },
  // PowerShell blocks are `code` (read for URLs); their installers are read too.
  langs: [...commandLangs, 'code'],
  needles(config) {
    // Every command installs.ts reads: `go install|get|run`, npm/pnpm (`npm i -g`), npx, yarn,
    // bun/bunx, pip/pip3/pipx (and `python -m pip`), uv/uvx, cargo, gem, helm (the word is also
    // in Terraform's `helm_release`: `_` is not a letter), flux (`flux create helmrelease`,
    // `flux create source git`, `flux create source oci`), curl/wget pipes, GitHub release assets
    // fetched as the latest, and GitHub Actions `uses:` (YAML; with its colon, as the word is
    // common in prose). Not `install` alone: `apt-get install` and `brew install` are not read.
    // PowerShell's installers run text with `iex`, `Invoke-Expression` or a script block made
    // from it (any case), in PowerShell blocks and in `powershell -c "…"`.
    return [word('go'), word('flux'), 'npm', 'npx', 'yarn', word('bun'), word('bunx'), word('pip'), word('pip3'), word('pipx'), word('uv'), word('uvx'), 'cargo', word('gem'), word('helm'), 'curl', 'wget', 'uses:', 'releases/latest/download/',
      // A file fetched from a branch, and a GitOps source on one (Argo CD, Flux), read only for a
      // repository the config pins; a Flux artifact at `latest` likewise.
      ...(Object.keys(config.installs?.versions ?? {}).some((name) => /^[\w.-]+\/[\w.-]+$/.test(name)) ? ['raw.githubusercontent.com/', '/raw/', 'argoproj.io/', 'GitRepository'] : []),
      ...(Object.keys(config.installs?.versions ?? {}).length > 0 ? ['OCIRepository'] : []),
      // Charts in manifests: Argo CD and Flux sources, helmfile releases and Fleet's `helm`
      // (`chart:`), a `Chart.yaml`'s `dependencies:` and a kustomization's `helmCharts:`.
      'chart:', 'dependencies:', 'helmCharts:',
      word('iex'), word('IEX'), word('Iex'), 'Invoke-Expression', 'invoke-expression', ']::Create', ']::create']
  },
  check({config, facts, report, use}) {
    const versions: InstallsConfig['versions'] = config.installs?.versions ?? {}
    const names = Object.keys(versions)
    for (const install of installs(facts)) {
      if (install.kind === 'download') {
        report({
          snippet: install.snippet,
          start: install.start,
          end: install.end,
          message: `\`${clip(install.text)}\` runs whatever the server sends today, unpinned and unchecked; download a versioned installer, verify its checksum, then run it`,
          note: `What ${install.name} sends is run as it arrives, so it cannot be pinned or reviewed; most projects publish release archives with checksums`
        })
        continue
      }
      const found = lookup(install, versions)
      // A one-off run without a version is drift only against a version the config asks for: a
      // package.json's is what `npx` runs already (it runs the project's own copy).
      if (install.runner && (!found || (found.fromManifest && install.kind === 'npm'))) continue
      // A branch may be the docs' own repository's, which changes with them: read only for a
      // repository the config pins (so is a GitOps source's artifact, pushed as `latest`).
      if ((install.kind === 'branch' || install.kind === 'artifact') && !found) continue
      for (const name of names) use(`install:${name}`, found?.name === name)
      const pinned = found ? spelled(install, found.version) : undefined
      report({
        snippet: install.snippet,
        start: install.start,
        end: install.end,
        message: `${problem(install)}; ${advice(install, found, pinned)}`,
        // `gem install x -v '~> 7.1'`: the range stays in its option, so the package word takes no pin.
        // A manifest without its field needs a line of its own, which no fix writes.
        expected: install.ranged || install.attribute || (install.field && install.requested === undefined) ? undefined : pinned,
        // A file (a GitOps source's `path`) may sit elsewhere in a release than on the branch: a
        // person checks the address.
        safety: install.kind === 'branch' ? 'suggestion' : 'safe',
        note: found
          ? `The version comes from ${cite(found.source)}`
          : 'Add the package to `installs.versions`, or list the manifest that holds it in `installs.manifests`, to get a fix'
      })
    }
  }
}

/** What an unpinned install leaves to the day it runs, in its ecosystem's words. */
function problem(install: Install): string {
  const text = `\`${install.text}\``
  if (install.kind === 'release') return `\`${install.name}\`'s \`releases/latest/download/\` fetches whatever release is newest on the day it runs`
  if (install.field) {
    // A manifest: the chart or the repository that lacks its field, or the field's value.
    const key = install.field.split('.')[0]
    const what = install.kind === 'helm' ? 'installs whatever version of the chart is newest' : install.kind === 'artifact' ? 'deploys whatever was pushed last' : 'deploys whatever was merged last'
    if (install.requested === undefined) return `${text} has no \`${key}\`, so each reader ${what}`
    if (install.kind === 'branch') return `\`${install.requested}\` is \`${install.name}\`'s branch, so each reader ${what}`
    if (install.kind === 'artifact') return `\`${install.requested}\` is \`${install.name}\`'s moving tag, so each reader ${what}`
    const lock = install.lockedOutside === undefined ? '' : `: the Chart.lock's \`${install.lockedOutside}\` is outside that range, so the lock does not pin it`
    return `\`${install.name}\` installs whatever \`${install.requested}\` is on the day it runs${lock}`
  }
  // `--tag=latest` of `flux create source oci`.
  if (install.kind === 'artifact') return `\`${install.requested}\` is \`${install.name}\`'s moving tag, so each reader deploys whatever was pushed last`
  // `flux create source git` with no ref: the default branch.
  if (install.kind === 'branch' && install.flag && install.requested === undefined) return `${text} has no \`--tag\` or other ref, so the source follows the default branch \`master\` and each reader deploys whatever was merged last`
  // `--branch=main` of `flux create source git`.
  if (install.kind === 'branch' && install.flag) return `\`${install.requested}\` is \`${install.name}\`'s branch, so each reader deploys whatever was merged last`
  if (install.kind === 'branch') return `${text} is \`${install.name}\`'s branch, so each reader fetches whatever was merged last`
  if (install.option) return `\`${install.name}\` ${install.verb ?? 'installs'} whatever \`${install.requested}\` is on the day it runs`
  if (install.kind === 'helm') return `${text} has no \`${install.attribute ? 'version' : install.flag ?? '--version'}\`, so each reader ${install.verb ?? 'installs'} whatever version of the chart is newest`
  if (install.runner) return `${text} has no version, so each reader runs whatever is newest (or whatever copy they have)`
  if (install.requested === undefined) return `${text} has no version, so each reader installs whatever is newest`
  return install.kind === 'action'
    ? `${text} runs whatever \`${install.requested}\` points at on the day the workflow runs`
    : `${text} installs whatever \`${install.requested}\` is on the day it runs`
}

/** The pin the message asks for: the configured version as the fix writes it, or the form to fill in. */
function advice(install: Install, found: {version: string; source: SourceRef} | undefined, pinned: string | undefined): string {
  const separator = install.kind === 'pip' && !install.at ? '==' : install.kind === 'gem' ? ':' : '@'
  if (install.attribute) return found ? `pin \`version = "${found.version}"\` (${cite(found.source)})` : 'pin a version (`version = "X.Y.Z"`)'
  if (install.field) return found ? `pin \`${install.field}: ${manifestValue(install, found.version)}\` (${cite(found.source)})` : `pin a version (\`${install.field}: X.Y.Z\`)`
  if (found && pinned) {
    const version = pinned.replace(/^["']|["']$/g, '').split(separator).pop() ?? ''
    if (install.kind === 'branch' && install.flag && install.requested === undefined) return `pin \`${pinned.slice(install.text.length + 1)}\` (${cite(found.source)})`
    if (install.kind === 'branch' && install.flag) return `pin \`${pinned}\` (${cite(found.source)})`
    if (install.kind === 'branch') return `fetch the file at the release tag \`${pinned}\` (${cite(found.source)})`
    const suffix = install.ranged ? `-v ${version}` : install.kind === 'helm' || install.kind === 'artifact' ? `${install.flag ?? '--version'} ${found.version}` : install.kind === 'release' ? `releases/${pinned}/` : separator + version
    return `pin \`${suffix}\` (${cite(found.source)})`
  }
  if (install.kind === 'action') return 'pin a release tag or a commit SHA (`@vX.Y.Z`, `@<sha>`)'
  if (install.kind === 'release') return 'download a release by its tag (`releases/download/vX.Y.Z/`)'
  return `pin a version (\`${install.kind === 'go' ? '@vX.Y.Z' : install.kind === 'helm' ? `${install.flag ?? '--version'} X.Y.Z` : `${separator}X.Y.Z`}\`)`
}

function lookup(install: Install, versions: InstallsConfig['versions']): {name: string; version: string; source: SourceRef; fromManifest?: boolean} | undefined {
  if (install.kind === 'release' || install.kind === 'branch') return Object.hasOwn(versions, install.name) ? {name: install.name, ...versions[install.name]} : undefined
  if (install.kind === 'go' || install.kind === 'action') {
    // The module (repository) that holds the package (action): the longest configured prefix of its path.
    let best: string | undefined
    for (const name of Object.keys(versions)) {
      if ((install.name === name || install.name.startsWith(name + '/')) && (!best || name.length > best.length)) best = name
    }
    return best ? {name: best, ...versions[best]} : undefined
  }
  if (install.kind === 'helm' || install.kind === 'artifact') {
    // The chart as written (`jetstack/cert-manager`, `oci://…/cert-manager`), or its name alone;
    // a manifest's chart name (`cert-manager`), or `flux create helmrelease`'s, also by the one
    // chart configured with that name (`jetstack/cert-manager`).
    let name = [install.name, install.name.slice(install.name.lastIndexOf('/') + 1)].find((n) => Object.hasOwn(versions, n))
    if (name === undefined && (install.field || install.flag) && install.kind === 'helm') {
      const same = Object.keys(versions).filter((n) => n.endsWith('/' + install.name))
      if (same.length === 1) name = same[0]
    }
    return name === undefined ? undefined : {name, ...versions[name]}
  }
  const key = install.kind === 'pip' ? Object.keys(versions).find((n) => n.toLowerCase().replace(/[-_.]+/g, '-') === install.name.toLowerCase().replace(/[-_.]+/g, '-')) : install.name
  return key !== undefined && Object.hasOwn(versions, key) ? {name: key, ...versions[key]} : undefined
}

/** The package word pinned, in its ecosystem's spelling, keeping the author's quotes. */
function spelled(install: Install, version: string): string {
  const quote = /^["']/.test(install.text) ? install.text[0] : ''
  // An action's ref is a tag or a commit, spelled as configured.
  const v = install.kind === 'action' ? version : install.kind === 'go' && !version.startsWith('v') ? 'v' + version : install.kind !== 'go' ? version.replace(/^v(?=\d)/, '') : version
  // A chart takes its version as an option after it, a release asset its tag in the address,
  // spelled as configured.
  if (install.field) return install.kind === 'branch' && install.field === 'tag' ? `tag: ${manifestValue(install, version)}` : manifestValue(install, version)
  // A range given to `--version` is replaced by the version, inside the author's quotes.
  if (install.option) return version
  if (install.kind === 'helm') return `${install.text} ${install.flag ?? '--version'} ${version}`
  // No ref: `--url=…` is followed by `--tag=v1.4.0` (`--url …` by `--tag v1.4.0`).
  if (install.kind === 'branch' && install.flag && install.requested === undefined) return `${install.text} ${install.flag}${install.text.startsWith('--url=') ? '=' : ' '}${version}`
  // `--branch=main` becomes `--tag=v1.4.0` (`--branch main`, `--tag v1.4.0`).
  if (install.kind === 'branch' && install.flag) return `${install.flag}${install.text.startsWith('--branch=') ? '=' : ' '}${version}`
  if (install.kind === 'release') return `download/${version}`
  if (install.kind === 'branch') return version
  const pinned = install.kind === 'pip' && !install.at ? `${install.name}==${v}` : install.kind === 'gem' ? `${install.name}:${v}` : `${install.name}@${v}`
  return quote + pinned + quote
}


/**
 * A manifest's field value, spelled as configured: written plain, `1.10` would be read as a
 * number, so it is quoted (but not in place of a quoted value, whose quotes stay).
 */
function manifestValue(install: Install, version: string): string {
  const quoted = install.requested !== undefined && /["']/.test(install.snippet.value[install.start - 1] ?? '')
  return !quoted && /^\d+(\.\d+)?$/.test(version) ? `"${version}"` : version
}
