// Code actions: a quick fix per fix of each finding, and `source.fixAll.dmar`, which applies every
// safe fix. A fix is a change to the model (table/finding.ts); the document's form turns it into
// text edits. Binaries are read-only listings, so they get none.

import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { analyzeDocument, parseDocument } from '../document';
import { applyTextEdits, fixEditsForSource } from '../table/fix-edits';
import { fixEditsForJson } from '../table/json-fix-edits';
import type { Fix } from '../table/finding';
import type { DmarTable, SourceForm } from '../table/model';
import type { ResolvedFinding } from '../analysis/runner';
import type { FeatureContext } from './context';
import { findingOf } from './diagnostics';

export const FIX_ALL_KIND = 'source.fixAll.dmar';
/** Fix-all re-reads and re-analyses after every fix; a fix that uncovers another gets this many rounds. */
export const FIX_ALL_ROUNDS = 32;

type FixEdits = (text: string, table: DmarTable, fix: Fix) => TextEdit[];

/** Sources and JSON documents; binaries are read-only listings. */
function fixEditsFor(form: SourceForm): FixEdits | undefined {
  return form === 'source' ? fixEditsForSource : form === 'json' ? fixEditsForJson : undefined;
}

/** One quick fix per fix of each diagnostic's finding. */
export function quickFixes(ctx: FeatureContext, uri: string, version: number, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const editsOf = fixEditsFor(ctx.doc.form);
  if (!editsOf) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const finding = findingOf(diagnostic, ctx.findings, version);
    for (const fix of finding?.fixes ?? []) {
      const edits = editsOf(ctx.doc.text, ctx.doc.table, fix);
      if (edits.length === 0) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [uri]: edits } },
      });
    }
  }
  return actions;
}

function firstSafeFix(f: ResolvedFinding): Fix | undefined {
  return f.fixes?.find((x) => x.safe);
}

export function hasSafeFixes(ctx: FeatureContext): boolean {
  return fixEditsFor(ctx.doc.form) !== undefined && ctx.findings.some((f) => firstSafeFix(f));
}

/**
 * The text after applying every safe fix. Fixes are applied one at a time, each to a fresh read
 * of the text so far, because one fix moves the text (and the findings) another points at.
 */
export function textWithSafeFixes(ctx: FeatureContext, maxRounds = FIX_ALL_ROUNDS): string {
  const editsOf = fixEditsFor(ctx.doc.form);
  if (!editsOf) return ctx.doc.text;
  let text = ctx.doc.text;
  let doc = ctx.doc;
  let findings = ctx.findings;
  // A fix that changes nothing would be found again every round: remember it and move on.
  const fruitless = new Set<string>();
  for (let round = 0; round < maxRounds; round++) {
    const finding = findings.find((f) => firstSafeFix(f) && !fruitless.has(findingKey(f)));
    if (!finding) break;
    const next = applyTextEdits(text, editsOf(text, doc.table, firstSafeFix(finding)!));
    if (next === text) { fruitless.add(findingKey(finding)); continue; }
    text = next;
    doc = parseDocument(ctx.fileName, text);
    findings = analyzeDocument(doc, ctx.options);
  }
  return text;
}

function findingKey(f: ResolvedFinding): string {
  return `${f.rule}@${f.range?.start.line}:${f.range?.start.character}:${f.message}`;
}

export function fixAllEdits(ctx: FeatureContext, maxRounds = FIX_ALL_ROUNDS): TextEdit[] {
  return changedLinesEdit(ctx.doc.text, textWithSafeFixes(ctx, maxRounds));
}

export function fixAllAction(ctx: FeatureContext, uri: string, withEdit: boolean): CodeAction {
  const action: CodeAction = { title: 'Apply all safe DMAR fixes', kind: FIX_ALL_KIND };
  if (withEdit) action.edit = { changes: { [uri]: fixAllEdits(ctx) } };
  return action;
}

/** One edit replacing the run of lines that differ, so the editor keeps everything around it. */
export function changedLinesEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  let prefix = 0;
  while (prefix < a.length - 1 && prefix < b.length - 1 && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix - 1 && suffix < b.length - prefix - 1 && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  if (suffix === 0) {
    // The last line differs: replace up to the very end of the text.
    const last = a.length - 1;
    return [{ range: { start: { line: prefix, character: 0 }, end: { line: last, character: a[last]!.length } }, newText: b.slice(prefix).join('\n') }];
  }
  return [{
    range: { start: { line: prefix, character: 0 }, end: { line: a.length - suffix, character: 0 } },
    newText: b.slice(prefix, b.length - suffix).map((l) => l + '\n').join(''),
  }];
}
