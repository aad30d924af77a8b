/**
 * remark face: one `unified-lint-rule` plugin per engine rule, made from the registry.
 * Messages carry `ruleId`, `url`, `actual`, `expected`, `note`, and `docdrift.fix` (offsets and
 * safety) for `docdrift --fix`. Source is `remark-lint`, so `<!--lint disable stale-route-->`
 * works through remark-lint's message control.
 */
import type {Root} from 'mdast'
import type {Plugin, Transformer} from 'unified'
import {lintRule} from 'unified-lint-rule'
import {closeTrailingGap} from '../message-control.js'
import type {VFile} from 'vfile'
import {INTERNAL_ERROR, lintMarkdown, type ConfigOption, type Finding, type LintOptions} from '../../core/engine.js'
import {getRule, ruleUrl} from '../../core/rules/index.js'

declare module 'vfile' {
  interface DataMap {
    /** Set by docdrift's rules: the config file used and which of its facts the document was checked against. */
    docdrift: {config?: string; usage: {checked: Record<string, number>; matched: Record<string, number>}}
  }
}

export interface Options {
  /** Path to a `docdrift.config.json`, or the config object itself; default: discovered per file. */
  config?: ConfigOption
}

type Severity = 0 | 1 | 2
const severities: Record<string, Severity> = {off: 0, false: 0, 0: 0, on: 1, true: 1, warn: 1, 1: 1, error: 2, 2: 2}

/** Files that already carry the config-error message (one per file, whatever the rule count). */
const reported = new WeakMap<VFile, string>()

export function reportConfigError(file: VFile, error: string) {
  if (reported.get(file) === error) return
  reported.set(file, error)
  const message = file.message(error, {ruleId: 'config', source: 'docdrift'})
  message.fatal = true
  message.url = ruleUrl('config').replace('/rules/config.md', '/configuration.md')
}

/** Internal errors already reported per file (every rule sees them; one message each). */
const internalReported = new WeakMap<VFile, Set<string>>()

/** A rule that threw on a block: one non-fatal `docdrift` message at that block. */
export function reportInternalError(file: VFile, finding: Finding) {
  let done = internalReported.get(file)
  if (!done) internalReported.set(file, (done = new Set()))
  const key = `${finding.start.offset}:${finding.message}`
  if (done.has(key)) return
  done.add(key)
  const message = file.message(finding.message, {place: {start: finding.start, end: finding.end}, ruleId: finding.ruleId, source: 'docdrift'})
  message.fatal = false
  message.url = finding.url
  if (finding.note) message.note = finding.note
}

export function createRemarkRule(id: string): Plugin<[(Options | [unknown, Options?] | unknown)?, unknown?], Root> {
  const rule = getRule(id)
  if (!rule) throw new Error(`docdrift: no rule \`${id}\``)
  const inner = lintRule<Root, Options | undefined>({origin: `remark-lint:${id}`, url: ruleUrl(id)}, (tree, file, options) => {
    const result = lintMarkdown({text: String(file), path: file.path, tree}, {config: options?.config, cwd: file.cwd, only: [id], found: runOf.get(file)})
    const findings = result.findings.filter((f) => f.ruleId !== INTERNAL_ERROR)
    pendingInternal.set(file, result.findings.filter((f) => f.ruleId === INTERNAL_ERROR))
    if (result.configError) pendingError.set(file, result.configError)
    // Which config facts this document was checked against (`docdrift --facts`): plain data.
    if (result.config && result.usage) file.data.docdrift = {config: result.config.file, usage: result.usage}
    for (const finding of findings) toMessage(file, finding)
    severityOf.set(file, findings.map((f) => f.severity))
    if (findings.length > 0) closeTrailingGap(tree, findings)
  })
  const severityOf = new WeakMap<VFile, Array<Finding['severity']>>()
  const pendingError = new WeakMap<VFile, string>()
  const pendingInternal = new WeakMap<VFile, Finding[]>()

  const plugin = function (this: unknown, config?: unknown, fileSet?: unknown) {
    // An explicit remark severity wins; otherwise the config's, otherwise the rule's default.
    let explicit = false
    let args: unknown = config
    if (Array.isArray(config) && (typeof config[0] === 'number' || typeof config[0] === 'boolean' || (typeof config[0] === 'string' && config[0] in severities))) {
      explicit = true
    } else if ((typeof config === 'string' || typeof config === 'number' || typeof config === 'boolean') && String(config) in severities) {
      // Our options are objects, so a bare `'warn'`, `2` or `false` can only mean a severity.
      explicit = true
      args = [config]
    } else {
      args = [rule.meta.severity === 'error' ? 2 : 1, config]
    }
    const transformer = (inner as unknown as (this: unknown, c: unknown) => Transformer<Root> | undefined).call(this, args)
    if (!transformer) return undefined
    const found = foundIn(fileSet)
    return function (tree: Root, file: VFile, next: (error?: Error) => void) {
      if (found) runOf.set(file, found)
      const before = file.messages.length
      ;(transformer as (t: Root, f: VFile, n: (e?: Error) => void) => void)(tree, file, (error?: Error) => {
        if (!explicit) {
          const levels = severityOf.get(file) ?? []
          file.messages.slice(before).forEach((message, index) => {
            if (levels[index]) message.fatal = levels[index] === 'error'
          })
        }
        const configError = pendingError.get(file)
        if (configError) reportConfigError(file, configError)
        // After unified-lint-rule has stamped its messages, so these keep their own source.
        for (const finding of pendingInternal.get(file) ?? []) reportInternalError(file, finding)
        next(error)
      })
    }
  }
  Object.defineProperty(plugin, 'name', {value: `remark-lint:${id}`})
  return plugin as unknown as Plugin<[(Options | [unknown, Options?] | unknown)?, unknown?], Root>
}

/**
 * unified-engine hands every attacher its file set, one per run (`remark .`, and each check of an
 * editor's language server): configs are looked up once per folder and run (`LintOptions.found`).
 */
const runs = new WeakMap<object, NonNullable<LintOptions['found']>>()
const runOf = new WeakMap<VFile, NonNullable<LintOptions['found']>>()
function foundIn(fileSet: unknown): NonNullable<LintOptions['found']> | undefined {
  if (typeof fileSet !== 'object' || fileSet === null || !Array.isArray((fileSet as {files?: unknown}).files)) return undefined
  let found = runs.get(fileSet)
  if (!found) runs.set(fileSet, (found = new Map()))
  return found
}

function toMessage(file: VFile, finding: Finding) {
  const message = file.message(finding.message, {
    place: {start: finding.start, end: finding.end},
    ruleId: finding.ruleId,
    source: 'remark-lint'
  })
  message.actual = finding.actual
  if (finding.expected !== undefined) message.expected = [finding.expected]
  if (finding.note) message.note = finding.note
  Object.assign(message, {docdrift: {fix: finding.fix}})
}
