/**
 * micromark (the parser under remark, markdownlint and the engine) edits its document events
 * with `EditMap#consume` each time a container (block quote, list) closes. `consume` copies the
 * whole event list every time, also the untouched part before the first edit, so a document with
 * many block quotes or lists takes time quadratic in its size (a 20 MB guide: minutes).
 *
 * This replaces `consume` with the same edit that leaves that untouched prefix in place: the
 * result is the same array with the same events, in time linear in the edited tail. The patch is
 * applied only to the implementation it was written for (checked by its text), like
 * ../shell/tree-sitter-sync.ts does for web-tree-sitter; another version is left alone.
 */
import {EditMap} from 'micromark-util-edit-map'

type Event = unknown
interface EditMapFields {
  map: Array<[number, number, Event[]]>
  index?: Map<number, number>
}

const expected = ['vecs.push(events.slice());', 'events.length = 0;']

export function linearConsume(this: EditMapFields, events: Event[]): void {
  this.map.sort((a, b) => a[0] - b[0])
  if (this.map.length === 0) return
  let index = this.map.length
  const vecs: Event[][] = []
  while (index > 0) {
    index -= 1
    vecs.push(events.slice(this.map[index][0] + this.map[index][1]), this.map[index][2])
    // Truncate the rest: what stays in `events` is the prefix no edit touches.
    events.length = this.map[index][0]
  }
  let slice = vecs.pop()
  while (slice) {
    for (const element of slice) events.push(element)
    slice = vecs.pop()
  }
  this.map.length = 0
  this.index?.clear()
}

const proto = EditMap.prototype as unknown as {consume: (events: Event[]) => void}
/** Whether micromark's `consume` is the linear one now. */
export const micromarkPatched: boolean = (() => {
  if (proto.consume === (linearConsume as unknown)) return true
  const source = String(proto.consume)
  if (!expected.every((line) => source.includes(line))) return false
  proto.consume = linearConsume as unknown as (events: Event[]) => void
  return true
})()
