/**
 * `--format json`: one flat list, one entry per finding, every key always present (null when
 * there is no value). Lines and columns are 1-based, columns and `fix.range` offsets count
 * UTF-16 code units (as JavaScript strings do); `endLine`/`endColumn` point just past the range.
 * A file that could not be checked is an entry with `ruleId: null`.
 */
import type {FileResult} from '../types.js'
import {displayPath, type FormatContext} from './common.js'

export interface JsonEntry {
  file: string
  ruleId: string | null
  severity: 'error' | 'warning'
  message: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  actual: string | null
  expected: string | null
  fix: {range: [number, number]; text: string; safety: 'safe' | 'suggestion'} | null
  note: string | null
  url: string | null
}

export function jsonEntries(results: FileResult[], context: FormatContext): JsonEntry[] {
  const entries: JsonEntry[] = []
  for (const result of results) {
    const file = displayPath(result.path, context.cwd)
    for (const error of result.errors) {
      entries.push({file, ruleId: null, severity: 'error', message: error.message, line: error.line ?? null, column: error.column ?? null, endLine: null, endColumn: null, actual: null, expected: null, fix: null, note: null, url: null})
    }
    for (const f of result.findings) {
      entries.push({
        file,
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        line: f.start.line,
        column: f.start.column,
        endLine: f.end.line,
        endColumn: f.end.column,
        actual: f.actual,
        expected: f.expected ?? null,
        fix: f.fix ? {range: [f.fix.start, f.fix.end], text: f.fix.text, safety: f.fix.safety} : null,
        note: f.note ?? null,
        url: f.url || null
      })
    }
  }
  return entries
}

export function json(results: FileResult[], context: FormatContext): string {
  return JSON.stringify(jsonEntries(results, context), null, 2) + '\n'
}
