import { encodeTable } from '../../table/binary-writer';
import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { fieldAtOffset } from '../locate';
import type { Rule } from '../rule';

const ID = 'raw-data-mismatch';

export const rawDataMismatch: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'The Raw Table Data block disagrees with the fields above it',
  },
  check({ table }) {
    const raw = table.rawData;
    if (!raw) return [];
    const bytes = encodeTable(table, { lossless: true });
    let first = -1;
    let count = 0;
    const n = Math.max(bytes.length, raw.declaredLength);
    for (let i = 0; i < n; i++) {
      const differs = i >= bytes.length || i >= raw.bytes.length || !raw.present[i] || raw.bytes[i] !== bytes[i];
      if (differs) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (first < 0) return [];
    const where = fieldAtOffset(table, Math.min(first, Math.max(bytes.length - 1, 0)));
    const rawRange = raw.loc.range;
    const detail = first >= bytes.length
      ? `the block is ${raw.declaredLength} bytes long but the fields encode ${bytes.length}`
      : first >= raw.bytes.length || !raw.present[first]
        ? `the block has no byte at offset 0x${hex(first, 4)}`
        : `at offset 0x${hex(first, 4)}${where ? ` (${where.label})` : ''} the block says 0x${hex(raw.bytes[first]!, 2)} and the fields say 0x${hex(bytes[first]!, 2)}`;
    const finding: Finding = {
      rule: ID,
      ...(where?.location ?? { range: rawRange, offset: first, width: 1 }),
      message: `The Raw Table Data block disagrees with the fields in ${count} byte(s): ${detail}. iasl ignores the block and compiles the fields, so the block no longer documents this table (it is usually left over from an edit). Regenerate or delete it.`,
      related: rawRange ? [{ range: rawRange, message: 'the Raw Table Data block' }] : undefined,
      fixes: [
        {
          title: 'Regenerate the Raw Table Data block from the fields', preferred: true, safe: true,
          apply: (t) => {
            const fresh = encodeTable(t, { lossless: true });
            if (t.rawData) t.rawData = { ...t.rawData, bytes: fresh, present: new Uint8Array(fresh.length).fill(1), declaredLength: fresh.length };
          },
        },
        { title: 'Delete the Raw Table Data block', apply: (t) => { t.rawData = undefined; } },
      ],
    };
    return [finding];
  },
};
