// Expand selection: value -> line -> device scope -> structure -> table -> document.

import type { SelectionRange } from 'vscode-languageserver-types';
import { lineRange, valueRange, type Position, type TextRange } from '../table/model';
import { textTable, type FeatureContext } from './context';
import { nodeAt, rangeHolds } from './nodes';

function holds(outer: TextRange, inner: TextRange): boolean {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function same(a: TextRange, b: TextRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function documentRange(text: string): TextRange {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
}

export function selectionRange(ctx: FeatureContext, position: Position): SelectionRange {
  const table = textTable(ctx);
  const at = nodeAt(table, position);
  const value = at.field ? valueRange(at.field.loc) : undefined;
  const innermostFirst: (TextRange | undefined)[] = [
    value && rangeHolds(value, position, false) ? value : undefined,
    at.field ? lineRange(at.field.loc) : undefined,
    at.scope?.loc.range,
    at.structure?.loc.range,
    table.loc.range,
    documentRange(ctx.doc.text),
  ];
  let chain: SelectionRange | undefined;
  const kept: TextRange[] = [];
  for (const r of innermostFirst) {
    if (!r) continue;
    const inner = kept[kept.length - 1];
    if (inner && (same(inner, r) || !holds(r, inner))) continue;
    kept.push(r);
  }
  for (let i = kept.length - 1; i >= 0; i--) chain = { range: kept[i]!, parent: chain };
  return chain ?? { range: { start: position, end: position } };
}

export function selectionRanges(ctx: FeatureContext, positions: readonly Position[]): SelectionRange[] {
  return positions.map((p) => selectionRange(ctx, p));
}
