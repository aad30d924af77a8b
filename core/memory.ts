/**
 * Whether a host has the memory to check a text. Checking needs memory in proportion to the text
 * (micromark's event list of the whole document, and the tokens or the mdast tree made from it),
 * and a Node.js process that runs out of heap dies with every result of its run: a host asks first,
 * and reports the file as not checked instead.
 */
import {getHeapStatistics, type HeapInfo} from 'node:v8'

/**
 * Peak memory of checking a text, per UTF-16 unit, at worst (bench/hostile.js, a 5 MB guide of
 * prose, shell blocks and tables): read as micromark tokens (the command), 1.76 GB, 350 bytes a
 * byte; as an mdast tree (remark, the language server), 2.05 GB, 410.
 */
export const MEMORY_PER_CHAR = {tokens: 400, tree: 500}

/**
 * Why `text` is not checked, when checking it (`perChar` bytes a character) would need more heap
 * than is left; undefined when it fits.
 */
export function memoryShortfall(text: string, perChar: number, heap: Pick<HeapInfo, 'heap_size_limit' | 'used_heap_size'> = getHeapStatistics()): string | undefined {
  const needed = text.length * perChar
  if (needed <= heap.heap_size_limit - heap.used_heap_size) return undefined
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`
  const raise = Math.ceil((needed + heap.used_heap_size) / 2 ** 20 / 256) * 256
  return `Not checked: the file is ${mb(text.length)}, and checking it needs about ${mb(needed)} of memory, more than the ${mb(heap.heap_size_limit)} this process may use; split the file, or raise the limit (NODE_OPTIONS=--max-old-space-size=${raise})`
}
