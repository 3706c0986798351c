// Reads the I/O APICs (and the count of local APICs) from an `iasl -d` disassembly of the MADT,
// the ACPI table with signature "APIC". The rule ioapic-id-mismatch compares these IDs with the
// DMAR's IOAPIC device scopes: Linux's interrupt remapping needs a DRHD scope for every I/O APIC
// (`ioapic N has no mapping iommu, interrupt remapping will be disabled`, in
// drivers/iommu/intel/irq_remapping.c).
//
// Lines look like `[12Eh 0302   1]                  I/O Apic ID : 08` (disassembly) or
// `[0001]                        I/O Apic ID : 08` (template); a bare `Name : value` is read too.

import { hex } from '../../table/bytes';
import type { ContextProblem } from './memory-map';

export interface IoApic {
  /** The I/O APIC ID, what a DMAR IOAPIC scope's Enumeration ID must equal. */
  id: number;
  /** Register base (usually 0xFEC00000 for the first). */
  address: number;
  /** First global system interrupt it handles. */
  gsiBase: number;
  /** 0-based line of the subtable's `Subtable Type : 01 [I/O APIC]`. */
  line: number;
  /** 0-based line of `I/O Apic ID`, where a diagnostic about the ID belongs. */
  idLine: number;
}

export interface Madt {
  ioApics: IoApic[];
  /** Processor Local APIC and Local x2APIC subtables, enabled or not. */
  localApicCount: number;
  /** Those with Processor Enabled set. */
  enabledLocalApicCount: number;
  localApicAddress?: number;
  problems: ContextProblem[];
}

export const NO_MADT_MESSAGE =
  'no MADT found: expected an `iasl -d` disassembly of the APIC table (e.g. `acpidump -n APIC -b && iasl -d apic.dat`), with lines like "Subtable Type : 01 [I/O APIC]"';

const FIELD_LINE = /^\s*(?:\[[^\]]*\])?\s*([A-Za-z][^:]*?)\s*:\s*(.*?)\s*$/;

const SUBTABLE_LOCAL_APIC = 0x00;
const SUBTABLE_IO_APIC = 0x01;
const SUBTABLE_LOCAL_X2APIC = 0x09;

interface OpenSubtable {
  type: number;
  line: number;
  fields: Map<string, { value: string; line: number }>;
}

/** Reads an iasl disassembly of the MADT. Never throws. */
export function readMadt(text: string): Madt {
  const lines = text.split(/\r?\n/);
  const problems: ContextProblem[] = [];
  const result: Madt = { ioApics: [], localApicCount: 0, enabledLocalApicCount: 0, problems };
  let signature: { value: string; line: number } | undefined;
  let subtable: OpenSubtable | undefined;
  let sawSubtable = false;

  const close = (): void => {
    if (subtable) finishSubtable(subtable, result, problems);
    subtable = undefined;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    // The hex dump at the end repeats the table; everything above it is enough.
    if (/^\s*Raw Table Data:/i.test(line)) break;
    const field = FIELD_LINE.exec(line);
    if (!field) continue;
    const name = field[1].toLowerCase();
    const value = field[2];
    if (name === 'signature') {
      signature = { value: value.replace(/^"([^"]*)".*$/, '$1'), line: index };
      continue;
    }
    if (name === 'local apic address' && !subtable) {
      const address = parseHexValue(value);
      if (address !== undefined) result.localApicAddress = address;
      continue;
    }
    if (name === 'subtable type') {
      close();
      const type = parseHexValue(value);
      if (type === undefined) {
        problems.push({ line: index, message: `subtable type "${value}" is not a hex number; subtable ignored` });
        continue;
      }
      sawSubtable = true;
      subtable = { type, line: index, fields: new Map() };
      continue;
    }
    subtable?.fields.set(name, { value, line: index });
  }
  close();

  if (signature && signature.value !== 'APIC') {
    const what = signature.value === 'DMAR' ? 'the DMAR table itself' : `the ${signature.value} table`;
    problems.unshift({ line: signature.line, message: `this is ${what}, not the MADT (signature "APIC")` });
  } else if (!signature && !sawSubtable) {
    problems.unshift({ line: 0, message: NO_MADT_MESSAGE });
  }
  reportDuplicateIds(result.ioApics, problems);
  problems.sort((a, b) => a.line - b.line);
  return result;
}

function finishSubtable(subtable: OpenSubtable, result: Madt, problems: ContextProblem[]): void {
  if (subtable.type === SUBTABLE_LOCAL_APIC || subtable.type === SUBTABLE_LOCAL_X2APIC) {
    result.localApicCount++;
    const enabled = subtable.fields.get('processor enabled');
    if (enabled && parseHexValue(enabled.value) === 1) result.enabledLocalApicCount++;
    return;
  }
  if (subtable.type !== SUBTABLE_IO_APIC) return;

  const id = subtable.fields.get('i/o apic id');
  const address = subtable.fields.get('address');
  const gsiBase = subtable.fields.get('interrupt') ?? subtable.fields.get('global irq base') ?? subtable.fields.get('interrupt base');
  const idValue = id && parseHexValue(id.value);
  const addressValue = address && parseHexValue(address.value);
  if (!id || idValue === undefined) {
    problems.push({ line: subtable.line, message: 'I/O APIC subtable without a readable "I/O Apic ID"; ignored' });
    return;
  }
  if (!address || addressValue === undefined) {
    problems.push({ line: subtable.line, message: `I/O APIC ${hex(idValue, 2)} has no readable "Address"; ignored` });
    return;
  }
  result.ioApics.push({
    id: idValue,
    address: addressValue,
    gsiBase: (gsiBase && parseHexValue(gsiBase.value)) ?? 0,
    line: subtable.line,
    idLine: id.line,
  });
}

function reportDuplicateIds(ioApics: IoApic[], problems: ContextProblem[]): void {
  const first = new Map<number, IoApic>();
  for (const ioApic of ioApics) {
    const earlier = first.get(ioApic.id);
    if (earlier) {
      problems.push({
        line: ioApic.idLine,
        message: `I/O APIC ID ${hex(ioApic.id, 2)} is used twice (also on line ${earlier.idLine + 1}); a DMAR scope cannot tell them apart`,
      });
    } else {
      first.set(ioApic.id, ioApic);
    }
  }
}

/** iasl writes values as bare hex (`FEC00000`), sometimes followed by a decoded name in brackets. */
function parseHexValue(value: string): number | undefined {
  const match = /^(?:0x)?([0-9a-f]+)\b/i.exec(value.trim());
  if (!match || match[1].length > 13) return undefined;
  return Number.parseInt(match[1], 16);
}
