// Runs every rule over a table and resolves severities: the reporter's own, else the rule's
// default for the table's form, then the user's setting (which may turn a rule off).

import type { Finding, Severity, SeveritySetting } from '../table/finding';
import type { DmarTable } from '../table/model';
import { emptyPlatform, type Platform } from './platform';
import { resolveProfiles, type IovaProfile } from './iova-profiles';
import type { Rule } from './rule';
import { ALL_RULES, RULES_BY_ID } from './rules';

export interface AnalyzeOptions {
  platform?: Platform;
  profiles?: readonly IovaProfile[];
  /** Per rule id: a severity or 'off'. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  rules?: readonly Rule[];
}

export interface ResolvedFinding extends Finding {
  severity: Severity;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function defaultSeverity(ruleId: string, table: DmarTable): Severity {
  const meta = RULES_BY_ID.get(ruleId)?.meta;
  if (!meta) return 'error';
  return table.form === 'binary' ? meta.binarySeverity ?? meta.severity : meta.severity;
}

export function analyze(table: DmarTable, readerFindings: readonly Finding[], options: AnalyzeOptions = {}): ResolvedFinding[] {
  const ctx = {
    table,
    platform: options.platform ?? emptyPlatform(),
    profiles: options.profiles ?? resolveProfiles(undefined).profiles,
  };
  const severities = options.severities ?? {};
  const raw: Finding[] = [...readerFindings];
  for (const rule of options.rules ?? ALL_RULES) {
    if (severities[rule.meta.id] === 'off') continue;
    try {
      // A loop, not push(...found): spreading tens of thousands of findings as arguments is slow
      // and past about 100,000 overflows the stack.
      for (const f of rule.check(ctx)) raw.push(f);
    } catch (error) {
      // One broken rule must not take the others down; say which one failed.
      raw.push({ rule: rule.meta.id, severity: 'error', offset: 0, message: `Internal error in rule ${rule.meta.id}: ${(error as Error).message}` });
    }
  }
  const out: ResolvedFinding[] = [];
  for (const f of raw) {
    const setting = severities[f.rule];
    if (setting === 'off') continue;
    out.push({ ...f, severity: setting ?? f.severity ?? defaultSeverity(f.rule, table) });
  }
  return out.sort(compareFindings);
}

function compareFindings(a: ResolvedFinding, b: ResolvedFinding): number {
  const la = a.range?.start.line ?? 0;
  const lb = b.range?.start.line ?? 0;
  if (la !== lb) return la - lb;
  const oa = a.offset ?? 0;
  const ob = b.offset ?? 0;
  if (oa !== ob) return oa - ob;
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}
