/** Test helpers: run Markdown through each face and normalise findings for exact comparison. */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import docdrift from '../../plugins/remark/index.js'
import {lintMarkdown, type ConfigOption} from '../../core/engine.js'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export interface Row {
  rule: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
  message: string
  actual?: string
  expected?: string
  safety?: string
  fatal?: boolean | null
}

/** Lint with the remark face, as `remark` with `.remarkrc.js` does. */
export async function remarkLint(text: string, options: {path?: string; config?: ConfigOption; cwd?: string} = {}): Promise<Row[]> {
  const file = new VFile({value: text, path: options.path, cwd: options.cwd ?? root})
  const processor = unified().use(remarkParse).use(docdrift, options.config === undefined ? undefined : {config: options.config})
  const tree = processor.parse(file)
  await processor.run(tree, file)
  return file.messages.map((m) => ({
    rule: m.ruleId ?? '',
    line: m.place && 'start' in m.place ? m.place.start.line : m.line ?? 0,
    column: m.place && 'start' in m.place ? m.place.start.column : m.column ?? 0,
    endLine: m.place && 'end' in m.place ? m.place.end.line : undefined,
    message: m.reason,
    actual: m.actual,
    expected: m.expected?.[0],
    safety: (m as unknown as {docdrift?: {fix?: {safety: string}}}).docdrift?.fix?.safety,
    fatal: m.fatal
  }))
}

/** Lint with the engine directly. */
export function engineLint(text: string, options: {path?: string; config?: ConfigOption; cwd?: string} = {}): Row[] {
  const result = lintMarkdown({text, path: options.path}, {config: options.config, cwd: options.cwd ?? root})
  if (result.configError) return [{rule: 'config', line: 0, column: 0, message: result.configError}]
  return result.findings.map((f) => ({
    rule: f.ruleId,
    line: f.start.line,
    column: f.start.column,
    message: f.message,
    actual: f.actual,
    expected: f.expected,
    safety: f.fix?.safety
  }))
}

export function read(relative: string): string {
  return readFileSync(path.join(root, relative), 'utf8')
}

/** One finding per line (`line:column rule severity message`), its fix and actual text below. */
export function render(rows: Row[]): string {
  return rows
    .map((r) => `${r.line}:${r.column} ${r.rule} ${r.fatal ? 'error' : 'warning'} ${r.message}` + (r.expected === undefined ? '' : `\n  fix (${r.safety}): ${r.expected}`) + (r.actual ? `\n  actual: ${r.actual}` : ''))
    .join('\n') + (rows.length ? '\n' : '')
}

/** Markdown files under a folder (relative to the repository when `dir` is), sorted. */
export function markdownFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(path.resolve(root, dir)).sort()) {
    const rel = path.join(dir, name)
    if (statSync(path.resolve(root, rel)).isDirectory()) out.push(...markdownFiles(rel))
    else if (name.endsWith('.md')) out.push(rel)
  }
  return out
}

/** One planted problem of examples/chatbox (test/fixtures/planted.json). */
export interface Planted {
  file: string
  line: number
  column: number
  rule: string
  actual: string
  expected: string
}

/** Every planted problem of examples/chatbox, with its place and its fix. */
export function plantedProblems(): Planted[] {
  return JSON.parse(read('test/fixtures/planted.json')) as Planted[]
}
