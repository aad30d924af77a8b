import path from 'node:path'
import type {FileResult} from '../types.js'

export interface FormatContext {
  cwd: string
  version: string
  /** The fix mode of the run (the stylish summary says what was fixed). */
  fix: 'none' | 'write' | 'dry-run'
}

export type Formatter = (results: FileResult[], context: FormatContext) => string

/** Path as shown in reports: relative to the working folder, `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file)
  return (relative === '' ? path.basename(file) : relative).split(path.sep).join('/')
}
