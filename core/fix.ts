/**
 * Apply findings' fixes to the original text, byte for byte: only the flagged ranges change,
 * never a re-serialisation of the Markdown. Overlapping fixes are skipped (the first wins);
 * a second run finds nothing left to fix.
 */
import type {Finding, Fix} from './engine.js'
import type {Safety} from './rules/types.js'

export interface ApplyOptions {
  /** Which fixes to apply: `safe` (default, what `--fix` does) or every fix, suggestions included. */
  include?: Safety | 'all'
}

export interface Applied {
  text: string
  applied: Fix[]
  skipped: Fix[]
}

export function fixesOf(findings: Finding[], options: ApplyOptions = {}): Fix[] {
  const include = options.include ?? 'safe'
  return findings
    .map((f) => f.fix)
    .filter((fix): fix is Fix => fix !== undefined && (include === 'all' || fix.safety === 'safe'))
}

export function applyFixes(text: string, fixes: Fix[]): Applied {
  const sorted = [...fixes].sort((a, b) => a.start - b.start || a.end - b.end)
  const applied: Fix[] = []
  const skipped: Fix[] = []
  let out = ''
  let cursor = 0
  for (const fix of sorted) {
    if (fix.start < cursor || fix.end < fix.start || fix.end > text.length || text.slice(fix.start, fix.end) === fix.text) {
      skipped.push(fix)
      continue
    }
    out += text.slice(cursor, fix.start) + fix.text
    cursor = fix.end
    applied.push(fix)
  }
  return {text: out + text.slice(cursor), applied, skipped}
}
