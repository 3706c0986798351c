// Address arithmetic shared by the rules that look at RMRR ranges: page alignment, inclusive
// intervals, a sorted interval index answered by binary search, and the way Linux and Xen print
// an RMRR in their logs (so messages can quote them exactly). Every range here is inclusive
// [start, end], as the DMAR table writes them.

import type { Drhd, DmarTable, Rmrr } from '../table/model';
import { formatScopePath, linuxHex } from './format';
import type { AnalysisContext } from './rule';
import { indicesOfKind, structuresOfKind } from './table-index';

export const PAGE_SIZE = 0x1000n;
export const PAGE_OFFSET_MASK = PAGE_SIZE - 1n;
export const ONE_MIB = 0x100000n;
const U64_ALL_ONES = 0xffffffffffffffffn;

/** The interrupt window: DMA writes here are interrupt requests, never translated (VT-d 3.13). */
export const MSI_WINDOW = { start: 0xfee00000n, end: 0xfeefffffn } as const;

export function isPageAligned(address: bigint): boolean {
  return (address & PAGE_OFFSET_MASK) === 0n;
}

export function alignDown(address: bigint): bigint {
  return address & ~PAGE_OFFSET_MASK;
}

/** The last byte of the page holding `address` (...FFF). */
export function endOfPage(address: bigint): bigint {
  return address | PAGE_OFFSET_MASK;
}

export function intersects(aStart: bigint, aEnd: bigint, bStart: bigint, bEnd: bigint): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}

export function intersection(aStart: bigint, aEnd: bigint, bStart: bigint, bEnd: bigint): { start: bigint; end: bigint } | undefined {
  const start = aStart > bStart ? aStart : bStart;
  const end = aEnd < bEnd ? aEnd : bEnd;
  return start <= end ? { start, end } : undefined;
}

export function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An inclusive address range carrying what it belongs to. */
export interface Span<T> {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  value: T;
}

/**
 * A fixed set of spans sorted once by start, with the running maximum of their ends, so that
 * "which spans meet [start, end]" is a binary search plus a walk over the candidates instead of a
 * loop over every span. Spans may overlap or nest.
 */
export class SpanIndex<T> {
  private readonly spans: Span<T>[];
  private readonly maxEnd: bigint[];

  constructor(spans: Iterable<Span<T>>) {
    const kept: Span<T>[] = [];
    if (Array.isArray(spans)) {
      // Indexed: a for-of over thousands of spans makes an iterator result per span until V8 optimises it.
      for (let i = 0; i < spans.length; i++) if (spans[i].start <= spans[i].end) kept.push(spans[i]);
    } else {
      for (const s of spans) if (s.start <= s.end) kept.push(s);
    }
    this.spans = kept.sort((a, b) => compareBigInt(a.start, b.start) || compareBigInt(a.end, b.end));
    this.maxEnd = new Array<bigint>(kept.length);
    let max = -1n;
    for (let i = 0; i < kept.length; i++) {
      if (kept[i]!.end > max) max = kept[i]!.end;
      this.maxEnd[i] = max;
    }
  }

  get size(): number {
    return this.spans.length;
  }

  /** The spans in ascending start order. */
  all(): readonly Span<T>[] {
    return this.spans;
  }

  /** Index of the last span whose start is at or below `address`, or -1. */
  private lastStartingAtOrBelow(address: bigint): number {
    let lo = 0;
    let hi = this.spans.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid]!.start <= address) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Every span that intersects [start, end], in ascending start order. */
  overlapping(start: bigint, end: bigint): Span<T>[] {
    const out: Span<T>[] = [];
    for (let i = this.lastStartingAtOrBelow(end); i >= 0 && this.maxEnd[i]! >= start; i--) {
      if (this.spans[i]!.end >= start) out.push(this.spans[i]!);
    }
    return out.reverse();
  }

  /** Whether any span intersects [start, end]: overlapping(start, end).length > 0 without the array. */
  overlapsAny(start: bigint, end: bigint): boolean {
    for (let i = this.lastStartingAtOrBelow(end); i >= 0 && this.maxEnd[i]! >= start; i--) {
      if (this.spans[i]!.end >= start) return true;
    }
    return false;
  }

  /** A span that holds all of [start, end], if one does (the narrowest such span). */
  containing(start: bigint, end: bigint): Span<T> | undefined {
    let best: Span<T> | undefined;
    for (let i = this.lastStartingAtOrBelow(start); i >= 0 && this.maxEnd[i]! >= end; i--) {
      const s = this.spans[i]!;
      if (s.end >= end && (!best || s.end - s.start < best.end - best.start)) best = s;
    }
    return best;
  }
}

/**
 * Overlapping pairs found by one sweep in order of start: each span that begins inside an earlier
 * one is paired with the earlier span that reaches furthest. So every span that overlaps anything
 * before it is reported once, against its nearest rival, and n spans give at most n - 1 pairs.
 */
export function overlappingNeighbours<T>(spans: Iterable<Span<T>>): [earlier: Span<T>, later: Span<T>][] {
  const sorted = new SpanIndex(spans).all();
  const pairs: [Span<T>, Span<T>][] = [];
  let reach: Span<T> | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (reach && s.start <= reach.end) pairs.push([reach, s]);
    if (!reach || s.end > reach.end) reach = s;
  }
  return pairs;
}

/** An RMRR with its index in `table.structures`, which fixes need to find it in a copy. */
export interface IndexedRmrr {
  rmrr: Rmrr;
  index: number;
}

export function rmrrsOf(table: DmarTable): IndexedRmrr[] {
  const out: IndexedRmrr[] = [];
  const structures = table.structures;
  for (let index = 0; index < structures.length; index++) {
    const s = structures[index]!;
    if (s.kind === 'rmrr') out.push({ rmrr: s, index });
  }
  return out;
}

/** The devices an RMRR names, for messages: `00:14.0, 00:1a.0`, `... and 3 more`, or `no device`. */
export function rmrrDevices(rmrr: Rmrr, max = 4): string {
  if (rmrr.scopes.length === 0) return 'no device';
  const names = rmrr.scopes.slice(0, max).map((s) => formatScopePath(rmrr.segment, s.startBus, s.path));
  const more = rmrr.scopes.length - names.length;
  return names.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** RMRRs as spans; inverted ones (limit below base) are left out: they describe no memory. */
export function rmrrSpans(table: DmarTable): Span<IndexedRmrr>[] {
  return spansOf(rmrrsOf(table));
}

function spansOf(rmrrs: readonly IndexedRmrr[]): Span<IndexedRmrr>[] {
  const out: Span<IndexedRmrr>[] = [];
  for (let i = 0; i < rmrrs.length; i++) {
    const r = rmrrs[i]!;
    if (r.rmrr.limit >= r.rmrr.base) out.push({ start: r.rmrr.base, end: r.rmrr.limit, value: r });
  }
  return out;
}

/**
 * rmrrsOf and rmrrSpans made once per analysis (per context) and shared by the dozen rules that
 * walk the RMRRs, instead of ten thousand objects per rule on a large table. Per context, not per
 * table: a table is only known not to change during one analysis. Callers must not change them.
 */
const perAnalysis = new WeakMap<AnalysisContext, { rmrrs: readonly IndexedRmrr[]; spans?: readonly Span<IndexedRmrr>[] }>();

function analysisEntry(ctx: AnalysisContext): { rmrrs: readonly IndexedRmrr[]; spans?: readonly Span<IndexedRmrr>[] } {
  let entry = perAnalysis.get(ctx);
  if (!entry) {
    const structures = structuresOfKind(ctx, 'rmrr');
    const indices = indicesOfKind(ctx, 'rmrr');
    const rmrrs: IndexedRmrr[] = new Array(structures.length);
    for (let k = 0; k < structures.length; k++) rmrrs[k] = { rmrr: structures[k]!, index: indices[k]! };
    entry = { rmrrs };
    perAnalysis.set(ctx, entry);
  }
  return entry;
}

/** rmrrsOf(ctx.table), shared within one analysis. */
export function analysisRmrrs(ctx: AnalysisContext): readonly IndexedRmrr[] {
  return analysisEntry(ctx).rmrrs;
}

/** rmrrSpans(ctx.table), shared within one analysis. */
export function analysisRmrrSpans(ctx: AnalysisContext): readonly Span<IndexedRmrr>[] {
  const entry = analysisEntry(ctx);
  return entry.spans ??= spansOf(entry.rmrrs);
}

/**
 * The register pages of a DRHD: 2^Size 4-KiB pages from its base, as Linux maps them
 * (dmar_parse_one_drhd: `1 << (size + 12)` bytes); Size 0, what tables before VT-d 3.x hold,
 * is one page. The spec gives Size four bits, so a larger value is taken as garbage and one page
 * is assumed rather than a register set spanning gigabytes. A base of 0 or all-ones names no
 * registers at all (drhd-base-invalid) and gives no span.
 */
export function drhdRegisterSpan(drhd: Drhd): { start: bigint; end: bigint } | undefined {
  if (drhd.registerBase === 0n || drhd.registerBase === U64_ALL_ONES) return undefined;
  const pages = drhd.size <= 15 ? 1n << BigInt(drhd.size) : 1n;
  const start = alignDown(drhd.registerBase);
  return { start, end: start + pages * PAGE_SIZE - 1n };
}

/** An RMRR as Linux's `bad RMRR [%#018Lx-%#018Lx]` and `No firmware reserved region ...` print it. */
export function linuxRmrrRange(base: bigint, limit: bigint): string {
  return `[${linuxHex(base)}-${linuxHex(limit)}]`;
}

/** How Xen prints an address (`%"PRIx64"`): lower-case hex without a prefix. */
export function xenHex(value: bigint): string {
  return value.toString(16);
}

/** `... bad RMRR [...]` as Linux 5.5+ logs it for an RMRR that fails rmrr_sanity_check(). */
export function linuxBadRmrr(base: bigint, limit: bigint): string {
  return `[Firmware Bug]: Your BIOS is broken; bad RMRR ${linuxRmrrRange(base, limit)}`;
}
