import { DeferredFinding, type Finding, type Fix, type Location, type RelatedLocation } from '../../table/finding';
import { fieldLocOf, lineRange, sameTextRange, type DmarTable, type Rmrr } from '../../table/model';
import {
  HYPERV_DDA_MESSAGE, LINUX_DIRECT_MAPPING_MESSAGE, LINUX_RMRR_LOCK_MESSAGE, CLASS_HINT, classHintQuotesLabel, describeDevice, tableDevices,
  type AffectedDevice, type RmrrDevices,
} from '../devices';
import { formatRange } from '../format';
import { atNodeHeader } from '../locate';
import type { Rule } from '../rule';

const ID = 'rmrr-locks-passthrough';

export const OS_REFUSALS = `Linux 3.17-6.5 refuses to attach it to a VFIO domain ("${LINUX_RMRR_LOCK_MESSAGE}"), Linux 6.6+ as well ("${LINUX_DIRECT_MAPPING_MESSAGE}"), and Hyper-V DDA marks it not assignable ("${HYPERV_DDA_MESSAGE}")`;

// The constant parts of the message, joined once: a table can have tens of thousands of locked
// devices, and each message is then a few concatenations of shared strings (which V8 keeps as a
// small tree over them, not as a copy of the 1.2 KB).
const AFTER_DEVICE = `${OS_REFUSALS}; its whole IOMMU group stays with the host.`;
const UNKNOWN_CLASS = ' Its class is unknown, so it counts as locked (USB and display controllers would be exempt on Linux): ';
const REMEDY = ' If the device does not DMA into this range once the OS runs, drop it from the scope (stop pre-boot DMA at ExitBootServices instead).';
const LOCKS_OUT = ' out of passthrough: ';
const BELOW_LOCKS = ' below it (Linux 5.3+) and locks it out of passthrough: ';
const KNOWN_CLASS_END = AFTER_DEVICE + REMEDY;
const UNKNOWN_CLASS_START = AFTER_DEVICE + UNKNOWN_CLASS;
const UNKNOWN_CLASS_END = '.' + REMEDY;

/**
 * What follows the device's description: for a device named directly (`LOCKS_OUT`) or below a
 * bridge (`BELOW_LOCKS`), with its class known, or unknown and the hint quoting the label or not.
 * Joined once, so a message is the RMRR's part, the description and one or three more pieces.
 */
function messageEnds(lead: string): { known: string; unknownBeforeLabel: string; unknownAfterLabel: string; unknownNoLabel: string } {
  return {
    known: flat(lead + KNOWN_CLASS_END),
    unknownBeforeLabel: flat(lead + UNKNOWN_CLASS_START + CLASS_HINT.beforeLabel),
    unknownAfterLabel: flat(CLASS_HINT.afterLabel + UNKNOWN_CLASS_END),
    unknownNoLabel: flat(lead + UNKNOWN_CLASS_START + CLASS_HINT.forPath + UNKNOWN_CLASS_END),
  };
}

const DIRECT_ENDS = messageEnds(LOCKS_OUT);
const BELOW_BRIDGE_ENDS = messageEnds(BELOW_LOCKS);

/** A string built from pieces, copied into one: a few dozen bytes instead of a tree of them. */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * atStructure() of locate.ts, reading only the structure's Type field: building the whole
 * `loc.fields` of every RMRR of a large source (see model.ts lazyFieldsLoc) only to point at its
 * first line doubled the memory this rule leaves behind.
 */
function rmrrHeader(rmrr: Rmrr): Location {
  const type = fieldLocOf(rmrr.loc, 'type');
  return { range: (type ? lineRange(type) : undefined) ?? rmrr.loc.range, offset: rmrr.loc.offset, width: type?.width ?? 1 };
}

function removeRmrr(index: number): (t: DmarTable) => void {
  return (t) => { t.structures.splice(index, 1); };
}

function removalFixes(r: RmrrDevices, d: AffectedDevice): Fix[] {
  const { index } = r;
  const j = d.scopeIndex;
  if (r.rmrr.scopes.length <= 1) {
    return [{ title: `Remove this RMRR (${d.viaBridge ? `bridge ${d.viaBridge}` : d.label} is its only device)`, apply: removeRmrr(index) }];
  }
  const what = d.viaBridge ? `the bridge scope ${d.viaBridge} (and with it every device below it)` : d.label;
  return [
    {
      title: `Remove ${what} from this RMRR's scope`,
      apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.scopes.splice(j, 1); },
    },
    { title: 'Remove this RMRR', apply: removeRmrr(index) },
  ];
}

/**
 * One locked device. Its related location (the RMRR's header line) and its fixes are made only
 * when someone reads them: the CLI reads neither, and a table can lock tens of thousands of devices.
 */
class LockedDeviceFinding extends DeferredFinding {
  readonly #rmrr: RmrrDevices;
  readonly #device: AffectedDevice;
  /** The RMRR's range as the message gives it. */
  readonly #range: string;
  /** The message is #head + #end, or with the class hint quoting the label: #head + #end + #label + #afterLabel. */
  readonly #head: string;
  readonly #end: string;
  readonly #label: string | undefined;
  readonly #afterLabel: string | undefined;
  readonly #builtLength: number;

  constructor(r: RmrrDevices, d: AffectedDevice, range: string, head: string, end: string, label?: string, afterLabel?: string) {
    // atScope(d.scope), written out: no Location object per finding.
    const loc = d.scope.loc;
    super(ID, loc.range ?? atNodeHeader(loc).range, loc.offset, d.scope.length, label === undefined ? head + end : head + end + label + afterLabel!);
    this.#rmrr = r;
    this.#device = d;
    this.#range = range;
    this.#head = head;
    this.#end = end;
    this.#label = label;
    this.#afterLabel = afterLabel;
    this.#builtLength = this.message.length;
  }

  // removalFixes reads the RMRR's index and scopes, the device's scope index, bridge and label.
  protected override sameLocationMessageAndFixes(other: LockedDeviceFinding): boolean {
    const r = this.#rmrr;
    const q = other.#rmrr;
    const d = this.#device;
    const e = other.#device;
    return r.rmrr === q.rmrr && r.index === q.index && d.scopeIndex === e.scopeIndex && d.viaBridge === e.viaBridge && d.label === e.label
      && this.offset === other.offset && this.width === other.width && sameTextRange(this.range, other.range)
      && this.sameMessageAs(other);
  }

  // The ends (and what follows the label) are the constants every locked device shares.
  override messageParts(): readonly string[] | undefined {
    if (this.message.length !== this.#builtLength) return undefined;
    return this.#label === undefined ? [this.#head, this.#end] : [this.#head, this.#end, this.#label, this.#afterLabel!];
  }

  // Compared part by part: the ends are the shared constants above (one object each, so equal
  // ones compare at once), and only the short heads are read, not the 1.2 KB messages. The
  // lengths (known without reading) guard against a message assigned since.
  override sameMessageAs(other: Finding): boolean {
    return other instanceof LockedDeviceFinding && other.#end === this.#end && other.#label === this.#label
      && this.message.length === this.#builtLength && other.message.length === other.#builtLength && other.#head === this.#head;
  }

  protected override makeRelated(): RelatedLocation[] {
    const at = rmrrHeader(this.#rmrr.rmrr);
    return [{ range: at.range, offset: at.offset, width: at.width, message: `the RMRR ${this.#range}` }];
  }

  // makeRelated reads the RMRR structure (an edit elsewhere keeps the same object) and the range text.
  protected override relatedMadeAlike(other: LockedDeviceFinding): boolean {
    return other.#rmrr.rmrr === this.#rmrr.rmrr && other.#range === this.#range;
  }

  protected override makeFixes(): Fix[] {
    return removalFixes(this.#rmrr, this.#device);
  }
}

export const rmrrLocksPassthrough: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'An RMRR locks a device out of passthrough (VFIO, VM device assignment)',
  },
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = tableDevices(ctx).rmrrs;
    for (let i = 0; i < rmrrs.length; i++) {
      const r = rmrrs[i]!;
      if (r.lockedCount === 0) continue;
      // Per RMRR, not per device: its range text.
      const range = flat(formatRange(r.rmrr.base, r.rmrr.limit));
      let locks: string | undefined;
      const devices = r.devices;
      for (let k = 0; k < devices.length; k++) {
        const d = devices[k]!;
        if (!d.locked || d.belowUnknown) continue;
        // The RMRR and the device, then what follows the device: AFTER_DEVICE, (unknown class:
        // UNKNOWN_CLASS + classHint + '.'), REMEDY.
        const head = d.viaBridge
          ? `This RMRR (${range}) names bridge ${d.viaBridge} as a sub-hierarchy, which covers ${describeDevice(d)}`
          : (locks ??= 'This RMRR (' + range + ') locks ') + describeDevice(d);
        const ends = d.viaBridge ? BELOW_BRIDGE_ENDS : DIRECT_ENDS;
        let finding: LockedDeviceFinding;
        if (d.classSource !== 'unknown') finding = new LockedDeviceFinding(r, d, range, head, ends.known);
        else if (!classHintQuotesLabel(d.label)) finding = new LockedDeviceFinding(r, d, range, head, ends.unknownNoLabel);
        else finding = new LockedDeviceFinding(r, d, range, head, ends.unknownBeforeLabel, d.label, ends.unknownAfterLabel);
        out.push(finding);
      }
    }
    return out;
  },
};
