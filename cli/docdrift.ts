#!/usr/bin/env node
/** The `docdrift` bin: see cli/main.ts and `docdrift --help`. */
import {statSync} from 'node:fs'
import {prestart, stopSpares} from './spare.js'

const args = process.argv.slice(2)
// A run over a folder or a glob spreads files over worker threads: start them before loading the
// rest, so their start overlaps with ours (cli/spare.ts). `--jobs`, help and stdin decide alone.
if (!args.some((a) => a === '-h' || a === '--help' || a === '-v' || a === '--version' || a.startsWith('-j') || a.startsWith('--jobs') || a === '--stdin') && args.some(folderOrGlob)) {
  prestart()
}

const {run} = await import('./main.js')
try {
  process.exitCode = await run(args, {cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin})
} catch (error) {
  process.stderr.write(`docdrift: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
  process.exitCode = 2
} finally {
  // Workers the run did not need (it stopped early, or had few files).
  await stopSpares()
}

function folderOrGlob(arg: string): boolean {
  if (arg.startsWith('-')) return false
  if (/[*?[{]/.test(arg)) return true
  return statSync(arg, {throwIfNoEntry: false})?.isDirectory() ?? false
}
