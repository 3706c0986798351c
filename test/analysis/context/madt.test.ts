import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NO_MADT_MESSAGE, readMadt } from '../../../server/src/analysis/context/madt';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/context');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

// Both fixtures are real `iasl -d` output (iasl 20200925) of tables compiled from hand-written
// templates, so field names, prefixes and the trailing hex dump are exactly what iasl prints.

test('laptop MADT: one I/O APIC, 12 local APIC slots of which 8 are enabled', () => {
  const text = fixture('madt-laptop.dsl');
  const madt = readMadt(text);
  assert.deepEqual(madt.problems, []);
  const lines = text.split('\n');
  const subtableLine = lines.findIndex((l) => l.includes('Subtable Type : 01 [I/O APIC]'));
  assert.deepEqual(madt.ioApics, [
    { id: 2, address: 0xfec00000, gsiBase: 0, line: subtableLine, idLine: subtableLine + 2 },
  ]);
  assert.match(lines[madt.ioApics[0].idLine], /I\/O Apic ID : 02$/);
  assert.equal(madt.localApicCount, 12);
  assert.equal(madt.enabledLocalApicCount, 8);
  assert.equal(madt.localApicAddress, 0xfee00000);
});

test('ProLiant MADT: the PCH I/O APIC and one per socket', () => {
  const madt = readMadt(fixture('madt-proliant.dsl'));
  assert.deepEqual(madt.problems, []);
  assert.deepEqual(
    madt.ioApics.map((a) => [a.id, a.address, a.gsiBase]),
    [
      [0x08, 0xfec00000, 0],
      [0x09, 0xfec01000, 24],
      [0x0a, 0xfec40000, 48],
    ],
  );
  assert.equal(madt.localApicCount, 32);
  assert.equal(madt.enabledLocalApicCount, 32);
});

test('the template form (iasl -T APIC) and x2APIC entries are read too', () => {
  const text = [
    '[0004]                          Signature : "APIC"    [Multiple APIC Description Table (MADT)]',
    '[0001]                      Subtable Type : 09 [Processor Local x2APIC]',
    '[0001]                             Length : 10',
    '[0002]                           Reserved : 0000',
    '[0004]                Processor x2Apic ID : 00000100',
    '[0004]              Flags (decoded below) : 00000001',
    '                        Processor Enabled : 1',
    '[0004]                      Processor UID : 00000000',
    '',
    '[0001]                      Subtable Type : 01 [I/O APIC]',
    '[0001]                             Length : 0C',
    '[0001]                        I/O Apic ID : 20',
    '[0001]                           Reserved : 00',
    '[0004]                            Address : FEC00000',
    '[0004]                          Interrupt : 00000000',
  ].join('\n');
  const madt = readMadt(text);
  assert.deepEqual(madt.problems, []);
  assert.deepEqual(madt.ioApics, [{ id: 0x20, address: 0xfec00000, gsiBase: 0, line: 9, idLine: 11 }]);
  assert.equal(madt.localApicCount, 1);
  assert.equal(madt.enabledLocalApicCount, 1);
});

test('broken and duplicate I/O APIC subtables are reported', () => {
  const text = [
    '[0001]                      Subtable Type : 01 [I/O APIC]',
    '[0001]                        I/O Apic ID : 02',
    '[0004]                            Address : FEC00000',
    '[0004]                          Interrupt : 00000000',
    '[0001]                      Subtable Type : 01 [I/O APIC]',
    '[0001]                        I/O Apic ID : 02',
    '[0004]                            Address : FEC01000',
    '[0004]                          Interrupt : 00000018',
    '[0001]                      Subtable Type : 01 [I/O APIC]',
    '[0001]                        I/O Apic ID : 03',
    '[0004]                            Address : nonsense',
    '[0001]                      Subtable Type : zz [I/O APIC]',
  ].join('\n');
  const madt = readMadt(text);
  assert.equal(madt.ioApics.length, 2);
  assert.deepEqual(
    madt.problems.map((p) => p.line),
    [5, 8, 11],
  );
  assert.match(madt.problems[0].message, /I\/O APIC ID 02 is used twice \(also on line 2\)/);
  assert.match(madt.problems[1].message, /I\/O APIC 03 has no readable "Address"/);
  assert.match(madt.problems[2].message, /not a hex number/);
});

test('a DMAR disassembly or unrelated text is not taken for the MADT', () => {
  const dmar = readMadt('[000h 0000   4]                    Signature : "DMAR"    [DMA Remapping Table]\n');
  assert.deepEqual(dmar.ioApics, []);
  assert.deepEqual(dmar.problems, [{ line: 0, message: 'this is the DMAR table itself, not the MADT (signature "APIC")' }]);
  for (const text of ['', fixture('lspci-nn-laptop.txt')]) {
    assert.deepEqual(readMadt(text).problems, [{ line: 0, message: NO_MADT_MESSAGE }]);
  }
});
