/**
 * The `docdrift` command: find Markdown files, lint them with the remark face (through
 * unified-engine, across worker threads when there are many), optionally apply the safe fixes,
 * and report. `run` takes its arguments and streams, so tests call it in-process.
 *
 * Exit codes: 0 clean; 1 errors, or more warnings than `--max-warnings`; 2 usage or config error.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {colors, useColor} from './color.js'
import {discover} from './discover.js'
import type {FormatContext} from './formats/common.js'
import {factsReport, tallyFacts, unmatchedWarning} from './facts.js'
import {DEFAULT_CACHE_FILE, loadCache, saveCache, type Cache} from './cache.js'
import {loadLint} from './lint-loader.js'
import {lintAll, threadCount} from './pool.js'
import type {FileResult, FixMode} from './types.js'

export interface Io {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Takes bytes only for `--stdin --fix` of text that is not UTF-8 (printed back as it came). */
  stdout: {write(text: string | Uint8Array): unknown; isTTY?: boolean}
  stderr: {write(text: string): unknown; isTTY?: boolean}
  /** Read with `--stdin`. */
  stdin?: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>
}

/** The name a document read from standard input is reported under, without `--stdin-filename`. */
export const STDIN_NAME = '<stdin>'

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'rdjson'] as const

export const HELP = `Usage: docdrift [options] [paths or globs...]

Lint operational Markdown docs against the service they describe (stale routes,
wrong secret lengths, ...). Paths default to the current folder; folders are
searched for *.md and *.markdown, minus what .docdriftignore and .remarkignore
list. Each file uses the nearest docdrift.config.json above it.

Options:
  -c, --config <path>         use this docdrift.config.json for every file
      --fix                   apply safe fixes to the files, then report what remains
      --fix-dry-run           print the safe fixes as a unified diff; change nothing
      --facts                 print the config's facts (prefix, routes, secrets, …),
                              where each came from and how many places in the docs
                              were checked against it, instead of the findings
  -f, --format <name>         stylish (default), json, sarif, github, rdjson
  -o, --output-file <path>    write the report to a file instead of stdout
  -q, --quiet                 report errors only
      --max-warnings <n>      exit 1 when there are more than n warnings
  -j, --jobs <n>              worker threads (default: one per core when there are
                              more than 16 files; 1 = single-threaded)
      --cache                 reuse the results of files whose text, config and
                              docdrift build have not changed since the last run
      --cache-location <path> the cache file, or a folder for it (implies --cache;
                              default: .docdriftcache)
      --ignore-pattern <glob> ignore files like this too (repeatable)
      --no-ignore             do not read .docdriftignore / .remarkignore
      --color, --no-color     force colour on or off (default: on a TTY only;
                              NO_COLOR and FORCE_COLOR are honoured)
      --stdin                 lint the Markdown read from standard input; with --fix,
                              print the fixed text to stdout and the report to stderr
      --stdin-filename <path> the file that text stands for: its name in the report,
                              and where the search for docdrift.config.json starts
  -h, --help                  show this help
  -v, --version               show the version

Environment:
  DOCDRIFT_COMPILE_CACHE      where the engine's compiled code is kept between runs
                              (default: <tmp>/docdrift-compile-cache-<uid>; off: nowhere)

Exit codes: 0 no problems, 1 errors or too many warnings, 2 usage or config error.
`

class UsageError extends Error {}

interface Options {
  inputs: string[]
  config?: string
  fix: FixMode
  facts: boolean
  format: (typeof FORMATS)[number]
  outputFile?: string
  quiet: boolean
  maxWarnings: number
  jobs?: number
  /** `--cache` or `--cache-location`: the cache file or folder, relative to the working folder. */
  cache?: string
  ignorePatterns: string[]
  ignore: boolean
  color?: boolean
  stdin: boolean
  stdinFilename?: string
  help: boolean
  version: boolean
}

export function parseOptions(args: string[]): Options {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: {type: 'string', short: 'c'},
        fix: {type: 'boolean'},
        'fix-dry-run': {type: 'boolean'},
        facts: {type: 'boolean'},
        format: {type: 'string', short: 'f'},
        'output-file': {type: 'string', short: 'o'},
        quiet: {type: 'boolean', short: 'q'},
        'max-warnings': {type: 'string'},
        jobs: {type: 'string', short: 'j'},
        cache: {type: 'boolean'},
        'cache-location': {type: 'string'},
        'ignore-pattern': {type: 'string', multiple: true},
        'no-ignore': {type: 'boolean'},
        color: {type: 'boolean'},
        'no-color': {type: 'boolean'},
        stdin: {type: 'boolean'},
        'stdin-filename': {type: 'string'},
        help: {type: 'boolean', short: 'h'},
        version: {type: 'boolean', short: 'v'}
      }
    })
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''))
  }
  const v = parsed.values
  if (v.fix && v['fix-dry-run']) throw new UsageError('`--fix` and `--fix-dry-run` cannot be used together')
  const format = (v.format ?? 'stylish') as Options['format']
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format \`${v.format}\`, expected one of ${FORMATS.map((f) => `\`${f}\``).join(', ')}`)
  const integer = (name: string, value: string | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined
    if (!/^-?\d+$/.test(value) || Number(value) < min) throw new UsageError(`unexpected value \`${value}\` for \`--${name}\`, expected an integer of at least ${min}`)
    return Number(value)
  }
  if (v.color && v['no-color']) throw new UsageError('`--color` and `--no-color` cannot be used together')
  if (v['cache-location'] === '') throw new UsageError('`--cache-location` needs a path')
  if (v['stdin-filename'] !== undefined && !v.stdin) throw new UsageError('`--stdin-filename` names the text read with `--stdin`; add `--stdin`')
  if (v['stdin-filename'] === '') throw new UsageError('`--stdin-filename` needs a path')
  if (v.stdin && parsed.positionals.length > 0) throw new UsageError(`\`--stdin\` reads one document from standard input, so paths cannot be given too (\`${parsed.positionals[0]}\`)`)
  if (v.stdin && (v.cache || v['cache-location'] !== undefined)) throw new UsageError('`--cache` keeps results of files; it does not apply to `--stdin`')
  return {
    inputs: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    config: v.config,
    fix: v.fix ? 'write' : v['fix-dry-run'] ? 'dry-run' : 'none',
    facts: v.facts ?? false,
    format,
    outputFile: v['output-file'],
    quiet: v.quiet ?? false,
    maxWarnings: integer('max-warnings', v['max-warnings'], -1) ?? -1,
    jobs: integer('jobs', v.jobs, 1),
    cache: v['cache-location'] ?? (v.cache ? DEFAULT_CACHE_FILE : undefined),
    ignorePatterns: v['ignore-pattern'] ?? [],
    ignore: !v['no-ignore'],
    color: v.color ? true : v['no-color'] ? false : undefined,
    stdin: v.stdin ?? false,
    stdinFilename: v['stdin-filename'],
    help: v.help ?? false,
    version: v.version ?? false
  }
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  return pkg.version
}

export async function run(args: string[], io: Io): Promise<number> {
  let options: Options
  try {
    options = parseOptions(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`docdrift: ${error.message}\nRun \`docdrift --help\` for usage.\n`)
    return 2
  }
  if (options.help) {
    io.stdout.write(HELP)
    return 0
  }
  if (options.version) {
    io.stdout.write(version() + '\n')
    return 0
  }

  let config: string | undefined
  if (options.config !== undefined) {
    config = path.resolve(io.cwd, options.config)
    // Loaded here, not at the top: with worker threads the main thread never needs the engine.
    const {resolveConfig} = await import('../core/engine.js')
    const {error} = resolveConfig({config, cwd: io.cwd})
    if (error) {
      io.stderr.write(`docdrift: ${error}\n`)
      return 2
    }
  }

  let usageProblem = false
  let results: FileResult[]
  /** `--stdin --fix`: the document as fixed, for stdout. */
  let fixedStdin: string | Uint8Array | undefined
  if (options.stdin) {
    const stdin = await readStdin(io)
    if (typeof stdin === 'string') {
      io.stderr.write(`docdrift: ${stdin}\n`)
      return 2
    }
    const text = stdin.toString('utf8')
    const filePath = path.resolve(io.cwd, options.stdinFilename ?? STDIN_NAME)
    const {lintStdin} = await loadLint()
    const {result, output} = await lintStdin(text, filePath, {cwd: io.cwd, config, fix: options.fix})
    if (options.fix === 'write') {
      // Bytes that are not UTF-8 would not survive the round trip: print them as they came.
      if (Buffer.from(text, 'utf8').equals(stdin)) {
        fixedStdin = output
      } else {
        fixedStdin = stdin
        if (result.fixed > 0) result.errors.push({message: 'Not fixed: standard input is not valid UTF-8'})
        result.fixed = 0
      }
    }
    results = [result]
  } else {
    const {files, missing, ignored, unreadable} = await discover(options.inputs, {cwd: io.cwd, ignoreFiles: options.ignore, ignorePatterns: options.ignorePatterns})
    for (const input of missing) {
      io.stderr.write(`docdrift: no such file or folder, and no files match: \`${input}\`\n`)
      usageProblem = true
    }
    for (const message of unreadable) io.stderr.write(`${message}\n`)
    for (const input of ignored) io.stderr.write(`docdrift: skipped \`${input}\`: an ignore file lists it (\`--no-ignore\` lints it)\n`)

    let cache: Cache | undefined
    if (options.cache !== undefined) {
      const loaded = loadCache(options.cache, io.cwd)
      if (loaded.error) {
        io.stderr.write(`docdrift: ${loaded.error}\n`)
        return 2
      }
      if (loaded.warning) io.stderr.write(`docdrift: warning: ${loaded.warning}\n`)
      cache = loaded.cache
    }

    const settings = {cwd: io.cwd, config, fix: options.fix, cache: cache !== undefined}
    results = await lintAll(files, settings, threadCount(files.length, options.jobs), cache?.entries)
    if (cache) {
      const warning = saveCache(cache, results)
      if (warning) io.stderr.write(`docdrift: warning: ${warning}\n`)
    }
  }

  // A config problem stops a file from being checked: say it once, exit 2.
  const configErrors = new Set<string>()
  for (const result of results) for (const message of result.configErrors) configErrors.add(message)
  for (const message of configErrors) io.stderr.write(`docdrift: ${message}\n`)
  io.stderr.write(uncheckedNotice(results, io.cwd))

  const facts = configErrors.size > 0 ? [] : tallyFacts(results, io.cwd)
  if (options.facts) {
    io.stdout.write(factsReport(facts, options.format === 'json'))
  } else {
    // Warnings are what `--quiet` leaves out; one document from standard input (an editor's
    // buffer) is not expected to use every fact.
    if (!options.quiet && !options.stdin) io.stderr.write(unmatchedWarning(facts))
  }

  if (options.quiet) results = results.map((result) => ({...result, findings: result.findings.filter((f) => f.severity === 'error')}))

  const context: FormatContext = {cwd: io.cwd, version: version(), fix: options.fix}
  const dryRun = options.fix === 'dry-run'
  if (dryRun) for (const result of results) if (result.diff) io.stdout.write(result.diff)

  // The fixed document goes to stdout, so the report goes to stderr (as with a dry run's diff).
  if (fixedStdin !== undefined) io.stdout.write(fixedStdin)
  const reportStream = dryRun || fixedStdin !== undefined ? io.stderr : io.stdout
  const report = options.facts ? '' : await format(options, results, context, reportStream.isTTY === true, io.env)
  if (options.outputFile !== undefined && !options.facts) {
    writeFileSync(path.resolve(io.cwd, options.outputFile), report)
  } else if (report) {
    reportStream.write(report)
  }

  if (usageProblem || configErrors.size > 0) return 2
  let errors = 0
  let warnings = 0
  for (const result of results) {
    errors += result.errors.length
    for (const finding of result.findings) {
      if (finding.severity === 'error') errors++
      else warnings++
    }
  }
  if (errors > 0) return 1
  if (options.maxWarnings >= 0 && warnings > options.maxWarnings) {
    io.stderr.write(`docdrift: too many warnings (${warnings}); the maximum is ${options.maxWarnings}\n`)
    return 1
  }
  return 0
}

/** All of standard input (`--stdin`), or why it cannot be read. */
async function readStdin(io: Io): Promise<Buffer | string> {
  if (!io.stdin) return 'standard input cannot be read here'
  const chunks: Buffer[] = []
  try {
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk))
  } catch (error) {
    return `cannot read standard input: ${(error as Error)?.message ?? String(error)}`
  }
  return Buffer.concat(chunks)
}

/**
 * Files that found no `docdrift.config.json` above them were not checked at all (every rule needs
 * the config): say so, rather than report them as clean.
 */
function uncheckedNotice(results: FileResult[], cwd: string): string {
  const unchecked = results.filter((r) => !r.usage && r.errors.length === 0 && r.configErrors.length === 0)
  if (unchecked.length === 0) return ''
  const first = `\`${path.relative(cwd, unchecked[0].path).split(path.sep).join('/')}\``
  const what = unchecked.length === 1 && results.length === 1 ? `${first} was` : `${unchecked.length} of ${results.length} files were`
  const where = unchecked.length === 1 && results.length === 1 ? 'its folder' : 'their folders'
  const example = unchecked.length === 1 && results.length === 1 ? '' : ` (first: ${first})`
  return `docdrift: ${what} not checked${example}: no docdrift.config.json in ${where} or above; add one (see Configuration in docdrift's README) or pass \`--config <path>\`\n`
}

/** The report in the chosen format (each format's module is loaded when it is used). */
async function format(options: Options, results: FileResult[], context: FormatContext, isTTY: boolean, env: NodeJS.ProcessEnv): Promise<string> {
  switch (options.format) {
    case 'json':
      return (await import('./formats/json.js')).json(results, context)
    case 'sarif':
      return (await import('./formats/sarif.js')).sarif(results, context)
    case 'github':
      return (await import('./formats/github.js')).github(results, context)
    case 'rdjson':
      return (await import('./formats/rdjson.js')).rdjson(results, context)
    default: {
      const {stylish} = await import('./formats/stylish.js')
      return stylish(results, context, colors(options.outputFile === undefined && useColor(options.color, env, isTTY)))
    }
  }
}


