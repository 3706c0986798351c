// Runs every rule over a table and resolves severities: the reporter's own, else the rule's
// default for the table's form, then the user's setting (which may turn a rule off).

import { DeferredFinding, type Finding, type Severity, type SeveritySetting } from '../table/finding';
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
  const binary = table.form === 'binary';
  const out: ResolvedFinding[] = [];
  // The reader's findings belong to the document (the next analysis of it reads them again): copies.
  for (const f of readerFindings) {
    const setting = severities[f.rule];
    if (setting === 'off') continue;
    out.push({ ...f, severity: setting ?? f.severity ?? defaultSeverity(f.rule, table) });
  }
  for (const rule of options.rules ?? ALL_RULES) {
    if (severities[rule.meta.id] === 'off') continue;
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (error) {
      // One broken rule must not take the others down; say which one failed.
      found = [{ rule: rule.meta.id, severity: 'error', offset: 0, message: `Internal error in rule ${rule.meta.id}: ${(error as Error).message}` }];
    }
    // A rule's findings are new objects made by this check: they get their severity in place,
    // which keeps their properties in the order a copy would have ({ ...f, severity }) and spares
    // copying tens of thousands of them. A loop, not push(...found): spreading that many
    // arguments is slow and past about 100,000 overflows the stack. They nearly all carry the
    // rule's own id: the setting and the default are looked up once per run of one id.
    let id: string | undefined;
    let setting: SeveritySetting | undefined;
    let byDefault: Severity | undefined;
    for (let i = 0; i < found.length; i++) {
      // A binary table's findings are copied to give them places in its listing (document.ts),
      // and a copy keeps only own properties: they get their related locations and fixes now.
      const f = binary && found[i] instanceof DeferredFinding ? (found[i] as DeferredFinding).toPlain() : found[i]!;
      if (f.rule !== id) {
        id = f.rule;
        setting = severities[id];
        byDefault = undefined;
      }
      if (setting === 'off') continue;
      f.severity = setting ?? f.severity ?? (byDefault ??= defaultSeverity(id, table));
      out.push(f as ResolvedFinding);
    }
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
