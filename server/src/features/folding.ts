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

/**
 * `/* ... *\/` comments over several lines. The raw dump's ASCII column may hold anything, so its
 * rows are skipped. Lines are read as blockCommentsByLine reads them, but only the lines that can
 * change something are looked at: one holding a `/*` while no comment is open, one holding a `*\/`
 * while one is. Editors ask for folding after every edit, and splitting a 6.9 MB table into its
 * 170,000 lines took 40-60 ms and 10 MB each time; a table without comments is now one search.
 */
export function blockComments(text: string, skip?: TextRange): FoldingRange[] {
  const out: FoldingRange[] = [];
  let openLine = -1;
  // The line holding `from`: its number and where it starts, counted forward from the last one.
  let line = 0;
  let lineStart = 0;
  const lineAt = (offset: number): void => {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < offset; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
  };
  let from = 0;
  for (;;) {
    const at = text.indexOf(openLine < 0 ? '/*' : '*/', from);
    if (at < 0) break;
    lineAt(at);
    const end = text.indexOf('\n', lineStart);
    const lineEnd = end < 0 ? text.length : end;
    if (!(skip && line > skip.start.line && line <= skip.end.line)) {
      openLine = scanLine(text.slice(lineStart, lineEnd), line, openLine, out);
    }
    if (end < 0) break;
    from = end + 1;
  }
  return out;
}

/** One line of blockCommentsByLine's loop: the comment open after it (its first line), or -1. */
function scanLine(s: string, line: number, openLine: number, out: FoldingRange[]): number {
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
  return openLine;
}

/** blockComments, reading every line: what it must give (the tests hold it to this). */
export function blockCommentsByLine(text: string, skip?: TextRange): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = text.split('\n');
  let openLine = -1;
  for (let line = 0; line < lines.length; line++) {
    if (skip && line > skip.start.line && line <= skip.end.line) continue;
    openLine = scanLine(lines[line]!, line, openLine, out);
  }
  return out;
}
