import type { Rule } from '../../rule';

export const RMRR_RANGE_RULES: readonly Rule[] = [];
