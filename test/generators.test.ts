/**
 * Secret generators: exact expectations for every generator and trimming stage, `valueBytes`,
 * `meets`, `suggest` and `render` — then the model against the real commands on this machine.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'

import {
  analyzePipeline, meets, modelPipeline, outputCharacters, render, strengthen, suggest, valueBytes,
  type Constraint, type GeneratorOutput, type Stage,
} from '../core/facts/generators.js'

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * A test-only shell splitter standing in for the tree-sitter front end: `|` between stages,
 * `< file`, single and double quotes (with `\"`, `\\`, `\$` escapes inside double quotes).
 */
function sh(line: string): Stage[] {
  const stages: Stage[] = []
  let words: string[] = []
  let word: string | undefined
  let stdin: string | undefined
  let redirect = false
  const flush = (): void => {
    if (word === undefined) return
    if (redirect) (stdin = word), (redirect = false)
    else words.push(word)
    word = undefined
  }
  const endStage = (): void => {
    flush()
    stages.push({ name: words[0], args: words.slice(1), ...(stdin === undefined ? {} : { stdin }) })
    words = []
    stdin = undefined
  }
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === "'") {
      const close = line.indexOf("'", i + 1)
      word = (word ?? '') + line.slice(i + 1, close)
      i = close
    } else if (ch === '"') {
      let value = ''
      let j = i + 1
      for (; line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1])) value += line[++j]
        else value += line[j]
      }
      word = (word ?? '') + value
      i = j
    } else if (ch === ' ') flush()
    else if (ch === '|') endStage()
    else if (ch === '<') (flush(), (redirect = true))
    else word = (word ?? '') + ch
  }
  endStage()
  return stages
}

const model = (line: string): GeneratorOutput | undefined => modelPipeline(sh(line))

const log2 = Math.log2
const round = (bits: number): number => Math.round(bits * 1000) / 1000

/** What `openssl rand -base64 N` prints, from the documented layout (64 columns, newline after each line). */
function opensslBase64(n: number): Partial<GeneratorOutput> {
  const encoded = 4 * Math.ceil(n / 3)
  const lines = Math.ceil(encoded / 64)
  return { chars: encoded + Math.max(0, lines - 1), trailingNewline: encoded > 0, multiline: lines > 1, bits: 8 * n, randomBytes: n }
}

/** GNU base64 of N bytes at `width` columns (0: one line, no newline). */
function gnuBase64(n: number, width = 76): Partial<GeneratorOutput> {
  const encoded = 4 * Math.ceil(n / 3)
  const lines = width === 0 ? 1 : Math.ceil(encoded / width)
  return { chars: encoded + Math.max(0, lines - 1), trailingNewline: width > 0 && encoded > 0, multiline: lines > 1 }
}

/** Assert each listed field of `actual` (bits to the thousandth). */
function expectOutput(line: string, actual: GeneratorOutput | undefined, expected: Partial<GeneratorOutput>): void {
  assert.ok(actual, `${line}: expected an exact output, got ${JSON.stringify(analyzePipeline(sh(line)))}`)
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key as keyof GeneratorOutput]
    const want = key === 'bits' ? round(value as number) : value
    assert.equal(got, want, `${line}: ${key} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Exact expectations
// ---------------------------------------------------------------------------------------------

const ALNUM = 62

/** [pipeline, expected fields]; table-driven across every generator and trimming stage. */
const EXACT: Array<[string, Partial<GeneratorOutput>]> = [
  // openssl rand
  ['openssl rand -base64 32', { chars: 44, trailingNewline: true, multiline: false, alphabet: 'base64', bits: 256, randomBytes: 32, padding: 1 }],
  ['openssl rand -base64 24', { chars: 32, trailingNewline: true, multiline: false, alphabet: 'base64', bits: 192, padding: 0 }],
  ['openssl rand -base64 48', { chars: 64, trailingNewline: true, multiline: false, bits: 384 }],
  ['openssl rand -base64 64', { chars: 89, trailingNewline: true, multiline: true, alphabet: 'base64', bits: 512, newlines: 1, padding: 2 }],
  ['openssl rand -base64 1', { chars: 4, alphabet: 'base64', bits: 8, padding: 2 }],
  ['openssl rand -base64 0', { chars: 0, trailingNewline: false, multiline: false, bits: 0 }],
  ['openssl rand -hex 32', { chars: 64, trailingNewline: true, multiline: false, alphabet: 'hex', bits: 256, randomBytes: 32 }],
  ['openssl rand -hex 100', { chars: 200, multiline: false }],
  ['openssl rand -hex 0', { chars: 0, trailingNewline: false }],
  ['openssl rand 32', { chars: 32, trailingNewline: false, multiline: false, alphabet: 'binary', bits: 256, randomBytes: 32 }],
  ['openssl rand -hex -base64 3', { chars: 4, alphabet: 'base64' }],
  ['openssl rand -rand /dev/urandom -hex 16', { chars: 32, alphabet: 'hex' }],
  ['/usr/bin/openssl rand -hex 16', { chars: 32 }],
  ['head -c 48 /dev/urandom | openssl base64', { chars: 64, trailingNewline: true, multiline: false }],
  ['head -c 60 /dev/urandom | openssl base64', { chars: 81, multiline: true }],
  ['head -c 60 /dev/urandom | openssl base64 -A', { chars: 80, trailingNewline: false, multiline: false }],
  ['head -c 60 /dev/urandom | openssl enc -base64 -A', { chars: 80, trailingNewline: false }],
  // head + base64 / xxd / od, dd
  ['head -c 32 /dev/urandom | base64', { chars: 44, trailingNewline: true, alphabet: 'base64', bits: 256, randomBytes: 32 }],
  ['head -c 32 < /dev/urandom | base64', { chars: 44, randomBytes: 32 }],
  ['head --bytes=32 /dev/urandom | base64', { chars: 44 }],
  ['head -c32 /dev/urandom | base64', { chars: 44 }],
  ['head -c 57 /dev/urandom | base64', { chars: 76, multiline: false }],
  ['head -c 58 /dev/urandom | base64', { chars: 81, multiline: true, newlines: 1 }],
  ['head -c 100 /dev/urandom | base64 -w0', { chars: 136, trailingNewline: false, multiline: false }],
  ['head -c 100 /dev/urandom | base64 -w 0', { chars: 136, trailingNewline: false }],
  ['head -c 100 /dev/urandom | base64 --wrap=0', { chars: 136, trailingNewline: false }],
  ['head -c 24 /dev/urandom | base64 -w 10', { chars: 35, multiline: true, newlines: 3 }],
  ['head -c 1K /dev/urandom | base64 -w0', { chars: 1368, bits: 8192 }],
  ['base64 /dev/urandom | head -c 32', { chars: 32, trailingNewline: false, alphabet: 'base64', bits: 192 }],
  ['base64 -w0 < /dev/urandom | head -c 100', { chars: 100, multiline: false, bits: 600 }],
  ['base64 /dev/urandom | head -c 100', { chars: 100, multiline: true, newlines: 1, bits: 594 }],
  ['head -c 30 /dev/urandom | xxd -p', { chars: 60, trailingNewline: true, multiline: false, alphabet: 'hex', bits: 240 }],
  ['head -c 31 /dev/urandom | xxd -p', { chars: 63, multiline: true }],
  ['head -c 100 /dev/urandom | xxd -p -c 0', { chars: 200, multiline: false }],
  ['head -c 40 /dev/urandom | xxd -p -c 16', { chars: 82, multiline: true, newlines: 2 }],
  ['head -c 40 /dev/urandom | xxd -ps -c16', { chars: 82 }],
  ['xxd -l 16 -p /dev/urandom', { chars: 32, trailingNewline: true, alphabet: 'hex', bits: 128, randomBytes: 16 }],
  ['xxd -u -p -l 4 /dev/urandom', { chars: 8, alphabet: 'hex' }],
  ['od -An -tx1 -N16 /dev/urandom', { chars: 48, trailingNewline: true, alphabet: 'charset', bits: 128, randomBytes: 16 }],
  ['od -An -tx1 -N 20 /dev/urandom', { chars: 61, multiline: true }],
  ['od -An -tx1 -N16 /dev/urandom | tr -d " \\n"', { chars: 32, trailingNewline: false, alphabet: 'hex', bits: 128 }],
  ['head -c 32 /dev/urandom | od -An -tx1 | tr -d " \\n"', { chars: 64, alphabet: 'hex', bits: 256 }],
  ['od -vAn -N4 -tu4 < /dev/urandom', { chars: 11, alphabet: 'charset', bits: 32 }],
  ['head -c 4 /dev/urandom | od -An -x', { chars: 10 }],
  ['dd if=/dev/urandom bs=32 count=1 status=none | base64', { chars: 44, bits: 256, randomBytes: 32 }],
  ['dd if=/dev/urandom bs=16 count=2 | xxd -p', { chars: 65, multiline: true }],
  // tr -dc, fold
  ["tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32", { chars: 32, trailingNewline: false, multiline: false, alphabet: 'alnum', bits: 32 * log2(ALNUM) }],
  ["tr -dc '[:alnum:]' < /dev/urandom | head -c 20", { chars: 20, alphabet: 'alnum', bits: 20 * log2(ALNUM) }],
  ["tr -cd '[:alnum:]' < /dev/urandom | head -c 20", { chars: 20, alphabet: 'alnum' }],
  ["tr -dc 'A-Za-z0-9!@#' < /dev/urandom | head -c 16", { chars: 16, alphabet: 'charset', bits: 16 * log2(65), charset: '!#0123456789@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' }],
  ["tr -dc 'a-f0-9' < /dev/urandom | head -c 64", { chars: 64, alphabet: 'hex', bits: 256 }],
  ["tr -dc '0-9' < /dev/urandom | head -c 6", { chars: 6, alphabet: 'decimal', bits: 6 * log2(10) }],
  ["cat /dev/urandom | tr -dc 'a-zA-Z0-9' | fold -w 32 | head -n 1", { chars: 32, trailingNewline: true, multiline: false, alphabet: 'alnum', bits: 32 * log2(ALNUM) }],
  ["cat /dev/urandom | tr -dc 'a-zA-Z0-9' | fold -w 32 | head -n 3", { chars: 98, multiline: true }],
  ["env LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 8", { chars: 8, alphabet: 'alnum' }],
  ["tr -dc 'A-Za-z0-9' < /dev/urandom | fold -w 24 | head -1", { chars: 24, trailingNewline: true }],
  // trimming and re-encoding stages
  ['openssl rand -base64 32 | head -c 32', { chars: 32, trailingNewline: false, alphabet: 'base64', bits: 192, randomBytes: 32 }],
  ['openssl rand -base64 32 | cut -c1-32', { chars: 32, trailingNewline: true, bits: 192 }],
  ['openssl rand -base64 32 | cut -c-10', { chars: 10, bits: 60 }],
  ['openssl rand -base64 32 | cut -c 1-20', { chars: 20, bits: 120 }],
  ['openssl rand -base64 64 | cut -c1-70', { chars: 89, multiline: true }],
  ['openssl rand -base64 64 | cut -c1-10', { chars: 21, multiline: true }],
  ['openssl rand -base64 64 | head -n 1', { chars: 64, multiline: false, bits: 384 }],
  ['openssl rand -base64 64 | tr -d "\\n"', { chars: 88, trailingNewline: false, multiline: false, bits: 512 }],
  ['openssl rand -base64 32 | tr -d =', { chars: 43, trailingNewline: true, alphabet: 'base64', padding: 0 }],
  ["openssl rand -base64 32 | tr '+/' '-_' | tr -d '='", { chars: 43, alphabet: 'base64url', bits: 256 }],
  ['openssl rand -hex 32 | head -c 32', { chars: 32, trailingNewline: false, alphabet: 'hex', bits: 128 }],
  ['openssl rand -hex 16 | tr a-f A-F', { chars: 32, alphabet: 'hex', bits: 128 }],
  ['openssl rand -hex 32 | tail -c 33', { chars: 32, trailingNewline: true, bits: 128 }],
  ['openssl rand -hex 32 | sha256sum', { chars: 67, trailingNewline: true, alphabet: 'charset', bits: 256 }],
  ["openssl rand -hex 32 | sha256sum | cut -d' ' -f1", { chars: 64, trailingNewline: true, alphabet: 'hex', bits: 256 }],
  ["openssl rand -hex 32 | sha256sum | awk '{print $1}'", { chars: 64, alphabet: 'hex', bits: 256 }],
  ["openssl rand -hex 8 | sha512sum | cut -d ' ' -f 1", { chars: 128, bits: 64 }],
  ['openssl rand -hex 8 | md5sum | head -c 32', { chars: 32, bits: 64 }],
  ['openssl rand -hex 32 | shasum -a 256 | head -c 64', { chars: 64, bits: 256 }],
  ['openssl rand -base64 32 | base64', { chars: 60, trailingNewline: true, bits: 256 }],
  ['openssl rand -base64 32 | base64 -w0', { chars: 60, trailingNewline: false }],
  ['openssl rand -hex 16 | xxd -p', { chars: 67, multiline: true, alphabet: 'hex', bits: 128 }],
  ['openssl rand 16 | base64', { chars: 24, alphabet: 'base64', bits: 128, randomBytes: 16 }],
  // python
  ['python3 -c "import secrets; print(secrets.token_hex(32))"', { chars: 64, trailingNewline: true, alphabet: 'hex', bits: 256, randomBytes: 32 }],
  ['python3 -c "import secrets; print(secrets.token_hex())"', { chars: 64, bits: 256 }],
  ['python -c "import secrets; print(secrets.token_urlsafe(32))"', { chars: 43, alphabet: 'base64url', bits: 256 }],
  ['python3 -c "import secrets; print(secrets.token_urlsafe(1))"', { chars: 2, bits: 8 }],
  ['python3 -c "import secrets; print(secrets.token_urlsafe(2))"', { chars: 3, bits: 16 }],
  ['python3 -c "import secrets; print(secrets.token_urlsafe(3))"', { chars: 4, bits: 24 }],
  ['python3 -c "from secrets import token_hex; print(token_hex(16))"', { chars: 32, alphabet: 'hex' }],
  ['python3 -c "import os; print(os.urandom(16).hex())"', { chars: 32, alphabet: 'hex', bits: 128 }],
  ['python3 -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"', { chars: 44, alphabet: 'base64', bits: 256 }],
  ['python3 -c "import os, base64; print(base64.urlsafe_b64encode(os.urandom(32)).decode(\'ascii\'))"', { chars: 44, alphabet: 'base64url' }],
  ['python3 -c "import binascii, os; print(binascii.hexlify(os.urandom(4)))"', { chars: 11, alphabet: 'charset', bits: 32 }],
  ['python3 -c "import secrets; print(secrets.token_hex(16), end=\'\')"', { chars: 32, trailingNewline: false }],
  ['python3 -c "import sys, secrets; sys.stdout.write(secrets.token_hex(16))"', { chars: 32, trailingNewline: false }],
  ['python3 -c "import secrets; k = secrets.token_hex(32); print(k[:32])"', { chars: 32, bits: 128 }],
  ['python3 -c "import secrets, string; print(\'\'.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(20)))"', { chars: 20, alphabet: 'alnum', bits: 20 * log2(ALNUM) }],
  ['python3 -c "import uuid; print(uuid.uuid4())"', { chars: 36, alphabet: 'uuid', bits: 122 }],
  ['python3 -c "import uuid; print(uuid.uuid4().hex)"', { chars: 32, alphabet: 'hex', bits: 122 }],
  // node
  ['node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"', { chars: 64, trailingNewline: true, alphabet: 'hex', bits: 256, randomBytes: 32 }],
  ['node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"', { chars: 44, alphabet: 'base64', padding: 1 }],
  ['node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'base64url\'))"', { chars: 43, alphabet: 'base64url' }],
  ['node -e "console.log(crypto.randomBytes(24).toString(\'base64\'))"', { chars: 32, bits: 192 }],
  ['node -e "process.stdout.write(crypto.randomBytes(16).toString(\'hex\'))"', { chars: 32, trailingNewline: false }],
  ['node -p "require(\'crypto\').randomBytes(16).toString(\'hex\')"', { chars: 32, trailingNewline: true }],
  ['node -e "const c = require(\'crypto\'); console.log(c.randomBytes(32).toString(\'hex\').slice(0, 32))"', { chars: 32, bits: 128 }],
  ['node -e "console.log(crypto.randomUUID())"', { chars: 36, alphabet: 'uuid', bits: 122 }],
  ['node -p "console.log(crypto.randomBytes(2).toString(\'hex\'))"', { chars: 14, multiline: true }],
  // ruby, rails
  ["ruby -rsecurerandom -e 'puts SecureRandom.hex(32)'", { chars: 64, trailingNewline: true, alphabet: 'hex', bits: 256, randomBytes: 32 }],
  ["ruby -rsecurerandom -e 'puts SecureRandom.hex'", { chars: 32, bits: 128 }],
  ['ruby -e "require \'securerandom\'; puts SecureRandom.base64(32)"', { chars: 44, alphabet: 'base64', padding: 1 }],
  ["ruby -r securerandom -e 'print SecureRandom.urlsafe_base64 32'", { chars: 43, trailingNewline: false, alphabet: 'base64url' }],
  ["ruby -rsecurerandom -e 'puts SecureRandom.urlsafe_base64(32, true)'", { chars: 44, padding: 1 }],
  ["ruby -rsecurerandom -e 'p SecureRandom.hex(16)'", { chars: 34, trailingNewline: true, bits: 128 }],
  ["ruby -rsecurerandom -e 'puts SecureRandom.alphanumeric(20)'", { chars: 20, alphabet: 'alnum', bits: 20 * log2(ALNUM) }],
  ["ruby -rsecurerandom -e 'puts SecureRandom.uuid'", { chars: 36, alphabet: 'uuid', bits: 122 }],
  ['rails secret', { chars: 128, trailingNewline: true, alphabet: 'hex', bits: 512, randomBytes: 64 }],
  ['bin/rails secret', { chars: 128, bits: 512 }],
  ['bundle exec rake secret', { chars: 128, bits: 512 }],
  ["bin/rails runner 'puts SecureRandom.hex(32)'", { chars: 64, trailingNewline: true, alphabet: 'hex', bits: 256 }],
  // php
  ["php -r 'echo bin2hex(random_bytes(32));'", { chars: 64, trailingNewline: false, alphabet: 'hex', bits: 256, randomBytes: 32 }],
  ["php -r 'echo base64_encode(random_bytes(32)), PHP_EOL;'", { chars: 44, trailingNewline: true, alphabet: 'base64', padding: 1 }],
  ['php -r "echo bin2hex(openssl_random_pseudo_bytes(16)) . PHP_EOL;"', { chars: 32, trailingNewline: true, bits: 128 }],
  ["php8.2 -r 'print base64_encode(random_bytes(24));'", { chars: 32, trailingNewline: false, bits: 192 }],
  ['php artisan key:generate --show', { chars: 51, trailingNewline: true, bits: 256, randomBytes: 32 }],
  // uuid, pwgen
  ['uuidgen', { chars: 36, trailingNewline: true, alphabet: 'uuid', bits: 122 }],
  ['uuidgen -r', { chars: 36, bits: 122 }],
  ['uuidgen | tr -d -', { chars: 32, alphabet: 'hex', bits: 122 }],
  ["uuidgen | tr -d '-' | head -c 16", { chars: 16, alphabet: 'hex', bits: 60 }],
  ['uuidgen -t', { chars: 36, bits: 14 }],
  ['cat /proc/sys/kernel/random/uuid', { chars: 36, alphabet: 'uuid', bits: 122 }],
  ['pwgen -s 32 1', { chars: 32, trailingNewline: true, alphabet: 'alnum', bits: 32 * log2(62) + log2(1 - (36 / 62) ** 32 - (52 / 62) ** 32 + (26 / 62) ** 32) }],
  ['pwgen 16 1', { chars: 16, bits: 32 }],
  ['pwgen', { chars: 8, bits: 16 }],
  ['pwgen -s 12 3', { chars: 38, multiline: true }],
  ['pwgen -sy 20 1', { chars: 20, alphabet: 'charset' }],
  // weak sources: chars known, bits honest
  ['echo $RANDOM | sha256sum | cut -d" " -f1', { chars: 64, alphabet: 'hex', bits: 15 }],
  ['echo $RANDOM$RANDOM | md5sum | head -c 32', { chars: 32, bits: 30 }],
  ['date +%s', { chars: 10, alphabet: 'decimal', bits: 5 * log2(10) }],
  ['date +%s | sha256sum | base64 | head -c 32', { chars: 32, alphabet: 'base64', bits: 5 * log2(10) }],
  ['date +%s%N | sha256sum | head -c 32', { chars: 32, alphabet: 'hex', bits: 14 * log2(10) }],
  ['date | md5sum | cut -c1-32', { chars: 32, bits: 5 * log2(10) }],
  ['head -c 32 /dev/zero | base64', { chars: 44, bits: 0 }],
]

test('models every generator and trimming stage exactly', () => {
  for (const [line, expected] of EXACT) expectOutput(line, model(line), expected)
})

test('openssl rand -base64 N wraps at 64 columns for every N up to 200', () => {
  for (let n = 0; n <= 200; n++) expectOutput(`openssl rand -base64 ${n}`, model(`openssl rand -base64 ${n}`), { ...opensslBase64(n), alphabet: n === 0 ? 'unknown' : 'base64' })
})

test('GNU base64 wraps at 76 columns (or -w N) for every N up to 200', () => {
  for (let n = 1; n <= 200; n++) {
    expectOutput(`head -c ${n} /dev/urandom | base64`, model(`head -c ${n} /dev/urandom | base64`), { ...gnuBase64(n), bits: 8 * n })
    expectOutput(`head -c ${n} /dev/urandom | base64 -w0`, model(`head -c ${n} /dev/urandom | base64 -w0`), gnuBase64(n, 0))
    expectOutput(`head -c ${n} /dev/urandom | base64 -w 10`, model(`head -c ${n} /dev/urandom | base64 -w 10`), gnuBase64(n, 10))
  }
})

/** Pipelines with no exact output, and why. */
const INEXACT: Array<[string, RegExp]> = [
  // Ruby loads SecureRandom only when asked to (`-rsecurerandom`, `require 'securerandom'`).
  ["ruby -e 'puts SecureRandom.hex(32)'", /`SecureRandom` is not modelled/],
  ["ruby -rjson -e 'puts SecureRandom.hex(32)'", /`-rjson` is not modelled/],
  ["ruby -rsecurerandom -e 'puts SecureRandom.random_bytes(32)'", /garbage/],
  ["ruby -rsecurerandom -e 'puts \"key\"'", /fixed text/],
  ['ruby script.rb', /only `-e` programs/],
  ['rails db:migrate', /not a generator/],
  ['rails runner script.rb x', /not a generator/],
  ['php artisan migrate', /not a generator/],
  ['php script.php', /only `-r` programs/],
  ["php -r 'echo random_bytes(32);'", /garbage/],
  ["php -r 'echo \"key\";'", /fixed text/],
  ['echo hi', /fixed text/],
  ['cat file.txt', /cannot know/],
  ['head -c 32', /terminal/],
  ['openssl rand -base64', /byte count/],
  ['openssl rand -base64 -out key.bin 32', /prints nothing/],
  ['openssl genrsa 2048', /not a generator/],
  ["tr -dc 'a-z' < /dev/urandom", /never stops/],
  ['cat /dev/urandom | base64', /never stops/],
  ['openssl rand -base64 32 | tr -d "+/"', /random number of characters/],
  ['openssl rand 32 | cut -c1-10', /binary/],
  ['openssl rand -hex 32 | tr -s a', /squeeze/],
  ['head -c 32 /dev/urandom | xxd', /offsets/],
  ['python3 -c "import secrets; print(secrets.token_bytes(16))"', /escaped/],
  ['python3 -c "print(42)"', /fixed text/],
  ['python3 -c "import requests"', /not modelled/],
  ['python3 -c "import secrets; print(secrets.token_hex(n))"', /not modelled/],
  ['node -e "console.log(require(\'crypto\').randomBytes(16))"', /not modelled|escaped/],
  ['node -e "console.log(require(\'crypto\').randomBytes(16).toString())"', /garbage/],
  ['node -e "console.log(Math.random().toString(36))"', /not modelled/],
  ['frobnicate --secret', /not a command/],
  ['openssl rand -base64 32 | sha256sum /etc/hostname', /only stdin/],
  ['dd bs=32 count=1', /terminal/],
]

test('`rails secret` prints what `SecureRandom.hex(64)` prints (the Rails command is not on this machine)', () => {
  assert.equal(model('rails secret'), model("ruby -rsecurerandom -e 'puts SecureRandom.hex(64)'"))
})

test('Terraform random resources: lengths, character sets and bits of each output', () => {
  const tf = (type: string, ...args: string[]): Stage[] => [{ name: type, args, terraform: true }]
  const out = (stages: Stage[]) => modelPipeline(stages)
  // random_password: 83 characters by default (26 + 26 + 10 + 21 specials), 6.375 bits each.
  assert.equal(out(tf('random_password', 'result', 'length=8'))?.chars, 8)
  assert.equal(Math.floor(out(tf('random_password', 'result', 'length=8'))!.bits), 51)
  assert.equal(out(tf('random_password', 'result', 'length=44', 'special=false'))?.alphabet, 'alnum')
  assert.equal(out(tf('random_string', 'result', 'length=12', 'upper=false', 'lower=false', 'special=false'))?.alphabet, 'decimal')
  assert.equal(out(tf('random_string', 'id', 'length=12', 'number=false', 'special=false'))?.charset?.length, 52)
  assert.equal(outputCharacters(tf('random_string', 'result', 'length=4', 'special=true', 'override_special=_'))?.length, 63)
  // `numeric` and its old name disagree; `min_*` beyond `length`; an unknown argument; no set.
  assert.equal(out(tf('random_string', 'result', 'length=8', 'numeric=true', 'number=false')), undefined)
  assert.equal(out(tf('random_string', 'result', 'length=2', 'min_upper=2', 'min_lower=1')), undefined)
  assert.equal(out(tf('random_string', 'result', 'length=8', 'lenght=9')), undefined)
  assert.equal(out(tf('random_string', 'result', 'length=8', 'upper=false', 'lower=false', 'numeric=false', 'special=false')), undefined)
  assert.equal(out(tf('random_password', 'bcrypt_hash', 'length=8')), undefined)
  // random_id: hex, padded standard base64, unpadded URL-safe base64, a prefix; dec varies.
  assert.equal(out(tf('random_id', 'hex', 'byte_length=8'))?.chars, 16)
  assert.equal(out(tf('random_id', 'b64_std', 'byte_length=8'))?.chars, 12)
  assert.equal(out(tf('random_id', 'b64_url', 'byte_length=8'))?.chars, 11)
  assert.equal(out(tf('random_id', 'hex', 'byte_length=8', 'prefix=k-'))?.chars, 18)
  assert.equal(out(tf('random_id', 'id', 'byte_length=8', 'prefix=k-'))?.chars, 11)
  assert.equal(analyzePipeline(tf('random_id', 'dec', 'byte_length=4')), { status: 'variable', bits: 32, reason: '`random_id.dec` drops the leading zeros of a number' })
  assert.equal(out(tf('random_bytes', 'base64', 'length=32'))?.chars, 44)
  assert.equal(out(tf('random_bytes', 'hex', 'length=32'))?.bits, 256)
  assert.equal(out(tf('random_uuid', 'result'))?.alphabet, 'uuid')
  // A fix changes the size alone.
  assert.equal(suggest(tf('random_password', 'result', 'length=44', 'special=false'), { bytes: 32, decode: 'none' })?.command, 'random_password { length = 32, special = false }.result')
  assert.equal(suggest(tf('random_id', 'hex', 'byte_length=32'), { bytes: 16, decode: 'hex' })?.command, 'random_id { byte_length = 16 }.hex')
  assert.equal(suggest(tf('random_uuid', 'result'), { bytes: 32, decode: 'none' }), undefined)
})

test('says why when a pipeline has no exact output', () => {
  for (const [line, reason] of INEXACT) {
    const analysis = analyzePipeline(sh(line))
    assert.is(modelPipeline(sh(line)), undefined, line)
    assert.is(analysis.status, 'unknown', `${line}: ${JSON.stringify(analysis)}`)
    if (analysis.status === 'unknown') assert.match(analysis.reason, reason, line)
  }
})

test('weak sources of random length report an upper bound on bits', () => {
  const cases: Array<[string, number]> = [
    ['echo $RANDOM', 15],
    ['echo ${RANDOM}${RANDOM}', 30],
    ['echo $SRANDOM', 32],
    ['echo $RANDOM | base64', 15],
    ['date', round(5 * log2(10))],
    ['date +%Y%m%d%N', round(14 * log2(10))],
  ]
  for (const [line, bits] of cases) {
    const analysis = analyzePipeline(sh(line))
    assert.equal(analysis.status === 'variable' ? analysis.bits : analysis, bits, line)
  }
})

// ---------------------------------------------------------------------------------------------
// valueBytes and meets
// ---------------------------------------------------------------------------------------------

test('valueBytes: what the application sees after decoding', () => {
  const cases: Array<[string, number | undefined, number | undefined, number | undefined]> = [
    // line, none, hex, base64
    ['openssl rand -base64 32', 44, undefined, 32],
    ['openssl rand -base64 24', 32, undefined, 24],
    ['openssl rand -base64 1', 4, undefined, 1],
    ['openssl rand -base64 2', 4, undefined, 2],
    ['openssl rand -base64 64', 89, undefined, 64],
    ['openssl rand -base64 100', 138, undefined, 100],
    ['openssl rand -base64 32 | tr -d =', 43, undefined, 32],
    ['openssl rand -base64 32 | head -c 30', 30, undefined, 22],
    ['openssl rand -base64 32 | head -c 33', 33, undefined, undefined],
    ['python3 -c "import secrets; print(secrets.token_urlsafe(32))"', 43, undefined, 32],
    ['openssl rand -hex 32', 64, 32, undefined],
    ['openssl rand -hex 16 | head -c 31', 31, undefined, undefined],
    ['head -c 31 /dev/urandom | xxd -p', 63, undefined, undefined],
    ['uuidgen', 36, undefined, undefined],
    ['uuidgen | tr -d -', 32, 16, undefined],
    ['openssl rand 32', undefined, undefined, undefined],
    ["tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32", 32, undefined, undefined],
  ]
  for (const [line, none, hexBytes, b64] of cases) {
    const out = model(line)
    assert.ok(out, line)
    assert.equal([valueBytes(out, 'none'), valueBytes(out, 'hex'), valueBytes(out, 'base64')], [none, hexBytes, b64], line)
  }
})

test('valueBytes works on outputs built by hand, without the optional fields', () => {
  const wrapped: GeneratorOutput = { chars: 89, trailingNewline: true, multiline: true, alphabet: 'base64', bits: 512 }
  assert.is(valueBytes(wrapped, 'base64'), 66)
  const plain: GeneratorOutput = { chars: 43, trailingNewline: true, multiline: false, alphabet: 'base64url', bits: 256 }
  assert.is(valueBytes(plain, 'base64'), 32)
})

test('meets: exact, minimum, maximum, by decode step', () => {
  const b64 = model('openssl rand -base64 32')!
  const cases: Array<[GeneratorOutput, Constraint, boolean]> = [
    [b64, { bytes: 32, decode: 'none' }, false],
    [b64, { bytes: 44, decode: 'none' }, true],
    [b64, { minBytes: 32, decode: 'none' }, true],
    [b64, { maxBytes: 32, decode: 'none' }, false],
    [b64, { bytes: 32, decode: 'base64' }, true],
    [b64, { bytes: 32, decode: 'hex' }, false],
    [model('openssl rand -base64 24')!, { bytes: 32, decode: 'none' }, true],
    [model('openssl rand -hex 32')!, { bytes: 32, decode: 'hex' }, true],
    [model('openssl rand -hex 32')!, { minBytes: 16, maxBytes: 64, decode: 'none' }, true],
    [model('openssl rand -hex 32')!, { minBytes: 16, maxBytes: 63, decode: 'none' }, false],
    [model('openssl rand 32')!, { bytes: 32, decode: 'none' }, false],
  ]
  for (const [out, c, expected] of cases) assert.is(meets(out, c), expected, `${JSON.stringify(out)} ${JSON.stringify(c)}`)
})

// ---------------------------------------------------------------------------------------------
// suggest and render
// ---------------------------------------------------------------------------------------------

test('suggest: the nearest compliant command', () => {
  const cases: Array<[string, Constraint, string, Partial<GeneratorOutput>]> = [
    ['openssl rand -base64 32', { bytes: 32, decode: 'none' }, 'openssl rand -base64 24', { chars: 32, bits: 192 }],
    ['openssl rand -base64 32', { minBytes: 32, decode: 'none' }, 'openssl rand -base64 32', { chars: 44, bits: 256 }],
    ['openssl rand -base64 32', { bytes: 32, decode: 'base64' }, 'openssl rand -base64 32', { chars: 44, bits: 256 }],
    ['openssl rand -base64 32', { bytes: 32, decode: 'hex' }, 'openssl rand -hex 32', { chars: 64, bits: 256 }],
    ['openssl rand -base64 16', { minBytes: 32, decode: 'none' }, 'openssl rand -base64 24', { chars: 32, bits: 192 }],
    ['openssl rand -hex 32', { maxBytes: 32, decode: 'none' }, 'openssl rand -hex 16', { chars: 32, bits: 128 }],
    ['openssl rand -hex 16', { bytes: 32, decode: 'hex' }, 'openssl rand -hex 32', { chars: 64, bits: 256 }],
    ['openssl rand -base64 64', { bytes: 64, decode: 'base64' }, "openssl rand -base64 64 | tr -d '\\n'", { chars: 88, multiline: false, bits: 512 }],
    ['head -c 32 /dev/urandom | base64', { bytes: 32, decode: 'none' }, 'head -c 24 /dev/urandom | base64', { chars: 32, bits: 192 }],
    ["tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40", { bytes: 32, decode: 'none' }, 'tr -dc A-Za-z0-9 < /dev/urandom | head -c 32', { chars: 32 }],
    ["cat /dev/urandom | tr -dc 'a-zA-Z0-9' | fold -w 40 | head -n 1", { bytes: 32, decode: 'none' }, 'cat /dev/urandom | tr -dc a-zA-Z0-9 | fold -w 32 | head -n 1', { chars: 32 }],
    ['python3 -c "import secrets; print(secrets.token_urlsafe(32))"', { bytes: 32, decode: 'none' }, "python3 -c 'import secrets; print(secrets.token_urlsafe(24))'", { chars: 32, bits: 192 }],
    ['node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"', { bytes: 32, decode: 'none' }, 'node -e "console.log(require(\'crypto\').randomBytes(16).toString(\'hex\'))"', { chars: 32, bits: 128 }],
    ['uuidgen', { bytes: 32, decode: 'none' }, 'openssl rand -base64 24', { chars: 32, bits: 192 }],
    ['openssl rand -base64 32', { bytes: 33, decode: 'none' }, 'openssl rand -base64 32 | head -c 33', { chars: 33, bits: 198 }],
    ['date +%s | sha256sum', { bytes: 32, decode: 'hex' }, 'openssl rand -hex 32', { chars: 64, bits: 256 }],
    ['echo hi', { bytes: 32, decode: 'none' }, 'openssl rand -base64 24', { chars: 32 }],
  ]
  for (const [line, c, command, expected] of cases) {
    const result = suggest(sh(line), c)
    assert.ok(result, `${line}: no suggestion`)
    assert.is(result.command, command, line)
    expectOutput(command, result.output, expected)
    assert.ok(meets(result.output, c), `${line}: suggestion does not meet ${JSON.stringify(c)}`)
    assert.equal(model(command), result.output, `${line}: the rendered suggestion models the same`)
  }
})

test('strengthen: the smallest size of the same command that carries the bits, or nothing', () => {
  const cases: Array<[string, number, string | undefined]> = [
    ['openssl rand -hex 16', 256, 'openssl rand -hex 32'],
    ['openssl rand -base64 16', 160, 'openssl rand -base64 20'],
    ["python3 -c 'import secrets; print(secrets.token_urlsafe(16))'", 256, "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"],
    ["ruby -rsecurerandom -e 'puts SecureRandom.alphanumeric(16)'", 128, "ruby -rsecurerandom -e 'puts SecureRandom.alphanumeric(22)'"],
    ['head -c 16 /dev/urandom | base64', 192, 'head -c 24 /dev/urandom | base64'],
    ['date +%s | sha256sum | head -c 32', 128, undefined],
    ['uuidgen', 128, undefined],
  ]
  for (const [line, bits, expected] of cases) {
    const stronger = strengthen(sh(line), bits)
    assert.is(stronger?.command, expected, line)
    if (stronger) {
      assert.ok(stronger.output.bits >= bits, line)
      assert.equal(stronger.output, model(stronger.command), line)
    }
  }
})

test('suggest never proposes something that does not meet the constraint', () => {
  const lines = ['openssl rand -base64 32', 'openssl rand -hex 20', 'uuidgen', "tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40"]
  for (const line of lines) {
    for (const decode of ['none', 'hex', 'base64'] as const) {
      for (const c of [{ bytes: 17, decode }, { bytes: 48, decode }, { minBytes: 40, decode }, { maxBytes: 20, decode }] as Constraint[]) {
        const result = suggest(sh(line), c)
        if (!result) continue
        assert.ok(meets(result.output, c), `${line} ${JSON.stringify(c)} → ${result.command}`)
        assert.not.ok(result.output.multiline, `${line} ${JSON.stringify(c)} → ${result.command}`)
      }
    }
  }
})

test('render quotes words that need it', () => {
  const cases: Array<[Stage[], string]> = [
    [[{ name: 'openssl', args: ['rand', '-base64', '24'] }], 'openssl rand -base64 24'],
    [[{ name: 'head', args: ['-c', '32', '/dev/urandom'] }, { name: 'base64', args: [] }], 'head -c 32 /dev/urandom | base64'],
    [[{ name: 'tr', args: ['-dc', '[:alnum:]'], stdin: '/dev/urandom' }, { name: 'head', args: ['-c', '32'] }], "tr -dc '[:alnum:]' < /dev/urandom | head -c 32"],
    [[{ name: 'cut', args: ['-d', ' ', '-f1'] }], "cut -d ' ' -f1"],
    [[{ name: 'tr', args: ['-d', '\\n'] }], "tr -d '\\n'"],
    [[{ name: 'node', args: ['-e', "console.log('x')"] }], 'node -e "console.log(\'x\')"'],
    [[{ name: 'python3', args: ['-c', 'print("it\'s $x")'] }], `python3 -c 'print("it'\\''s $x")'`],
    [[{ name: 'echo', args: ['$RANDOM'] }], 'echo "$RANDOM"'],
    [[{ name: 'echo', args: [''] }], "echo ''"],
  ]
  for (const [stages, expected] of cases) assert.is(render(stages), expected)
})

// ---------------------------------------------------------------------------------------------
// The model against reality
// ---------------------------------------------------------------------------------------------

/** Pipelines to run for real: `{N}` takes each size. `needs` lists the commands that must exist. */
const REAL: Array<{ line: string; sizes?: number[]; needs: string[] }> = [
  { line: 'openssl rand -base64 {N}', sizes: [0, 1, 2, 3, 24, 32, 47, 48, 49, 64, 96, 100], needs: ['openssl'] },
  { line: 'openssl rand -hex {N}', sizes: [1, 32, 64], needs: ['openssl'] },
  { line: 'openssl rand {N}', sizes: [1, 32], needs: ['openssl'] },
  { line: "openssl rand -base64 {N} | tr -d '\\n'", sizes: [64, 100], needs: ['openssl', 'tr'] },
  { line: 'openssl rand -base64 {N} | head -c 32', sizes: [3, 32, 100], needs: ['openssl', 'head'] },
  { line: 'openssl rand -base64 {N} | cut -c1-70', sizes: [32, 64, 100], needs: ['openssl', 'cut'] },
  { line: 'openssl rand -base64 {N} | cut -c-10', sizes: [64], needs: ['openssl', 'cut'] },
  { line: "openssl rand -base64 {N} | tr '+/' '-_' | tr -d '='", sizes: [1, 2, 32], needs: ['openssl', 'tr'] },
  { line: "openssl rand -hex {N} | sha256sum | cut -d' ' -f1", sizes: [8], needs: ['openssl', 'sha256sum', 'cut'] },
  { line: "openssl rand -hex {N} | sha256sum | awk '{print $1}'", sizes: [8], needs: ['openssl', 'sha256sum', 'awk'] },
  { line: 'head -c {N} /dev/urandom | openssl base64', sizes: [48, 60], needs: ['openssl', 'head'] },
  { line: 'head -c {N} /dev/urandom | openssl base64 -A', sizes: [60], needs: ['openssl', 'head'] },
  { line: 'head -c {N} /dev/urandom | base64', sizes: [1, 56, 57, 58, 100], needs: ['head', 'base64'] },
  { line: 'head -c {N} < /dev/urandom | base64 -w0', sizes: [1, 100], needs: ['head', 'base64'] },
  { line: 'head -c {N} /dev/urandom | base64 -w 10', sizes: [24], needs: ['head', 'base64'] },
  { line: 'base64 /dev/urandom | head -c {N}', sizes: [32, 100], needs: ['head', 'base64'] },
  { line: 'head -c {N} /dev/urandom | xxd -p', sizes: [1, 30, 31, 100], needs: ['head', 'xxd'] },
  { line: 'head -c {N} /dev/urandom | xxd -p -c 16', sizes: [40], needs: ['head', 'xxd'] },
  { line: 'head -c {N} /dev/urandom | xxd -p -c 0', sizes: [100], needs: ['head', 'xxd'] },
  { line: 'xxd -l {N} -p /dev/urandom', sizes: [16, 64], needs: ['xxd'] },
  { line: 'od -An -tx1 -N {N} /dev/urandom', sizes: [16, 20], needs: ['od'] },
  { line: 'head -c {N} /dev/urandom | od -An -tx1 | tr -d " \\n"', sizes: [32], needs: ['head', 'od', 'tr'] },
  { line: 'od -vAn -N4 -tu4 < /dev/urandom', needs: ['od'] },
  { line: 'dd if=/dev/urandom bs={N} count=1 status=none | base64', sizes: [32], needs: ['dd', 'base64'] },
  { line: "tr -dc 'A-Za-z0-9' </dev/urandom | head -c {N}", sizes: [1, 32, 100], needs: ['tr', 'head'] },
  { line: "cat /dev/urandom | tr -dc 'a-zA-Z0-9!@#' | fold -w {N} | head -n 1", sizes: [32], needs: ['cat', 'tr', 'fold', 'head'] },
  { line: 'cat /proc/sys/kernel/random/uuid | tr -d -', needs: ['cat', 'tr'] },
  { line: 'uuidgen', needs: ['uuidgen'] },
  { line: 'uuidgen | tr -d -', needs: ['uuidgen', 'tr'] },
  { line: 'pwgen -s {N} 1', sizes: [8, 32], needs: ['pwgen'] },
  { line: 'pwgen {N} 3', sizes: [12], needs: ['pwgen'] },
  { line: 'gpg --gen-random --armor 1 {N}', sizes: [1, 2, 32, 48, 49, 100], needs: ['gpg'] },
  { line: 'gpg -q --gen-random -a 2 {N}', sizes: [24], needs: ['gpg'] },
  { line: 'gpg --gen-random 1 {N}', sizes: [1, 32], needs: ['gpg'] },
  { line: 'gpg --gen-random 1 {N} | base64', sizes: [32], needs: ['gpg', 'base64'] },
  { line: 'date +%s', needs: ['date'] },
  { line: 'date +%s%N | sha256sum | head -c {N}', sizes: [32], needs: ['date', 'sha256sum', 'head'] },
  { line: 'date +%s | sha256sum | base64 | head -c {N}', sizes: [100], needs: ['date', 'sha256sum', 'base64', 'head'] },
  { line: 'echo $RANDOM | sha256sum | cut -d" " -f1', needs: ['sha256sum', 'cut'] },
  { line: 'python3 -c "import secrets; print(secrets.token_hex({N}))"', sizes: [1, 32], needs: ['python3'] },
  { line: 'python3 -c "import secrets; print(secrets.token_urlsafe({N}))"', sizes: [2, 32], needs: ['python3'] },
  { line: 'python3 -c "import os, base64; print(base64.b64encode(os.urandom({N})).decode())"', sizes: [47], needs: ['python3'] },
  { line: 'python3 -c "import secrets, string; print(\'\'.join(secrets.choice(string.ascii_letters + string.digits) for _ in range({N})))"', sizes: [20], needs: ['python3'] },
  { line: 'python3 -c "import binascii, os; print(binascii.hexlify(os.urandom({N})))"', sizes: [4], needs: ['python3'] },
  { line: 'python3 -c "import secrets; print(secrets.token_hex({N}), end=\'\')"', sizes: [16], needs: ['python3'] },
  { line: 'node -e "console.log(require(\'crypto\').randomBytes({N}).toString(\'hex\'))"', sizes: [1, 32], needs: ['node'] },
  { line: 'node -e "console.log(crypto.randomBytes({N}).toString(\'base64\'))"', sizes: [47], needs: ['node'] },
  { line: 'node -e "console.log(require(\'crypto\').randomBytes({N}).toString(\'base64url\'))"', sizes: [2, 32], needs: ['node'] },
  { line: 'node -e "process.stdout.write(crypto.randomBytes({N}).toString(\'hex\'))"', sizes: [16], needs: ['node'] },
  { line: 'node -p "crypto.randomBytes({N}).toString(\'hex\')"', sizes: [16], needs: ['node'] },
  { line: 'node -e "console.log(crypto.randomUUID())"', needs: ['node'] },
  // Ruby; `rails secret` prints `SecureRandom.hex(64)` (its model is checked against this line below).
  { line: "ruby -rsecurerandom -e 'puts SecureRandom.hex({N})'", sizes: [1, 32, 64], needs: ['ruby'] },
  { line: "ruby -r securerandom -e 'print SecureRandom.base64 {N}'", sizes: [1, 32], needs: ['ruby'] },
  { line: 'ruby -e "require \'securerandom\'; puts SecureRandom.urlsafe_base64({N})"', sizes: [5, 32], needs: ['ruby'] },
  { line: "ruby -rsecurerandom -e 'puts SecureRandom.urlsafe_base64({N}, true)'", sizes: [5], needs: ['ruby'] },
  { line: "ruby -rsecurerandom -e 'p SecureRandom.hex {N}'", sizes: [4], needs: ['ruby'] },
  { line: "ruby -rsecurerandom -e 'puts SecureRandom.alphanumeric({N})'", sizes: [20], needs: ['ruby'] },
  { line: "ruby -rsecurerandom -e 'puts SecureRandom.alphanumeric'", needs: ['ruby'] },
  { line: "ruby -rsecurerandom -e 'puts SecureRandom.uuid'", needs: ['ruby'] },
  { line: "php -r 'echo bin2hex(random_bytes({N}));'", sizes: [1, 32], needs: ['php'] },
  { line: "php -r 'echo base64_encode(random_bytes({N})), PHP_EOL;'", sizes: [1, 32, 48], needs: ['php'] },
  { line: `php -r 'print bin2hex(openssl_random_pseudo_bytes({N})) . "\\n";'`, sizes: [16], needs: ['php'] },
]

/** These must exist: a machine without them cannot check the model at all. */
const REQUIRED = ['openssl', 'head', 'base64', 'tr', 'node', 'python3']

function available(commands: readonly string[]): Set<string> {
  const script = commands.map((c) => `command -v ${c} >/dev/null && echo ${c}`).join('; ') + '; true'
  const found = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean)
  const exists = new Set(found)
  // A file generator is only there on Linux.
  if (!execFileSync('bash', ['-c', 'test -r /proc/sys/kernel/random/uuid && echo yes || true'], { encoding: 'utf8' }).trim()) exists.delete('cat')
  return exists
}

/** Run several command lines in one bash; returns each one's raw stdout. */
function runAll(lines: readonly string[]): Promise<Buffer[]> {
  const marker = Buffer.from(`@@${randomBytes(16).toString('hex')}@@`)
  const script = lines.map((line) => `{ ${line}\n} 2>/dev/null; printf '%s' '${marker.toString()}'`).join('\n')
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { encoding: 'buffer', maxBuffer: 1 << 24, timeout: 20_000 }, (error, stdout) => {
      if (error) return reject(error)
      const outputs: Buffer[] = []
      let from = 0
      for (let at = stdout.indexOf(marker); at >= 0; at = stdout.indexOf(marker, from)) {
        outputs.push(stdout.subarray(from, at))
        from = at + marker.length
      }
      resolve(outputs)
    })
  })
}

/** What `$(...)` captures: the output without its trailing newlines. */
function captured(raw: Buffer): Buffer {
  let end = raw.length
  while (end > 0 && raw[end - 1] === 0x0a) end--
  return raw.subarray(0, end)
}

interface Reality {
  missing: string[]
  ran: number
  mismatches: string[]
}

/** Run every REAL pipeline that can run here and compare what it printed with the model. */
async function checkReality(): Promise<Reality> {
  const tools = available([...new Set(REAL.flatMap((r) => r.needs))])
  const missing = REQUIRED.filter((c) => !tools.has(c))
  const mismatches: string[] = []
  const cases: Array<{ command: string; out: GeneratorOutput; tool: string }> = []
  for (const r of REAL.filter((r) => r.needs.every((c) => tools.has(c)))) {
    for (const n of r.sizes ?? [0]) {
      const stages = sh(r.line.replaceAll('{N}', String(n)))
      const out = modelPipeline(stages)
      if (out) cases.push({ command: render(stages), out, tool: r.needs[0] })
      else mismatches.push(`${r.line} (N=${n}) has no model: ${JSON.stringify(analyzePipeline(stages))}`)
    }
  }
  // One bash per interpreter family, in parallel: python and node start slowly.
  const familyOf = (tool: string): string => (tool === 'python3' || tool === 'node' ? tool : 'other')
  const families = ['python3', 'node', 'other'].map((f) => cases.filter((c) => familyOf(c.tool) === f))
  const batches = await Promise.all(families.map((family) => runAll(family.map((c) => c.command))))
  families.forEach((family, i) =>
    family.forEach(({ command, out }, j) => {
      const raw = batches[i][j]
      if (!raw) return void mismatches.push(`${command}: no output`)
      const value = captured(raw)
      // Binary output is counted as printed: `$(...)` would also drop NUL and trailing newline bytes.
      // Its last byte is random (`gpg --gen-random 1 1` prints 0x0a once in 256 runs): whether a
      // newline follows it shows in its length, which `chars` compares, not in that byte.
      const binary = out.alphabet === 'binary'
      const actual = {
        chars: binary ? raw.length : value.length,
        trailingNewline: binary ? out.trailingNewline && raw[raw.length - 1] === 0x0a : raw.length > 0 && raw[raw.length - 1] === 0x0a,
        multiline: out.alphabet !== 'binary' && value.includes(0x0a),
      }
      const expected = { chars: out.chars, trailingNewline: out.trailingNewline, multiline: out.multiline }
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${command}: printed ${JSON.stringify(actual)}, model says ${JSON.stringify(expected)}`)
      }
    }),
  )
  return { missing, ran: cases.length, mismatches }
}

/** Started at load, so the real commands run while the other tests do. */
const reality = checkReality()
reality.catch(() => undefined)

test('the model matches the real commands on this machine', async () => {
  const { missing, ran, mismatches } = await reality
  if (process.env.DOCDRIFT_SKIP_REALITY !== '1') {
    assert.equal(missing, [], `install ${missing.join(', ')} (or set DOCDRIFT_SKIP_REALITY=1) to check the model against reality`)
    assert.ok(ran >= 60, `only ${ran} real runs`)
  }
  assert.equal(mismatches, [], mismatches.join('\n'))
})

test.run()
