/**
 * stale-route: URLs and paths aimed at the service must use its current prefix and one of its
 * routes. Stale prefixes (`/chat`) are rewritten to the current one (`/chatbox`), paths missing
 * the prefix get it, unknown routes get the nearest known route as a suggestion. A localhost URL
 * on a port the service does not listen on (`routes.ports`) is aimed at something else.
 */
import type {Assignment, UrlRef} from '../facts/types.js'
import {classifyHost, urlParts} from '../facts/urls.js'
import type {RoutesConfig, RouteTemplate} from '../types.js'
import {cite, type Rule} from './types.js'

export const staleRoute: Rule = {
  meta: {
    id: 'stale-route',
    description: 'URLs and paths aimed at the service use its current route prefix and known routes',
    tags: ['routes', 'urls'],
    severity: 'error',
    fixable: 'safe'
  },
  needles(config) {
    const routes = config.routes
    if (!routes) return []
    // Every finding contains a stale prefix, the prefix, or a route's first literal segment; a
    // document that sets its own prefix names the variable.
    const firsts = routes.paths.map((r) => (r.segments[0] === null || r.segments.length === 0 ? '/' : '/' + r.segments[0]))
    // With known ports, a block that forwards a port decides which local port is the service.
    const forwards = routes.ports.length > 0 ? ['port-forward', 'docker', 'podman', 'nerdctl', 'ssh', 'ports'] : []
    return [...routes.stalePrefixes, routes.prefix || '/', ...firsts, ...(routes.prefixEnv ? [routes.prefixEnv] : []), ...forwards]
  },
  check({config, facts, report, use}) {
    const routes = config.routes
    if (!routes) return
    const overrides = facts.assignments
      .filter((a) => routes.prefixEnv !== undefined && a.name === routes.prefixEnv && a.value !== undefined && a.value.startsWith('/'))
      .map((a) => ({order: a.order, prefix: normalizePrefix(a.value!)}))

    for (const ref of facts.urls) {
      if (!aimedAtService(ref, routes)) continue
      const allowed = [routes.prefix, ...overrides.filter((o) => o.order <= ref.order).map((o) => o.prefix)]
      const path = trimSlash(ref.path)
      use('prefix', routes.prefix === '' || underPrefix(path, routes.prefix))
      for (const stale of routes.stalePrefixes) use(`stalePrefix:${stale}`, underPrefix(path, stale))
      judge(ref, routes, allowed)
    }

    /**
     * A localhost URL is the service unless it names a port and the config knows the service's
     * ports (`routes.ports`) and that port is not one of them: `127.0.0.1:6080` after a
     * port-forward to another component is that component. A port forwarded to one of the
     * service's before the URL (`kubectl port-forward svc/chatbox 9090:8080`, `docker run -p
     * 9090:8080`, `ssh -L 9090:host:8080`, Compose `ports:`) is the service too. A forward never
     * makes a service port something else: the remote side of `kubectl port-forward svc/x 8080:80`
     * is a Service's port, which can differ from the one the service listens on.
     */
    function aimedAtService(ref: UrlRef, routes: RoutesConfig): boolean {
      // A variable host the document sets to another system's URL
      // (`DD_SITE_URL=https://api.datadoghq.com`) is that system.
      const value = ref.hostVariable === undefined ? undefined : valueBefore(ref.hostVariable, ref.order)
      if (value !== undefined && classifyHost(urlParts(value).authority, routes.hosts) === 'other') return false
      if (ref.hostKind !== 'loopback' || ref.port === undefined || routes.ports.length === 0) return true
      const ports = [ref.port, ...facts.forwards.filter((f) => f.local === ref.port && f.order <= ref.order).map((f) => f.remote)]
      for (const known of routes.ports) use(portFact(known.port), ports.includes(known.port))
      return routes.ports.some((known) => ports.includes(known.port))
    }

    /**
     * Whether the variable written right before a URL's path may hold part of it: a base URL
     * (`$CHATBOX_URL/healthz`) or the prefix itself (`localhost:8080${CHATBOX_PATH_PREFIX}/healthz`)
     * may end in the prefix. Only when the document gave it a value without a path
     * (`CHATBOX_URL=http://localhost:8080`) before the URL is the path known to start at `/`.
     */
    function mayHoldPath(ref: UrlRef): boolean {
      if (ref.pathVariable === undefined) return false
      const value = valueBefore(ref.pathVariable, ref.order)
      if (value === undefined) return true
      const {path} = urlParts(value)
      return path !== '' && path !== '/'
    }

    /** The literal value the document last gave a variable before `order`, if any. */
    function valueBefore(name: string, order: number): string | undefined {
      let last: Assignment | undefined
      for (const a of facts.assignments) if (a.name === name && a.order <= order && (!last || a.order >= last.order)) last = a
      return last?.value
    }

    /** A known route asked for with a method the OpenAPI document does not define for it. */
    function wrongMethod(ref: UrlRef, route: RouteTemplate, path: string) {
      const allowed = route.methods!
      const proper = allowed.filter((m) => m !== 'HEAD')
      const one = proper.length === 1 ? proper[0] : undefined
      const exact = ref.methodStart !== undefined && ref.methodEnd !== undefined
      report({
        snippet: ref.snippet,
        start: exact ? ref.methodStart! : ref.start,
        end: exact ? ref.methodEnd! : ref.start + path.length,
        message: `\`${ref.method} ${path}\` gets 405: the route allows only ${allowed.map((m) => `\`${m}\``).join(', ')} (${cite(route.source)})` +
          (one && exact ? `; use \`${one}\`` : ''),
        expected: exact ? one : undefined,
        safety: 'suggestion',
        note: `Methods come from ${cite(route.source)}`
      })
    }

    function judge(ref: UrlRef, routes: RoutesConfig, allowed: string[]) {
      const path = trimSlash(ref.path)
      const strict = ref.certainty !== 'prose' && ref.certainty !== 'inline'
      const prefixCite = cite(routes.prefixSource)

      // Under the current prefix (or one the document set up itself).
      for (const prefix of [...allowed].sort((a, b) => b.length - a.length)) {
        if (prefix === '' || !underPrefix(path, prefix)) continue
        const rest = path.slice(prefix.length) || '/'
        if (rest === '/' || routes.paths.length === 0) return
        const route = matchRoute(rest, routes.paths) ?? (ref.partial ? routeStartingWith(ref.path.slice(prefix.length), routes.paths) : undefined)
        if (route) {
          use(routeFact(route), true)
          if (ref.method && route.methods && !route.methods.includes(ref.method)) wrongMethod(ref, route, path)
          return
        }
        if (!strict || prefix !== routes.prefix) return
        const near = nearest(rest, routes.paths)
        const pathsCite = routes.paths[0].source.file + ' `routes.paths`'
        report({
          snippet: ref.snippet,
          start: ref.start,
          end: ref.start + path.length,
          message: near
            ? `\`${path}\` is not a route of the service (${pathsCite}); did you mean \`${prefix}${near}\`?`
            : `\`${path}\` is not a route of the service (${pathsCite}); known routes are ${list(routes.paths.map((r) => prefix + r.path))}`,
          expected: near ? prefix + near : undefined,
          // One close route, a typo away (`/health` → `/healthz`): the path 404s today and the
          // route is unambiguous, so `--fix` applies it; farther guesses stay suggestions.
          safety: near && levenshtein(rest, near) <= 2 ? 'safe' : 'suggestion',
          note: `Routes under \`${routes.prefix}\` (${prefixCite}): ${routes.paths.map((r) => r.path).join(', ')}`
        })
        return
      }

      // A stale prefix.
      for (const stale of [...routes.stalePrefixes].sort((a, b) => b.length - a.length)) {
        if (allowed.includes(stale) || !underPrefix(path, stale)) continue
        const rest = ref.path.slice(stale.length)
        const staleRoute = rest === '' || rest === '/' ? undefined : (matchRoute(trimSlash(rest), routes.paths) ?? (ref.partial ? routeStartingWith(rest, routes.paths) : undefined))
        if (staleRoute) use(routeFact(staleRoute), true)
        const known = rest === '' || rest === '/' || routes.paths.length === 0 || staleRoute !== undefined
        // In prose a bare `/chat` names the old prefix; only a full stale route is an instruction.
        if (!strict && (rest === '' || rest === '/' || !known)) return
        const expected = routes.prefix + rest || '/'
        report({
          snippet: ref.snippet,
          start: ref.start,
          end: ref.end,
          message: `\`${ref.path}\` uses the stale prefix \`${stale}\`; routes live under \`${routes.prefix || '/'}\` (${prefixCite}), so use \`${expected}\``,
          expected,
          // Under a variable that may hold a prefix of its own, the right path is not known; a
          // path the proxy strips needs the prefix put back as well.
          safety: known && !mayHoldPath(ref) && !ref.stripped ? 'safe' : 'suggestion',
          note: `The service serves its routes under \`${routes.prefix || '/'}\` (${prefixCite}); \`${stale}\` is listed in \`routes.stalePrefixes\`` +
            (ref.stripped ? `; the proxy strips this path before passing the request on, so the service also needs \`${routes.prefix}\` put back (Caddy: \`rewrite * ${routes.prefix}{uri}\`)` : '')
        })
        return
      }

      // A known route without the prefix, unless a variable before it may hold the prefix.
      if (routes.prefix !== '' && strict && ref.certainty !== 'field' && matchRoute(path, routes.paths) && !mayHoldPath(ref)) {
        report({
          snippet: ref.snippet,
          start: ref.start,
          end: ref.start + path.length,
          message: `\`${path}\` is missing the route prefix \`${routes.prefix}\` (${prefixCite}); use \`${routes.prefix + path}\``,
          expected: routes.prefix + path,
          safety: 'safe',
          note: `The service serves its routes under \`${routes.prefix}\` (${prefixCite})`
        })
      }
    }
  }
}

/** The usage key of a port (see core/facts/usage.ts). */
export function portFact(port: number): string {
  return `port:${port}`
}

/** The usage key of a route (see core/facts/usage.ts). */
export function routeFact(route: RouteTemplate): string {
  return `route:${route.path}`
}

export function normalizePrefix(prefix: string): string {
  let p = prefix.trim()
  if (!p.startsWith('/')) p = '/' + p
  while (p.endsWith('/')) p = p.slice(0, -1)
  return p
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/')
}

export function matchRoute(path: string, routes: RouteTemplate[]): RouteTemplate | undefined {
  const segments = trimSlash(path).split('/').slice(1)
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue
    if (route.segments.every((s, i) => (s === null ? segments[i] !== '' : s === segments[i]))) return route
  }
  return undefined
}

/**
 * A route that a path cut short may be the start of: its whole segments match, and its last,
 * unfinished one starts the route's next segment (`/admin/takeover/` of
 * `/admin/takeover/:sessionID`, `/sess` of `/sessions`).
 */
export function routeStartingWith(path: string, routes: RouteTemplate[]): RouteTemplate | undefined {
  const segments = path.split('/').slice(1)
  const last = segments.pop() ?? ''
  for (const route of routes) {
    if (route.segments.length <= segments.length) continue
    if (!segments.every((s, i) => (route.segments[i] === null ? s !== '' : s === route.segments[i]))) continue
    const next = route.segments[segments.length]
    if (next === null || next.startsWith(last)) return route
  }
  return undefined
}

/** The one known route closest to `path`, when exactly one is close. */
function nearest(path: string, routes: RouteTemplate[]): string | undefined {
  const segments = path.split('/').slice(1)
  let best: string[] = []
  let bestDistance = Infinity
  for (const route of routes) {
    // Fill parameters with the document's own values so only the real difference counts.
    const candidate = route.segments.length === segments.length
      ? '/' + route.segments.map((s, i) => s ?? segments[i]).join('/')
      : route.path
    const distance = levenshtein(path, candidate)
    if (distance < bestDistance) {
      bestDistance = distance
      best = [candidate]
    } else if (distance === bestDistance) {
      best.push(candidate)
    }
  }
  const limit = Math.max(2, Math.floor(path.length / 4))
  return best.length === 1 && bestDistance <= limit ? best[0] : undefined
}

export function levenshtein(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}

function list(items: string[]): string {
  const shown = items.slice(0, 4).map((i) => `\`${i}\``).join(', ')
  return items.length > 4 ? `${shown}, …` : shown
}
