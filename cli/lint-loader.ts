/**
 * Where the command's threads get cli/lint.js (the engine): imported here, in the `tsc` output.
 * The bundled command (dist/command/, scripts/bundle.js) has this module replaced by one that runs
 * dist/command/lint-body.cjs through V8's code cache (cli/compile-cache.ts), so that a run's
 * threads do not compile the engine again each time.
 */
export type LintModule = typeof import('./lint.js')

export async function loadLint(): Promise<LintModule> {
  return import('./lint.js')
}
