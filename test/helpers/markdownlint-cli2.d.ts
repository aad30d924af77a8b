/** markdownlint-cli2 ships no typings: the part of its programmatic API the tests use. */
declare module 'markdownlint-cli2' {
  export interface Parameters {
    directory?: string
    argv?: string[]
    logMessage?: (message: string) => void
    logError?: (message: string) => void
    optionsDefault?: Record<string, unknown>
    optionsOverride?: Record<string, unknown>
    noImport?: boolean
  }
  export function main(params: Parameters): Promise<number>
}
