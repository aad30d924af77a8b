/**
 * Snippets → facts: requests and paths, secret generators and the names their output is
 * written to. Each snippet is parsed once (shell through tree-sitter, YAML/JSON through
 * `yaml`), and every rule reads the same facts.
 */
import {isDocument, isMap, isPair, isScalar, isSeq, Scalar, visit} from 'yaml'
import {subSnippet, type Snippet} from '../extract/snippets.js'
import {parseShell, runCommand, valueRange, wrapsCommand, type ShCommand, type ShHeredoc, type ShPipeline, type ShScript, type ShWord} from '../shell/parse.js'
import {only, prepareShell} from '../shell/prepare.js'
import {doubleQuotedValue, innerRange, parseYamlDocuments} from './yaml.js'
import {parseTomlDocument, tomlStrings} from './toml.js'
import {parseHcl, type HclAttribute, type HclBlock, type HclString} from './hcl.js'
import {processOnly, secretStore} from './stores.js'
import {mayGenerate, mayRequest, nodeGenerator, readJavaScript, requestPaths} from './javascript.js'
import {blockBody, caddyDirectives, dockerfileAsShell, legacyEnv, nginxDirectives, traefikRulePaths, type Directive, type Token} from './formats.js'
import {analyzePipeline, digestCommands, type Stage} from './generators.js'
import {renderedWhenUnset, templateAction, templateBranch, templateScope, type TplPipeline, type TplScope} from './gotemplate.js'
import {dotnetOutput, powershellAssignments} from './powershell.js'
import {mayAssignSecret, pythonGenerator, readPython, type PyFallback, type PyScript} from './python.js'
import {mayUseRandom, randomResources, secretArgument} from './terraform-random.js'
import {jsonStrings} from './json.js'
import type {Needle} from '../rules/types.js'
import type {Assignment, Certainty, DocFacts, Fallback, GenUse, SourceUse, UrlRef} from './types.js'
import {classifyHost, hostVariables, pathAt, scanBarePaths, scanClientArg, scanUrls, type UrlHit} from './urls.js'

/** Commands that send requests: their host-less arguments are URLs too. */
const clients = new Set(['curl', 'wget', 'wscat', 'websocat', 'http', 'https', 'xh', 'xhs', 'httpie', 'grpcurl', 'ab', 'hey', 'k6'])
/** Words that introduce a secret's value in an argument. */
const valueOptions = ['--from-literal=', '--env=', '--set=', '--set-string=', '--build-arg=', '--literal=']

export interface FactOptions {
  hosts: readonly string[]
  /**
   * Whether a key names a configured secret (its name, an alias, or another spelling of either:
   * `encryption_key`, `encryptionKey`): such a key sets the secret's value wherever a YAML, JSON,
   * TOML or HCL block writes it, not only in an env map (a service's own config file).
   */
  configuredSecret?: (name: string) => boolean
  /**
   * Whether a text may write a configured secret's name in any spelling `configuredSecret`
   * knows (core/rules/targets.ts `secretMentions`): a Python or JavaScript block is parsed for
   * its settings only if it does, or names a secret otherwise.
   */
  mentionsSecret?: (text: string) => boolean
}

export function collectFacts(snippets: Snippet[], options: FactOptions): DocFacts {
  const facts: DocFacts = {urls: [], generators: [], sources: [], assignments: [], scripts: [], snippets: [], forwards: [], reads: []}
  /** Files written by a generator so far in the document, by path (`./key.txt` is `key.txt`). */
  const written = new Map<string, GenUse | SourceUse>()
  /** A config key that sets a value: an env entry (`envKey`), or a configured secret's key anywhere. */
  const setsValue = (name: string, inEnvMap: boolean) => envKey(name, inEnvMap) || options.configuredSecret?.(name) === true
  /** Terraform's `random` resources and their uses, linked once every block is read (./terraform-random.ts). */
  const randoms = randomResources()
  for (const snippet of snippets) read(snippet)
  randoms.link(facts, options.configuredSecret)
  return facts

  /** One snippet's facts (and those of the here-documents in it, read as snippets of their own right after it). */
  function read(snippet: Snippet) {
    facts.snippets.push(snippet)
    switch (snippet.lang) {
      case 'shell':
      case 'dotenv': {
        shell(snippet, prepareShell(snippet.value, snippet.dialect === 'root-prompts' ? 'root-prompts' : snippet.transcript === true))
        break
      }

      case 'dockerfile': {
        shell(snippet, prepareShell(dockerfileAsShell(snippet.value), false))
        // `ENV KEY value` (legacy): the rest of the line, as a config file's value is read.
        for (const {key, value} of legacyEnv(snippet.value)) yamlAssign(snippet, key.text, value.text, [value.start, value.end], key.start)
        break
      }

      case 'yaml':
      case 'json': {
        yamlFacts(snippet)
        break
      }

      case 'nginx': {
        nginx(snippet)
        break
      }

      case 'toml': {
        tomlFacts(snippet)
        break
      }

      case 'hcl': {
        hclFacts(snippet)
        break
      }

      case 'inline': {
        inline(snippet)
        break
      }

      case 'prose': {
        for (const hit of scanUrls(snippet.value, options.hosts)) url(snippet, hit, 'url')
        for (const hit of scanBarePaths(snippet.value)) url(snippet, hit, 'prose')
        break
      }

      case 'url': {
        for (const hit of scanUrls(snippet.value, options.hosts)) url(snippet, hit, 'url')
        break
      }

      case 'code': {
        const requested = requests(snippet)
        for (const hit of scanUrls(snippet.value, options.hosts)) if (!requested.has(hit.pathStart)) url(snippet, hit, 'url')
        if (snippet.dialect === 'caddy') caddy(snippet)
        // A request's path relative to the page (`fetch('/chat/sessions')`): a field, like a
        // proxy's matcher (no host says it is the service's, so a known route without the prefix
        // is not reported; a stale prefix is). A path resolved against a written base (`new
        // URL('/chat/sessions', 'http://localhost:8080')`) is that URL's, as if written whole.
        if (snippet.dialect === 'javascript' && mayRequest(snippet.value)) {
          for (const path of requestPaths(snippet.value)) {
            if (requested.has(path.start)) continue
            const hit: UrlHit = {pathStart: path.start, pathEnd: path.end, path: path.text, hostKind: 'none'}
            if (path.host !== undefined) Object.assign(hit, {host: path.host, hostKind: classifyHost(path.host, options.hosts)})
            const ref = url(snippet, hit, path.host === undefined ? 'field' : 'url')
            if (ref && path.partial) ref.partial = true
          }
        }
        // Only a block that may assign a secret: a generator, or a value set in the environment.
        if (snippet.dialect === 'powershell' && /getbytes|get-random|\$\{?env:|setenvironmentvariable|\bsetx\b|new-?guid/i.test(snippet.value)) powershell(snippet)
        if (snippet.dialect === 'python' && mayAssignSecret(snippet.value, options.mentionsSecret)) program(snippet, readPython(snippet.value), pythonGenerator)
        if (snippet.dialect === 'javascript' && (mayAssignSecret(snippet.value, options.mentionsSecret) || mayGenerate(snippet.value))) program(snippet, readJavaScript(snippet.value), nodeGenerator)
        break
      }
    }
  }

  /**
   * PowerShell's assignments (`$env:ENCRYPTION_KEY = …`, `$key = …`), with the generators they
   * hold (core/facts/powershell.ts), as a shell block's: the same names, flow and rules.
   */
  function powershell(snippet: Snippet) {
    for (const ps of powershellAssignments(snippet.value)) {
      const order = snippet.start + ps.start
      const assignment: Assignment = {snippet, start: ps.start, end: ps.end, name: ps.name, refs: ps.ref ? [ps.ref] : [], gens: [], sources: [], order}
      if (ps.literal) Object.assign(assignment, {value: ps.literal.value, valueStart: ps.literal.start, valueEnd: ps.literal.end})
      const made = ps.generator
      if (made?.kind === 'weak') {
        const source: SourceUse = {snippet, start: made.start, end: made.end, printEnd: made.end, stages: [{name: 'Get-Random', args: []}], bits: 32, reason: made.reason ?? 'Get-Random draws from System.Random, seeded with 32 bits', targets: [], order}
        facts.sources.push(source)
        assignment.sources.push(source)
      } else if (made?.kind === 'guid') {
        // A GUID is a version 4 UUID, as `uuidgen` prints (without the newline); `N` without its
        // dashes.
        const stages: Stage[] = made.format === 'N' ? [{name: 'uuidgen', args: []}, {name: 'tr', args: ['-d', '-']}] : [{name: 'uuidgen', args: []}]
        const analysis = analyzePipeline(stages)
        if (analysis.status === 'exact') {
          const gen: GenUse = {snippet, start: made.start, end: made.end, printEnd: made.end, stages, output: {...analysis.output, trailingNewline: false}, targets: [], order}
          facts.generators.push(gen)
          assignment.gens.push(gen)
        }
      } else if (made?.bytes !== undefined) {
        // The stages are the equivalent `openssl rand`, from which fixes take their sizes.
        const bytes = made.bytes
        const gen: GenUse = {snippet, start: made.start, end: made.end, printEnd: made.end, stages: [{name: 'openssl', args: ['rand', `-${made.kind}`, String(bytes)]}], output: dotnetOutput(made.kind, bytes), targets: [], order}
        // A byte array's size, written apart from the expression that prints it.
        if (made.count && made.shown) Object.assign(gen, {count: made.count, shown: snippet.value.slice(made.shown.start, made.shown.end)})
        facts.generators.push(gen)
        assignment.gens.push(gen)
      }
      facts.assignments.push(assignment)
    }
  }

  /**
   * Python's assignments (`JWT_SECRET = "changeme"`, `os.environ["ENCRYPTION_KEY"] = …`, a
   * dict's keys, `os.getenv("JWT_SECRET", "changeme")`, `env("JWT_SECRET", default=…)`), with the
   * generators they hold (core/facts/python.ts), as a shell block's: the same names, flow and
   * rules; JavaScript's
   * (`process.env.JWT_SECRET = …`, `const JWT_SECRET = process.env.JWT_SECRET || 'changeme'`,
   * core/facts/javascript.ts) the same way. A default no name takes is one of `facts.reads`.
   */
  function program(snippet: Snippet, script: PyScript, evaluate: typeof pythonGenerator) {
    for (const entry of script.assignments) {
      const order = snippet.start + entry.start
      const assignment: Assignment = {snippet, start: entry.start, end: entry.end, name: entry.name, refs: [], gens: [], sources: [], order}
      let value = entry.value
      if (value.kind === 'fallback') {
        const fallback = literalFallback(value)
        assignment.defaultOf = {name: value.variable, reads: value.reads}
        value = value.value
        if (fallback) {
          assignment.fallback = fallback
          facts.assignments.push(assignment)
          continue
        }
      }
      if (value.kind === 'literal') {
        Object.assign(assignment, {value: value.literal.value, valueStart: value.literal.start, valueEnd: value.literal.end})
      } else if (value.kind === 'ref') {
        assignment.refs.push(value.name)
      } else if (value.kind === 'expression') {
        const made = evaluate(script.imports, value.text)
        if (made) {
          const gen: GenUse = {snippet, start: value.start, end: value.end, printEnd: value.end, stages: made.stages, output: made.output, targets: [], order}
          facts.generators.push(gen)
          assignment.gens.push(gen)
        }
      }
      facts.assignments.push(assignment)
    }
    // A default no name takes (`jwt.encode(payload, os.getenv("JWT_SECRET", "changeme"))`).
    for (const read of script.reads) {
      const fallback = literalFallback(read)
      if (fallback) facts.reads.push({snippet, fallback, order: snippet.start + read.start})
    }
    // A value printed to be copied: its secret is the one the text around the block names.
    for (const printed of script.prints) {
      const made = evaluate(script.imports, printed.text)
      if (made) facts.generators.push({snippet, start: printed.start, end: printed.end, printEnd: printed.end, stages: made.stages, output: made.output, targets: [], order: snippet.start + printed.start})
    }
  }

  /** Records a URL or path aimed at the service (not another system's), and returns it. */
  function url(snippet: Snippet, hit: UrlHit, certainty: Certainty, method?: string, base = 0, methodRange?: [number, number]): UrlRef | undefined {
    if (hit.hostKind === 'other') return undefined
    const ref: UrlRef = {
      snippet,
      start: base + hit.pathStart,
      end: base + hit.pathEnd,
      path: hit.path,
      hostKind: hit.hostKind,
      certainty,
      method,
      order: snippet.start + base + hit.pathStart
    }
    if (hit.host !== undefined) Object.assign(ref, hostVariables(hit.host))
    if (method && methodRange) [ref.methodStart, ref.methodEnd] = methodRange
    facts.urls.push(ref)
    return ref
  }

  function inline(snippet: Snippet) {
    const value = snippet.value
    const trimmed = value.trim()
    const lead = value.length - value.trimStart().length
    // A command starts the code, or one of its lines when it spans several; or a wrapper runs
    // one (`sudo npm install -g x`, a usage line's `[sudo] npm install -g x`).
    const read = (name: string) => clients.has(name) || commandWords.has(name)
    const command = trimmed.split('\n').some((line) => {
      const first = line.trim().split(/\s/, 1)[0]
      if (read(first) || looksLikeGenerator(first)) return true
      if (!wrapsCommand(first)) return false
      const {pipelines} = parseShell(prepareShell(line, false))
      return pipelines.some((pipeline) => pipeline.commands.some((c) => read(runCommand(c).name ?? '')))
    })
    if (command || trimmed.includes('$(') || trimmed.includes('<(') || trimmed.includes(' | ') || /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(trimmed)) {
      shell(snippet, prepareShell(value, false))
      return
    }
    // `GET /chat/healthz`, `/chat/healthz`, `http://…`
    const methodMatch = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?=\/)/.exec(trimmed)
    const pathStart = lead + (methodMatch ? methodMatch[0].length : 0)
    if (value[pathStart] === '/' && !value.slice(pathStart).includes(' ')) {
      const hit = pathAt(value, pathStart, undefined, 'none')
      if (hit) url(snippet, hit, 'inline', methodMatch?.[1], 0, methodMatch ? [lead, lead + methodMatch[1].length] : undefined)
      return
    }
    for (const hit of scanUrls(value, options.hosts)) url(snippet, hit, 'url')
  }

  /**
   * HTTP request messages (an `http` block, a REST client file): `GET /chat/healthz HTTP/1.1`
   * is aimed at the host of its `Host:` header (the service when there is none), and a request
   * line states its method. Returns where the paths it read start.
   */
  function requests(snippet: Snippet): Set<number> {
    const read = new Set<number>()
    const text = snippet.value
    for (let at = 0; at < text.length; ) {
      const newline = text.indexOf('\n', at)
      const end = newline === -1 ? text.length : newline
      const line = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE)[ \t]+(\S+)(?:[ \t]+HTTP\/\d(?:\.\d)?)?[ \t]*$/.exec(text.slice(at, end))
      if (line) {
        const target = at + line[0].indexOf(line[2], line[1].length)
        const methodRange: [number, number] = [at, at + line[1].length]
        let hit: UrlHit | undefined
        if (line[2].startsWith('/')) {
          // The headers run to the first blank line.
          const headers = text.slice(end + 1).split(/\n[ \t]*(?:\n|$)/, 1)[0]
          const host = /^host:[ \t]*(\S+)/im.exec(headers)?.[1]
          hit = pathAt(text, target, host, host === undefined ? 'none' : classifyHost(host, options.hosts))
        } else {
          hit = scanUrls(line[2], options.hosts)[0]
          if (hit) hit = {...hit, pathStart: hit.pathStart + target, pathEnd: hit.pathEnd + target}
        }
        if (hit) {
          read.add(hit.pathStart)
          url(snippet, hit, 'url', line[1], 0, methodRange)
        }
      }
      at = end + 1
    }
    return read
  }

  /**
   * The paths of the Traefik router rules in `value` (`PathPrefix(`/chat`)`): routes by definition.
   * `place` gives where a piece of `value` is written in the snippet; a path is read only where it
   * is written as it reads (no escapes in it), so that its fix replaces exactly it.
   */
  function traefikPaths(snippet: Snippet, value: string, place: (from: number, to: number) => [number, number] | undefined) {
    for (const token of traefikRulePaths(value)) {
      const at = place(token.start, token.end)
      if (!at || snippet.value.slice(at[0], at[1]) !== token.text) continue
      url(snippet, {pathStart: at[0], pathEnd: at[1], path: token.text, hostKind: 'none'}, 'field')
    }
  }

  /**
   * A Caddyfile's paths: the path matcher of a directive that takes one (`handle_path /chat/*`,
   * `reverse_proxy /chat/* localhost:8080`, `@ws path /chat/ws*`), and the paths `redir`, `rewrite`
   * and `uri` send requests to. A path ends at a wildcard or a placeholder (`/chatbox{uri}`).
   */
  function caddy(snippet: Snippet) {
    for (const directive of caddyDirectives(snippet.value)) {
      let name = directive.name.text
      let args = directive.args
      // A named matcher on one line: `@ws path /chat/ws*`.
      if (name.startsWith('@') && args.length > 0) [name, args] = [args[0].text, args.slice(1)]
      // A matcher is written unquoted: `respond "/chat is gone" 410` is a body.
      const matcher = args[0] && !'"`'.includes(snippet.value[args[0].start - 1] ?? ' ') ? args.slice(0, 1) : []
      // `redir [<matcher>] <to> [<code>]` and `rewrite [<matcher>] <to>`: a request for the
      // matched path is sent to `<to>`, so the matcher is an old path on purpose (`redir /chat
      // /chatbox/ 308`), and only `<to>` is one the service must serve.
      if ((name === 'redir' || name === 'rewrite') && args.length >= 2 && !/^(?:\d{3}|permanent|temporary|html)$/.test(args[1].text)) args = args.slice(1)
      const paths: Token[] = caddyPathArgs.has(name) ? args : caddyMatched.has(name) ? matcher : []
      for (const token of paths) {
        if (!token.text.startsWith('/')) continue
        const placeholder = token.text.indexOf('{')
        const stop = placeholder === -1 ? token.end : token.start + placeholder
        const hit = pathAt(snippet.value, token.start, undefined, 'none')
        if (hit && hit.pathEnd > stop) Object.assign(hit, {pathEnd: stop, path: snippet.value.slice(token.start, stop)})
        const ref = hit && hit.pathEnd - hit.pathStart >= 2 ? url(snippet, hit, 'field') : undefined
        if (ref && (name === 'handle_path' || (name === 'uri' && args[0]?.text === 'strip_prefix'))) ref.stripped = true
      }
    }
  }

  function nginx(snippet: Snippet) {
    const list = nginxDirectives(snippet.value)
    for (const [index, directive] of list.entries()) {
      if (directive.name.text === 'location') {
        const target = directive.args.at(-1)
        if (target && target.text.startsWith('/') && !nginxRemaps(blockBody(list, index))) {
          const hit = pathAt(snippet.value, target.start, undefined, 'none')
          if (hit) url(snippet, {...hit, pathEnd: target.end, path: snippet.value.slice(target.start, target.end)}, 'field')
        }
        continue
      }
      for (const arg of directive.args) {
        for (const hit of scanUrls(arg.text, options.hosts)) url(snippet, hit, 'url', undefined, arg.start)
      }
    }
  }

  function yamlFacts(snippet: Snippet) {
    const text = snippet.value
    /** Scalars read as shell (`yamlScript`): the visitor meets a pair or list before its scalars. */
    const scripts = new Set<Scalar>()
    // A chart template: its lines of actions alone are not YAML, its variables name values.
    const scope = text.includes('{{') ? templateScope(text) : undefined
    const docs = parseYamlDocuments(text)
    if (!docs) return
    for (const doc of docs) {
      visit(doc, {
        Pair(_, pair, path) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined
          // A Helm template's value: one Go template action (core/facts/gotemplate.ts).
          const action = key === undefined ? undefined : templateValue(text, pair.value, scope)
          if (key !== undefined && action) {
            const data = secretData(path)
            if (setsValue(key, valueMapKey(path) || data)) templateAssign(snippet, key, action, data)
            return
          }
          if (key === undefined || !isScalar(pair.value) || !pair.value.range) return
          const scalar = pair.value as Scalar
          if (typeof scalar.value !== 'string') return
          const [s] = scalar.range!
          const inner = innerRange(scalar)
          if (scalar.value.startsWith('/') && (((key === 'path' || routeMatch(key, path)) && !rewrittenMatch(path)) || rewriteTarget(key, path))) {
            // ingress-nginx's target ends where a capture group is put in (`/chatbox/$2`).
            const group = key.endsWith('/rewrite-target') ? text.indexOf('$', inner[0]) : -1
            fieldPath(snippet, group !== -1 && group < inner[1] ? [inner[0], group] : inner, key === 'path' ? probeRequest(path) : undefined)
          }
          // Compose `environment:` maps and similar `NAME: value` env maps; in a map under `env`,
          // `environment` or a Secret's `stringData`, any key names a value (Kong's Helm chart:
          // `env: {pg_password: …}` sets `KONG_PG_PASSWORD`); a configured secret's key anywhere
          // (`server: {encryption_key: …}` in the service's own config file).
          // A Secret's `data` holds each value in base64: judged as it decodes.
          const data = secretData(path)
          if (setsValue(key, valueMapKey(path) || data)) yamlAssign(snippet, key, scalar.value, inner, s, data)
          if (scriptKeys.has(key)) yamlScript(snippet, scalar, scripts)
        },
        Map(_, map) {
          // Kubernetes env entries: `- name: X` / `value: Y`.
          const name = map.get('name')
          const value = map.get('value', true)
          const action = typeof name === 'string' ? templateValue(text, value, scope) : undefined
          if (typeof name === 'string' && action) templateAssign(snippet, name, action, false)
          else if (typeof name === 'string' && isScalar(value) && typeof value.value === 'string' && value.range) {
            yamlAssign(snippet, name, value.value, innerRange(value), value.range[0])
          }
        },
        Seq(key, seq, path) {
          // CI `script:` lists: each item is a command line.
          const parent = path[path.length - 1]
          const name = parent && typeof parent === 'object' && 'key' in parent && isScalar(parent.key) ? String(parent.key.value) : undefined
          // Compose `ports: ["9090:8080"]`: published ports.
          if (key === 'value' && name === 'ports') {
            for (const item of seq.items) {
              if (!isScalar(item) || !item.range) continue
              const ports = publishedPorts(String(item.value))
              if (ports) facts.forwards.push({local: ports[0], remote: ports[1], snippet, order: snippet.start + item.range[0]})
            }
          }
          if (key !== 'value' || !name || !scriptKeys.has(name)) return
          for (const item of seq.items) if (isScalar(item) && typeof item.value === 'string' && item.range) yamlScript(snippet, item, scripts)
        },
        Scalar(key, scalar) {
          // A script's URLs and `NAME=value` words are the shell's to read.
          if (typeof scalar.value !== 'string' || !scalar.range || scripts.has(scalar)) return
          const [s] = scalar.range
          const inner = innerRange(scalar)
          for (const hit of scanUrls(text.slice(inner[0], inner[1]), options.hosts)) url(snippet, hit, 'url', undefined, inner[0])
          // The value's offsets follow the text only when nothing was unescaped or folded.
          const verbatim = text.slice(inner[0], inner[1]) === scalar.value
          // A Traefik router rule: `rule:`, IngressRoute `match:`, a Compose label.
          if (verbatim) traefikIn(snippet, scalar.value, inner[0])
          // Compose `- NAME=value` list entries.
          if (key !== 'key') entryAssign(snippet, scalar.value, inner, verbatim, s)
        }
      })
    }
    // YAML that does not parse (a doc's sketch, a block cut short) still shows URLs: read them
    // from the text, so no face misses what a broken block says.
    if (docs.some((doc) => doc.errors.length > 0)) {
      const seen = new Set(facts.urls.filter((u) => u.snippet === snippet).map((u) => u.start))
      for (const hit of scanUrls(text, options.hosts)) if (!seen.has(hit.pathStart)) url(snippet, hit, 'url')
    }
  }

  /**
   * A TOML block: its URLs anywhere (comments too, as in any code block), and what its keys say.
   * A `path` that starts with `/` is a route by definition (a fly.toml health check), as in YAML;
   * a Traefik router's `rule` is read for its paths; `NAME = "…"` in capitals, any key of an
   * `[env]`-like table, or a configured secret's key in any table sets a value, as in YAML. Lines
   * that do not parse are left out (`parseTomlDocument`); their URLs are still read from the text.
   */
  function tomlFacts(snippet: Snippet) {
    const text = snippet.value
    for (const hit of scanUrls(text, options.hosts)) url(snippet, hit, 'url')
    const doc = parseTomlDocument(text)
    if (!doc) return
    for (const {node, inner, key, path, verbatim} of tomlStrings(doc)) {
      const value = node.value
      if (verbatim && key === 'path' && value.startsWith('/')) fieldPath(snippet, inner)
      if (verbatim) traefikIn(snippet, value, inner[0])
      if (node.parent.type !== 'TOMLKeyValue') continue
      const table = path[path.length - 1]
      if (setsValue(key, table !== undefined && valueMapKeys.has(table))) yamlAssign(snippet, key, value, inner, node.range[0])
    }
  }

  /**
   * An HCL block (Terraform, Nomad): its URLs anywhere, and what its attributes say, as in YAML
   * and TOML. A `path` that starts with `/` is a route (a Nomad or Consul check); a string with a
   * Traefik rule is read for its paths (Nomad service tags); `NAME = "…"` in capitals, a
   * configured secret's key anywhere, any attribute of an `env` or `environment` block or object,
   * a `name`/`value` pair (Terraform's Kubernetes `env` block), a `NAME=value` list item, and a
   * variable's `default` set a value. A `random_*` resource's output set there, in an argument of a
   * resource or module named like a secret (`password`), or in a local value, is read too.
   * Strings with an interpolation (`${…}`) or an escape are not values.
   */
  function hclFacts(snippet: Snippet) {
    const text = snippet.value
    for (const hit of scanUrls(text, options.hosts)) url(snippet, hit, 'url')
    const assign = (name: string, string: HclString) => {
      if (string.value !== undefined) yamlAssign(snippet, name, string.value, string.inner, string.inner[0])
    }
    const strings = (string: HclString, key: string) => {
      const value = string.value
      if (value === undefined) return
      if (key === 'path' && value.startsWith('/')) fieldPath(snippet, string.inner)
      traefikIn(snippet, value, string.inner[0])
    }
    // A `random_*` resource's output given to a secret: where a literal would be read, and in a
    // `kubernetes_secret`'s `data` (plain: the provider encodes it; `binary_data` is not read).
    const random = mayUseRandom(text)
    const secretData = (block: HclBlock | undefined) => block?.type === 'resource' && /^kubernetes_secret(_v1)?$/.test(block.labels[0] ?? '')
    const attributes = (list: readonly HclAttribute[], owner: string, block?: HclBlock, data?: 'data' | 'binary_data', argument?: boolean) => {
      const env = valueMapKeys.has(owner)
      for (const attribute of list) {
        const {name, value} = attribute
        if (value) {
          strings(value, name)
          if (setsValue(name, env)) assign(name, value)
          if (block?.type === 'variable' && name === 'default' && block.labels[0]) assign(block.labels[0], value)
        }
        const secret = data === 'data' || setsValue(name, env) || (argument === true && secretArgument(name))
        if (random && attribute.reference && data !== 'binary_data' && secret) randoms.use(snippet, name, attribute.reference)
        for (const item of attribute.items) {
          strings(item, name)
          // `env = ["NAME=value"]` (Terraform's docker_container).
          if (item.value !== undefined) entryAssign(snippet, item.value, item.inner, true, item.inner[0])
        }
        if (attribute.object) attributes(attribute.object, name, undefined, (name === 'data' || name === 'binary_data') && secretData(block) ? name : undefined, argument)
      }
      // `env { name = "X" value = "y" }`.
      const name = list.find((a) => a.name === 'name')?.value?.value
      const value = list.find((a) => a.name === 'value')
      if (name !== undefined && value?.value) assign(name, value.value)
      if (random && name !== undefined && value?.reference) randoms.use(snippet, name, value.reference)
    }
    /** `argument`: the block is a resource or module, or in one (`os_profile { admin_password }`). */
    const walk = (block: HclBlock, argument: boolean) => {
      if (random) randoms.resource(snippet, block)
      if (random && block.type === 'locals') for (const attribute of block.attributes) randoms.local(attribute.name, attribute.reference)
      argument ||= block.type === 'resource' || block.type === 'module'
      attributes(block.attributes, block.type, block, undefined, argument)
      // A Nomad `template` that renders an env file: its `data` heredoc, read as a `.env`.
      if (block.type === 'template') {
        const data = block.attributes.find((a) => a.name === 'data')?.heredoc
        const env = block.attributes.some((a) => (a.name === 'env' && a.flag === true) || (a.name === 'destination' && a.value?.value !== undefined && fileLang(a.value.value) === 'dotenv'))
        if (data && env && data[1] > data[0]) read(subSnippet(snippet, data[0], data[1], 'dotenv'))
      }
      for (const inner of block.blocks) walk(inner, argument)
    }
    walk(parseHcl(text), false)
  }

  /** A config field that is a path of the service by definition (`path: /x`), up to the end of its value at `inner`. */
  function fieldPath(snippet: Snippet, inner: [number, number], probe?: {port?: number}) {
    const text = snippet.value
    const hit = pathAt(text, inner[0], undefined, 'none')
    if (!hit) return
    const ref = url(snippet, {...hit, pathEnd: Math.min(hit.pathEnd, inner[1]), path: text.slice(hit.pathStart, Math.min(hit.pathEnd, inner[1]))}, probe ? 'client' : 'field')
    // The container's own address: a probe on another port checks another container.
    if (ref && probe?.port !== undefined) Object.assign(ref, {hostKind: 'loopback', port: probe.port})
  }

  /**
   * A Kubernetes probe's or lifecycle hook's `httpGet` (`livenessProbe: {httpGet: {path, port}}`):
   * the kubelet requests the path from the container itself, so it is the service's own path, a
   * request like curl's (a known route without the prefix fails the probe), at the port it names
   * (a named port, `http`, is not known).
   */
  function probeRequest(path: readonly unknown[]): {port?: number} | undefined {
    const map = path[path.length - 1]
    const owner = path[path.length - 2]
    if (!isMap(map) || !isPair(owner) || owner.value !== map || !isScalar(owner.key) || owner.key.value !== 'httpGet') return undefined
    const port = map.get('port')
    return typeof port === 'number' && Number.isInteger(port) ? {port} : {}
  }

  /** The Traefik router rule paths in a config string written as it reads (no escapes), from `start`. */
  function traefikIn(snippet: Snippet, value: string, start: number) {
    if (value.includes('Path')) traefikPaths(snippet, value, (from, to) => [start + from, start + to])
  }

  /**
   * `NAME=value` in one config string (a Compose `environment:` list entry, a Terraform `env`
   * item), NAME in capitals; the value's own range only when the string is written as it reads.
   */
  function entryAssign(snippet: Snippet, value: string, inner: [number, number], verbatim: boolean, order: number) {
    const eq = value.indexOf('=')
    if (eq > 0 && /^[A-Z][A-Z0-9_]*$/.test(value.slice(0, eq))) {
      yamlAssign(snippet, value.slice(0, eq), value.slice(eq + 1), verbatim ? [inner[0] + eq + 1, inner[1]] : inner, order)
    }
  }

  /**
   * Whether a pair is the path of a route match by definition: Gateway API's `path: {type:
   * PathPrefix, value: /x}` (or `Exact`), Istio's `uri: {prefix: /x}` (or `exact`). Not their
   * regular expressions.
   */
  function routeMatch(key: string, path: readonly unknown[]): boolean {
    const map = path[path.length - 1]
    const owner = path[path.length - 2]
    if (!isMap(map) || !isPair(owner) || owner.value !== map || !isScalar(owner.key)) return false
    const under = owner.key.value
    if (under === 'path' && key === 'value') return map.get('type') === 'PathPrefix' || map.get('type') === 'Exact'
    return under === 'uri' && (key === 'prefix' || key === 'exact')
  }

  /**
   * Whether a route match (an Ingress `path`, Istio `uri.prefix`, a Gateway API path `value`) is
   * rewritten before the request reaches the backend, so that it is the proxy's public path and
   * not the service's: an Ingress with an annotation that rewrites or strips it (`rewritesPath`),
   * an Istio route with `rewrite.uri` or a `redirect` to a path, a Gateway API rule with a
   * `URLRewrite` or `RequestRedirect` filter that sets a path. The rewrite's own target is the
   * service's path (`rewriteTarget`).
   */
  function rewrittenMatch(path: readonly unknown[]): boolean {
    const doc = path[0]
    if (isDocument(doc) && isMap(doc.contents) && doc.contents.get('kind') === 'Ingress') {
      const annotations = doc.contents.getIn(['metadata', 'annotations'])
      if (isMap(annotations) && annotations.items.some((pair) => isScalar(pair.key) && rewritesPath(String(pair.key.value), isScalar(pair.value) ? pair.value.value : undefined))) return true
    }
    for (const node of path) {
      if (!isMap(node)) continue
      if (node.has('match') && (node.hasIn(['rewrite', 'uri']) || node.hasIn(['rewrite', 'uriRegexRewrite']) || node.hasIn(['redirect', 'uri']))) return true
      const filters = node.has('matches') ? node.get('filters') : undefined
      if (isSeq(filters) && filters.items.some((f) => isMap(f) && (f.hasIn(['urlRewrite', 'path']) || f.hasIn(['requestRedirect', 'path'])))) return true
    }
    return false
  }

  /**
   * Whether a pair is where a proxy's rewrite sends requests (a path of the service):
   * ingress-nginx's `rewrite-target` annotation, Istio's `rewrite: {uri: …}`, a Gateway API
   * `URLRewrite` filter's `replacePrefixMatch` or `replaceFullPath`. Redirect targets are public
   * paths, not read.
   */
  function rewriteTarget(key: string, path: readonly unknown[]): boolean {
    // HAProxy's `path-rewrite` is a pattern and its replacement, not a path.
    if (key.endsWith('/rewrite-target')) return true
    const owner = path[path.length - 2]
    const under = isPair(owner) && isScalar(owner.key) ? String(owner.key.value) : undefined
    if (key === 'uri') return under === 'rewrite'
    if (key !== 'replacePrefixMatch' && key !== 'replaceFullPath') return false
    const filter = path[path.length - 4]
    return under === 'path' && isPair(filter) && isScalar(filter.key) && filter.key.value === 'urlRewrite'
  }

  /** Whether the map holding a pair (the last of `path`) is the `data` of a Kubernetes Secret. */
  function secretData(path: readonly unknown[]): boolean {
    const doc = path[0]
    const owner = path[path.length - 2]
    return path.length === 4 && isPair(owner) && isScalar(owner.key) && owner.key.value === 'data' && isDocument(doc) && isMap(doc.contents) && doc.contents.get('kind') === 'Secret'
  }

  /** Whether the map holding a pair (the last of `path`) is the value of an `env`, `environment` or `stringData` key. */
  function valueMapKey(path: readonly unknown[]): boolean {
    const owner = path[path.length - 2]
    return isPair(owner) && isScalar(owner.key) && valueMapKeys.has(String(owner.key.value)) && owner.value === path[path.length - 1]
  }

  /**
   * A YAML scalar that holds shell (`run: |`, `script:` items), read as a shell block at its own
   * offsets: requests, assignments, generators, here-documents.
   */
  function yamlScript(snippet: Snippet, scalar: Scalar, scripts: Set<Scalar>) {
    scripts.add(scalar)
    const text = snippet.value
    const [start, end] = scalar.range!
    const [inner0, inner1] = innerRange(scalar)
    // Block scalar: skip the `|`/`>` header line.
    const block = scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED
    const body = block ? text.indexOf('\n', start) + 1 || end : inner0
    const stop = block ? end : inner1
    shell(snippet, prepareShell(only(text, body, stop), false))
  }

  /**
   * A value that is one Go template action (`{{ randAlphaNum 32 | b64enc }}`, `{{ .Values.x |
   * default "changeme" }}`): what it renders with the chart's values unset. A Sprig generator
   * the model follows is a generator of the value, without the `quote` that only quotes it for
   * YAML, and in a Secret's `data` without the `b64enc` Kubernetes decodes (one missing there is
   * marked `unencoded`); a literal `default` is the value's fallback, as in `${NAME:-default}`.
   * `lookup` finds nothing on first install, so the `default` after it is what renders then: a
   * generator drawn once, or a literal (`kept`) that every upgrade keeps. A value reference alone,
   * `required` and anything else render nothing known.
   */
  function templateAssign(snippet: Snippet, name: string, action: TemplateValue, data: boolean) {
    const {pipeline, quoted, scope} = action
    const assignment: Assignment = {snippet, start: pipeline.start, end: pipeline.end, name, refs: [], gens: [], sources: [], order: snippet.start + pipeline.start}
    facts.assignments.push(assignment)
    const rendered = renderedWhenUnset(pipeline, scope)
    if (!rendered) return
    const names = rendered.kind === 'generator' ? rendered.stages.map((s) => s.stage.name) : rendered.after
    const last = names.length
    // `{{ … | quote }}` written bare renders a YAML quoted scalar; inside YAML quotes it breaks
    // them.
    const yamlQuote = last > 0 && (names[last - 1] === 'quote' || names[last - 1] === 'squote')
    if (yamlQuote && quoted) return
    const kept = yamlQuote ? last - 1 : last
    const encoded = data && kept > 0 && names[kept - 1] === 'b64enc'
    const core = encoded ? kept - 1 : kept
    if (rendered.kind === 'fallback' || rendered.kind === 'kept') {
      if (names.slice(0, core).some((n) => n !== 'toString')) return
      const value = data && !encoded ? decodeBase64(rendered.value) : rendered.value
      if (value === undefined) return
      assignment.fallback = {name: rendered.subject, operator: 'default', value, start: rendered.start, end: rendered.end}
      if (value !== rendered.value) assignment.fallback.written = rendered.value
      // A generator in the literal's place is encoded there for a Secret's `data`, unless a
      // `b64enc` after `default` does it.
      if (rendered.kind === 'kept') assignment.fallback.kept = {encode: data && !(encoded && kept > rendered.inner.length), wrap: rendered.wrap}
      return
    }
    const placed = rendered.stages.slice(0, core)
    if (placed.length === 0) return
    const stages = placed.map((p) => p.stage)
    const analysis = analyzePipeline(stages)
    if (analysis.status !== 'exact') return
    const start = Math.min(...placed.map((p) => p.start))
    const end = Math.max(...placed.map((p) => p.end))
    // A generator defined in a variable and changed where it is used (`$jwt | upper`) is written
    // in two places: no one range to fix.
    if (/\}\}|\n/.test(snippet.value.slice(start, end))) return
    const gen: GenUse = {snippet, start, end, printEnd: end, stages, output: analysis.output, targets: [], order: assignment.order}
    if (data && !encoded) {
      // Base64 as printed (`randBytes 32`) is what the author means the Secret to decode.
      if (analysis.output.alphabet === 'base64') return
      const decoded = analyzePipeline([...stages, {name: 'b64dec', args: [], template: true}])
      gen.unencoded = decoded.status === 'exact' ? {decodedBytes: decoded.output.chars} : {}
    }
    facts.generators.push(gen)
    assignment.gens.push(gen)
  }

  /** A YAML (TOML, HCL) env value: literal, or a shell command substitution (parsed in place). */
  function yamlAssign(snippet: Snippet, name: string, value: string, range: [number, number], order: number, base64 = false) {
    const assignment: Assignment = {snippet, start: range[0], end: range[1], name, value, valueStart: range[0], valueEnd: range[1], refs: [], gens: [], sources: [], order: snippet.start + order}
    if (base64) {
      const decoded = decodeBase64(value)
      if (decoded !== undefined) {
        assignment.value = decoded
        assignment.encoded = 'base64'
      }
      facts.assignments.push(assignment)
      return
    }
    // A JSON object as the value, placed in the source: written verbatim (plain, single-quoted),
    // or through the escapes of a one-line double-quoted scalar (`"{\"secret\":\"kong\"}"`).
    if (!value.includes('$')) {
      const written = snippet.value.slice(range[0], range[1])
      const escaped = written === value ? undefined : doubleQuotedValue(written)
      if (written === value || escaped?.value === value) {
        const at = (offset: number) => range[0] + (escaped ? escaped.offsets[offset] : offset)
        // A string member ends where its closing quote is written (`\"` in a double-quoted scalar).
        const json = jsonStrings(value).map((s) => ({key: s.key, value: s.value, start: at(s.start), end: at(s.end)}))
        if (json.length > 0) assignment.json = json
      }
    }
    if (value.includes('$')) {
      // Parse just the value, at its own offsets, as a shell word.
      const text = snippet.value
      const script = parseShell(only(text, range[0], range[1]))
      assignment.value = undefined
      assignment.valueStart = assignment.valueEnd = undefined
      for (const word of script.words) {
        assignment.refs.push(...word.refs)
        for (const pipelines of word.substitutions) {
          for (const pipeline of pipelines) {
            const gen = generator(snippet, pipeline, assignment.order)
            if (gen && 'output' in gen) assignment.gens.push(gen)
            else if (gen) assignment.sources.push(gen)
          }
        }
      }
      fallbackOf(assignment, script.words)
    }
    facts.assignments.push(assignment)
  }

  function shell(snippet: Snippet, prepared: string) {
    const script = parseShell(prepared)
    facts.scripts.push({snippet, script})
    const original = snippet.value
    const nested = new Set<ShPipeline>()
    for (const word of script.words) for (const list of [...word.substitutions, ...word.processes]) for (const p of list) nested.add(p)

    // URLs in every word; host-less URLs in arguments of HTTP clients.
    const clientArgs = new Set<ShWord>()
    const methods = new Map<ShWord, string>()
    const methodWords = new Map<ShWord, ShWord>()
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        let inClient = clients.has(runCommand(command).name ?? '')
        let method: string | undefined
        let methodWord: ShWord | undefined
        for (let index = 0; index < command.args.length; index++) {
          const arg = command.args[index]
          const value = arg.value ?? ''
          if (!inClient && clients.has(value)) {
            inClient = true
            continue
          }
          if (!inClient) continue
          if (value === '-X' || value === '--request') {
            method = command.args[index + 1]?.value?.toUpperCase()
            methodWord = command.args[index + 1]
          } else if (value.startsWith('--request=')) {
            method = value.slice(10).toUpperCase()
            methodWord = undefined
          } else if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(value) && index === 0) {
            method = value
            methodWord = arg
          }
          clientArgs.add(arg)
        }
        if (method) {
          for (const arg of command.args) {
            if (!clientArgs.has(arg)) continue
            methods.set(arg, method)
            if (methodWord && methodWord.value === methodWord.raw) methodWords.set(arg, methodWord)
          }
        }
      }
    }
    for (const word of script.words) {
      const raw = original.slice(word.start, word.end)
      const hits = scanUrls(raw, options.hosts)
      const methodWord = methodWords.get(word)
      const methodRange: [number, number] | undefined = methodWord ? [methodWord.start, methodWord.end] : undefined
      for (const hit of hits) url(snippet, hit, 'url', methods.get(word), word.start, methodRange)
      if (hits.length === 0 && clientArgs.has(word)) {
        const unquoted = stripQuotes(raw)
        const hit = scanClientArg(unquoted.text, options.hosts)
        if (hit) url(snippet, hit, 'client', methods.get(word), word.start + unquoted.offset, methodRange)
      }
      // A Traefik router rule in an argument:
      // `docker run -l 'traefik.http.routers.x.rule=PathPrefix(`/x`)'`.
      if (word.value?.includes('Path')) {
        traefikPaths(snippet, word.value, (from, to) => {
          const range = valueRange(word, from, to)
          return range && range.quote !== 'mixed' ? [range.start, range.end] : undefined
        })
      }
    }
    for (const comment of script.comments) {
      const body = original.slice(comment.start + 1, comment.end)
      for (const hit of scanUrls(body, options.hosts)) url(snippet, hit, 'url', undefined, comment.start + 1)
      for (const hit of scanBarePaths(body)) url(snippet, hit, 'prose', undefined, comment.start + 1)
    }

    // Assignments: `NAME=…`, `export NAME=…`, `FOO=bar cmd`.
    const prefixAssigns = script.pipelines.flatMap((p) => p.commands.flatMap((c) => c.env))
    for (const assign of [...script.assigns, ...prefixAssigns]) {
      if (!assign.name) continue
      // A systemd unit's `Environment=NAME=value` (an `ini` or `systemd` block) sets NAME.
      const unit = snippet.lang === 'dotenv' && assign.name === 'Environment' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(assign.value?.value ?? '') : null
      if (unit) facts.assignments.push(assignmentOf(snippet, unit[1], assign.value, assign.start, assign.end, false, [unit[0].length, assign.value!.value!.length]))
      else facts.assignments.push(assignmentOf(snippet, assign.name, assign.value, assign.start, assign.end, false))
    }
    // Files a generator writes (`openssl rand -base64 32 > key.txt`), for the secrets read from them.
    for (const pipeline of script.pipelines) {
      const file = nested.has(pipeline) ? undefined : writtenFile(pipeline)
      const gen = file === undefined ? undefined : generator(snippet, pipeline, snippet.start + pipeline.start)
      if (file !== undefined && gen) written.set(file, gen)
    }
    // Arguments that carry `NAME=value`: `--from-literal=NAME=…`, `-e NAME=…`, `--env NAME=…`.
    for (const pipeline of script.pipelines) {
      pipedSecret(snippet, pipeline)
      for (const command of pipeline.commands) fileSecrets(snippet, command, snippet.start + pipeline.start)
      for (const command of pipeline.commands) {
        // `gh secret set JWT_SECRET --body …`, `aws ssm put-parameter --name … --value …`.
        const store = secretStore(command)
        if (store?.value) {
          const {word, from} = store.value
          const slice: [number, number] | undefined = from > 0 && word.value !== undefined ? [from, word.value.length] : undefined
          facts.assignments.push(assignmentOf(snippet, store.key, word, word.start, word.end, false, slice))
        }
        const printed = printfAssignments(command)
        if (printed) {
          for (const {name, word, start, slice} of printed) facts.assignments.push(assignmentOf(snippet, name, word, start, word.end, false, slice))
          continue
        }
        for (const arg of command.args) {
          const name = argumentName(arg)
          if (name) facts.assignments.push(assignmentOf(snippet, name, arg, arg.start, arg.end, true))
        }
        const set = setxAssignment(command)
        if (set) facts.assignments.push(assignmentOf(snippet, set.name, set.value, command.start, set.value.end, false))
      }
    }
    // `${JWT_SECRET:=changeme}` sets the variable when it is unset wherever the shell expands it:
    // after the null command (`: "${…}"`, the idiom for a default), and in any other word
    // (`echo "${ENCRYPTION_KEY:=$(openssl rand -base64 32)}"`). The value of an assignment to the
    // same name (`JWT_SECRET=${JWT_SECRET:=changeme}`) is read as that assignment already.
    const values = new Map([...script.assigns, ...prefixAssigns].flatMap((a) => (a.value ? [[a.value, a.name] as const] : [])))
    for (const word of script.words) {
      if (word.assigns && values.get(word) !== word.assigns) facts.assignments.push(assignmentOf(snippet, word.assigns, word, word.start, word.end, false))
    }
    // Port forwards: which local port reaches which remote one.
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        for (const [local, remote] of forwardsOf(command)) facts.forwards.push({local, remote, snippet, order: snippet.start + command.start})
      }
    }
    // Bare generators: a pipeline that only prints a secret.
    for (const pipeline of script.pipelines) {
      if (nested.has(pipeline)) continue
      generator(snippet, pipeline, snippet.start + pipeline.start)
    }
    // Here-documents: a manifest for `kubectl apply -f -`, a `.env` or a config file written with
    // `cat > file <<EOF`, a script for `bash`/`sh`: read in their own language, in place. In a
    // transcript, one whose body is written as it is (not behind `> ` continuation prompts).
    for (const heredoc of script.heredocs) {
      const lang = heredocLang(heredoc)
      if (!lang || heredoc.end <= heredoc.start) continue
      if (snippet.transcript && prepared.slice(heredoc.start, heredoc.end) !== original.slice(heredoc.start, heredoc.end)) continue
      read(subSnippet(snippet, heredoc.start, heredoc.end, lang))
    }
    if (!snippet.transcript) {
      // The same for a manifest or a config file in one quoted argument: `echo '…' | kubectl
      // apply -f -`, `echo '…' >> main.tf`. (Not a `.env` or a script: the shell reads the
      // argument's `NAME=value` words already.)
      for (const pipeline of script.pipelines) {
        const [first, ...pipe] = pipeline.commands
        const text = first && invocation(first).name === 'echo' ? echoed(first) : undefined
        if (!text) continue
        const lang = heredocLang({command: first, pipe})
        if (lang === 'yaml' || lang === 'json' || lang === 'toml' || lang === 'hcl') read(subSnippet(snippet, text.start, text.end, lang))
      }
    }
    void (script satisfies ShScript)
  }

  /**
   * `openssl rand -hex 32 | docker secret create jwt_secret -` (podman too): the secret is what the
   * commands before the store print, read as a generator of their own.
   */
  function pipedSecret(snippet: Snippet, pipeline: ShPipeline) {
    const store = pipeline.commands.length > 1 ? secretStore(pipeline.commands.at(-1)!) : undefined
    if (!store?.stdin) return
    const commands = pipeline.commands.slice(0, -1)
    const order = snippet.start + pipeline.start
    const gen = generator(snippet, {start: commands[0].start, end: commands.at(-1)!.end, commands}, order)
    if (gen) rawSecret(snippet, store.name, store.key, gen, order)
  }

  /**
   * A secret read from a file a generator wrote earlier in the document: `kubectl create secret
   * generic x --from-file=encryption-key=key.txt` (or `--from-file=key.txt`, the file's name as
   * the key), `docker secret create encryption_key key.txt` (podman too).
   */
  function fileSecrets(snippet: Snippet, command: ShCommand, order: number) {
    for (const {name, word, file, process} of secretFiles(command)) {
      if (process) {
        // The file is a process substitution: what its commands print (`<(openssl rand -hex 32)`).
        const gen = generator(snippet, process, order)
        if (gen) rawSecret(snippet, word, name, gen, order)
        continue
      }
      const gen = written.get(file!)
      if (gen && gen.order < order) rawSecret(snippet, word, name, gen, order)
    }
  }

  /** The secret `name` (written at `word`) is `gen`'s output as printed, trailing newline included. */
  function rawSecret(snippet: Snippet, word: ShWord, name: string, gen: GenUse | SourceUse, order: number) {
    const fed = 'output' in gen ? {gens: [gen], sources: []} : {gens: [], sources: [gen]}
    facts.assignments.push({snippet, start: word.start, end: word.end, name, refs: [], ...fed, piped: true, order})
  }

  /** `slice`: where in the word's value the value is (a line of a printf format); else its end. */
  function assignmentOf(snippet: Snippet, name: string, word: ShWord | undefined, start: number, end: number, argument: boolean, slice?: [number, number]): Assignment {
    const value = word?.value === undefined ? undefined : slice ? word.value.slice(...slice) : argument ? argumentValue(word) : word.value
    const assignment: Assignment = {
      snippet,
      start,
      end,
      name,
      value,
      refs: word?.refs ?? [],
      gens: [],
      sources: [],
      order: snippet.start + start
    }
    if (word?.value !== undefined && value !== undefined) {
      // Where the value is written, from the parse: `kong` in `-e "KONG_PASSWORD=kong"`.
      const [base, to] = slice ?? [word.value.length - value.length, word.value.length]
      const range = valueRange(word, base, to)
      if (range) [assignment.valueStart, assignment.valueEnd, assignment.valueQuote] = [range.start, range.end, range.quote]
      // A JSON object as the value: each string placed through the same parse.
      const json = jsonStrings(value).flatMap((s) => {
        const at = valueRange(word, base + s.start, base + s.end)
        return at ? [{key: s.key, value: s.value, start: at.start, end: at.end, quote: at.quote}] : []
      })
      if (json.length > 0) assignment.json = json
    }
    for (const list of word?.substitutions ?? []) {
      for (const pipeline of list) {
        const gen = generator(snippet, pipeline, assignment.order)
        if (gen && 'output' in gen) assignment.gens.push(gen)
        else if (gen) assignment.sources.push(gen)
      }
    }
    if (word) fallbackOf(assignment, [word])
    return assignment
  }

  /** The value's one fallback, where the value is one expansion and nothing runs in it. */
  function fallbackOf(assignment: Assignment, words: ShWord[]) {
    const fallbacks = words.flatMap((w) => w.fallbacks ?? [])
    if (fallbacks.length !== 1 || assignment.refs.length !== 1 || words.some((w) => w.substitutions.length > 0 || w.processes.length > 0)) return
    assignment.fallback = fallbacks[0]
  }

  function generator(snippet: Snippet, pipeline: ShPipeline, order: number): GenUse | SourceUse | undefined {
    const existing = facts.generators.find((g) => g.snippet === snippet && g.start === pipeline.start && g.end === pipeline.end) ??
      facts.sources.find((g) => g.snippet === snippet && g.start === pipeline.start && g.end === pipeline.end)
    if (existing) return existing
    // A line the parse could make nothing of (`|| echo | echo` at the start of one).
    if (pipeline.commands.length === 0) return undefined
    // `cat <(openssl rand -base64 32)` prints what the process substitution prints: alone, it is
    // that generator (whose words a fix changes); piped on, its commands stand in for `cat`.
    const read = catProcess(pipeline.commands[0])
    if (pipeline.commands.length === 1 && read) return generator(snippet, read, order)
    const stages = stagesOf(pipeline.commands)
    if (!stages || stages.length === 0) return undefined
    // `… > key.txt`: the value is printed before the redirect.
    const last = pipeline.commands[pipeline.commands.length - 1]
    const printEnd = last.redirects.some((r) => r.op === '>' || r.op === '>>' || r.op === '>|')
      ? Math.max(last.name?.end ?? last.start, ...last.args.map((a) => a.end))
      : pipeline.end
    const analysis = analyzePipeline(stages)
    if (analysis.status === 'exact') {
      const gen: GenUse = {snippet, start: pipeline.start, end: pipeline.end, printEnd, stages, output: analysis.output, targets: [], order}
      facts.generators.push(gen)
      return gen
    }
    const weak = analysis.status === 'variable' ? {bits: analysis.bits, reason: analysis.reason} : constantSource(stages)
    if (!weak) return undefined
    const source: SourceUse = {snippet, start: pipeline.start, end: pipeline.end, printEnd, stages, ...weak, targets: [], order}
    facts.sources.push(source)
    return source
  }
}

/** A Python or JavaScript variable read with a literal default, as a shell block's fallback. */
function literalFallback(read: PyFallback): Fallback | undefined {
  if (read.value.kind !== 'literal') return undefined
  const {variable, start, end, required, raises, reads, setting, operator = ''} = read
  const fallback: Fallback = {name: variable, operator, value: read.value.literal.value, start, end, required, raises, reads}
  if (setting) fallback.setting = true
  return fallback
}

/**
 * The stages of a pipeline's commands, as the generator model reads them: a `< file` redirect is
 * the stage's input, and a first `cat` of a process substitution is the commands in it.
 */
function stagesOf(commands: readonly ShCommand[]): Stage[] | undefined {
  const stages: Stage[] = []
  for (const [index, command] of commands.entries()) {
    const inner = index === 0 ? catProcess(command) : undefined
    const made = inner ? stagesOf(inner.commands) : undefined
    if (inner && !made) return undefined
    if (made) {
      stages.push(...made)
      continue
    }
    const {name, args} = runCommand(command)
    if (!name) return undefined
    const stage: Stage = {name, args: args.map((a) => a.value ?? a.raw)}
    const input = command.redirects.find((r) => r.op === '<')
    if (input?.target?.value) stage.stdin = input.target.value
    stages.push(stage)
  }
  return stages
}

/**
 * The pipeline `cat` prints when it reads one process substitution and nothing else: `cat
 * <(openssl rand -base64 32)`, `cat < <(…)`.
 */
function catProcess(command: ShCommand): ShPipeline | undefined {
  const {name, args} = runCommand(command)
  if (name !== 'cat') return undefined
  const inputs = command.redirects.filter((r) => r.op === '<')
  if (args.length === 1 && inputs.length === 0) return processOnly(args[0])
  if (args.length === 0 && inputs.length === 1 && inputs[0].target) return processOnly(inputs[0].target)
  return undefined
}

/**
 * Windows' `setx NAME value` (`/M` after it), run from a shell block (Git Bash, a `bat` block):
 * NAME set to `value` for every later session, as PowerShell's `setx` is read
 * (core/facts/powershell.ts). Not `setx /S host …` or `setx NAME /K key`, which read a value
 * from elsewhere.
 */
function setxAssignment(command: ShCommand): {name: string; value: ShWord} | undefined {
  const {name, args} = runCommand(command)
  if (name?.toLowerCase() !== 'setx' && name?.toLowerCase() !== 'setx.exe') return undefined
  const [key, value] = args
  if (!key?.value || !/^[A-Za-z_]\w*$/.test(key.value) || !value || value.value?.startsWith('/')) return undefined
  return {name: key.value, value}
}

/** printf's conversions: `%%`, or flags, width, precision and a conversion letter. */
const conversion = /%(?:%|[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[diouxXfFeEgGaAcsbq])/g

/** A variable written by printf: the word that holds its value, and where in it the value is. */
interface Printed {
  name: string
  word: ShWord
  start: number
  /** The value's range in `word.value` (the whole value when absent). */
  slice?: [number, number]
}

/**
 * What `printf` writes to variables. Each line of its format (lines end at `\n`) that reads
 * `NAME=value` is an assignment: a lone `%s` (or `%b`) as the value is the argument it takes
 * (`printf 'KEY=%s\n' "$(…)"`: the value is the command's output, not `%s\n`), literal text is
 * itself, and a value mixing text and conversions (`KEY=pre-%s`) is not read. A lone `%s` as
 * the name is its argument's literal text (`printf '%s=%s\n' KEY "$(…)"`). `printf -v NAME
 * '%s' "$(…)"` assigns the argument. Undefined when the command is not printf.
 */
function printfAssignments(command: ShCommand): Printed[] | undefined {
  const {name, args} = runCommand(command)
  if (name !== 'printf') return undefined
  let at = 0
  let target: ShWord | undefined
  if (args[at]?.value === '-v') {
    target = args[at + 1]
    at += 2
  }
  if (args[at]?.value === '--') at++
  const format = args[at]
  const values = args.slice(at + 1)
  if (!format || format.value === undefined) return []
  if (target) {
    const variable = target.value ?? ''
    const lone = format.value === '%s' || format.value === '%b'
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) && lone && values[0] ? [{name: variable, word: values[0], start: target.start}] : []
  }
  const out: Printed[] = []
  let taken = 0
  const lineBreak = /\\n|\n/g
  let from = 0
  for (const end of [...[...format.value.matchAll(lineBreak)].map((m) => m.index), format.value.length]) {
    const line = format.value.slice(from, end)
    const specs = [...line.matchAll(conversion)].filter((m) => m[0] !== '%%')
    const assigned = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*|%[sb])=/.exec(line)
    if (assigned) {
      const valueStart = assigned[0].length
      const rest = line.slice(valueStart)
      // `%s=%s` takes the name from its argument too: `printf '%s=%s\n' KEY "$(…)"`.
      const named = assigned[1].startsWith('%')
      const variable = named ? values[taken]?.value ?? '' : assigned[1]
      const next = named ? taken + 1 : taken
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
        if ((rest === '%s' || rest === '%b') && values[next]) out.push({name: variable, word: values[next], start: format.start})
        else if (!rest.includes('%')) out.push({name: variable, word: format, start: format.start, slice: [from + valueStart, end]})
      }
    }
    taken += specs.length
    from = end + (format.value.startsWith('\\n', end) ? 2 : 1)
  }
  return out
}

/** The file a pipeline's output is written to with `>` (not appended), as a normal path. */
function writtenFile(pipeline: ShPipeline): string | undefined {
  const redirect = pipeline.commands.at(-1)?.redirects.find((r) => r.op === '>' || r.op === '>|')
  const target = redirect?.target?.value
  return target ? normalFile(target) : undefined
}

function normalFile(file: string): string {
  return file.replace(/^(?:\.\/)+/, '')
}

/**
 * The secrets a command reads from files: their names, the words that name them, and the files,
 * or the one pipeline of a process substitution given as the file (`<(openssl rand -hex 32)`).
 */
function secretFiles(command: ShCommand): Array<{name: string; word: ShWord; file?: string; process?: ShPipeline}> {
  const {name, args} = runCommand(command)
  const values = args.map((a) => a.value)
  if (name === 'kubectl' && values[0] === 'create' && values[1] === 'secret') {
    const out: Array<{name: string; word: ShWord; file?: string; process?: ShPipeline}> = []
    for (let i = 2; i < args.length; i++) {
      const value = values[i]
      // `--from-file=encryption-key=<(…)`: the shell substitutes inside the word, and
      // tree-sitter-bash reads the substitution as the next word, written right after it.
      const process = value?.startsWith('--from-file=') && value.endsWith('=') && args[i + 1]?.start === args[i].end ? processOnly(args[i + 1]) : undefined
      if (process) {
        const key = value!.slice('--from-file='.length, -1)
        if (key !== '') out.push({name: key, word: args[i], process})
        i++
        continue
      }
      const spec = value?.startsWith('--from-file=') ? value.slice('--from-file='.length) : value === '--from-file' ? values[++i] : undefined
      if (!spec) continue
      const eq = spec.indexOf('=')
      const file = normalFile(eq > 0 ? spec.slice(eq + 1) : spec)
      out.push({name: eq > 0 ? spec.slice(0, eq) : file.slice(file.lastIndexOf('/') + 1), word: args[i], file})
    }
    return out
  }
  const store = secretStore(command)
  if (!store?.file) return []
  return 'process' in store.file ? [{name: store.key, word: store.name, process: store.file.process}] : [{name: store.key, word: store.name, file: normalFile(store.file.path)}]
}

/** `--from-literal=NAME=$(…)` → `NAME`; `NAME=$(…)` (after `-e`) → `NAME`. */
function argumentName(word: ShWord): string | undefined {
  let prefix = word.value ?? word.literalPrefix
  for (const option of valueOptions) if (prefix.startsWith(option)) prefix = prefix.slice(option.length)
  const eq = prefix.indexOf('=')
  if (eq <= 0) return undefined
  const name = prefix.slice(0, eq)
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : undefined
}

function argumentValue(word: ShWord): string | undefined {
  if (word.value === undefined) return undefined
  const name = argumentName(word)
  if (!name) return word.value
  return word.value.slice(word.value.indexOf(name + '=') + name.length + 1)
}

function stripQuotes(raw: string): {text: string; offset: number} {
  const q = raw[0]
  if ((q === '"' || q === "'") && raw.length >= 2 && raw.endsWith(q)) return {text: raw.slice(1, -1), offset: 1}
  return {text: raw, offset: 0}
}

/**
 * What a base64 value (a Kubernetes Secret's `data`) decodes to, when it is canonical base64 of
 * UTF-8 text; undefined otherwise (the value is then judged as written).
 */
function decodeBase64(value: string): string | undefined {
  if (value.length === 0 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined
  const bytes = Buffer.from(value, 'base64')
  if (bytes.toString('base64') !== value) return undefined
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? text : undefined
}


/**
 * The one Go template action a YAML value is (or the branch of a conditional taken with the
 * values unset), and whether YAML quotes are around it: written bare, `{{ … }}` parses as a flow
 * mapping (`templateYaml` writes several actions as one), read from its source range; quoted,
 * only when written without escapes (the value is then the text between the quotes).
 */
function templateValue(text: string, node: unknown, scope: TplScope = noVariables): TemplateValue | undefined {
  const action = (value: string, base: number) => templateAction(value, base) ?? templateBranch(value, base, scope)
  if (isMap(node) && node.flow && node.range) {
    const pipeline = action(text.slice(node.range[0], node.range[1]), node.range[0])
    return pipeline && {pipeline, quoted: false, scope}
  }
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !node.value.includes('{{')) return undefined
  if (node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return undefined
  const [start, end] = innerRange(node)
  if (text.slice(start, end) !== node.value) return undefined
  const pipeline = action(node.value, start)
  return pipeline && {pipeline, quoted: true, scope}
}

/** A block without template variables (most YAML): one map for all, never written. */
const noVariables: TplScope = new Map()

/** A value's action (or the branch taken), in the block's variables. */
interface TemplateValue {
  pipeline: TplPipeline
  quoted: boolean
  scope: TplScope
}

/** YAML keys whose values are shell: GitHub Actions `run`, GitLab CI `script`, Compose/K8s `command`. */
const scriptKeys = new Set(['run', 'script', 'before_script', 'after_script', 'command'])
/** Keys whose map value names values by any key (env vars of a Helm chart, a Secret's data). */
const valueMapKeys = new Set(['env', 'environment', 'stringData'])

/** A config key that sets a value, as an env entry: in capitals anywhere, any name in an env map (`inEnvMap`). */
function envKey(name: string, inEnvMap: boolean): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) || (inEnvMap && /^[A-Za-z][\w-]*$/.test(name))
}
/** Caddyfile directives whose every argument that starts with `/` is a path of the site. */
const caddyPathArgs = new Set(['path', 'redir', 'rewrite', 'uri'])

/**
 * Whether an Ingress annotation rewrites the matched path: ingress-nginx's `rewrite-target`,
 * HAProxy's `path-rewrite`, F5 NGINX's `nginx.org/rewrites`, Kong's `strip-path: "true"`.
 */
function rewritesPath(name: string, value: unknown): boolean {
  if (name === 'konghq.com/strip-path') return String(value) === 'true'
  return name.endsWith('/rewrite-target') || name.endsWith('/path-rewrite') || name === 'nginx.org/rewrites'
}

/**
 * Whether an nginx `location` block sends its requests somewhere other than the same path: a
 * `proxy_pass` (or `grpc_pass`, `uwsgi_pass`…) address with a path of its own, which replaces the
 * matched part (`location /chat/ { proxy_pass http://chatbox:8080/chatbox/; }`: the proxy's public
 * `/chat/` is the service's `/chatbox/`), a `rewrite` or `return` (a redirect from an old path),
 * or files from disk (`root`, `alias`). The location is then the proxy's own path, not the
 * service's; the address's path is read as any URL is. A location that passes requests on as
 * they came (`proxy_pass http://chatbox:8080;`) is the service's path.
 */
function nginxRemaps(body: readonly Directive[]): boolean {
  return body.some((d) => {
    const name = d.name.text
    if (name === 'rewrite' || name === 'return' || name === 'root' || name === 'alias') return true
    if (!/^[a-z]+_pass$/.test(name) || d.args.length === 0) return false
    const address = d.args[0].text
    const scheme = address.indexOf('://')
    if (scheme === -1) return false
    // An upstream name alone (`proxy_pass http://backend;`) passes the path on; so does a socket
    // without a path after it (`http://unix:/run/chatbox.sock`, `…sock:/chatbox/` has one).
    const rest = address.slice(scheme + 3)
    if (rest.startsWith('unix:')) {
      const colon = rest.indexOf(':', 5)
      return colon !== -1 && colon + 1 < rest.length
    }
    return rest.includes('/')
  })
}
/**
 * Caddyfile directives whose first argument, when it starts with `/`, is a path matcher (not
 * `root`, whose lone argument is a directory).
 */
const caddyMatched = new Set([
  'handle', 'handle_path', 'route', 'reverse_proxy', 'respond', 'header', 'request_header', 'encode', 'file_server', 'basic_auth', 'basicauth',
  'forward_auth', 'php_fastcgi', 'abort', 'error', 'templates', 'request_body', 'vars', 'method', 'push', 'log_skip', 'skip_log', 'tracing'
])

/** Commands that rules read in inline code too (`go install x@latest`, `docker run img`). */
const commandWords = new Set(['go', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'pip', 'pip3', 'pipx',
  'uv', 'uvx', 'cargo', 'gem', 'docker', 'podman', 'kubectl', 'helm', 'nerdctl', 'buildah', 'ctr', 'crictl', 'skopeo', 'kustomize'])

/**
 * Every generator and weak source the model knows (core/facts/generators.ts, `constantSource`)
 * holds one of these: random devices and APIs (`/dev/urandom`, `random.choice`, `randomBytes`,
 * `$RANDOM`, Ruby's `SecureRandom`, .NET's `RandomNumberGenerator` and GUIDs), `openssl`, `uuidgen`, Python's `secrets`, `pwgen`, `date`,
 * `rails secret` (`rake secret`), Laravel's `key:generate`, and the scramblers that dress up
 * fixed text (`sha256sum` and the other digests, `base64`, `xxd`, `hexdump`, `od`). A rule that
 * follows a producer's output to a secret keeps the snippets that hold one (core/engine.ts
 * `keepFor`), as the secret may be named elsewhere: in the heading, or in the block that uses the
 * variable. Commands and modules that are also common words are words (`date`, not `update`;
 * `od`; `secrets`).
 */
export const producerNeedles: readonly Needle[] = ['openssl', 'random', 'RANDOM', 'GetBytes', 'RandomNumberGenerator', 'Get-Random', 'get-random', 'New-Guid', 'new-guid', 'NewGuid', 'SecureRandom', 'uuid', {word: 'secrets'}, 'pwgen', {word: 'date'}, 'base64', ...digestCommands, 'xxd', 'hexdump', {word: 'od'}, 'rails secret', 'rake secret', 'key:generate']

/**
 * The text of `echo '…'` (one argument, `-n`/`-e` aside) as written between its quotes: single
 * quotes, or double quotes without backslashes (the text reads as the shell prints it).
 */
function echoed(command: ShCommand): {start: number; end: number} | undefined {
  const words = runCommand(command).args.filter((w) => !/^-[neE]+$/.test(w.raw))
  if (words.length !== 1) return undefined
  const [word] = words
  const quote = word.raw[0]
  if ((quote !== "'" && quote !== '"') || word.raw.length < 2 || word.raw.at(-1) !== quote || word.raw.slice(1, -1).includes(quote)) return undefined
  if (quote === '"' && word.raw.includes('\\')) return undefined
  return {start: word.start + 1, end: word.end - 1}
}

/** The command a shell runs (`runCommand`: `sudo /usr/bin/kubectl` is `kubectl`) and its words' values. */
function invocation(command: ShCommand): {name?: string; words: string[]} {
  const {name, args} = runCommand(command)
  return {name, words: args.map((a) => a.value ?? '')}
}

/** What a here-document's body is, by the command it feeds and the file it is written to; undefined: not read. */
function heredocLang(heredoc: Pick<ShHeredoc, 'command' | 'pipe'>): Snippet['lang'] | undefined {
  const files: string[] = []
  for (const command of [heredoc.command, ...heredoc.pipe]) {
    const {name, words} = invocation(command)
    if ((name === 'kubectl' || name === 'oc') && words[0] !== 'exec') {
      if (words.some((w) => manifestVerbs.has(w)) && words.some((w) => w === '-f' || w === '--filename' || w.startsWith('--filename=') || w.startsWith('-f'))) return 'yaml'
    } else if (name === 'helm' || name === 'docker-compose' || (name === 'docker' && words[0] === 'compose')) {
      // Values or a Compose file from standard input.
      if (words.some((w, i) => ((w === '-f' || w === '--values' || w === '--file') && words[i + 1] === '-') || w === '--values=-' || w === '--file=-')) return 'yaml'
    } else if (name === 'tee') {
      files.push(...words.filter((w) => w !== '' && !w.startsWith('-')))
    } else if (name && shells.has(name) && words.every((w) => w.startsWith('-'))) {
      return 'shell'
    } else if (name === 'ssh' || ((name === 'kubectl' || name === 'oc' || name === 'docker' || name === 'podman') && words[0] === 'exec')) {
      // A shell elsewhere reading the body: `ssh host`, `ssh host bash -s`, `kubectl exec -i pod -- sh`.
      const remote = name === 'ssh' ? sshCommand(words) : words.slice(words.lastIndexOf('--') + 1).filter((w) => !w.startsWith('-')).slice(-1)
      if (remote.length === 0 ? name === 'ssh' : shells.has(remote[0]) && remote.slice(1).every((w) => w.startsWith('-'))) return 'shell'
    }
    for (const redirect of command.redirects) if ((redirect.op === '>' || redirect.op === '>>' || redirect.op === '>|') && redirect.target?.value) files.push(redirect.target.value)
  }
  for (const file of files) {
    const lang = fileLang(file)
    if (lang) return lang
  }
  return undefined
}

const manifestVerbs = new Set(['apply', 'create', 'replace', 'diff'])

/** ssh options that take a value (`-i key`, `-p 2222`). */
const sshValued = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w'])

/** The remote command of `ssh [options] host [command…]`, as words. */
function sshCommand(words: string[]): string[] {
  let at = 0
  while (at < words.length && words[at].startsWith('-')) at += sshValued.has(words[at]) ? 2 : 1
  return words.slice(at + 1)
}
const shells = new Set(['sh', 'bash', 'zsh', 'ksh', 'dash'])

/** The language of a file by its name: `*.yaml`, `*.json`, `*.toml`, `*.tf`, `.env`, `Dockerfile`, `*.sh`. */
function fileLang(file: string): Snippet['lang'] | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1).toLowerCase()
  if (/\.ya?ml$/.test(name)) return 'yaml'
  if (/\.json$/.test(name)) return 'json'
  if (/\.toml$/.test(name)) return 'toml'
  if (/\.(tf|hcl|nomad)$/.test(name)) return 'hcl'
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'dotenv'
  if (name === 'dockerfile' || name === 'containerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile')) return 'dockerfile'
  if (/\.(sh|bash)$/.test(name)) return 'shell'
  return undefined
}

/** `[LOCAL]:REMOTE` or `PORT` (`kubectl port-forward`): [local, remote]; a random local port (`:8080`) is none. */
function portPair(spec: string): [number, number] | undefined {
  const match = /^(\d{1,5})?(?::(\d{1,5}))?$/.exec(spec)
  if (!match || match[1] === undefined) return undefined
  return [Number(match[1]), Number(match[2] ?? match[1])]
}

/** `[IP:]HOST:CONTAINER[/proto]` (`docker run -p`, Compose `ports:`): [host, container]; none for a random host port. */
function publishedPorts(spec: string): [number, number] | undefined {
  const parts = spec.replace(/\/(tcp|udp|sctp)$/, '').split(':')
  if (parts.length < 2 || !/^\d{1,5}$/.test(parts[parts.length - 1]) || !/^\d{1,5}$/.test(parts[parts.length - 2])) return undefined
  return [Number(parts[parts.length - 2]), Number(parts[parts.length - 1])]
}

/** kubectl options that take a value (`-n ns`), before the port-forward's target and ports. */
const kubectlValued = new Set(['-n', '--namespace', '--context', '--cluster', '--kubeconfig', '--address', '--pod-running-timeout', '-l', '--selector', '--user', '-s', '--server'])

/** The [local, remote] ports a command forwards. */
function forwardsOf(command: ShCommand): Array<[number, number]> {
  const {name, words} = invocation(command)
  const out: Array<[number, number]> = []
  if (name === 'kubectl' || name === 'oc') {
    const at = words.indexOf('port-forward')
    if (at === -1) return out
    const positional: string[] = []
    for (let i = at + 1; i < words.length; i++) {
      if (kubectlValued.has(words[i])) i++
      else if (!words[i].startsWith('-')) positional.push(words[i])
    }
    for (const spec of positional.slice(1)) {
      const pair = portPair(spec)
      if (pair) out.push(pair)
    }
  } else if (name === 'docker' || name === 'podman' || name === 'nerdctl') {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]
      const spec = word === '-p' || word === '--publish' ? words[++i] : word.startsWith('--publish=') ? word.slice(10) : /^-p\d/.test(word) ? word.slice(2) : undefined
      const pair = spec === undefined ? undefined : publishedPorts(spec)
      if (pair) out.push(pair)
    }
  } else if (name === 'ssh') {
    for (let i = 0; i < words.length; i++) {
      const spec = words[i] === '-L' ? words[++i] : words[i].startsWith('-L') && words[i].length > 2 ? words[i].slice(2) : undefined
      // `[bind:]LOCAL:host:REMOTE`
      const parts = spec?.split(':') ?? []
      if (parts.length >= 3 && /^\d{1,5}$/.test(parts[parts.length - 3]) && /^\d{1,5}$/.test(parts[parts.length - 1])) out.push([Number(parts[parts.length - 3]), Number(parts[parts.length - 1])])
    }
  }
  return out
}

/** Hashes and encoders: what they print looks random whatever went in. */
const scramblers = new Set(['base64', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'shasum', 'b2sum', 'xxd', 'od', 'hexdump', 'openssl'])

/**
 * `echo -n something | base64`, `printf secret | sha256sum`: fixed text made to look random.
 * Undefined for anything else (a plain `echo hello` prints no secret).
 */
function constantSource(stages: Stage[]): {bits: number; reason: string} | undefined {
  const [first, ...rest] = stages
  if ((first.name !== 'echo' && first.name !== 'printf') || rest.length === 0) return undefined
  if (!rest.some((s) => scramblers.has(s.name) && (s.name !== 'openssl' || /^(base64|enc|dgst|sha\d*|md5)$/.test(s.args[0] ?? '')))) return undefined
  const words = first.args.filter((a) => !/^-[neE]+$/.test(a))
  if (words.some((w) => w.includes('$') || w.includes('`'))) return undefined
  return {bits: 0, reason: `\`${first.name}\` of fixed text carries no randomness, whatever it is piped through`}
}

const generatorNames = new Set(['openssl', 'head', 'tr', 'pwgen', 'uuidgen', 'python', 'python3', 'node', 'ruby', 'rails', 'rake', 'bundle', 'php', 'dd', 'xxd', 'od', 'base64'])
/** Inline code that starts with a generator (`rails secret`, `bin/rails secret`, `bundle exec rake secret`). */
function looksLikeGenerator(first: string): boolean {
  return generatorNames.has(first.slice(first.lastIndexOf('/') + 1))
}
