// The three report formats of `dmar check`: text for people, JSON for tools (a fixed shape,
// version 1), SARIF 2.1.0 for code scanning.

import type { ResolvedFinding } from '../analysis/runner';
import { ALL_RULES } from '../analysis/rules';
import { ruleDocUrl } from '../analysis/docs';

export interface FileReport {
  /** The path as the user gave it. */
  file: string;
  findings: ResolvedFinding[];
}

function position(f: ResolvedFinding): { line: number; column: number; endLine: number; endColumn: number } {
  const r = f.range;
  if (!r) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function formatText(reports: readonly FileReport[]): string {
  let out = '';
  for (const chunk of textReportChunks(reports)) out += chunk;
  return out;
}

/**
 * The text report in pieces of about `linesPerChunk` lines, each ending with a newline: a
 * report of tens of thousands of findings is written as it is made, never held whole.
 */
export function* textReportChunks(reports: readonly FileReport[], linesPerChunk = 2000): Generator<string> {
  // A chunk is one join of the lines' pieces (`file:line:col severity message [rule]`): no string
  // is made per line, and the messages (trees of shared pieces) are copied once, into the chunk.
  let parts: (string | number)[] = [];
  let lines = 0;
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) {
    const fileColon = r.file + ':';
    const findings = r.findings;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      const start = f.range?.start;
      counts[f.severity]++;
      parts.push(fileColon, start ? start.line + 1 : 1, ':', start ? start.character + 1 : 1, ' ', f.severity, ' ', f.message, ' [', f.rule, ']\n');
      if (++lines >= linesPerChunk) {
        yield parts.join('');
        parts = [];
        lines = 0;
      }
    }
  }
  const files = reports.length === 1 ? '1 file' : `${reports.length} files`;
  parts.push(`${files} checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info, ${counts.hint} hint(s)\n`);
  yield parts.join('');
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify({
    version: 1,
    files: reports.map((r) => ({
      file: r.file,
      diagnostics: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, ...position(f) })),
    })),
  }, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

export function formatSarif(reports: readonly FileReport[], toolVersion: string): string {
  const rules = ALL_RULES.map((r) => ({
    id: r.meta.id,
    name: r.meta.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.meta.title },
    helpUri: ruleDocUrl(r.meta.id),
    // Code scanning ignores helpUri; the link has to be in the help text itself.
    help: { text: `${r.meta.title}. See ${ruleDocUrl(r.meta.id)}`, markdown: `${r.meta.title}.\n\n[Rule documentation: ${r.meta.id}](${ruleDocUrl(r.meta.id)})` },
    defaultConfiguration: { level: SARIF_LEVEL[r.meta.severity] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) => r.findings.map((f) => {
    const p = position(f);
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: toSarifUri(r.file) },
          region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: Math.max(p.endColumn, p.line === p.endLine ? p.column : 1) },
        },
      }],
    };
  }));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'dmar', informationUri: ruleDocUrl(undefined), version: toolVersion, semanticVersion: toolVersion, rules } },
      results,
    }],
  }, null, 2) + '\n';
}

/** SARIF wants URIs: relative paths stay relative (code scanning resolves them against the checkout). */
function toSarifUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
