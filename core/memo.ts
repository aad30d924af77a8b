/**
 * A bounded memo (least recently used first out), keyed by text. Editors re-lint the same
 * blocks on every keystroke and docs repeat commands, so parses and models are reused; cached
 * values are shared and must be treated as read-only.
 *
 * Entries age by documents, not only by size: one that no document among the last `documents`
 * linted has used is let go. An editor re-lints the open document's blocks on every keystroke,
 * so they stay; a run over a docs tree keeps only the recent documents' blocks (a command the
 * next pages repeat), not the whole tree's, so what the memos hold stays small however large the
 * tree (at 4× the corpus, markdownlint-cli2's peak memory about 45 MB lower).
 */

/** Documents linted so far in this thread (the engine counts them: `nextDocument`). */
let documents = 0

/** The engine calls this once per document it analyses. */
export function nextDocument(): void {
  documents++
}

export class Memo<V> {
  private readonly entries = new Map<string, {value: V; used: number}>()
  private size = 0

  /**
   * `limit`: the most key characters kept (a proxy for the memory held); `age`: the documents an
   * entry outlives unused.
   */
  constructor(private readonly limit: number, private readonly age = 64) {
    // DOCDRIFT_NO_MEMO=1 turns memos off (to tell a caching bug from a logic bug).
    if (process.env.DOCDRIFT_NO_MEMO) this.limit = 0
  }

  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      this.entries.delete(key)
      hit.used = documents
      this.entries.set(key, hit)
      return hit.value
    }
    const value = compute()
    if (key.length <= this.limit / 16) {
      this.entries.set(key, {value, used: documents})
      this.size += key.length
    }
    // Least recently used first: the map's order is the order of use.
    for (const [old, entry] of this.entries) {
      if (this.size <= this.limit && documents - entry.used <= this.age) break
      this.entries.delete(old)
      this.size -= old.length
    }
    return value
  }

  /** Entries held (for tests). */
  get held(): number {
    return this.entries.size
  }
}
