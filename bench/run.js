#!/usr/bin/env node
/**
 * `npm run bench`: what docdrift costs its users, measured from outside the process
 * (/usr/bin/time: wall, user+sys CPU, peak RSS), several runs each, medians and min–max.
 *
 * Corpus: ../shared/corpus (real docs trees), copied 1×, 2× and 4× into bench/.work/ (never
 * committed) with a docdrift.config.json at the top so every file is checked for real.
 * Writes the tables into bench/RESULTS.md between `<!-- corpus:start -->` and `<!-- corpus:end -->`.
 *
 * Arms are interleaved: each round runs every arm of a corpus size once, so the ratios compare
 * runs made minutes apart on a shared machine; the targets table also gives the median of the
 * per-round ratios and their range, so a reader sees whether a target's line lies inside the
 * spread of the rounds (met or missed by the run) or outside it (by the code).
 *
 * Options: `--runs N` (default 5 at 2× and 4×, and 2 more at 1×, where the targets are decided),
 * `--quick` (1× only, 3 runs), `--only name,name`.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.resolve(root, process.env.DOCDRIFT_CORPUS ?? '../shared/corpus')
const work = path.join(root, 'bench/.work')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 3 : 5)
/** Rounds at a corpus size: the 1× targets get two more (each 1× round takes about a minute). */
const roundsAt = (scale) => (scale === 1 && !quick ? runs + 2 : runs)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined
const scales = quick ? [1] : [1, 2, 4]

const remark = path.join(root, 'node_modules/remark-cli/cli.js')
const mdl = path.join(root, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs')
// The `docdrift` bin users run (package.json `bin`).
const docdrift = path.join(root, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.docdrift)
// What `docdrift/remark` and `docdrift/markdownlint` load for users (package.json `exports`).
const plugin = fileURLToPath(import.meta.resolve('docdrift/remark'))
const preset = path.join(root, 'node_modules/remark-preset-lint-recommended/index.js')
const gfm = path.join(root, 'node_modules/remark-gfm/index.js')
const frontmatter = path.join(root, 'node_modules/remark-frontmatter/index.js')
const customRules = fileURLToPath(import.meta.resolve('docdrift/markdownlint'))
// The command keeps V8's compiled code of its engine between runs (cli/compile-cache.ts): in a
// folder of the bench's own, which the warm-up run fills, as a user's first run does. The arm
// marked "no compile cache" runs with it off: what a run on a fresh machine (a CI runner) pays.
const compileCache = path.join(root, 'bench/.work/compile-cache')
rmSync(compileCache, {recursive: true, force: true})
process.env.DOCDRIFT_COMPILE_CACHE = compileCache
const noCompileCache = ['/usr/bin/env', 'DOCDRIFT_COMPILE_CACHE=off']

if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is needed (Debian package `time`)')
  process.exit(2)
}
if (!existsSync(corpus)) {
  console.error(`bench: no corpus at ${corpus} (set DOCDRIFT_CORPUS)`)
  process.exit(2)
}

// -- corpus copies ------------------------------------------------------------------------------
const trees = readdirSync(corpus).filter((name) => statSync(path.join(corpus, name)).isDirectory())
const config = {
  routes: {
    prefix: '/chatbox',
    prefixEnv: 'CHATBOX_PATH_PREFIX',
    stalePrefixes: ['/chat'],
    paths: ['/ws', '/sessions', '/admin/sessions', '/admin/metrics', '/admin/takeover/:sessionID', '/healthz', '/readyz']
  },
  secrets: {
    ENCRYPTION_KEY: {bytes: 32, decode: 'none', why: 'AES-256 key', aliases: ['encryption-key']},
    JWT_SECRET: {minBytes: 32}
  }
}

function prepare(scale) {
  const dir = path.join(work, `corpus-${scale}x`)
  const stamp = path.join(dir, '.ready')
  if (!existsSync(stamp)) {
    rmSync(dir, {recursive: true, force: true})
    for (let copy = 0; copy < scale; copy++) {
      for (const tree of trees) cpSync(path.join(corpus, tree), path.join(dir, `copy${copy}`, tree), {recursive: true})
    }
    writeFileSync(path.join(dir, 'docdrift.config.json'), JSON.stringify(config, null, 2) + '\n')
    writeFileSync(stamp, '')
  }
  // markdownlint-cli2 configs for each arm (written every time: cheap, and keeps them current).
  const noop = path.join(work, 'noop-rule.cjs')
  writeFileSync(noop, `module.exports = {names: ['noop'], description: 'no-op micromark rule (parse floor)', tags: ['bench'], parser: 'micromark', function: () => {}}\n`)
  const mdlConfigs = {
    'mdl-default': {},
    'mdl-default-docdrift': {customRules: [customRules]},
    'mdl-noop': {config: {default: false, noop: true}, customRules: [noop]},
    // markdownlint's charge for any custom rule (it freezes every token once one is present).
    'mdl-default-noop': {customRules: [noop]},
    // Every docdrift rule (by their shared tag), nothing else.
    'mdl-docdrift': {config: {default: false, docdrift: true}, customRules: [customRules]}
  }
  for (const [name, value] of Object.entries(mdlConfigs)) {
    writeFileSync(path.join(work, `${name}.markdownlint-cli2.jsonc`), JSON.stringify({...value, noProgress: true, noBanner: true}, null, 2))
  }
  return dir
}

function countFiles(dir) {
  let files = 0
  let bytes = 0
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name)
      const s = statSync(p)
      if (s.isDirectory()) walk(p)
      else if (name.endsWith('.md')) {
        files++
        bytes += s.size
      }
    }
  }
  walk(dir)
  return {files, bytes}
}

// -- the arms -----------------------------------------------------------------------------------
function arms(dir) {
  const rm = (...use) => [process.execPath, remark, dir, '--no-config', '--no-ignore', '--quiet', '--no-stdout', '--silent', ...use.flatMap((u) => ['--use', u])]
  const ml = (name) => [process.execPath, mdl, '--config', path.join(work, `${name}.markdownlint-cli2.jsonc`), `${dir}/**/*.md`]
  return {
    'remark (parse only)': rm(),
    'remark + docdrift': rm(plugin),
    // The syntax docdrift's plugin adds (GFM, front matter) without its rules: what bounds the bare target.
    'remark + gfm + frontmatter (syntax only)': rm(gfm, frontmatter),
    'remark + lint-recommended': rm(preset),
    'remark + lint-recommended + docdrift': rm(preset, plugin),
    'markdownlint-cli2 (default rules)': ml('mdl-default'),
    'markdownlint-cli2 (default rules) + docdrift': ml('mdl-default-docdrift'),
    'markdownlint-cli2 (default rules) + no-op micromark rule': ml('mdl-default-noop'),
    'markdownlint-cli2 no-op micromark rule only': ml('mdl-noop'),
    'markdownlint-cli2 docdrift rules only': ml('mdl-docdrift'),
    'docdrift command': [process.execPath, docdrift, dir, '--quiet', '--format', 'json'],
    'docdrift command, no compile cache': [...noCompileCache, process.execPath, docdrift, dir, '--quiet', '--format', 'json'],
    'docdrift command, one thread': [process.execPath, docdrift, dir, '--quiet', '--format', 'json', '--jobs', '1'],
    // A run after one that changed nothing (the warm-up stores every result): `--cache`.
    'docdrift command, every result cached': [process.execPath, docdrift, dir, '--quiet', '--format', 'json', '--cache-location', path.join(work, `${path.basename(dir)}.docdriftcache`)]
  }
}

function measure(command) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...command], {encoding: 'utf8', cwd: work, maxBuffer: 1 << 30})
  const last = result.stderr.trim().split('\n').at(-1).split(' ').map(Number)
  const [wall, user, sys, rssKb] = last
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.join(' ')} exited ${result.status}:\n${result.stderr.slice(0, 2000)}`)
  return {wall, cpu: user + sys, rss: rssKb / 1024}
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const results = {}
for (const scale of scales) {
  const dir = prepare(scale)
  const size = countFiles(dir)
  const chosen = Object.entries(arms(dir)).filter(([name]) => (!only || only.some((o) => name.includes(o))) && (scale === 1 || (/docdrift|parse only|default rules\)$/.test(name) && !name.endsWith('no compile cache'))))
  for (const [, command] of chosen) measure(command) // warm the file cache
  // Interleaved: each round runs every arm once (starting one arm later each round), so a change
  // in the shared machine's load falls on all arms alike, and each round pairs the arms it ran.
  const samples = new Map(chosen.map(([name]) => [name, []]))
  for (let round = 0; round < roundsAt(scale); round++) {
    for (let i = 0; i < chosen.length; i++) {
      const [name, command] = chosen[(i + round) % chosen.length]
      samples.get(name).push(measure(command))
    }
    console.log(`${scale}×: round ${round + 1} of ${roundsAt(scale)}`)
  }
  for (const [name] of chosen) {
    const own = samples.get(name)
    const pick = (key) => ({median: median(own.map((s) => s[key])), min: Math.min(...own.map((s) => s[key])), max: Math.max(...own.map((s) => s[key]))})
    results[`${scale}|${name}`] = {scale, name, size, wall: pick('wall'), cpu: pick('cpu'), rss: pick('rss'), samples: own}
    const r = results[`${scale}|${name}`]
    console.log(`${scale}× ${name}: ${r.wall.median.toFixed(2)} s wall (${r.wall.min.toFixed(2)}–${r.wall.max.toFixed(2)}), ${r.cpu.median.toFixed(2)} s CPU, ${r.rss.median.toFixed(0)} MB`)
  }
}

// -- report -------------------------------------------------------------------------------------
const get = (scale, name) => results[`${scale}|${name}`]
const fmt = (r) => r ? `${r.wall.median.toFixed(2)} (${r.wall.min.toFixed(2)}–${r.wall.max.toFixed(2)}) | ${r.cpu.median.toFixed(2)} | ${r.rss.median.toFixed(0)}` : 'n/a | n/a | n/a'
const ratio = (a, b) => (a && b ? a.wall.median / b.wall.median : NaN)
/** The per-round ratios (the two arms ran in the same round, minutes apart at most). */
const roundRatios = (a, b) => (a && b ? a.samples.map((s, i) => s.wall / b.samples[i].wall) : [])
/** The median of the per-round ratios. */
const paired = (a, b) => (a && b ? median(roundRatios(a, b)) : NaN)
const cpuRatio = (a, b) => (a && b ? a.cpu.median / b.cpu.median : NaN)
const pct = (x) => (Number.isFinite(x) ? `${((x - 1) * 100).toFixed(1)}%` : 'n/a')

const rounds = scales.map((scale) => `${roundsAt(scale)} at ${scale}×`).join(', ')
let out = `Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; runs per row after one warm-up: ${rounds}; ${new Date().toISOString().slice(0, 10)}.\n\n`
for (const scale of scales) {
  const anyRow = Object.values(results).find((r) => r.scale === scale)
  if (!anyRow) continue
  out += `### Corpus ${scale}× (${anyRow.size.files} files, ${(anyRow.size.bytes / 1e6).toFixed(1)} MB)\n\n| Command | Wall s, median (min–max) | CPU s | Peak RSS MB |\n| --- | --- | --- | --- |\n`
  for (const r of Object.values(results).filter((x) => x.scale === scale)) out += `| ${r.name} | ${fmt(r)} |\n`
  out += '\n'
}
/** The target ratios at one scale, by wall time (`ratio`) or CPU time (`cpuRatio`). */
const ratios = (s, by) => ({
  bare: by(get(s, 'remark + docdrift'), get(s, 'remark (parse only)')),
  preset: by(get(s, 'remark + lint-recommended + docdrift'), get(s, 'remark + lint-recommended')),
  mdl: by(get(s, 'markdownlint-cli2 (default rules) + docdrift'), get(s, 'markdownlint-cli2 (default rules)')),
  alone: by(get(s, 'markdownlint-cli2 docdrift rules only'), get(s, 'markdownlint-cli2 no-op micromark rule only')),
  cli: by(get(s, 'remark + docdrift'), get(s, 'docdrift command'))
})
const oneCpu = ratios(1, cpuRatio)
const one = ratios(1, ratio)
const onePaired = ratios(1, paired)
const grow = (name, key) => {
  const a = get(1, name)
  const b = get(4, name)
  return a && b ? (key === 'wall' ? b.wall.median / a.wall.median : b.rss.median / a.rss.median) : NaN
}
out += `### Targets (1×; wall decides, by the ratio of the medians; CPU shown because the machine is shared)\n\n`
out += 'Paired: the median of the per-round ratios (every round runs each arm once, so both arms of a ratio ran within minutes of each other); rounds: the lowest and highest of those ratios.\n\n'
out += `| Target | Measured (wall) | Paired | Rounds | CPU | Met |\n| --- | --- | --- | --- | --- | --- |\n`
const row = (label, value, text, ok, pairedText = '', cpu = '', spread = '') => (out += `| ${label} | ${text} | ${pairedText} | ${spread} | ${cpu} | ${Number.isFinite(value) ? (ok ? 'yes' : 'no') : 'n/a'} |\n`)
/** The range of a target's per-round ratios at 1×, written as `show` writes one ratio. */
const spreadOf = (a, b, show) => {
  const xs = roundRatios(get(1, a), get(1, b))
  return xs.length > 0 ? `${show(Math.min(...xs))} to ${show(Math.max(...xs))}` : 'n/a'
}
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a')
row('remark: docdrift adds ≤ 10% to remark + lint-recommended', one.preset, pct(one.preset), one.preset <= 1.1, pct(onePaired.preset), pct(oneCpu.preset), spreadOf('remark + lint-recommended + docdrift', 'remark + lint-recommended', pct))
row('remark: docdrift adds ≤ 15% to the bare parse', one.bare, pct(one.bare), one.bare <= 1.15, pct(onePaired.bare), pct(oneCpu.bare), spreadOf('remark + docdrift', 'remark (parse only)', pct))
row('markdownlint: docdrift adds ≤ 10% to default rules', one.mdl, pct(one.mdl), one.mdl <= 1.1, pct(onePaired.mdl), pct(oneCpu.mdl), spreadOf('markdownlint-cli2 (default rules) + docdrift', 'markdownlint-cli2 (default rules)', pct))
row('markdownlint: docdrift rules alone ≤ 15% over a no-op micromark rule', one.alone, pct(one.alone), one.alone <= 1.15, pct(onePaired.alone), pct(oneCpu.alone), spreadOf('markdownlint-cli2 docdrift rules only', 'markdownlint-cli2 no-op micromark rule only', pct))
row('`docdrift` ≥ 1.7× faster than `remark` + docdrift', one.cli, times(one.cli), one.cli >= 1.7, times(onePaired.cli), `${times(oneCpu.cli)} less CPU`, spreadOf('remark + docdrift', 'docdrift command', times))
for (const name of ['remark + docdrift', 'docdrift command', 'markdownlint-cli2 (default rules) + docdrift']) {
  const w = grow(name, 'wall')
  const m = grow(name, 'rss')
  row(`${name}: 4× corpus ≤ 4.2× time`, w, times(w), w <= 4.2)
  row(`${name}: 4× corpus < 1.5× peak RSS`, m, times(m), m < 1.5)
}

// Not a target: what of the default-rules target any custom rule costs, and what is docdrift's own.
const mdlCharge = [
  ['a no-op micromark rule adds to the default rules (markdownlint\'s charge for any custom rule)', 'markdownlint-cli2 (default rules) + no-op micromark rule', 'markdownlint-cli2 (default rules)'],
  ['docdrift adds to the default rules with a no-op micromark rule (docdrift\'s own share)', 'markdownlint-cli2 (default rules) + docdrift', 'markdownlint-cli2 (default rules) + no-op micromark rule']
]
if (mdlCharge.every(([, a, b]) => get(1, a) && get(1, b))) {
  out += `\n### markdownlint's charge for a custom rule (1×; not a target)\n\n`
  out += 'markdownlint freezes every token it parses once any custom rule is present, so part of what docdrift adds to the default rules is paid by any custom rule, a no-op one included.\n\n'
  out += `| What | Measured (wall) | Paired | Rounds | CPU |\n| --- | --- | --- | --- | --- |\n`
  for (const [label, a, b] of mdlCharge) {
    out += `| ${label} | ${pct(ratio(get(1, a), get(1, b)))} | ${pct(paired(get(1, a), get(1, b)))} | ${spreadOf(a, b, pct)} | ${pct(cpuRatio(get(1, a), get(1, b)))} |\n`
  }
}

// Not a target: the command's target for a run with no compiled code kept (a fresh machine, CI).
const commandCold = 'docdrift command, no compile cache'
if (get(1, commandCold) && get(1, 'remark + docdrift')) {
  const saved = `${(get(1, commandCold).wall.median - get(1, 'docdrift command').wall.median).toFixed(2)} s (paired ${median(get(1, commandCold).samples.map((x, i) => x.wall - get(1, 'docdrift command').samples[i].wall)).toFixed(2)} s)`
  out += `\n### The command without its compile cache (1×; not a target)\n\n`
  out += 'The command keeps V8\'s compiled code of its engine between runs; a run on a fresh machine (a CI runner without a cache) compiles it in each thread.\n\n'
  out += `| Target, with no compile cache | Measured (wall) | Paired | Rounds | CPU | The cache saved |\n| --- | --- | --- | --- | --- | --- |\n`
  out += `| \`docdrift\` ≥ 1.7× faster than \`remark\` + docdrift | ${times(ratio(get(1, 'remark + docdrift'), get(1, commandCold)))} | ${times(paired(get(1, 'remark + docdrift'), get(1, commandCold)))} | ${spreadOf('remark + docdrift', commandCold, times)} | ${times(cpuRatio(get(1, 'remark + docdrift'), get(1, commandCold)))} less CPU | ${saved} |\n`
}

const file = path.join(root, 'bench/RESULTS.md')
let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench` (bench/run.js) and the other scripts in bench/.\n\n<!-- corpus:start -->\n<!-- corpus:end -->\n'
if (!text.includes('<!-- corpus:start -->')) text += '\n<!-- corpus:start -->\n<!-- corpus:end -->\n'
text = text.replace(/<!-- corpus:start -->[\s\S]*<!-- corpus:end -->/, `<!-- corpus:start -->\n## Corpus: remark, markdownlint-cli2 and the docdrift command\n\n${out}<!-- corpus:end -->`)
writeFileSync(file, text)
console.log(`wrote ${path.relative(root, file)}`)
void execFileSync
void mkdirSync
