// Which files are DMAR tables, and the names of the files derived from them. Pure functions (no
// `vscode` import) so the tests can pin them without an editor.

/** How much of a .dsl/.asl document is searched for the DMAR signature. */
export const SIGNATURE_WINDOW = 4096;

/** Binary table extensions, as the server's document.ts knows them. */
export const BINARY_EXTENSIONS: readonly string[] = ['.dat', '.aml', '.bin'];

/** Source extensions that other ACPI extensions claim too, so their content decides. */
export const SNIFFED_EXTENSIONS: readonly string[] = ['.dsl', '.asl'];

// `Signature : "DMAR"` in any iasl dialect: bare, behind a template width `[0004]`, or behind a
// disassembly prefix `[000h 0000   4]` / `[000h 0000 004h]`, possibly after comments.
const SIGNATURE_LINE = /^[ \t]*(?:\[[^\]\r\n]*\][ \t]*)?Signature[ \t]*:[ \t]*"DMAR"/m;

function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** A .dsl/.asl document whose language must be decided by its content. */
export function isSniffCandidate(fileName: string): boolean {
  return SNIFFED_EXTENSIONS.includes(extensionOf(fileName));
}

/** Whether an iasl data-table source says it is a DMAR table (searched in its first 4 KB). */
export function hasDmarSignature(text: string): boolean {
  return SIGNATURE_LINE.test(text.slice(0, SIGNATURE_WINDOW));
}

export function isBinaryCandidate(fileName: string): boolean {
  return BINARY_EXTENSIONS.includes(extensionOf(fileName));
}

/** A binary DMAR table starts with its signature. */
export function isDmarBinary(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= 4 && firstBytes[0] === 0x44 && firstBytes[1] === 0x4d && firstBytes[2] === 0x41 && firstBytes[3] === 0x52;
}

function withoutExtension(filePath: string): string {
  const lower = filePath.toLowerCase();
  for (const ext of ['.dmar.json', '.json', ...SNIFFED_EXTENSIONS, ...BINARY_EXTENSIONS]) {
    if (lower.endsWith(ext) && filePath.length > ext.length && !/[\\/]$/.test(filePath.slice(0, -ext.length))) {
      return filePath.slice(0, -ext.length);
    }
  }
  return filePath;
}

/** NAME.dat -> NAME.dsl: where a binary's listing is saved, beside it. */
export function listingPathFor(binaryPath: string): string {
  return withoutExtension(binaryPath) + '.dsl';
}

/** NAME.dsl / NAME.dat -> NAME.dmar.json: where the JSON form is saved, beside the table. */
export function jsonPathFor(tablePath: string): string {
  return withoutExtension(tablePath) + '.dmar.json';
}
