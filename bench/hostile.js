#!/usr/bin/env node
/**
 * Hostile sizes (issue 6, item 2): a 20 MB Markdown file, a 100,000-line code block, a 1 MB
 * single line (through the engine, as every face runs it), and 50,000 tiny files (through the
 * `docdrift` command). Each case runs at a quarter of its size and at full size, each run in a
 * fresh process, so the CPU time ratio shows the growth (linear: about 4×) and the peak RSS is the
 * run's own. Writes a table into bench/RESULTS.md between `<!-- hostile:start -->` and
 * `<!-- hostile:end -->`.
 *
 *   npm run build && node bench/hostile.js [--scale 0.1] [--no-write] [--only doc,block,line,files]
 *
 * Not part of `npm test` (test/hostile.test.ts checks the same inputs at small sizes, without
 * timing). Timings are reported here, never asserted.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href

const {values} = parseArgs({options: {scale: {type: 'string'}, 'no-write': {type: 'boolean'}, only: {type: 'string'}, child: {type: 'string'}, size: {type: 'string'}}})

/** One measurement, in this (fresh) process. */
async function child(which, size) {
  const h = await import(dist('test/arbitraries/hostile.js'))
  const {chatboxConfig} = await import(dist('test/arbitraries/shell.js'))
  let findings = 0
  let bytes = 0
  if (which === 'files') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'docdrift-hostile-'))
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(chatboxConfig))
    for (let i = 0; i < size; i++) {
      const text = h.tinyFile(i)
      bytes += text.length
      writeFileSync(path.join(dir, `note-${i}.md`), text)
    }
    const made = performance.now()
    const run = spawnSync(process.execPath, [path.join(root, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.docdrift), '--format', 'json', '.'], {cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30})
    const wall = performance.now() - made
    findings = run.stdout.split('"stale-route"').length - 1
    rmSync(dir, {recursive: true, force: true})
    // The command runs in its own processes and threads: wall time only.
    console.log(JSON.stringify({which, size, bytes, findings, status: run.status, wallMs: Math.round(wall), cpuMs: null, maxRssMB: null}))
    return
  }
  const {lintMarkdown} = await import(dist('core/engine.js'))
  const text = which === 'doc' ? h.bigDocument(size) : which === 'block' ? h.bigCodeBlock(size) : h.longSingleLine(size)
  bytes = Buffer.byteLength(text)
  const c0 = process.cpuUsage()
  const w0 = performance.now()
  findings = lintMarkdown({text}, {config: chatboxConfig}).findings.length
  const cpu = process.cpuUsage(c0)
  console.log(JSON.stringify({which, size, bytes, findings, wallMs: Math.round(performance.now() - w0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024)}))
}

if (values.child) {
  await child(values.child, Number(values.size))
  process.exit(0)
}

if (!existsSync(path.join(root, 'dist/core/engine.js'))) {
  console.error('bench/hostile.js: build first (npm run build)')
  process.exit(2)
}

const scale = Number(values.scale ?? 1)
const cases = [
  {which: 'doc', label: 'Markdown file of 20 MB (guide sections: prose, shell, tables, quotes)', unit: 'MB', full: 20e6},
  {which: 'block', label: 'one code block of 100,000 lines', unit: 'lines', full: 100_000},
  {which: 'line', label: 'a single line of 1 MB (inline code, URLs, paths)', unit: 'MB', full: 1e6},
  {which: 'files', label: '50,000 tiny files, `docdrift --format json .`', unit: 'files', full: 50_000}
].filter((c) => !values.only || values.only.split(',').includes(c.which))

function measure(which, size) {
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', which, '--size', String(size)], {encoding: 'utf8', maxBuffer: 1 << 28})
  if (run.status !== 0) throw new Error(`${which} ${size}: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

const rows = []
for (const c of cases) {
  const full = Math.round(c.full * scale)
  const quarter = Math.round(full / 4)
  const small = measure(c.which, quarter)
  const big = measure(c.which, full)
  const time = (r) => r.cpuMs ?? r.wallMs
  const row = {...c, small, big, ratio: time(big) / time(small), sizeRatio: big.bytes / small.bytes}
  rows.push(row)
  console.log(`${c.which}: ${quarter} → ${full}: ${time(small)} ms → ${time(big)} ms (${row.ratio.toFixed(2)}× for ${row.sizeRatio.toFixed(2)}× the bytes), findings ${small.findings} → ${big.findings}, peak RSS ${small.maxRssMB ?? '–'} → ${big.maxRssMB ?? '–'} MB`)
}

const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)
const table = [
  '<!-- hostile:start -->',
  '## Hostile sizes',
  '',
  `\`node bench/hostile.js\`${scale === 1 ? '' : ` --scale ${scale}`}: each case at a quarter of its size and at full size, each in a fresh process (engine cases: CPU time of \`lintMarkdown\`, as every face runs it, and the process's peak RSS; the file case: wall time of the \`docdrift\` command with its worker threads). Linear growth shows as about 4× for 4× the bytes. Machine: ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; other jobs were running on the machine, so times are upper bounds.`,
  '',
  '| Case | ¼ size | Full size | Time ¼ → full | Growth (time / bytes) | Findings ¼ → full | Peak RSS ¼ → full |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.label} | ${mb(r.small.bytes)} MB | ${mb(r.big.bytes)} MB | ${(((r.small.cpuMs ?? r.small.wallMs)) / 1000).toFixed(2)} s → ${(((r.big.cpuMs ?? r.big.wallMs)) / 1000).toFixed(2)} s${r.small.cpuMs === null ? ' (wall)' : ''} | ${r.ratio.toFixed(2)}× / ${r.sizeRatio.toFixed(2)}× | ${r.small.findings} → ${r.big.findings} | ${r.small.maxRssMB ?? '–'} → ${r.big.maxRssMB ?? '–'} MB |`),
  '<!-- hostile:end -->'
].join('\n')

if (!values['no-write']) {
  const file = path.join(here, 'RESULTS.md')
  mkdirSync(here, {recursive: true})
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n'
  const start = text.indexOf('<!-- hostile:start -->')
  const end = text.indexOf('<!-- hostile:end -->')
  text = start !== -1 && end !== -1 ? text.slice(0, start) + table + text.slice(end + '<!-- hostile:end -->'.length) : text.trimEnd() + '\n\n' + table + '\n'
  writeFileSync(file, text)
  console.log('bench/RESULTS.md: hostile section written')
}
