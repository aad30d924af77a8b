/**
 * Arbitrary Markdown documents built from generated blocks: headings, paragraphs with inline code
 * and links, every fence style (``` ~~~, longer fences, indented code, unterminated fences), info
 * strings (shell family, YAML, TOML, HCL, Dockerfile, nginx, Caddyfile, dotenv, text, `docdrift-ignore`),
 * tables, HTML, lint comments, nested lists and blockquotes, front matter; then a BOM, LF/CRLF
 * mixes and non-ASCII text. The shell inside comes from ./shell.ts.
 */
import fc from 'fast-check'
import {generator, longLine, path, shellBody, shellLine, target, url} from './shell.js'

export interface DocOptions {
  /** Allow 1–12k character lines (the fuzz run). */
  long?: boolean
  /** Nesting depth of lists and blockquotes. */
  depth?: number
}

type Lines = string[]

const prose = fc.constantFrom('Run this', 'The health check', 'naïve café', 'emoji 🚀🔥 here', '日本語のテキスト', 'Set ENCRYPTION_KEY', 'for JWT_SECRET', 'a *bold* _word_', 'escaped \\_under\\_', 'x < y & z', 'see below:', '-', '|', '**')

const inline = fc.oneof(
  prose,
  shellLine.filter((s) => !s.includes('\n') && !s.includes('`')).map((s) => '`' + s + '`'),
  target.map((t) => '`' + t + '`'),
  fc.tuple(prose, url).map(([p, u]) => `[${p}](${u})`),
  url.map((u) => `<${u}>`),
  url,
  path
)

const paragraph = fc.array(inline, {minLength: 1, maxLength: 6}).map((parts) => [parts.join(' ')])
const heading = fc.tuple(fc.integer({min: 1, max: 6}), fc.array(inline, {minLength: 1, maxLength: 3})).map(([n, parts]) => ['#'.repeat(n) + ' ' + parts.join(' ')])

const yamlBody = fc.array(
  fc.oneof(
    path.map((p) => `livenessProbe:\n  httpGet:\n    path: ${p}\n    port: 8080`),
    fc.tuple(fc.constantFrom('ENCRYPTION_KEY', 'JWT_SECRET', 'OTHER'), generator).map(([n, g]) => `env:\n  - name: ${n}\n    value: "$(${g})"`),
    fc.tuple(fc.constantFrom('encryption_key', 'encryptionKey', 'password'), fc.constantFrom('changeme', '"$(openssl rand -base64 32)"')).map(([n, v]) => `server:\n  ${n}: ${v}`),
    url.map((u) => `url: ${u}`),
    path.map((p) => `labels:\n  - "traefik.http.routers.x.rule=Host(\`a\`) && PathPrefix(\`${p}\`)"`),
    path.map((p) => `matches:\n  - path:\n      type: PathPrefix\n      value: ${p}`),
    fc.constantFrom('stages: [test]\ntest:\n  image: {name: golang}\n  services: [postgres:latest, {name: redis, alias: c}, 1, {name: [x]}]\n  script: [go test]', 'services:\n  - name: api\n    port: 80', 'image:\n  registry: ghcr.io\n  repository: acme/x\n  tag: latest\n  pullPolicy: Always', 'image: {repository: [x], tag: latest}', 'images:\n  - name: chatbox\n    newName: ghcr.io/acme/chatbox\n    newTag: latest', 'images: [{name: [a], newTag: latest}]'),
    fc.constantFrom('key: [unclosed', ': : :', '- - -', 'a: "unterminated', 'rule: PathPrefix(`/chat', 'rule: Path("/chat\\\\x")')
  ),
  {minLength: 1, maxLength: 3}
).map((xs) => xs.join('\n'))

const tomlBody = fc.array(
  fc.oneof(
    path.map((p) => `[[http_service.checks]]\n  path = "${p}"`),
    path.map((p) => `[http.routers.x]\nrule = "Host(\`a\`) && PathPrefix(\`${p}\`)"`),
    path.map((p) => `rule = '''\nPathPrefix(\`${p}\`)'''`),
    fc.tuple(fc.constantFrom('ENCRYPTION_KEY', 'JWT_SECRET', 'jwt_secret'), fc.constantFrom('changeme', 'hunter2', '${X}')).map(([n, v]) => `[env]\n  ${n} = "${v}"`),
    fc.tuple(fc.constantFrom('encryption_key', 'encryption-key', 'jwtSecret', 'password'), fc.constantFrom('changeme', '${X}')).map(([n, v]) => `[server]\n${n} = "${v}"`),
    fc.constantFrom('image = "nginx:latest"', 'image = "alpine"', '[[runners]]\n[runners.docker]\n[[runners.docker.services]]\nname = "mysql:latest"'),
    url.map((u) => `url = "${u}" # ${u}`),
    fc.constantFrom('key = <your key>', 'a = "unterminated', '[a]\n[a]', '= = =', "rule = 'PathPrefix(`/chat'")
  ),
  {minLength: 1, maxLength: 3}
).map((xs) => xs.join('\n'))

const hclBody = fc.array(
  fc.oneof(
    path.map((p) => `check {\n  type = "http"\n  path = "${p}"\n}`),
    path.map((p) => `tags = ["traefik.http.routers.x.rule=PathPrefix(\`${p}\`)"]`),
    fc.tuple(fc.constantFrom('ENCRYPTION_KEY', 'JWT_SECRET', 'jwt_secret'), fc.constantFrom('changeme', 'hunter2', '\${var.x}')).map(([n, v]) => `env {\n  ${n} = "${v}"\n}`),
    fc.tuple(fc.constantFrom('encryption_key', 'EncryptionKey', 'password'), fc.constantFrom('changeme', '\${var.x}')).map(([n, v]) => `service "x" {\n  ${n} = "${v}"\n}`),
    fc.constantFrom('config { image = "nginx:latest" }', 'image = "alpine"', 'env = ["JWT_SECRET=x", 1]', 'variable "db_password" { default = "pw" }'),
    url.map((u) => `url = "${u}" # ${u}`),
    fc.constantFrom('port = <port>', 'a = "unterminated', 'job "x" {', '}', '= = =', 'b = "\\"')
  ),
  {minLength: 1, maxLength: 3}
).map((xs) => xs.join('\n'))

const otherBody = fc.oneof(
  target.map((t) => `HEALTHCHECK CMD curl -f ${t}`),
  path.map((p) => `location ${p} {\n    proxy_pass http://backend;\n}`),
  path.map((p) => `handle_path ${p}* {\n    reverse_proxy localhost:8080\n}\nrewrite * ${p}{uri}`),
  fc.tuple(fc.constantFrom('ENCRYPTION_KEY', 'JWT_SECRET'), generator).map(([n, g]) => `${n}=$(${g})`),
  fc.constantFrom('{"url": "http://localhost:8080/chat/healthz"}', 'plain text /chat/healthz', '{"unterminated": ')
)

const shellInfo = fc.constantFrom('bash', 'sh', 'shell', 'zsh', 'console', 'terminal', 'shell-session', '', 'BASH', 'bash docdrift-ignore', 'bash docdrift-ignore=stale-route', 'sh docdrift-ignore=secret-length,stale-route', 'bash {.line-numbers}', 'text', 'output', 'plaintext', 'go', 'bash title="日本"')
const otherInfo = fc.constantFrom('yaml', 'yml', 'dockerfile', 'nginx', 'caddy', 'caddyfile', 'env', 'dotenv', 'ini', 'json', 'text')

function fenced(body: fc.Arbitrary<string>, info: fc.Arbitrary<string>): fc.Arbitrary<Lines> {
  return fc
    .tuple(fc.constantFrom('```', '~~~', '````', '~~~~~'), info, body, fc.integer({min: 0, max: 9}), fc.constantFrom('', ' ', '  '))
    .map(([fence, lang, value, close, indent]) => {
      const lines = [indent + fence + lang, ...value.split('\n')]
      // One time in ten the fence is never closed: the block runs to the end of its container.
      if (close !== 0) lines.push(indent + fence)
      return lines
    })
}

const indentedCode = shellBody.map((body) => body.split('\n').map((line) => '    ' + line))

const table = fc
  .tuple(fc.integer({min: 1, max: 4}), fc.array(fc.array(inline, {minLength: 1, maxLength: 4}), {minLength: 1, maxLength: 3}))
  .map(([width, rows]) => {
    const cell = (row: string[], i: number) => (row[i] ?? '').replace(/\|/g, '\\|')
    const header = Array.from({length: width}, (_, i) => ['Name', 'Variable', 'Value', 'Command'][i])
    return [
      '| ' + header.join(' | ') + ' |',
      '|' + header.map(() => '---').join('|') + '|',
      ...rows.map((row) => '| ' + header.map((_, i) => cell(row, i)).join(' | ') + ' |')
    ]
  })

const html = fc.oneof(
  target.map((t) => ['<div>', `<code>curl ${t}</code>`, '</div>']),
  target.map((t) => [`<!-- curl ${t} -->`]),
  shellBody.map((b) => ['<details><summary>More</summary>', '', '```bash', ...b.split('\n'), '```', '', '</details>']),
  fc.constantFrom('<!--lint disable stale-route-->', '<!--lint enable stale-route-->', '<!--lint ignore secret-length-->', '<!-- unterminated comment', '<br>').map((line): Lines => [line])
)

function leaf(options: DocOptions): fc.Arbitrary<Lines> {
  const arbitraries: Array<fc.WeightedArbitrary<Lines>> = [
    {weight: 3, arbitrary: paragraph},
    {weight: 1, arbitrary: heading},
    {weight: 6, arbitrary: fenced(shellBody, shellInfo)},
    {weight: 2, arbitrary: fenced(yamlBody, fc.constant('yaml'))},
    {weight: 1, arbitrary: fenced(otherBody, otherInfo)},
    {weight: 1, arbitrary: fenced(tomlBody, fc.constantFrom('toml', 'TOML'))},
    {weight: 1, arbitrary: fenced(hclBody, fc.constantFrom('hcl', 'terraform', 'tf'))},
    {weight: 1, arbitrary: indentedCode},
    {weight: 2, arbitrary: table},
    {weight: 1, arbitrary: html}
  ]
  if (options.long) arbitraries.push({weight: 1, arbitrary: fenced(longLine, fc.constant('bash'))}, {weight: 1, arbitrary: longLine.map((l) => ['`' + l + '`'])})
  return fc.oneof(...arbitraries)
}

/** Prefix a container's lines: the first with `first`, the rest with `rest` (blank lines stay short). */
function prefixLines(lines: Lines, first: string, rest: string): Lines {
  return lines.map((line, i) => (i === 0 ? first + line : line === '' ? rest.trimEnd() : rest + line))
}

function blocks(depth: number, options: DocOptions): fc.Arbitrary<Lines> {
  const one = block(depth, options)
  return fc.tuple(fc.array(one, {minLength: 1, maxLength: 3}), fc.boolean()).map(([bs, tight]) => bs.flatMap((b, i) => (i === 0 ? b : tight && i % 2 ? b : ['', ...b])))
}

function block(depth: number, options: DocOptions): fc.Arbitrary<Lines> {
  if (depth <= 0) return leaf(options)
  const inner = blocks(depth - 1, options)
  return fc.oneof(
    {weight: 5, arbitrary: leaf(options)},
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('- ', '* ', '1. ', '10) '), fc.array(inner, {minLength: 1, maxLength: 3}), fc.boolean()).map(([marker, items, loose]) =>
        items.flatMap((item, i) => [...(loose && i > 0 ? [''] : []), ...prefixLines(item, marker, ' '.repeat(marker.length))])
      )
    },
    {weight: 1, arbitrary: inner.map((lines) => prefixLines(lines, '> ', '> ').map((l) => (l === '' ? '>' : l)))}
  )
}

const frontMatter = fc.oneof(
  fc.constant([] as Lines),
  target.map((t) => ['---', 'title: Guide', `health: ${t}`, '---']),
  fc.constant(['+++', 'title = "Guide"', '+++']),
  fc.constant(['---', 'broken: [', '---'])
)

export interface Doc {
  text: string
  /** How the document was put together (shown when a property fails). */
  eol: 'lf' | 'crlf' | 'mixed'
  bom: boolean
}

/** A whole Markdown document. */
export function markdownDoc(options: DocOptions = {}): fc.Arbitrary<Doc> {
  return fc
    .tuple(frontMatter, blocks(options.depth ?? 2, options), fc.constantFrom<Doc['eol']>('lf', 'lf', 'crlf', 'mixed'), fc.integer({min: 0, max: 2 ** 30}), fc.boolean(), fc.integer({min: 0, max: 3}))
    .map(([front, body, eol, seed, finalNewline, bomRoll]) => {
      const lines = [...front, ...body].join('\n').split('\n')
      let text = ''
      lines.forEach((line, i) => {
        if (i > 0) text += eol === 'lf' ? '\n' : eol === 'crlf' ? '\r\n' : (seed >> i % 30) & 1 ? '\r\n' : '\n'
        text += line
      })
      if (finalNewline) text += eol === 'crlf' ? '\r\n' : '\n'
      const bom = bomRoll === 0
      return {text: (bom ? '\uFEFF' : '') + text, eol, bom}
    })
}
