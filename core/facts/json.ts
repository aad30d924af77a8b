/**
 * JSON written as a value (`KONG_ADMIN_GUI_SESSION_CONF='{"secret":"kong"}'`): its string members,
 * each with the key it sits under and where it is written in the value.
 */
import {isScalar, parseDocument, Scalar, visit} from 'yaml'

/** A string member of a JSON value, offsets in the value's text, inside its quotes. */
export interface JsonString {
  /** The key right above the string (the innermost object's key). */
  key: string
  value: string
  start: number
  end: number
}

/**
 * The keyed strings of `text` when it is a JSON object (nothing otherwise). JSON.parse decides
 * whether it is JSON; the YAML parser, for which JSON is a subset, places each string.
 */
export function jsonStrings(text: string): JsonString[] {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return []
  try {
    const parsed: unknown = JSON.parse(trimmed)
    if (parsed === null || typeof parsed !== 'object') return []
  } catch {
    return []
  }
  const doc = parseDocument(text, {keepSourceTokens: false, prettyErrors: false, uniqueKeys: false})
  if (doc.errors.length > 0) return []
  const out: JsonString[] = []
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return
      const value = pair.value
      if (!isScalar(value) || value.type !== Scalar.QUOTE_DOUBLE || typeof value.value !== 'string' || !value.range) return
      out.push({key: pair.key.value, value: value.value, start: value.range[0] + 1, end: value.range[1] - 1})
    }
  })
  return out
}
