#!/usr/bin/env node
/** The `docdrift` bin: see cli/main.ts and `docdrift --help`. */
import {run} from './main.js'

try {
  process.exitCode = await run(process.argv.slice(2), {cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr})
} catch (error) {
  process.stderr.write(`docdrift: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
  process.exitCode = 2
}
