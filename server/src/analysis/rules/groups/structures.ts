import type { Rule } from '../../rule';
import { anddName } from '../andd-name';
import { anddUnreferenced } from '../andd-unreferenced';
import { atsrAllPortsMultiple } from '../atsr-all-ports-multiple';
import { drhdBaseInvalid } from '../drhd-base-invalid';
import { drhdBaseUnaligned } from '../drhd-base-unaligned';
import { drhdDuplicate } from '../drhd-duplicate';
import { drhdNoScope } from '../drhd-no-scope';
import { hawInvalid } from '../haw-invalid';
import { includeAllMultiple } from '../include-all-multiple';
import { includeAllNotLast } from '../include-all-not-last';
import { intrRemapNoIoapic } from '../intr-remap-no-ioapic';
import { noDrhd } from '../no-drhd';
import { platformOptIn } from '../platform-opt-in';
import { rhsaUnknownDrhd } from '../rhsa-unknown-drhd';
import { scopeDuplicate } from '../scope-duplicate';
import { scopeEntryLength } from '../scope-entry-length';
import { scopeNotTranslated } from '../scope-not-translated';
import { scopeTypeInvalid } from '../scope-type-invalid';
import { x2apicOptOut } from '../x2apic-opt-out';

/** Table header, DRHD, device scope and other-structure rules (rules.md, in its order). */
export const STRUCTURE_RULES: readonly Rule[] = [
  hawInvalid, noDrhd, x2apicOptOut, platformOptIn,
  drhdBaseInvalid, drhdBaseUnaligned, drhdDuplicate, includeAllMultiple, includeAllNotLast, drhdNoScope, intrRemapNoIoapic,
  scopeEntryLength, scopeTypeInvalid, scopeDuplicate, scopeNotTranslated,
  rhsaUnknownDrhd, anddName, anddUnreferenced, atsrAllPortsMultiple,
];
