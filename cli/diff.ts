/**
 * A unified diff of two versions of one file (for `--fix-dry-run`), in the form `git apply`
 * and `patch -p1` accept: `a/` and `b/` prefixes, three lines of context, carriage returns
 * kept in the lines, "\ No newline at end of file" where it applies. Myers' O(ND) line diff.
 */

const CONTEXT = 3

type Op = {type: ' ' | '-' | '+'; line: string; a: number; b: number}

export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return ''
  const a = splitLines(before)
  const b = splitLines(after)
  const ops = diffLines(a, b)
  let out = `--- a/${file}\n+++ b/${file}\n`
  // Group changes into hunks with CONTEXT lines around them.
  let index = 0
  while (index < ops.length) {
    while (index < ops.length && ops[index].type === ' ') index++
    if (index >= ops.length) break
    let start = Math.max(0, index - CONTEXT)
    while (start < index && ops[start].type !== ' ') start++
    let end = index
    // Extend while the next change is within 2*CONTEXT equal lines.
    for (;;) {
      while (end < ops.length && ops[end].type !== ' ') end++
      let equal = 0
      while (end + equal < ops.length && ops[end + equal].type === ' ') equal++
      if (end + equal < ops.length && equal <= 2 * CONTEXT) {
        end += equal
        continue
      }
      end = Math.min(ops.length, end + Math.min(equal, CONTEXT))
      break
    }
    const hunk = ops.slice(start, end)
    const aCount = hunk.filter((op) => op.type !== '+').length
    const bCount = hunk.filter((op) => op.type !== '-').length
    const aStart = aCount === 0 ? hunk[0].a : hunk[0].a + 1
    const bStart = bCount === 0 ? hunk[0].b : hunk[0].b + 1
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`
    for (const op of hunk) {
      const newline = op.line.endsWith('\n')
      out += op.type + (newline ? op.line : op.line + '\n\\ No newline at end of file\n')
    }
    index = end
  }
  return out
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`
}

/** Lines with their `\n` (a `\r` before it stays part of the line). */
function splitLines(text: string): string[] {
  const lines: string[] = []
  let from = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
    lines.push(text.slice(from, at + 1))
    from = at + 1
  }
  if (from < text.length) lines.push(text.slice(from))
  return lines
}

/** Edit script from `a` to `b`; `a`/`b` on each op are 0-based indexes before the op. */
function diffLines(a: string[], b: string[]): Op[] {
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
  let suffix = 0
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++
  const A = a.slice(prefix, a.length - suffix)
  const B = b.slice(prefix, b.length - suffix)
  const middle = myers(A, B)
  const ops: Op[] = []
  for (let i = 0; i < prefix; i++) ops.push({type: ' ', line: a[i], a: i, b: i})
  let ai = prefix
  let bi = prefix
  for (const op of middle) {
    ops.push({type: op.type, line: op.line, a: ai, b: bi})
    if (op.type !== '+') ai++
    if (op.type !== '-') bi++
  }
  for (let i = 0; i < suffix; i++) ops.push({type: ' ', line: a[ai + i], a: ai + i, b: bi + i})
  return ops
}

function myers(A: string[], B: string[]): Array<{type: Op['type']; line: string}> {
  const N = A.length
  const M = B.length
  const max = N + M
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let done = max === 0
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      while (x < N && y < M && A[x] === B[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= N && y >= M) {
        done = true
        break
      }
    }
  }
  const out: Array<{type: Op['type']; line: string}> = []
  let x = N
  let y = M
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d]
    const k = x - y
    const prevK = k === -d || (k !== d && t[offset + k - 1] < t[offset + k + 1]) ? k + 1 : k - 1
    const prevX = d === 0 ? 0 : t[offset + prevK]
    const prevY = d === 0 ? 0 : prevX - prevK
    while (x > prevX && y > prevY) {
      out.push({type: ' ', line: A[x - 1]})
      x--
      y--
    }
    if (d > 0) {
      if (x === prevX) out.push({type: '+', line: B[y - 1]})
      else out.push({type: '-', line: A[x - 1]})
    }
    x = prevX
    y = prevY
  }
  return out.reverse()
}
