/**
 * Lint (and fix) a batch of files as the remark face does, without a remark run: the engine reads
 * each file with docdrift's syntax (micromark tokens, no mdast tree: `core/extract/tokenize.ts`),
 * and remark-lint's `<!--lint disable-->` comments are applied as remark applies them
 * (`plugins/message-control.ts`). Findings are the remark face's, field for field
 * (test/cli-parity.test.ts). Runs in the main thread or in a worker (cli/worker.ts); everything
 * it returns is plain data.
 */
import {randomBytes} from 'node:crypto'
import {promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'
import {INTERNAL_ERROR, lintMarkdown, parseMarkdown, resolveConfig, withoutFindings, type Finding, type LintOptions} from '../core/engine.js'
import {applyFixes, fixesOf} from '../core/fix.js'
import {MEMORY_PER_CHAR, memoryShortfall} from '../core/memory.js'
import {controlFindings} from '../plugins/message-control.js'
import {hashConfig, hashText, storedFor, type CacheEntry} from './cache.js'
import {unifiedDiff} from './diff.js'
import type {CacheKey, FileResult, LintSettings} from './types.js'

/** A fix can make another one possible (or reveal it): fix, lint again, at most this often. */
const MAX_FIX_PASSES = 10

/**
 * Lint `files` (absolute paths); results in the same order. Each file is read and, unless the
 * engine can tell from its text that it holds no finding (`withoutFindings`: no needle), parsed
 * and checked. With `settings.cache`, a file whose text and config match its entry in `cached`
 * is not checked again: its stored result stands (cli/cache.ts).
 */
export async function lintFiles(files: string[], settings: LintSettings, cached: Record<string, CacheEntry> = {}): Promise<FileResult[]> {
  if (files.length === 0) return []
  // Configs are looked up once per folder for the batch (`LintOptions.found`).
  const options: LintOptions = {config: settings.config, cwd: settings.cwd, found: new Map()}
  const results: FileResult[] = []
  for (const filePath of files) {
    let text: string
    try {
      text = readFileSync(filePath, 'utf8')
    } catch (error) {
      results.push({path: filePath, findings: [], errors: [{message: readError(error)}], configErrors: [], fixed: 0, lines: {}})
      continue
    }
    const key = settings.cache ? cacheKeyOf(text, filePath, options) : undefined
    const entry = key && cached[filePath]
    // When fixing, a stored result with something to fix is checked and fixed again.
    if (key && storedFor(entry, key) && (settings.fix === 'none' || fixesOf(entry.findings).length === 0)) {
      results.push({path: filePath, findings: entry.findings, errors: [], configErrors: [], fixed: 0, lines: entry.lines, usage: entry.usage, cacheKey: key})
      continue
    }
    const {result, text: now} = await lintDocument(text, filePath, settings, options)
    // Stored only as the result of the text now in the file (a dry run's findings are of the
    // fixed text).
    if (key && result.errors.length === 0 && result.configErrors.length === 0 && settings.fix !== 'dry-run') {
      result.cacheKey = result.written ? {...key, text: hashText(now)} : key
    }
    results.push(result)
  }
  return results
}

/**
 * Lint one document that has been read (a file, or standard input with `--stdin`), and fix it
 * when asked: the result, and the text it is the result of (the fixed text once fixes apply).
 */
async function lintDocument(text: string, filePath: string, settings: LintSettings, options: LintOptions): Promise<{result: FileResult; text: string}> {
  const none = withoutFindings(text, filePath, options)
  const tooLarge = none ? undefined : memoryShortfall(text, MEMORY_PER_CHAR.tokens)
  let result: FileResult
  if (tooLarge) {
    result = {path: filePath, findings: [], errors: [{message: tooLarge}], configErrors: [], fixed: 0, lines: {}}
  } else if (none) {
    result = {path: filePath, findings: [], errors: [], configErrors: [], fixed: 0, lines: {}}
    if (none.config) result.usage = {config: none.config.file, checked: {}, matched: {}}
  } else {
    result = lintText(text, filePath, settings, options.found)
    if (settings.fix !== 'none' && result.errors.length === 0 && result.configErrors.length === 0) {
      text = await fixFile(result, text, settings, options.found)
    }
  }
  attachLines(result, text)
  return {result, text}
}

/**
 * `--stdin`: lint text read from standard input as if it were the file at `filePath` (its config
 * is looked up from that file's folder; nothing is read from or written to that path). With
 * `--fix`, `output` is the fixed text (the text itself when nothing was fixed).
 */
export async function lintStdin(text: string, filePath: string, settings: LintSettings): Promise<{result: FileResult; output: string}> {
  const {result, text: output} = await lintDocument(text, filePath, {...settings, stdin: true}, {config: settings.config, cwd: settings.cwd, found: new Map()})
  return {result, output}
}

/** The hashes a stored result is looked up by; undefined when the file has no config (or a broken one). */
function cacheKeyOf(text: string, filePath: string, options: LintOptions): CacheKey | undefined {
  const {config} = resolveConfig(options, filePath)
  return config ? {text: hashText(text), config: hashConfig(config)} : undefined
}

/** Why a file could not be read, for people (a dangling link, a folder, no permission). */
function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'No such file or folder'
  if (code === 'EACCES' || code === 'EPERM') return 'Cannot read the file: permission denied'
  if (code === 'EISDIR') return 'Cannot read the file: it is a folder'
  return `Cannot read the file: ${(error as Error)?.message ?? String(error)}`
}

/** Keep the lines the findings are on (the report shows them; rdjson counts bytes in them). */
function attachLines(result: FileResult, text: string) {
  const wanted = new Set<number>()
  for (const finding of result.findings) {
    wanted.add(finding.start.line)
    wanted.add(finding.end.line)
  }
  if (wanted.size === 0) return
  let line = 1
  let from = 0
  while (from <= text.length) {
    let to = text.indexOf('\n', from)
    if (to === -1) to = text.length
    if (wanted.has(line)) result.lines[line] = text.slice(from, to).replace(/\r$/, '')
    line++
    from = to + 1
  }
}

function byPlace(a: Finding, b: Finding): number {
  return a.start.offset - b.start.offset || a.end.offset - b.end.offset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
}

/**
 * Lint text (a file, or the result of a fix pass) as the remark face would: its config error, its
 * findings with remark-lint's comments applied (not to internal errors, which are docdrift's own
 * messages in remark too), and which config facts it was checked against.
 */
function lintText(text: string, filePath: string, settings: LintSettings, found?: LintOptions['found']): FileResult {
  const result: FileResult = {path: filePath, findings: [], errors: [], configErrors: [], fixed: 0, lines: {}}
  try {
    const lint = lintMarkdown({text, path: filePath}, {config: settings.config, cwd: settings.cwd, found})
    if (lint.configError) result.configErrors.push(lint.configError)
    const internal = lint.findings.filter((f) => f.ruleId === INTERNAL_ERROR)
    const findings = controlFindings(lint.findings.filter((f) => f.ruleId !== INTERNAL_ERROR), text, () => parseMarkdown(text))
    result.findings = [...findings, ...internal].map(asReported).sort(byPlace)
    if (lint.config && lint.usage) result.usage = {config: lint.config.file, checked: lint.usage.checked, matched: lint.usage.matched}
  } catch (error) {
    result.errors.push({message: `Cannot process file: ${(error as Error)?.message ?? String(error)}`})
  }
  return result
}

/** A finding with the fields a report shows (not the engine's own bookkeeping, such as `failed`). */
function asReported(finding: Finding): Finding {
  const reported: Finding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    start: finding.start,
    end: finding.end,
    actual: finding.actual,
    url: finding.url
  }
  if (finding.expected !== undefined) reported.expected = finding.expected
  if (finding.fix) reported.fix = {...finding.fix}
  if (finding.note) reported.note = finding.note
  return reported
}

/**
 * Apply the safe fixes to the original text (only the flagged ranges change), lint the result,
 * repeat while safe fixes remain; then write it atomically or render the diff.
 */
async function fixFile(result: FileResult, original: string, settings: LintSettings, found?: LintOptions['found']): Promise<string> {
  let text = original
  let current = result
  let fixed = 0
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = fixesOf(current.findings)
    if (fixes.length === 0) break
    const applied = applyFixes(text, fixes)
    if (applied.applied.length === 0) break
    text = applied.text
    fixed += applied.applied.length
    current = lintText(text, result.path, settings, found)
    if (current.errors.length > 0 || current.configErrors.length > 0) {
      // The fixed text does not lint: keep the file as it was and say so.
      result.errors.push({message: `Not fixed: the fixed text could not be checked (${[...current.errors.map((e) => e.message), ...current.configErrors].join('; ')})`})
      return original
    }
  }
  if (fixed === 0) return original
  if (settings.fix === 'dry-run') {
    result.diff = unifiedDiff(path.relative(settings.cwd, result.path).split(path.sep).join('/'), original, text)
  } else if (settings.stdin) {
    // Nothing to write: the caller prints the fixed text.
  } else {
    const written = await writeAtomically(result.path, original, text)
    if (written !== true) {
      result.errors.push({message: `Not fixed: ${written}`})
      return original
    }
    result.written = true
  }
  result.fixed = fixed
  result.findings = current.findings
  return text
}

/**
 * Replace the file only if it still holds exactly the bytes that were linted (and they are
 * valid UTF-8, so the text round-trips): write a temp file in the same folder, then rename.
 */
async function writeAtomically(filePath: string, original: string, text: string): Promise<true | string> {
  const bytes = await fs.readFile(filePath)
  if (!bytes.equals(Buffer.from(original, 'utf8'))) {
    return 'the file is not valid UTF-8 or changed while it was checked'
  }
  // Through a symbolic link, replace the file it points to (not the link).
  const target = await fs.realpath(filePath)
  const stat = await fs.stat(target)
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.docdrift-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    await fs.writeFile(temp, text, {mode: 0o600, flag: 'wx'})
    await fs.chmod(temp, stat.mode & 0o7777)
    await fs.rename(temp, target)
  } catch (error) {
    await fs.rm(temp, {force: true})
    return (error as Error).message
  }
  return true
}
