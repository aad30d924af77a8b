/**
 * Shared types of the docdrift engine. Nothing here knows about remark or markdownlint.
 */

/** Where a fact of the deployment's truth came from, for messages and `--facts`. */
export interface SourceRef {
  /** Path relative to the docdrift config's folder (or the config file itself), e.g. `config.toml`. */
  file: string
  /** Key path inside that file, e.g. `chatbox.path_prefix` or `routes.paths[3]`. */
  key?: string
}

export type Decode = 'none' | 'hex' | 'base64'

export interface SecretConstraint {
  name: string
  /** Exact length in bytes after `decode`. */
  bytes?: number
  minBytes?: number
  maxBytes?: number
  decode: Decode
  /** Why the constraint exists, e.g. `AES-256 key`. */
  why?: string
  /** Whether the service drops a trailing newline from a value read from a file or a pipe; undefined: not known. */
  newline?: 'trimmed' | 'kept'
  /** Other spellings that name the same secret (e.g. `encryption-key` in a Kubernetes secret). */
  aliases: string[]
  source: SourceRef
}

export interface RouteTemplate {
  /** The template as configured, e.g. `/admin/takeover/:sessionID`. */
  path: string
  /** Segments; a parameter segment is `null`. */
  segments: Array<string | null>
  /** Allowed methods (upper case) when known (OpenAPI); undefined means any. */
  methods?: string[]
  source: SourceRef
}

export interface RoutesConfig {
  /** The current prefix, normalised: leading slash, no trailing slash (`/chatbox`); `''` for none. */
  prefix: string
  prefixSource: SourceRef
  /** Environment variable that overrides the prefix at run time (docs that set it use their own prefix). */
  prefixEnv?: string
  stalePrefixes: string[]
  paths: RouteTemplate[]
  /** The OpenAPI document the routes (and maybe the prefix) came from. */
  openapi?: SourceRef
  /** Hosts that mean "this service" in a URL (localhost and friends are always included). */
  hosts: string[]
  /**
   * Ports the service listens on (`routes.ports`). When there are any, a localhost URL with another
   * explicit port is aimed at something else (unless the docs forward that port to one of these);
   * when empty, every localhost URL is the service.
   */
  ports: Array<{port: number; source: SourceRef}>
}

export type SeverityName = 'off' | 'warn' | 'error'

export interface ImagesConfig {
  /** Pinned reference per repository (normalised: no `docker.io/`, no `library/`). */
  pinned: Record<string, {ref: string; source: SourceRef}>
  /** Repositories (`chatbox`) or references (`chatbox:dev`) that may float. */
  floating: Array<{name: string; source: SourceRef}>
}

export interface InstallsConfig {
  /** Version per package name or Go module path, from `installs.versions` or a manifest. */
  versions: Record<string, {version: string; source: SourceRef; fromManifest?: boolean}>
}

export interface ForbiddenPattern {
  id: string
  pattern: string
  flags: string
  message: string
  replace?: string
  /** Snippet kinds to search; undefined means every kind. */
  in?: string[]
  source: SourceRef
}

export interface ResolvedConfig {
  /** Absolute path of the config file, when it came from a file. */
  file?: string
  /** Folder that relative pointers resolve against. */
  dir: string
  routes?: RoutesConfig
  secrets: Record<string, SecretConstraint>
  images?: ImagesConfig
  installs?: InstallsConfig
  forbidden?: ForbiddenPattern[]
  /** Per-rule severity overrides (`rules: {"stale-route": "warn"}`). */
  rules: Record<string, SeverityName>
}

/** A config problem: one message that names the file, the key path and what was expected. */
export class ConfigError extends Error {
  constructor(message: string, readonly file?: string, readonly keyPath?: string) {
    super(message)
    this.name = 'ConfigError'
  }
}
