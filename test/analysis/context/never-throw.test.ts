import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { readMemoryMap } from '../../../server/src/analysis/context/memory-map';
import { readPciInventory } from '../../../server/src/analysis/context/pci-inventory';
import { readMadt } from '../../../server/src/analysis/context/madt';
import { readConfig } from '../../../server/src/analysis/context/config';

// The readers run on whatever file a user points the config at, live in the editor: they must
// answer with problems, never with an exception.

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/context');
const fixtureLines = fs
  .readdirSync(fixtures)
  .filter((name) => fs.statSync(path.join(fixtures, name)).isFile())
  .flatMap((name) => fs.readFileSync(path.join(fixtures, name), 'utf8').split('\n'));

/** Lines of every fixture, cut and spliced with random text. */
const plausibleText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...fixtureLines),
      fc.tuple(fc.constantFrom(...fixtureLines), fc.nat(), fc.string()).map(([line, at, noise]) => line.slice(0, at % (line.length + 1)) + noise),
      fc.string(),
    ),
    { maxLength: 40 },
  )
  .map((lines) => lines.join('\n'));

const readers: [string, (text: string) => { problems: { line: number; message: string }[] }][] = [
  ['readMemoryMap', readMemoryMap],
  ['readPciInventory', readPciInventory],
  ['readMadt', readMadt],
  ['readConfig', (text) => readConfig(text, '/x/.dmarrc.json')],
];

for (const [name, read] of readers) {
  test(`${name} never throws and reports problems on real lines`, () => {
    fc.assert(
      fc.property(plausibleText, (text) => {
        const lineCount = text.split('\n').length;
        const { problems } = read(text);
        for (const problem of problems) {
          assert.ok(Number.isInteger(problem.line) && problem.line >= 0 && problem.line < lineCount, `line ${problem.line} of ${lineCount}`);
          assert.ok(problem.message.length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });
}
