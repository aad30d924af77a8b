#!/usr/bin/env node
/**
 * docdrift's own time inside markdownlint, without the noise of whole processes: the corpus's
 * texts are read first, then markdownlint's synchronous `lint` runs over them in this process with
 * docdrift's rules (as `docdrift/markdownlint` exports them), each rule wrapped in a timer. Every
 * pass prints the time spent inside docdrift's rules ("own": what docdrift adds, garbage
 * collection during its calls included) and the whole `lint`. The first pass is what a CI run
 * pays (V8 runs docdrift's code unoptimised at first); later passes show the same work warm.
 *
 *   npm run build && node bench/own-time.js [--passes 2] [--scale 1]
 *
 * The corpus copy is the one `npm run bench` makes (bench/.work/corpus-1x).
 *
 * Not part of `npm test`, and it writes nothing: the numbers go into bench/RESULTS.md's notes by
 * hand when they explain something.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {lint} from 'markdownlint/sync'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const passes = option('--passes', 2)
const scale = option('--scale', 1)
const corpus = path.join(root, `bench/.work/corpus-${scale}x`)
const face = path.join(root, 'dist/markdownlint.js')
if (!existsSync(corpus) || !existsSync(face)) {
  console.error(`bench/own-time.js: needs ${path.relative(root, face)} (npm run build) and ${path.relative(root, corpus)} (npm run bench copies the corpus there)`)
  process.exit(2)
}

const files = readdirSync(corpus, {recursive: true}).filter((name) => name.endsWith('.md')).sort().map((name) => path.join(corpus, name))
const strings = Object.fromEntries(files.map((file) => [file, readFileSync(file, 'utf8')]))

const loadStart = performance.now()
const rules = (await import(pathToFileURL(face).href)).default
const load = performance.now() - loadStart
let own = 0
const timed = rules.map((rule) => ({
  ...rule,
  function(params, onError) {
    const start = performance.now()
    try {
      rule.function(params, onError)
    } finally {
      own += performance.now() - start
    }
  }
}))

console.log(`${files.length} files, ${(Object.values(strings).reduce((n, s) => n + s.length, 0) / 1e6).toFixed(1)} M characters; docdrift/markdownlint loaded in ${load.toFixed(0)} ms`)
for (let pass = 1; pass <= passes; pass++) {
  own = 0
  const start = performance.now()
  const results = lint({strings, customRules: timed, config: {default: false, docdrift: true}})
  const whole = performance.now() - start
  const findings = Object.values(results).reduce((n, list) => n + list.length, 0)
  console.log(`pass ${pass}: docdrift's rules ${own.toFixed(0)} ms of ${whole.toFixed(0)} ms (${findings} findings)`)
}
