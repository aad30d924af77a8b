/**
 * Where web-tree-sitter and its grammars come from, for `createParserSync`. Here: the installed
 * packages (web-tree-sitter's CommonJS build, patched as it is read). The CommonJS bundle
 * (scripts/bundle.js) replaces this module with one that uses the bundled, pre-patched copy and
 * the `.wasm` files next to the bundle.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {patchWebTreeSitter, type SyncWebTreeSitter} from './tree-sitter-sync.js'

export interface TreeSitterHost {
  ts: SyncWebTreeSitter
  runtimeWasm: Uint8Array
  grammarWasm: Uint8Array
  /** The HCL grammar (Terraform, Nomad), read only when an HCL block is (core/facts/hcl.ts). */
  hclWasm(): Uint8Array
  /** The PowerShell grammar, read only when a PowerShell command is (core/facts/powershell.ts). */
  powershellWasm(): Uint8Array
  /** The JavaScript grammar, read only when a JavaScript block asks for a path (core/facts/javascript.ts). */
  javascriptWasm(): Uint8Array
  /** The Python grammar, read only when a Python block may assign a secret (core/facts/python.ts). */
  pythonWasm(): Uint8Array
}

export function treeSitterHost(): TreeSitterHost {
  const require = createRequire(import.meta.url)
  const file = require.resolve('web-tree-sitter')
  if (!file.endsWith('.cjs')) throw new Error(`docdrift: expected web-tree-sitter's CommonJS build, got ${file}`)
  const module = {exports: {} as unknown}
  const source = patchWebTreeSitter(readFileSync(file, 'utf8'))
  // Evaluated as Node evaluates a CommonJS file, with its own require, __filename and __dirname.
  // eslint-disable-next-line no-new-func
  new Function('exports', 'require', 'module', '__filename', '__dirname', source)(module.exports, createRequire(file), module, file, path.dirname(file))
  return {
    ts: module.exports as SyncWebTreeSitter,
    runtimeWasm: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    grammarWasm: readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
    hclWasm: () => readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm')),
    powershellWasm: () => readFileSync(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')),
    javascriptWasm: () => readFileSync(require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm')),
    pythonWasm: () => readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'))
  }
}
