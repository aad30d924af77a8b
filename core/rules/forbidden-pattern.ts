/**
 * forbidden-pattern: the project's own list of things its docs must not say (`forbidden` in the
 * config), each with its message and an optional replacement, searched only in the kinds of
 * snippet it names (`shell` blocks, `inline` code, `prose`…). Patterns run on RE2 (re2js), in
 * time linear in the text, so a pattern like `(a+)+$` cannot hang CI.
 */
import type {RE2JS} from 're2js'
import {compilePattern} from '../config/load.js'
import type {ForbiddenPattern} from '../types.js'
import {cite, type Rule} from './types.js'

const compiled = new WeakMap<ForbiddenPattern, RE2JS>()

function regexOf(pattern: ForbiddenPattern): RE2JS {
  let re = compiled.get(pattern)
  if (!re) {
    re = compilePattern(pattern.pattern, pattern.flags)
    compiled.set(pattern, re)
  }
  return re
}

export const forbiddenPattern: Rule = {
  meta: {
    id: 'forbidden-pattern',
    description: 'Text the project forbids in its docs (configured patterns, each with its own message and replacement)',
    tags: ['custom'],
    severity: 'error',
    fixable: 'safe',
    config: ['forbidden']
  },
  needles(config) {
    // A regular expression has no needle in general: with patterns, every snippet is searched.
    return config.forbidden && config.forbidden.length > 0 ? undefined : []
  },
  check({config, facts, report, use}) {
    const patterns = config.forbidden ?? []
    if (patterns.length === 0) return
    for (const pattern of patterns) {
      const re = regexOf(pattern)
      for (const snippet of facts.snippets) {
        if (pattern.in && !pattern.in.includes(snippet.lang)) continue
        const matcher = re.matcher(snippet.value)
        let from = 0
        while (from <= snippet.value.length && matcher.find(from)) {
          const start = matcher.start()
          const end = matcher.end()
          from = end > start ? end : end + 1
          use(`pattern:${pattern.id}`, true)
          if (end === start) continue
          let expected: string | undefined
          if (pattern.replace !== undefined) {
            expected = pattern.replace.replace(/\$(\d)/g, (_, n: string) => matcher.group(Number(n)) ?? '')
          }
          report({
            snippet,
            start,
            end,
            message: pattern.message,
            expected,
            // The config's own `replace` is the fix the user wrote: safe, as Vale substitutions are.
            safety: 'safe',
            note: `Forbidden by \`${pattern.id}\` (\`${pattern.pattern}\`) in ${cite(pattern.source)}`
          })
        }
      }
    }
  }
}
