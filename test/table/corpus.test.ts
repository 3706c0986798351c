// The table engine over the whole real corpus, with Debian's iasl (20200925) as the oracle.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpusFiles } from '../helpers';
import { generateTableSource } from '../generate-table';
import { readSource } from '../../server/src/table/source-reader';
import { readBinary } from '../../server/src/table/binary-reader';
import { encodeTable } from '../../server/src/table/binary-writer';
import { writeSource } from '../../server/src/table/source-writer';
import { writeJson, readJson } from '../../server/src/table/json-form';

const sources = corpusFiles('.dsl');
const binaries = corpusFiles('.dat');
const IASL = spawnSync('iasl', ['-v'], { encoding: 'utf8' }).status === 0 ? 'iasl' : undefined;
const IASL_CREATOR = { id: 'INTL', revision: 0x20200925 };

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Run iasl on a file in a scratch folder, under a timeout (a wrong length can make it loop). */
function iasl(args: string[], cwd: string): boolean {
  const r = spawnSync(IASL!, args, { cwd, timeout: 20_000, encoding: 'utf8' });
  return r.status === 0;
}

test('the corpus is there: 252 sources and 228 binaries', () => {
  assert.equal(sources.length, 252);
  assert.equal(binaries.length, 228);
});

test('every corpus source reads without a single reader finding', () => {
  const bad: string[] = [];
  for (const file of sources) {
    const { findings } = readSource(fs.readFileSync(file, 'latin1'));
    if (findings.length) bad.push(`${path.basename(file)}: ${findings[0]!.rule} ${findings[0]!.message}`);
  }
  assert.deepEqual(bad, []);
});

test('every corpus source with a binary beside it encodes to exactly that binary', () => {
  let compared = 0;
  for (const file of sources) {
    const dat = file.replace(/\.dsl$/, '.dat');
    if (!fs.existsSync(dat)) continue;
    const { table } = readSource(fs.readFileSync(file, 'latin1'));
    assert.ok(same(encodeTable(table, { lossless: true }), fs.readFileSync(dat)), path.basename(file));
    compared++;
  }
  assert.equal(compared, 228);
});

test('every corpus binary: bytes -> model -> bytes, -> source -> bytes, -> JSON -> bytes are identical', () => {
  for (const file of binaries) {
    const bytes = fs.readFileSync(file);
    const { table, findings } = readBinary(bytes);
    assert.deepEqual(findings, [], path.basename(file));
    assert.ok(same(encodeTable(table, { lossless: true }), bytes), `binary round trip ${path.basename(file)}`);
    const source = writeSource(table);
    const back = readSource(source);
    assert.deepEqual(back.findings, [], `decompiled source reads cleanly: ${path.basename(file)}`);
    assert.ok(same(encodeTable(back.table, { lossless: true }), bytes), `source round trip ${path.basename(file)}`);
    const json = readJson(writeJson(table));
    assert.deepEqual(json.findings, [], `JSON reads cleanly: ${path.basename(file)}`);
    assert.ok(same(encodeTable(json.table, { lossless: true }), bytes), `JSON round trip ${path.basename(file)}`);
  }
});

test('oracle: our compile equals iasl\'s for every corpus source iasl compiles', { skip: !IASL && 'iasl is not installed (apt-get install acpica-tools)' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-iasl-'));
  let identical = 0;
  const refused: string[] = [];
  try {
    for (const file of sources) {
      const name = path.basename(file);
      fs.copyFileSync(file, path.join(dir, name));
      if (!iasl([name], dir)) { refused.push(name); continue; }
      const theirs = fs.readFileSync(path.join(dir, name.replace(/\.dsl$/, '.aml')));
      const ours = encodeTable(readSource(fs.readFileSync(file, 'latin1')).table, { iaslCompatible: true, creator: IASL_CREATOR });
      assert.ok(same(ours, theirs), `compile differs from iasl: ${name}`);
      identical++;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // iasl 20200925 cannot compile SATC (type 5) or SIDP (type 6): the two corpus sources with them.
  assert.equal(refused.length, 2, `iasl refused: ${refused.join(', ')}`);
  assert.equal(identical, 250);
});

test('oracle: iasl compiles our decompiled source back to the binary, and our listing is iasl -d\'s', { skip: !IASL && 'iasl is not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-iasl-'));
  let compiledBack = 0;
  let listingsEqual = 0;
  try {
    for (const file of binaries) {
      const name = path.basename(file, '.dat');
      const bytes = fs.readFileSync(file);
      const { table } = readBinary(bytes);
      const hasIaslGaps = table.structures.some((s) => s.kind === 'unknown' || s.kind === 'satc' || s.kind === 'sidp');
      fs.writeFileSync(path.join(dir, `${name}.dsl`), writeSource(table));
      if (!hasIaslGaps) {
        assert.ok(iasl([`${name}.dsl`], dir), `iasl compiles our decompile of ${name}`);
        // iasl drops what its language cannot express (ANDD padding) and stamps its own creator.
        const expected = encodeTable(table, { iaslCompatible: true, creator: IASL_CREATOR });
        assert.ok(same(fs.readFileSync(path.join(dir, `${name}.aml`)), expected), `iasl(decompile(${name}))`);
        compiledBack++;
      }
      // iasl -d of the same binary, without its banner, equals ours without our comments.
      fs.writeFileSync(path.join(dir, `${name}.dat`), bytes);
      assert.ok(iasl(['-d', `${name}.dat`], dir));
      const theirs = fs.readFileSync(path.join(dir, `${name}.dsl`), 'latin1').split('\n');
      const ours = writeSource(table).split('\n').filter((l) => !l.startsWith('/*'));
      if (theirs.slice(theirs.findIndex((l) => l.startsWith('[000h'))).join('\n') === ours.join('\n')) listingsEqual++;
      else assert.ok(hasIaslGaps, `listing differs from iasl -d: ${name}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(compiledBack, 226);
  assert.equal(listingsEqual, 226);
});

test('a 10,000-RMRR source reads without recursion and writes back the same', () => {
  const text = generateTableSource(10_000);
  const { table, findings } = readSource(text);
  assert.deepEqual(findings, []);
  assert.equal(table.structures.filter((s) => s.kind === 'rmrr').length, 10_000);
  const bytes = encodeTable(table);
  assert.ok(same(encodeTable(readBinary(bytes).table, { lossless: true }), bytes));
});
