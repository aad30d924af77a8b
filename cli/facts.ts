/**
 * No vacuous passes: `--facts` lists the resolved truth (each prefix, route, secret, image,
 * install and pattern, with the file and key it came from) and how many places in the linted docs
 * were checked against it; every run warns about facts that matched nothing, because a wrong
 * config passes silently in every grep-based guard.
 */
import path from 'node:path'
import {loadConfig} from '../core/config/index.js'
import {UsageTally, type FactUsage} from '../core/facts/usage.js'
import type {ResolvedConfig} from '../core/types.js'
import type {FileResult} from './types.js'

export interface ConfigFacts {
  /** Config file, relative to the working folder. */
  config: string
  facts: FactUsage[]
}

/** Add up the usage the files report, per config file. */
export function tallyFacts(results: FileResult[], cwd: string): ConfigFacts[] {
  const tally = new UsageTally()
  const configs = new Map<string, ResolvedConfig>()
  for (const result of results) {
    const usage = result.usage
    if (!usage?.config) continue
    let config = configs.get(usage.config)
    if (!config) {
      // Loaded before by the files themselves, so this cannot fail now.
      config = loadConfig(usage.config, {cwd})
      configs.set(usage.config, config)
    }
    tally.add({findings: [], config, usage: {checked: usage.checked, matched: usage.matched}})
  }
  return tally.configs().map(({config, facts}) => ({config: path.relative(cwd, config.file ?? '') || 'docdrift.config.json', facts}))
}

/** The `--facts` table (or JSON with `--format json`). */
export function factsReport(configs: ConfigFacts[], json: boolean): string {
  if (json) return JSON.stringify(configs.map((c) => ({config: c.config, facts: c.facts.map(({key, kind, fact, source, checked, matched}) => ({key, kind, fact, source, checked, matched}))})), null, 2) + '\n'
  if (configs.length === 0) return 'No docdrift.config.json applies to the linted files: nothing was checked.\n'
  let out = ''
  for (const {config, facts} of configs) {
    out += `${config}\n`
    const rows = facts.map((f) => [f.kind, f.fact, f.source.key ? `${f.source.file} ${f.source.key}` : f.source.file, String(f.checked), String(f.matched)])
    const header = ['fact', 'value', 'from', 'checked', 'matched']
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
    const line = (cells: string[]) => '  ' + cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd() + '\n'
    out += line(header)
    for (const row of rows) out += line(row)
    const unmatched = facts.filter(vacuous).length
    out += unmatched > 0 ? `  ${unmatched} of ${facts.length} facts were never used by the linted docs: check them against the service\n\n` : '\n'
  }
  return out
}

/**
 * Facts that say what the docs must not contain (a stale prefix, an install to pin, a forbidden
 * pattern) match nothing in clean docs, as they should: they are vacuous only when nothing was
 * even checked against them. The others (prefix, routes, secrets, images) should match somewhere.
 */
export function vacuous(fact: FactUsage): boolean {
  // Pins and patterns count only what they flag, so clean docs cannot tell us more about them.
  if (fact.kind === 'install' || fact.kind === 'pattern') return false
  return fact.kind === 'stale-prefix' ? fact.checked === 0 : fact.matched === 0
}

/** One warning line for the run's summary, or nothing. */
export function unmatchedWarning(configs: ConfigFacts[]): string {
  const unmatched = configs.flatMap((c) => c.facts.filter(vacuous).map((f) => ({...f, config: c.config})))
  if (unmatched.length === 0) return ''
  const shown = unmatched.slice(0, 3).map((f) => `${f.kind} \`${f.fact}\` (${f.source.key ? `${f.source.file} \`${f.source.key}\`` : f.source.file})`).join(', ')
  const more = unmatched.length > 3 ? ` and ${unmatched.length - 3} more` : ''
  return `docdrift: warning: ${unmatched.length} config fact${unmatched.length === 1 ? '' : 's'} never used by the linted docs: ${shown}${more}; run with \`--facts\` to see them all\n`
}
