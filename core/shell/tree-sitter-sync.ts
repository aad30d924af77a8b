/**
 * web-tree-sitter, initialised synchronously.
 *
 * `Parser.init()` and `Language.load()` are asynchronous only because emscripten's module factory
 * is an `async function` that awaits the WebAssembly instantiation. Given the bytes, nothing needs
 * to wait: `new WebAssembly.Instance` (through emscripten's `instantiateWasm` hook) and the
 * module's own `loadWebAssemblyModule(bytes, {loadAsync: false})` are synchronous. So the
 * CommonJS build of web-tree-sitter is patched (a few exact string edits, checked: a version whose
 * text differs fails loudly instead of misbehaving) to add `Parser.initSync` and
 * `Language.loadSync`. The asynchronous API keeps working.
 *
 * This is what lets the engine load without top-level await, so the same code runs as ESM and as
 * the single CommonJS file that editors `require` (see scripts/bundle.js, which applies the same
 * patch while bundling).
 */
import type * as WebTreeSitter from 'web-tree-sitter'

export interface SyncWebTreeSitter {
  Parser: typeof WebTreeSitter.Parser & {initSync(options?: object): void}
  Language: typeof WebTreeSitter.Language & {loadSync(bytes: Uint8Array): WebTreeSitter.Language}
}

/** [what the CommonJS build of web-tree-sitter 0.25 says, what it says once patched]. */
const patches: Array<[string, string]> = [
  // The module factory: a plain function, so it can return the ready module.
  ['return async function(moduleArg = {}) {', 'return function(moduleArg = {}) {'],
  ['async function createWasm() {', 'function createWasm() {'],
  [
    `            return new Promise((resolve, reject) => {
              Module["instantiateWasm"](info2, (mod, inst) => {
                receiveInstance(mod, inst);
                resolve(mod.exports);
              });
            });`,
    `            var syncExports;
            Module["instantiateWasm"](info2, (mod, inst) => {
              receiveInstance(mod, inst);
              syncExports = mod.exports;
            });
            if (!syncExports) throw new Error("web-tree-sitter: instantiateWasm must call back synchronously");
            return syncExports;`
  ],
  [
    'var result = await instantiateAsync(wasmBinary, wasmBinaryFile, info2);',
    'var result = (() => { throw new Error("web-tree-sitter (synchronous build): pass instantiateWasm"); })();'
  ],
  ['var wasmExports = await createWasm();', 'var wasmExports = createWasm();'],
  // Ready as soon as `run()` returns (no dynamic libraries to wait for).
  ['moduleRtn = readyPromise;', 'moduleRtn = Module["calledRun"] ? Module : readyPromise;'],
  [
    '  static async init(moduleOptions) {',
    `  static initSync(moduleOptions) {
    if (!Module2) {
      const ready = (0, import_tree_sitter.default)(moduleOptions);
      if (!ready || typeof ready.then === "function") throw new Error("web-tree-sitter did not initialise synchronously");
      Module2 = ready;
    }
    setModule(Module2);
    TRANSFER_BUFFER = C._ts_init();
    LANGUAGE_VERSION = C.getValue(TRANSFER_BUFFER, "i32");
    MIN_COMPATIBLE_VERSION = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
  }
  static async init(moduleOptions) {`
  ],
  [
    '  static async load(input) {',
    `  static loadSync(bytes) {
    const mod = C.loadWebAssemblyModule(bytes, { loadAsync: false });
    const functionName = Object.keys(mod).find((key) => LANGUAGE_FUNCTION_REGEX.test(key) && !key.includes("external_scanner_"));
    if (!functionName) throw new Error("Language.loadSync failed: no language function found in WASM file");
    return new _Language(INTERNAL, mod[functionName]());
  }
  static async load(input) {`
  ]
]

/** Patch the text of `web-tree-sitter/tree-sitter.cjs`; throws when the text is not the expected one. */
export function patchWebTreeSitter(source: string): string {
  let out = source
  for (const [from, to] of patches) {
    const at = out.indexOf(from)
    if (at === -1 || out.indexOf(from, at + from.length) !== -1) {
      throw new Error(`docdrift: cannot patch web-tree-sitter for synchronous loading (expected exactly one \`${from.split('\n')[0].trim()}\`); pin web-tree-sitter 0.25.x`)
    }
    out = out.slice(0, at) + to + out.slice(at + from.length)
  }
  return out
}

/**
 * Initialise web-tree-sitter from the runtime's bytes and load a grammar, all synchronously.
 *
 * The grammar is compiled with V8's baseline compiler only: by default V8 also optimises its hot
 * functions on background threads (the 1.3 MB grammar's lexer is one giant function), about
 * 0.5 s of CPU per process or worker thread, more than the optimised code saves on a docs tree
 * (short `remark` runs pay it in full). The runtime (205 KB, which holds the parse loop) keeps
 * V8's default tiering: its hot functions are small and cheap to optimise, and the corpus's shell
 * then parses in 112 ms instead of 155 once warm, for less CPU in all.
 */
export function createParserSync(ts: SyncWebTreeSitter, runtimeWasm: Uint8Array, grammarWasm: Uint8Array): WebTreeSitter.Parser {
  ts.Parser.initSync({
    instantiateWasm(imports: WebAssembly.Imports, callback: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      const module = new WebAssembly.Module(runtimeWasm as Uint8Array<ArrayBuffer>)
      const instance = new WebAssembly.Instance(module, imports)
      callback(instance, module)
      return instance.exports
    }
  })
  const parser = new ts.Parser()
  parser.setLanguage(loadLanguageSync(ts, grammarWasm))
  return parser
}

/**
 * A grammar for an initialised runtime (`createParserSync`), compiled by V8's baseline compiler
 * only (`baselineOnly`).
 */
export function loadLanguageSync(ts: SyncWebTreeSitter, grammarWasm: Uint8Array): WebTreeSitter.Language {
  return baselineOnly(() => ts.Language.loadSync(grammarWasm))
}

/**
 * `run` (a grammar's compilation) with V8's flags set so that what it compiles stays with the
 * baseline compiler, and the host's flags as they were afterwards. The flags are the host's
 * process's, so they must not outlive the compilation:
 *
 * - `--no-wasm-lazy-compilation` compiles every function of the grammar now. Compiled lazily, on
 *   first call, a function would be compiled after the flags are back, with tier-up, and the
 *   lexer would be optimised after all (0.3 to 0.6 s more CPU on the benchmark corpus).
 * - Setting `--liftoff-only` also turns off `--wasm-tier-up` and `--wasm-dynamic-tiering` (V8's
 *   implications), which `--no-liftoff-only` does not turn back on. Left off, every WebAssembly
 *   module the host compiles later would run unoptimised, at half its speed, and V8 would reject
 *   the host's code caches, whose flag hash would have changed (test/host-flags.test.ts).
 *
 * A host that sets any of these flags itself is left alone: the grammar is compiled as it says.
 */
function baselineOnly<T>(run: () => T): T {
  if (hostSetsWasmTiering()) return run()
  const lock = flagLock()
  const held = lock !== undefined && acquire(lock)
  const baseline = setV8Flag('--liftoff-only --no-wasm-lazy-compilation')
  try {
    return run()
  } finally {
    // Their defaults in every Node docdrift runs on (a host that set them is left alone above);
    // a flag V8 no longer knew would print a warning, which test/host-flags.test.ts would see.
    if (baseline) setV8Flag('--no-liftoff-only --wasm-lazy-compilation --wasm-tier-up --wasm-dynamic-tiering')
    if (held) release(lock)
  }
}

/**
 * Where a process runs docdrift on several threads (the command's workers: cli/spare.ts), V8's
 * flags are still the process's: one thread putting them back while another compiles would let
 * that grammar tier up. The threads share one lock, an `Int32Array` over a `SharedArrayBuffer`,
 * given to each worker as `workerData[FLAG_LOCK]` and kept on the main thread under
 * `Symbol.for(FLAG_LOCK)`. Without it (one thread), nothing is locked.
 */
export const FLAG_LOCK = 'docdrift.v8FlagLock'

function flagLock(): Int32Array | undefined {
  const held = (globalThis as Record<symbol, unknown>)[Symbol.for(FLAG_LOCK)]
  if (held instanceof Int32Array) return held
  const threads = (globalThis as {process?: {getBuiltinModule?: (id: string) => unknown}}).process?.getBuiltinModule?.('node:worker_threads') as {workerData?: unknown} | undefined
  const given = (threads?.workerData as Record<string, unknown> | undefined)?.[FLAG_LOCK]
  return given instanceof Int32Array ? given : undefined
}

/**
 * Waits for the lock, at most 10 s: a thread that died holding it (a terminated worker) must not
 * stop the others, which then compile unlocked. True when the lock is this thread's.
 */
function acquire(lock: Int32Array): boolean {
  const until = Date.now() + 10_000
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) {
    const left = until - Date.now()
    if (left <= 0) return false
    Atomics.wait(lock, 0, 1, Math.min(left, 100))
  }
  return true
}

function release(lock: Int32Array): void {
  Atomics.store(lock, 0, 0)
  Atomics.notify(lock, 0)
}

/**
 * Whether the host's command line chooses how WebAssembly compiles and tiers up (Node takes V8's
 * flags there, not in `NODE_OPTIONS`).
 */
function hostSetsWasmTiering(): boolean {
  const flags = ((globalThis as {process?: {execArgv?: string[]}}).process?.execArgv ?? []).join(' ').replace(/_/g, '-')
  return /liftoff|wasm-tier-up|wasm-dynamic-tiering|wasm-lazy-compilation/.test(flags)
}

/** `v8.setFlagsFromString`, where the host has it (Node, Electron); false elsewhere. */
function setV8Flag(flag: string): boolean {
  try {
    const v8 = (globalThis as {process?: {getBuiltinModule?: (id: string) => unknown}}).process?.getBuiltinModule?.('node:v8') as {setFlagsFromString?: (flags: string) => void} | undefined
    if (!v8?.setFlagsFromString) return false
    v8.setFlagsFromString(flag)
    return true
  } catch {
    return false
  }
}
