/**
 * Turn a code block into text the shell parser can read, without moving a single offset:
 * prompts and output lines of `console` blocks become spaces, and doc placeholders such as
 * `<your-token>` become plain words (`_your-token_`) instead of redirections.
 */

/** Does this block read like a terminal transcript (`$ cmd` lines followed by output)? */
export function hasPrompts(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart()
    // `# ` starts a comment in a script; only `$ ` (or `user@host:~$ `) marks a transcript here.
    if (trimmed === '' || trimmed.startsWith('#')) continue
    return promptLength(line) > 0 && !trimmed.startsWith('>')
  }
  return false
}

/** Length of a leading prompt (`$ `, `# `, `% `, `user@host:~$ `), or 0. */
export function promptLength(line: string): number {
  let i = 0
  while (line[i] === ' ' || line[i] === '\t') i++
  const c = line[i]
  if ((c === '$' || c === '#' || c === '%' || c === '>') && (line[i + 1] === ' ' || line[i + 1] === undefined || line[i + 1] === '\r')) {
    return i + 2 > line.length ? line.length : i + 2
  }
  // `user@host:~/dir$ ` or `[user@host dir]$ `
  const end = line.indexOf('$ ', i)
  if (end > i && end < 80) {
    const head = line.slice(i, end)
    if (head.includes('@') && !/\s/.test(head.replace(/^\[|\]$/g, '').replace(/ [^ ]*$/, ''))) return end + 2
  }
  return 0
}

/**
 * Blank out prompts and output of a transcript: a line with a prompt is a command, and so is a
 * line continued from it (trailing `\` or an open here-document); every other line is output.
 */
export function maskTranscript(text: string): string {
  const lines = text.split('\n')
  let continued = false
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line
    if (continued) {
      const cont = bare.startsWith('> ') ? 2 : 0
      lines[index] = ' '.repeat(cont) + line.slice(cont)
      continued = bare.endsWith('\\')
      continue
    }
    const prompt = promptLength(bare)
    if (prompt > 0) {
      lines[index] = ' '.repeat(prompt) + line.slice(prompt)
      continued = bare.endsWith('\\')
    } else {
      lines[index] = blank(line)
    }
  }
  return lines.join('\n')
}

function blank(line: string): string {
  let out = ''
  for (const ch of line) out += ch === '\r' ? '\r' : ch.length === 2 ? '  ' : ' '
  return out
}

/**
 * Replace `<placeholder>` angle brackets with `_` so the parser sees a word, keeping offsets.
 * A placeholder starts with a letter and holds letters, digits, `_ - . : /` and inner spaces.
 */
export function maskPlaceholders(text: string): string {
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    if (text[i - 1] === '<' || !isLetter(text[i + 1])) continue
    let j = i + 1
    while (j < text.length && j - i < 64 && isPlaceholderChar(text[j])) j++
    if (text[j] !== '>' || text[j - 1] === ' ') continue
    text = text.slice(0, i) + '_' + text.slice(i + 1, j).replace(/ /g, '_') + '_' + text.slice(j + 1)
    i = j
  }
  return text
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
}

function isPlaceholderChar(c: string): boolean {
  return isLetter(c) || (c >= '0' && c <= '9') || c === '_' || c === '-' || c === '.' || c === ':' || c === '/' || c === ' '
}

/** Prepare a shell block for parsing. */
export function prepareShell(text: string, transcript: boolean): string {
  return maskPlaceholders(transcript ? maskTranscript(text) : text)
}
