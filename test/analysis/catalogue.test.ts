// The rule catalogue (../shared/docs/rules.md) is a contract: every id in it is implemented with
// exactly that id, in a module named after it, with a documentation page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/analysis/rules';
import { CORPUS_DIR } from '../helpers';

const REPO = path.resolve(__dirname, '../../..');
const catalogue = fs.readFileSync(path.resolve(CORPUS_DIR, '../../docs/rules.md'), 'utf8');
// Rule rows have a severity in their second column (the IOVA profile table has backticked names too).
const catalogueIds = [...new Set([...catalogue.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning|info|hint)/gm)].map((m) => m[1]!))];

test('every rule id in rules.md is implemented, and no other', () => {
  assert.equal(catalogueIds.length, 49);
  assert.deepEqual(ALL_RULES.map((r) => r.meta.id).sort(), [...catalogueIds].sort());
});

test('every rule lives in a module named after its id and has a docs page with a bad and a good example', () => {
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    assert.ok(fs.existsSync(path.join(REPO, 'server/src/analysis/rules', `${id}.ts`)), `module for ${id}`);
    const page = path.join(REPO, 'docs/rules', `${id}.md`);
    assert.ok(fs.existsSync(page), `docs page for ${id}`);
    const text = fs.readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${id}`), `${id}.md starts with its id`);
    assert.match(text, /bad/i, `${id}.md has a bad example`);
    assert.match(text, /good/i, `${id}.md has a good example`);
  }
});

test('default severities match the catalogue', () => {
  const rows = new Map([...catalogue.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+?) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
  for (const rule of ALL_RULES) {
    const written = rows.get(rule.meta.id)!;
    if (written.includes(' in source')) {
      assert.equal(`${rule.meta.severity} in source, ${rule.meta.binarySeverity} in binary`, written, rule.meta.id);
    } else if (/^(error|warning|info|hint)$/.test(written)) {
      assert.equal(rule.meta.severity, written, rule.meta.id);
    } else {
      // Platform-context rows put "needs" in the second column: `| id | sev | needs | ... |`.
      assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.meta.severity), rule.meta.id);
    }
  }
});
