// Reading a source again after an edit: a change inside one line of a large table re-reads only
// the structure holding that line (document.ts rereadSourceLine, which declines whenever that
// would not give exactly what a full read gives). The server notes which lines each version's
// changes touched (TextDocuments calls noteChanges from its update) and keeps the last read of
// each open source.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { parseDocument, rereadSourceLine, type ParsedDocument } from './document';

interface SourceRead {
  version: number;
  doc: ParsedDocument;
  /** '\n' in the text, to check that the editor counts lines as the reader does (no lone '\r'). */
  newlines: number;
}

/** The one line a version's changes touched, or 'many'. */
type ChangedLine = number | 'many';

function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

export class SourceRereads {
  /** The last read of each tracked document. */
  private readonly lastReads = new Map<string, SourceRead>();
  /** Per tracked document, for each version applied since its last read: the line its changes touched. */
  private readonly changeHistory = new Map<string, { version: number; line: ChangedLine }[]>();

  constructor(private readonly log: (message: string) => void) {}

  /** Start noting the changes of an opened source. */
  track(uri: string): void {
    this.changeHistory.set(uri, []);
  }

  forget(uri: string): void {
    this.lastReads.delete(uri);
    this.changeHistory.delete(uri);
  }

  noteChanges(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const history = this.changeHistory.get(uri);
    if (!history) return;
    let line: ChangedLine | undefined;
    for (const c of changes) {
      const oneLine = 'range' in c && c.range.start.line === c.range.end.line && !/[\r\n]/.test(c.text);
      line = !oneLine || (line !== undefined && line !== c.range.start.line) ? 'many' : c.range.start.line;
      if (line === 'many') break;
    }
    if (line !== undefined) history.push({ version, line });
  }

  /**
   * parseDocument of the source `document` is at `version` (its current one), or the last read
   * with the one line changed since then read again; remembered for the next version.
   */
  read(document: TextDocument, version: number, fileName: string, content: string): ParsedDocument {
    const line = this.changedLine(document.uri, version);
    const base = this.lastReads.get(document.uri);
    let doc: ParsedDocument | undefined;
    let newlines: number | undefined;
    if (line !== 'many' && base && document.lineCount === base.newlines + 1) {
      if (line === undefined && base.doc.text === content) doc = base.doc;
      else if (typeof line === 'number') {
        doc = rereadSourceLine(base.doc, content, line, (l) => document.offsetAt({ line: l, character: 0 }));
        if (doc) this.log(`read ${fileName} v${version} again at line ${line + 1} only`);
      }
      if (doc) newlines = base.newlines;
    }
    doc ??= parseDocument(fileName, content);
    this.remember(document.uri, version, doc, newlines);
    return doc;
  }

  /** The changes since the last read: the one line they all touched, 'many', or none. */
  private changedLine(uri: string, version: number): ChangedLine | undefined {
    const base = this.lastReads.get(uri);
    const history = this.changeHistory.get(uri);
    if (!base || !history) return 'many';
    let line: ChangedLine | undefined;
    for (const h of history) {
      if (h.version <= base.version || h.version > version) continue;
      line = line === undefined || line === h.line ? h.line : 'many';
    }
    return line;
  }

  private remember(uri: string, version: number, doc: ParsedDocument, newlines: number | undefined): void {
    const history = this.changeHistory.get(uri);
    if (doc.form !== 'source' || !history) return;
    this.lastReads.set(uri, { version, doc, newlines: newlines ?? countNewlines(doc.text) });
    this.changeHistory.set(uri, history.filter((h) => h.version > version));
  }
}
