/**
 * The engine: Markdown (text, plus the mdast tree when a host already has one) and the
 * deployment's truth → findings with exact positions and fixes. Host-neutral: remark,
 * markdownlint, the command and the language server all call `lintMarkdown`.
 */
import path from 'node:path'
import type {Root} from 'mdast'
import {loadConfig, loadConfigFor} from './config/index.js'
import './extract/micromark-linear.js'
import {LineIndex} from './extract/lines.js'
import {extractSnippets, toFileOffset, toFileRange, type Keep, type Snippet, type SnippetLang} from './extract/snippets.js'
import {parseMarkdown} from './extract/syntax.js'
import {tokenizeMarkdown} from './extract/tokenize.js'
import {extractSnippetsFromTokens, paragraphHoldsNothing} from './extract/tokens.js'
import {collectFacts, type FactOptions} from './facts/collect.js'
import {nextDocument} from './memo.js'
import {holdsNeedle, NeedleScanner, type NeedleText} from './needles.js'
import type {DocFacts} from './facts/types.js'
import {ruleUrl, rules} from './rules/index.js'
import {secretMentions, secretsByName} from './rules/targets.js'
import {clip, needleParts, type Report, type Rule, type Safety} from './rules/types.js'
import {ConfigError, type ResolvedConfig} from './types.js'

export interface Point {
  /** 1-based. */
  line: number
  /** 1-based, in UTF-16 code units. */
  column: number
  /** 0-based offset into the file text. */
  offset: number
}

export interface Fix {
  /** File offsets of the text to replace. */
  start: number
  end: number
  text: string
  safety: Safety
}

export interface Finding {
  ruleId: string
  severity: 'error' | 'warning'
  message: string
  start: Point
  end: Point
  /** The offending text, exactly as it is in the file between `start` and `end`. */
  actual: string
  /** Its replacement, when there is one. */
  expected?: string
  fix?: Fix
  /** The fact and where it came from. */
  note?: string
  url: string
  /** `internal-error` findings: the rule (or `facts`, `extract`) that threw on this block. */
  failed?: string
}

/** Parse Markdown the way docdrift reads it (CommonMark, GFM without literal autolinks, front matter: `extract/syntax.ts`). */
export {parseMarkdown}

/** The rule id of a finding that says a rule threw on a block (which was then not checked). */
export const INTERNAL_ERROR = 'internal-error'

export interface LintInput {
  /** The whole file. */
  text: string
  /** File path (for config discovery and messages). */
  path?: string
  /** The mdast tree of `text`, when the host parsed it already. */
  tree?: Root
  /** Instead of a tree: the host's own parse as a snippet source (micromark tokens, `core/extract/tokens.ts`); `key` identifies the document for caching. */
  snippets?: {key: object; extract: SnippetSource}
}

/** The snippets of a document (`keep` as in `extractSnippets`). */
export type SnippetSource = (lines: LineIndex, keep?: Keep) => Snippet[]

export type ConfigOption = string | object | ResolvedConfig

export interface LintOptions {
  /** A config path, a config object, or a resolved config; default: discover from the file's folder. */
  config?: ConfigOption
  /** Folder that a relative config path and config objects resolve against (default: cwd). */
  cwd?: string
  /** Only these rules (default: all). */
  only?: string[]
  /**
   * Configs discovered so far in this run, by folder (when `config` is unset). A host that lints
   * many files at once passes one map for the run, so each folder's config is found and checked
   * once, not once per file; a config file changed during the run is seen by the next run, as
   * unified-engine treats its own config.
   */
  found?: Map<string, {config?: ResolvedConfig; error?: string}>
}

/** Per config fact (`core/facts/usage.ts` keys): places checked against it, and places it applied to. */
export interface DocUsage {
  checked: Record<string, number>
  matched: Record<string, number>
}

export interface LintResult {
  findings: Finding[]
  /** How often each config fact was checked and matched in this file (all rules, whatever `only` says). */
  usage?: DocUsage
  /** A config problem: the file cannot be checked, and the host reports this once. */
  configError?: string
  /** The config used, when there was one. */
  config?: ResolvedConfig
}

const treeCache = new WeakMap<object, Map<ResolvedConfig, LintResult>>()
/** The config resolved for a document (every rule of a host asks for the same one). */
const configCache = new WeakMap<object, {options: LintOptions; path?: string; resolved: {config?: ResolvedConfig; error?: string}}>()

/** Resolve the config for a file, or say why it cannot be. */
export function resolveConfig(options: LintOptions, filePath?: string): {config?: ResolvedConfig; error?: string} {
  try {
    const option = options.config
    if (option === undefined) {
      const from = filePath ? path.resolve(options.cwd ?? process.cwd(), filePath) : path.join(options.cwd ?? process.cwd(), 'file.md')
      if (!options.found) return {config: loadConfigFor(from)}
      const folder = path.dirname(from)
      let known = options.found.get(folder)
      if (!known) {
        known = resolveConfig({cwd: options.cwd}, from)
        options.found.set(folder, known)
      }
      return known
    }
    if (isResolved(option)) return {config: option}
    return {config: cachedLoad(option, options.cwd)}
  } catch (error) {
    if (error instanceof ConfigError) return {error: error.message}
    throw error
  }
}

const loaded = new Map<string, ResolvedConfig>()
const loadedObjects = new WeakMap<object, ResolvedConfig>()
function cachedLoad(option: string | object, cwd = process.cwd()): ResolvedConfig {
  if (typeof option === 'string') {
    const key = path.resolve(cwd, option)
    let config = loaded.get(key)
    if (!config) {
      config = loadConfig(key, {cwd})
      loaded.set(key, config)
    }
    return config
  }
  let config = loadedObjects.get(option)
  if (!config) {
    config = loadConfig(option, {cwd})
    loadedObjects.set(option, config)
  }
  return config
}

function isResolved(value: unknown): value is ResolvedConfig {
  return typeof value === 'object' && value !== null && 'dir' in value && 'secrets' in value && 'rules' in value && !('$schema' in value)
}

export function lintMarkdown(input: LintInput, options: LintOptions = {}): LintResult {
  const document = input.tree ?? input.snippets?.key
  let known = document && configCache.get(document)
  if (!known || known.path !== input.path || known.options.config !== options.config || known.options.cwd !== options.cwd) {
    known = {options, path: input.path, resolved: resolveConfig(options, input.path)}
    if (document) configCache.set(document, known)
  }
  const {config, error} = known.resolved
  if (error) return {findings: [], configError: error}
  if (!config) return {findings: []}
  const key = input.tree ?? input.snippets?.key
  let byConfig = key && treeCache.get(key)
  const cached = byConfig?.get(config)
  if (cached) return filter(cached, options.only)
  nextDocument()
  const analysis = input.tree
    ? analyzeWithUsage(input.text, input.tree, config)
    : input.snippets
      ? analyzeSnippets(input.text, input.snippets.extract, config)
      : analyzeText(input.text, config)
  const result = {...analysis, config}
  if (key) {
    if (!byConfig) treeCache.set(key, (byConfig = new Map()))
    byConfig.set(config, result)
  }
  return filter(result, options.only)
}

/**
 * The snippets of `text`, parsed with docdrift's syntax when first asked for (hosts without a
 * tree of their own): micromark tokens, not an mdast tree (`extract/tokenize.ts`), with the
 * tree as the fallback should the tokens hold something the token reader does not know.
 */
export function parsedSnippets(text: string): SnippetSource {
  return (lines, keep) =>
    extractSnippetsFromTokens({tokens: tokenizeMarkdown(text, keep && ((source) => paragraphHoldsNothing(source, keep))), ownSyntax: true}, text, lines, keep) ??
    extractSnippets(parseMarkdown(text), text, lines, keep, {tables: true})
}

/**
 * Whether a document can be known to have no finding without parsing it: its config resolves
 * (a config error must still be reported), and the text holds none of the enabled rules'
 * needles. Hosts that parse only for docdrift (the command) skip the Markdown parse then.
 */
export function withoutFindings(text: string, filePath: string | undefined, options: LintOptions = {}): {config?: ResolvedConfig} | undefined {
  const {config, error} = resolveConfig(options, filePath)
  if (error) return undefined
  if (!config) return {}
  if (process.env.DOCDRIFT_NO_NEEDLES === '1') return undefined
  const plan = needlesOf(config, enabledRules(config))
  return plan && keepFor(plan, text) === null ? {config} : undefined
}

function filter(result: LintResult, only?: string[]): LintResult {
  if (!only) return result
  // Internal errors go to every host rule: each face reports them once per file.
  return {...result, findings: result.findings.filter((f) => only.includes(f.ruleId) || f.ruleId === INTERNAL_ERROR)}
}

/** Run every enabled rule over one document. */
export function analyze(text: string, tree: Root, config: ResolvedConfig): Finding[] {
  return analyzeWithUsage(text, tree, config).findings
}

/** Run every enabled rule over one document, counting how each config fact was used (`core/facts/usage.ts`). */
export function analyzeWithUsage(text: string, tree: Root, config: ResolvedConfig): {findings: Finding[]; usage: DocUsage} {
  return afterByteOrderMark(text, (body) => analyzeSnippets(body, (lines, keep) => extractSnippets(tree, body, lines, keep), config))
}

/** Run every enabled rule over one document that no host has parsed (`parsedSnippets`). */
export function analyzeText(text: string, config: ResolvedConfig): {findings: Finding[]; usage: DocUsage} {
  return afterByteOrderMark(text, (body) => analyzeSnippets(body, parsedSnippets(body), config))
}

/**
 * micromark drops a byte order mark, so the positions of its tokens and trees are those of the
 * text after it: analyse that text, then count the mark in offsets (not in columns, as editors do).
 */
function afterByteOrderMark(text: string, analyzeBody: (body: string) => {findings: Finding[]; usage: DocUsage}): {findings: Finding[]; usage: DocUsage} {
  if (text.charCodeAt(0) !== 0xfeff) return analyzeBody(text)
  const result = analyzeBody(text.slice(1))
  for (const finding of result.findings) {
    finding.start = {...finding.start, offset: finding.start.offset + 1}
    finding.end = {...finding.end, offset: finding.end.offset + 1}
    if (finding.fix) finding.fix = {...finding.fix, start: finding.fix.start + 1, end: finding.fix.end + 1}
  }
  return result
}

/** Run every enabled rule over the snippets of one document, from any snippet source. */
export function analyzeSnippets(text: string, extract: SnippetSource, config: ResolvedConfig): {findings: Finding[]; usage: DocUsage} {
  const usage: DocUsage = {checked: {}, matched: {}}
  const enabled = enabledRules(config)
  // DOCDRIFT_NO_NEEDLES=1: every snippet, for checking that the needles never drop a finding.
  const plan = process.env.DOCDRIFT_NO_NEEDLES === '1' ? undefined : needlesOf(config, enabled)
  // Most documents cannot hold a finding at all: skip them before any extraction or parse.
  const keep = plan && keepFor(plan, text)
  if (keep === null) return {findings: [], usage}
  const lines = new LineIndex(text)
  const findings: Finding[] = []
  const internal = (at: number, failed: string, error: unknown) => findings.push(internalError(at, failed, error, lines))
  let snippets: Snippet[]
  try {
    snippets = extract(lines, keep)
  } catch (error) {
    internal(0, 'extract', error)
    return {findings, usage}
  }
  if (snippets.length === 0) return {findings: [], usage}
  const secrets = secretsByName(config.secrets)
  const factOptions: FactOptions = {hosts: config.routes?.hosts ?? [], configuredSecret: (name) => secrets.has(name), mentionsSecret: secretMentions(config.secrets)}
  const facts = safeFacts(snippets, factOptions, internal)
  const seen = new Set<string>()
  for (const rule of enabled) {
    const setting = config.rules[rule.meta.id]
    const severity = (setting ?? rule.meta.severity) === 'error' ? 'error' : 'warning'
    const run = (facts: DocFacts) => {
      // Reports and usage are kept only when the rule finishes.
      const found: Finding[] = []
      const used: Array<[string, boolean]> = []
      rule.check({
        config,
        facts,
        use: (fact, matched) => used.push([fact, matched]),
        report(report) {
          if (!ignored(report.snippet, rule)) found.push(toFinding(report, rule, severity, text, lines))
        }
      })
      for (const [fact, matched] of used) {
        usage.checked[fact] = (usage.checked[fact] ?? 0) + 1
        if (matched) usage.matched[fact] = (usage.matched[fact] ?? 0) + 1
      }
      for (const finding of found) {
        const key = `${finding.ruleId}:${finding.start.offset}:${finding.end.offset}` + (finding.ruleId === INTERNAL_ERROR ? `:${finding.message}` : '')
        if (seen.has(key)) continue
        seen.add(key)
        findings.push(finding)
      }
    }
    try {
      run(facts)
    } catch {
      // One block made the rule throw: run it block by block, report the blocks that fail,
      // keep what it finds in the others (without the flow of variables between blocks).
      for (const snippet of facts.snippets) {
        // A here-document's body is read again with the block it is in.
        if (snippet.from) continue
        try {
          run(collectFacts([snippet], factOptions))
        } catch (error) {
          internal(snippet.start, rule.meta.id, error)
        }
      }
    }
  }
  findings.sort((a, b) => a.start.offset - b.start.offset || a.end.offset - b.end.offset || a.ruleId.localeCompare(b.ruleId))
  oneSafeFixPerRange(findings)
  return {findings, usage}
}

/**
 * Two rules may fix the same text differently (`openssl rand -hex 0` is both too short and too
 * weak). Unattended fixing must not depend on which applier runs first, so only the first safe
 * fix over a range stays safe (document order, then rule id); overlapping others become
 * suggestions, still offered in editors.
 */
function oneSafeFixPerRange(findings: Finding[]) {
  let kept: Fix | undefined
  for (const finding of findings) {
    const fix = finding.fix
    if (!fix || fix.safety !== 'safe') continue
    if (kept && fix.start < kept.end) {
      // The very same edit twice is one edit; anything else overlapping waits for a person.
      if (!(fix.start === kept.start && fix.end === kept.end && fix.text === kept.text)) fix.safety = 'suggestion'
      continue
    }
    kept = fix
  }
}

/** The rules a config does not turn off. */
function enabledRules(config: ResolvedConfig): Rule[] {
  return rules.filter((rule) => config.rules[rule.meta.id] !== 'off')
}

/** The enabled rules' needles for a config: all of them, and each rule's with its languages. */
interface NeedlePlan {
  /** Each needle once: its key is its text, or `\bword\b` for a word. */
  keys: string[]
  needles: NeedleText[]
  scanner: NeedleScanner
  /** Per rule, its needles with its languages, and each group of `LangNeedle`s with theirs. */
  rules: Array<{needles: number[]; langs?: readonly SnippetLang[]}>
}

const needleCache = new WeakMap<ResolvedConfig, NeedlePlan | undefined>()

/** The enabled rules' needles for a config (undefined when a rule must see everything). */
function needlesOf(config: ResolvedConfig, enabled: Rule[]): NeedlePlan | undefined {
  if (needleCache.has(config)) return needleCache.get(config)
  const indexOf = new Map<string, number>()
  const texts: NeedleText[] = []
  const rules: NeedlePlan['rules'] = []
  for (const rule of enabled) {
    const list = rule.needles?.(config)
    // Needles are single-line (the token reader relies on it: core/extract/tokens.ts); a rule
    // with another kind gets every snippet.
    const parts = list?.map(needleParts)
    if (!parts || parts.some((n) => n.text.includes('\n'))) {
      needleCache.set(config, undefined)
      return undefined
    }
    // The rule's needles with its languages, then a group per list of a `LangNeedle`'s own.
    const groups = new Map<readonly SnippetLang[] | undefined, Set<number>>([[rule.langs, new Set()]])
    for (const {text, word, langs = rule.langs} of parts) {
      if (text === '') continue
      const key = word ? `\\b${text}\\b` : text
      let index = indexOf.get(key)
      if (index === undefined) {
        index = texts.push({text, word}) - 1
        indexOf.set(key, index)
      }
      let group = groups.get(langs)
      if (!group) groups.set(langs, (group = new Set()))
      group.add(index)
    }
    for (const [langs, needles] of groups) if (needles.size > 0) rules.push({needles: [...needles], langs})
  }
  const plan = {keys: [...indexOf.keys()], needles: texts, scanner: new NeedleScanner(texts), rules}
  needleCache.set(config, plan)
  return plan
}

/**
 * Which snippets of `text` can matter: those holding a needle, of this document, of a rule that
 * reads the snippet's language. Null when the document holds no needle at all.
 */
function keepFor(plan: NeedlePlan, text: string): Keep | null {
  const present = presentNeedles(plan, text)
  if (!present.includes(1)) return null
  // A snippet is short and the needles of its language that the document holds are few: a
  // search for each is quicker than a pass of the automaton.
  const byLang = new Map<SnippetLang, NeedleText[]>()
  return (value, lang) => {
    let needles = byLang.get(lang)
    if (!needles) {
      const wanted = new Set<number>()
      for (const rule of plan.rules) {
        if (rule.langs && !rule.langs.includes(lang)) continue
        for (const index of rule.needles) if (present[index] === 1) wanted.add(index)
      }
      needles = [...wanted].map((index) => plan.needles[index])
      byLang.set(lang, needles)
    }
    return needles.some((needle) => holdsNeedle(value, needle))
  }
}

/** The enabled rules' needles that `text` holds (keys: a word is `\bword\b`), in the rules' order; undefined when a rule reads every snippet. */
export function needlesIn(config: ResolvedConfig, text: string): string[] | undefined {
  const plan = needlesOf(config, enabledRules(config))
  if (!plan) return undefined
  const present = presentNeedles(plan, text)
  return plan.keys.filter((_, index) => present[index] === 1)
}

let lastScan: {plan: NeedlePlan; text: string; present: Uint8Array} | undefined

/**
 * The needles `text` holds, a flag per needle. Remembered for the last text: a host that asks
 * `withoutFindings` first (the command) scans each file once, not twice.
 */
function presentNeedles(plan: NeedlePlan, text: string): Uint8Array {
  if (lastScan?.plan === plan && lastScan.text === text) return lastScan.present
  const present = plan.scanner.find(text)
  lastScan = {plan, text, present}
  return present
}

/** The document's facts; blocks whose facts cannot be collected are reported and left out. */
function safeFacts(snippets: Snippet[], options: FactOptions, internal: (at: number, failed: string, error: unknown) => void): DocFacts {
  try {
    return collectFacts(snippets, options)
  } catch {
    const good = snippets.filter((snippet) => {
      try {
        collectFacts([snippet], options)
        return true
      } catch (error) {
        internal(snippet.start, 'facts', error)
        return false
      }
    })
    try {
      return collectFacts(good, options)
    } catch (error) {
      internal(good[0]?.start ?? 0, 'facts', error)
      return collectFacts([], options)
    }
  }
}

/** A warning at the block that made `failed` throw: the block went unchecked, the rest did not. */
function internalError(at: number, failed: string, error: unknown, lines: LineIndex): Finding {
  const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0].slice(0, 120)
  const point = lines.point(at)
  const finding: Finding = {
    ruleId: INTERNAL_ERROR,
    severity: 'warning',
    message: `\`${failed}\` failed on this block (\`${reason}\`), so docdrift did not check it; the rest of the file was checked`,
    start: point,
    end: point,
    actual: '',
    url: ruleUrl(INTERNAL_ERROR).replace(`/docs/rules/${INTERNAL_ERROR}.md`, '/SECURITY.md'),
    failed
  }
  if (error instanceof Error && error.stack) finding.note = error.stack.split('\n').slice(0, 6).join('\n')
  return finding
}

function ignored(snippet: Snippet, rule: Rule): boolean {
  return snippet.ignore !== undefined && (snippet.ignore === 'all' || snippet.ignore.has(rule.meta.id))
}

/**
 * A rule's report as a finding at its exact file range. A report whose range cannot be placed in
 * the file is a docdrift bug, not a finding: it becomes an `internal-error` warning at the block
 * (every host shows those), never a finding with an empty or guessed range.
 */
function toFinding(report: Report, rule: Rule, severity: Finding['severity'], text: string, lines: LineIndex): Finding {
  const value = report.snippet.value.slice(report.start, report.end)
  let range = toFileRange(report.snippet, report.start, report.end, text)
  if (!range) {
    // The value differs from the source here (escapes, entities): find the text itself.
    const near = nearestOccurrence(text, value, report.snippet, toFileOffset(report.snippet, report.start))
    if (near >= 0) range = {start: near, end: near + value.length}
  }
  if (!range) return unplaced(report, rule, value, lines)
  const {start, end, gap} = range
  const finding: Finding = {
    ruleId: rule.meta.id,
    severity,
    // One line in every host: a command quoted from several lines reads as one (without the
    // `\` that continued it, whatever the line endings).
    message: oneLine(report.message),
    start: lines.point(start),
    end: lines.point(end),
    actual: text.slice(start, end),
    url: ruleUrl(rule.meta.id)
  }
  if (report.expected !== undefined) {
    // A replacement over lines of a list item or quote keeps each line's container prefix; one
    // in a table cell escapes its pipes (`\|`, as the cell's own text does).
    let expected = gap === undefined ? report.expected : report.expected.replace(/\r?\n/g, gap)
    if ('row' in report.snippet.context) expected = expected.replace(/\|/g, '\\|')
    finding.expected = expected
    finding.fix = {start, end, text: expected, safety: report.safety ?? 'suggestion'}
  }
  if (report.note) finding.note = report.note
  return finding
}

/** A report docdrift could not place in the file: an internal error at its block, naming the rule and what it found. */
function unplaced(report: Report, rule: Rule, value: string, lines: LineIndex): Finding {
  const point = lines.point(report.snippet.start)
  return {
    ruleId: INTERNAL_ERROR,
    severity: 'warning',
    message: `\`${rule.meta.id}\` found a problem in this block (\`${clip(value.trim())}\`) that docdrift could not place in the file, so it is not reported as a finding; this is a docdrift bug: ${oneLine(report.message)}`,
    start: point,
    end: point,
    actual: '',
    url: ruleUrl(INTERNAL_ERROR).replace(`/docs/rules/${INTERNAL_ERROR}.md`, '/SECURITY.md'),
    failed: rule.meta.id
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\\?\r?\n\s*/g, ' ')
}

function nearestOccurrence(text: string, actual: string, snippet: Snippet, near: number): number {
  if (actual === '') return -1
  let best = -1
  for (let at = text.indexOf(actual, snippet.start); at !== -1 && at + actual.length <= snippet.end; at = text.indexOf(actual, at + 1)) {
    if (best === -1 || Math.abs(at - near) < Math.abs(best - near)) best = at
  }
  return best
}
