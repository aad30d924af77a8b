/**
 * Runs every `*.test.js` suite through uvu and ends with the plain line `N passed, N failed`
 * (CI reads it; uvu's own summary is not machine-read).
 */
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {run} from 'uvu/run'

const here = path.dirname(fileURLToPath(import.meta.url))
const filter = process.argv[2]
const files = readdirSync(here)
  .filter((name) => name.endsWith('.test.js') && (!filter || name.includes(filter)))
  .sort()

let captured = ''
const write = process.stdout.write.bind(process.stdout)
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
  if (captured.length > 4096) captured = captured.slice(-4096)
  return (write as (...args: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stdout.write

await run(files.map((name) => ({name, file: path.join(here, name)})))

process.stdout.write = write
// eslint-disable-next-line no-control-regex
const plain = captured.replace(/\u001b\[[0-9;]*m/g, '')
const number = (label: string) => Number(new RegExp(label + ':\\s+(\\d+)').exec(plain)?.[1] ?? 0)
const total = number('Total')
const passed = number('Passed')
const skipped = number('Skipped')
const failed = Math.max(0, total - passed - skipped) + (process.exitCode ? (total === passed + skipped ? 1 : 0) : 0)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
if (failed > 0) process.exitCode = 1
