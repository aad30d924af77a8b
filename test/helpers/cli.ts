/** The `docdrift` command run in-process (`run(args, io)`), its output captured. */
import {run} from '../../cli/main.js'
import {root} from './lint.js'

export interface Outcome {
  code: number
  stdout: string
  stderr: string
  /** stdout as bytes (what `--stdin --fix` prints back can be any bytes). */
  stdoutBytes: Buffer
}

export async function cli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean; stdin?: string | Uint8Array} = {}): Promise<Outcome> {
  const out: Buffer[] = []
  let stderr = ''
  const code = await run(args, {
    cwd: options.cwd ?? root,
    env: options.env ?? {},
    stdout: {write: (text: string | Uint8Array) => out.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text)), isTTY: options.tty ?? false},
    stderr: {write: (text: string) => (stderr += text), isTTY: options.tty ?? false},
    stdin: options.stdin === undefined ? undefined : [typeof options.stdin === 'string' ? Buffer.from(options.stdin, 'utf8') : options.stdin]
  })
  const stdoutBytes = Buffer.concat(out)
  // Not enumerable: tests compare whole outcomes as `{code, stdout, stderr}`.
  return Object.defineProperty({code, stdout: stdoutBytes.toString('utf8'), stderr}, 'stdoutBytes', {value: stdoutBytes, enumerable: false}) as Outcome
}
