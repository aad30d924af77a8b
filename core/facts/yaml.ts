/** YAML blocks parsed once per text (facts, images and installs read the same documents). */
import {parseAllDocuments, Scalar, type Document} from 'yaml'
import {Memo} from '../memo.js'
import {templateYaml} from './gotemplate.js'

const parsed = new Memo<Document.Parsed[] | undefined>(1024 * 1024)

/**
 * Every document of a YAML (or JSON) block, error tolerant; undefined when it cannot be read.
 * Read-only. A chart template is read as `templateYaml` writes it, at the same offsets: its lines
 * of actions alone are not YAML.
 */
export function parseYamlDocuments(text: string): Document.Parsed[] | undefined {
  return parsed.get(text, () => {
    try {
      const documents = parseAllDocuments(text.includes('{{') ? templateYaml(text) : text, {keepSourceTokens: false, prettyErrors: false, strict: false, uniqueKeys: false})
      return (Array.isArray(documents) ? documents : [documents]) as Document.Parsed[]
    } catch {
      return undefined
    }
  })
}

/** A YAML scalar's value range, inside its quotes when the parser read it as a quoted scalar. */
export function innerRange(scalar: Scalar): [number, number] {
  const [start, end] = scalar.range!
  if (scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE) return [start + 1, end - 1]
  return [start, end]
}

/** Characters a YAML double-quoted escape stands for (`\n`, `\"`…), by the letter after `\`. */
const escapes: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029'
}
const hexLength: Record<string, number> = {x: 2, u: 4, U: 8}

/**
 * The value of a one-line double-quoted YAML scalar from its source between the quotes, with the
 * source offset of each of the value's characters (an escape's characters all point at its `\`);
 * undefined for an escape YAML does not know or a line break (folding).
 */
export function doubleQuotedValue(source: string): {value: string; offsets: number[]} | undefined {
  if (/[\r\n]/.test(source)) return undefined
  let value = ''
  const offsets: number[] = []
  for (let at = 0; at < source.length; at++) {
    const char = source[at]
    if (char !== '\\') {
      value += char
      offsets.push(at)
      continue
    }
    const letter = source[at + 1]
    let decoded = letter === undefined ? undefined : escapes[letter]
    let length = 2
    if (letter !== undefined && letter in hexLength) {
      const hex = source.slice(at + 2, at + 2 + hexLength[letter])
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength[letter]) return undefined
      const code = Number.parseInt(hex, 16)
      if (code > 0x10ffff) return undefined
      decoded = String.fromCodePoint(code)
      length = 2 + hex.length
    }
    if (decoded === undefined) return undefined
    for (let unit = 0; unit < decoded.length; unit++) offsets.push(at)
    value += decoded
    at += length - 1
  }
  return {value, offsets}
}
