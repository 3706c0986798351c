// The status bar item's words: the server state and, for the active DMAR editor, what its
// diagnostics say. Pure (no `vscode` import) so the tests can pin it.

export type ServerState = 'starting' | 'ready' | 'error' | 'stopped';

/** The parts of a vscode.Diagnostic this needs; severity as vscode.DiagnosticSeverity (Error = 0). */
export interface DiagnosticLike {
  severity: number;
  source?: string;
  code?: string | number | { value: string | number };
}

export interface FindingCounts {
  errors: number;
  warnings: number;
  /** rmrr-locks-passthrough diagnostics: one per locked (device, RMRR) pair. */
  locked: number;
}

export const DIAGNOSTIC_SOURCE = 'dmar';
export const LOCK_RULE = 'rmrr-locks-passthrough';

function codeOf(d: DiagnosticLike): string | undefined {
  if (d.code === undefined) return undefined;
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

export function countFindings(diagnostics: readonly DiagnosticLike[]): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, locked: 0 };
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    if (d.severity === 0) counts.errors++;
    else if (d.severity === 1) counts.warnings++;
    if (codeOf(d) === LOCK_RULE) counts.locked++;
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Text (with codicons) and tooltip; `counts` only when the active editor is a DMAR table. */
export function statusText(state: ServerState, counts?: FindingCounts, detail?: string): { text: string; tooltip: string } {
  const click = 'Click to show the DMAR output.';
  switch (state) {
    case 'starting':
      return { text: '$(sync~spin) DMAR', tooltip: `DMAR language server: starting. ${click}` };
    case 'error':
      return { text: '$(error) DMAR', tooltip: `DMAR language server: failed${detail ? ` (${detail})` : ''}. ${click}` };
    case 'stopped':
      return { text: '$(circle-slash) DMAR', tooltip: `DMAR language server: stopped. ${click}` };
    case 'ready':
      break;
  }
  if (!counts) return { text: '$(check) DMAR', tooltip: `DMAR language server: ready. ${click}` };
  const parts = [`$(error) ${counts.errors}`, `$(warning) ${counts.warnings}`];
  if (counts.locked > 0) parts.push(`$(lock) ${counts.locked}`);
  const said = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning')];
  if (counts.locked > 0) said.push(`${plural(counts.locked, `${LOCK_RULE} finding`)} (a device locked out of passthrough each)`);
  return { text: `DMAR ${parts.join(' ')}`, tooltip: `DMAR language server: ready. This table: ${said.join(', ')}. ${click}` };
}
