/**
 * TOML blocks (`toml`), parsed once per text by toml-eslint-parser (an AST with source ranges),
 * for the facts and images read from them: a Traefik router's `rule = "PathPrefix(…)"`, a health
 * check's `path = "/healthz"` (fly.toml), env tables (`[env]`), `image = "…"`.
 *
 * The parser stops at the first error, and a doc's TOML is often a sketch (`key = <your key>`):
 * the line of each error is blanked and the rest parsed again (./sketch.ts).
 */
import {ParseError, parseTOML, type AST} from 'toml-eslint-parser'
import {Memo} from '../memo.js'
import {blankLineAt, mayParseAgain, maxBlankedLines} from './sketch.js'

export interface TomlDocument {
  text: string
  ast: AST.TOMLProgram
}

export interface TomlString {
  node: AST.TOMLStringValue
  /** The value's range inside its quotes (after the line break that opens a multi-line string). */
  inner: [number, number]
  /** The key that holds the string (for the strings of an array, the array's key). */
  key: string
  /** Keys from the document's root to the table or inline table that holds the key, dotted keys included. */
  path: readonly string[]
  /** The value is the text at `inner` (nothing unescaped): its offsets follow the text. */
  verbatim: boolean
}

const parsed = new Memo<TomlDocument | undefined>(1024 * 1024)

/** A TOML block's AST, with the lines that do not parse left out; undefined when nothing parses. */
export function parseTomlDocument(text: string): TomlDocument | undefined {
  return parsed.get(text, () => {
    let source: string | undefined = text
    let cost = 0
    for (let attempt = 0; source !== undefined && attempt <= maxBlankedLines && mayParseAgain(cost, text.length); attempt++) {
      try {
        return {text, ast: parseTOML(source)}
      } catch (error) {
        if (!(error instanceof ParseError)) return undefined
        // The parser stopped at the error: what it read so far is what this attempt cost.
        cost += error.index
        source = blankLineAt(source, error.index)
      }
    }
    return undefined
  })
}

/** Every string value of a TOML document, in source order, with the key and tables it is under. */
export function tomlStrings(doc: TomlDocument): TomlString[] {
  const out: TomlString[] = []
  const value = (node: AST.TOMLContentNode, key: string, path: readonly string[]) => {
    if (node.type === 'TOMLValue') {
      if (node.kind !== 'string') return
      const quote = node.multiline ? 3 : 1
      let start = node.range[0] + quote
      // A line break right after a multi-line string's opening quotes is not part of the value.
      if (node.multiline) start += doc.text.startsWith('\r\n', start) ? 2 : doc.text.startsWith('\n', start) ? 1 : 0
      const end = node.range[1] - quote
      out.push({node, inner: [start, end], key, path, verbatim: doc.text.slice(start, end) === node.value})
    } else if (node.type === 'TOMLArray') {
      for (const element of node.elements) value(element, key, path)
    } else {
      pairs(node.body, [...path, key])
    }
  }
  const pairs = (body: readonly AST.TOMLKeyValue[], path: readonly string[]) => {
    for (const pair of body) {
      const keys = pair.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value))
      value(pair.value, keys[keys.length - 1], [...path, ...keys.slice(0, -1)])
    }
  }
  for (const item of doc.ast.body[0].body) {
    if (item.type === 'TOMLKeyValue') pairs([item], [])
    else pairs(item.body, item.resolvedKey.map(String))
  }
  return out
}
