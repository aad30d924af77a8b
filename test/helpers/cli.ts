/** The `docdrift` command run in-process (`run(args, io)`), its output captured. */
import {run} from '../../cli/main.js'
import {root} from './lint.js'

export interface Outcome {
  code: number
  stdout: string
  stderr: string
}

export async function cli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean} = {}): Promise<Outcome> {
  let stdout = ''
  let stderr = ''
  const code = await run(args, {
    cwd: options.cwd ?? root,
    env: options.env ?? {},
    stdout: {write: (text: string) => (stdout += text), isTTY: options.tty ?? false},
    stderr: {write: (text: string) => (stderr += text), isTTY: options.tty ?? false}
  })
  return {code, stdout, stderr}
}
