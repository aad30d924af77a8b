/**
 * `--format github`: GitHub Actions workflow commands, one annotation per finding:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=docdrift <rule>::<message>`.
 * Columns are left out when a range spans lines (GitHub accepts them on one line only).
 */
import type {FileResult} from '../types.js'
import {displayPath, type FormatContext} from './common.js'

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function github(results: FileResult[], context: FormatContext): string {
  let out = ''
  for (const result of results) {
    const file = escapeProperty(displayPath(result.path, context.cwd))
    for (const error of result.errors) {
      const place = error.line ? `,line=${error.line},col=${error.column ?? 1}` : ''
      out += `::error file=${file}${place},title=${escapeProperty('docdrift')}::${escapeData(error.message)}\n`
    }
    for (const f of result.findings) {
      const command = f.severity === 'error' ? 'error' : 'warning'
      const columns = f.start.line === f.end.line ? `,col=${f.start.column},endColumn=${f.end.column}` : ''
      const place = `line=${f.start.line},endLine=${f.end.line}${columns}`
      out += `::${command} file=${file},${place},title=${escapeProperty(`docdrift ${f.ruleId}`)}::${escapeData(f.message)}\n`
    }
  }
  return out
}
