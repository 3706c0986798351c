// A rule: its metadata beside its check. Rules read the model and the context and return
// findings; they never print and never touch text (fixes change a copy of the model).

import type { Finding, Severity } from '../table/finding';
import type { DmarTable } from '../table/model';
import type { Platform } from './platform';
import type { IovaProfile } from './iova-profiles';

export type RuleNeeds = 'memory-map' | 'pci' | 'madt';

export interface RuleMeta {
  /** The public id (rules.md); diagnostics carry it as `code`. */
  id: string;
  /** Default severity. */
  severity: Severity;
  /** Default severity for binary tables where it differs (an OS reads a binary as it is). */
  binarySeverity?: Severity;
  /** One line: what the rule checks. */
  title: string;
  /** Whether findings can carry fixes. */
  fixable: boolean;
  /** Platform context the rule needs; without it the rule stays silent. */
  needs?: RuleNeeds;
}

export interface AnalysisContext {
  table: DmarTable;
  platform: Platform;
  profiles: readonly IovaProfile[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: AnalysisContext): Finding[];
}

/** Rules whose findings come from a reader or the editor, not from a check over the model. */
export function reportedElsewhere(meta: RuleMeta): Rule {
  return { meta, check: () => [] };
}

/** Each item whose key an earlier item already had, with that first item; items keyed undefined take no part. */
export function* repeats<T, K>(items: Iterable<T>, keyOf: (item: T) => K | undefined): Generator<[repeat: T, first: T]> {
  const first = new Map<K, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, item);
    else yield [item, earlier];
  }
}
