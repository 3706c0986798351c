import type { Rule } from '../../rule';

export const PASSTHROUGH_RULES: readonly Rule[] = [];
