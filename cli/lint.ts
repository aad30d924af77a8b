/**
 * Lint (and fix) a batch of files the way `remark` with our plugin does: remark-parse +
 * `docdrift/remark` over each file (so `<!--lint disable-->` comments work as in remark), then
 * the messages become plain findings. Runs in the main
 * thread or in a worker (cli/worker.ts); everything it returns is plain data.
 */
import {randomBytes} from 'node:crypto'
import {promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {withoutFindings, type Finding, type Fix} from '../core/engine.js'
import {applyFixes, fixesOf} from '../core/fix.js'
import {ruleIds} from '../core/rules/index.js'
import docdrift from '../plugins/remark/index.js'
import {unifiedDiff} from './diff.js'
import type {FileError, FileResult, LintSettings} from './types.js'

/** A fix can make another one possible (or reveal it): fix, lint again, at most this often. */
const MAX_FIX_PASSES = 10

const processors = new Map<string, Processor>()

function processorFor(settings: LintSettings): Processor {
  const key = settings.config ?? ''
  let processor = processors.get(key)
  if (!processor) {
    processor = unified()
      .use(remarkParse)
      .use(docdrift, settings.config === undefined ? undefined : {config: settings.config})
      .freeze() as unknown as Processor
    processors.set(key, processor)
  }
  return processor
}

/**
 * Lint `files` (absolute paths); results in the same order. Each file is read and, unless the
 * engine can tell from its text that it holds no finding (`withoutFindings`: no needle), parsed
 * and checked by remark-parse + `docdrift/remark`, as `remark` would.
 */
export async function lintFiles(files: string[], settings: LintSettings): Promise<FileResult[]> {
  if (files.length === 0) return []
  const processor = processorFor(settings)
  const options = {config: settings.config, cwd: settings.cwd}
  const results: FileResult[] = []
  for (const filePath of files) {
    let text: string
    try {
      text = readFileSync(filePath, 'utf8')
    } catch (error) {
      results.push({path: filePath, findings: [], errors: [{message: readError(error)}], configErrors: [], fixed: 0, lines: {}})
      continue
    }
    const none = withoutFindings(text, filePath, options)
    let result: FileResult
    if (none) {
      result = {path: filePath, findings: [], errors: [], configErrors: [], fixed: 0, lines: {}}
      if (none.config) result.usage = {config: none.config.file, checked: {}, matched: {}}
    } else {
      result = await lintText(processor, text, filePath, settings.cwd)
      if (settings.fix !== 'none' && result.errors.length === 0 && result.configErrors.length === 0) {
        text = await fixFile(processor, result, text, settings)
      }
    }
    attachLines(result, text)
    results.push(result)
  }
  return results
}

/** Why a file could not be read, for people (a dangling link, a folder, no permission). */
function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'No such file or folder'
  if (code === 'EACCES' || code === 'EPERM') return 'Cannot read the file: permission denied'
  if (code === 'EISDIR') return 'Cannot read the file: it is a folder'
  return `Cannot read the file: ${(error as Error)?.message ?? String(error)}`
}

/** Turn one processed file's messages into findings, config errors and file errors. */
export function toResult(filePath: string, file: VFile): FileResult {
  const result: FileResult = {path: filePath, findings: [], errors: [], configErrors: [], fixed: 0, lines: {}}
  for (const message of file.messages) {
    if (message.source === 'docdrift' && message.ruleId === 'config') {
      if (!result.configErrors.includes(message.reason)) result.configErrors.push(message.reason)
    } else if (message.source === 'remark-lint' && message.ruleId && ruleIds.includes(message.ruleId)) {
      result.findings.push(toFinding(message))
    } else if (message.fatal) {
      result.errors.push(toError(message))
    } else {
      // Anything else a plugin says (e.g. remark-lint about an unknown rule in a comment).
      result.findings.push(toFinding(message))
    }
  }
  result.findings.sort(byPlace)
  const usage = file.data.docdrift
  if (usage) result.usage = {config: usage.config, checked: usage.usage.checked, matched: usage.usage.matched}
  return result
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

function toFinding(message: VFileMessage): Finding {
  const place = message.place
  const start = place && 'start' in place ? place.start : place ?? {line: message.line ?? 1, column: message.column ?? 1}
  const end = place && 'end' in place ? place.end : start
  const fix = (message as unknown as {docdrift?: {fix?: Fix}}).docdrift?.fix
  const finding: Finding = {
    ruleId: message.ruleId ?? message.source ?? 'docdrift',
    severity: message.fatal ? 'error' : 'warning',
    message: message.reason,
    start: {line: start.line, column: start.column, offset: start.offset ?? -1},
    end: {line: end.line, column: end.column, offset: end.offset ?? -1},
    actual: message.actual ?? '',
    url: message.url ?? ''
  }
  if (message.expected?.[0] !== undefined) finding.expected = message.expected[0]
  if (fix) finding.fix = {...fix}
  if (message.note) finding.note = message.note
  return finding
}

function toError(message: VFileMessage): FileError {
  const error: FileError = {message: message.reason}
  const cause = message.cause as {code?: string; message?: string} | undefined
  if (cause?.message && !error.message.includes(cause.message)) error.message += `: ${cause.message}`
  if (message.line) {
    error.line = message.line
    error.column = message.column ?? 1
  }
  return error
}

/** Lint text that is not on disk (the result of a fix pass), as the engine would the file. */
async function lintText(processor: Processor, text: string, filePath: string, cwd: string): Promise<FileResult> {
  const file = new VFile({value: text, path: filePath, cwd})
  try {
    const tree = processor.parse(file)
    await processor.run(tree, file)
  } catch (error) {
    const message = file.message('Cannot process file', {cause: error as Error})
    message.fatal = true
  }
  return toResult(filePath, file)
}

/**
 * Apply the safe fixes to the original text (only the flagged ranges change), lint the result,
 * repeat while safe fixes remain; then write it atomically or render the diff.
 */
async function fixFile(processor: Processor, result: FileResult, original: string, settings: LintSettings): Promise<string> {
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
    current = await lintText(processor, text, result.path, settings.cwd)
    if (current.errors.length > 0 || current.configErrors.length > 0) {
      // The fixed text does not lint: keep the file as it was and say so.
      result.errors.push({message: `Not fixed: the fixed text could not be checked (${[...current.errors.map((e) => e.message), ...current.configErrors].join('; ')})`})
      return original
    }
  }
  if (fixed === 0) return original
  if (settings.fix === 'dry-run') {
    result.diff = unifiedDiff(path.relative(settings.cwd, result.path).split(path.sep).join('/'), original, text)
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
