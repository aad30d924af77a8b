/**
 * Which files to lint: paths, folders and globs → Markdown files, minus what `.docdriftignore`
 * and `.remarkignore` exclude (core/ignore.ts, shared with the language server: the nearest one
 * of each name above a file applies, with `.gitignore` syntax, patterns relative to the ignore
 * file's folder). `node_modules` and `.git` are never searched.
 */
import {promises as fs, type Dirent} from 'node:fs'
import path from 'node:path'
import {glob, hasMagic} from 'glob'
import {Ignorer, unreadableIgnoreFile} from '../core/ignore.js'

export const EXTENSIONS = ['.md', '.markdown']
const SKIP_FOLDERS = new Set(['node_modules', '.git'])

export interface DiscoverOptions {
  cwd: string
  /** Read ignore files (default true). */
  ignoreFiles?: boolean
  /** Extra `.gitignore`-style patterns, relative to `cwd`. */
  ignorePatterns?: string[]
}

export interface Discovered {
  /** Absolute paths, sorted, without duplicates. */
  files: string[]
  /** Inputs that match nothing at all (no such file, or a glob without matches). */
  missing: string[]
  /** Files named explicitly that an ignore file excludes (skipped, not an error). */
  ignored: string[]
  /** Ignore files that exist but cannot be read (each said once; their patterns are not applied). */
  unreadable: string[]
}

export async function discover(inputs: string[], options: DiscoverOptions): Promise<Discovered> {
  const cwd = path.resolve(options.cwd)
  const unreadable: string[] = []
  const ignorer = new Ignorer({
    cwd,
    useFiles: options.ignoreFiles !== false,
    patterns: options.ignorePatterns ?? [],
    onUnreadable: (file, error) => unreadable.push(unreadableIgnoreFile(path.relative(cwd, file).split(path.sep).join('/'), error))
  })
  const found = new Set<string>()
  const missing: string[] = []
  const ignored: string[] = []
  for (const input of inputs) {
    if (hasMagic(input, {windowsPathsNoEscape: path.sep === '\\'})) {
      const matches = await glob(input, {cwd, absolute: true, dot: false, ignore: ['**/node_modules/**', '**/.git/**']})
      if (matches.length === 0) missing.push(input)
      for (const match of matches.sort()) {
        const stat = await fs.stat(match).catch(() => undefined)
        if (!stat) continue
        if (stat.isDirectory()) await walk(match, ignorer, found)
        else if (isMarkdown(match) && !ignorer.ignores(match, false)) found.add(match)
      }
      continue
    }
    const absolute = path.resolve(cwd, input)
    const stat = await fs.stat(absolute).catch(() => undefined)
    if (!stat) {
      missing.push(input)
    } else if (stat.isDirectory()) {
      if (!ignorer.ignores(absolute, true)) await walk(absolute, ignorer, found)
    } else if (ignorer.ignores(absolute, false)) {
      // Skipped, not an error: pre-commit and lint-staged pass every changed file.
      ignored.push(input)
    } else {
      // A file named explicitly is linted whatever its extension.
      found.add(absolute)
    }
  }
  return {files: [...found].sort(compare), missing, ignored, unreadable}
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isMarkdown(file: string): boolean {
  return EXTENSIONS.includes(path.extname(file).toLowerCase())
}

async function walk(folder: string, ignorer: Ignorer, found: Set<string>): Promise<void> {
  let entries: Dirent[]
  try {
    entries = await fs.readdir(folder, {withFileTypes: true})
  } catch {
    return
  }
  entries.sort((a, b) => compare(a.name, b.name))
  for (const entry of entries) {
    const full = path.join(folder, entry.name)
    let isDirectory = entry.isDirectory()
    let isFile = entry.isFile()
    if (entry.isSymbolicLink()) {
      // Follow links to files, not to folders (no cycles); a broken link to a Markdown
      // name is kept, so the report says it cannot be read.
      const stat = await fs.stat(full).catch(() => undefined)
      isFile = stat ? stat.isFile() : true
      isDirectory = false
    }
    if (isDirectory) {
      if (SKIP_FOLDERS.has(entry.name) || ignorer.ignores(full, true)) continue
      await walk(full, ignorer, found)
    } else if (isFile && isMarkdown(entry.name) && !ignorer.ignores(full, false)) {
      found.add(full)
    }
  }
}
