/**
 * `--format rdjson`: reviewdog's Diagnostic Format (one JSON document). Each fix is a
 * `suggestion` (range + text), so reviewdog (`-f=rdjson`, reporter `github-pr-review`) posts
 * it as a one-click suggested change. Columns count UTF-8 bytes, as rdjson wants; ranges
 * end exclusive.
 */
import type {FileResult, Finding} from '../types.js'
import {displayPath, type FormatContext} from './common.js'

interface Position {
  line: number
  column: number
}

function byteColumn(line: string | undefined, column: number): number {
  if (line === undefined) return column
  return Buffer.byteLength(line.slice(0, column - 1), 'utf8') + 1
}

export function rdjson(results: FileResult[], context: FormatContext): string {
  const diagnostics: unknown[] = []
  for (const result of results) {
    const file = displayPath(result.path, context.cwd)
    const point = (p: Finding['start']): Position => ({line: p.line, column: byteColumn(result.lines[p.line], p.column)})
    for (const error of result.errors) {
      diagnostics.push({
        message: error.message,
        location: {path: file, ...(error.line ? {range: {start: {line: error.line, column: error.column ?? 1}}} : {})},
        severity: 'ERROR'
      })
    }
    for (const f of result.findings) {
      const range = {start: point(f.start), end: point(f.end)}
      const diagnostic: Record<string, unknown> = {
        message: f.message,
        location: {path: file, range},
        severity: f.severity === 'error' ? 'ERROR' : 'WARNING',
        code: f.url ? {value: f.ruleId, url: f.url} : {value: f.ruleId}
      }
      if (f.fix) diagnostic.suggestions = [{range, text: f.fix.text}]
      diagnostics.push(diagnostic)
    }
  }
  return JSON.stringify({source: {name: 'docdrift', url: 'https://github.com/docdrift/docdrift'}, diagnostics}, null, 2) + '\n'
}
