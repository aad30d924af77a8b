/**
 * core/memo.ts: a memo keeps what recent documents use, within its size, and lets go of the rest.
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {Memo, nextDocument} from '../core/memo.js'

/** A memo whose computations are counted. */
function counted(limit: number, age: number) {
  const memo = new Memo<string>(limit, age)
  let computed = 0
  const get = (key: string) => memo.get(key, () => {
    computed++
    return key.toUpperCase()
  })
  return {memo, get, computed: () => computed}
}

test('a hit returns the value computed before, without computing again', () => {
  const {get, computed} = counted(1024, 4)
  assert.is(get('curl /chat/x'), 'CURL /CHAT/X')
  assert.is(get('curl /chat/x'), 'CURL /CHAT/X')
  assert.is(computed(), 1)
})

test('what every document uses stays; what no recent document used goes (an editor against a docs tree)', () => {
  const {memo, get, computed} = counted(1024 * 1024, 4)
  get('open document block')
  for (let document = 0; document < 100; document++) {
    nextDocument()
    get('open document block')
    get(`page ${document} block`)
  }
  assert.is(computed(), 101, 'the open document\'s block was computed once')
  // The last 5 pages' blocks (used within 4 documents) and the open document's.
  assert.is(memo.held, 6)
  nextDocument()
  get('page 99 block')
  assert.is(computed(), 101, 'a block of 1 document ago is still held')
  for (let document = 0; document < 5; document++) nextDocument()
  // Entries are let go when something new comes in.
  get('next page block')
  assert.is(memo.held, 1, 'only the new block is held: nothing else was used in the last 4 documents')
  get('page 99 block')
  assert.is(computed(), 103, 'a block unused for more than 4 documents was let go')
})

test('the size limit still holds, least recently used first out', () => {
  // 16 × 10 characters: keys of up to 10 characters are kept, 160 characters in all.
  const {memo, get, computed} = counted(160, 1000)
  for (let index = 0; index < 20; index++) get(`key ${String(index).padStart(6, '0')}`)
  assert.is(memo.held, 16)
  get('key 000004')
  assert.is(computed(), 20, 'a recent key is held')
  get('key 000000')
  assert.is(computed(), 21, 'the oldest keys went first')
  get('a key much longer than a sixteenth of the limit')
  get('a key much longer than a sixteenth of the limit')
  assert.is(computed(), 23, 'a key longer than a sixteenth of the limit is never held')
})

test.run()
