import type { Rule } from '../../rule';
import { rmrrBaseUnaligned } from '../rmrr-base-unaligned';
import { rmrrDrhdRegisters } from '../rmrr-drhd-registers';
import { rmrrExceedsHaw } from '../rmrr-exceeds-haw';
import { rmrrIovaConflict } from '../rmrr-iova-conflict';
import { rmrrLegacyArea } from '../rmrr-legacy-area';
import { rmrrLimitBeforeBase } from '../rmrr-limit-before-base';
import { rmrrLimitUnaligned } from '../rmrr-limit-unaligned';
import { rmrrMsiWindow } from '../rmrr-msi-window';
import { rmrrNoScope } from '../rmrr-no-scope';
import { rmrrNotReserved } from '../rmrr-not-reserved';
import { rmrrOverlap } from '../rmrr-overlap';

export const RMRR_RANGE_RULES: readonly Rule[] = [
  rmrrBaseUnaligned, rmrrLimitUnaligned, rmrrLimitBeforeBase, rmrrExceedsHaw, rmrrOverlap, rmrrNoScope,
  rmrrMsiWindow, rmrrDrhdRegisters, rmrrLegacyArea, rmrrNotReserved, rmrrIovaConflict,
];
