// Reads the platform's memory map from the text a user can collect on a running Linux machine, and
// answers the questions the rule `rmrr-not-reserved` asks of it. Three forms are accepted:
//
//   dmesg      [    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable
//              (and the pre-3.x form `BIOS-e820: 0000000000000000 - 000000000009f000 (usable)`)
//   /proc/iomem  00001000-0009ffff : System RAM
//   /sys/firmware/memmap  `0x1000 0x9ffff System RAM` per entry, or `grep . /sys/firmware/memmap/*/*`
//
// Every form ends up as the same sorted list of inclusive ranges with a normalised type.

import { linuxHex } from '../format';

/** A line of an input file that a reader could not use, and why. Lines are 0-based. */
export interface ContextProblem {
  line: number;
  message: string;
}

export type MemoryType = 'usable' | 'reserved' | 'acpi-nvs' | 'acpi-data' | 'unusable' | 'persistent' | 'other';

export type MemoryMapFormat = 'e820' | 'iomem' | 'memmap';

export interface MemoryMapEntry {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  type: MemoryType;
  /** The type as the input spelled it (`ACPI NVS`, `Reserved`, `type 20`, ...). */
  rawType: string;
  /** 0-based line of the entry in the input (for the grep form: the line of its `start`). */
  line: number;
}

export interface MemoryMap {
  /** Sorted by start address. */
  entries: MemoryMapEntry[];
  /** `unknown` when nothing in the text looked like a memory map. */
  format: MemoryMapFormat | 'unknown';
  problems: ContextProblem[];
}

export const NO_MEMORY_MAP_MESSAGE =
  'no memory-map lines found: expected dmesg "BIOS-e820:" lines, /proc/iomem, or a /sys/firmware/memmap dump';

const E820_NUMERIC_TYPES: Record<number, MemoryType> = {
  // Linux arch/x86/include/asm/e820/types.h (enum e820_type).
  1: 'usable',
  2: 'reserved',
  3: 'acpi-data',
  4: 'acpi-nvs',
  5: 'unusable',
  7: 'persistent',
  12: 'persistent',
};

/**
 * Maps a type as printed by any of the three sources to a normalised type. The spellings come
 * from Linux arch/x86/kernel/e820.c: e820_print_type() for dmesg (`usable`, `reserved`,
 * `ACPI data`, `ACPI NVS`, `unusable`, `persistent (type 7)`, `soft reserved`, `type N`; the 2025
 * rework in tip x86/boot prints `kernel usable RAM`, `device reserved`, `persistent RAM (type 7)`
 * after a size column) and e820_type_to_string() for /proc/iomem and /sys/firmware/memmap
 * (`System RAM`, `Reserved`, `ACPI Tables`, `ACPI Non-volatile Storage`, `Unusable memory`,
 * `Persistent Memory`, `Soft Reserved`; before 4.x `reserved` in lower case).
 */
export function memoryTypeOf(rawType: string): MemoryType {
  const text = rawType.trim().replace(/^\((.*)\)$/, '$1').trim().toLowerCase();
  const numeric = /^type\s+(\d+)$/.exec(text);
  if (numeric) return E820_NUMERIC_TYPES[Number(numeric[1])] ?? 'other';
  if (text.includes('persistent')) return 'persistent';
  if (text.includes('unusable')) return 'unusable';
  if (text === 'acpi nvs' || text.includes('non-volatile')) return 'acpi-nvs';
  if (text === 'acpi data' || text === 'acpi tables') return 'acpi-data';
  // Soft-reserved (EFI_MEMORY_SP) memory is handed to device-dax/kmem, not kept from the OS.
  if (text.includes('soft reserved')) return 'other';
  if (text.includes('usable') || text === 'system ram') return 'usable';
  if (text.includes('reserved')) return 'reserved';
  return 'other';
}

/** Names e820__reserve_resources() gives the resources it creates in /proc/iomem. */
const IOMEM_E820_NAMES = new Set([
  'system ram',
  'reserved',
  'acpi tables',
  'acpi non-volatile storage',
  'unusable memory',
  'persistent memory',
  'persistent memory (legacy)',
  'soft reserved',
  'unknown e820 type',
]);

// dmesg, since Linux 3.x: `BIOS-e820: [mem 0x...-0x...] usable` (end inclusive). Newer kernels put
// a size column before the type, and print holes as `[gap ...]`.
const E820_LINE = /BIOS-e820:\s*\[mem\s+(0x[0-9a-f]+)\s*-\s*(0x[0-9a-f]+)\]\s*(.*)$/i;
const E820_SIZE_COLUMN = /^\d+(?:\.\d+)?\s*[KMGTPE]?B\s+/i;
// dmesg before 3.x: `BIOS-e820: 0000000000000000 - 000000000009f000 (usable)` (end exclusive).
const E820_OLD_LINE = /BIOS-e820:\s*([0-9a-f]{8,16})\s*-\s*([0-9a-f]{8,16})\s+(.*)$/i;
const E820_GAP_LINE = /BIOS-e820:\s*\[gap\s/i;
const E820_MARKER = /BIOS-e820:/i;
const E820_MAP_HEADER = /BIOS-provided physical RAM map/i;

const IOMEM_LINE = /^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$/i;

// `for d in /sys/firmware/memmap/*; do echo "$(cat $d/start) $(cat $d/end) $(cat $d/type)"; done`
const MEMMAP_TRIPLE_LINE = /^(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*)$/i;
// `grep . /sys/firmware/memmap/*/*`
const MEMMAP_GREP_LINE = /^(?:\S*\/)?memmap\/(\d+)\/(start|end|type):(.*)$/i;
// `head /sys/firmware/memmap/*/*` prints `==> /sys/firmware/memmap/0/end <==` before each value.
const MEMMAP_HEAD_HEADER = /^==> (?:\S*\/)?memmap\/(\d+)\/(start|end|type) <==$/i;

interface RawEntry {
  start: bigint;
  end: bigint;
  rawType: string;
  line: number;
}

/** Reads a memory map in any of the three accepted forms. Never throws. */
export function readMemoryMap(text: string): MemoryMap {
  const lines = text.split(/\r?\n/);
  const format = detectFormat(lines);
  if (format === undefined) {
    return { entries: [], format: 'unknown', problems: [{ line: 0, message: NO_MEMORY_MAP_MESSAGE }] };
  }
  const problems: ContextProblem[] = [];
  const raw =
    format === 'e820'
      ? readE820Lines(lines, problems)
      : format === 'iomem'
        ? readIomemLines(lines, problems)
        : readMemmapLines(lines, problems);
  const entries = raw
    .map((e): MemoryMapEntry => ({ ...e, type: memoryTypeOf(e.rawType) }))
    // The glob /sys/firmware/memmap/* lists 0, 1, 10, 11, ..., 2: order by address, not by input.
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.line - b.line));
  reportOverlaps(entries, problems);
  problems.sort((a, b) => a.line - b.line);
  return { entries, format, problems };
}

function isSkippable(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** Picks the form most lines are written in; a dmesg is mostly other text, so any e820 line wins. */
function detectFormat(lines: string[]): MemoryMapFormat | undefined {
  let e820 = 0;
  let iomem = 0;
  let memmap = 0;
  for (const line of lines) {
    if (E820_MARKER.test(line)) e820++;
    else if (IOMEM_LINE.test(line)) iomem++;
    else if ([MEMMAP_TRIPLE_LINE, MEMMAP_GREP_LINE, MEMMAP_HEAD_HEADER].some((form) => form.test(line.trim()))) memmap++;
  }
  if (e820 > 0) return 'e820';
  if (iomem === 0 && memmap === 0) return undefined;
  return iomem >= memmap ? 'iomem' : 'memmap';
}

function readE820Lines(lines: string[], problems: ContextProblem[]): RawEntry[] {
  let entries: RawEntry[] = [];
  lines.forEach((line, index) => {
    if (E820_MAP_HEADER.test(line)) {
      if (entries.length > 0) {
        problems.push({
          line: index,
          message: 'a second BIOS-provided memory map starts here (another boot in the same log); only the last map is used',
        });
      }
      entries = [];
      return;
    }
    if (!E820_MARKER.test(line) || E820_GAP_LINE.test(line)) return;
    const modern = E820_LINE.exec(line);
    if (modern) {
      const start = BigInt(modern[1]);
      const end = BigInt(modern[2]);
      const rawType = modern[3].replace(E820_SIZE_COLUMN, '').trim();
      if (end < start) {
        problems.push({ line: index, message: `e820 entry ends (${hex(end)}) before it starts (${hex(start)}); ignored` });
        return;
      }
      entries.push({ start, end, rawType: rawType || 'unknown', line: index });
      return;
    }
    const old = E820_OLD_LINE.exec(line);
    if (old) {
      const start = BigInt('0x' + old[1]);
      const endExclusive = BigInt('0x' + old[2]);
      if (endExclusive <= start) {
        problems.push({ line: index, message: `e820 entry is empty or ends before it starts (${hex(start)} - ${hex(endExclusive)}); ignored` });
        return;
      }
      // Before Linux 3.x the end printed was exclusive.
      entries.push({ start, end: endExclusive - 1n, rawType: old[3].trim().replace(/^\((.*)\)$/, '$1'), line: index });
      return;
    }
    problems.push({
      line: index,
      message: 'a "BIOS-e820:" line whose range could not be read; expected "BIOS-e820: [mem 0x...-0x...] type"',
    });
  });
  return entries;
}

function readIomemLines(lines: string[], problems: ContextProblem[]): RawEntry[] {
  const entries: RawEntry[] = [];
  // The e820 resources are not always top-level: one that a PCI MMCONFIG, Local APIC or similar
  // resource was inserted over becomes that resource's child. So take an e820-named line at any
  // depth unless an ancestor is itself an e820 entry (whose children are kernel code, crash
  // kernel and the like).
  const ancestors: { depth: number; isE820: boolean }[] = [];
  let sawRange = false;
  let allZero = true;
  let firstRangeLine = 0;
  lines.forEach((line, index) => {
    if (isSkippable(line)) return;
    const match = IOMEM_LINE.exec(line);
    if (!match) {
      problems.push({ line: index, message: 'not a /proc/iomem line ("start-end : name"); ignored' });
      return;
    }
    const depth = match[1].length;
    const start = BigInt('0x' + match[2]);
    const end = BigInt('0x' + match[3]);
    const name = match[4].trim();
    if (!sawRange) firstRangeLine = index;
    sawRange = true;
    if (start !== 0n || end !== 0n) allZero = false;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1].depth >= depth) ancestors.pop();
    const isE820 = IOMEM_E820_NAMES.has(name.toLowerCase());
    const insideE820 = ancestors.some((a) => a.isE820);
    ancestors.push({ depth, isE820 });
    if (!isE820 || insideE820) return;
    if (end < start) {
      problems.push({ line: index, message: `range ends (${hex(end)}) before it starts (${hex(start)}); ignored` });
      return;
    }
    entries.push({ start, end, rawType: name, line: index });
  });
  if (sawRange && allZero) {
    problems.push({
      line: firstRangeLine,
      message:
        'every address in this /proc/iomem is zero: the kernel hides addresses from non-root readers. Read it as root (sudo cat /proc/iomem)',
    });
    return [];
  }
  return entries;
}

interface MemmapParts {
  start?: bigint;
  end?: bigint;
  type?: string;
  line: number;
}

function readMemmapLines(lines: string[], problems: ContextProblem[]): RawEntry[] {
  const entries: RawEntry[] = [];
  const byIndex = new Map<number, MemmapParts>();
  const partOf = (entryIndex: number, line: number): MemmapParts => {
    let parts = byIndex.get(entryIndex);
    if (!parts) byIndex.set(entryIndex, (parts = { line }));
    return parts;
  };
  const setPart = (entryIndex: number, field: string, value: string, line: number): void => {
    const parts = partOf(entryIndex, line);
    if (field === 'type') {
      parts.type = value.trim();
      return;
    }
    const number = parseHex(value.trim());
    if (number === undefined) {
      problems.push({ line, message: `memmap ${field} "${value.trim()}" is not a hex address; ignored` });
      return;
    }
    if (field === 'start') {
      parts.start = number;
      parts.line = line;
    } else {
      parts.end = number;
    }
  };

  let pendingHeader: { entryIndex: number; field: string } | undefined;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (pendingHeader) {
      const { entryIndex, field } = pendingHeader;
      pendingHeader = undefined;
      if (trimmed !== '') {
        setPart(entryIndex, field, trimmed, index);
        return;
      }
    }
    if (isSkippable(line)) return;
    const header = MEMMAP_HEAD_HEADER.exec(trimmed);
    if (header) {
      pendingHeader = { entryIndex: Number(header[1]), field: header[2].toLowerCase() };
      return;
    }
    const grep = MEMMAP_GREP_LINE.exec(trimmed);
    if (grep) {
      setPart(Number(grep[1]), grep[2].toLowerCase(), grep[3], index);
      return;
    }
    const triple = MEMMAP_TRIPLE_LINE.exec(trimmed);
    if (triple) {
      const start = BigInt(triple[1]);
      const end = BigInt(triple[2]);
      if (end < start) {
        problems.push({ line: index, message: `memmap entry ends (${hex(end)}) before it starts (${hex(start)}); ignored` });
        return;
      }
      entries.push({ start, end, rawType: triple[3].trim(), line: index });
      return;
    }
    problems.push({ line: index, message: 'not a /sys/firmware/memmap line ("0xSTART 0xEND type"); ignored' });
  });

  for (const [entryIndex, parts] of byIndex) {
    if (parts.start === undefined || parts.end === undefined || parts.type === undefined) {
      const missing = (['start', 'end', 'type'] as const).filter((f) => parts[f] === undefined).join(', ');
      problems.push({ line: parts.line, message: `memmap entry ${entryIndex} has no ${missing}; ignored` });
      continue;
    }
    if (parts.end < parts.start) {
      problems.push({ line: parts.line, message: `memmap entry ${entryIndex} ends before it starts; ignored` });
      continue;
    }
    entries.push({ start: parts.start, end: parts.end, rawType: parts.type, line: parts.line });
  }
  return entries;
}

function reportOverlaps(sorted: MemoryMapEntry[], problems: ContextProblem[]): void {
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const entry = sorted[i];
    if (entry.start <= previous.end) {
      problems.push({
        line: entry.line,
        message:
          `${describeRange(entry.start, entry.end)} (${entry.rawType}) overlaps ${describeRange(previous.start, previous.end)} ` +
          `(${previous.rawType}, line ${previous.line + 1}); the map is not sanitized, so the checks may not match what the OS sees`,
      });
    }
  }
}

function parseHex(text: string): bigint | undefined {
  if (!/^(0x)?[0-9a-f]+$/i.test(text)) return undefined;
  return BigInt(text.toLowerCase().startsWith('0x') ? text : '0x' + text);
}

function byStart(entries: readonly MemoryMapEntry[]): MemoryMapEntry[] {
  return [...entries].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Questions the rule rmrr-not-reserved asks.

/** Types the OS keeps its hands off, so that an RMRR inside one is safe. */
export function isFirmwareReserved(type: MemoryType): boolean {
  return type === 'reserved' || type === 'acpi-nvs';
}

/**
 * The one reserved or ACPI NVS entry that holds all of [start, end] (inclusive), if any. This is
 * the check the product makes: the VT-d spec wants RMRR memory reported as reserved, and a range
 * split over entries or running through RAM is a firmware bug even where an OS lets it pass.
 *
 * Linux makes the same demand in arch_rmrr_sanity_check() (arch/x86/include/asm/iommu.h). Since
 * 6.1 (commit "iommu/vt-d: Allow NVS regions in arch_rmrr_sanity_check()", backported to stable)
 * it accepts a range whose covering walk ends in E820_TYPE_RESERVED or E820_TYPE_NVS; from 5.5
 * (f036c7fa0ab6, "Check VT-d RMRR region in BIOS is reported as reserved") to 6.0 it asked
 * e820__mapped_all(start, end, E820_TYPE_RESERVED). Either way the message on failure is
 * `[Firmware Bug]: No firmware reserved region can cover this RMRR [...]`. Xen
 * (xen/drivers/passthrough/vtd/dmar.c) checks every page with e820_all_mapped(..., E820_RESERVED)
 * and logs `RMRR ... not in reserved memory`.
 */
export function reservedCover(entries: readonly MemoryMapEntry[], start: bigint, end: bigint): MemoryMapEntry | undefined {
  return entries.find((e) => isFirmwareReserved(e.type) && e.start <= start && end <= e.end);
}

/** The one entry, of any type, that holds all of [start, end] (inclusive), if any. */
export function findCovering(entries: readonly MemoryMapEntry[], start: bigint, end: bigint): MemoryMapEntry | undefined {
  return entries.find((e) => e.start <= start && end <= e.end);
}

/** Kernel generations whose RMRR memory-map check differ. */
export type LinuxRmrrCheckEra = 'v6.1+' | 'v5.5-6.0';

export interface LinuxRmrrVerdict {
  /** Linux lets the RMRR pass without `No firmware reserved region can cover this RMRR`. */
  accepted: boolean;
  /** The entry whose type decided: the one the walk ended in (undefined when the walk broke off). */
  decidingEntry?: MemoryMapEntry;
  /** Every entry the walk moved through, in order. */
  walked: MemoryMapEntry[];
  /**
   * Accepted although the walk ran through entries of other types (usable RAM, ACPI data, ...):
   * only the last entry's type counted. The OS then identity-maps memory it also hands out.
   */
  acceptedThroughOtherTypes: boolean;
}

/**
 * What Linux itself decides for an RMRR [start, end] (inclusive), following
 * __e820__mapped_all() in arch/x86/kernel/e820.c as called by arch_rmrr_sanity_check():
 *
 * It walks the (sorted, sanitized) e820 table once. Entries of another type are skipped when a
 * type is asked for (5.5-6.0 asked for E820_TYPE_RESERVED; 6.1+ asks for none, type 0). An entry
 * that does not intersect the still-uncovered part [start, end) is skipped too. An entry that
 * begins at or before `start` moves `start` to its end; one that begins after `start` (a hole
 * before it) does not, so a hole makes the walk fail. As soon as `start` reaches `end` the entry
 * that got it there is returned, and 6.1+ accepts the RMRR when that one entry is E820 reserved
 * or ACPI NVS. The types of the entries walked through before it are never looked at: a range that
 * starts in usable RAM and ends in a reserved entry passes, which is why the rule flags it anyway.
 */
export function linuxAcceptsRmrr(
  entries: readonly MemoryMapEntry[],
  start: bigint,
  end: bigint,
  era: LinuxRmrrCheckEra = 'v6.1+',
): LinuxRmrrVerdict {
  const wanted: MemoryType | undefined = era === 'v5.5-6.0' ? 'reserved' : undefined;
  const endExclusive = end + 1n;
  let uncovered = start;
  const walked: MemoryMapEntry[] = [];
  for (const entry of byStart(entries)) {
    if (wanted !== undefined && entry.type !== wanted) continue;
    const entryEndExclusive = entry.end + 1n;
    if (entry.start >= endExclusive || entryEndExclusive <= uncovered) continue;
    if (entry.start <= uncovered) {
      uncovered = entryEndExclusive;
      walked.push(entry);
    }
    if (uncovered >= endExclusive) {
      const accepted = wanted !== undefined || isFirmwareReserved(entry.type);
      const throughOtherTypes = walked.some((e) => !isFirmwareReserved(e.type));
      return { accepted, decidingEntry: entry, walked, acceptedThroughOtherTypes: accepted && throughOtherTypes };
    }
  }
  return { accepted: false, walked, acceptedThroughOtherTypes: false };
}

export interface OverlapSegment {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  /** The entry's type, or `hole` where no entry describes the memory. */
  kind: MemoryType | 'hole';
  entry?: MemoryMapEntry;
}

/**
 * Splits [start, end] (inclusive) into consecutive pieces by what the memory map says about
 * each: an entry's type, or a hole. For messages such as "0x7b800000 - 0x7bffffff is usable RAM".
 */
export function classifyOverlap(entries: readonly MemoryMapEntry[], start: bigint, end: bigint): OverlapSegment[] {
  const segments: OverlapSegment[] = [];
  let cursor = start;
  for (const entry of byStart(entries)) {
    if (cursor > end) break;
    if (entry.end < cursor || entry.start > end) continue;
    if (entry.start > cursor) {
      segments.push({ start: cursor, end: entry.start - 1n, kind: 'hole' });
      cursor = entry.start;
    }
    const pieceEnd = entry.end < end ? entry.end : end;
    segments.push({ start: cursor, end: pieceEnd, kind: entry.type, entry });
    cursor = pieceEnd + 1n;
  }
  if (cursor <= end) segments.push({ start: cursor, end, kind: 'hole' });
  return segments;
}

const KIND_WORDS: Record<MemoryType | 'hole', string> = {
  usable: 'usable RAM',
  reserved: 'reserved',
  'acpi-nvs': 'ACPI NVS',
  'acpi-data': 'ACPI data (reclaimable by the OS)',
  unusable: 'marked unusable',
  persistent: 'persistent memory',
  other: 'of another type',
  hole: 'in a hole (no memory-map entry)',
};

/** "0x7b800000 - 0x7bffffff is usable RAM" */
export function describeSegment(segment: OverlapSegment): string {
  const kind = segment.kind === 'other' && segment.entry ? `"${segment.entry.rawType}"` : KIND_WORDS[segment.kind];
  return `${describeRange(segment.start, segment.end)} is ${kind}`;
}

/** Lowest-case hex the way people paste it in messages: 0x7b800000. */
export function hex(value: bigint): string {
  return '0x' + value.toString(16);
}

export function describeRange(start: bigint, end: bigint): string {
  return `${hex(start)} - ${hex(end)}`;
}

// ---------------------------------------------------------------------------------------------
// Fix texts.

const PAGE = 0x1000n;

/** [start, end] widened to whole 4-KiB pages, the granularity of both the e820 map and RMRRs. */
export function pageAligned(start: bigint, end: bigint): { start: bigint; end: bigint } {
  return { start: start - (start % PAGE), end: end - (end % PAGE) + PAGE - 1n };
}

/** The types a fix may ask for; `other` has no spelling of its own. */
export type NamedMemoryType = Exclude<MemoryType, 'other'>;

/** e820_type_to_string(): the names /proc/iomem and /sys/firmware/memmap both print. */
const RESOURCE_NAMES: Record<NamedMemoryType, string> = {
  usable: 'System RAM',
  reserved: 'Reserved',
  'acpi-nvs': 'ACPI Non-volatile Storage',
  'acpi-data': 'ACPI Tables',
  unusable: 'Unusable memory',
  persistent: 'Persistent Memory',
};

const TYPE_NAMES: Record<MemoryMapFormat, Record<NamedMemoryType, string>> = {
  e820: {
    usable: 'usable',
    reserved: 'reserved',
    'acpi-nvs': 'ACPI NVS',
    'acpi-data': 'ACPI data',
    unusable: 'unusable',
    persistent: 'persistent (type 7)',
  },
  iomem: RESOURCE_NAMES,
  memmap: RESOURCE_NAMES,
};

/**
 * The entry a firmware fix should produce, written the way `format` shows entries, e.g.
 * `BIOS-e820: [mem 0x000000007b800000-0x000000007fffffff] reserved`.
 */
export function formatMemoryMapEntry(
  start: bigint,
  end: bigint,
  type: NamedMemoryType = 'reserved',
  format: MemoryMapFormat = 'e820',
): string {
  const name = TYPE_NAMES[format][type];
  switch (format) {
    case 'e820':
      return `BIOS-e820: [mem ${linuxHex(start)}-${linuxHex(end)}] ${name}`;
    case 'iomem':
      return `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} : ${name}`;
    case 'memmap':
      return `${hex(start)} ${hex(end)} ${name}`;
  }
}

/**
 * The Linux boot parameter that marks [start, end] reserved until the firmware is fixed:
 * `memmap=nn$ss` (Documentation/admin-guide/kernel-parameters.txt, parsed by parse_memmap_one()
 * in arch/x86/kernel/e820.c). In GRUB's config the `$` must be written `\$`.
 */
export function linuxMemmapReserveParameter(start: bigint, end: bigint): string {
  const range = pageAligned(start, end);
  return `memmap=${hex(range.end - range.start + 1n)}$${hex(range.start)}`;
}
