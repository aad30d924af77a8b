/**
 * The default report, for people: per file, each finding as `line:column  severity  message
 * rule`, the source line with a caret under the range, and the fix; then a summary.
 */
import type {Colors} from '../color.js'
import type {FileResult, Finding} from '../types.js'
import {displayPath, type FormatContext} from './common.js'

/** Longer source lines are shown as a window around the finding. */
const MAX_FRAME = 120

export function stylish(results: FileResult[], context: FormatContext, c: Colors): string {
  let out = ''
  let errors = 0
  let warnings = 0
  let fixable = 0
  let suggestions = 0
  let fixed = 0
  let fixedFiles = 0
  for (const result of results) {
    if (result.fixed > 0) {
      fixed += result.fixed
      fixedFiles++
    }
    if (result.findings.length === 0 && result.errors.length === 0) continue
    out += c.underline(displayPath(result.path, context.cwd)) + '\n'
    const places = [...result.errors.map((e) => (e.line ? `${e.line}:${e.column ?? 1}` : '')), ...result.findings.map((f) => `${f.start.line}:${f.start.column}`)]
    const placeWidth = Math.max(...places.map((p) => p.length))
    const severityWidth = result.findings.some((f) => f.severity === 'warning') ? 7 : 5
    for (const error of result.errors) {
      errors++
      const place = error.line ? `${error.line}:${error.column ?? 1}` : ''
      const column = placeWidth > 0 ? `${c.dim(place.padEnd(placeWidth))}  ` : ''
      out += `  ${column}${c.red('error'.padEnd(severityWidth))}  ${error.message}\n`
    }
    for (const finding of result.findings) {
      if (finding.severity === 'error') errors++
      else warnings++
      if (finding.fix?.safety === 'safe') fixable++
      else if (finding.fix) suggestions++
      const paint = finding.severity === 'error' ? c.red : c.yellow
      const place = `${finding.start.line}:${finding.start.column}`
      out += `  ${c.dim(place.padEnd(placeWidth))}  ${paint(finding.severity.padEnd(severityWidth))}  ${finding.message}  ${c.dim(finding.ruleId)}\n`
      out += frame(finding, result.lines[finding.start.line], c, paint)
    }
    out += '\n'
  }
  const problems = errors + warnings
  if (problems > 0) {
    const mark = errors > 0 ? c.red('✖') : c.yellow('⚠')
    out += c.bold(`${mark} ${plural(problems, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`) + '\n'
    if (fixable > 0 && context.fix === 'none') out += `  ${fixable} fixable with \`--fix\`\n`
    if (suggestions > 0) out += `  ${plural(suggestions, 'suggestion')} to review (not applied by \`--fix\`)\n`
  }
  if (fixed > 0) {
    const verb = context.fix === 'dry-run' ? 'Would fix' : 'Fixed'
    out += c.green(`✔ ${verb} ${plural(fixed, 'problem')} in ${plural(fixedFiles, 'file')}`) + '\n'
  }
  return out
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function frame(finding: Finding, line: string | undefined, c: Colors, paint: (text: string) => string): string {
  if (line === undefined) return ''
  const gutter = String(finding.start.line)
  const pad = ' '.repeat(gutter.length)
  let from = finding.start.column - 1
  let to = finding.end.line === finding.start.line ? finding.end.column - 1 : line.length
  if (to <= from) to = from + 1
  let shown = line
  let shift = 0
  if (line.length > MAX_FRAME) {
    // A window around the range, marked with ellipses.
    const start = Math.max(0, Math.min(from - 30, line.length - MAX_FRAME))
    const end = Math.min(line.length, Math.max(start + MAX_FRAME, to + 10))
    shown = (start > 0 ? '…' : '') + line.slice(start, end) + (end < line.length ? '…' : '')
    shift = start - (start > 0 ? 1 : 0)
    from -= shift
    to -= shift
  }
  // Keep tabs under tabs so the caret lines up; wide characters (CJK, emoji) take two columns.
  const before = [...shown.slice(0, from)].map((ch) => (ch === '\t' ? '\t' : ' '.repeat(width(ch)))).join('')
  const carets = '^'.repeat(Math.max(1, [...shown.slice(from, Math.min(to, shown.length))].reduce((sum, ch) => sum + width(ch), 0)))
  let out = `    ${c.dim(gutter + ' |')} ${shown}\n`
  out += `    ${c.dim(pad + ' |')} ${before}${paint(carets)}\n`
  if (finding.fix) {
    const label = finding.fix.safety === 'safe' ? c.green('fix:') : c.yellow('suggestion:')
    out += `    ${pad}   ${label} ${finding.fix.text}\n`
  }
  return out
}

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u
const ZERO = /[\p{Mn}\p{Me}\u200B-\u200F\uFE00-\uFE0F]/u

/** Terminal columns of one character (code point). */
function width(ch: string): number {
  if (ZERO.test(ch)) return 0
  return WIDE.test(ch) ? 2 : 1
}
