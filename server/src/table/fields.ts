// One declarative description of every DMAR structure, as ACPICA describes its tables
// (source/common/dmtbinfo.c names the fields; we keep every spelling iasl has used). Reading
// source, reading binary, writing both, hover and completion all walk these lists, so a new
// field spelling or structure is one edit here.

export type FieldKind =
  /** Unsigned little-endian integer: number up to 4 bytes, bigint for 8. */
  | 'uint'
  /** Fixed-width ASCII, NUL padded. */
  | 'ascii'
  /** Fixed-width byte buffer written as `00 00 ...`. */
  | 'bytes'
  /** A NUL-terminated ACPI object name (ANDD), variable width. */
  | 'name';

export type FieldRole = 'type' | 'length' | 'checksum' | 'reserved';

export interface FlagBit {
  bit: number;
  name: string;
  doc: string;
}

export interface FieldSpec {
  /** The property of the model node that holds the value. */
  key: string;
  /** Every iasl spelling; the first is Debian's iasl 20200925 spelling, which we write. */
  names: readonly string[];
  /** Bytes; 0 for variable-width fields. */
  width: number;
  kind: FieldKind;
  role?: FieldRole;
  /** Newer iasl prints this field as consecutive narrower fields (low byte first). */
  parts?: readonly { names: readonly string[]; width: number }[];
  /** Hover text: what the field means. */
  doc: string;
  flags?: readonly FlagBit[];
  /** Decoded names of values, printed in brackets after the value. */
  values?: Readonly<Record<number, string>>;
}

const uint = (key: string, names: string[], width: number, doc: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key, names, width, kind: 'uint', doc, ...extra,
});

export const TABLE_HEADER_FIELDS: readonly FieldSpec[] = [
  { key: 'signature', names: ['Signature'], width: 4, kind: 'ascii', doc: 'ACPI table signature; a DMAR table says "DMAR".' },
  uint('length', ['Table Length'], 4, 'Length of the whole table in bytes. iasl recomputes it; an OS trusts it.', { role: 'length' }),
  uint('revision', ['Revision'], 1, 'Table revision; DMAR tables use 1.'),
  uint('checksum', ['Checksum'], 1, 'Makes all bytes of the table sum to 0 (mod 256). iasl recomputes it.', { role: 'checksum' }),
  { key: 'oemId', names: ['Oem ID'], width: 6, kind: 'ascii', doc: 'OEM identification, 6 characters.' },
  { key: 'oemTableId', names: ['Oem Table ID'], width: 8, kind: 'ascii', doc: 'OEM table identification, 8 characters.' },
  uint('oemRevision', ['Oem Revision'], 4, 'OEM revision of this table.'),
  { key: 'creatorId', names: ['Asl Compiler ID'], width: 4, kind: 'ascii', doc: 'Vendor ID of the tool that made the table; iasl writes "INTL".' },
  uint('creatorRevision', ['Asl Compiler Revision'], 4, 'Revision of the tool that made the table; iasl writes its own version.'),
];

export const DMAR_FLAGS: readonly FlagBit[] = [
  { bit: 0, name: 'INTR_REMAP', doc: 'The platform supports interrupt remapping.' },
  { bit: 1, name: 'X2APIC_OPT_OUT', doc: 'Firmware asks the OS not to enable x2APIC mode.' },
  { bit: 2, name: 'DMA_CTRL_PLATFORM_OPT_IN', doc: 'Firmware restricts pre-OS DMA to the RMRRs; Linux then forces the IOMMU on (kernel DMA protection).' },
];

export const DMAR_FIELDS: readonly FieldSpec[] = [
  uint('hostAddressWidth', ['Host Address Width'], 1, 'Maximum DMA physical address width, stored as N-1 (0x26 means 39 bits). Linux rejects the table below 12 bits.'),
  uint('flags', ['Flags'], 1, 'DMAR flags.', { flags: DMAR_FLAGS }),
  { key: 'reserved', names: ['Reserved'], width: 10, kind: 'bytes', role: 'reserved', doc: 'Reserved, must be zero.' },
];

export const STRUCTURE_HEADER_FIELDS: readonly FieldSpec[] = [
  uint('type', ['Subtable Type'], 2, 'Remapping structure type: 0 DRHD, 1 RMRR, 2 ATSR, 3 RHSA, 4 ANDD, 5 SATC, 6 SIDP.', { role: 'type' }),
  uint('length', ['Length'], 2, 'Length of this structure in bytes, device scopes included. iasl recomputes it; an OS walks the table by it.', { role: 'length' }),
];

export const SCOPE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'PCI Endpoint Device',
  2: 'PCI Bridge Device',
  3: 'IOAPIC Device',
  4: 'Message-capable HPET Device',
  5: 'Namespace Device',
};

export const SCOPE_FIELDS: readonly FieldSpec[] = [
  uint('type', ['Device Scope Type', 'Device Scope Entry Type'], 1,
    'Device scope type: 1 PCI endpoint, 2 PCI sub-hierarchy (a bridge and everything below it), 3 IOAPIC, 4 MSI-capable HPET, 5 ACPI namespace device.',
    { role: 'type', values: SCOPE_TYPE_NAMES }),
  uint('length', ['Entry Length'], 1, 'Length of this scope entry: 6 + 2 x path elements. iasl recomputes it.', { role: 'length' }),
  uint('reserved', ['Reserved'], 2, 'Flags (VT-d 3.x: bit 0 REQ_WO_PASID_NESTED, bit 1 REQ_WO_PASID_PWSNP, bit 2 REQ_WO_PASID_PGSNP) and a reserved byte; zero on most platforms.', {
    parts: [{ names: ['Flags'], width: 1 }, { names: ['Reserved'], width: 1 }],
  }),
  uint('enumerationId', ['Enumeration ID'], 1, 'For IOAPIC scopes the I/O APIC ID, for HPET scopes the HPET number, for namespace scopes the ANDD device number; zero otherwise.'),
  uint('startBus', ['PCI Bus Number'], 1, 'The bus the path starts from.'),
];

export const PATH_FIELD: FieldSpec = {
  key: 'path', names: ['PCI Path'], width: 2, kind: 'uint',
  doc: 'One step of the path: device and function on the current bus, written as `DD,FF`. The first element is on the start bus; each further element is below the bridge the previous one names.',
};

export interface StructureSpec {
  type: number;
  kind: 'drhd' | 'rmrr' | 'atsr' | 'rhsa' | 'andd' | 'satc' | 'sidp';
  /** iasl's decoded name, printed after the Subtable Type value. */
  title: string;
  short: string;
  doc: string;
  /** Fields after Type and Length. */
  fields: readonly FieldSpec[];
  /** Device scope types allowed below this structure; absent when it has no scopes. */
  scopeTypes?: readonly number[];
}

const segment = uint('segment', ['PCI Segment Number'], 2, 'PCI segment (domain) of the devices this structure names.');

export const STRUCTURE_SPECS: readonly StructureSpec[] = [
  {
    type: 0, kind: 'drhd', title: 'Hardware Unit Definition', short: 'DRHD',
    doc: 'A DMA-remapping hardware unit (an IOMMU): where its registers are and which devices it translates.',
    fields: [
      uint('flags', ['Flags'], 1, 'DRHD flags.', { flags: [{ bit: 0, name: 'INCLUDE_PCI_ALL', doc: 'This unit translates every device of its segment that no other DRHD lists; it must come last in its segment.' }] }),
      uint('size', ['Reserved', 'Size'], 1, 'Register-set size as 2^N 4-KiB pages (VT-d 3.x); reserved (zero) in older tables. iasl 20200925 calls it Reserved.'),
      segment,
      uint('registerBase', ['Register Base Address'], 8, 'Base address of the unit\'s remapping registers: non-zero, 4-KiB aligned.'),
    ],
    scopeTypes: [1, 2, 3, 4, 5],
  },
  {
    type: 1, kind: 'rmrr', title: 'Reserved Memory Region', short: 'RMRR',
    doc: 'A range the named devices may DMA into at any time, which must stay identity-mapped for them. Linux (3.17+) refuses to give such a device to a VM or VFIO unless it is a USB or display device (5.3+); Hyper-V DDA refuses it outright.',
    fields: [
      uint('reserved', ['Reserved'], 2, 'Reserved, must be zero.', { role: 'reserved' }),
      segment,
      uint('base', ['Base Address'], 8, 'First byte of the region; must be 4-KiB aligned.'),
      uint('limit', ['End Address (limit)'], 8, 'Last byte of the region (inclusive); limit + 1 must be 4-KiB aligned, so it ends in ...FFF.'),
    ],
    scopeTypes: [1, 2],
  },
  {
    type: 2, kind: 'atsr', title: 'Root Port ATS Capability', short: 'ATSR',
    doc: 'Root ports that support PCI Express Address Translation Services.',
    fields: [
      uint('flags', ['Flags'], 1, 'ATSR flags.', { flags: [{ bit: 0, name: 'ALL_PORTS', doc: 'Every root port of the segment supports ATS.' }] }),
      uint('reserved', ['Reserved'], 1, 'Reserved, must be zero.', { role: 'reserved' }),
      segment,
    ],
    scopeTypes: [1, 2],
  },
  {
    type: 3, kind: 'rhsa', title: 'Remapping Hardware Static Affinity', short: 'RHSA',
    doc: 'The NUMA proximity domain of a remapping unit, named by its register base.',
    fields: [
      uint('reserved', ['Reserved'], 4, 'Reserved, must be zero.', { role: 'reserved' }),
      uint('registerBase', ['Base Address'], 8, 'Register base of the DRHD this affinity is for.'),
      uint('proximityDomain', ['Proximity Domain'], 4, 'NUMA proximity domain (as in SRAT) of the unit.'),
    ],
  },
  {
    type: 4, kind: 'andd', title: 'ACPI Namespace Device Declaration', short: 'ANDD',
    doc: 'Declares an ACPI namespace device (an I2C or UART controller without a PCI function) so DRHD namespace scopes can name it by number.',
    fields: [
      uint('reserved', ['Reserved'], 3, 'Reserved, must be zero.', { role: 'reserved' }),
      uint('deviceNumber', ['Device Number'], 1, 'The number DRHD namespace scopes use as their Enumeration ID.'),
      { key: 'name', names: ['Device Name'], width: 0, kind: 'name', doc: 'Fully qualified ACPI object name, NUL-terminated (for example "\\_SB.PCI0.I2C0").' },
    ],
  },
  {
    type: 5, kind: 'satc', title: 'SoC Integrated Address Translation Cache', short: 'SATC',
    doc: 'SoC-integrated devices with an address translation cache (VT-d 3.2+).',
    fields: [
      uint('flags', ['Flags'], 1, 'SATC flags.', { flags: [{ bit: 0, name: 'ATC_REQUIRED', doc: 'The devices need ATS enabled for correct operation.' }] }),
      uint('reserved', ['Reserved'], 1, 'Reserved, must be zero.', { role: 'reserved' }),
      segment,
    ],
    scopeTypes: [1, 2],
  },
  {
    type: 6, kind: 'sidp', title: 'SoC Integrated Device Property', short: 'SIDP',
    doc: 'Properties of SoC-integrated devices (VT-d 4.0+).',
    fields: [
      uint('reserved', ['Reserved'], 2, 'Reserved, must be zero.', { role: 'reserved' }),
      segment,
    ],
    scopeTypes: [1, 2],
  },
];

export const STRUCTURE_BY_TYPE: ReadonlyMap<number, StructureSpec> = new Map(STRUCTURE_SPECS.map((s) => [s.type, s]));
export const STRUCTURE_BY_KIND: ReadonlyMap<string, StructureSpec> = new Map(STRUCTURE_SPECS.map((s) => [s.kind, s]));

/** Size of the fixed part of a structure (Type, Length and its fields, no scopes or name). */
export function fixedSize(spec: StructureSpec): number {
  return 4 + spec.fields.reduce((n, f) => n + f.width, 0);
}

export const TABLE_HEADER_SIZE = 36;
export const DMAR_HEADER_SIZE = 48;
export const SCOPE_HEADER_SIZE = 6;
export const STRUCTURE_TYPE_TITLE_UNKNOWN = 'Unknown Subtable Type';

/** Every spelling of every field name, for "is this a field at all" questions. */
export const ALL_FIELD_NAMES: ReadonlySet<string> = new Set(
  [TABLE_HEADER_FIELDS, DMAR_FIELDS, STRUCTURE_HEADER_FIELDS, SCOPE_FIELDS, [PATH_FIELD], ...STRUCTURE_SPECS.map((s) => s.fields)]
    .flat()
    .flatMap((f) => [...f.names, ...(f.parts ?? []).flatMap((p) => p.names)]),
);

export function matchesName(spec: FieldSpec, name: string): boolean {
  return spec.names.includes(name);
}

const MAX_VALUES = Array.from({ length: 9 }, (_, w) => (1n << BigInt(w * 8)) - 1n);

export function maxValue(width: number): bigint {
  return MAX_VALUES[width] ?? (1n << BigInt(width * 8)) - 1n;
}
