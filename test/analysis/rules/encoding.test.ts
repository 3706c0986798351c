import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, applyFixToText, dmarSource, lineOf, rmrrSource, run, tableOf } from '../../helpers';
import { lengthMismatch } from '../../../server/src/analysis/rules/length-mismatch';
import { checksumMismatch } from '../../../server/src/analysis/rules/checksum-mismatch';
import { reservedNonzero } from '../../../server/src/analysis/rules/reserved-nonzero';
import { structureOrder } from '../../../server/src/analysis/rules/structure-order';
import { rawDataMismatch } from '../../../server/src/analysis/rules/raw-data-mismatch';
import { structureLengthZero } from '../../../server/src/analysis/rules/structure-length-zero';
import { unknownStructureType } from '../../../server/src/analysis/rules/unknown-structure-type';
import { readBinary } from '../../../server/src/table/binary-reader';
import { encodeTable } from '../../../server/src/table/binary-writer';
import { writeSource } from '../../../server/src/table/source-writer';

const good = dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF'));
/** The same table with every length and the checksum right. */
function settled(text: string): string {
  let t = text;
  for (let i = 0; i < 5; i++) {
    const f = [...run(lengthMismatch, t), ...run(checksumMismatch, t)][0];
    if (!f) return t;
    t = applyFixToText(t, f);
  }
  return t;
}

test('length-mismatch: stale lengths in source are found at the Length value and fixed', () => {
  const findings = run(lengthMismatch, good);
  // The template leaves Table Length at 0; the DRHD length 0x18 is right; the RMRR's 0x20 is right.
  assert.deepEqual(findings.map((f) => f.range!.start.line), [lineOf(good, 'Table Length')]);
  assert.equal(findings[0]!.range!.start.character, lineOf(good, 'Table Length') >= 0 ? 'Table Length : '.length : -1);
  const fixed = applyFixToText(good, findings[0]!);
  assert.deepEqual(run(lengthMismatch, fixed), []);
  assert.match(fixed, /Table Length : 00000068/);
});

test('length-mismatch: a structure Length and an Entry Length', () => {
  const text = settled(good).replace('Length : 0020', 'Length : 0030').replace(/(PCI Path : 14,00)/, '$1\nPCI Path : 00,00');
  const findings = run(lengthMismatch, text);
  assert.deepEqual(findings.map((f) => f.range!.start.line).sort((a, b) => a - b), [lineOf(text, 'Table Length'), lineOf(text, 'Length : 0030'), lineOf(text, 'Entry Length', lineOf(text, 'Length : 0030'))]);
  let t = text;
  for (let i = 0; i < 4 && run(lengthMismatch, t).length; i++) t = applyFixToText(t, run(lengthMismatch, t)[0]!);
  assert.deepEqual(run(lengthMismatch, t), []);
});

test('length-mismatch: in a binary a structure that runs past the table end is an error quoting Linux', () => {
  const bytes = encodeTable(tableOf(settled(good)));
  bytes[48 + 0x18 + 2] = 0x40; // RMRR Length 0x40 runs past the end
  const table = readBinary(bytes).table;
  const findings = lengthMismatch.check({ table, platform: { annotations: new Map() }, profiles: [] });
  assert.ok(findings.some((f) => /Record passes table end/.test(f.message)));
});

test('checksum-mismatch fires on a stale checksum and its fix settles it', () => {
  const text = settled(good);
  assert.deepEqual(run(checksumMismatch, text), []);
  const stale = text.replace(/Checksum : ../, 'Checksum : 00');
  const findings = run(checksumMismatch, stale);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.range!.start.line, lineOf(stale, 'Checksum'));
  assert.deepEqual(run(checksumMismatch, applyFixToText(stale, findings[0]!)), []);
});

test('reserved-nonzero: RMRR reserved and the scope reserved byte, not the scope flags byte', () => {
  const text = settled(good).replace('Reserved : 0000\nPCI Segment Number : 0000\nBase', 'Reserved : 0001\nPCI Segment Number : 0000\nBase');
  const findings = run(reservedNonzero, text);
  assert.equal(findings.length, 1);
  assert.deepEqual(run(reservedNonzero, applyFixToText(text, findings[0]!)), []);
  const flagsOnly = settled(good).replace(/(Entry Length : 08\nReserved : )0000(\nEnumeration ID : 00\nPCI Bus Number : 00\nPCI Path : 14,00)/, '$10001$2');
  assert.deepEqual(run(reservedNonzero, flagsOnly), []);
  const reservedByte = flagsOnly.replace(/Reserved : 0001/, 'Reserved : 0100');
  assert.equal(run(reservedNonzero, reservedByte).length, 1);
});

test('structure-order: an RMRR before a DRHD, fixed by sorting', () => {
  const text = settled(dmarSource(rmrrSource('000000008C587000', '000000008C5A6FFF') + '\n' + INCLUDE_ALL_DRHD));
  const findings = run(structureOrder, text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.range!.start.line, lineOf(text, 'Subtable Type : 0000'));
  const fixed = applyFixToText(text, findings[0]!);
  assert.deepEqual(run(structureOrder, fixed), []);
  assert.ok(lineOf(fixed, 'Subtable Type : 0000') < lineOf(fixed, 'Subtable Type : 0001'));
  assert.deepEqual(run(lengthMismatch, fixed), []);
});

test('raw-data-mismatch: an edited field disagrees with the block; regenerating settles it', () => {
  const table = tableOf(settled(good));
  const text = writeSource(table);
  assert.deepEqual(run(rawDataMismatch, text), []);
  const edited = text.replace('000000008C5A6FFF', '000000008C5A7FFF');
  const findings = run(rawDataMismatch, edited);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.range!.start.line, lineOf(edited, 'End Address'));
  assert.deepEqual(run(rawDataMismatch, applyFixToText(edited, findings[0]!)), []);
  assert.deepEqual(run(rawDataMismatch, applyFixToText(edited, findings[0]!, 1)), []);
});

test('structure-length-zero: a zero-length structure stops the binary walk and is reported', () => {
  const bytes = encodeTable(tableOf(settled(good)));
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes);
  padded[4] = padded.length; // Table Length counts 8 zero bytes: a structure of Length 0
  const { table } = readBinary(padded);
  assert.equal(table.structures.length, 2);
  const findings = structureLengthZero.check({ table, platform: { annotations: new Map() }, profiles: [] });
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /dmar_dev_scope_init/);
  assert.deepEqual(structureLengthZero.check({ table: tableOf(settled(good)), platform: { annotations: new Map() }, profiles: [] }), []);
});

test('unknown-structure-type: type 7 is reported at its type value', () => {
  const text = settled(good) + '\nSubtable Type : 0007\nLength : 0004\n';
  const findings = run(unknownStructureType, text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.range!.start.line, lineOf(text, 'Subtable Type : 0007'));
  assert.deepEqual(run(unknownStructureType, good), []);
});
