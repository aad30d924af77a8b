import {Memo} from '../memo.js'
/**
 * Secret generators: what a shell pipeline prints.
 *
 * Docs tell operators to run things like `openssl rand -base64 32` and paste the result into
 * `ENCRYPTION_KEY`. The `secret-length` rule needs to know, exactly, what such a pipeline prints:
 * how many characters, from which alphabet, whether a newline follows, and how many bits of
 * entropy the value carries. This module answers that without running anything.
 *
 * How it works. Every command in the pipeline is a function from the stream it reads to the
 * stream it writes. A stream is a list of symbolic characters ("tokens"): each token knows the set
 * of characters it may be (its class: `0-9a-f`, `A-Za-z0-9+/`, a fixed `\n`, any byte) and how
 * many bits of entropy it carries. Encoders, line wrapping, `head -c`, `cut`, `tr -d` and hashes
 * are exact operations on that list, so lengths come out exact by construction (openssl's 64-column
 * base64 wrap, GNU base64's 76, xxd's 60, a trailing newline or none). Endless sources
 * (`/dev/urandom`) are a repeating cycle of tokens until something like `head -c` ends them.
 *
 * When a length depends on the random content (`tr -d '+/'` on base64, `echo $RANDOM`), the
 * pipeline has no exact output: `modelPipeline` returns `undefined` and `analyzePipeline` says why
 * (and, for weak sources like `$RANDOM` or `date`, how many bits at most).
 *
 * Modelled: `openssl rand [-hex|-base64] N`, `openssl base64 [-A]`; `head`, `tail -c`, `dd`, `cat`
 * over `/dev/urandom`; `base64 [-w N]`, `xxd -p [-c N] [-l N]`, `od -An -t x1|u4…`; `tr -d`/`-dc`
 * and translation; `cut -c`/`-f`, `awk '{print $N}'`, `fold -w`; `sha256sum` and friends;
 * `uuidgen`, `pwgen`, `gpg --gen-random [--armor]`; `python3 -c` with `secrets`/`os`/`base64`/
 * `binascii`/`uuid`; `node -e`/`-p` with `crypto`; `ruby -e` with `SecureRandom`, `rails secret`
 * (`rake secret`) and `rails runner`; `php -r` with `random_bytes`, and `php artisan
 * key:generate --show`; and the weak `date +%s`, `echo $RANDOM`. Binary output (`openssl rand 32`) is
 * counted in bytes printed; `$(...)` would also drop its NUL and trailing newline bytes. Go
 * template stages (`template: true`) are Helm's Sprig functions: `randAlphaNum N` and its kin,
 * `randBytes`, `uuidv4`, `b64enc`, `sha256sum`, `quote`, `trunc`… (`TEMPLATE_FUNCTIONS`).
 * Terraform stages (`terraform: true`) are the `random` provider's resources: `random_password`,
 * `random_string`, `random_id`, `random_bytes`, `random_uuid` (`TERRAFORM_RESOURCES`).
 *
 * Entropy is honest, never flattering: each token carries at most what its source put in (a base64
 * character of random bytes carries 6 bits, the last one fewer), a hash carries at most what went
 * into it, and time-based or `$RANDOM` sources carry what an attacker cannot guess (about a day of
 * seconds: 17 bits; `$RANDOM`: 15 bits).
 */

// ============================================================================================
// Public types
// ============================================================================================

export interface Stage {
  /** command name, e.g. 'openssl', 'head', 'python3' */
  name: string
  /** literal argument words with shell quotes already removed, e.g. ['rand', '-base64', '32'] */
  args: string[]
  /** file given with `< file` redirect, e.g. '/dev/urandom' */
  stdin?: string
  /** A Go template function (Helm's Sprig: `randAlphaNum 32`), not a command: see `TEMPLATE_FUNCTIONS`. */
  template?: true
  /**
   * A resource of Terraform's `random` provider (`random_password`), not a command: its output
   * read first, then its arguments as `name=value` (`['result', 'length=44', 'special=false']`);
   * see `TERRAFORM_RESOURCES`.
   */
  terraform?: true
}

export type Alphabet =
  | 'base64'
  | 'base64url'
  | 'hex'
  | 'alnum'
  | 'charset'
  | 'binary'
  | 'uuid'
  | 'decimal'
  | 'unknown'

export interface GeneratorOutput {
  /** Characters printed, not counting trailing newlines — what `$(...)` captures. Inner newlines (openssl wraps base64 at 64 columns) ARE counted. */
  chars: number
  /** true when the command prints a final newline */
  trailingNewline: boolean
  /** true when the captured value contains a newline (wrapped base64) */
  multiline: boolean
  alphabet: Alphabet
  /** Entropy in bits of the value (after truncation by head -c / cut) */
  bits: number
  /** Random bytes drawn, when meaningful (openssl rand N → N) */
  randomBytes?: number
  /** Newlines inside the captured value (counted in `chars`). */
  newlines?: number
  /** `=` padding characters in the captured value (base64 alphabets). */
  padding?: number
  /** The characters the value may contain, for `alnum` and `charset` alphabets. */
  charset?: string
}

export interface Constraint {
  bytes?: number
  minBytes?: number
  maxBytes?: number
  decode: 'none' | 'hex' | 'base64'
  /** The value keeps the output's trailing newline (piped or written to a file, read by a service that does not trim it). */
  withNewline?: boolean
}

/** What `analyzePipeline` found: an exact output, a known source of unknown length, or nothing. */
export type Analysis =
  | { status: 'exact'; output: GeneratorOutput }
  | { status: 'variable'; bits: number; reason: string }
  | { status: 'unknown'; reason: string }

// ============================================================================================
// Character classes and tokens
// ============================================================================================

/** A set of characters (code units 0–255 stand for bytes). Interned: equal sets are `===`. */
interface CharClass {
  readonly chars: string
  readonly set: ReadonlySet<string>
}

const interned = new Map<string, CharClass>()

function charClass(chars: Iterable<string>): CharClass {
  const key = typeof chars === 'string' && chars.length === 1 ? chars : [...new Set(chars)].sort().join('')
  let found = interned.get(key)
  if (!found) {
    found = { chars: key, set: new Set(key) }
    interned.set(key, found)
  }
  return found
}

function span(from: number, to: number): string {
  let out = ''
  for (let code = from; code <= to; code++) out += String.fromCharCode(code)
  return out
}

const DIGITS = '0123456789'
const LOWER = span(97, 122)
const UPPER = span(65, 90)
const B64_ALPHABET = UPPER + LOWER + DIGITS + '+/'
const B64URL_ALPHABET = UPPER + LOWER + DIGITS + '-_'
const HEX_LOWER = DIGITS + 'abcdef'
const HEX_UPPER = DIGITS + 'ABCDEF'

const BYTE = charClass(span(0, 255))
const NL = charClass('\n')
const HEX = charClass(HEX_LOWER)
const HEX_UP = charClass(HEX_UPPER)
const DIGIT = charClass(DIGITS)
const ALNUM = charClass(UPPER + LOWER + DIGITS)
const B64_OR_PAD = charClass(B64_ALPHABET + '=')
const B64URL_OR_PAD = charClass(B64URL_ALPHABET + '=')
const HEX_ANY_CASE = charClass(HEX_LOWER + HEX_UPPER)
const PRINTABLE = charClass(span(32, 126))

/** One symbolic character: the set it is drawn from and the entropy it carries. */
interface Tok {
  readonly cls: CharClass
  readonly bits: number
}

/** Fixed text: every character known, no entropy. */
function text(s: string): Tok[] {
  return Array.from(s, (ch) => ({ cls: charClass(ch), bits: 0 }))
}

/** A character drawn uniformly from `cls`. */
function uniform(cls: CharClass): Tok {
  return { cls, bits: Math.log2(cls.chars.length) }
}

const NEWLINE: Tok = { cls: NL, bits: 0 }

function repeat(tok: Tok, n: number): Tok[] {
  return Array.from({ length: n }, () => tok)
}

function sumBits(toks: readonly Tok[]): number {
  return toks.reduce((total, t) => total + t.bits, 0)
}

function isSubset(a: CharClass, b: CharClass): boolean {
  for (const ch of a.chars) if (!b.set.has(ch)) return false
  return true
}

function unionOf(classes: Iterable<CharClass>): CharClass {
  let chars = ''
  for (const c of new Set(classes)) chars += c.chars
  return charClass(chars)
}

// ============================================================================================
// Streams
// ============================================================================================

/** Bigger outputs are not secrets; refusing them keeps every operation cheap. */
const MAX_TOKENS = 1 << 16

/**
 * What a command writes: `toks`, then — for endless sources — `cycle` repeated forever.
 * `cap` bounds the total entropy (a hash output carries at most what went in).
 */
interface Stream {
  readonly kind: 'stream'
  readonly toks: readonly Tok[]
  readonly cycle?: readonly Tok[]
  readonly cap: number
  /** Random bytes drawn by the generator, when that is a fixed number. */
  readonly drawn?: number
}

/** Output of a known source whose length depends on chance; `bits` is an upper bound. */
interface Opaque {
  readonly kind: 'opaque'
  readonly bits: number
  readonly why: string
}

interface Fail {
  readonly kind: 'fail'
  readonly why: string
}

type Flow = Stream | Opaque
type Step = Flow | Fail

function finite(toks: readonly Tok[], cap = Infinity, drawn?: number): Stream {
  return drawn === undefined ? { kind: 'stream', toks, cap } : { kind: 'stream', toks, cap, drawn }
}

function endless(cycle: readonly Tok[]): Stream {
  return { kind: 'stream', toks: [], cycle, cap: Infinity }
}

function fail(why: string): Fail {
  return { kind: 'fail', why }
}

/** Same stream, new tokens (keeps the entropy cap and the drawn byte count). */
function withToks(s: Stream, toks: readonly Tok[]): Stream {
  return { ...s, toks, cycle: undefined }
}

/** The first `n` tokens of a stream, materializing the cycle as needed. */
function take(s: Stream, n: number): Tok[] | Fail {
  if (n > MAX_TOKENS) return fail(`${n} characters is more than docdrift models`)
  const out = s.toks.slice(0, n)
  if (s.cycle && s.cycle.length > 0) {
    while (out.length < n) out.push(s.cycle[(out.length - s.toks.length) % s.cycle.length])
  }
  return out
}

/**
 * The single token an endless stream repeats, when it starts right away (`/dev/urandom`,
 * `tr -dc … </dev/urandom`). Encoders only handle endless input of this shape.
 */
function steadyToken(s: Stream): Tok | undefined {
  return s.toks.length === 0 && s.cycle?.length === 1 ? s.cycle[0] : undefined
}

/**
 * Apply a block encoder to a stream: finite input is encoded whole; an endless stream of one
 * repeated token is encoded one block at a time (`blockBytes` must end on a line boundary).
 */
function encodeStream(s: Stream, blockBytes: number, encode: (input: readonly Tok[]) => Tok[], what: string): Step {
  if (!s.cycle) return withToks(s, encode(s.toks))
  const tok = steadyToken(s)
  if (!tok) return fail(`${what} of this endless stream is not modelled`)
  return endless(encode(repeat(tok, blockBytes)))
}

/** Lines of a finite token list; fails when a random character might be a line break. */
function splitLines(toks: readonly Tok[]): { lines: Tok[][]; lastTerminated: boolean } | Fail {
  const lines: Tok[][] = [[]]
  for (const t of toks) {
    if (t.cls === NL) lines.push([])
    else if (t.cls.set.has('\n')) return fail('line breaks fall at random places in binary output')
    else lines[lines.length - 1].push(t)
  }
  const lastTerminated = lines[lines.length - 1].length === 0
  if (lastTerminated) lines.pop()
  return { lines, lastTerminated }
}

function joinLines(lines: readonly Tok[][], lastTerminated: boolean): Tok[] {
  const out: Tok[] = []
  lines.forEach((line, i) => {
    out.push(...line)
    if (i < lines.length - 1 || lastTerminated) out.push(NEWLINE)
  })
  return out
}

/** Break `toks` into lines of `width` (0: one line), each followed by a newline when `newline`. */
function wrap(toks: readonly Tok[], width: number, newline: boolean): Tok[] {
  if (toks.length === 0) return []
  const out: Tok[] = []
  toks.forEach((t, i) => {
    if (width > 0 && i > 0 && i % width === 0) out.push(NEWLINE)
    out.push(t)
  })
  if (newline) out.push(NEWLINE)
  return out
}

// ============================================================================================
// Encoders and digests
// ============================================================================================

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0))
}

/**
 * Base64 of `input` (each token one byte). A character covering 6 bits of random input carries
 * 6 bits; the last character of a short group carries only the bits left and is drawn from a
 * smaller set (`openssl rand -base64 1` ends in one of `AQgw`, then `==`).
 */
/** The characters a base64 digit with only `known` input bits may be (the rest are zero). */
function partialDigit(alphabet: string, known: number): CharClass {
  return charClass(Array.from({ length: 2 ** known }, (_, v) => alphabet[v << (6 - known)]))
}

function base64(input: readonly Tok[], alphabet: string, pad: boolean): Tok[] {
  const full = charClass(alphabet)
  const out: Tok[] = []
  for (let g = 0; g < input.length; g += 3) {
    const group = input.slice(g, g + 3)
    const inputBits = group.length * 8
    for (let k = 0; k <= group.length; k++) {
      const lo = 6 * k
      const hi = Math.min(lo + 6, inputBits)
      let bits = 0
      group.forEach((t, i) => {
        bits += (overlap(lo, hi, 8 * i, 8 * i + 8) * Math.min(t.bits, 8)) / 8
      })
      const known = hi - lo
      out.push({ cls: known === 6 ? full : partialDigit(alphabet, known), bits })
    }
    if (pad) out.push(...text('='.repeat(3 - group.length)))
  }
  return out
}

/** Hex of `input`: two characters per byte, each with half its entropy. */
function hex(input: readonly Tok[], upper = false): Tok[] {
  const cls = upper ? HEX_UP : HEX
  return input.flatMap((t) => {
    const half: Tok = { cls, bits: Math.min(t.bits, 8) / 2 }
    return [half, half]
  })
}

/** Entropy of a finite stream: what its tokens carry, capped by its source. */
function entropy(s: Stream): number {
  return Math.min(sumBits(s.toks), s.cap)
}

/** Hash digests as printed by coreutils: hex, two spaces, `-`, newline. */
const DIGESTS: Record<string, number> = {
  md5sum: 128,
  sha1sum: 160,
  sha224sum: 224,
  sha256sum: 256,
  sha384sum: 384,
  sha512sum: 512,
  b2sum: 512,
}

/** The digest commands the model knows (`md5sum`, `sha256sum`, `shasum`…): the secret rules' needles. */
export const digestCommands: readonly string[] = [...Object.keys(DIGESTS), 'shasum']

function digest(input: Flow, outBits: number): Step {
  if (input.kind === 'stream' && input.cycle) return fail('a hash of an endless stream never ends')
  const inBits = input.kind === 'opaque' ? input.bits : entropy(input)
  const hexChars = outBits / 4
  return finite([...repeat({ cls: HEX, bits: 4 }, hexChars), ...text('  -\n')], Math.min(inBits, outBits))
}

// ============================================================================================
// Small parsers: numbers, options, tr sets
// ============================================================================================

const SIZE_SUFFIXES: Record<string, number> = {
  '': 1, c: 1, w: 2, b: 512, kB: 1000, K: 1024, KiB: 1024, k: 1024, MB: 1e6, M: 1 << 20, MiB: 1 << 20,
}

/** A non-negative decimal count, optionally with a coreutils size suffix (`1K`, `2MB`). */
function parseCount(word: string | undefined, suffixes = false): number | undefined {
  if (word === undefined || word.length > 24) return undefined
  let digits = 0
  while (digits < word.length && word[digits] >= '0' && word[digits] <= '9') digits++
  if (digits === 0) return undefined
  const unit = suffixes ? SIZE_SUFFIXES[word.slice(digits)] : word.length === digits ? 1 : undefined
  if (unit === undefined) return undefined
  return Number(word.slice(0, digits)) * unit
}

interface Options {
  kind: 'options'
  opts: Array<[string, string | undefined]>
  operands: string[]
}

/**
 * GNU-style option parsing. `short` lists flag letters, a `:` after a letter means it takes a
 * value (`-w0`, `-w 0`), a leading `+` stops at the first operand (as `tr` does, so that
 * `tr '+/' '-_'` works); `long` maps long names to a letter, `c=` meaning it takes a value.
 */
function getopt(args: readonly string[], short: string, long: Record<string, string> = {}): Options | Fail {
  const opts: Options['opts'] = []
  const operands: string[] = []
  const inOrder = short.startsWith('+')
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--' || (inOrder && operands.length > 0)) {
      operands.push(...args.slice(arg === '--' ? i + 1 : i))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      const spec = long[name]
      if (spec === undefined) return fail(`option \`${arg}\` is not modelled`)
      if (spec.endsWith('=')) {
        const value = eq < 0 ? args[++i] : arg.slice(eq + 1)
        if (value === undefined) return fail(`option \`${arg}\` needs a value`)
        opts.push([spec[0], value])
      } else opts.push([spec, undefined])
      continue
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const at = short.indexOf(arg[j])
        if (at < 0 || arg[j] === ':' || arg[j] === '+') return fail(`option \`-${arg[j]}\` is not modelled`)
        if (short[at + 1] === ':') {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i]
          if (value === undefined) return fail(`option \`-${arg[j]}\` needs a value`)
          opts.push([arg[j], value])
          break
        }
        opts.push([arg[j], undefined])
      }
      continue
    }
    operands.push(arg)
  }
  return { kind: 'options', opts, operands }
}

function lastOpt(o: Options, letter: string): string | undefined {
  let value: string | undefined
  for (const [k, v] of o.opts) if (k === letter) value = v ?? ''
  return value
}

function hasOpt(o: Options, letter: string): boolean {
  return o.opts.some(([k]) => k === letter)
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: UPPER + LOWER + DIGITS,
  alpha: UPPER + LOWER,
  blank: ' \t',
  cntrl: span(0, 31) + '\x7f',
  digit: DIGITS,
  graph: span(33, 126),
  lower: LOWER,
  print: span(32, 126),
  punct: span(33, 47) + span(58, 64) + span(91, 96) + span(123, 126),
  space: ' \t\n\v\f\r',
  upper: UPPER,
  xdigit: DIGITS + 'ABCDEFabcdef',
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\' }

/** A `tr` set in order (`A-Za-z0-9`, `[:alnum:]`, `\n`), C locale. */
function parseTrSet(spec: string): string[] | Fail {
  const out: string[] = []
  let i = 0
  /** One possibly escaped character at `i`. */
  const char = (): string => {
    if (spec[i] !== '\\' || i + 1 >= spec.length) return spec[i++]
    const next = spec[i + 1]
    let octal = ''
    while (octal.length < 3 && spec[i + 1 + octal.length] >= '0' && spec[i + 1 + octal.length] <= '7') {
      octal += spec[i + 1 + octal.length]
    }
    if (octal) {
      i += 1 + octal.length
      return String.fromCharCode(parseInt(octal, 8) & 255)
    }
    i += 2
    return ESCAPES[next] ?? next
  }
  while (i < spec.length) {
    if (spec.startsWith('[:', i)) {
      const close = spec.indexOf(':]', i + 2)
      const name = close < 0 ? '' : spec.slice(i + 2, close)
      const members = POSIX_CLASSES[name]
      if (members === undefined) return fail(`\`tr\` set \`${spec}\` is not modelled`)
      out.push(...members)
      i = close + 2
      continue
    }
    if (spec.startsWith('[=', i) && spec[i + 3] === '=' && spec[i + 4] === ']') {
      out.push(spec[i + 2])
      i += 5
      continue
    }
    if (spec[i] === '[' && spec.indexOf('*', i) > i && spec.indexOf('*', i) < spec.indexOf(']', i)) {
      return fail('`tr` repeat sets like `[c*n]` are not modelled')
    }
    const from = char()
    if (spec[i] === '-' && i + 1 < spec.length) {
      i++
      const to = char()
      if (to < from) return fail(`\`tr\` range \`${from}-${to}\` is reversed`)
      out.push(...span(from.charCodeAt(0), to.charCodeAt(0)))
      continue
    }
    out.push(from)
  }
  return out
}

// ============================================================================================
// Files and commands
// ============================================================================================

const RANDOM_BYTE = uniform(BYTE)

/** A UUID version 4 as printed: 122 random bits, version nibble `4`, variant nibble `8`–`b`. */
function uuidToks(): Tok[] {
  const nibble = uniform(HEX)
  const out: Tok[] = []
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out.push(...text('-'))
    else if (i === 14) out.push({ cls: HEX, bits: 0 })
    else if (i === 19) out.push({ cls: HEX, bits: 2 })
    else out.push(nibble)
  }
  return out
}

/** Files docs read secrets from. Any other file has content we cannot know. */
function readFile(path: string): Step {
  switch (path) {
    case '/dev/urandom':
    case '/dev/random':
      return endless([RANDOM_BYTE])
    case '/dev/zero':
      return endless(text('\0'))
    case '/proc/sys/kernel/random/uuid':
      return finite([...uuidToks(), NEWLINE])
    default:
      return fail(`reads \`${path}\`, whose content docdrift cannot know`)
  }
}

/** What a stage reads: a file operand (`-` is stdin), or stdin. */
type Input = Flow | undefined

function source(input: Input, operand?: string): Step {
  if (operand !== undefined && operand !== '-') return readFile(operand)
  return input ?? fail('reads the terminal: nothing is piped in')
}

/**
 * The piped-in stream for a filter. Opaque input passes through unchanged: no transformation adds
 * entropy, and the length stays unknown.
 */
function filterInput(input: Input, operands: readonly string[], what: string): Step {
  if (operands.length > 1) return fail(`${what} with several files is not modelled`)
  return source(input, operands[0])
}

/** A size argument `suggest` may change: its current value and the args with a new one. */
interface Slot {
  value: number
  set(n: number): string[]
}

interface Command {
  /** What the stage writes, given what is piped in. */
  run(args: readonly string[], input: Input): Step
  /** Size arguments, in the order `suggest` should try them. */
  slots?(args: readonly string[]): Slot[]
}

/** A slot for the argument at `index` (or the value glued to an option, `-c32`). */
function argSlot(args: readonly string[], index: number, prefix = '', suffix = ''): Slot[] {
  const word = args[index]
  if (word === undefined || !word.startsWith(prefix) || !word.endsWith(suffix)) return []
  const value = parseCount(word.slice(prefix.length, word.length - suffix.length))
  if (value === undefined) return []
  return [{ value, set: (n) => args.map((a, i) => (i === index ? `${prefix}${n}${suffix}` : a)) }]
}

/** A slot for the value of option `-x N`, `-xN`, `--long=N` or `--long N`. */
function optionSlot(args: readonly string[], short: string, long?: string): Slot[] {
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i]
    if (a === `-${short}` || (long && a === `--${long}`)) return argSlot(args, i + 1)
    if (a.startsWith(`-${short}`) && a.length > 2 && !a.startsWith('--')) return argSlot(args, i, `-${short}`)
    if (long && a.startsWith(`--${long}=`)) return argSlot(args, i, `--${long}=`)
  }
  return []
}

// -------------------------------------------------------------------------------------------
// openssl
// -------------------------------------------------------------------------------------------

/** `openssl rand [-hex|-base64] N`; `openssl base64 [-A]` / `openssl enc -base64 [-A]`. */
const openssl: Command = {
  run(args, input) {
    if (args[0] === 'rand') return opensslRand(args.slice(1))
    if (args[0] === 'base64' || (args[0] === 'enc' && args.includes('-base64'))) {
      const rest = args.slice(1).filter((a) => a !== '-base64' && a !== '-e')
      if (rest.some((a) => a !== '-A')) return fail('`openssl enc` options other than `-base64 -A` are not modelled')
      const oneLine = rest.includes('-A')
      const s = source(input)
      if (s.kind !== 'stream') return s
      return encodeStream(s, 48, (t) => wrap(base64(t, B64_ALPHABET, true), oneLine ? 0 : 64, !oneLine), '`openssl base64`')
    }
    return fail(`\`openssl ${args[0] ?? ''}\` is not a generator docdrift models`)
  },
  slots(args) {
    return args[0] === 'rand' ? argSlot(args, args.length - 1) : []
  },
}

const OPENSSL_RAND_VALUE_OPTIONS = new Set(['-rand', '-writerand', '-engine', '-provider', '-provider-path', '-propquery'])

function opensslRand(args: readonly string[]): Step {
  let format: 'raw' | 'hex' | 'base64' = 'raw'
  let count: number | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '-hex') format = 'hex'
    else if (a === '-base64') format = 'base64'
    else if (a === '-out') return fail('`openssl rand -out` writes to a file and prints nothing')
    else if (OPENSSL_RAND_VALUE_OPTIONS.has(a)) i++
    else if (i === args.length - 1) count = parseCount(a)
    else return fail(`\`openssl rand\` argument \`${a}\` is not modelled`)
  }
  if (count === undefined) return fail('`openssl rand` needs a byte count')
  if (count > MAX_TOKENS) return fail(`${count} bytes is more than docdrift models`)
  const bytes = repeat(RANDOM_BYTE, count)
  // openssl prints nothing at all, not even a newline, for 0 bytes.
  if (format === 'hex') return finite(wrap(hex(bytes), 0, true), Infinity, count)
  if (format === 'base64') return finite(wrap(base64(bytes, B64_ALPHABET, true), 64, true), Infinity, count)
  return finite(bytes, Infinity, count)
}

// -------------------------------------------------------------------------------------------
// gpg
// -------------------------------------------------------------------------------------------

/** Options of `gpg --gen-random` that change nothing it prints. */
const GPG_QUIET_OPTIONS = new Set(['--quiet', '-q', '--batch', '--no-tty', '--no-greeting', '--no-verbose'])

/**
 * `gpg --gen-random [--armor] LEVEL COUNT`: COUNT random bytes of quality LEVEL (0, 1 or 2; all
 * unpredictable), raw, or base64 on one line and a newline with `--armor`.
 */
const gpg: Command = {
  run(args) {
    let generate = false
    let armor = false
    const operands: string[] = []
    for (const a of args) {
      if (a === '--gen-random') generate = true
      else if (a === '--armor' || a === '-a') armor = true
      else if (GPG_QUIET_OPTIONS.has(a)) continue
      else if (a.startsWith('-')) return fail(`\`gpg ${a}\` is not modelled`)
      else operands.push(a)
    }
    if (!generate) return fail('`gpg` without `--gen-random` is not a generator docdrift models')
    if (operands.length === 0 || !/^[012]$/.test(operands[0]) || operands.length > 2) return fail('`gpg --gen-random` takes a level (0, 1 or 2) and a byte count')
    const count = operands[1] === undefined ? 0 : parseCount(operands[1])
    if (count === undefined) return fail(`\`${operands[1]}\` is not a byte count`)
    if (count > MAX_TOKENS) return fail(`${count} bytes is more than docdrift models`)
    // Endless, and gpg goes on writing after a reader such as `head -c 32` has stopped: the
    // pipeline never ends.
    if (count === 0) return fail('`gpg --gen-random` without a count never ends')
    const bytes = repeat(RANDOM_BYTE, count)
    return armor ? finite(wrap(base64(bytes, B64_ALPHABET, true), 0, true), Infinity, count) : finite(bytes, Infinity, count)
  },
  slots(args) {
    const count = args.filter((a) => !a.startsWith('-'))[1]
    return count === undefined ? [] : argSlot(args, args.lastIndexOf(count))
  },
}

// -------------------------------------------------------------------------------------------
// coreutils and friends
// -------------------------------------------------------------------------------------------

/** `head -c N`, `head -c -N`, `head -n K`, `head -K`, with an optional file. */
const head: Command = {
  run(args, input) {
    const normalized = args.map((a) => (/^-\d{1,9}$/.test(a) ? `-n${a.slice(1)}` : a))
    const o = getopt(normalized, 'c:n:q', { bytes: 'c=', lines: 'n=', quiet: 'q', silent: 'q' })
    if (o.kind === 'fail') return o
    const s = filterInput(input, o.operands, '`head`')
    if (s.kind !== 'stream') return s
    const bytes = lastOpt(o, 'c')
    if (bytes !== undefined) {
      const all = bytes.startsWith('-')
      const n = parseCount(all ? bytes.slice(1) : bytes, true)
      if (n === undefined) return fail(`\`head -c ${bytes}\` is not a byte count`)
      if (all) return s.cycle ? fail('`head -c -N` of an endless stream never ends') : withToks(s, s.toks.slice(0, Math.max(0, s.toks.length - n)))
      const toks = take(s, n)
      if ('kind' in toks) return toks
      const drawn = steadyToken(s) === RANDOM_BYTE ? n : s.drawn
      return { ...withToks(s, toks), drawn }
    }
    const lines = parseCount(lastOpt(o, 'n') ?? '10', true)
    if (lines === undefined) return fail('`head -n` needs a line count')
    return headLines(s, lines)
  },
  slots(args) {
    return [...optionSlot(args, 'c', 'bytes'), ...optionSlot(args, 'n', 'lines')]
  },
}

function headLines(s: Stream, count: number): Step {
  const out: Tok[] = []
  let seen = 0
  for (let i = 0; seen < count; i++) {
    if (out.length > MAX_TOKENS) return fail('`head -n` waits for a line break that never comes')
    let t: Tok | undefined
    if (i < s.toks.length) t = s.toks[i]
    else if (s.cycle && s.cycle.length > 0) t = s.cycle[(i - s.toks.length) % s.cycle.length]
    if (t === undefined) break
    if (t.cls !== NL && t.cls.set.has('\n')) return fail('line breaks fall at random places in binary output')
    out.push(t)
    if (t.cls === NL) seen++
  }
  return withToks(s, out)
}

/** `tail -c N` of a finite stream. */
const tail: Command = {
  run(args, input) {
    const o = getopt(args, 'c:', { bytes: 'c=' })
    if (o.kind === 'fail') return o
    const s = filterInput(input, o.operands, '`tail`')
    if (s.kind !== 'stream') return s
    const n = parseCount(lastOpt(o, 'c'), true)
    if (n === undefined) return fail('only `tail -c N` is modelled')
    if (s.cycle) return fail('`tail` of an endless stream never ends')
    return withToks(s, s.toks.slice(Math.max(0, s.toks.length - n)))
  },
  slots: (args) => optionSlot(args, 'c', 'bytes'),
}

/** `base64 [-w N] [file]` (GNU: wraps at 76 columns; `-w 0` prints no newline at all). */
const base64Command: Command = {
  run(args, input) {
    const o = getopt(args, 'w:i', { wrap: 'w=', 'ignore-garbage': 'i' })
    if (o.kind === 'fail') return o
    const width = parseCount(lastOpt(o, 'w') ?? '76')
    if (width === undefined) return fail('`base64 -w` needs a column count')
    const s = filterInput(input, o.operands, '`base64`')
    if (s.kind !== 'stream') return s
    const lineChars = width === 0 ? 4 : lcm(width, 4)
    return encodeStream(s, (lineChars / 4) * 3, (t) => wrap(base64(t, B64_ALPHABET, true), width, width > 0), '`base64`')
  },
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y))
  return (a / gcd(a, b)) * b
}

/** `xxd -p [-c cols] [-l len] [-u] [file]`: plain hex, 30 bytes (60 characters) a line; `-c 0` one line. */
const xxd: Command = {
  run(args, input) {
    let plain = false
    let upper = false
    let cols = 30
    let length: number | undefined
    const operands: string[] = []
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      const value = (long: string, short: string): string | undefined =>
        a === long || a === short ? args[++i] : a.startsWith(short) && a.length > short.length ? a.slice(short.length) : undefined
      if (a === '-p' || a === '-ps' || a === '-postscript' || a === '-plain') plain = true
      else if (a === '-u') upper = true
      else if (a.startsWith('-c')) {
        const n = parseCount(value('-cols', '-c'))
        if (n === undefined) return fail(`\`xxd ${a}\` is not modelled`)
        cols = n
      } else if (a.startsWith('-l')) {
        length = parseCount(value('-len', '-l'))
        if (length === undefined) return fail(`\`xxd ${a}\` is not modelled`)
      } else if (a.startsWith('-') && a !== '-') return fail(`\`xxd ${a}\` is not modelled`)
      else operands.push(a)
    }
    if (!plain) return fail('`xxd` without `-p` prints offsets and a text column')
    const s = filterInput(input, operands, '`xxd`')
    if (s.kind !== 'stream') return s
    let bytes: Stream = s
    if (length !== undefined) {
      const toks = take(s, length)
      if ('kind' in toks) return toks
      bytes = { ...withToks(s, toks), drawn: steadyToken(s) === RANDOM_BYTE ? length : s.drawn }
    }
    if (cols === 0 && bytes.cycle) return fail('`xxd -p -c 0` of an endless stream never ends a line')
    return encodeStream(bytes, Math.max(cols, 1), (t) => wrap(hex(t, upper), cols * 2, true), '`xxd -p`')
  },
  slots(args) {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-l' || args[i] === '-len') return argSlot(args, i + 1)
      if (args[i].startsWith('-l') && args[i] !== '-len') return argSlot(args, i, '-l')
    }
    return []
  },
}

/** Decimal field widths of `od -t uN`. */
const OD_DECIMAL_WIDTH: Record<number, number> = { 1: 3, 2: 5, 4: 10, 8: 20 }

/**
 * `od -An -t x1|x2|x4|x8|u1|u2|u4|u8 [-N count] [-w bytes] [-v]`. Each unit is a space and a
 * zero-padded hex number, or a space and a space-padded decimal; 16 bytes a line. Without `-v`, od
 * replaces repeated lines with `*`; random lines never repeat, so that is ignored.
 */
const od: Command = {
  run(args, input) {
    const o = getopt(args, 'A:t:N:w:vx', { 'address-radix': 'A=', format: 't=', 'read-bytes': 'N=', width: 'w=', 'output-duplicates': 'v' })
    if (o.kind === 'fail') return o
    if (lastOpt(o, 'A') !== 'n') return fail('`od` without `-An` prints offsets')
    const formats = o.opts.filter(([k]) => k === 't' || k === 'x').map(([k, v]) => (k === 'x' ? 'x2' : (v ?? '')))
    const format = formats.length === 1 ? formats[0] : formats.length === 0 ? 'o2' : ''
    const kind = format[0]
    const size = parseCount(format.slice(1))
    if ((kind !== 'x' && kind !== 'u') || size === undefined || OD_DECIMAL_WIDTH[size] === undefined) {
      return fail(`\`od\` format \`${format || formats.join(' ')}\` is not modelled`)
    }
    const widthOpt = lastOpt(o, 'w')
    const lineBytes = widthOpt === undefined ? 16 : parseCount(widthOpt)
    if (lineBytes === undefined || lineBytes === 0 || lineBytes % size !== 0) return fail('`od -w` must be a multiple of the unit size')
    const s = filterInput(input, o.operands, '`od`')
    if (s.kind !== 'stream') return s
    let bytes: Stream = s
    const limit = lastOpt(o, 'N')
    if (limit !== undefined) {
      const n = parseCount(limit, true)
      if (n === undefined) return fail('`od -N` needs a byte count')
      const toks = take(s, n)
      if ('kind' in toks) return toks
      bytes = { ...withToks(s, toks), drawn: steadyToken(s) === RANDOM_BYTE ? n : s.drawn }
    }
    const encode = (t: readonly Tok[]): Tok[] => {
      const out: Tok[] = []
      for (let at = 0; at < t.length; at += size) {
        if (at > 0 && at % lineBytes === 0) out.push(NEWLINE)
        const unitBits = sumBits(t.slice(at, at + size).map((b) => ({ cls: b.cls, bits: Math.min(b.bits, 8) })))
        out.push(...text(' '))
        if (kind === 'x') out.push(...repeat({ cls: HEX, bits: unitBits / (2 * size) }, 2 * size))
        else {
          const width = OD_DECIMAL_WIDTH[size]
          const digit = { cls: charClass(' ' + DIGITS), bits: unitBits / width }
          out.push(...repeat(digit, width - 1), { cls: DIGIT, bits: unitBits / width })
        }
      }
      return wrap(out, 0, true)
    }
    return encodeStream(bytes, lineBytes, encode, '`od`')
  },
  slots: (args) => optionSlot(args, 'N', 'read-bytes'),
}

/** `dd if=/dev/urandom bs=N count=M [status=none]`: N×M bytes (reads of /dev/urandom are whole). */
const dd: Command = {
  run(args, input) {
    const ops = new Map<string, string>()
    for (const a of args) {
      const eq = a.indexOf('=')
      if (eq < 0) return fail(`\`dd ${a}\` is not modelled`)
      ops.set(a.slice(0, eq), a.slice(eq + 1))
    }
    for (const key of ops.keys()) {
      if (!['if', 'bs', 'ibs', 'count', 'status', 'iflag'].includes(key)) return fail(`\`dd ${key}=\` is not modelled`)
    }
    const block = parseCount(ops.get('bs') ?? ops.get('ibs') ?? '512', true)
    const count = ops.has('count') ? parseCount(ops.get('count'), true) : undefined
    if (block === undefined || (ops.has('count') && count === undefined)) return fail('`dd` sizes are not numbers')
    const s = source(input, ops.get('if'))
    if (s.kind !== 'stream') return s
    if (count === undefined) return s
    // Reads from /dev/urandom return whole blocks; reads from a pipe may come up short.
    if (!ops.has('if') && steadyToken(s) !== RANDOM_BYTE && !ops.get('iflag')?.includes('fullblock')) {
      return fail('`dd` reads from a pipe may come up short; add `iflag=fullblock`')
    }
    const n = block * count
    const toks = take(s, n)
    if ('kind' in toks) return toks
    return { ...withToks(s, toks), drawn: steadyToken(s) === RANDOM_BYTE ? n : s.drawn }
  },
  slots(args) {
    const i = args.findIndex((a) => a.startsWith('count='))
    const j = args.findIndex((a) => a.startsWith('bs='))
    return i >= 0 && args[i] === 'count=1' && j >= 0 ? argSlot(args, j, 'bs=') : i >= 0 ? argSlot(args, i, 'count=') : []
  },
}

/** `cat`, `cat -`, `cat /dev/urandom`, `cat /proc/sys/kernel/random/uuid`. */
const cat: Command = {
  run(args, input) {
    if (args.some((a) => a.startsWith('-') && a !== '-')) return fail('`cat` options are not modelled')
    return filterInput(input, args, '`cat`')
  },
}

/**
 * `tr -d SET`, `tr -dc SET`, `tr SET1 SET2`. Deleting characters a random character may or may not
 * be (`+/` from base64) leaves a random length: that is reported, not guessed. From an endless
 * source the length does not matter: `tr -dc A-Za-z0-9 </dev/urandom` keeps a uniform stream.
 */
const tr: Command = {
  run(args, input) {
    const o = getopt(args, '+dcCst', { delete: 'd', complement: 'c', 'squeeze-repeats': 's', 'truncate-set1': 't' })
    if (o.kind === 'fail') return o
    if (hasOpt(o, 's')) return fail('`tr -s` squeezes repeats, which depends on the random content')
    const complement = hasOpt(o, 'c') || hasOpt(o, 'C')
    const sets = o.operands.map(parseTrSet)
    for (const set of sets) if ('kind' in set) return set
    const [set1, set2] = sets as string[][]
    const s = source(input)
    if (s.kind !== 'stream') return s
    if (hasOpt(o, 'd')) {
      if (sets.length !== 1) return fail('`tr -d` takes one set')
      const listed = new Set(set1)
      const deleted = complement ? BYTE.chars.split('').filter((ch) => !listed.has(ch)) : set1
      return trDelete(s, charClass(deleted))
    }
    if (sets.length !== 2 || complement || set2.length === 0) return fail('this form of `tr` is not modelled')
    const map = new Map<string, string>()
    set1.forEach((ch, i) => {
      const to = hasOpt(o, 't') ? set2[i] : (set2[i] ?? set2[set2.length - 1])
      if (to !== undefined) map.set(ch, to)
    })
    const images = new Map<CharClass, CharClass>()
    const translate = (t: Tok): Tok => {
      const image = images.get(t.cls) ?? charClass(Array.from(t.cls.chars, (ch) => map.get(ch) ?? ch))
      images.set(t.cls, image)
      return image.chars.length === t.cls.chars.length ? { cls: image, bits: t.bits } : { cls: image, bits: Math.min(t.bits, Math.log2(image.chars.length)) }
    }
    return { ...s, toks: s.toks.map(translate), cycle: s.cycle?.map(translate) }
  },
}

function trDelete(s: Stream, deleted: CharClass): Step {
  type Fate = 'keep' | 'drop' | Tok
  const survivors = new Map<CharClass, CharClass | 'keep' | 'drop'>()
  /** Keep, drop, or (when only some of its characters are deleted) a smaller token. */
  const fate = (t: Tok): Fate => {
    let kept = survivors.get(t.cls)
    if (kept === undefined) {
      const chars = t.cls.chars.split('').filter((ch) => !deleted.set.has(ch))
      kept = chars.length === t.cls.chars.length ? 'keep' : chars.length === 0 ? 'drop' : charClass(chars)
      survivors.set(t.cls, kept)
    }
    return typeof kept === 'string' ? kept : { cls: kept, bits: Math.min(t.bits, Math.log2(kept.chars.length)) }
  }
  const toks: Tok[] = []
  for (const t of s.toks) {
    const f = fate(t)
    if (f === 'keep') toks.push(t)
    else if (f !== 'drop') return fail('`tr -d` removes a random number of characters, so the length is random')
  }
  if (!s.cycle) return withToks(s, toks)
  const cycle: Tok[] = []
  const partial: Tok[] = []
  for (const t of s.cycle) {
    const f = fate(t)
    if (f === 'keep') cycle.push(t)
    else if (f !== 'drop') partial.push(f)
  }
  if (partial.length === 0) return cycle.length === 0 ? fail('`tr -d` deletes everything and waits forever') : { ...s, toks, cycle }
  // Rejection sampling of an endless stream: the survivors are uniform over what is kept.
  const cls = unionOf(partial.map((t) => t.cls))
  if (cycle.length > 0 || partial.some((t) => t.cls !== cls)) return fail('`tr -d` mixes character sets at random places')
  const perChar = Math.min(...partial.map((t) => t.bits))
  return { kind: 'stream', toks, cycle: [{ cls, bits: perChar }], cap: s.cap }
}

/** Parse a `cut` list (`1-32`, `-32`, `5-`, `1,3`) into 0-based inclusive ranges. */
function parseCutList(list: string): Array<[number, number]> | Fail {
  const ranges: Array<[number, number]> = []
  for (const part of list.split(',')) {
    const dash = part.indexOf('-')
    const from = dash < 0 ? parseCount(part) : dash === 0 ? 1 : parseCount(part.slice(0, dash))
    const to = dash < 0 ? from : dash === part.length - 1 ? Infinity : parseCount(part.slice(dash + 1))
    if (from === undefined || to === undefined || from < 1 || to < from) return fail(`\`cut\` list \`${list}\` is not modelled`)
    ranges.push([from - 1, to - 1])
  }
  return ranges
}

function pick<T>(items: readonly T[], ranges: ReadonlyArray<[number, number]>): T[] {
  return items.filter((_, i) => ranges.some(([a, b]) => i >= a && i <= b))
}

/** `cut -c LIST`, `cut -b LIST`, `cut -d C -f LIST`: per line, and every output line ends in a newline. */
const cut: Command = {
  run(args, input) {
    const o = getopt(args, 'b:c:d:f:s', { bytes: 'b=', characters: 'c=', delimiter: 'd=', fields: 'f=', 'only-delimited': 's' })
    if (o.kind === 'fail') return o
    const s = filterInput(input, o.operands, '`cut`')
    if (s.kind !== 'stream') return s
    if (s.cycle) return fail('`cut` of an endless stream never ends')
    const split = splitLines(s.toks)
    if ('kind' in split) return split
    const chars = lastOpt(o, 'c') ?? lastOpt(o, 'b')
    const fields = lastOpt(o, 'f')
    let lines: Tok[][]
    if (chars !== undefined) {
      const ranges = parseCutList(chars)
      if ('kind' in ranges) return ranges
      lines = split.lines.map((line) => pick(line, ranges))
    } else if (fields !== undefined) {
      const delimiter = lastOpt(o, 'd') ?? '\t'
      const ranges = parseCutList(fields)
      if ('kind' in ranges) return ranges
      if (delimiter.length !== 1) return fail('`cut -d` takes one character')
      const cut = cutFields(split.lines, delimiter, ranges, hasOpt(o, 's'))
      if ('kind' in cut) return cut
      lines = cut
    } else return fail('`cut` needs `-c`, `-b` or `-f`')
    return withToks(s, joinLines(lines, true))
  },
  slots(args) {
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i]
      const [index, prefix] = a === '-c' || a === '-b' ? [i + 1, ''] : a.startsWith('-c') || a.startsWith('-b') ? [i, a.slice(0, 2)] : [-1, '']
      if (index < 0) continue
      const list = args[index]?.slice(prefix.length) ?? ''
      const lead = list.startsWith('1-') ? '1-' : list.startsWith('-') ? '-' : undefined
      return lead === undefined ? [] : argSlot(args, index, prefix + lead)
    }
    return []
  },
}

function cutFields(lines: readonly Tok[][], delimiter: string, ranges: ReadonlyArray<[number, number]>, onlyDelimited: boolean): Tok[][] | Fail {
  const out: Tok[][] = []
  for (const line of lines) {
    const fields: Tok[][] = [[]]
    for (const t of line) {
      if (t.cls.chars === delimiter) fields.push([])
      else if (t.cls.set.has(delimiter)) return fail('the `cut` delimiter may appear at random places')
      else fields[fields.length - 1].push(t)
    }
    if (fields.length === 1) {
      if (!onlyDelimited) out.push(line.slice())
      continue
    }
    const chosen = pick(fields, ranges)
    out.push(chosen.flatMap((f, i) => (i === 0 ? f : [...text(delimiter), ...f])))
  }
  return out
}

/** `awk '{print $N}'`: the Nth blank-separated field of each line. */
const awk: Command = {
  run(args, input) {
    const program = args.length >= 1 ? args[0].replace(/\s+/g, '') : ''
    const match = /^\{print\$(\d{1,2})\}$/.exec(program)
    if (!match) return fail('only `awk \'{print $N}\'` is modelled')
    const field = Number(match[1])
    const s = filterInput(input, args.slice(1), '`awk`')
    if (s.kind !== 'stream') return s
    if (s.cycle) return fail('`awk` of an endless stream never ends')
    const split = splitLines(s.toks)
    if ('kind' in split) return split
    const lines: Tok[][] = []
    for (const line of split.lines) {
      const fields: Tok[][] = []
      let inField = false
      for (const t of line) {
        const blank = t.cls.set.has(' ') || t.cls.set.has('\t')
        if (blank && t.cls.chars !== ' ' && t.cls.chars !== '\t') return fail('field separators fall at random places')
        if (blank) inField = false
        else {
          if (!inField) fields.push([])
          inField = true
          fields[fields.length - 1].push(t)
        }
      }
      lines.push(field === 0 ? line.slice() : (fields[field - 1] ?? []))
    }
    return withToks(s, joinLines(lines, true))
  },
}

/** `fold -w N`: break lines longer than N; from an endless source, `fold -w N | head -n 1`. */
const fold: Command = {
  run(args, input) {
    const normalized = args.map((a) => (/^-\d{1,6}$/.test(a) ? `-w${a.slice(1)}` : a))
    const o = getopt(normalized, 'w:bs', { width: 'w=', bytes: 'b', spaces: 's' })
    if (o.kind === 'fail') return o
    const width = parseCount(lastOpt(o, 'w') ?? '80')
    if (width === undefined || width === 0) return fail('`fold -w` needs a positive width')
    const s = filterInput(input, o.operands, '`fold`')
    if (s.kind !== 'stream') return s
    const columns = (t: Tok): boolean => isSubset(t.cls, PRINTABLE) && (!hasOpt(o, 's') || !t.cls.set.has(' '))
    if (s.cycle) {
      const tok = steadyToken(s)
      if (!tok || !columns(tok)) return fail('`fold` of this endless stream is not modelled')
      return endless([...repeat(tok, width), NEWLINE])
    }
    const split = splitLines(s.toks)
    if ('kind' in split) return split
    if (!split.lines.every((line) => line.every(columns))) return fail('`fold` columns depend on the characters')
    const out: Tok[] = []
    split.lines.forEach((line, i) => {
      out.push(...wrap(line, width, false))
      if (i < split.lines.length - 1 || split.lastTerminated) out.push(NEWLINE)
    })
    return withToks(s, out)
  },
  slots(args) {
    const i = args.findIndex((a) => /^-\d{1,6}$/.test(a))
    return i >= 0 ? argSlot(args, i, '-') : optionSlot(args, 'w', 'width')
  },
}

function digestCommand(bits: number): Command {
  return {
    run(args, input) {
      const operands = args.filter((a) => a !== '-' && a !== '--')
      if (operands.length > 0) return fail('hashing a file prints its name; only stdin is modelled')
      if (!input) return fail('reads the terminal: nothing is piped in')
      return digest(input, bits)
    },
  }
}

/** Perl's `shasum [-a 1|224|256|384|512]`, same output as the coreutils tools. */
const shasum: Command = {
  run(args, input) {
    const o = getopt(args, 'a:', { algorithm: 'a=' })
    if (o.kind === 'fail') return o
    const algorithm = lastOpt(o, 'a') ?? '1'
    const bits = { '1': 160, '224': 224, '256': 256, '384': 384, '512': 512 }[algorithm]
    if (bits === undefined) return fail(`\`shasum -a ${algorithm}\` is not modelled`)
    return digestCommand(bits).run(o.operands, input)
  },
}

/** `uuidgen` (random, `-r`) prints a version-4 UUID; `-t` is time-based: guessable, about 14 bits. */
const uuidgen: Command = {
  run(args) {
    if (args.length === 0 || (args.length === 1 && (args[0] === '-r' || args[0] === '--random'))) return finite([...uuidToks(), NEWLINE])
    if (args.length === 1 && (args[0] === '-t' || args[0] === '--time')) {
      // Time, clock sequence and MAC address: only the 14-bit clock sequence is hard to guess.
      return finite([...uuidToks(), NEWLINE], 14)
    }
    return fail(`\`uuidgen ${args.join(' ')}\` is not modelled`)
  },
}

const PWGEN_AMBIGUOUS = 'B8G6I1l0OQDS5Z2'
const PWGEN_VOWELS = '01aeiouyAEIOUY'
const PWGEN_SYMBOLS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

/**
 * `pwgen [-s] [-y] [-A] [-0] [-B] [-v] [length [count]]` (not a terminal: one password a line).
 * Secure mode (`-s`) draws each character uniformly from the allowed set; the bits subtract the
 * passwords pwgen rejects for lacking a required capital, digit or symbol. Without `-s`, pwgen
 * builds pronounceable passwords from about 40 phonemes with a skewed distribution; we count
 * 2 bits per character, a deliberately low estimate (published estimates for 8 characters range
 * from about 20 to 40 bits).
 */
const pwgen: Command = {
  run(args) {
    const o = getopt(args, 'sycnA0Bv1CN:H:', {
      secure: 's', symbols: 'y', capitalize: 'c', numerals: 'n', 'no-capitalize': 'A', 'no-numerals': '0',
      ambiguous: 'B', 'no-vowels': 'v', 'num-passwords': 'N=',
    })
    if (o.kind === 'fail') return o
    if (hasOpt(o, 'H')) return fail('`pwgen -H` derives passwords from a file')
    const length = parseCount(o.operands[0] ?? '8')
    const count = parseCount(o.operands[1] ?? lastOpt(o, 'N') ?? '1')
    if (length === undefined || count === undefined || o.operands.length > 2) return fail('`pwgen` arguments are not numbers')
    if (length * count > MAX_TOKENS) return fail('more than docdrift models')
    const secure = hasOpt(o, 's') || hasOpt(o, 'v')
    const groups: string[] = [LOWER]
    const required: string[] = []
    if (!hasOpt(o, 'A')) groups.push(UPPER), required.push(UPPER)
    if (!hasOpt(o, '0')) groups.push(DIGITS), required.push(DIGITS)
    if (hasOpt(o, 'y')) groups.push(PWGEN_SYMBOLS), required.push(PWGEN_SYMBOLS)
    const drop = (hasOpt(o, 'B') ? PWGEN_AMBIGUOUS : '') + (hasOpt(o, 'v') ? PWGEN_VOWELS : '')
    const strip = (g: string): string => g.split('').filter((ch) => !drop.includes(ch)).join('')
    const chars = groups.map(strip).join('')
    const cls = charClass(chars)
    const bits = secure ? passwordBits(chars.length, required.map((g) => strip(g).length), length) / Math.max(length, 1) : 2
    const password = [...repeat({ cls, bits }, length), NEWLINE]
    return finite(Array.from({ length: count }, () => password).flat())
  },
  slots: (args) => {
    const first = args.findIndex((a) => !a.startsWith('-'))
    return first >= 0 ? argSlot(args, first) : []
  },
}

/** log2 of the number of length-`n` strings over `total` characters that use every required group. */
function passwordBits(total: number, required: readonly number[], n: number): number {
  let ratio = 0
  for (let mask = 0; mask < 1 << required.length; mask++) {
    let missing = 0
    let sign = 1
    required.forEach((size, i) => {
      if (mask & (1 << i)) (missing += size), (sign = -sign)
    })
    ratio += sign * ((total - missing) / total) ** n
  }
  return ratio > 0 ? n * Math.log2(total) + Math.log2(ratio) : 0
}

/** Bits an attacker cannot guess in one `date` value: about a day of seconds, plus nanoseconds. */
const DAY_DIGIT_BITS = Math.log2(10)

/**
 * `date +%s`, `date +%s%N`, `date +%N`: fixed-width digits. The last five digits of `%s` vary
 * within a day (about 17 bits); the nine `%N` digits add about 30 bits. Other formats print a
 * locale-dependent length: opaque.
 */
const date: Command = {
  run(args) {
    const format = args.find((a) => a.startsWith('+'))
    const others = args.filter((a) => a !== format && a !== '-u' && a !== '--utc')
    if (others.length > 0) return fail(`\`date ${others.join(' ')}\` is not modelled`)
    const opaqueBits = 5 * DAY_DIGIT_BITS + (format?.includes('%N') ? 9 * DAY_DIGIT_BITS : 0)
    if (format === undefined) return { kind: 'opaque', bits: opaqueBits, why: '`date` prints a locale-dependent length' }
    const out: Tok[] = []
    let i = 1
    while (i < format.length) {
      if (format.startsWith('%s', i)) {
        out.push(...repeat({ cls: DIGIT, bits: 0 }, 5), ...repeat({ cls: DIGIT, bits: DAY_DIGIT_BITS }, 5))
        i += 2
      } else if (format.startsWith('%N', i)) {
        out.push(...repeat({ cls: DIGIT, bits: DAY_DIGIT_BITS }, 9))
        i += 2
      } else if (format[i] === '%') {
        return { kind: 'opaque', bits: opaqueBits, why: `\`date ${format}\` is not a fixed-width format docdrift models` }
      } else out.push(...text(format[i++]))
    }
    return finite([...out, NEWLINE])
  },
}

/** `echo $RANDOM` (15 bits, 1–5 digits) and `echo $SRANDOM` (32 bits, 1–10 digits). Other echo is not a generator. */
const echo: Command = {
  run(args) {
    const words = args.filter((a) => a !== '-n' && a !== '-e')
    let bits = 0
    for (const word of words) {
      let rest = word
      while (rest.length > 0) {
        const match = /^\$\{?(S?RANDOM)\}?/.exec(rest)
        if (!match) return fail('`echo` of fixed text is not a generator')
        bits += match[1] === 'RANDOM' ? 15 : 32
        rest = rest.slice(match[0].length)
      }
    }
    if (bits === 0) return fail('`echo` of fixed text is not a generator')
    return { kind: 'opaque', bits, why: '`$RANDOM` prints a varying number of digits' }
  },
}

// ============================================================================================
// Snippets: python -c, node -e/-p, ruby -e and php -r
// ============================================================================================

interface SnTok {
  type: 'name' | 'num' | 'str' | 'op'
  text: string
  start: number
  end: number
  bytes?: boolean
}

const MAX_SNIPPET = 2000

/** Tokens of a one-line Python, JavaScript, Ruby or PHP program; `;` stands for statement ends. */
function tokenize(code: string): SnTok[] | Fail {
  if (code.length > MAX_SNIPPET) return fail('the program is too long to model')
  const toks: SnTok[] = []
  const isIdent = (ch: string | undefined, first: boolean): boolean =>
    ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === '$' || (!first && ch >= '0' && ch <= '9'))
  let i = 0
  while (i < code.length) {
    const ch = code[i]
    const start = i
    if (ch === ' ' || ch === '\t' || ch === '\r') i++
    else if (ch === '\n' || ch === ';') {
      toks.push({ type: 'op', text: ';', start, end: ++i })
    } else if (isIdent(ch, true)) {
      while (isIdent(code[i], false)) i++
      const word = code.slice(start, i)
      const quote = code[i]
      if ((quote === '"' || quote === "'") && /^[bBrRuU]{1,2}$/.test(word)) {
        const str = readString(code, i)
        if ('kind' in str) return str
        toks.push({ type: 'str', text: str.value, start, end: (i = str.end), bytes: /b/i.test(word) })
      } else toks.push({ type: 'name', text: word, start, end: i })
    } else if (ch >= '0' && ch <= '9') {
      while (code[i] >= '0' && code[i] <= '9') i++
      if (isIdent(code[i], false) || code[i] === '.') return fail('only plain integers are modelled')
      toks.push({ type: 'num', text: code.slice(start, i), start, end: i })
    } else if (ch === '"' || ch === "'") {
      const str = readString(code, i)
      if ('kind' in str) return str
      toks.push({ type: 'str', text: str.value, start, end: (i = str.end) })
    } else if ('.,()[]:=+-{}'.includes(ch)) {
      if (code[i + 1] === '=' || (ch === '=' && code[i + 1] === '>')) return fail('operators are not modelled')
      toks.push({ type: 'op', text: ch, start, end: ++i })
    } else return fail(`\`${ch}\` is not modelled in programs`)
  }
  return toks
}

function readString(code: string, at: number): { value: string; end: number } | Fail {
  const quote = code[at]
  if (code.startsWith(quote.repeat(3), at)) return fail('triple-quoted strings are not modelled')
  let value = ''
  let i = at + 1
  while (i < code.length && code[i] !== quote) {
    if (code[i] === '\n') return fail('unterminated string')
    if (code[i] === '\\') {
      value += ESCAPES[code[i + 1]] ?? code[i + 1]
      i += 2
    } else value += code[i++]
  }
  if (i >= code.length) return fail('unterminated string')
  return { value, end: i + 1 }
}

type Expr =
  | { k: 'name'; id: string }
  | { k: 'num'; n: number; start: number; end: number }
  | { k: 'str'; s: string; bytes: boolean }
  | { k: 'attr'; obj: Expr; name: string }
  | { k: 'call'; fn: Expr; args: Expr[]; kw: Map<string, Expr> }
  | { k: 'slice'; obj: Expr; lo?: Expr; hi?: Expr }
  | { k: 'add'; a: Expr; b: Expr }
  | { k: 'neg'; e: Expr }
  | { k: 'gen'; elt: Expr; iter: Expr }

type Stmt =
  | { k: 'import'; names: Array<[string, string]> }
  | { k: 'from'; mod: string; names: Array<[string, string]> }
  | { k: 'let'; name: string; e: Expr }
  | { k: 'expr'; e: Expr }

/** Ruby methods written as commands, their arguments without parentheses (`puts SecureRandom.hex 32`). */
const RUBY_COMMANDS = new Set(['puts', 'print', 'p', 'require'])
/** PHP's language constructs that print: `echo a, b;`, `print a;`. */
const PHP_COMMANDS = new Set(['echo', 'print'])

/**
 * A recursive-descent parser for the tiny expression language the snippets share. In Ruby, a
 * method is called without parentheses too (`SecureRandom.uuid`, `puts x, y`); in PHP, `.` joins
 * strings and `echo` takes its arguments without parentheses.
 */
class SnippetParser {
  private pos = 0
  private readonly ruby: boolean
  private readonly php: boolean
  constructor(
    private readonly toks: readonly SnTok[],
    lang: Lang,
  ) {
    this.ruby = lang === 'ruby'
    this.php = lang === 'php'
  }

  program(): Stmt[] | Fail {
    const out: Stmt[] = []
    try {
      while (this.pos < this.toks.length) {
        if (this.eat(';')) continue
        out.push(this.statement())
        if (this.pos < this.toks.length && !this.eat(';')) throw new Error(`unexpected \`${this.peek()?.text}\``)
      }
    } catch (error) {
      return fail(`the program is not modelled: ${(error as Error).message}`)
    }
    return out
  }

  private peek(offset = 0): SnTok | undefined {
    return this.toks[this.pos + offset]
  }

  private at(text: string): boolean {
    const t = this.peek()
    return t?.type === 'op' && t.text === text
  }

  private eat(text: string): boolean {
    const t = this.peek()
    if (t && (t.type === 'op' || t.type === 'name') && t.text === text) {
      this.pos++
      return true
    }
    return false
  }

  private expect(text: string): void {
    if (!this.eat(text)) throw new Error(`expected \`${text}\``)
  }

  private name(): string {
    const t = this.peek()
    if (t?.type !== 'name') throw new Error('expected a name')
    this.pos++
    return t.text
  }

  private aliases(): Array<[string, string]> {
    const names: Array<[string, string]> = []
    do {
      const name = this.name()
      names.push([name, this.eat('as') ? this.name() : name])
    } while (this.eat(','))
    return names
  }

  private statement(): Stmt {
    if (this.eat('import')) return { k: 'import', names: this.aliases() }
    if (this.eat('from')) {
      const mod = this.name()
      this.expect('import')
      return { k: 'from', mod, names: this.aliases() }
    }
    if (this.peek()?.type === 'name' && ['const', 'let', 'var'].includes(this.peek()?.text ?? '')) this.pos++
    const t = this.peek()
    const next = this.peek(1)
    const commands = this.ruby ? RUBY_COMMANDS : this.php ? PHP_COMMANDS : undefined
    if (commands && t?.type === 'name' && commands.has(t.text) && !(next?.type === 'op' && ['(', '=', '.'].includes(next.text))) {
      this.pos++
      return { k: 'expr', e: { k: 'call', fn: { k: 'name', id: t.text }, args: this.bareArgs(), kw: new Map() } }
    }
    if (t?.type === 'name' && next?.type === 'op' && next.text === '=') {
      this.pos += 2
      return { k: 'let', name: t.text, e: this.expr() }
    }
    return { k: 'expr', e: this.expr() }
  }

  private expr(): Expr {
    let e = this.unary()
    while (this.eat('+') || (this.php && this.eat('.'))) e = { k: 'add', a: e, b: this.unary() }
    return e
  }

  private unary(): Expr {
    return this.eat('-') ? { k: 'neg', e: this.unary() } : this.postfix()
  }

  private postfix(): Expr {
    let e = this.primary()
    for (;;) {
      if (!this.php && this.eat('.')) {
        e = { k: 'attr', obj: e, name: this.name() }
        // Ruby calls a method whether or not parentheses follow.
        if (this.ruby && !this.at('(')) e = { k: 'call', fn: e, args: this.startsArgument() ? this.bareArgs() : [], kw: new Map() }
      } else if (this.eat('(')) e = this.call(e)
      else if (this.eat('[')) {
        const lo = this.at(':') ? undefined : this.expr()
        this.expect(':')
        const hi = this.at(']') ? undefined : this.expr()
        this.expect(']')
        e = { k: 'slice', obj: e, lo, hi }
      } else return e
    }
  }

  /** Whether the next token begins an argument of a Ruby call without parentheses. */
  private startsArgument(): boolean {
    const t = this.peek()
    return t !== undefined && (t.type === 'num' || t.type === 'str' || t.type === 'name')
  }

  /** Ruby arguments without parentheses: expressions separated by commas, to the statement's end. */
  private bareArgs(): Expr[] {
    const args: Expr[] = []
    if (this.peek() === undefined || this.at(';')) return args
    do args.push(this.expr())
    while (this.eat(','))
    return args
  }

  private call(fn: Expr): Expr {
    const args: Expr[] = []
    const kw = new Map<string, Expr>()
    while (!this.eat(')')) {
      const t = this.peek()
      const next = this.peek(1)
      if (t?.type === 'name' && next?.type === 'op' && next.text === '=') {
        this.pos += 2
        kw.set(t.text, this.expr())
      } else {
        const elt = this.expr()
        if (this.eat('for')) {
          this.name()
          this.expect('in')
          args.push({ k: 'gen', elt, iter: this.expr() })
        } else args.push(elt)
      }
      if (!this.eat(',')) {
        this.expect(')')
        break
      }
    }
    return { k: 'call', fn, args, kw }
  }

  private primary(): Expr {
    const t = this.peek()
    if (!t) throw new Error('unexpected end')
    this.pos++
    if (t.type === 'name') return { k: 'name', id: t.text }
    if (t.type === 'num') return { k: 'num', n: Number(t.text), start: t.start, end: t.end }
    if (t.type === 'str') return { k: 'str', s: t.text, bytes: t.bytes === true }
    if (t.type === 'op' && t.text === '(') {
      const e = this.expr()
      this.expect(')')
      return e
    }
    throw new Error(`unexpected \`${t.text}\``)
  }
}

/** Values of the snippet language. */
type Value =
  | { k: 'mod'; name: string }
  | { k: 'fn'; name: string; self?: Value }
  | { k: 'num'; n: number; literal?: { start: number; end: number } }
  | { k: 'str'; toks: Tok[] }
  | { k: 'bytes'; toks: Tok[] }
  | { k: 'uuid' }
  | { k: 'none' }
  | { k: 'bool'; value: boolean }
  | { k: 'gen'; elt: Expr; count: number }

type Lang = 'python' | 'node' | 'ruby' | 'php'

/** Evaluation state: variables, output so far, integer literals used as sizes, randomness drawn. */
interface Snippet {
  lang: Lang
  env: Map<string, Value>
  out: Tok[]
  sizes: Array<{ start: number; end: number; value: number }>
  /** Random bytes drawn by byte-count functions (`token_hex(N)`, `randomBytes(N)`). */
  drawn: number
  /** Whether anything random was drawn at all; a program printing fixed text is no generator. */
  random: boolean
}

class SnippetError extends Error {}

function err(message: string): never {
  throw new SnippetError(message)
}

const PY_STRING_CONSTANTS: Record<string, string> = {
  'string.ascii_letters': LOWER + UPPER,
  'string.ascii_lowercase': LOWER,
  'string.ascii_uppercase': UPPER,
  'string.digits': DIGITS,
  'string.hexdigits': DIGITS + 'abcdefABCDEF',
  'string.punctuation': POSIX_CLASSES.punct,
}

/** Python modules a snippet may import (a Python block's other imports are left out of its programs: core/facts/python.ts). */
export const KNOWN_MODULES: ReadonlySet<string> = new Set(['secrets', 'os', 'binascii', 'base64', 'uuid', 'string', 'random', 'sys'])

/** Ruby libraries a snippet may require (`-rsecurerandom`, `require 'securerandom'`), and the constant each defines. */
const RUBY_LIBRARIES: Record<string, string> = { securerandom: 'SecureRandom' }

/** Make a required Ruby library's constant known. */
function requireRuby(env: Map<string, Value>, library: string): boolean {
  const constant = Object.hasOwn(RUBY_LIBRARIES, library) ? RUBY_LIBRARIES[library] : undefined
  if (!constant) return false
  env.set(constant, { k: 'mod', name: constant })
  return true
}

/** What Ruby's `p` prints for a string: the string in double quotes, exact when nothing in it needs escaping. */
function inspectRuby(v: Value): Tok[] {
  if (v.k !== 'str') return err('`p` of this value is not modelled')
  const plain = v.toks.every((t) => isSubset(t.cls, PRINTABLE) && !t.cls.set.has('"') && !t.cls.set.has('\\') && !t.cls.set.has('#'))
  return plain ? [...text('"'), ...v.toks, ...text('"')] : err('`p` escapes some characters of this string')
}

/** `n` random bytes, counted as drawn. */
function draw(ctx: Snippet, n: number): Tok[] {
  ctx.drawn += n
  ctx.random = true
  return repeat(RANDOM_BYTE, n)
}

/** A size argument: records its literal so `suggest` can change it. */
function size(ctx: Snippet, v: Value | undefined, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback
  if (v?.k !== 'num' || !Number.isInteger(v.n) || v.n < 0) return err('a size is not a literal number')
  if (v.n > MAX_TOKENS) return err('the size is more than docdrift models')
  if (v.literal) ctx.sizes.push({ ...v.literal, value: v.n })
  return v.n
}

function strOf(v: Value): Tok[] {
  if (v.k !== 'str') return err('expected a string')
  return v.toks
}

function bytesOf(v: Value | undefined): Tok[] {
  if (v?.k !== 'bytes') return err('expected bytes')
  return v.toks
}

function literalText(toks: readonly Tok[]): string {
  return toks.map((t) => (t.cls.chars.length === 1 ? t.cls.chars : err('not a constant string'))).join('')
}

/** `x.decode()` / Python `str()`: ASCII bytes become a string. */
function decodeAscii(toks: Tok[]): Tok[] {
  return toks.every((t) => isSubset(t.cls, PRINTABLE)) ? toks : err('decoding random bytes prints garbage')
}

/** What Python's `print`/`str` or JavaScript's `console.log` writes for a value. */
function display(ctx: Snippet, v: Value): Tok[] {
  switch (v.k) {
    case 'str':
      return v.toks
    case 'num':
      return text(String(v.n))
    case 'uuid':
      return uuidToks()
    case 'none':
      // Ruby's `puts nil` prints an empty line.
      return text(ctx.lang === 'python' ? 'None' : ctx.lang === 'ruby' || ctx.lang === 'php' ? '' : 'undefined')
    case 'bytes':
      // Python prints b'...'; exact when no character needs escaping.
      if (ctx.lang === 'python' && v.toks.every((t) => isSubset(t.cls, PRINTABLE) && !t.cls.set.has("'") && !t.cls.set.has('\\'))) {
        return [...text("b'"), ...v.toks, ...text("'")]
      }
      // Ruby writes the bytes themselves, and `puts` adds a newline unless the last byte is one.
      if (ctx.lang === 'ruby' || ctx.lang === 'php') return err('printing random bytes prints garbage')
      return err('printing raw bytes shows an escaped representation of varying length')
    default:
      return err('printing this value is not modelled')
  }
}

/** Python slicing (also JavaScript `slice`): negative indexes count from the end. */
function sliceToks(toks: Tok[], lo: number | undefined, hi: number | undefined): Tok[] {
  const at = (i: number | undefined, fallback: number): number =>
    i === undefined ? fallback : i < 0 ? Math.max(0, toks.length + i) : Math.min(i, toks.length)
  return toks.slice(at(lo, 0), at(hi, toks.length))
}

/** `secrets.choice(S)`: one character of S; S may repeat characters, so entropy is Shannon's. */
function choice(ctx: Snippet, seq: Value): Tok[] {
  ctx.random = true
  const chars = literalText(strOf(seq))
  if (chars.length === 0) return err('choice of an empty sequence')
  const counts = new Map<string, number>()
  for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const c of counts.values()) bits -= (c / chars.length) * Math.log2(c / chars.length)
  return [{ cls: charClass(chars), bits }]
}

type Builtin = (ctx: Snippet, self: Value | undefined, args: Value[], kw: Map<string, Value>) => Value

/** Functions and methods the snippets may call, by qualified name. */
const BUILTINS: Record<string, Builtin> = {
  'secrets.token_hex': (ctx, _, [n]) => ({ k: 'str', toks: hex(draw(ctx, size(ctx, n, 32))) }),
  'secrets.token_urlsafe': (ctx, _, [n]) => ({ k: 'str', toks: base64(draw(ctx, size(ctx, n, 32)), B64URL_ALPHABET, false) }),
  'secrets.token_bytes': (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n, 32)) }),
  'secrets.choice': (ctx, _, [seq]) => ({ k: 'str', toks: choice(ctx, seq) }),
  // Not a CSPRNG, but seeded from os.urandom: one value is as hard to guess as with `secrets`.
  'random.choice': (ctx, _, [seq]) => ({ k: 'str', toks: choice(ctx, seq) }),
  'random.SystemRandom': () => ({ k: 'mod', name: 'secrets' }),
  'os.urandom': (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n)) }),
  'binascii.hexlify': (_, __, [b]) => ({ k: 'bytes', toks: hex(bytesOf(b)) }),
  'binascii.b2a_hex': (_, __, [b]) => ({ k: 'bytes', toks: hex(bytesOf(b)) }),
  'base64.b64encode': (_, __, [b]) => ({ k: 'bytes', toks: base64(bytesOf(b), B64_ALPHABET, true) }),
  'base64.urlsafe_b64encode': (_, __, [b]) => ({ k: 'bytes', toks: base64(bytesOf(b), B64URL_ALPHABET, true) }),
  'base64.b16encode': (_, __, [b]) => ({ k: 'bytes', toks: hex(bytesOf(b), true) }),
  'uuid.uuid4': (ctx) => ((ctx.random = true), { k: 'uuid' }),
  str: (ctx, _, [v]) => ({ k: 'str', toks: display(ctx, v) }),
  print: (ctx, _, args, kw) => {
    const sep = kw.get('sep')
    const end = kw.get('end')
    const sepToks = sep === undefined ? text(' ') : strOf(sep)
    args.forEach((v, i) => ctx.out.push(...(i > 0 ? sepToks : []), ...display(ctx, v)))
    ctx.out.push(...(end === undefined ? [NEWLINE] : strOf(end)))
    return { k: 'none' }
  },
  'sys.stdout.write': (ctx, _, [v]) => {
    ctx.out.push(...strOf(v))
    return { k: 'num', n: strOf(v).length }
  },
  'bytes.hex': (_, self) => ({ k: 'str', toks: hex(bytesOf(self)) }),
  'bytes.decode': (_, self) => ({ k: 'str', toks: decodeAscii(bytesOf(self)) }),
  'bytes.toString': (_, self, [encoding]) => {
    const name = encoding === undefined ? 'utf8' : literalText(strOf(encoding))
    const b = bytesOf(self)
    if (name === 'hex') return { k: 'str', toks: hex(b) }
    if (name === 'base64') return { k: 'str', toks: base64(b, B64_ALPHABET, true) }
    if (name === 'base64url') return { k: 'str', toks: base64(b, B64URL_ALPHABET, false) }
    return err(`\`toString('${name}')\` of random bytes prints garbage`)
  },
  'str.join': (ctx, self, [gen]) => {
    if (gen?.k !== 'gen') return err('only `join(... for _ in range(N))` is modelled')
    const one = strOf(evaluate(ctx, gen.elt))
    if (gen.count * (one.length + 1) > MAX_TOKENS) return err('the result is more than docdrift models')
    const between = self ? strOf(self) : []
    const out: Tok[] = []
    for (let i = 0; i < gen.count; i++) out.push(...(i > 0 ? between : []), ...one)
    return { k: 'str', toks: out }
  },
  'str.slice': (ctx, self, [lo, hi]) => ({ k: 'str', toks: sliceToks(strOf(self!), bound(ctx, lo), bound(ctx, hi)) }),
  'str.substring': (ctx, self, [lo, hi]) => {
    const clamp = (v: Value | undefined): number | undefined => {
      const n = bound(ctx, v)
      return n === undefined ? undefined : Math.max(0, n)
    }
    const [a, b] = [clamp(lo) ?? 0, clamp(hi)]
    return { k: 'str', toks: sliceToks(strOf(self!), b === undefined ? a : Math.min(a, b), b === undefined ? undefined : Math.max(a, b)) }
  },
  'UUID.hex': () => ({ k: 'str', toks: uuidToks().filter((t) => t.cls !== charClass('-')) }),
  require: (_, __, [name]) => {
    const mod = literalText(strOf(name)).replace(/^node:/, '')
    return mod === 'crypto' ? { k: 'mod', name: 'crypto' } : err(`\`require('${mod}')\` is not modelled`)
  },
  'crypto.randomBytes': (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n)) }),
  'crypto.randomUUID': (ctx) => ((ctx.random = true), { k: 'str', toks: uuidToks() }),
  'console.log': (ctx, _, args) => {
    args.forEach((v, i) => ctx.out.push(...(i > 0 ? text(' ') : []), ...display(ctx, v)))
    ctx.out.push(NEWLINE)
    return { k: 'none' }
  },
  'process.stdout.write': (ctx, _, [v]) => {
    ctx.out.push(...strOf(v))
    return { k: 'str', toks: text('true') }
  },
  // Ruby: SecureRandom's sizes are in random bytes (16 by default), `alphanumeric` counts characters.
  'SecureRandom.hex': (ctx, _, [n]) => ({ k: 'str', toks: hex(draw(ctx, size(ctx, n, 16))) }),
  'SecureRandom.base64': (ctx, _, [n]) => ({ k: 'str', toks: base64(draw(ctx, size(ctx, n, 16)), B64_ALPHABET, true) }),
  'SecureRandom.urlsafe_base64': (ctx, _, [n, padding]) => {
    const pad = padding === undefined ? false : padding.k === 'bool' ? padding.value : err('`padding` is not a literal')
    return { k: 'str', toks: base64(draw(ctx, size(ctx, n, 16)), B64URL_ALPHABET, pad) }
  },
  'SecureRandom.random_bytes': (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n, 16)) }),
  'SecureRandom.alphanumeric': (ctx, _, [n]) => {
    ctx.random = true
    return { k: 'str', toks: repeat(uniform(charClass(UPPER + LOWER + DIGITS)), size(ctx, n, 16)) }
  },
  'SecureRandom.uuid': (ctx) => ((ctx.random = true), { k: 'str', toks: uuidToks() }),
  'ruby.require': (ctx, _, [name]) => {
    const library = literalText(strOf(name))
    return requireRuby(ctx.env, library) ? { k: 'bool', value: true } : err(`\`require '${library}'\` is not modelled`)
  },
  // `puts` ends each value with a newline unless it has one; `print` adds nothing.
  'ruby.puts': (ctx, _, args) => {
    if (args.length === 0) ctx.out.push(NEWLINE)
    for (const v of args) {
      const toks = display(ctx, v)
      ctx.out.push(...toks)
      if (toks.at(-1)?.cls !== NL) ctx.out.push(NEWLINE)
    }
    return { k: 'none' }
  },
  // Ruby's `print` and PHP's `echo`/`print` write their arguments as they are (PHP's `PHP_EOL`
  // is a newline).
  write: (ctx, _, args) => {
    for (const v of args) ctx.out.push(...display(ctx, v))
    return { k: 'none' }
  },
  random_bytes: (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n)) }),
  openssl_random_pseudo_bytes: (ctx, _, [n]) => ({ k: 'bytes', toks: draw(ctx, size(ctx, n)) }),
  bin2hex: (_, __, [b]) => ({ k: 'str', toks: hex(bytesOf(b)) }),
  base64_encode: (_, __, [b]) => ({ k: 'str', toks: base64(b?.k === 'str' ? b.toks : bytesOf(b), B64_ALPHABET, true) }),
  'ruby.p': (ctx, _, args) => {
    for (const v of args) ctx.out.push(...inspectRuby(v), NEWLINE)
    return args.length === 1 ? args[0] : { k: 'none' }
  },
}

/** A slice bound: a (possibly negative) literal number, recorded as a size when positive. */
function bound(ctx: Snippet, v: Value | undefined): number | undefined {
  if (v === undefined) return undefined
  if (v.k !== 'num' || !Number.isInteger(v.n)) return err('a slice bound is not a literal number')
  if (v.literal && v.n > 0) ctx.sizes.push({ ...v.literal, value: v.n })
  return v.n
}

/** The name a value's methods are looked up under (`bytes.hex`, `str.slice`). */
function typeName(v: Value): string {
  return v.k === 'str' ? 'str' : v.k === 'bytes' ? 'bytes' : v.k === 'uuid' ? 'UUID' : v.k === 'mod' ? v.name : v.k
}

function evaluate(ctx: Snippet, e: Expr): Value {
  switch (e.k) {
    case 'name': {
      const v = ctx.env.get(e.id)
      return v ?? err(`\`${e.id}\` is not modelled`)
    }
    case 'num':
      return { k: 'num', n: e.n, literal: { start: e.start, end: e.end } }
    case 'str':
      return { k: e.bytes ? 'bytes' : 'str', toks: text(e.s) }
    case 'neg': {
      const v = evaluate(ctx, e.e)
      return v.k === 'num' ? { k: 'num', n: -v.n } : err('negating a non-number')
    }
    case 'add': {
      const [a, b] = [evaluate(ctx, e.a), evaluate(ctx, e.b)]
      if (a.k === 'str' && b.k === 'str') return { k: 'str', toks: [...a.toks, ...b.toks] }
      if (a.k === 'num' && b.k === 'num') return { k: 'num', n: a.n + b.n }
      return err('adding these values is not modelled')
    }
    case 'attr': {
      const obj = evaluate(ctx, e.obj)
      const qualified = `${typeName(obj)}.${e.name}`
      if (obj.k === 'mod' && PY_STRING_CONSTANTS[qualified] !== undefined) return { k: 'str', toks: text(PY_STRING_CONSTANTS[qualified]) }
      if (qualified === 'UUID.hex') return BUILTINS['UUID.hex'](ctx, obj, [], new Map())
      if (obj.k === 'mod' && (qualified === 'sys.stdout' || qualified === 'process.stdout')) return { k: 'mod', name: qualified }
      if (obj.k === 'str' && e.name === 'length') return { k: 'num', n: obj.toks.length }
      return { k: 'fn', name: qualified, self: obj.k === 'mod' ? undefined : obj }
    }
    case 'call': {
      const fn = evaluate(ctx, e.fn)
      if (fn.k !== 'fn') return err('calling a non-function')
      const impl = BUILTINS[fn.name]
      if (!impl) return err(`\`${fn.name}\` is not modelled`)
      const args = e.args.map((a) => {
        if (a.k !== 'gen') return evaluate(ctx, a)
        const iter = a.iter
        if (iter.k !== 'call' || iter.fn.k !== 'name' || iter.fn.id !== 'range' || iter.args.length !== 1) return err('only `for _ in range(N)` is modelled')
        const count = size(ctx, evaluate(ctx, iter.args[0]))
        return { k: 'gen', elt: a.elt, count } satisfies Value
      })
      const kw = new Map([...e.kw].map(([k, v]) => [k, evaluate(ctx, v)] as const))
      return impl(ctx, fn.self, args, kw)
    }
    case 'slice': {
      const obj = evaluate(ctx, e.obj)
      const lo = e.lo ? bound(ctx, evaluate(ctx, e.lo)) : undefined
      const hi = e.hi ? bound(ctx, evaluate(ctx, e.hi)) : undefined
      if (obj.k !== 'str' && obj.k !== 'bytes') return err('slicing this value is not modelled')
      return { k: obj.k, toks: sliceToks(obj.toks, lo, hi) }
    }
    case 'gen':
      return err('a generator outside a call')
  }
}

interface SnippetResult {
  out: Tok[]
  sizes: Array<{ start: number; end: number; value: number }>
  drawn: number
}

/**
 * Run a snippet symbolically; `printResult` is node -p (print the last expression's value),
 * `required` the Ruby libraries loaded before it (`ruby -rsecurerandom`).
 */
function runSnippet(lang: Lang, code: string, printResult: boolean, required: readonly string[] = []): SnippetResult | Fail {
  const toks = tokenize(code)
  if ('kind' in toks) return toks
  const program = new SnippetParser(toks, lang).program()
  if ('kind' in program) return program
  const env = new Map<string, Value>()
  if (lang === 'python') env.set('print', { k: 'fn', name: 'print' }).set('str', { k: 'fn', name: 'str' })
  else if (lang === 'ruby') {
    for (const name of RUBY_COMMANDS) env.set(name, { k: 'fn', name: name === 'print' ? 'write' : `ruby.${name}` })
    env.set('true', { k: 'bool', value: true }).set('false', { k: 'bool', value: false }).set('nil', { k: 'none' })
    for (const library of required) if (!requireRuby(env, library)) return fail(`\`-r${library}\` is not modelled`)
  } else if (lang === 'php') {
    for (const name of PHP_COMMANDS) env.set(name, { k: 'fn', name: 'write' })
    for (const name of ['random_bytes', 'openssl_random_pseudo_bytes', 'bin2hex', 'base64_encode']) env.set(name, { k: 'fn', name })
    env.set('PHP_EOL', { k: 'str', toks: [NEWLINE] })
  } else {
    env.set('require', { k: 'fn', name: 'require' }).set('crypto', { k: 'mod', name: 'crypto' })
    env.set('console', { k: 'mod', name: 'console' }).set('process', { k: 'mod', name: 'process' })
  }
  const ctx: Snippet = { lang, env, out: [], sizes: [], drawn: 0, random: false }
  let last: Value = { k: 'none' }
  try {
    for (const stmt of program) {
      last = { k: 'none' }
      if (stmt.k === 'import') {
        for (const [mod, alias] of stmt.names) {
          if (!KNOWN_MODULES.has(mod)) return fail(`module \`${mod}\` is not modelled`)
          env.set(alias, { k: 'mod', name: mod })
        }
      } else if (stmt.k === 'from') {
        if (!KNOWN_MODULES.has(stmt.mod)) return fail(`module \`${stmt.mod}\` is not modelled`)
        for (const [name, alias] of stmt.names) {
          const qualified = `${stmt.mod}.${name}`
          env.set(alias, PY_STRING_CONSTANTS[qualified] !== undefined ? { k: 'str', toks: text(PY_STRING_CONSTANTS[qualified]) } : { k: 'fn', name: qualified })
        }
      } else if (stmt.k === 'let') env.set(stmt.name, evaluate(ctx, stmt.e))
      else last = evaluate(ctx, stmt.e)
    }
    if (printResult) ctx.out.push(...display(ctx, last), NEWLINE)
  } catch (error) {
    if (error instanceof SnippetError) return fail(error.message)
    throw error
  }
  if (!ctx.random) return fail('the program prints fixed text, not a secret')
  return { out: ctx.out, sizes: ctx.sizes, drawn: ctx.drawn }
}

/** Where the program is: `python3 -c CODE`, `node -e CODE`, `node -p CODE`, `ruby -rLIB -e CODE`. */
function snippetArg(lang: Lang, args: readonly string[]): { index: number; print: boolean; required: string[] } | Fail {
  const required: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (lang === 'php') {
      if (a === '-r') return { index: i + 1, print: false, required }
      if (a !== '-n') break
      continue
    }
    if (lang === 'ruby') {
      if (a === '-e') return { index: i + 1, print: false, required }
      if (a === '-r' && args[i + 1] !== undefined) required.push(args[++i])
      else if (a.startsWith('-r') && a.length > 2) required.push(a.slice(2))
      else if (!a.startsWith('-')) break
      else if (!['-W0', '-w', '--disable-gems', '--disable=gems'].includes(a)) return fail(`\`${a}\` before the program is not modelled`)
      continue
    }
    if (lang === 'python' && a === '-c') return { index: i + 1, print: false, required }
    if (lang === 'node' && (a === '-e' || a === '--eval')) return { index: i + 1, print: false, required }
    if (lang === 'node' && (a === '-p' || a === '--print' || a === '-pe')) return { index: i + 1, print: true, required }
    const flags = lang === 'python' ? ['-I', '-S', '-E', '-s', '-B', '-u', '-q'] : ['--no-warnings', '--no-deprecation']
    if (!flags.includes(a)) return fail(`\`${a}\` before the program is not modelled`)
  }
  return fail(lang === 'ruby' ? 'only `-e` programs are modelled' : lang === 'php' ? 'only `-r` programs are modelled' : 'only `-c`/`-e`/`-p` programs are modelled')
}

function snippetCommand(lang: Lang): Command {
  return {
    run(args) {
      const where = snippetArg(lang, args)
      if ('kind' in where) return where
      const code = args[where.index]
      if (code === undefined) return fail('the program is missing')
      const result = runSnippet(lang, code, where.print, where.required)
      if ('kind' in result) return result
      return finite(result.out, Infinity, result.drawn > 0 ? result.drawn : undefined)
    },
    slots(args) {
      const where = snippetArg(lang, args)
      if ('kind' in where) return []
      const code = args[where.index] ?? ''
      const result = runSnippet(lang, code, where.print, where.required)
      if ('kind' in result) return []
      return result.sizes.map(({ start, end, value }) => ({
        value,
        set: (n: number) => args.map((a, i) => (i === where.index ? code.slice(0, start) + String(n) + code.slice(end) : a)),
      }))
    },
  }
}

/**
 * `php -r CODE`, and Laravel's `php artisan key:generate --show`, which prints `base64:` and a
 * key for the app's cipher in base64, then a newline: with the default cipher (AES-256-CBC), 32
 * random bytes, 51 characters.
 */
function phpCommand(): Command {
  const php = snippetCommand('php')
  const artisanKey = (args: readonly string[]) => args[0] === 'artisan' && args[1] === 'key:generate' && args.includes('--show')
  return {
    run(args, input) {
      if (artisanKey(args)) return finite([...text('base64:'), ...base64(repeat(RANDOM_BYTE, 32), B64_ALPHABET, true), NEWLINE], Infinity, 32)
      if (args[0] === 'artisan') return fail(`\`php ${args.slice(0, 2).join(' ')}\` is not a generator docdrift models`)
      return php.run(args, input)
    },
    slots: (args) => (args[0] === 'artisan' ? [] : php.slots!(args)),
  }
}

/**
 * `rails secret` (`rake secret` before Rails 5): Rails prints `SecureRandom.hex(64)`, 128 hex
 * characters and a newline, whatever the app. `rails runner CODE` runs Ruby in the app, where
 * `SecureRandom` is loaded: `ruby -rsecurerandom -e CODE`.
 */
function railsCommand(name: string): Command {
  const ruby = snippetCommand('ruby')
  const runner = (args: readonly string[]) => name === 'rails' && args.length === 2 && args[0] === 'runner'
  const asRuby = (args: readonly string[]) => ['-rsecurerandom', '-e', args[1]]
  return {
    run(args, input) {
      if (runner(args)) return ruby.run(asRuby(args), input)
      if (args.length !== 1 || args[0] !== 'secret') return fail(`\`${name} ${args.join(' ')}\` is not a generator docdrift models`)
      return finite([...hex(repeat(RANDOM_BYTE, 64)), NEWLINE], Infinity, 64)
    },
    slots(args) {
      if (!runner(args)) return []
      return ruby.slots!(asRuby(args)).map((slot) => ({ value: slot.value, set: (n: number) => ['runner', slot.set(n)[2]] }))
    },
  }
}

// ============================================================================================
// Go templates: Helm's Sprig functions
// ============================================================================================

const ALPHA = charClass(UPPER + LOWER)
const B64_DIGIT = charClass(B64_ALPHABET)
const WHITESPACE = charClass(' \t\n\r\v\f')

/**
 * Sprig's `randAlphaNum N`, `randAlpha N`, `randNumeric N`, `randAscii N` (printable ASCII, space
 * to `~`): N characters drawn uniformly from the set with crypto/rand (Sprig 3, Helm 3).
 */
function sprigRandom(cls: CharClass): Command {
  return {
    run(args, input) {
      const n = parseCount(args[0])
      if (args.length !== 1 || n === undefined || input) return fail('a Sprig generator takes one count')
      return finite(repeat(uniform(cls), n))
    },
    slots: (args) => argSlot(args, 0),
  }
}

/** A Sprig function of the value piped into it (or given as its last argument). */
function sprigFilter(what: string, apply: (s: Stream, args: readonly string[]) => Step, arity = 0, slots?: Command['slots']): Command {
  return {
    run(args, input) {
      if (args.length !== arity) return fail(`\`${what}\` takes ${arity} arguments before its input`)
      if (!input) return fail(`\`${what}\` has no input`)
      if (input.kind !== 'stream' || input.cycle) return fail(`\`${what}\` of this value is not modelled`)
      return apply(input, args)
    },
    slots,
  }
}

/** Go's `base64.StdEncoding.DecodeString`: padded base64 only (else Sprig prints the error). */
function base64Decode(s: Stream): Step {
  const toks = s.toks
  let pad = 0
  while (pad < toks.length && toks[toks.length - 1 - pad].cls.chars === '=') pad++
  const body = toks.slice(0, toks.length - pad)
  const bytes = base64Decoded(toks.length, pad)
  if (toks.length % 4 !== 0 || pad > 2 || bytes === undefined || !body.every((t) => isSubset(t.cls, B64_DIGIT))) {
    return fail('`b64dec` of a value that may not be padded base64 prints an error')
  }
  const bits = sumBits(body)
  return finite(repeat({ cls: BYTE, bits: bytes === 0 ? 0 : Math.min(8, bits / bytes) }, bytes), s.cap)
}

/** Sprig's `quote` (Go's `%q`) and `squote`: quotes around the value; `%q` escapes vary its length. */
function quoted(mark: string, escapes: boolean): (s: Stream) => Step {
  return (s) => {
    if (escapes && s.toks.some((t) => t.cls.set.has('"') || t.cls.set.has('\\') || !isSubset(t.cls, PRINTABLE))) return fail('`quote` escapes some characters of this value')
    return withToks(s, [...text(mark), ...s.toks, ...text(mark)])
  }
}

/** Sprig's `trim`: leading and trailing white space, when it is known whether each end has some. */
function trimmed(s: Stream): Step {
  let from = 0
  let to = s.toks.length
  while (from < to && isSubset(s.toks[from].cls, WHITESPACE)) from++
  while (to > from && isSubset(s.toks[to - 1].cls, WHITESPACE)) to--
  const unsure = (t: Tok | undefined) => t !== undefined && [...WHITESPACE.chars].some((c) => t.cls.set.has(c))
  if (unsure(s.toks[from]) || unsure(s.toks[to - 1])) return fail('`trim` of a value that may start or end in white space is not modelled')
  return withToks(s, s.toks.slice(from, to))
}

/**
 * Sprig's `upper` and `lower`: each character mapped, carrying at most the entropy of where a
 * uniform draw from its set lands (`randAlphaNum | lower` folds 62 characters onto 36).
 */
function cased(map: (c: string) => string): (s: Stream) => Step {
  return (s) =>
    withToks(
      s,
      s.toks.map((t) => {
        const counts = new Map<string, number>()
        for (const c of t.cls.chars) counts.set(map(c), (counts.get(map(c)) ?? 0) + 1)
        const n = t.cls.chars.length
        let spread = 0
        for (const count of counts.values()) spread -= (count / n) * Math.log2(count / n)
        return { cls: charClass(counts.keys()), bits: Math.min(t.bits, spread) }
      })
    )
}

/** Sprig's `trunc N`: the first N characters, or with N negative the last -N. */
function truncated(s: Stream, args: readonly string[]): Step {
  const n = Number(args[0])
  if (!Number.isInteger(n)) return fail('`trunc` needs a count')
  if (n >= 0) return withToks(s, s.toks.slice(0, n))
  return withToks(s, s.toks.slice(Math.max(0, s.toks.length + n)))
}

/** Sprig's `sha256sum`, `sha1sum`: the digest in hex, nothing else. */
function sprigDigest(bits: number): (s: Stream) => Step {
  return (s) => finite(repeat({ cls: HEX, bits: 4 }, bits / 4), Math.min(entropy(s), bits))
}

/**
 * Go template functions docdrift follows (Sprig's, as Helm charts use them), for stages marked
 * `template`: a value is piped in, or given as the last argument, and nothing ends in a newline.
 */
const TEMPLATE_FUNCTIONS: Record<string, Command> = {
  randAlphaNum: sprigRandom(ALNUM),
  randAlpha: sprigRandom(ALPHA),
  randNumeric: sprigRandom(DIGIT),
  randAscii: sprigRandom(PRINTABLE),
  // Base64 of N random bytes.
  randBytes: {
    run(args, input) {
      const n = parseCount(args[0])
      if (args.length !== 1 || n === undefined || input) return fail('`randBytes` takes one count')
      return finite(base64(repeat(RANDOM_BYTE, n), B64_ALPHABET, true), Infinity, n)
    },
    slots: (args) => argSlot(args, 0),
  },
  uuidv4: {
    run: (args, input) => (args.length > 0 || input ? fail('`uuidv4` takes no argument') : finite(uuidToks())),
  },
  b64enc: sprigFilter('b64enc', (s) => withToks(s, base64(s.toks, B64_ALPHABET, true))),
  b64dec: sprigFilter('b64dec', base64Decode),
  sha256sum: sprigFilter('sha256sum', sprigDigest(256)),
  sha1sum: sprigFilter('sha1sum', sprigDigest(160)),
  quote: sprigFilter('quote', quoted('"', true)),
  squote: sprigFilter('squote', quoted("'", false)),
  trim: sprigFilter('trim', trimmed),
  upper: sprigFilter('upper', cased((c) => c.toUpperCase())),
  lower: sprigFilter('lower', cased((c) => c.toLowerCase())),
  toString: sprigFilter('toString', (s) => s),
  trunc: sprigFilter('trunc', truncated, 1, (args) => (args[0]?.startsWith('-') ? [] : argSlot(args, 0))),
}

// ============================================================================================
// Terraform: the random provider's resources
// ============================================================================================

/** `random_password`'s and `random_string`'s special characters unless `override_special` gives others. */
const TERRAFORM_SPECIAL = '!@#$%&*()-_=+[]{}<>:?'

/**
 * A resource's arguments (`name=value` words after the output's name) that `allowed` knows; a
 * `fail` for any other (a misspelled argument is no resource docdrift can model).
 */
function terraformArgs(type: string, args: readonly string[], allowed: readonly string[]): Map<string, string> | Fail {
  const out = new Map<string, string>()
  for (const word of args.slice(1)) {
    const eq = word.indexOf('=')
    const name = word.slice(0, eq)
    if (eq < 0 || !allowed.includes(name) || out.has(name)) return fail(`\`${type}\` with \`${word}\` is not modelled`)
    out.set(name, word.slice(eq + 1))
  }
  return out
}

/** A boolean argument: `fallback` when not given, undefined when it is not `true` or `false`. */
function terraformFlag(args: Map<string, string>, name: string, fallback: boolean): boolean | undefined {
  const value = args.get(name)
  return value === undefined ? fallback : value === 'true' ? true : value === 'false' ? false : undefined
}

/**
 * `random_password` and `random_string` (`result`; `random_string`'s `id` is the same): `length`
 * characters, `min_upper`/`min_lower`/`min_numeric`/`min_special` of them drawn from their own
 * sets (even one switched off), the rest from every set switched on (`upper`, `lower`,
 * `numeric` or its old name `number`, `special` with `override_special` in place of the default
 * specials; all on by default), then shuffled. The bits count the draws and not the shuffle: a
 * lower bound, within a few bits of the truth once `min_*` are small.
 */
function terraformString(type: string): Command {
  return {
    run(args, input) {
      const output = args[0]
      if (input || !(output === 'result' || (output === 'id' && type === 'random_string'))) return fail(`\`${type}.${output}\` is not modelled`)
      const given = terraformArgs(type, args, ['length', 'special', 'upper', 'lower', 'numeric', 'number', 'min_upper', 'min_lower', 'min_numeric', 'min_special', 'override_special'])
      if (!(given instanceof Map)) return given
      const length = parseCount(given.get('length'))
      const numeric = terraformFlag(given, 'numeric', terraformFlag(given, 'number', true) ?? true)
      const number = terraformFlag(given, 'number', numeric ?? true)
      const flags = [terraformFlag(given, 'upper', true), terraformFlag(given, 'lower', true), numeric, terraformFlag(given, 'special', true)]
      if (length === undefined || length < 1 || numeric === undefined || number !== numeric || flags.includes(undefined)) return fail(`\`${type}\` arguments are not modelled`)
      if (length > MAX_TOKENS) return fail('more than docdrift models')
      const sets = [UPPER, LOWER, DIGITS, given.get('override_special') || TERRAFORM_SPECIAL]
      const mins = ['min_upper', 'min_lower', 'min_numeric', 'min_special'].map((name) => parseCount(given.get(name) ?? '0'))
      if (mins.includes(undefined)) return fail(`\`${type}\` arguments are not modelled`)
      const counts = mins as number[]
      const rest = length - counts.reduce((a, b) => a + b, 0)
      const all = charClass(sets.filter((_, i) => flags[i]).join(''))
      if (rest < 0 || (rest > 0 && all.chars.length === 0)) return fail(`\`${type}\` fails: its \`min_*\` exceed its \`length\`, or no set is switched on`)
      const drawn = sets.map((set, i) => (counts[i] > 0 ? charClass(set) : undefined))
      const bits = counts.reduce((sum, count, i) => sum + (count > 0 ? count * Math.log2(drawn[i]!.chars.length) : 0), rest > 0 ? rest * Math.log2(all.chars.length) : 0)
      const cls = unionOf([...(rest > 0 ? [all] : []), ...drawn.filter((c) => c !== undefined)])
      return finite(repeat({ cls, bits: bits / length }, length))
    },
    slots: (args) => terraformSlot(args, 'length'),
  }
}

/** The slot of a resource's size argument (`length=44`). */
function terraformSlot(args: readonly string[], name: string): Slot[] {
  const index = args.findIndex((a, i) => i > 0 && a.startsWith(`${name}=`))
  return index < 0 ? [] : argSlot(args, index, `${name}=`)
}

/**
 * `random_id` (`byte_length` random bytes; `prefix` is written before `hex`, `b64_std`, `b64_url`
 * and `dec`) and `random_bytes` (`length` of them): `hex` in lower case, `b64_std` and `base64`
 * padded standard base64, `b64_url` and `id` (no prefix) URL-safe base64 without padding, `dec`
 * the bytes as one decimal number (its length depends on them).
 */
function terraformBytes(type: string, size: string, outputs: readonly string[]): Command {
  return {
    run(args, input) {
      const output = args[0]
      if (input || !outputs.includes(output)) return fail(`\`${type}.${output}\` is not modelled`)
      const given = terraformArgs(type, args, type === 'random_id' ? [size, 'prefix'] : [size])
      if (!(given instanceof Map)) return given
      const n = parseCount(given.get(size))
      if (n === undefined || n < 1) return fail(`\`${type}\` needs a \`${size}\``)
      if (4 * n > MAX_TOKENS) return fail('more than docdrift models')
      const prefix = output === 'id' ? [] : text(given.get('prefix') ?? '')
      const bytes = repeat(RANDOM_BYTE, n)
      if (output === 'dec') return { kind: 'opaque', bits: 8 * n, why: `\`${type}.dec\` drops the leading zeros of a number` }
      const encoded = output === 'hex' ? hex(bytes) : output === 'b64_std' || output === 'base64' ? base64(bytes, B64_ALPHABET, true) : base64(bytes, B64URL_ALPHABET, false)
      return finite([...prefix, ...encoded], Infinity, n)
    },
    slots: (args) => terraformSlot(args, size),
  }
}

/** Terraform resources docdrift follows (the `random` provider's), for stages marked `terraform`. */
const TERRAFORM_RESOURCES: Record<string, Command> = {
  random_password: terraformString('random_password'),
  random_string: terraformString('random_string'),
  random_id: terraformBytes('random_id', 'byte_length', ['hex', 'b64_std', 'b64_url', 'id', 'dec']),
  random_bytes: terraformBytes('random_bytes', 'length', ['base64', 'hex']),
  random_uuid: {
    run(args, input) {
      if (input || args.length !== 1 || (args[0] !== 'result' && args[0] !== 'id')) return fail('`random_uuid` takes no argument')
      return finite(uuidToks())
    },
  },
}

// ============================================================================================
// The table
// ============================================================================================

/** Every command docdrift can follow through a pipeline. */
const COMMANDS: Record<string, Command> = {
  openssl,
  head,
  tail,
  base64: base64Command,
  xxd,
  od,
  dd,
  cat,
  tr,
  cut,
  awk,
  gawk: awk,
  mawk: awk,
  fold,
  md5sum: digestCommand(DIGESTS.md5sum),
  sha1sum: digestCommand(DIGESTS.sha1sum),
  sha224sum: digestCommand(DIGESTS.sha224sum),
  sha256sum: digestCommand(DIGESTS.sha256sum),
  sha384sum: digestCommand(DIGESTS.sha384sum),
  sha512sum: digestCommand(DIGESTS.sha512sum),
  b2sum: digestCommand(DIGESTS.b2sum),
  shasum,
  uuidgen,
  pwgen,
  gpg,
  gpg2: gpg,
  date,
  echo,
  python: snippetCommand('python'),
  python3: snippetCommand('python'),
  node: snippetCommand('node'),
  nodejs: snippetCommand('node'),
  ruby: snippetCommand('ruby'),
  php: phpCommand(),
  rails: railsCommand('rails'),
  rake: railsCommand('rake'),
}

/** The model of a stage's command (or Go template function). */
function commandOf(stage: Stage, name: string): Command | undefined {
  const table = stage.template ? TEMPLATE_FUNCTIONS : stage.terraform ? TERRAFORM_RESOURCES : COMMANDS
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/** The command a stage runs: `/usr/bin/openssl` → openssl, `python3.12` → python3, `env A=b tr` → tr. */
function resolve(stage: Stage): { name: string; args: string[] } {
  if (stage.template || stage.terraform) return { name: stage.name, args: stage.args }
  let name = stage.name.slice(stage.name.lastIndexOf('/') + 1)
  let args = stage.args
  if (name === 'env') {
    const at = args.findIndex((a) => !a.includes('='))
    if (at >= 0) return resolve({ name: args[at], args: args.slice(at + 1) })
  }
  if (/^python3\.\d{1,2}$/.test(name)) name = 'python3'
  if (/^php\d(\.\d{1,2})?$/.test(name)) name = 'php'
  // `bundle exec rails secret`: Bundler runs the command in the app's bundle.
  if (name === 'bundle' && args[0] === 'exec' && args.length > 1) return resolve({ name: args[1], args: args.slice(2) })
  return { name, args }
}

// ============================================================================================
// Pipelines
// ============================================================================================

/** Run the pipeline symbolically, stage by stage. */
function evaluatePipeline(stages: readonly Stage[]): Step {
  let flow: Flow | undefined
  for (const stage of stages) {
    const { name, args } = resolve(stage)
    const command = commandOf(stage, name)
    if (!command) return fail(`\`${name}\` is not a command docdrift models`)
    let input: Input = flow
    if (stage.stdin !== undefined) {
      const file = readFile(stage.stdin)
      if (file.kind === 'fail') return file
      input = file
    }
    const step = command.run(args, input)
    if (step.kind === 'fail') return step
    flow = step
  }
  return flow ?? fail('the pipeline is empty')
}

/** Is a `-` at these positions, hex elsewhere: the 8-4-4-4-12 shape of a UUID. */
function isUuid(toks: readonly Tok[]): boolean {
  if (toks.length !== 36) return false
  return toks.every((t, i) => ([8, 13, 18, 23].includes(i) ? t.cls.chars === '-' : isSubset(t.cls, HEX_ANY_CASE)))
}

function alphabetOf(value: readonly Tok[]): Alphabet {
  const union = unionOf(value.filter((t) => t.cls !== NL).map((t) => t.cls))
  if (union.chars.length === 0) return 'unknown'
  if (isUuid(value)) return 'uuid'
  if (!isSubset(union, PRINTABLE)) return 'binary'
  if (isSubset(union, DIGIT)) return 'decimal'
  if (isSubset(union, HEX_ANY_CASE)) return 'hex'
  if (union === ALNUM) return 'alnum'
  if (isSubset(union, ALNUM)) return 'charset'
  if (isSubset(union, B64_OR_PAD)) return 'base64'
  if (isSubset(union, B64URL_OR_PAD)) return 'base64url'
  return 'charset'
}

function round(bits: number): number {
  return Math.round(bits * 1000) / 1000
}

/** What `$(...)` captures from a finite stream. */
function toOutput(s: Stream): GeneratorOutput | Fail {
  if (s.cycle) return fail('the pipeline never stops printing')
  let end = s.toks.length
  while (end > 0 && s.toks[end - 1].cls === NL) end--
  const value = s.toks.slice(0, end)
  const newlines = value.filter((t) => t.cls === NL).length
  const alphabet = alphabetOf(value)
  const out: GeneratorOutput = {
    chars: value.length,
    trailingNewline: s.toks.length > 0 && s.toks[s.toks.length - 1].cls === NL,
    multiline: newlines > 0,
    alphabet,
    bits: round(Math.min(sumBits(value), s.cap)),
    newlines,
  }
  if (alphabet === 'base64' || alphabet === 'base64url') out.padding = value.filter((t) => t.cls.chars === '=').length
  if (s.drawn !== undefined) out.randomBytes = s.drawn
  if (alphabet === 'alnum' || alphabet === 'charset') {
    out.charset = unionOf(value.filter((t) => t.cls !== NL).map((t) => t.cls)).chars
  }
  return out
}

/** Model a pipeline, saying why when there is no exact answer. */
/** Models by pipeline: docs repeat commands, and editors re-lint the same ones on every keystroke. */
const analyses = new Memo<Analysis>(4 * 1024 * 1024)
const suggestions = new Memo<ReturnType<typeof suggestUncached>>(4 * 1024 * 1024)

export function analyzePipeline(stages: Stage[]): Analysis {
  return analyses.get(JSON.stringify(stages), () => analyzeUncached(stages))
}

function analyzeUncached(stages: Stage[]): Analysis {
  const step = evaluatePipeline(stages)
  if (step.kind === 'fail') return { status: 'unknown', reason: step.why }
  if (step.kind === 'opaque') return { status: 'variable', bits: round(step.bits), reason: step.why }
  const out = toOutput(step)
  if ('kind' in out) return { status: 'unknown', reason: out.why }
  return { status: 'exact', output: out }
}

/** The characters a pipeline's output may hold (a Terraform resource's set: `8 characters from a set of 83`). */
export function outputCharacters(stages: Stage[]): string | undefined {
  const step = evaluatePipeline(stages)
  return step.kind === 'stream' ? unionOf(step.toks.filter((t) => t.cls !== NL).map((t) => t.cls)).chars : undefined
}

/** Model a pipeline. Returns undefined when the first stage is not a known generator (e.g. `echo hi`, `cat file`). */
export function modelPipeline(stages: Stage[]): GeneratorOutput | undefined {
  const analysis = analyzePipeline(stages)
  return analysis.status === 'exact' ? analysis.output : undefined
}

// ============================================================================================
// Constraints
// ============================================================================================

/** Bytes a base64 decoder returns for `chars` alphabet characters (newlines skipped, padding dropped). */
function base64Decoded(chars: number, padding: number): number | undefined {
  const body = chars - padding
  const rest = [0, undefined, 1, 2][body % 4]
  if (rest === undefined || (padding > 0 && chars % 4 !== 0)) return undefined
  return Math.floor(body / 4) * 3 + rest
}

/**
 * Value bytes the application sees after its decode step: 'none' → chars (ASCII), 'hex' → chars/2
 * (undefined if alphabet is not hex or odd), 'base64' → decoded length (undefined if alphabet is
 * not base64/base64url). Binary values are undefined: `$(...)` drops NUL bytes and trailing
 * newline bytes, so their length is not known.
 */
export function valueBytes(out: GeneratorOutput, decode: 'none' | 'hex' | 'base64'): number | undefined {
  if (decode === 'none') return out.alphabet === 'binary' ? undefined : out.chars
  if (decode === 'hex') return out.alphabet === 'hex' && !out.multiline && out.chars % 2 === 0 ? out.chars / 2 : undefined
  if (out.alphabet !== 'base64' && out.alphabet !== 'base64url') return undefined
  return base64Decoded(out.chars - (out.newlines ?? (out.multiline ? 1 : 0)), out.padding ?? 0)
}

export function meets(out: GeneratorOutput, c: Constraint): boolean {
  let bytes = valueBytes(out, c.decode)
  if (bytes === undefined) return false
  // A kept newline is one more byte of the string; a hex decoder rejects it; base64 decoders skip it.
  if (c.withNewline && out.trailingNewline) {
    if (c.decode === 'hex') return false
    if (c.decode === 'none') bytes += 1
  }
  if (c.bytes !== undefined && bytes !== c.bytes) return false
  if (c.minBytes !== undefined && bytes < c.minBytes) return false
  if (c.maxBytes !== undefined && bytes > c.maxBytes) return false
  return true
}

// ============================================================================================
// Suggestions
// ============================================================================================

/**
 * Pipelines that differ in one size, tried from n = 1 upwards. Every size argument docdrift knows
 * (byte counts, `head -c`, `cut -c1-N`, `fold -w`) prints no fewer characters as it grows, which
 * lets the search stop early.
 */
interface Family {
  build(n: number): Stage[]
  /** The size the doc already uses: suggestions stay as close to it as they can. */
  origin?: number
}

function stage(name: string, ...args: string[]): Stage {
  return { name, args }
}

/**
 * The nearest compliant command: keep the same generator and change its size argument when
 * possible (openssl rand -base64 32 → openssl rand -base64 24 for exact 32 bytes with decode
 * none); otherwise another generator (openssl rand -hex N), otherwise append a trim stage.
 * Prefers the maximum entropy that fits (for a minimum only: the smallest value that fits).
 * Never proposes something that does not meet the constraint, prints several lines, or carries
 * fewer than 64 bits when the constraint leaves room for 64.
 */
export function suggest(stages: Stage[], c: Constraint): { command: string; output: GeneratorOutput } | undefined {
  return suggestions.get(JSON.stringify([stages, c.bytes, c.minBytes, c.maxBytes, c.decode]), () => suggestUncached(stages, c))
}

/**
 * The same command with a size raised until it carries at least `bits` (`openssl rand -hex 16` →
 * `-hex 32` for a 256-bit claim, `secrets.token_hex(16)` → `token_hex(32)`); undefined when no
 * size of it does (a hash of the clock stays a hash of the clock).
 */
export function strengthen(stages: Stage[], bits: number): { command: string; output: GeneratorOutput } | undefined {
  const current = modelPipeline(stages)
  if (!current || current.bits <= 0) return undefined
  for (const [index, slot] of slotsOf(stages)) {
    // Bits grow about in proportion to the size: start just below the proportional guess.
    const from = Math.max(slot.value + 1, Math.floor((slot.value * bits) / current.bits) - 2)
    for (let n = from; n <= from + 64 && n <= MAX_TOKENS; n++) {
      const candidate = stages.map((s, i) => (i === index ? { ...s, args: slot.set(n) } : s))
      const output = modelPipeline(candidate)
      if (output && !output.multiline && output.bits >= bits) return { command: render(candidate), output }
    }
  }
  return undefined
}

/**
 * A suggestion that meets every constraint at once (a value that flows into several configured
 * secrets must fit them all), or undefined when none of the per-secret suggestions does.
 */
export function suggestForAll(stages: Stage[], cs: Constraint[]): { command: string; output: GeneratorOutput } | undefined {
  for (const c of cs) {
    const fix = suggest(stages, c)
    if (fix && cs.every((other) => meets(fix.output, other))) return fix
  }
  return undefined
}

function suggestUncached(stages: Stage[], c: Constraint): { command: string; output: GeneratorOutput } | undefined {
  const current = modelPipeline(stages)
  const floor = Math.min(64, 4 * (c.bytes ?? c.maxBytes ?? Infinity))
  const acceptable = (out: GeneratorOutput): boolean => meets(out, c) && !out.multiline && out.bits >= floor
  if (current && acceptable(current)) return { command: render(stages), output: current }

  const target = c.bytes ?? c.maxBytes ?? c.minBytes ?? 32
  const openssl = (...args: string[]): Stage => stage('openssl', 'rand', ...args)
  const trim = (base: Stage[]): Family => ({ build: (k) => [...base, stage('head', '-c', String(k))] })
  const sizes: Family[][] = slotsOf(stages).map(([index, slot]): Family[] => [
    { build: (n) => stages.map((s, i) => (i === index ? { ...s, args: slot.set(n) } : s)), origin: slot.value },
  ])
  const groups: Family[][] = stages.some((s) => s.terraform)
    ? sizes
    : stages.some((s) => s.template)
    ? [...sizes, ...templateFamilies(stages, current !== undefined)]
    : [
        ...sizes,
        [
          { build: (n) => [openssl('-base64', String(n))] },
          { build: (n) => [openssl('-hex', String(n))] },
          { build: (n) => [openssl('-base64', String(n)), stage('tr', '-d', '\\n')] },
        ],
        [...(current ? [trim(stages)] : []), trim([openssl('-base64', String(target))])],
      ]
  const limit = Math.min(1024, 4 * target + 16)
  for (const group of groups) {
    const best = bestOf(group, c, limit, acceptable)
    if (best) return { command: render(best.stages), output: best.output }
  }
  return undefined
}

/**
 * Other Go template generators for a Sprig pipeline that no size of its own fits: `randAlphaNum
 * N` (what charts use), then `randBytes N` (base64, for a secret decoded as base64), then a
 * digest cut to N hex characters, then the pipeline cut with `trunc`.
 */
function templateFamilies(stages: Stage[], known: boolean): Family[][] {
  const sprig = (name: string, ...args: string[]): Stage => ({ name, args, template: true })
  return [
    [{ build: (n) => [sprig('randAlphaNum', String(n))] }],
    [{ build: (n) => [sprig('randBytes', String(n))] }],
    // Sprig has no hex encoder: a digest's hex, cut (for a secret decoded as hex).
    [{ build: (n) => [sprig('randAlphaNum', '64'), sprig('sha256sum'), sprig('trunc', String(n))] }],
    known ? [{ build: (k) => [...stages, sprig('trunc', String(k))] }] : [],
  ]
}

/** A Go template argument: a number as it is, anything else a Go string. */
function goWord(word: string): string {
  return /^-?\d+$/.test(word) ? word : JSON.stringify(word)
}

/** Size slots of every stage, the generator's first. */
function slotsOf(stages: readonly Stage[]): Array<[number, Slot]> {
  const out: Array<[number, Slot]> = []
  stages.forEach((s, index) => {
    const { name, args } = resolve(s)
    const command = commandOf(s, name)
    const prefix = s.args.length - args.length
    for (const slot of command?.slots?.(args) ?? []) {
      out.push([index, { value: slot.value, set: (n) => [...s.args.slice(0, prefix), ...slot.set(n)] }])
    }
  })
  return out
}

interface Scored {
  stages: Stage[]
  output: GeneratorOutput
  bytes: number
  distance: number
}

/** Characters (newlines aside) beyond which no value can fit an upper bound. */
function charLimit(c: Constraint): number {
  const upper = c.bytes ?? c.maxBytes
  if (upper === undefined) return Infinity
  return c.decode === 'none' ? upper : c.decode === 'hex' ? 2 * upper : 4 * Math.ceil(upper / 3) + 4
}

function bestOf(group: readonly Family[], c: Constraint, limit: number, acceptable: (out: GeneratorOutput) => boolean): Scored | undefined {
  const bounded = c.bytes !== undefined || c.maxBytes !== undefined
  let best: Scored | undefined
  for (const family of group) {
    let bestHere: Scored | undefined
    for (let n = 1; n <= limit; n++) {
      const stages = family.build(n)
      const output = modelPipeline(stages)
      if (!output) continue
      const printed = output.chars - (output.newlines ?? 0)
      if (printed > charLimit(c) || (!bounded && bestHere && printed > bestHere.output.chars)) break
      if (!acceptable(output)) continue
      const scored = { stages, output, bytes: valueBytes(output, c.decode) ?? 0, distance: family.origin === undefined ? 0 : Math.abs(n - family.origin) }
      if (!bestHere || better(scored, bestHere, bounded)) bestHere = scored
    }
    if (bestHere && (!best || better(bestHere, best, bounded))) best = bestHere
  }
  return best
}

/** With an upper bound: most bits, then the smallest change. With a minimum only: fewest bytes first. */
function better(a: Scored, b: Scored, bounded: boolean): boolean {
  if (!bounded && a.bytes !== b.bytes) return a.bytes < b.bytes
  if (a.output.bits !== b.output.bits) return a.output.bits > b.output.bits
  if (a.distance !== b.distance) return a.distance < b.distance
  return a.output.chars < b.output.chars
}

// ============================================================================================
// Rendering
// ============================================================================================

/** A shell word for `word`: bare when safe, else quoted. `$NAME` stays an expansion. */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(word)) return `"${word}"`
  if (!word.includes("'")) return `'${word}'`
  if (!/["$`\\!]/.test(word)) return `"${word}"`
  return `'${word.replaceAll("'", "'\\''")}'`
}

/** Render stages back to a command line (`openssl rand -base64 24`, `head -c 32 /dev/urandom | base64`), quoting args that need it. */
export function render(stages: Stage[]): string {
  // `random_id { byte_length = 16 }.hex`: messages name a resource's output and size themselves.
  if (stages.some((s) => s.terraform)) return stages.map((s) => `${s.name} { ${s.args.slice(1).map((a) => a.replace('=', ' = ')).join(', ')} }.${s.args[0]}`).join(' | ')
  if (stages.some((s) => s.template)) return stages.map((s) => [s.name, ...s.args.map(goWord)].join(' ')).join(' | ')
  return stages
    .map((s) => [s.name, ...s.args].map(quoteWord).join(' ') + (s.stdin !== undefined ? ` < ${quoteWord(s.stdin)}` : ''))
    .join(' | ')
}

/**
 * `actual` with the numbers written at `written` (its matches of `\d+`) changed from `before` to
 * `after`, one for one: the author's spelling kept where only sizes change. Undefined when the
 * written numbers are not `before`.
 */
export function swapNumbers(actual: string, written: readonly RegExpMatchArray[], before: readonly string[], after: readonly string[]): string | undefined {
  if (written.length !== before.length || written.some((m, i) => m[0] !== before[i])) return undefined
  let out = ''
  let from = 0
  written.forEach((m, i) => {
    out += actual.slice(from, m.index) + after[i]
    from = m.index! + m[0].length
  })
  return out + actual.slice(from)
}
