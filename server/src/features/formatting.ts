// Formatting: re-align every field line as iasl aligns it, in the document's own prefix style, with
// offsets recomputed. Line by line rather than re-printing the table, so comments, blank lines, the
// decoded names and the Raw Table Data block stay as they are. A document the reader could not
// follow (syntax or field-order findings) is left alone: its offsets would be guesses.

import type { TextEdit } from 'vscode-languageserver-types';
import { lexSource } from '../table/source-reader';
import { detectPrefixStyle, fieldLine } from '../table/source-writer';
import type { FeatureContext } from './context';
import { fieldsWithText } from './nodes';

const UNFOLLOWABLE = new Set(['syntax', 'field-order']);

export function formattingEdits(ctx: FeatureContext): TextEdit[] {
  if (ctx.doc.form !== 'source') return [];
  if (ctx.doc.readerFindings.some((f) => UNFOLLOWABLE.has(f.rule))) return [];
  const text = ctx.doc.text;
  const style = detectPrefixStyle(text);
  const lines = text.split('\n');

  // Where each field line sits in the table, from the model; the second line of a field newer
  // iasl splits in two (scope `Flags` + `Reserved`) follows its first.
  const placeByLine = new Map<number, { offset: number; width: number; secondPart?: { names: readonly string[]; offset: number; width: number } }>();
  for (const f of fieldsWithText(ctx.doc.table)) {
    const parts = f.spec?.parts;
    const name = lines[f.loc.line!]!.slice(f.loc.nameStart, f.loc.nameEnd);
    if (parts && parts[0]!.names.includes(name)) {
      placeByLine.set(f.loc.line!, { offset: f.loc.offset, width: parts[0]!.width, secondPart: { names: parts[1]!.names, offset: f.loc.offset + parts[0]!.width, width: parts[1]!.width } });
    } else {
      placeByLine.set(f.loc.line!, { offset: f.loc.offset, width: f.loc.width });
    }
  }

  const edits: TextEdit[] = [];
  let pendingPart: { names: readonly string[]; offset: number; width: number } | undefined;
  for (const token of lexSource(text).tokens) {
    let place: { offset: number; width: number } | undefined = placeByLine.get(token.line);
    if (place) pendingPart = placeByLine.get(token.line)!.secondPart;
    else if (pendingPart?.names.includes(token.name)) { place = pendingPart; pendingPart = undefined; }
    if (!place) continue;
    const raw = lines[token.line]!;
    const cr = raw.endsWith('\r') ? '\r' : '';
    const line = cr ? raw.slice(0, -1) : raw;
    // Text left of the field (a comment) would be lost by re-printing the line: leave such lines be.
    if (line.slice(0, token.lineStart).trim() !== '') continue;
    const rest = line.slice(token.valueStart).trimEnd();
    const aligned = fieldLine(place.offset, place.width, token.name, rest, style);
    if (aligned !== line.trimEnd() || line !== line.trimEnd()) {
      edits.push({ range: { start: { line: token.line, character: 0 }, end: { line: token.line, character: line.length } }, newText: aligned });
    }
  }
  return edits;
}
