/**
 * A small LSP client over stdio for tests and the latency benchmark: spawns the real
 * `docdrift-language-server` process and speaks JSON-RPC to it with
 * vscode-languageserver-protocol, the way an editor does.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type CodeAction,
  type CodeActionContext,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceClientCapabilities
} from 'vscode-languageserver-protocol/node.js'
import {root} from './lint.js'

export const serverPath = path.join(root, 'dist/server/cli.js')

export interface Waiter {
  uri: string
  version?: number
  resolve(params: PublishDiagnosticsParams): void
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams
  readonly connection: ProtocolConnection
  /** Every publishDiagnostics, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = []
  /** Server stderr, for failure messages. */
  stderr = ''
  private waiters: Waiter[] = []
  private versions = new Map<string, number>()
  readonly exited: Promise<number | null>

  constructor(args: string[] = ['--stdio'], options: {cwd?: string; nodeArgs?: string[]} = {}) {
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverPath, ...args], {cwd: options.cwd ?? root, stdio: 'pipe'})
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)))
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin))
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params)
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.uri !== params.uri || (waiter.version !== undefined && params.version !== waiter.version)) return true
        waiter.resolve(params)
        return false
      })
    })
    // Requests an editor answers (registerCapability, showMessageRequest, …): say yes, with nothing.
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest']) {
      this.connection.onRequest(method, () => null)
    }
    for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress']) this.connection.onNotification(method, () => {})
    this.connection.listen()
  }

  /** Start the session in `folder`; `workspace`: the client's workspace capabilities (none by default). */
  async initialize(folder: string, workspace?: WorkspaceClientCapabilities): Promise<InitializeResult> {
    const uri = pathToFileURL(folder).href
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{uri, name: path.basename(folder)}],
      capabilities: {
        ...(workspace ? {workspace} : {}),
        textDocument: {
          publishDiagnostics: {relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true},
          codeAction: {isPreferredSupport: true, dataSupport: true, codeActionLiteralSupport: {codeActionKind: {valueSet: ['quickfix', 'source.fixAll']}}}
        }
      }
    })
    await this.connection.sendNotification(InitializedNotification.type, {})
    return result
  }

  /** The next diagnostics for `uri` (of `version`, when given). Register before sending the change. */
  diagnostics(uri: string, version?: number, timeout = 8000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}@${version} within ${timeout} ms\n${this.stderr}`)), timeout)
      this.waiters.push({
        uri,
        version,
        resolve(params) {
          clearTimeout(timer)
          resolve(params)
        }
      })
    })
  }

  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, version)
    const waiting = this.diagnostics(uri, version)
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {textDocument: {uri, languageId: 'markdown', version, text}})
    return waiting
  }

  /** Send one change (incremental when ranges are given) and return the diagnostics of the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 0) + 1
    const waiting = this.diagnostics(uri, version)
    await this.send(uri, changes)
    return waiting
  }

  /** Send one change without waiting for its diagnostics (a keystroke); returns the new version. */
  async send(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1
    this.versions.set(uri, version)
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {textDocument: {uri, version}, contentChanges: changes})
    return version
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const context: CodeActionContext = only ? {diagnostics, only} : {diagnostics}
    return this.connection.sendRequest(CodeActionRequest.type, {textDocument: {uri}, range, context}) as Promise<CodeAction[]>
  }

  /** Shut down politely and return the exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type)
    await this.connection.sendNotification(ExitNotification.type)
    const code = await this.exited
    this.connection.dispose()
    return code
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill()
    this.connection.dispose()
  }
}

/** Apply LSP text edits (UTF-16 positions) to a text, as an editor does. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1)
  const offset = (p: {line: number; character: number}) => (starts[p.line] ?? text.length) + p.character
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
  for (const edit of sorted) text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end))
  return text
}
