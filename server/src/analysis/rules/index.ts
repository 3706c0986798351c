// Every rule, by group. Each group file lists its rules; each rule is one file named after its id.

import type { Rule } from '../rule';
import { ENCODING_RULES } from './groups/encoding';
import { STRUCTURE_RULES } from './groups/structures';
import { RMRR_RANGE_RULES } from './groups/rmrr-ranges';
import { PASSTHROUGH_RULES } from './groups/passthrough';

export const ALL_RULES: readonly Rule[] = [...ENCODING_RULES, ...STRUCTURE_RULES, ...RMRR_RANGE_RULES, ...PASSTHROUGH_RULES];
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
