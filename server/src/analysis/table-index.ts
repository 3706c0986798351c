// The table's structures by kind, made once per analysis and shared by the rules. Most rules look
// at one kind, and a large table is thousands of RMRRs beside a handful of everything else: a rule
// about DRHDs then walks the DRHDs, not every structure (each such walk is cold code that V8 has to
// interpret and compile again, and that cost is most of a one-shot `dmar check`).

import type { Structure, StructureKind } from '../table/model';
import type { AnalysisContext } from './rule';

export type StructureOfKind<K extends StructureKind> = Extract<Structure, { kind: K }>;

interface KindIndex {
  /** Per kind, its structures in table order. */
  structures: Map<StructureKind, Structure[]>;
  /** Per kind, their indices in `table.structures`. */
  indices: Map<StructureKind, number[]>;
}

const NONE: readonly never[] = [];

/** Per context, not per table: a table is only known not to change during one analysis. */
const perAnalysis = new WeakMap<AnalysisContext, KindIndex>();

function indexOf(ctx: AnalysisContext): KindIndex {
  let index = perAnalysis.get(ctx);
  if (!index) {
    index = { structures: new Map(), indices: new Map() };
    const structures = ctx.table.structures;
    for (let i = 0; i < structures.length; i++) {
      const s = structures[i]!;
      let list = index.structures.get(s.kind);
      let at = index.indices.get(s.kind);
      if (!list || !at) {
        index.structures.set(s.kind, list = []);
        index.indices.set(s.kind, at = []);
      }
      list.push(s);
      at.push(i);
    }
    perAnalysis.set(ctx, index);
  }
  return index;
}

/** The structures of one kind, in table order. Shared: callers must not change the array. */
export function structuresOfKind<K extends StructureKind>(ctx: AnalysisContext, kind: K): readonly StructureOfKind<K>[] {
  return (indexOf(ctx).structures.get(kind) ?? NONE) as readonly StructureOfKind<K>[];
}

/** Where structuresOfKind(ctx, kind)[k] sits in `ctx.table.structures`, for each k. */
export function indicesOfKind(ctx: AnalysisContext, kind: StructureKind): readonly number[] {
  return indexOf(ctx).indices.get(kind) ?? NONE;
}
