import type { Finding } from '../../table/finding';
import type { Rmrr } from '../../table/model';
import { formatMemoryMapEntry, isFirmwareReserved, linuxAcceptsRmrr, linuxMemmapReserveParameter, pageAligned } from '../context/memory-map';
import { formatRange, plural } from '../format';
import { atField } from '../locate';
import type { MemoryRegion, MemoryType } from '../platform';
import { analysisRmrrSpans, linuxBadRmrr, linuxRmrrRange, SpanIndex } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-not-reserved';

// VT-d spec 8.4: RMRR memory must be reported reserved in the platform's memory map. Linux
// arch/x86/include/asm/iommu.h arch_rmrr_sanity_check() (called by rmrr_sanity_check() in
// drivers/iommu/intel/iommu.c) asks e820__get_entry_type(), which walks adjacent e820 entries of
// any type and returns only the last one's type; 6.1+ accepts reserved and ACPI NVS. On failure:
// "[Firmware Bug]: No firmware reserved region can cover this RMRR [...]", then "bad RMRR" and a
// taint. Xen xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_rmrr() warns "... not in reserved
// memory". This rule asks for what the spec asks: one reserved or ACPI NVS entry holding it all.

type PieceKind = MemoryType | 'hole';

interface Piece {
  start: bigint;
  end: bigint;
  kind: PieceKind;
  entry?: MemoryRegion;
}

const KIND_WORDS: Record<PieceKind, string> = {
  usable: 'usable RAM',
  reserved: 'reserved',
  'acpi-nvs': 'ACPI NVS',
  'acpi-data': 'ACPI data (which the OS reclaims as RAM)',
  unusable: 'marked unusable',
  persistent: 'persistent memory',
  other: 'of another type',
  hole: 'a hole that no memory-map entry describes',
};

const MAX_PIECES = 6;

/** [base, limit] cut into consecutive pieces by the entries that meet it (sorted by start), holes included. */
function piecesOf(touching: readonly MemoryRegion[], base: bigint, limit: bigint): Piece[] {
  const pieces: Piece[] = [];
  let cursor = base;
  for (const entry of touching) {
    if (cursor > limit) break;
    if (entry.end < cursor) continue; // overlapped by an earlier entry of an unsanitized map
    if (entry.start > cursor) {
      pieces.push({ start: cursor, end: entry.start - 1n, kind: 'hole' });
      cursor = entry.start;
    }
    const end = entry.end < limit ? entry.end : limit;
    pieces.push({ start: cursor, end, kind: entry.type, entry });
    cursor = end + 1n;
  }
  if (cursor <= limit) pieces.push({ start: cursor, end: limit, kind: 'hole' });
  return pieces;
}

function isReservedPiece(p: Piece): boolean {
  return p.kind !== 'hole' && isFirmwareReserved(p.kind);
}

function describePiece(p: Piece, file: string): string {
  const kind = p.kind === 'other' && p.entry ? `"${p.entry.rawType}"` : KIND_WORDS[p.kind];
  return `${formatRange(p.start, p.end)} is ${kind}${p.entry ? ` (${file} line ${p.entry.line + 1})` : ''}`;
}

function impactOf(pieces: readonly Piece[]): string {
  const kinds = new Set(pieces.map((p) => p.kind));
  if (kinds.has('usable')) return 'The OS hands that RAM out while the device keeps DMAing into it: silent memory corruption. ';
  if (kinds.has('acpi-data')) return 'The OS frees ACPI data as ordinary RAM once it has read the tables, so that memory ends up in use while the device DMAs into it. ';
  if (kinds.has('hole')) return 'Nothing describes that memory, so the OS may place PCI BARs there, and the device\'s DMA would then land in another device\'s registers. ';
  return 'The OS does not keep that memory for the firmware. ';
}

export const rmrrNotReserved: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false, needs: 'memory-map',
    title: 'An RMRR is not inside one reserved or ACPI NVS entry of the memory map',
  },
  check(ctx) {
    const { platform } = ctx;
    const out: Finding[] = [];
    const map = platform.memoryMap;
    if (!map) return out;
    const all = new SpanIndex(map.entries.map((e) => ({ start: e.start, end: e.end, value: e })));
    const reserved = new SpanIndex(map.entries.filter((e) => isFirmwareReserved(e.type)).map((e) => ({ start: e.start, end: e.end, value: e })));
    const spans = analysisRmrrSpans(ctx);
    for (let i = 0; i < spans.length; i++) {
      const { rmrr } = spans[i]!.value;
      if (reserved.containing(rmrr.base, rmrr.limit)) continue;
      out.push(finding(rmrr, all.overlapping(rmrr.base, rmrr.limit).map((s) => s.value), map.file));
    }
    return out;
  },
};

function finding(rmrr: Rmrr, touching: MemoryRegion[], file: string): Finding {
  const { base, limit } = rmrr;
  const pieces = piecesOf(touching, base, limit);
  const shown = pieces.slice(0, MAX_PIECES);
  const more = pieces.length - shown.length;
  const allReserved = pieces.every(isReservedPiece);
  const verdict = linuxAcceptsRmrr(touching, base, limit);
  const range = formatRange(base, limit);
  const aligned = pageAligned(base, limit);
  const entry = formatMemoryMapEntry(aligned.start, aligned.end, 'reserved', 'e820');
  const fix = `Have the firmware report the whole region as one reserved entry, "${entry}" (the memory map is where this is fixed, not the DMAR table)`;

  if (allReserved) {
    return {
      rule: ID, ...atField(rmrr.loc, 'base'), severity: 'warning',
      message: `This RMRR ${range} is reserved in ${file}, but split over ${plural(pieces.length, 'entry', 'entries')} (${shown.map((p) => describePiece(p, file)).join('; ')}${more > 0 ? `; and ${plural(more, 'more entry', 'more entries')}` : ''}) instead of lying inside one. `
        + (verdict.accepted
          ? 'Linux 6.1+ accepts it because the last entry is reserved or ACPI NVS; '
          : `Linux logs "[Firmware Bug]: No firmware reserved region can cover this RMRR ${linuxRmrrRange(base, limit)}, contact BIOS vendor for fixes"; `)
        + (pieces.some((p) => p.kind === 'acpi-nvs')
          ? 'Linux 5.5 to 6.0 and Xen accept only E820 reserved memory, so the ACPI NVS piece fails there. '
          : 'Linux and Xen accept adjacent reserved entries, so this matters little; one entry makes it certain. ')
        + `${fix}.`,
    };
  }

  const what = shown.map((p) => describePiece(p, file)).join('; ') + (more > 0 ? `; and ${plural(more, 'more piece')}` : '');
  const linux = verdict.acceptedThroughOtherTypes
    ? `Linux would not catch it: arch_rmrr_sanity_check() walks adjacent memory-map entries and looks only at the type of the last one, which is ${KIND_WORDS[verdict.decidingEntry!.type]} here, so it logs nothing. `
    : `Linux logs "[Firmware Bug]: No firmware reserved region can cover this RMRR ${linuxRmrrRange(base, limit)}, contact BIOS vendor for fixes", then "${linuxBadRmrr(base, limit)}" and taints the kernel. `;
  return {
    rule: ID, ...atField(rmrr.loc, 'base'),
    message: `This RMRR ${range} is not inside one reserved or ACPI NVS entry of the memory map (${file}): ${what}. `
      + impactOf(pieces) + linux + 'Xen warns that the RMRR is "not in reserved memory". '
      + `${fix}; until then, the Linux boot parameter ${linuxMemmapReserveParameter(base, limit)} keeps the OS away from it.`,
  };
}
