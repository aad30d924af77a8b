/**
 * Small tokenizers for the two block languages that have no maintained parser with offsets on
 * npm: nginx configuration and Dockerfiles. Both grammars are line/word based.
 */

export interface Token {
  text: string
  start: number
  end: number
}

export interface NginxDirective {
  name: Token
  args: Token[]
}

/** nginx: directives are words up to `;` or `{`; `#` starts a comment; quotes group words. */
export function nginxDirectives(text: string): NginxDirective[] {
  const out: NginxDirective[] = []
  let words: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === ';' || c === '{' || c === '}') {
      if (words.length > 0) out.push({name: words[0], args: words.slice(1)})
      words = []
      i++
    } else if (c === '"' || c === "'") {
      let j = i + 1
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1
      words.push({text: text.slice(i + 1, Math.min(j, text.length)), start: i + 1, end: Math.min(j, text.length)})
      i = j + 1
    } else {
      let j = i
      while (j < text.length && !' \t\r\n;{}'.includes(text[j])) j++
      words.push({text: text.slice(i, j), start: i, end: j})
      i = j
    }
  }
  if (words.length > 0) out.push({name: words[0], args: words.slice(1)})
  return out
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
    } else if (word === 'ENV') {
      blank(instruction.keyword.start, instruction.keyword.end)
      // `ENV KEY value` (legacy form) is not shell; `ENV KEY=value` reads as an assignment.
      if (!instruction.rest.text.trim().split(/\s/, 1)[0].includes('=')) blank(instruction.rest.start, instruction.rest.end)
    } else {
      blank(instruction.keyword.start, instruction.rest.end)
    }
  }
  return chars.join('')
}
