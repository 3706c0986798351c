// The one model of a DMAR table that every reader produces and every writer, rule and editor
// feature consumes. It keeps what a lossless round trip needs: the Length and checksum values as
// written (so rules can flag stale ones), reserved bytes, ANDD name padding and unknown structures
// as raw bytes.

/** Zero-based, like LSP positions. */
export interface Position {
  line: number;
  character: number;
}

export interface TextRange {
  start: Position;
  end: Position;
}

/** Whether two ranges (or both none) cover the same text. */
export function sameTextRange(a: TextRange | undefined, b: TextRange | undefined): boolean {
  if (a === b) return true;
  return !!a && !!b && a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * Where one field sits: its bytes in the table and, for text forms, its text on one line. Kept as
 * plain numbers (not range objects) because a large table has hundreds of thousands of fields.
 */
export interface FieldLoc {
  offset: number;
  width: number;
  /** Text forms: the line of the value, and columns of the name, the value and the line's end. */
  line?: number;
  nameStart?: number;
  nameEnd?: number;
  valueStart?: number;
  valueEnd?: number;
  lineStart?: number;
  lineEnd?: number;
}

export interface NodeLoc {
  /** Byte offset of the node in the table. */
  offset: number;
  /** The text the node spans, for text forms. */
  range?: TextRange;
  /** Per field key, where the field sits. Path elements are keyed `path0`, `path1`, ... */
  fields: Record<string, FieldLoc>;
}

/** A reader's compact record of its nodes' fields, from which lazyFieldsLoc() builds them on demand. */
export interface FieldLocSource {
  /** The FieldLocs of fields `from` to `to` (exclusive), keyed and in the order they were read. */
  fieldsOf(from: number, to: number): Record<string, FieldLoc>;
  /** What fieldsOf(from, to)[key] would hold, without building the others. */
  fieldOf(from: number, to: number, key: string): FieldLoc | undefined;
}

const SOURCE = Symbol('fields source');
const FROM = Symbol('fields from');
const TO = Symbol('fields to');
const BUILT = Symbol('fields built');

interface LazyFieldsLoc extends NodeLoc {
  [SOURCE]: FieldLocSource;
  [FROM]: number;
  [TO]: number;
  [BUILT]: Record<string, FieldLoc> | undefined;
}

function getFields(this: LazyFieldsLoc): Record<string, FieldLoc> {
  return this[BUILT] ??= this[SOURCE].fieldsOf(this[FROM], this[TO]);
}

function setFields(this: LazyFieldsLoc, value: Record<string, FieldLoc>): void {
  this[BUILT] = value;
}

const LAZY_FIELDS: PropertyDescriptor = { get: getFields, set: setFields, enumerable: true, configurable: true };

/**
 * A NodeLoc whose `fields` record is built on first read (and then kept). A large source has
 * hundreds of thousands of fields of which a check reads a few, so the source reader keeps their
 * places as numbers (FieldLocSource) instead of objects. `fields` is an own enumerable accessor:
 * reading, assigning, Object.entries, a spread and structuredClone (which copy the built record)
 * all see an ordinary NodeLoc. Its state is kept under symbols, which Object.keys, JSON and
 * structuredClone leave out (a spread copies them with the built record, which then agree).
 * `fields` covers the source's fields `from` to `to`; set `to` with closeLazyFieldsLoc() once the
 * node's own fields are read, before anyone reads them.
 */
export function lazyFieldsLoc(offset: number, source: FieldLocSource, from: number): NodeLoc {
  const loc = { offset, [SOURCE]: source, [FROM]: from, [TO]: from, [BUILT]: undefined } as unknown as LazyFieldsLoc;
  Object.defineProperty(loc, 'fields', LAZY_FIELDS);
  return loc;
}

export function closeLazyFieldsLoc(loc: NodeLoc, to: number): void {
  (loc as LazyFieldsLoc)[TO] = to;
}

/**
 * `loc.fields[key]`, without building the whole record of a lazily read node: for code that needs
 * one field of each of thousands of nodes (a location per finding).
 */
export function fieldLocOf(loc: NodeLoc, key: string): FieldLoc | undefined {
  const lazy = loc as Partial<LazyFieldsLoc>;
  const source = lazy[SOURCE];
  if (source === undefined || lazy[BUILT] !== undefined) return loc.fields[key];
  return source.fieldOf(lazy[FROM]!, lazy[TO]!, key);
}

export function valueRange(f: FieldLoc): TextRange | undefined {
  if (f.line === undefined) return undefined;
  return { start: { line: f.line, character: f.valueStart ?? 0 }, end: { line: f.line, character: f.valueEnd ?? 0 } };
}

export function nameRange(f: FieldLoc): TextRange | undefined {
  if (f.line === undefined) return undefined;
  return { start: { line: f.line, character: f.nameStart ?? 0 }, end: { line: f.line, character: f.nameEnd ?? 0 } };
}

export function lineRange(f: FieldLoc): TextRange | undefined {
  if (f.line === undefined) return undefined;
  return { start: { line: f.line, character: f.lineStart ?? 0 }, end: { line: f.line, character: f.lineEnd ?? f.valueEnd ?? 0 } };
}

export type SourceForm = 'source' | 'json' | 'binary';

export interface PathElement {
  device: number;
  function: number;
}

export const SCOPE_TYPE = {
  endpoint: 1,
  bridge: 2,
  ioapic: 3,
  hpet: 4,
  namespace: 5,
} as const;

/** An endpoint or bridge scope: one that names a PCI device by its path (the other types name IOAPICs, HPETs, ACPI devices). */
export function isPciScope(scope: { type: number }): boolean {
  return scope.type === SCOPE_TYPE.endpoint || scope.type === SCOPE_TYPE.bridge;
}

export interface DeviceScope {
  type: number;
  /** Entry Length as written. */
  length: number;
  /** Two bytes: bit 0-7 flags in VT-d 3.x (REQ_WO_PASID, ...), then a reserved byte. */
  reserved: number;
  enumerationId: number;
  startBus: number;
  path: PathElement[];
  /** Bytes inside Entry Length that do not form a path element. */
  tail: Uint8Array;
  /** What the user wrote about the device (JSON form); not part of the binary table. */
  annotation?: DeviceAnnotation;
  loc: NodeLoc;
}

export interface DeviceAnnotation {
  /** PCI class code, 24 bits (base class, sub-class, programming interface): 0x0C0330 is a USB xHCI controller. */
  class?: number;
  /** A human name for the device. */
  name?: string;
}

interface StructureCommon {
  type: number;
  /** Length as written. */
  length: number;
  /** Bytes inside Length after everything the structure defines (binary and JSON forms). */
  tail: Uint8Array;
  loc: NodeLoc;
}

export interface Drhd extends StructureCommon {
  kind: 'drhd';
  flags: number;
  /** Register-set size as 2^N 4-KiB pages (VT-d 3.x); reserved before. */
  size: number;
  segment: number;
  registerBase: bigint;
  scopes: DeviceScope[];
}

export interface Rmrr extends StructureCommon {
  kind: 'rmrr';
  reserved: number;
  segment: number;
  base: bigint;
  /** Inclusive. */
  limit: bigint;
  scopes: DeviceScope[];
}

export interface Atsr extends StructureCommon {
  kind: 'atsr';
  flags: number;
  reserved: number;
  segment: number;
  scopes: DeviceScope[];
}

export interface Rhsa extends StructureCommon {
  kind: 'rhsa';
  reserved: number;
  registerBase: bigint;
  proximityDomain: number;
}

export interface Andd extends StructureCommon {
  kind: 'andd';
  reserved: number;
  deviceNumber: number;
  /** The object name without its terminating NUL. */
  name: string;
  /** False when no NUL ends the name inside Length. */
  nameTerminated: boolean;
  /** Bytes after the NUL inside Length; iasl's language cannot express them. */
  padding: Uint8Array;
}

export interface Satc extends StructureCommon {
  kind: 'satc';
  flags: number;
  reserved: number;
  segment: number;
  scopes: DeviceScope[];
}

export interface Sidp extends StructureCommon {
  kind: 'sidp';
  reserved: number;
  segment: number;
  scopes: DeviceScope[];
}

export interface UnknownStructure extends StructureCommon {
  kind: 'unknown';
  /** Everything after Type and Length. */
  data: Uint8Array;
  /** False when a source gave only Type and Length and no Raw Table Data held the bytes. */
  dataKnown: boolean;
}

export type Structure = Drhd | Rmrr | Atsr | Rhsa | Andd | Satc | Sidp | UnknownStructure;
export type ScopedStructure = Drhd | Rmrr | Atsr | Satc | Sidp;
export type StructureKind = Structure['kind'];

export interface RawTableData {
  /** The length the block's title declares. */
  declaredLength: number;
  bytes: Uint8Array;
  /** Which offsets the block gave a byte for (a hand-edited block can have holes). */
  present: Uint8Array;
  loc: NodeLoc;
}

export interface DmarTable {
  form: SourceForm;
  signature: string;
  /** Table Length as written. */
  length: number;
  revision: number;
  /** Checksum as written. */
  checksum: number;
  oemId: string;
  oemTableId: string;
  oemRevision: number;
  creatorId: string;
  creatorRevision: number;
  /** Stored as N-1: 0x26 means 39 bits. */
  hostAddressWidth: number;
  flags: number;
  reserved: Uint8Array;
  structures: Structure[];
  /** Bytes counted by Table Length after the last structure the walk could read. */
  trailing: Uint8Array;
  /** The `Raw Table Data` block of a source, a second witness of the bytes. */
  rawData?: RawTableData;
  loc: NodeLoc;
}

export function hasScopes(s: Structure): s is ScopedStructure {
  return 'scopes' in s;
}

export function emptyLoc(offset = 0): NodeLoc {
  return { offset, fields: {} };
}
