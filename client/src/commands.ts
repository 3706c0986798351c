// Commands that convert between the three forms. The server does the work (dmar/decompile,
// dmar/compile, dmar/exportJson); these only pick the input and place the output.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { BINARY_SCHEME, LANGUAGE_ID, type ServerHandle } from './server-handle';
import { isBinaryCandidate, isSniffCandidate, jsonPathFor, listingPathFor } from './detect';
import { assertDmarBinary, decompile, fileUriForListing, openListing, pickBinary } from './binary';

interface CompileResult {
  outputPath: string;
  bytes: number;
}

interface ExportJsonResult {
  text: string;
}

function isJsonForm(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.dmar.json');
}

/** The table a source command works on: the argument (explorer) or the active editor. */
function pickTable(arg: unknown, allowJson: boolean): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.languageId === LANGUAGE_ID || (allowJson && isJsonForm(uri))) return uri;
  if (!doc && isSniffCandidate(uri.path)) return uri;
  return undefined;
}

/** Open as an untitled document or save beside the input: the user's choice. */
async function placeOutput(text: string, language: string, suggested: vscode.Uri | undefined, what: string): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(new-file) Open as an untitled document', id: 'untitled' },
      { label: `$(save-as) Save as ${suggested ? path.basename(suggested.fsPath) : 'a file'}...`, id: 'save' },
    ],
    { title: what, placeHolder: 'Where should the result go?' },
  );
  if (!choice) return;
  if (choice.id === 'untitled') {
    const doc = await vscode.workspace.openTextDocument({ language, content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    return;
  }
  const target = await vscode.window.showSaveDialog({ defaultUri: suggested, title: what });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(target, { preview: false });
}

/** dmar.decompileBinary: pick a binary, get its listing as an untitled document or a file. */
export async function decompileBinary(server: ServerHandle, arg: unknown): Promise<void> {
  const fileUri = await pickBinary(arg, 'Binary DMAR table to decompile');
  if (!fileUri) return;
  await assertDmarBinary(fileUri);
  const text = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Decompiling ${path.basename(fileUri.fsPath)}` },
    (_, token) => decompile(server, fileUri, token),
  );
  await placeOutput(text, LANGUAGE_ID, vscode.Uri.file(listingPathFor(fileUri.fsPath)), `Decompile ${path.basename(fileUri.fsPath)}`);
}

/** dmar.openBinary: the read-only listing of a binary table. */
export async function openBinary(server: ServerHandle, arg: unknown): Promise<void> {
  const fileUri = await pickBinary(arg, 'Binary DMAR table to open');
  if (!fileUri) return;
  await assertDmarBinary(fileUri);
  await server.ensure();
  await openListing(fileUri);
}

/** dmar.compileToBinary: the server writes the binary table and says where. */
export async function compileToBinary(server: ServerHandle, arg: unknown): Promise<void> {
  const uri = pickTable(arg, true);
  if (!uri || uri.scheme === BINARY_SCHEME) {
    void vscode.window.showWarningMessage('DMAR: open a DMAR source (.dsl/.asl) or a *.dmar.json table to compile.');
    return;
  }
  // The server puts the binary beside a file; an untitled table needs a place chosen.
  let outputPath: string | undefined;
  if (uri.scheme !== 'file') {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Save the compiled DMAR table as',
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'DMAR.aml') : undefined,
      filters: { 'ACPI binary tables': ['aml', 'dat', 'bin'] },
    });
    if (!target) return;
    outputPath = target.fsPath;
  }
  const client = await server.ensure();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Compiling ${path.basename(uri.path)}` },
    (_, token) => client.sendRequest<CompileResult>('dmar/compile', { uri: uri.toString(), outputPath }, token),
  );
  const output = vscode.Uri.file(result.outputPath);
  const action = await vscode.window.showInformationMessage(
    `DMAR: wrote ${result.bytes} bytes to ${vscode.workspace.asRelativePath(output)}.`,
    'Open Listing', 'Reveal in Explorer',
  );
  if (action === 'Open Listing') await openListing(output);
  else if (action === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', output);
}

/** dmar.exportJson: the table as `*.dmar.json`, untitled or saved beside it. */
export async function exportJson(server: ServerHandle, arg: unknown): Promise<void> {
  let uri = pickTable(arg, false);
  if (!uri && arg instanceof vscode.Uri && isBinaryCandidate(arg.path)) {
    await assertDmarBinary(arg);
    uri = arg;
  }
  if (!uri) {
    void vscode.window.showWarningMessage('DMAR: open a DMAR table (source or binary listing) to export as JSON.');
    return;
  }
  const client = await server.ensure();
  const target = uri;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Exporting ${path.basename(target.path)} as JSON` },
    (_, token) => client.sendRequest<ExportJsonResult>('dmar/exportJson', { uri: target.toString() }, token),
  );
  const filePath = target.scheme === BINARY_SCHEME ? fileUriForListing(target).fsPath : target.fsPath;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = target.scheme !== 'untitled' ? vscode.Uri.file(jsonPathFor(filePath))
    : folder ? vscode.Uri.joinPath(folder, 'table.dmar.json') : undefined;
  await placeOutput(result.text, 'json', suggested, `Export ${path.basename(target.path)} as JSON`);
}
