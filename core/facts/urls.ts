/**
 * Find URLs and paths inside one token of text (a shell word, a comment, a prose run, a YAML
 * scalar). The caller has already cut the text out with a real parser; this only reads the
 * URL grammar: scheme, authority, path.
 */

export type HostKind = 'loopback' | 'configured' | 'placeholder' | 'variable' | 'none' | 'other'

export interface UrlHit {
  /** Offsets of the path (from its first `/`, before `?`/`#`) in the scanned text. */
  pathStart: number
  pathEnd: number
  path: string
  host?: string
  hostKind: HostKind
}

const schemes = new Set(['http', 'https', 'ws', 'wss'])
const loopback = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', 'host.docker.internal', 'ip6-localhost'])

function isPathEnd(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '"' || c === "'" || c === '`' || c === '?' || c === '#' ||
    c === ')' || c === ']' || c === '|' || c === ';' || c === ',' || c === '\\' || c === '*' || c === '&'
}

function isAuthorityChar(c: string): boolean {
  return !isPathEnd(c) && c !== '/'
}

/**
 * The explicit port of a URL authority (`127.0.0.1:6080` → 6080, `user@[::1]:8080` → 8080,
 * `:8080` → 8080); undefined when the authority names none (`localhost`, `::1`).
 */
export function hostPort(host: string): number | undefined {
  const bare = host.replace(/^[^@]*@/, '')
  const colon = bare.lastIndexOf(':')
  // An unbracketed IPv6 address (`::1`) has colons but no port.
  if (colon === -1 || (!bare.startsWith('[') && bare.indexOf(':') !== colon)) return undefined
  if (bare.startsWith('[') && bare[colon - 1] !== ']') return undefined
  const digits = bare.slice(colon + 1)
  return /^\d{1,5}$/.test(digits) ? Number(digits) : undefined
}

/**
 * A URL's authority and path, the scheme optional: `http://localhost:8080/chatbox` →
 * `localhost:8080` and `/chatbox`; `localhost:8080` → no path; `/chatbox` → no authority.
 */
export function urlParts(url: string): {authority: string; path: string} {
  const scheme = url.indexOf('://')
  const rest = scheme === -1 ? url : url.slice(scheme + 3)
  const slash = rest.indexOf('/')
  return slash === -1 ? {authority: rest, path: ''} : {authority: rest.slice(0, slash), path: rest.slice(slash)}
}

/**
 * The variables of a URL's host as the shell writes them (`$NAME`, `${NAME}`, `${NAME:-x}`): the
 * one it starts with (`$CHATBOX_URL`: the host), the one right before the path
 * (`localhost:8080${PREFIX}`: it may hold part of the path; not a port, `localhost:${PORT}`), and
 * the port written before that one.
 */
export function hostVariables(host: string): {hostVariable?: string; pathVariable?: string; port?: number} {
  const found: {hostVariable?: string; pathVariable?: string; port?: number} = {}
  const first = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(host)
  if (first) found.hostVariable = first[1]
  const last = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(host)
  if (last && host[last.index - 1] !== ':') found.pathVariable = last[1] ?? last[2]
  const port = hostPort(last ? host.slice(0, last.index) : host)
  if (port !== undefined) found.port = port
  return found
}

/** Classify a URL host for "is this aimed at the service?". */
export function classifyHost(host: string, configured: readonly string[]): HostKind {
  const bare = host.replace(/:\d+$/, '').replace(/^[^@]*@/, '').toLowerCase()
  if (bare === '') return 'loopback'
  if (loopback.has(bare) || bare.startsWith('127.') || bare.endsWith('.localhost')) return 'loopback'
  for (const pattern of configured) {
    const p = pattern.toLowerCase()
    if (p.startsWith('*.') ? bare.endsWith(p.slice(1)) : bare === p) return 'configured'
  }
  if (bare.includes('$') || bare.includes('{')) {
    // A variable after a loopback host (and port) is a port or part of the path
    // (`localhost:8080${PREFIX}`, `localhost:${PORT}`).
    const lead = bare.slice(0, bare.search(/[${]/)).replace(/:\d*$/, '')
    if (lead !== '' && classifyHost(lead, configured) === 'loopback') return 'loopback'
    // A variable part of a host under a written domain (`${region}.live.dynatrace.com`,
    // `{host}.example.com`): the domain says whose host it is.
    const written = bare.replace(/\$\{[^}]*\}?|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|\{[^}]*\}/g, '').replace(/:\d*$/, '').replace(/^[.-]+/, '')
    if (!/(^|\.)[a-z0-9-]+\.[a-z]{2,}$/.test(written)) return 'variable'
    return classifyHost(written, configured)
  }
  if (bare.includes('<')) {
    // A slot in a host under a written domain (`https://<REGION>.cloud.appwrite.io/v1`): the
    // domain says whose host it is, as for a variable above; a host that is all slot is the
    // reader's (`<host>`, `<app>.example.com`).
    const written = bare.replace(/<[^>]*>/g, '').replace(/:\d*$/, '').replace(/^[.-]+/, '')
    return /(^|\.)[a-z0-9-]+\.[a-z]{2,}$/.test(written) && !written.includes('<') ? classifyHost(written, configured) : 'placeholder'
  }
  if (bare.includes('your') || bare.includes('...') || bare === 'example.com' ||
    bare.endsWith('.example.com') || bare.endsWith('.example') || bare.endsWith('.example.org') ||
    bare.endsWith('.example.net') || bare.endsWith('.test') || bare.endsWith('.svc') || bare.includes('.svc.') ||
    bare.endsWith('.local') || bare.endsWith('.internal')) return 'placeholder'
  return 'other'
}

function trimPunctuation(text: string, start: number, end: number): number {
  while (end > start && '.:!>'.includes(text[end - 1])) end--
  return end
}

/** Every `scheme://authority/path` in the text. */
export function scanUrls(text: string, configured: readonly string[]): UrlHit[] {
  const hits: UrlHit[] = []
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    let s = at
    while (s > 0 && /[a-z]/i.test(text[s - 1])) s--
    if (!schemes.has(text.slice(s, at).toLowerCase())) continue
    let a = at + 3
    while (a < text.length) {
      // An IPv6 literal in brackets (`[::1]:8080`): its `:` and `]` are part of the host.
      const close = text[a] === '[' ? text.indexOf(']', a) : -1
      if (close !== -1 && /^\[[0-9A-Fa-f:.]+\]$/.test(text.slice(a, close + 1))) a = close + 1
      else if (isAuthorityChar(text[a])) a++
      else break
    }
    const host = text.slice(at + 3, a)
    if (host === '') continue
    // A prefix with a default, `localhost:8080${PREFIX:-/chat}/healthz`: the default is the path
    // a reader gets without the variable set, and the path after it is under the variable.
    const open = /\$\{[A-Za-z_][A-Za-z0-9_]*:?-$/.exec(host)
    const close = open ? text.indexOf('}', a) : -1
    if (open && close !== -1) {
      const kind = classifyHost(host.slice(0, open.index), configured)
      const fallback = pathAt(text.slice(0, close), a, host.slice(0, open.index), kind)
      if (fallback) hits.push(fallback)
      const rest = pathAt(text, close + 1, text.slice(at + 3, close + 1), kind)
      if (rest) hits.push(rest)
      continue
    }
    const hit = pathAt(text, a, host, classifyHost(host, configured))
    if (hit) hits.push(hit)
  }
  return hits
}

/** A path starting at `start` (must be `/`); undefined when there is none. */
export function pathAt(text: string, start: number, host: string | undefined, hostKind: HostKind): UrlHit | undefined {
  if (text[start] !== '/') return undefined
  let end = start
  while (end < text.length && !isPathEnd(text[end])) end++
  end = trimPunctuation(text, start, end)
  if (end - start < 2) return undefined
  return {pathStart: start, pathEnd: end, path: text.slice(start, end), host, hostKind}
}

/**
 * Host-less forms that HTTP clients accept in an argument: `localhost:8080/x`, `:8080/x`
 * (HTTPie), `$BASE_URL/x`, `${API}/x`. Only for arguments of commands that send requests.
 */
export function scanClientArg(text: string, configured: readonly string[]): UrlHit | undefined {
  if (text.includes('://')) return undefined
  if (text.startsWith('$')) {
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(?=\/)/.exec(text)
    return m ? pathAt(text, m[0].length, m[0], 'variable') : undefined
  }
  const slash = text.indexOf('/')
  if (slash <= 0) return undefined
  const host = text.slice(0, slash)
  if (!/^[A-Za-z0-9.[\]:-]*:\d+$|^localhost$|^127\.[\d.]+$/.test(host)) return undefined
  return pathAt(text, slash, host, classifyHost(host.startsWith(':') ? '' : host, configured))
}

/** Bare paths in prose or comments: a `/` that starts a word, e.g. "probe /chat/healthz". */
export function scanBarePaths(text: string): UrlHit[] {
  const hits: UrlHit[] = []
  for (let at = text.indexOf('/'); at !== -1; at = text.indexOf('/', at + 1)) {
    const prev = text[at - 1]
    if (at > 0 && !(prev === ' ' || prev === '\t' || prev === '\n' || prev === '(' || prev === '"' || prev === "'" || prev === '`')) continue
    const hit = pathAt(text, at, undefined, 'none')
    if (hit) {
      hits.push(hit)
      at = hit.pathEnd
    }
  }
  return hits
}
