/**
 * Turn a code block into text the shell parser can read, without moving a single offset:
 * prompts and output lines of `console` blocks become spaces, and doc placeholders such as
 * `<your-token>` become plain words (`_your-token_`) instead of redirections.
 */
import {parseShell, type ShCommand, type ShScript} from './parse.js'

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

/**
 * The commands written on the `# ` lines of a script read as a script, at their places in
 * `text` (the text the script was parsed from): a root prompt (`# buildah commit $ctr app`) and
 * a comment cannot be told apart, so `hasPrompts` reads such lines as comments. A line that is a
 * comment and nothing else, its `#` followed by a space, has its text parsed as a command line.
 * Only for facts that can only take findings away (an image built on the page): reading a
 * comment as a command must never make a finding. Only comments that hold one of `programs` as a
 * word are parsed.
 */
export function rootPromptCommands(script: ShScript, text: string, programs: ReadonlySet<string>): ShCommand[] {
  const out: ShCommand[] = []
  for (const comment of script.comments) {
    if (comment.text[0] !== ' ') continue
    // Most comments are prose: only one that names one of `programs` (a word, or a path's last
    // part) is parsed.
    if (!comment.text.split(/\s+/).some((word) => programs.has(word.slice(word.lastIndexOf('/') + 1)))) continue
    const line = text.lastIndexOf('\n', comment.start - 1) + 1
    if (text.slice(line, comment.start).trim() !== '') continue
    for (const pipeline of parseShell(comment.text, comment.start + 1).pipelines) out.push(...pipeline.commands)
  }
  return out
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
      const body = bare.includes('<<') ? hereDocuments(lines, index) : []
      lines.splice(index + 1, body.length, ...body)
      index += body.length
    } else {
      lines[index] = blank(line)
    }
  }
  return lines.join('\n')
}

/**
 * The lines after the command line `index` (its prompt blanked) that are the here-documents it
 * opens (`$ cat <<EOF > Dockerfile`, up to the delimiter line), with a continuation prompt `> `
 * blanked; none when it opens none, or one the block never closes (then the lines are output).
 */
function hereDocuments(lines: string[], index: number): string[] {
  const rest = lines.slice(index + 1).map((line) => (line.startsWith('> ') ? '  ' + line.slice(2) : line === '>' ? ' ' : line))
  const text = [lines[index], ...rest].join('\n')
  const opened = lines[index].length
  let end = -1
  for (const heredoc of parseShell(text).heredocs) {
    if (heredoc.command.start >= opened) continue
    // The body ends where its delimiter line starts; at the end of the text it is never closed.
    if (heredoc.end >= text.length) return []
    end = Math.max(end, heredoc.end)
  }
  if (end === -1) return []
  // The delimiter line ends the here-document: the body's lines and that line.
  const close = text.indexOf('\n', end)
  const count = text.slice(opened, close === -1 ? text.length : close).split('\n').length - 1
  return rest.slice(0, count)
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

/**
 * Length of a leading PowerShell prompt (`PS C:\> `, `PS C:\Users\me> `, `PS /home/me> `,
 * `PS> `), or 0. The location is a path: it starts with `/`, `~` or `\`, or holds a drive's `:`.
 */
export function powershellPromptLength(line: string): number {
  let i = 0
  while (line[i] === ' ' || line[i] === '\t') i++
  if (line[i] !== 'P' || line[i + 1] !== 'S') return 0
  let end = i + 2
  if (line[end] === ' ') {
    const close = line.indexOf('>', end + 1)
    const location = line.slice(end + 1, close)
    if (close === -1 || location === '' || close - end > 260) return 0
    if (!'/~\\'.includes(location[0]) && !location.includes(':')) return 0
    end = close
  }
  if (line[end] !== '>') return 0
  const after = line[end + 1]
  if (after === undefined || after === '\r') return end + 1
  return after === ' ' ? end + 2 : 0
}

/**
 * A PowerShell block written as a session (`PS C:\> irm … | iex`, then what it printed), with
 * prompts and output blanked as `maskTranscript` does for the shell: a line with a prompt is a
 * command, and so is a line continued from it (`>> ` prompts, a trailing backtick); every other
 * line is output. A block whose first line has no prompt is returned as it is.
 */
export function maskPowerShellSession(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
  if (first === undefined || powershellPromptLength(first) === 0) return text
  const lines = text.split('\n')
  let continued = false
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line
    const prompt = powershellPromptLength(bare)
    const more = continued && bare.trimStart().startsWith('>>') ? bare.indexOf('>>') + 2 : -1
    if (prompt > 0 || continued) {
      const cut = prompt > 0 ? prompt : Math.max(more, 0)
      lines[index] = ' '.repeat(cut) + line.slice(cut)
      continued = bare.endsWith('`') || (index + 1 < lines.length && lines[index + 1].trimStart().startsWith('>>'))
    } else {
      lines[index] = blank(line)
    }
  }
  return lines.join('\n')
}

/**
 * Blank every line of a block of `# ` lines but those (the `root-prompts` dialect of
 * core/extract/snippets.ts): they are comments, which `rootPromptCommands` reads, and the other
 * lines what they printed.
 */
export function maskRootPromptOutput(text: string): string {
  return text.split('\n').map((line) => (line.trimStart().startsWith('#') ? line : blank(line))).join('\n')
}

/** Prepare a shell block for parsing. */
export function prepareShell(text: string, transcript: boolean | 'root-prompts'): string {
  return maskPlaceholders(transcript === 'root-prompts' ? maskRootPromptOutput(text) : transcript ? maskTranscript(text) : text)
}

/** `text` with everything outside `[from, to)` blanked (line breaks kept), so a piece parses at its own offsets. */
export function only(text: string, from: number, to: number): string {
  return text.slice(0, from).replace(/[^\n]/g, ' ') + text.slice(from, to) + text.slice(to).replace(/[^\n]/g, ' ')
}
