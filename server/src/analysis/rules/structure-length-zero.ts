import { hex, readUint } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { encodedTableSize } from './length-mismatch';

const ID = 'structure-length-zero';

export const structureLengthZero: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: true,
    title: 'A remapping structure with Length below 4, or zero bytes at the end that Table Length counts',
  },
  check({ table }) {
    const trailing = table.trailing;
    if (trailing.length === 0) return [];
    const start = encodedTableSize(table) - trailing.length;
    const looksLikeHeader = trailing.length >= 4;
    const length = looksLikeHeader ? (readUint(trailing, 2, 2) as number) : 0;
    const allZero = trailing.every((b) => b === 0);
    const what = looksLikeHeader && !allZero
      ? `The remapping structure at offset 0x${hex(start, 4)} has Length 0x${hex(length, 4)}, below the 4 bytes of its own header`
      : `Table Length counts ${trailing.length} ${allZero ? 'zero ' : ''}byte(s) after the last structure (from offset 0x${hex(start, 4)}), which read as a structure of Length 0`;
    const fixed = start;
    const finding: Finding = {
      rule: ID, ...atField(table.loc, 'length'),
      message: `${what}. An OS walking the table never gets past it: Linux 6.1 loops forever at boot in dmar_dev_scope_init (a soft lockup, seen in a VM), and fwts's DMAR test loops too. Drop the bytes and set Table Length to 0x${hex(fixed, 8)}.`,
      related: [{ offset: start, width: trailing.length, message: 'the bytes Table Length still counts' }],
      fixes: [{
        title: `Drop the ${trailing.length} trailing byte(s) and set Table Length to 0x${hex(fixed, 8)}`, preferred: true,
        apply: (t) => { t.trailing = new Uint8Array(0); t.length = fixed; },
      }],
    };
    return [finding];
  },
};
