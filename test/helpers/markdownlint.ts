/** Test helpers for the markdownlint face: run files or strings through markdownlint's sync API. */
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {lint} from 'markdownlint/sync'
import type {Configuration, LintError, Rule} from 'markdownlint'
import rules from '../../plugins/markdownlint/index.js'
import {root} from './lint.js'

/** The same (rule, line, column, message, fix) tuple for either face. */
export interface ParityRow {
  rule: string
  line: number
  column: number
  message: string
  /** Text of the safe fix, when there is one. */
  fix?: string
}

/** Only docdrift's rules (all of them, by their shared tag). */
export const docdriftOnly: Configuration = {default: false, docdrift: true}

// Type-level check: the face's objects are markdownlint rules.
export const typedRules: Rule[] = rules

/** Lint files (absolute paths) or named strings with docdrift's markdownlint rules. */
export function markdownlintErrors(input: {files?: string[]; strings?: Record<string, string>; config?: Configuration}): Record<string, LintError[]> {
  return lint({files: input.files, strings: input.strings, customRules: typedRules, config: input.config ?? docdriftOnly})
}

export function markdownlintRows(errors: LintError[]): ParityRow[] {
  return errors.map((error) => {
    const row: ParityRow = {
      // A file-level config error has no range and no context.
      rule: error.errorRange === null && error.errorContext === null ? 'config' : error.ruleNames[0],
      line: error.lineNumber,
      column: error.errorRange?.[0] ?? 0,
      message: error.errorDetail ?? ''
    }
    if (error.fixInfo?.insertText !== undefined) row.fix = error.fixInfo.insertText
    return row
  })
}

/** Every Markdown file under a folder (relative to the repository), sorted. */
export function markdownFilesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(path.join(root, dir)).sort()) {
    const rel = path.join(dir, name)
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...markdownFilesUnder(rel))
    else if (name.endsWith('.md')) out.push(rel)
  }
  return out
}

export function sortRows(rows: ParityRow[]): ParityRow[] {
  const key = (r: ParityRow) => `${String(r.line).padStart(6)}:${String(r.column).padStart(6)} ${r.rule} ${r.message} ${r.fix ?? ''}`
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
