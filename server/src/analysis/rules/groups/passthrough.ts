import type { Rule } from '../../rule';
import { ioapicIdMismatch } from '../ioapic-id-mismatch';
import { rmrrBridgeScope } from '../rmrr-bridge-scope';
import { rmrrLocksPassthrough } from '../rmrr-locks-passthrough';
import { rmrrNamespaceScope } from '../rmrr-namespace-scope';
import { rmrrRelaxable } from '../rmrr-relaxable';
import { rmrrShared } from '../rmrr-shared';
import { scopeDeviceAbsent } from '../scope-device-absent';
import { scopeTypeMismatch } from '../scope-type-mismatch';

export const PASSTHROUGH_RULES: readonly Rule[] = [
  rmrrLocksPassthrough, rmrrRelaxable, rmrrBridgeScope, rmrrShared, rmrrNamespaceScope,
  scopeDeviceAbsent, scopeTypeMismatch, ioapicIdMismatch,
];
