/** What the command passes between its parts (and between worker threads: plain data only). */
import type {Finding} from '../core/engine.js'

export type {Finding} from '../core/engine.js'

/** A file that could not be read or checked (not a rule finding). */
export interface FileError {
  message: string
  line?: number
  column?: number
}

export interface FileResult {
  /** Absolute path. */
  path: string
  /** Findings left (after fixing, with `--fix`), in file order. */
  findings: Finding[]
  errors: FileError[]
  /** Config problems met while checking this file (one-line messages from the engine). */
  configErrors: string[]
  /** Safe fixes applied (`--fix`) or that would be (`--fix-dry-run`). */
  fixed: number
  /** `--fix-dry-run`: the unified diff of what `--fix` would write. */
  diff?: string
  /** `--fix`: whether the file was rewritten. */
  written?: boolean
  /** The config file used and how often each of its facts was checked/matched (for `--facts`). */
  usage?: {config?: string; checked: Record<string, number>; matched: Record<string, number>}
  /** The text of each line a finding starts or ends on (1-based; without line ending), for code frames and byte columns. */
  lines: Record<number, string>
  /** `--cache`: the hashes of the text and config this result is for (set when it may be stored: cli/cache.ts). */
  cacheKey?: CacheKey
}

/** What a stored result is looked up by (`--cache`): sha256 hashes, base64. */
export interface CacheKey {
  /** Of the file's text. */
  text: string
  /** Of the config the file resolved to. */
  config: string
}

export type FixMode = 'none' | 'write' | 'dry-run'

export interface LintSettings {
  cwd: string
  /** Absolute config path from `--config`; undefined: each file discovers its own. */
  config?: string
  fix: FixMode
  /** `--cache`: hash each file's text and config, so results can be stored and reused (cli/cache.ts). */
  cache?: boolean
  /** `--stdin`: the text came from standard input, and `--fix` prints it instead of writing a file. */
  stdin?: boolean
}
