import { tableByteSum } from '../../table/binary-writer';
import { hex } from '../../table/bytes';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'checksum-mismatch';

export const checksumMismatch: Rule = {
  meta: {
    id: ID, severity: 'info', binarySeverity: 'error', fixable: true,
    title: 'The checksum does not make the table sum to 0',
  },
  check({ table }) {
    // The byte sum of the table as encoded (checksum as written), walked over the model: encoding
    // a table of thousands of structures only to add up its bytes cost more than the other rules.
    const sum = tableByteSum(table);
    if (sum === 0) return [];
    // What tableChecksumByte() of the encoding gives: the byte that makes the others sum to 0.
    const right = (0x100 - ((sum - (table.checksum & 0xff) + 0x100) & 0xff)) & 0xff;
    return [{
      rule: ID, ...atField(table.loc, 'checksum'),
      message: table.form === 'binary'
        ? `Checksum 0x${hex(table.checksum, 2)} does not make the table's bytes sum to 0 (it should be 0x${hex(right, 2)}). Linux only warns, but firmware validation (fwts, Windows HLK) fails the table, and a bad checksum usually means the table was patched after it was built. Write 0x${hex(right, 2)}.`
        : `Checksum 0x${hex(table.checksum, 2)} no longer matches the fields (it would be 0x${hex(right, 2)}). iasl recomputes it when compiling, so this is only stale.`,
      fixes: [{ title: `Set Checksum to 0x${hex(right, 2)}`, safe: true, preferred: true, apply: (t) => { t.checksum = right; } }],
    }];
  },
};
