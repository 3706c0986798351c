// The VS Code client: starts the language server, decides which .dsl/.asl files are DMAR tables,
// shows binaries as listings, registers the commands and the status bar item. The analysis lives
// in the server; nothing here knows a rule.

import * as vscode from 'vscode';
import { hasDmarSignature, isSniffCandidate, SIGNATURE_WINDOW } from './detect';
import { BINARY_SCHEME, isServedDocument, LANGUAGE_ID, ServerHandle } from './server-handle';
import {
  BINARY_EDITOR_ANY, BINARY_EDITOR_BY_NAME, BinaryListingProvider, BinaryTableEditorProvider, saveBinaryAsSource,
} from './binary';
import { compileToBinary, decompileBinary, exportJson, openBinary } from './commands';
import { countFindings, statusText } from './status-text';

let server: ServerHandle | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('DMAR');
  server = new ServerHandle(context, output);
  const handle = server;
  context.subscriptions.push(output);

  // Other ACPI extensions own .dsl/.asl; a table that says it is a DMAR table becomes one, once
  // per document (a user who switches it back keeps their choice).
  const switched = new Set<string>();
  const consider = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE_ID && isSniffCandidate(doc.fileName) && !switched.has(doc.uri.toString())) {
      const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(SIGNATURE_WINDOW)));
      if (hasDmarSignature(head)) {
        switched.add(doc.uri.toString());
        void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
        return;
      }
    }
    if (isServedDocument(doc)) void handle.ensure().catch(() => undefined);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(consider));

  const listings = new BinaryListingProvider(handle);
  context.subscriptions.push(
    listings,
    vscode.workspace.registerTextDocumentContentProvider(BINARY_SCHEME, listings),
    vscode.window.registerCustomEditorProvider(BINARY_EDITOR_BY_NAME, new BinaryTableEditorProvider(BINARY_EDITOR_BY_NAME, output), {
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.window.registerCustomEditorProvider(BINARY_EDITOR_ANY, new BinaryTableEditorProvider(BINARY_EDITOR_ANY, output), {
      supportsMultipleEditorsPerDocument: false,
    }),
  );

  const command = (id: string, run: (arg: unknown) => Promise<void> | void) =>
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      try {
        await run(arg);
      } catch (e) {
        const message = (e as Error).message ?? String(e);
        output.appendLine(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`DMAR: ${message}`);
      }
    });
  context.subscriptions.push(
    command('dmar.restartServer', () => handle.restart()),
    command('dmar.showOutput', () => output.show(true)),
    command('dmar.decompileBinary', (arg) => decompileBinary(handle, arg)),
    command('dmar.compileToBinary', (arg) => compileToBinary(handle, arg)),
    command('dmar.exportJson', (arg) => exportJson(handle, arg)),
    command('dmar.openBinary', (arg) => openBinary(handle, arg)),
    command('dmar.saveBinaryAsSource', (arg) => saveBinaryAsSource(handle, arg)),
  );

  context.subscriptions.push(...statusBar(handle));

  for (const doc of vscode.workspace.textDocuments) consider(doc);
}

/** "DMAR" with the server state and, for the active DMAR editor, its error/warning/lock counts. */
function statusBar(handle: ServerHandle): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('dmar.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'DMAR';
  item.command = 'dmar.showOutput';
  const update = (): void => {
    if (!handle.wanted) {
      item.hide();
      return;
    }
    const doc = vscode.window.activeTextEditor?.document;
    const counts = doc && isServedDocument(doc) && handle.state === 'ready' ? countFindings(vscode.languages.getDiagnostics(doc.uri)) : undefined;
    const { text, tooltip } = statusText(handle.state, counts, handle.detail);
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = handle.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  return [
    item,
    handle.onDidChangeState(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) update();
    }),
  ];
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
