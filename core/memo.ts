/**
 * A bounded memo (least recently used first out), keyed by text. Editors re-lint the same
 * blocks on every keystroke and docs repeat commands, so parses and models are reused; cached
 * values are shared and must be treated as read-only.
 */
export class Memo<V> {
  private readonly entries = new Map<string, V>()
  private size = 0

  /** `limit`: the most key characters kept (a proxy for the memory held). */
  constructor(private readonly limit: number) {
    // DOCDRIFT_NO_MEMO=1 turns memos off (to tell a caching bug from a logic bug).
    if (process.env.DOCDRIFT_NO_MEMO) this.limit = 0
  }

  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key)
    if (hit !== undefined || this.entries.has(key)) {
      this.entries.delete(key)
      this.entries.set(key, hit as V)
      return hit as V
    }
    const value = compute()
    if (key.length <= this.limit / 16) {
      this.entries.set(key, value)
      this.size += key.length
      for (const [old] of this.entries) {
        if (this.size <= this.limit) break
        this.entries.delete(old)
        this.size -= old.length
      }
    }
    return value
  }
}
