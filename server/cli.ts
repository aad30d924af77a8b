#!/usr/bin/env node
/**
 * `docdrift-language-server --stdio`: docdrift's findings and fixes in any LSP editor.
 * Also `--node-ipc` and `--socket=PORT`, as vscode-languageserver reads them.
 */
import {createDocdriftLanguageServer} from './index.js'

createDocdriftLanguageServer()
