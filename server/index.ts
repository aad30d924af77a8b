/**
 * The language server face: `unified-language-server` running remark with the docdrift plugin
 * always loaded (plus whatever the user's `.remarkrc` / `package.json#remarkConfig` adds), so any
 * LSP editor gets docdrift's findings as you type and its `expected` values as quick fixes.
 *
 * unified-language-server does not know fix safety, so a thin layer on the connection adds:
 * - `data.safety` on docdrift diagnostics, `source: 'docdrift'`, and duplicates dropped (a user
 *   config that loads its own copy of `docdrift/remark` runs the rules, and the server's copy then
 *   adds none (plugins/remark/index.ts), but another version of docdrift may still add its own);
 * - quick fixes that are `isPreferred` only when safe (editors apply preferred fixes unattended)
 *   and name their diagnostic; a `source.fixAll.docdrift` action with every safe fix;
 * - incremental document sync, no whole-document formatting (docdrift edits only flagged
 *   ranges; re-serialising Markdown is a formatter's job), no unimplemented `codeAction/resolve`;
 * - diagnostics of a version the editor has already replaced are not published;
 * - a keystroke re-parses only the blocks around it (./incremental.ts);
 * - a document that `docdrift` run in its workspace folder would skip (`.docdriftignore`,
 *   `.remarkignore`: core/ignore.ts, the command's own lookup) gets no docdrift diagnostics and
 *   no docdrift fixes; other plugins' findings stay, as `remark` would report them. Ignore files
 *   are looked up again (one `stat` per folder up from the document) before each publish and
 *   re-read when they changed, and watched when the client can watch files.
 */
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified, type Plugin, type Processor} from 'unified'
import {createUnifiedLanguageServer} from 'unified-language-server'
import {TextDocument} from 'vscode-languageserver-textdocument'
import type {VFile} from 'vfile'
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextEdit,
  type CodeAction,
  type ClientCapabilities,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type Range,
  type ServerCapabilities
} from 'vscode-languageserver/node.js'
import docdrift, {docdriftTables} from '../plugins/remark/index.js'
import {currentText, forget, incrementalParse} from './incremental.js'
import {IGNORE_FILES, Ignorer, unreadableIgnoreFile} from '../core/ignore.js'
import {ruleIds} from '../core/rules/index.js'
import type {Safety} from '../core/rules/types.js'

export const fixAllKind = `${CodeActionKind.SourceFixAll}.docdrift`

export interface DiagnosticData {
  expected?: string[]
  safety?: Safety
}

/** Safety of each docdrift message's fix, keyed by its `expected` array (which becomes `diagnostic.data.expected`). */
const safetyOf = new WeakMap<object, Safety>()

function tagSafety(file: VFile) {
  for (const message of file.messages) {
    const fix = (message as unknown as {docdrift?: {fix?: {safety: Safety}}}).docdrift?.fix
    if (fix && message.expected) safetyOf.set(message.expected, fix.safety)
  }
}

/**
 * Runs after docdrift's rules. Plugins that docdrift's attacher adds are queued when it runs, so
 * this attacher queues the tagger in turn, which puts it after them.
 */
const afterDocdrift: Plugin<[], Root> = function (this: Processor) {
  this.use(function tagSafetyPlugin() {
    return (_tree: Root, file: VFile) => tagSafety(file)
  })
}

/** Used when the workspace has no `remark` of its own. */
const defaultProcessor = unified().use(remarkParse).freeze()

/** Start the server on the connection that the command line asks for (`--stdio`, `--node-ipc`, `--socket=N`). */
export function createDocdriftLanguageServer() {
  const features = ProposedFeatures as unknown as {all: {languages?: Mixin}}
  const all = features.all
  features.all = {...all, languages: (Base) => docdriftLayer(all.languages ? all.languages(Base) : Base)}
  try {
    createUnifiedLanguageServer({
      processorName: 'remark',
      processorSpecifier: 'remark',
      defaultProcessor: defaultProcessor as never,
      // GFM tables in the parse, which is incremental here (plugins/remark/index.ts `docdriftTables`).
      plugins: [docdrift as Plugin<unknown[]>, docdriftTables as Plugin<unknown[]>, afterDocdrift as Plugin<unknown[]>, incrementalParse as Plugin<unknown[]>],
      configurationSection: 'docdrift',
      rcName: '.remarkrc',
      packageField: 'remarkConfig',
      ignoreName: '.remarkignore',
      pluginPrefix: 'remark'
    })
  } finally {
    features.all = all
  }
}

type Constructor = new (...args: never[]) => {
  attach(connection: Connection): void
  initialize(capabilities: ClientCapabilities): void
  fillServerCapabilities(capabilities: ServerCapabilities): void
}
type Mixin = (Base: Constructor) => Constructor

/** A `languages` feature: the connection's hooks, wrapped before unified-language-server registers its handlers. */
function docdriftLayer(Base: Constructor): Constructor {
  return class extends Base {
    private layer?: Layer

    override attach(connection: Connection) {
      super.attach(connection)
      this.layer = wrapConnection(connection)
    }

    override initialize(capabilities: ClientCapabilities) {
      super.initialize(capabilities)
      if (this.layer) this.layer.capabilities = capabilities
    }

    override fillServerCapabilities(capabilities: ServerCapabilities) {
      super.fillServerCapabilities(capabilities)
      capabilities.textDocumentSync = {openClose: true, change: TextDocumentSyncKind.Incremental}
      capabilities.codeActionProvider = {codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false}
      delete capabilities.documentFormattingProvider
    }
  }
}

interface Layer {
  /** What the client can do, as it said in `initialize`. */
  capabilities?: ClientCapabilities
}

/** A docdrift diagnostic: a finding of a docdrift rule (any copy of the face), or a config or internal error. */
function isDocdrift(diagnostic: Diagnostic): boolean {
  return diagnostic.source === 'docdrift' || (diagnostic.source === 'remark-lint' && typeof diagnostic.code === 'string' && ruleIds.includes(diagnostic.code))
}

/** People-readable reasons for the errors that reading a file usually fails with. */
function wrapConnection(connection: Connection): Layer {
  const layer: Layer = {}

  /** Workspace folders (paths), as unified-language-server takes them: the folders, else the root. */
  let folders: string[] = []
  const toPaths = (uris: string[]) => uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri))
  const onInitialize = connection.onInitialize
  connection.onInitialize = (handler) =>
    onInitialize((params, ...rest) => {
      const uris = (params.workspaceFolders ?? []).map((folder) => folder.uri)
      if (uris.length === 0 && params.rootUri) uris.push(params.rootUri)
      folders = toPaths(uris)
      return handler(params, ...rest)
    })
  const onInitialized = connection.onInitialized
  connection.onInitialized = (handler) =>
    onInitialized((params) => {
      handler(params)
      const workspace = layer.capabilities?.workspace
      if (workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(toPaths(event.removed.map((folder) => folder.uri)))
          folders = [...folders.filter((folder) => !removed.has(folder)), ...toPaths(event.added.map((folder) => folder.uri))]
        })
      }
      // unified-language-server checks every open document again when watched files change.
      if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, {watchers: [{globPattern: `**/{${IGNORE_FILES.join(',')}}`}]})
      }
    })

  /** The command's ignore-file lookup; an unreadable ignore file is named once, then skipped as the command skips it. */
  const ignorer = new Ignorer({
    cwd: '/',
    onUnreadable(file, error) {
      const message = unreadableIgnoreFile(file, error)
      void connection.sendNotification(ShowMessageNotification.type, {type: MessageType.Warning, message})
    }
  })
  /** Whether `docdrift` run in the document's workspace folder would skip it (no answer outside workspace folders). */
  function skipped(uri: string): boolean {
    if (!uri.startsWith('file:')) return false
    const file = fileURLToPath(uri)
    let root: string | undefined
    for (const folder of folders) {
      const relative = path.relative(folder, file)
      const below = relative !== '' && relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative)
      if (below && (!root || folder.length > root.length)) root = folder
    }
    if (!root) return false
    ignorer.refresh()
    return ignorer.skips(root, file)
  }
  /** Open documents that were skipped when their diagnostics were last published. */
  const ignored = new Set<string>()

  /** Latest version the editor sent, per document. */
  const versions = new Map<string, number>()
  /** What was last published, per document. */
  const published = new Map<string, PublishDiagnosticsParams>()

  /** Our own copy of each open file's text, so that outdated checks can be skipped. */
  const texts = new Map<string, TextDocument>()
  const track = (document: TextDocument) => {
    texts.set(document.uri, document)
    if (document.uri.startsWith('file:')) currentText.set(fileURLToPath(document.uri), document.getText())
  }

  const onOpen = connection.onDidOpenTextDocument
  connection.onDidOpenTextDocument = (handler) =>
    onOpen((params) => {
      const {uri, languageId, version, text} = params.textDocument
      versions.set(uri, version)
      track(TextDocument.create(uri, languageId, version, text))
      return handler(params)
    })
  const onChange = connection.onDidChangeTextDocument
  connection.onDidChangeTextDocument = (handler) =>
    onChange((params) => {
      const {uri, version} = params.textDocument
      versions.set(uri, version)
      const document = texts.get(uri)
      if (document) track(TextDocument.update(document, params.contentChanges, version))
      return handler(params)
    })
  const onClose = connection.onDidCloseTextDocument
  connection.onDidCloseTextDocument = (handler) =>
    onClose((params) => {
      versions.delete(params.textDocument.uri)
      texts.delete(params.textDocument.uri)
      published.delete(params.textDocument.uri)
      ignored.delete(params.textDocument.uri)
      if (params.textDocument.uri.startsWith('file:')) forget(fileURLToPath(params.textDocument.uri))
      return handler(params)
    })

  const send = connection.sendDiagnostics
  connection.sendDiagnostics = async (params) => {
    const latest = versions.get(params.uri)
    // A newer check of this document is queued: publishing this one would only flicker.
    if (params.version !== undefined && latest !== undefined && params.version < latest) return
    // Looked up at each publish, so an ignore file changed since counts (closed documents need not).
    const skip = texts.has(params.uri) && skipped(params.uri)
    if (skip) ignored.add(params.uri)
    else ignored.delete(params.uri)
    const seen = new Set<string>()
    const diagnostics: Diagnostic[] = []
    for (const diagnostic of params.diagnostics) {
      const key = JSON.stringify([diagnostic.range, diagnostic.code, diagnostic.message, diagnostic.severity])
      if (seen.has(key)) continue
      seen.add(key)
      const data = diagnostic.data as DiagnosticData | undefined
      const safety = data?.expected ? safetyOf.get(data.expected) : undefined
      if (safety) {
        diagnostic.data = {...data, safety}
        diagnostic.source = 'docdrift'
      }
      if (skip && isDocdrift(diagnostic)) continue
      diagnostics.push(diagnostic)
    }
    const result = {...params, diagnostics}
    published.set(params.uri, result)
    return send(result)
  }

  const onCodeAction = connection.onCodeAction
  connection.onCodeAction = (handler) =>
    onCodeAction(async (params, ...rest) => {
      // A skipped document: no fixes for docdrift diagnostics the client may still hold.
      if (ignored.has(params.textDocument.uri)) {
        params = {...params, context: {...params.context, diagnostics: params.context.diagnostics.filter((d) => !isDocdrift(d))}}
      }
      const only = params.context.only
      const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(requested + '.'))
      const actions: CodeAction[] = []
      if (wants(CodeActionKind.QuickFix)) {
        const upstream = ((await handler(params, ...rest)) ?? []) as CodeAction[]
        for (const action of upstream) actions.push(describe(action, params))
      }
      if (only && wants(fixAllKind)) {
        const fixAll = fixAllAction(params.textDocument.uri)
        if (fixAll) actions.push(fixAll)
      }
      return actions
    })

  /** Name the diagnostic an action fixes, and prefer it only when the fix is safe. */
  function describe(action: CodeAction, params: CodeActionParams): CodeAction {
    const edit = action.edit?.changes?.[params.textDocument.uri]?.[0]
    if (!edit) return action
    const diagnostic = params.context.diagnostics.find((d) => {
      const data = d.data as DiagnosticData | undefined
      return sameRange(d.range, edit.range) && data?.expected?.includes(edit.newText)
    })
    if (!diagnostic) return action
    action.diagnostics = [diagnostic]
    const safety = (diagnostic.data as DiagnosticData).safety
    if (safety) action.isPreferred = safety === 'safe'
    return action
  }

  /** Every safe fix of the document, when the published diagnostics are of its current version. */
  function fixAllAction(uri: string): CodeAction | undefined {
    const last = published.get(uri)
    if (!last || last.version !== versions.get(uri)) return undefined
    const safe = last.diagnostics
      .filter((d) => (d.data as DiagnosticData | undefined)?.safety === 'safe')
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    const edits: TextEdit[] = []
    const fixed: Diagnostic[] = []
    for (const diagnostic of safe) {
      const previous = edits.at(-1)
      if (previous && !before(previous.range, diagnostic.range)) continue
      edits.push(TextEdit.replace(diagnostic.range, (diagnostic.data as DiagnosticData).expected![0]))
      fixed.push(diagnostic)
    }
    if (edits.length === 0) return undefined
    return {title: 'Fix all safe docdrift problems', kind: fixAllKind, diagnostics: fixed, edit: {changes: {[uri]: edits}}}
  }

  return layer
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character
}

/** `a` ends at or before `b` starts. */
function before(a: Range, b: Range): boolean {
  return a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character <= b.start.character)
}
