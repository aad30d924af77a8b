import type {Snippet, SnippetLang} from '../extract/snippets.js'
import type {DocFacts} from '../facts/types.js'
import type {ResolvedConfig, SourceRef} from '../types.js'

export type Safety = 'safe' | 'suggestion'

/**
 * What a snippet holds wherever a rule can find something in it, on one line: a string anywhere
 * in it (`'openssl'`), or a word (`{word: 'key'}`): the string with no ASCII letter or digit
 * right before or after it (`API_KEY=`, `jwt-key:`, `"key"`, not `keys` or `monkey`).
 *
 * A word is found in a paragraph's source wherever it is found in a piece of the paragraph (a
 * text run, inline code, a link's destination): the pieces meet at Markdown's punctuation, never
 * at a letter or digit (the readers skip a paragraph whose source holds no needle:
 * core/extract/snippets.ts `paragraphHoldsNothing`).
 */
export type Needle = string | {word: string} | LangNeedle

/**
 * A needle that keeps snippets of its own languages only, whatever the rule's `langs`: a rule that
 * reads commands and manifests may read one construct of code blocks too, which its ordinary
 * needles (`image`, `docker`) must not keep every Go or Java block for (mutable-image's
 * `fromRegistry`, for `code`).
 */
export interface LangNeedle {
  needle: string | {word: string}
  langs: readonly SnippetLang[]
}

/** A word needle: `word('date')` is found in `$(date +%s)`, not in `update`. */
export function word(text: string): Needle {
  return {word: text}
}

/** Needles that keep snippets of `langs` only (`LangNeedle`). */
export function inLangs(langs: readonly SnippetLang[], needles: ReadonlyArray<string | {word: string}>): LangNeedle[] {
  return needles.map((needle) => ({needle, langs}))
}

/** A needle's text, whether it is a word, and the languages it is restricted to (if any). */
export function needleParts(needle: Needle): {text: string; word: boolean; langs?: readonly SnippetLang[]} {
  if (typeof needle === 'string') return {text: needle, word: false}
  if ('needle' in needle) return {...needleParts(needle.needle), langs: needle.langs}
  return {text: needle.word, word: true}
}

export interface RuleMeta {
  /** Rule id, the same in every host (`stale-route`). */
  id: string
  /** One line for docs, `--help` and markdownlint's `description`. */
  description: string
  tags: string[]
  /** Default severity: rules whose findings break deployments are errors. */
  severity: 'error' | 'warn'
  /** The strongest fix the rule offers. */
  fixable: Safety | 'none'
  /** Config sections the rule reads (docs header). */
  config?: string[]
}

export interface Report {
  snippet: Snippet
  /** Range of the offending text in the snippet value. */
  start: number
  end: number
  message: string
  /** Replacement for exactly that range, when there is one. */
  expected?: string
  safety?: Safety
  note?: string
}

export interface RuleContext {
  config: ResolvedConfig
  facts: DocFacts
  report(report: Report): void
  /**
   * Record that one place in the document was checked against a config fact (see
   * `core/facts/usage.ts` for the keys), and whether the fact applied to it.
   */
  use(fact: string, matched: boolean): void
}

export interface Rule {
  meta: RuleMeta
  /**
   * Needles without which a document cannot hold a finding of this rule under `config` (stale
   * prefixes, route names, generator commands…). The engine skips files and snippets that contain
   * none of the enabled rules' needles before any shell or YAML parse. Undefined (no method, or
   * an undefined result): always run. A `LangNeedle` keeps snippets of its own languages, not the
   * rule's.
   */
  needles?(config: ResolvedConfig): Needle[] | undefined
  /**
   * The snippet languages this rule's facts come from (default: all). A snippet in another
   * language is kept for this rule's needles only if some other rule reads that language: prose
   * holds URLs for stale-route, not commands for secret rules.
   */
  langs?: readonly SnippetLang[]
  check(context: RuleContext): void
}

/** Where commands, assignments and images are written: every language but prose, link URLs and nginx. */
export const commandLangs: readonly SnippetLang[] = ['shell', 'dotenv', 'dockerfile', 'yaml', 'json', 'toml', 'hcl', 'inline']

/**
 * A command as a message quotes it: on one line (continuations and line breaks, LF or CRLF, as
 * one space), at most 60 characters.
 */
export function clip(text: string): string {
  const flat = text.replace(/\s*\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ')
  return flat.length > 60 ? flat.slice(0, 57) + '…' : flat
}

/** `config.toml \`chatbox.path_prefix\`` — how messages cite the truth. */
export function cite(source: SourceRef): string {
  return source.key ? `${source.file} \`${source.key}\`` : source.file
}
