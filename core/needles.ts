/**
 * Finding the rules' needles (core/rules/types.ts `Needle`) in a text: every needle at once, in
 * one pass over the text, with an Aho–Corasick automaton over UTF-16 code units.
 *
 * The engine asks this of every document (which needles it holds at all, core/engine.ts
 * `presentNeedles`), so the scan is the one piece of docdrift that reads every character of
 * every file. One regular expression of all the needles took four times as long on the benchmark
 * corpus (60 ms against 15), and the npm packages return every match as an object: here a pass
 * allocates nothing, stops once every needle is found, and checks a word's sides where it ends.
 * (A snippet is checked with a search per needle instead: it is short, and the needles of its
 * language that its document holds are few.)
 */

export interface NeedleText {
  text: string
  /** Found only with no ASCII letter or digit right before or after it. */
  word: boolean
}

export class NeedleScanner {
  /** Character class of each UTF-16 code unit: 0 for the units no needle has. */
  private readonly classOf: Uint8Array | Uint16Array
  private readonly classes: number
  /** Next state for (state, class), at `state * classes + class`. */
  private readonly next: Uint16Array | Uint32Array
  /** The needles that end at each state (its own and its suffixes'), or null. */
  private readonly ends: Array<Uint32Array | null>

  constructor(private readonly needles: readonly NeedleText[]) {
    const classOf = new Uint16Array(65536)
    let classes = 1
    for (const {text} of needles) {
      for (let at = 0; at < text.length; at++) {
        const unit = text.charCodeAt(at)
        if (classOf[unit] === 0) classOf[unit] = classes++
      }
    }
    // The trie, then the failure links breadth first, folded into a full transition table.
    const rows: Int32Array[] = [new Int32Array(classes).fill(-1)]
    const ends: number[][] = [[]]
    needles.forEach(({text}, index) => {
      let state = 0
      for (let at = 0; at < text.length; at++) {
        const unit = classOf[text.charCodeAt(at)]
        if (rows[state][unit] === -1) {
          rows[state][unit] = rows.length
          rows.push(new Int32Array(classes).fill(-1))
          ends.push([])
        }
        state = rows[state][unit]
      }
      ends[state].push(index)
    })
    const fail = new Int32Array(rows.length)
    const queue: number[] = []
    for (let unit = 0; unit < classes; unit++) {
      const to = rows[0][unit]
      if (to === -1) rows[0][unit] = 0
      else queue.push(to)
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]
      for (let unit = 0; unit < classes; unit++) {
        const to = rows[state][unit]
        if (to === -1) {
          rows[state][unit] = rows[fail[state]][unit]
        } else {
          fail[to] = rows[fail[state]][unit]
          ends[to].push(...ends[fail[to]])
          queue.push(to)
        }
      }
    }
    this.classes = classes
    this.classOf = classes <= 256 ? Uint8Array.from(classOf) : classOf
    this.next = rows.length <= 65536 ? new Uint16Array(rows.length * classes) : new Uint32Array(rows.length * classes)
    rows.forEach((row, state) => this.next.set(row, state * classes))
    this.ends = ends.map((list) => (list.length > 0 ? Uint32Array.from(list) : null))
  }

  /** Which needles `text` holds: one flag per needle, in the order given. */
  find(text: string): Uint8Array {
    const {classOf, classes, next, ends, needles} = this
    const found = new Uint8Array(needles.length)
    let left = needles.length
    let state = 0
    for (let at = 0; at < text.length; at++) {
      state = next[state * classes + classOf[text.charCodeAt(at)]]
      const here = ends[state]
      if (here === null) continue
      for (let k = 0; k < here.length; k++) {
        const index = here[k]
        if (found[index] === 1) continue
        const needle = needles[index]
        if (needle.word && (alphanumeric(text.charCodeAt(at - needle.text.length)) || alphanumeric(text.charCodeAt(at + 1)))) continue
        found[index] = 1
        if (--left === 0) return found
      }
    }
    return found
  }
}

/** Whether `value` holds `needle`: its text anywhere, or as a word (a search per needle: for short texts). */
export function holdsNeedle(value: string, needle: NeedleText): boolean {
  let at = value.indexOf(needle.text)
  if (!needle.word) return at !== -1
  for (; at !== -1; at = value.indexOf(needle.text, at + 1)) {
    if (!alphanumeric(value.charCodeAt(at - 1)) && !alphanumeric(value.charCodeAt(at + needle.text.length))) return true
  }
  return false
}

/** An ASCII letter or digit (not NaN, the code past either end of a text). */
function alphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}
