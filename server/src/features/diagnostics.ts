// Findings -> LSP diagnostics, and back: a code action request carries diagnostics, and their
// `data` says which finding they came from, so the fix (a function, which JSON cannot carry) can
// be found again in the findings recomputed for the same document version.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ResolvedFinding } from '../analysis/runner';
import { ruleDocUrl } from '../analysis/docs';
import { formatSize } from '../analysis/format';
import type { Severity, SeveritySetting } from '../table/finding';
import type { TextRange } from '../table/model';
import { RULES_BY_ID } from '../analysis/rules';

export const DIAGNOSTIC_SOURCE = 'dmar';
export const FILE_TOO_LARGE = 'file-too-large';

/** What a diagnostic carries so the finding behind it can be found again. */
export interface DiagnosticData {
  version: number;
  index: number;
  rule: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const START: TextRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export interface DiagnosticOptions {
  /**
   * Whether to send the findings' related locations (LSP relatedInformation). Default true; the
   * server sends them to clients that announce `publishDiagnostics.relatedInformation`.
   */
  relatedInformation?: boolean;
  /** The rule's documentation link; default ruleDocUrl (docs.ts). */
  docUrl?: (rule: string) => string;
}

export function toDiagnostic(finding: ResolvedFinding, index: number, uri: string, version: number, options: DiagnosticOptions = {}): Diagnostic {
  const range = finding.range ?? START;
  const data: DiagnosticData = { version, index, rule: finding.rule };
  const diagnostic: Diagnostic = {
    range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: (options.docUrl ?? ruleDocUrl)(finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
  if (finding.related?.length && options.relatedInformation !== false) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri, range: r.range ?? range }, message: r.message }));
  }
  return diagnostic;
}

export function toDiagnostics(findings: readonly ResolvedFinding[], uri: string, version: number, options: DiagnosticOptions = {}): Diagnostic[] {
  // One link string per rule, not per finding: a large table has tens of thousands of findings of
  // a handful of rules.
  const links = new Map<string, string>();
  const docUrl = options.docUrl ?? ((rule: string) => {
    let href = links.get(rule);
    if (href === undefined) links.set(rule, href = ruleDocUrl(rule));
    return href;
  });
  const resolved = { ...options, docUrl };
  return findings.map((f, i) => toDiagnostic(f, i, uri, version, resolved));
}

function sameRange(a: TextRange | undefined, b: TextRange): boolean {
  const r = a ?? START;
  return r.start.line === b.start.line && r.start.character === b.start.character && r.end.line === b.end.line && r.end.character === b.end.character;
}

function isDiagnosticData(data: unknown): data is DiagnosticData {
  const d = data as DiagnosticData | undefined;
  return !!d && typeof d.version === 'number' && typeof d.index === 'number' && typeof d.rule === 'string';
}

/**
 * The finding a diagnostic was made from: by index when the findings are of the same document
 * version, else (or when the client dropped `data`) by rule, range and message.
 */
export function findingOf(diagnostic: Diagnostic, findings: readonly ResolvedFinding[], version: number): ResolvedFinding | undefined {
  if (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data;
  if (isDiagnosticData(data) && data.version === version) {
    const f = findings[data.index];
    if (f && f.rule === data.rule) return f;
  }
  const rule = isDiagnosticData(data) ? data.rule : String(diagnostic.code ?? '');
  return findings.find((f) => f.rule === rule && sameRange(f.range, diagnostic.range) && f.message === diagnostic.message)
    ?? findings.find((f) => f.rule === rule && sameRange(f.range, diagnostic.range));
}

/**
 * The one finding for a document too large to analyse live, or none when the user turned the
 * rule off. It says how to raise the limit: live analysis of tens of megabytes would stall typing.
 */
export function fileTooLargeFinding(size: number, limit: number, severities: Readonly<Record<string, SeveritySetting>> = {}): ResolvedFinding | undefined {
  const setting = severities[FILE_TOO_LARGE];
  if (setting === 'off') return undefined;
  const severity = setting ?? RULES_BY_ID.get(FILE_TOO_LARGE)?.meta.severity ?? 'warning';
  return {
    rule: FILE_TOO_LARGE,
    severity,
    range: START,
    message: `This document is ${formatSize(BigInt(size))} (${size} bytes), more than the ${formatSize(BigInt(limit))} (${limit} bytes) limit for live analysis, so the editor checks nothing else in it. `
      + `To analyse it here, raise the limit (in bytes) with the \`dmar.maxFileSize\` setting or \`"maxFileSize"\` in .dmarrc.json; `
      + `or check it on the command line with \`dmar check\`, which has no limit.`,
  };
}
