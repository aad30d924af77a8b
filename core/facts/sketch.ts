/**
 * Config blocks in docs are often sketches (`port = <port>`, `key = <your key>`). Parsers that stop
 * at an error (TOML), or recover by folding the next line into it (tree-sitter's HCL), read the
 * rest once the line of the error is blanked: spaces, so every offset in the text stays.
 */

/** `text` with the line that holds `index` blanked; undefined when that line is blank already (nothing left to try). */
export function blankLineAt(text: string, index: number): string | undefined {
  const start = text.lastIndexOf('\n', Math.max(0, index - 1)) + 1
  let end = text.indexOf('\n', index)
  if (end === -1) end = text.length
  const line = text.slice(start, end)
  if (line.trim() === '') return undefined
  return text.slice(0, start) + line.replace(/[^\r]/g, ' ') + text.slice(end)
}

/** How many error lines a block may have before it is read no further. */
export const maxBlankedLines = 16

/**
 * Whether another parse of a text of `length` fits, after `parsed` characters parsed so far: a
 * sketch is short and may be parsed `maxBlankedLines` times, a large block with many errors (a
 * generated file pasted whole) a few times only, so retries never cost more than about four parses
 * of the block and 64 KB.
 */
export function mayParseAgain(parsed: number, length: number): boolean {
  return parsed + length <= 4 * length + 65536
}
