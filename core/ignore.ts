/**
 * Ignore files: which files the `docdrift` command skips, for its file discovery
 * (cli/discover.ts) and for the language server (server/index.ts), so both skip the same files.
 * They work as in unified-engine (remark-cli): the nearest `.docdriftignore` and the nearest
 * `.remarkignore` at or above a file's folder apply, with `.gitignore` syntax (the `ignore`
 * package), patterns relative to the ignore file's folder.
 *
 * Parsed ignore files are kept per path and read again only when their size, times or inode
 * change; which file is nearest to a folder is remembered until `refresh()`. The command never
 * refreshes (one run, one view of the tree); the language server refreshes before each check.
 */
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import ignore, {type Ignore} from 'ignore'

export const IGNORE_FILES = ['.docdriftignore', '.remarkignore']

export interface IgnorerOptions {
  /** Folder that `patterns` are relative to. */
  cwd: string
  /** Read ignore files (default true). */
  useFiles?: boolean
  /** Extra `.gitignore`-style patterns, relative to `cwd`. */
  patterns?: string[]
  /**
   * Called once for an ignore file that exists but cannot be read (again only after it has been
   * read since, or has changed); such a file is skipped as if absent.
   */
  onUnreadable?: (file: string, error: NodeJS.ErrnoException) => void
}

interface IgnoreSet {
  dir: string
  ig: Ignore
}

interface Parsed {
  /** Size, times and inode of the file when it was read. */
  stamp: string
  /** null: it could not be read. */
  set: IgnoreSet | null
}

export class Ignorer {
  /** Per folder and ignore-file name: the nearest ignore file at or above it, until `refresh()`. */
  private readonly nearest = new Map<string, IgnoreSet | null>()
  /** Per ignore-file path: its parsed patterns. */
  private readonly parsed = new Map<string, Parsed>()
  private readonly cwd: string
  private readonly useFiles: boolean
  private readonly extra: Ignore
  private readonly onUnreadable?: IgnorerOptions['onUnreadable']

  constructor(options: IgnorerOptions) {
    this.cwd = path.resolve(options.cwd)
    this.useFiles = options.useFiles !== false
    this.extra = ignore().add(options.patterns ?? [])
    this.onUnreadable = options.onUnreadable
  }

  /** Whether an ignore file (or an extra pattern) lists this absolute path. */
  ignores(file: string, isDirectory: boolean): boolean {
    if (matches(this.extra, this.cwd, file, isDirectory)) return true
    if (!this.useFiles) return false
    const folder = path.dirname(file)
    return IGNORE_FILES.some((name) => {
      const set = this.find(folder, name)
      return set !== null && matches(set.ig, set.dir, file, isDirectory)
    })
  }

  /**
   * Whether `docdrift <root>` skips `file` (absolute paths, `file` below `root`) because of an
   * ignore file: the search of `root` skips `root` itself, a folder between it and the file, or
   * the file, each tested as cli/discover.ts tests it on its way down. Not a test of the extension
   * or of `node_modules`: a file named on the command line is linted whatever those are.
   */
  skips(root: string, file: string): boolean {
    const relative = path.relative(root, file)
    if (!isBelow(relative)) return false
    if (this.ignores(root, true)) return true
    let folder = root
    for (const part of relative.split(path.sep).slice(0, -1)) {
      folder = path.join(folder, part)
      if (this.ignores(folder, true)) return true
    }
    return this.ignores(file, false)
  }

  /** Look for ignore files anew on the next test: files added, changed or removed since count. */
  refresh(): void {
    this.nearest.clear()
  }

  private find(folder: string, name: string): IgnoreSet | null {
    const key = folder + '\0' + name
    const cached = this.nearest.get(key)
    if (cached !== undefined) return cached
    const parent = path.dirname(folder)
    const result = this.read(path.join(folder, name), folder) ?? (parent === folder ? null : this.find(parent, name))
    this.nearest.set(key, result)
    return result
  }

  /** The parsed ignore file, or null when there is none or it cannot be read. */
  private read(file: string, dir: string): IgnoreSet | null {
    let stamp: string
    try {
      const stat = statSync(file)
      stamp = `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`
    } catch {
      this.parsed.delete(file)
      return null
    }
    const known = this.parsed.get(file)
    if (known && known.stamp === stamp) return known.set
    let set: IgnoreSet | null = null
    try {
      set = {dir, ig: ignore().add(readFileSync(file, 'utf8'))}
    } catch (error) {
      this.onUnreadable?.(file, error as NodeJS.ErrnoException)
    }
    this.parsed.set(file, {stamp, set})
    return set
  }
}

function isBelow(relative: string): boolean {
  return relative !== '' && relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative)
}

function matches(ig: Ignore, base: string, file: string, isDirectory: boolean): boolean {
  const relative = path.relative(base, file)
  if (!isBelow(relative)) return false
  const posix = relative.split(path.sep).join('/')
  return ig.ignores(posix) || (isDirectory && ig.ignores(posix + '/'))
}

const readErrors: Record<string, string> = {EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a folder'}

/** What the command and the language server say about an ignore file they cannot read. */
export function unreadableIgnoreFile(file: string, error: NodeJS.ErrnoException): string {
  const reason = readErrors[error.code ?? ''] ?? error.code ?? error.message
  return `docdrift: \`${file}\` cannot be read (${reason}), so its patterns are not applied`
}
