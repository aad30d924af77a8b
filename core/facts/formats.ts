/**
 * Small tokenizers for the languages that have no maintained parser with offsets on npm: nginx
 * configuration, Caddyfiles and Dockerfiles (line/word based), and Traefik's router rules (matcher
 * calls on quoted strings).
 */

export interface Token {
  text: string
  start: number
  end: number
}

/** A directive of a line-based config language (nginx, Caddyfile): its name and its arguments. */
export interface Directive {
  name: Token
  args: Token[]
  /** How many blocks (`{ … }`) hold it. */
  depth: number
  /** Whether it opens a block (`location /x {`): the directives after it, deeper, are its body. */
  opens: boolean
}

/** How a line-based config language splits directives and words. */
interface DirectiveSyntax {
  /** Whether the character at `at` ends a directive (it is not part of a word). */
  ends(text: string, at: number): boolean
  /** Quotes that group words, and whether a backslash escapes the next character inside each. */
  quotes: Record<string, boolean>
  /** Characters that end an unquoted word. */
  stops: string
}

/** nginx: directives are words up to `;` or `{` (or `}`); `#` starts a comment; quotes group words. */
const nginxSyntax: DirectiveSyntax = {
  ends: (text, at) => text[at] === ';' || text[at] === '{' || text[at] === '}',
  quotes: {'"': true, "'": true},
  stops: ' \t\r\n;{}'
}

/**
 * Caddyfile: one directive per line, words split by blanks; `"…"` and backtick strings group
 * words; `#` at a word's start comments out the rest of the line; a `{` or `}` standing alone
 * opens or closes a block (`{uri}` is a placeholder, part of its word).
 */
const caddySyntax: DirectiveSyntax = {
  ends: (text, at) => text[at] === '\n' || ((text[at] === '{' || text[at] === '}') && (at + 1 === text.length || ' \t\r\n'.includes(text[at + 1]))),
  quotes: {'"': true, '`': false},
  stops: ' \t\r\n'
}

export function nginxDirectives(text: string): Directive[] {
  return directives(text, nginxSyntax)
}

export function caddyDirectives(text: string): Directive[] {
  return directives(text, caddySyntax)
}

function directives(text: string, syntax: DirectiveSyntax): Directive[] {
  const out: Directive[] = []
  let words: Token[] = []
  let depth = 0
  const flush = (opens: boolean) => {
    if (words.length > 0) out.push({name: words[0], args: words.slice(1), depth, opens})
    words = []
  }
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (syntax.ends(text, i)) {
      flush(c === '{')
      if (c === '{') depth++
      else if (c === '}' && depth > 0) depth--
      i++
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (Object.hasOwn(syntax.quotes, c)) {
      let j = i + 1
      while (j < text.length && text[j] !== c) j += syntax.quotes[c] && text[j] === '\\' ? 2 : 1
      words.push({text: text.slice(i + 1, Math.min(j, text.length)), start: i + 1, end: Math.min(j, text.length)})
      i = j + 1
    } else {
      let j = i
      while (j < text.length && !syntax.stops.includes(text[j])) j++
      words.push({text: text.slice(i, j), start: i, end: j})
      i = j
    }
  }
  flush(false)
  return out
}

/** The directives right inside the block `list[index]` opens (not those of blocks nested in it). */
export function blockBody(list: readonly Directive[], index: number): Directive[] {
  const head = list[index]
  if (!head.opens) return []
  const body: Directive[] = []
  for (let at = index + 1; at < list.length && list[at].depth > head.depth; at++) if (list[at].depth === head.depth + 1) body.push(list[at])
  return body
}

export interface DockerInstruction {
  keyword: Token
  /** Everything after the keyword up to the end of the (continued) instruction. */
  rest: Token
}

/** Dockerfile: one instruction per logical line (`\` continues), `#` lines are comments. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = []
  let i = 0
  while (i < text.length) {
    let lineEnd = text.indexOf('\n', i)
    if (lineEnd === -1) lineEnd = text.length
    let j = i
    while (j < lineEnd && (text[j] === ' ' || text[j] === '\t')) j++
    if (j === lineEnd || text[j] === '#') {
      i = lineEnd + 1
      continue
    }
    let k = j
    while (k < lineEnd && /[A-Za-z]/.test(text[k])) k++
    const keyword = {text: text.slice(j, k).toUpperCase(), start: j, end: k}
    // Follow `\` continuations.
    let end = lineEnd
    while (text.slice(i, end).trimEnd().endsWith('\\') && end < text.length) {
      const next = text.indexOf('\n', end + 1)
      end = next === -1 ? text.length : next
    }
    out.push({keyword, rest: {text: text.slice(k, end), start: k, end}})
    i = end + 1
  }
  return out
}

/**
 * Shell text of a Dockerfile: keywords (and `HEALTHCHECK` options up to `CMD`) become spaces,
 * so `RUN`, `CMD` and `HEALTHCHECK CMD` bodies parse as shell at their own offsets.
 */
export function dockerfileAsShell(text: string): string {
  const chars = text.split('')
  const blank = (from: number, to: number) => {
    for (let x = from; x < to; x++) if (chars[x] !== '\n' && chars[x] !== '\r') chars[x] = ' '
  }
  for (const instruction of dockerInstructions(text)) {
    const word = instruction.keyword.text
    if (word === 'RUN' || word === 'CMD' || word === 'ENTRYPOINT') {
      blank(instruction.keyword.start, instruction.keyword.end)
    } else if (word === 'HEALTHCHECK') {
      const cmd = instruction.rest.text.indexOf('CMD')
      blank(instruction.keyword.start, cmd === -1 ? instruction.rest.end : instruction.rest.start + cmd + 3)
    } else if (word === 'ENV' || word === 'ARG') {
      blank(instruction.keyword.start, instruction.keyword.end)
      // `ENV KEY=value` and `ARG NAME=default` (what a build without `--build-arg` gets) read as
      // assignments; `ARG NAME` (no default) is not shell.
      // `ENV KEY value` (the legacy form, `legacyEnv`) is not shell either.
      if (!instruction.rest.text.trim().split(/\s/, 1)[0].includes('=')) blank(instruction.rest.start, instruction.rest.end)
    } else {
      blank(instruction.keyword.start, instruction.rest.end)
    }
  }
  return chars.join('')
}

/**
 * The key and value of each legacy `ENV KEY value` instruction of a Dockerfile: the rest of the
 * line after the key is the value, spaces and all; a value that is one quoted string is what is
 * inside the quotes (a value with a line continuation is not read).
 */
export function legacyEnv(text: string): Array<{key: Token; value: Token}> {
  const out: Array<{key: Token; value: Token}> = []
  for (const {keyword, rest} of dockerInstructions(text)) {
    if (keyword.text !== 'ENV') continue
    const match = /^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)([ \t]+)(\S(?:.*\S)?)[ \t]*$/.exec(rest.text)
    if (!match) continue
    const [, lead, key, gap, written] = match
    const keyStart = rest.start + lead.length
    let valueStart = keyStart + key.length + gap.length
    let value = written
    if (/^(["'])[^\n]*\1$/.test(value) && value.length > 1 && !value.slice(1, -1).includes(value[0])) {
      value = value.slice(1, -1)
      valueStart++
    }
    out.push({key: {text: key, start: keyStart, end: keyStart + key.length}, value: {text: value, start: valueStart, end: valueStart + value.length}})
  }
  return out
}

/** Traefik matchers whose arguments are paths (`PathRegexp` takes a regular expression: not read). */
const pathMatchers = new Set(['Path', 'PathPrefix'])

/**
 * The paths of a Traefik router rule: the arguments of its `Path` and `PathPrefix` matchers
 * (`Host(`chat.example.com`) && PathPrefix(`/chat`)` → `/chat`), at their offsets in `text`.
 * A rule is matcher calls on strings in backticks or double quotes, joined by `&&`, `||`, `!` and
 * parentheses; anything else is passed over.
 */
export function traefikRulePaths(text: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '`' || c === '"') {
      i = stringEnd(text, i)
      continue
    }
    if (!identifierChar(c)) {
      i++
      continue
    }
    let j = i
    while (j < text.length && identifierChar(text[j])) j++
    const name = text.slice(i, j)
    i = j
    while (text[i] === ' ' || text[i] === '\t') i++
    if (text[i] !== '(') continue
    i++
    // Arguments: strings separated by commas, up to `)`.
    for (;;) {
      while (text[i] === ' ' || text[i] === '\t') i++
      const quote = text[i]
      if (quote !== '`' && quote !== '"') break
      const end = stringEnd(text, i)
      const value = text.slice(i + 1, end - 1)
      // A path written plainly (a backslash in a double-quoted one would shift the offsets).
      if (pathMatchers.has(name) && value.startsWith('/') && text[end - 1] === quote && !(quote === '"' && value.includes('\\'))) {
        out.push({text: value, start: i + 1, end: end - 1})
      }
      i = end
      while (text[i] === ' ' || text[i] === '\t') i++
      if (text[i] !== ',') break
      i++
    }
  }
  return out
}

function identifierChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_'
}

/** The offset after the string that starts at `start` (its closing quote, or the text's end). */
function stringEnd(text: string, start: number): number {
  const quote = text[start]
  let at = start + 1
  while (at < text.length && text[at] !== quote) at += quote === '"' && text[at] === '\\' ? 2 : 1
  return Math.min(at + 1, text.length)
}
