/** Offsets ⇄ 1-based line/column for one file (columns in UTF-16 code units, like mdast). */
export class LineIndex {
  readonly starts: number[] = [0]
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }

  /** 1-based line and column of an offset. */
  point(offset: number): {line: number; column: number; offset: number} {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.starts[mid] <= offset) low = mid
      else high = mid - 1
    }
    return {line: low + 1, column: offset - this.starts[low] + 1, offset}
  }

  /** Offset just past the content of a 1-based line (at its `\n`, or the end of the text). */
  lineEnd(line: number): number {
    return line < this.starts.length ? this.starts[line] - 1 : this.text.length
  }
}
