#!/usr/bin/env node
/**
 * Editor latency (issue 5, item 2): how long after a change of a 5,000-line Markdown document
 * the language server publishes its diagnostics.
 *
 * Spawns the real `docdrift-language-server --stdio`, opens a generated document (prose, shell
 * blocks with curl and openssl, tables, YAML, some planted drift) next to a copy of the chatbox
 * example's config, then sends small incremental edits one at a time (typing in prose, a route
 * changed in a curl command, a generator length changed, a table cell edited) and times each
 * didChange → publishDiagnostics of that version. Prints median and p95 and writes them into
 * bench/RESULTS.md between `<!-- lsp-latency:start -->` and `<!-- lsp-latency:end -->`.
 *
 *   npm run build && node bench/lsp-latency.js [--edits 200] [--lines 5000] [--no-write] [--cpu-prof]
 *
 * Not part of `npm test`: timings are reported here, never asserted.
 */
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
const helper = path.join(root, 'dist/test/helpers/lsp.js')
if (!existsSync(helper) || !existsSync(path.join(root, 'dist/server/cli.js'))) {
  console.error('bench/lsp-latency.js: build first (npm run build)')
  process.exit(2)
}
const {LspClient, applyEdits} = await import(pathToFileURL(helper).href)

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at === -1 ? fallback : Number(args[at + 1])
}
const targetLines = option('--lines', 5000)
const editCount = option('--edits', 200)
const write = !args.includes('--no-write')
const profile = args.includes('--cpu-prof')

// A workspace beside the repo's own files (bench/.work is git-ignored): the chatbox example's config and service files.
const work = path.join(here, '.work', 'lsp-latency')
rmSync(work, {recursive: true, force: true})
mkdirSync(work, {recursive: true})
cpSync(path.join(root, 'examples/chatbox'), work, {recursive: true, filter: (source) => !source.endsWith('.md')})

/** One section of an operations guide; `i` varies names and a few planted problems. */
function section(i) {
  // The service's own port (examples/chatbox: `chatbox.listen_addr`, `routes.ports`), so every
  // localhost URL is the service's and is checked.
  const port = 8080
  const stale = i % 7 === 0
  const prefix = stale ? '/chat' : '/chatbox'
  const bytes = i % 11 === 0 ? 32 : 24
  return `## Service ${i}: rollout notes

The ${i}th deployment of chatbox runs behind the gateway in region \`eu-${i % 5}\`. Operators
check its health before switching traffic, and keep the previous release around for an hour so
a rollback is one command. The session store is shared, so visitors keep their conversations
across the switch; agents see a short reconnect in the dashboard.

Before you start, make sure the secrets exist in the target namespace and that the
\`CHATBOX_LISTEN_ADDR\` of the new pods matches the service definition (port ${port}).

\`\`\`bash
export ENCRYPTION_KEY=$(openssl rand -base64 ${bytes})
export JWT_SECRET=$(openssl rand -base64 48)
kubectl -n chat-${i} create secret generic chatbox-secrets \\
  --from-literal=encryption-key="$ENCRYPTION_KEY" \\
  --from-literal=jwt-secret="$JWT_SECRET"

curl -fsS http://localhost:${port}${prefix}/healthz
curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" http://localhost:${port}/chatbox/admin/metrics
\`\`\`

| Check | Command | Expect |
|-------|---------|--------|
| Liveness | \`curl -fsS http://localhost:${port}/chatbox/healthz\` | \`200 ok\` |
| Readiness | \`curl -fsS http://localhost:${port}/chatbox/readyz\` | \`200 ready\` |
| Sessions | \`curl -s http://localhost:${port}/chatbox/sessions\` | a JSON list |

The probes in the manifest use the same paths:

\`\`\`yaml
livenessProbe:
  httpGet:
    path: /chatbox/healthz
    port: ${port}
  periodSeconds: 10
readinessProbe:
  httpGet:
    path: /chatbox/readyz
    port: ${port}
\`\`\`

If the readiness probe fails, read the first log line of the pod: a key of the wrong length is
the usual suspect. See [key management](docs/KEY_MANAGEMENT.md) for rotating keys without
losing transcripts, and remember that \`openssl rand -hex 16\` prints 32 characters.

`
}

let text = '# chatbox operations handbook\n\nGenerated for the language-server latency benchmark.\n\n'
for (let i = 1; text.split('\n').length <= targetLines; i++) text += section(i)
const lines = text.split('\n')
if (lines.length > targetLines) text = lines.slice(0, targetLines).join('\n') + '\n'
const file = path.join(work, 'HANDBOOK.md')
writeFileSync(file, text)
const uri = pathToFileURL(file).href
const lineCount = text.split('\n').length - 1

/** Small edits an author makes: each returns an LSP incremental change against the current text. */
function positionOf(current, offset) {
  const before = current.slice(0, offset)
  const line = before.split('\n').length - 1
  return {line, character: offset - (before.lastIndexOf('\n') + 1)}
}
function replaceAt(current, offset, length, newText) {
  return {range: {start: positionOf(current, offset), end: positionOf(current, offset + length)}, text: newText}
}
function nth(current, needle, n) {
  let at = -1
  for (let k = 0; k <= n; k++) {
    const next = current.indexOf(needle, at + 1)
    if (next === -1) return at
    at = next
  }
  return at
}
const kinds = [
  // Typing a word into a paragraph.
  (current, k) => {
    const at = nth(current, 'Operators\ncheck', k % 40)
    return replaceAt(current, at, 0, 'x')
  },
  // A route in a curl command: /chatbox ↔ /chat.
  (current, k) => {
    const at = nth(current, '/healthz\ncurl', k % 40)
    const start = current.lastIndexOf('/chat', at)
    const stale = current.slice(start, at) === '/chat'
    return replaceAt(current, start, stale ? 5 : 8, stale ? '/chatbox' : '/chat')
  },
  // A generator length: base64 24 ↔ 32.
  (current, k) => {
    const at = nth(current, 'export ENCRYPTION_KEY=$(openssl rand -base64 ', k % 40) + 'export ENCRYPTION_KEY=$(openssl rand -base64 '.length
    return replaceAt(current, at, 2, current.slice(at, at + 2) === '24' ? '32' : '24')
  },
  // A table cell.
  (current, k) => {
    const at = nth(current, '| a JSON list |', k % 40) + 2
    return replaceAt(current, at, 1, current[at] === 'a' ? 'A' : 'a')
  }
]

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const median = (sorted) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2)

const loadBefore = os.loadavg()
/** User + system CPU time of the server process so far (Linux), so that load on the machine does not count. */
function serverCpuMs() {
  try {
    const fields = readFileSync(`/proc/${client.child.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}
const profDir = path.join(here, '.work', 'profiles')
const client = new LspClient(['--stdio'], {cwd: work, nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []})
let summary
try {
  await client.initialize(work)
  let started = performance.now()
  const opened = await client.open(uri, text)
  const openMs = performance.now() - started
  const findings = opened.diagnostics.length

  // Warm-up edits (JIT, caches), not counted.
  let current = text
  for (let k = 0; k < 10; k++) {
    const change = kinds[k % kinds.length](current, k + 1000)
    current = applyEdits(current, [{range: change.range, newText: change.text}])
    await client.change(uri, [change])
  }

  const times = []
  const counts = []
  const cpuBefore = serverCpuMs()
  for (let k = 0; k < editCount; k++) {
    const change = kinds[k % kinds.length](current, k)
    current = applyEdits(current, [{range: change.range, newText: change.text}])
    started = performance.now()
    const result = await client.change(uri, [change])
    times.push(performance.now() - started)
    counts.push(result.diagnostics.length)
  }
  const cpuPerEdit = (serverCpuMs() - cpuBefore) / editCount

  // A burst: 30 keystrokes 30 ms apart (fast typing), then the time until the last version's diagnostics.
  const burst = []
  let last
  for (let k = 0; k < 30; k++) {
    const change = kinds[0](current, k)
    current = applyEdits(current, [{range: change.range, newText: change.text}])
    if (k < 29) {
      await client.send(uri, [change])
      await new Promise((resolve) => setTimeout(resolve, 30))
    } else last = client.diagnostics(uri, await client.send(uri, [change]), 60000)
  }
  started = performance.now()
  await last
  burst.push(performance.now() - started)

  await client.shutdown()
  times.sort((a, b) => a - b)
  summary = {
    lines: lineCount,
    bytes: Buffer.byteLength(text),
    findings,
    edits: editCount,
    openMs,
    median: median(times),
    p95: percentile(times, 95),
    min: times[0],
    max: times.at(-1),
    burstTailMs: burst[0],
    cpuPerEdit,
    diagnosticsRange: [Math.min(...counts), Math.max(...counts)]
  }
} finally {
  client.kill()
}

const f = (ms) => `${ms.toFixed(1)} ms`
console.log(`document: ${summary.lines} lines, ${(summary.bytes / 1024).toFixed(0)} KiB, ${summary.findings} findings on open`)
console.log(`open → diagnostics: ${f(summary.openMs)}`)
console.log(`${summary.edits} edits, change → diagnostics: median ${f(summary.median)}, p95 ${f(summary.p95)} (min ${f(summary.min)}, max ${f(summary.max)})`)
console.log(`server CPU time per edit: ${f(summary.cpuPerEdit)}`)
console.log(`typing burst (30 keystrokes, 30 ms apart): last keystroke → its diagnostics ${f(summary.burstTailMs)}`)
console.log(`load average at start: ${loadBefore.map((n) => n.toFixed(1)).join(' / ')}`)
console.log(`target p95 < 100 ms: ${summary.p95 < 100 ? 'met' : `missed by ${f(summary.p95 - 100)}`}`)
if (profile) console.log(`CPU profile of the server: ${path.relative(root, profDir)}/`)

if (write) {
  const results = path.join(here, 'RESULTS.md')
  const cpus = os.cpus()
  const section = [
    '<!-- lsp-latency:start -->',
    '## Language server latency',
    '',
    `\`node bench/lsp-latency.js\`: the real \`docdrift-language-server --stdio\` process, a generated ${summary.lines}-line`,
    `Markdown document (${(summary.bytes / 1024).toFixed(0)} KiB of prose, shell blocks with curl and openssl, tables, YAML;`,
    `${summary.findings} findings), ${summary.edits} small incremental edits sent one at a time, each timed from \`didChange\``,
    'to the `publishDiagnostics` of that version.',
    '',
    `Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)};`,
    `load average ${loadBefore.map((n) => n.toFixed(1)).join(' / ')} (1 / 5 / 15 min) when the run started: other work on the`,
    'machine stretches every number here.',
    '',
    '| Measure | Time |',
    '|---------|------|',
    `| change → diagnostics, median | ${f(summary.median)} |`,
    `| change → diagnostics, p95 | ${f(summary.p95)} |`,
    `| change → diagnostics, min / max | ${f(summary.min)} / ${f(summary.max)} |`,
    `| server CPU time per edit (user + system, load-independent) | ${f(summary.cpuPerEdit)} |`,
    `| open → first diagnostics (cold) | ${f(summary.openMs)} |`,
    `| typing burst: last of 30 keystrokes (30 ms apart) → its diagnostics | ${f(summary.burstTailMs)} |`,
    '',
    `Target p95 < 100 ms: **${summary.p95 < 100 ? 'met' : `missed by ${f(summary.p95 - 100)}`}**.`,
    '',
    'What bounds it (CPU profile of the server, `node bench/lsp-latency.js --cpu-prof`): the Markdown parse is',
    'incremental (only the blocks around the edit are re-parsed; the cached tree is shared, not copied, when',
    'every plugin leaves trees as they are), checks already outdated by a newer keystroke are skipped, and',
    'shell parses, YAML documents and generator models are memoised by text, so an unchanged block costs no',
    'parse. What is left per keystroke: the docdrift engine walking the whole document again (extraction,',
    'facts from the memoised parses, rules: about half of the server CPU; remark-lint\'s comments are applied',
    'only to documents that have one), and unified-engine per check, where vfile-reporter formats a report',
    'into a discarded stream (string-width on every message). Next lever: keep extracted facts per block',
    'across runs.',
    '<!-- lsp-latency:end -->'
  ].join('\n')
  let existing = existsSync(results) ? readFileSync(results, 'utf8') : '# Benchmark results\n'
  const pattern = /<!-- lsp-latency:start -->[\s\S]*?<!-- lsp-latency:end -->/
  existing = pattern.test(existing) ? existing.replace(pattern, () => section) : existing.replace(/\n*$/, '\n\n') + section + '\n'
  writeFileSync(results, existing)
  console.log(`wrote ${path.relative(root, results)}`)
}
