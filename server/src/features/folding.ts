// Folding: the table header, each structure, each device scope, the Raw Table Data block, and
// block comments that span lines.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { TextRange } from '../table/model';
import { textTable, type FeatureContext } from './context';
import { tableHeaderRange } from './nodes';

function region(range: TextRange | undefined, kind?: FoldingRangeKind): FoldingRange | undefined {
  if (!range || range.end.line <= range.start.line) return undefined;
  return kind ? { startLine: range.start.line, endLine: range.end.line, kind } : { startLine: range.start.line, endLine: range.end.line };
}

export function foldingRanges(ctx: FeatureContext): FoldingRange[] {
  const table = textTable(ctx);
  const ranges: (FoldingRange | undefined)[] = [region(tableHeaderRange(table))];
  for (const s of table.structures) {
    ranges.push(region(s.loc.range));
    if ('scopes' in s) for (const scope of s.scopes) ranges.push(region(scope.loc.range));
  }
  const raw = table.rawData?.loc.range;
  ranges.push(region(raw));
  if (table.form !== 'json') ranges.push(...blockComments(ctx.doc.text, raw));
  return ranges.filter((r): r is FoldingRange => r !== undefined);
}

/** `/* ... *\/` comments over several lines. The raw dump's ASCII column may hold anything, so its rows are skipped. */
export function blockComments(text: string, skip?: TextRange): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = text.split('\n');
  let openLine = -1;
  for (let line = 0; line < lines.length; line++) {
    if (skip && line > skip.start.line && line <= skip.end.line) continue;
    const s = lines[line]!;
    let i = 0;
    let inString = false;
    while (i < s.length) {
      if (openLine >= 0) {
        const close = s.indexOf('*/', i);
        if (close < 0) break;
        if (line > openLine) out.push({ startLine: openLine, endLine: line, kind: FoldingRangeKind.Comment });
        openLine = -1;
        i = close + 2;
        continue;
      }
      const c = s[i];
      if (c === '"') inString = !inString;
      else if (!inString && c === '/' && s[i + 1] === '/') break;
      else if (!inString && c === '/' && s[i + 1] === '*') { openLine = line; i += 2; continue; }
      i++;
    }
  }
  return out;
}
