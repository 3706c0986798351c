// Binary tables (DMAR.dat, dumped from /sys/firmware/acpi/tables/DMAR or by acpixtract) shown as
// their read-only decompiled listing: a `dmar-binary:` document whose text the server decompiles
// and whose diagnostics the server publishes. A custom editor for *.dat/*.aml/*.bin only hands
// over to that text editor, so everything a source gets (hover, symbols, quick fixes where they
// make sense) works on a binary too.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BINARY_SCHEME, LANGUAGE_ID, type ServerHandle } from './server-handle';
import { isDmarBinary, listingPathFor } from './detect';

/** Default editor for DMAR-named binaries (DMAR.dat, dmar.aml, ...). */
export const BINARY_EDITOR_BY_NAME = 'dmar.binaryTable';
/** "Open With" choice for any *.dat / *.aml / *.bin; the file content decides. */
export const BINARY_EDITOR_ANY = 'dmar.binaryTableAny';

interface DecompileResult {
  text: string;
}

export function listingUriFor(fileUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: BINARY_SCHEME, path: fileUri.path });
}

export function fileUriForListing(listingUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: 'file', path: listingUri.path });
}

/** The first bytes of a file, without reading a large one whole. */
export async function readHead(uri: vscode.Uri, n = 4): Promise<Uint8Array> {
  if (uri.scheme === 'file') {
    const handle = await fs.open(uri.fsPath, 'r');
    try {
      const buffer = Buffer.alloc(n);
      const { bytesRead } = await handle.read(buffer, 0, n, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  return (await vscode.workspace.fs.readFile(uri)).subarray(0, n);
}

export async function assertDmarBinary(uri: vscode.Uri): Promise<void> {
  if (!isDmarBinary(await readHead(uri))) {
    throw new Error(`${path.basename(uri.fsPath)} is not a binary DMAR table: it does not start with the signature "DMAR".`);
  }
}

/** The server's listing of a binary table. */
export async function decompile(server: ServerHandle, fileUri: vscode.Uri, token?: vscode.CancellationToken): Promise<string> {
  const client = await server.ensure();
  const result = await client.sendRequest<DecompileResult>('dmar/decompile', { uri: fileUri.toString() }, token);
  return result.text;
}

export class BinaryListingProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  /** A watcher per shown binary, so a rewritten DMAR.dat refreshes its listing. */
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: ServerHandle) {
    this.subscriptions.push(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme !== BINARY_SCHEME) return;
      this.watchers.get(doc.uri.toString())?.dispose();
      this.watchers.delete(doc.uri.toString());
    }));
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const fileUri = fileUriForListing(uri);
    this.watch(uri, fileUri);
    return decompile(this.server, fileUri, token);
  }

  private watch(listingUri: vscode.Uri, fileUri: vscode.Uri): void {
    const key = listingUri.toString();
    if (this.watchers.has(key)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(fileUri.fsPath)), path.basename(fileUri.fsPath)),
    );
    const fire = () => this.changeEmitter.fire(listingUri);
    watcher.onDidChange(fire);
    watcher.onDidCreate(fire);
    this.watchers.set(key, watcher);
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}

/** Opens a binary table's listing as a read-only `dmar` document. */
export async function openListing(fileUri: vscode.Uri, viewColumn?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  let doc = await vscode.workspace.openTextDocument(listingUriFor(fileUri));
  if (doc.languageId !== LANGUAGE_ID) doc = await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  return vscode.window.showTextDocument(doc, { viewColumn, preview: false });
}

function closeTab(uri: vscode.Uri, viewType: string): boolean {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputCustom && tab.input.viewType === viewType && tab.input.uri.toString() === uri.toString()) {
        void vscode.window.tabGroups.close(tab);
        return true;
      }
    }
  }
  return false;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function notice(message: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';"></head>`
    + `<body style="font-family: var(--vscode-font-family); padding: 1em;"><p>${escapeHtml(message)}</p></body></html>`;
}

/**
 * The custom editor only redirects: the listing opens in a text editor in the same column and
 * this tab closes. A file that is not a DMAR table goes back to the default editor (by-name
 * editor) or says why it cannot be shown (the "Open With" choice).
 */
export class BinaryTableEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly viewType: string, private readonly output: vscode.OutputChannel) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const uri = document.uri;
    const name = path.basename(uri.fsPath);
    panel.webview.options = { enableScripts: false };
    panel.webview.html = notice(`Opening the DMAR listing of ${name}...`);
    const column = panel.viewColumn;
    const close = () => setTimeout(() => {
      if (!closeTab(uri, this.viewType)) panel.dispose();
    }, 0);
    let head: Uint8Array;
    try {
      head = await readHead(uri);
    } catch (e) {
      panel.webview.html = notice(`Cannot read ${name}: ${(e as Error).message}`);
      return;
    }
    if (!isDmarBinary(head)) {
      if (this.viewType === BINARY_EDITOR_BY_NAME) {
        await vscode.commands.executeCommand('vscode.openWith', uri, 'default', column);
        close();
      } else {
        panel.webview.html = notice(`${name} is not a binary DMAR table: it does not start with the signature "DMAR". Use "Reopen Editor With..." to pick another editor.`);
      }
      return;
    }
    try {
      await openListing(uri, column);
    } catch (e) {
      const message = `Cannot show ${name} as a DMAR listing: ${(e as Error).message}`;
      this.output.appendLine(message);
      panel.webview.html = notice(message);
      return;
    }
    close();
  }
}

/** Where a command invoked on a binary finds it: the argument, the active listing or custom editor, or a dialog. */
export async function pickBinary(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg.scheme === BINARY_SCHEME ? fileUriForListing(arg) : arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === BINARY_SCHEME) return fileUriForListing(active);
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && (tab.viewType === BINARY_EDITOR_BY_NAME || tab.viewType === BINARY_EDITOR_ANY)) return tab.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectMany: false,
    filters: { 'ACPI binary tables': ['dat', 'aml', 'bin'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** dmar.saveBinaryAsSource: the listing written to NAME.dsl beside the binary, then opened. */
export async function saveBinaryAsSource(server: ServerHandle, arg: unknown): Promise<void> {
  const fileUri = await pickBinary(arg, 'Binary DMAR table to save as source');
  if (!fileUri) return;
  await assertDmarBinary(fileUri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === listingUriFor(fileUri).toString());
  const text = open ? open.getText() : await decompile(server, fileUri);
  const target = vscode.Uri.file(listingPathFor(fileUri.fsPath));
  if (await exists(target)) {
    const answer = await vscode.window.showWarningMessage(`${path.basename(target.fsPath)} exists. Overwrite it with the listing of ${path.basename(fileUri.fsPath)}?`, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return;
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(target, { preview: false });
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
