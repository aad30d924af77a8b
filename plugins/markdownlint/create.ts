/**
 * markdownlint face: one custom rule object per engine rule, made from the registry.
 *
 * - `names: [id]`, so `<!-- markdownlint-disable stale-route -->` works.
 * - The engine runs once per file for all rules: results are kept for the file being linted,
 *   known by the `params.lines` array, which markdownlint passes (frozen) to every rule of one file.
 * - markdownlint hands rules the file without its front matter, with line endings normalised to
 *   `\n` and HTML comment text blanked out; the engine gets the whole file back (front matter +
 *   the exact text of micromark's top-level tokens) so it sees what remark sees.
 * - The Markdown is not parsed again: snippets come from markdownlint's own micromark tokens
 *   (`core/extract/tokens.ts`). Only where markdownlint's syntax differs from remark's in a way
 *   that changes a snippet (math, directives not set apart by blank lines, `~~`, task items, JSON
 *   front matter) is the text parsed again, with docdrift's syntax (`core/extract/tokenize.ts`);
 *   and remark-lint's `<!--lint …-->` comments, when a file has both findings and such a comment,
 *   are read from an mdast tree.
 * - Findings: `detail` = the remark message, `context` = the offending text, `range` on one line,
 *   `fixInfo` for safe fixes only (suggestions stay in the message, never applied unattended),
 *   and only on one line: markdownlint edits one line, so a fix over continued lines is applied
 *   by remark and `docdrift --fix`, not by `markdownlint --fix`.
 * - A config problem is one file-level error per file, reported by the first rule that runs.
 * - remark-lint's comments (`<!--lint disable stale-route-->`, `enable`, `ignore`) are honoured
 *   too, with remark's own message control, so a docs tree shared by both hosts agrees;
 *   markdownlint's comments work as for any markdownlint rule.
 *
 * Host types are declared here (structurally compatible with markdownlint's), so that the face
 * does not depend on markdownlint at run time or for its typings.
 */
import type {Root} from 'mdast'
import {controlFindings} from '../message-control.js'
import {INTERNAL_ERROR, lintMarkdown, parseMarkdown, parsedSnippets, type ConfigOption, type Finding, type LintOptions, type SnippetSource} from '../../core/engine.js'
import {extractSnippetsFromTokens, type MicromarkToken} from '../../core/extract/tokens.js'
import {getRule, ruleUrl} from '../../core/rules/index.js'

/** Per-rule options (`"stale-route": {"config": "docdrift.config.json"}` in markdownlint config). */
export interface Options {
  /** Path to a `docdrift.config.json` (relative to the working folder), or the config object itself; default: discovered from the file's folder. */
  config?: ConfigOption
}

/** markdownlint's micromark tokens are plain data of the shape core reads. */
export type MarkdownlintToken = MicromarkToken

export interface RuleParams {
  name: string
  lines: readonly string[]
  frontMatterLines: readonly string[]
  config: unknown
  parsers: {micromark?: {tokens: readonly MarkdownlintToken[]}}
  version: string
}

export interface FixInfo {
  lineNumber?: number
  editColumn?: number
  deleteCount?: number
  insertText?: string
}

export interface OnErrorInfo {
  lineNumber: number
  frontMatter?: boolean
  detail?: string
  context?: string
  information?: URL
  range?: [number, number]
  fixInfo?: FixInfo
}

export type OnError = (info: OnErrorInfo) => void

export interface MarkdownlintRule {
  names: string[]
  description: string
  information: URL
  tags: string[]
  parser: 'micromark'
  asynchronous?: false
  function: (params: RuleParams, onError: OnError) => void
}

/** What one file looks like to the engine, built once per file. */
interface FileState {
  text: string
  /** Lines of front matter that markdownlint removed (reported with `frontMatter: true`). */
  frontMatter: number
  /** Lines of the whole text, to check that a range fits (split when a finding is first reported). */
  lines?: string[]
  tree?: Root
  /** Snippets from markdownlint's tokens (the text parsed again only where they cannot say). */
  source: SnippetSource
  /** What has been reported in this file, kept as long as the file is (see `reported`). */
  reported: Reported
}

/** Reports made once per file, whichever rule runs first. */
interface Reported {
  configError: boolean
  /** Internal errors reported in this file (`offset:message`). */
  internal: Set<string>
}

/**
 * markdownlint runs every rule of one file before the next file, and keeps each file's `lines`
 * (the key) to the end of the run: the file's text, snippets and analysis are kept for the file
 * being linted only (at 4× the corpus, tens of MB less peak memory), what was reported for as
 * long as the file is. Should a host interleave files, a file is analysed again, never reported
 * twice.
 */
let current: {key: readonly string[]; state: FileState} | undefined
const reported = new WeakMap<readonly string[], Reported>()

/** Counters for tests and benchmarks: `files` = documents analysed; `parsed` = of those, parsed again with docdrift's syntax. */
export const faceStats = {files: 0, parsed: 0}

function stateOf(params: RuleParams): FileState {
  if (current?.key === params.lines) return current.state
  const front = params.frontMatterLines
  const text = textOf(params)
  const tokens = params.parsers.micromark?.tokens
  let done = reported.get(params.lines)
  if (!done) reported.set(params.lines, (done = {configError: false, internal: new Set()}))
  // Tokens are let go of once read; asked again (another config for another rule), the text is
  // parsed instead.
  let held = tokens
  const source: SnippetSource = (lines, keep) => {
    const read = held
    held = undefined
    const fromTokens = read && extractSnippetsFromTokens({tokens: read, frontMatter: front}, text, lines, keep)
    if (fromTokens) return fromTokens
    faceStats.parsed++
    return parsedSnippets(text)(lines, keep)
  }
  const state: FileState = {text, frontMatter: front.length, reported: done, source}
  current = {key: params.lines, state}
  faceStats.files++
  return state
}

/**
 * The Markdown after front matter, exactly: micromark's top-level tokens cover it byte for byte,
 * while `params.lines` has HTML comment text blanked out. Falls back to the lines.
 */
function bodyOf(params: Pick<RuleParams, 'lines' | 'parsers'>): string {
  const fromLines = params.lines.join('\n')
  const tokens = params.parsers.micromark?.tokens
  // markdownlint blanks only the inside of HTML comments and keeps their `<!--`: without one,
  // the lines are the text (most files; joining the tokens would build the text a piece at a time).
  if (!tokens || !fromLines.includes('<!--')) return fromLines
  let body = ''
  let line = 1
  let column = 1
  for (const token of tokens) {
    // Only the tokens that tile the text: markdownlint appends others (`undefinedReference…`
    // tokens for `[::1]` in a URL) that repeat text already covered.
    if (token.startLine !== line || token.startColumn !== column) continue
    body += token.text
    line = token.endLine
    column = token.endColumn
  }
  return body.length === fromLines.length ? body : fromLines
}

/** The whole file as the engine reads it: front matter lines, then the exact body. */
export function textOf(params: Pick<RuleParams, 'lines' | 'parsers' | 'frontMatterLines'>): string {
  const body = bodyOf(params)
  const front = params.frontMatterLines
  return front.length > 0 ? front.join('\n') + '\n' + body : body
}

function treeOf(state: FileState): Root {
  state.tree ??= parseMarkdown(state.text)
  return state.tree
}

function optionsOf(config: unknown): Options {
  if (config && typeof config === 'object' && !Array.isArray(config)) return config as Options
  return {}
}

export function createMarkdownlintRule(id: string): MarkdownlintRule {
  const rule = getRule(id)
  if (!rule) throw new Error(`docdrift: no rule \`${id}\``)
  const information = new URL(ruleUrl(id))
  return {
    names: [id],
    description: rule.meta.description,
    information,
    tags: ['docdrift', ...rule.meta.tags],
    parser: 'micromark',
    function: function docdriftRule(params: RuleParams, onError: OnError) {
      const state = stateOf(params)
      const options = optionsOf(params.config)
      const found = options.config === undefined ? foundInRun() : undefined
      const result = lintMarkdown({text: state.text, path: params.name, snippets: {key: state, extract: state.source}}, {config: options.config, only: [id], found})
      // The pause that ends a run is counted from the last file's end, however long it took.
      if (found && run) run.last = performance.now()
      if (result.configError) {
        if (!state.reported.configError) {
          state.reported.configError = true
          onError({lineNumber: 1, detail: result.configError})
        }
        return
      }
      // A rule that threw on a block: reported once per file, by whichever rule runs first.
      for (const finding of result.findings) {
        if (finding.ruleId !== INTERNAL_ERROR) continue
        const key = `${finding.start.offset}:${finding.message}`
        if (state.reported.internal.has(key)) continue
        state.reported.internal.add(key)
        report(finding, state, onError)
      }
      const findings = result.findings.filter((f) => f.ruleId !== INTERNAL_ERROR)
      for (const finding of controlFindings(findings, state.text, () => treeOf(state))) report(finding, state, onError)
    }
  }
}

/**
 * markdownlint has no run object to keep what a run found (`LintOptions.found`: each folder's
 * config looked up once, not once per file). A run is files coming one after another: the
 * configs found are kept while they do, and forgotten after a second without a file, so an
 * editor's next check after a pause sees a config that was added or changed.
 */
let run: {found: NonNullable<LintOptions['found']>; last: number} | undefined
function foundInRun(): NonNullable<LintOptions['found']> {
  const now = performance.now()
  if (!run || now - run.last > 1000) run = {found: new Map(), last: now}
  run.last = now
  return run.found
}

function report(finding: Finding, state: FileState, onError: OnError) {
  const {line, column} = finding.start
  const inFrontMatter = line <= state.frontMatter
  const lineNumber = inFrontMatter ? line : line - state.frontMatter
  state.lines ??= state.text.split('\n')
  const lineText = state.lines[line - 1] ?? ''
  const info: OnErrorInfo = {lineNumber, detail: finding.message}
  if (inFrontMatter) info.frontMatter = true
  if (finding.actual) info.context = finding.actual
  const sameLine = finding.end.line === line
  const length = sameLine ? finding.end.column - column : lineText.length - column + 1
  if (length >= 1 && column + length - 1 <= lineText.length) info.range = [column, length]
  else if (column <= lineText.length) info.range = [column, 1]
  if (finding.fix?.safety === 'safe' && sameLine) {
    info.fixInfo = {editColumn: column, deleteCount: finding.end.column - column, insertText: finding.fix.text}
  }
  onError(info)
}
