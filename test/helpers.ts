// Shared test helpers: small tables from source text, rule runs, fixes applied to text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSource } from '../server/src/table/source-reader';
import { applyTextEdits, fixEditsForSource } from '../server/src/table/fix-edits';
import type { Finding } from '../server/src/table/finding';
import type { DmarTable } from '../server/src/table/model';
import type { AnalysisContext, Rule } from '../server/src/analysis/rule';
import { emptyPlatform, type Platform } from '../server/src/analysis/platform';
import { resolveProfiles, type IovaProfile } from '../server/src/analysis/iova-profiles';

/** The real corpus beside the checkout (../shared/corpus/real). */
export const CORPUS_DIR = path.resolve(__dirname, '../../../shared/corpus/real');
/** The project's own fixtures (test/fixtures), read from the source tree. */
export const FIXTURES_DIR = path.resolve(__dirname, '../../test/fixtures');

export function corpusFiles(ext: '.dsl' | '.dat'): string[] {
  return fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(CORPUS_DIR, f));
}

/**
 * A DMAR source with a header and the given structure lines, in the iasl template dialect
 * (no offsets needed). Lengths may be left at 0000: use `withLengths` to have them computed.
 */
export function dmarSource(body: string, header: { haw?: string; flags?: string } = {}): string {
  return `Signature : "DMAR"
Table Length : 00000000
Revision : 01
Checksum : 00
Oem ID : "TEST  "
Oem Table ID : "TESTTBL "
Oem Revision : 00000001
Asl Compiler ID : "INTL"
Asl Compiler Revision : 20200925

Host Address Width : ${header.haw ?? '26'}
Flags : ${header.flags ?? '01'}
Reserved : 00 00 00 00 00 00 00 00 00 00

${body}`;
}

/** A DRHD with INCLUDE_PCI_ALL and an IOAPIC scope: the usual last unit of a segment. */
export const INCLUDE_ALL_DRHD = `Subtable Type : 0000
Length : 0018
Flags : 01
Reserved : 00
PCI Segment Number : 0000
Register Base Address : 00000000FED91000

Device Scope Type : 03
Entry Length : 08
Reserved : 0000
Enumeration ID : 02
PCI Bus Number : F0
PCI Path : 1F,00
`;

export function rmrrSource(base: string, limit: string, devices: string[] = ['14,00'], scopeType = '01'): string {
  return `Subtable Type : 0001
Length : ${(24 + devices.length * 8).toString(16).toUpperCase().padStart(4, '0')}
Reserved : 0000
PCI Segment Number : 0000
Base Address : ${base}
End Address (limit) : ${limit}
${devices.map((d) => `
Device Scope Type : ${scopeType}
Entry Length : 08
Reserved : 0000
Enumeration ID : 00
PCI Bus Number : 00
PCI Path : ${d}
`).join('')}`;
}

/** Read a source and fail loudly if the reader itself complains. */
export function tableOf(text: string, allowReaderFindings = false): DmarTable {
  const { table, findings } = readSource(text);
  if (!allowReaderFindings && findings.length) throw new Error('reader findings: ' + JSON.stringify(findings));
  return table;
}

export function contextOf(table: DmarTable, platform: Platform = emptyPlatform(), profiles: IovaProfile[] = resolveProfiles(['none']).profiles): AnalysisContext {
  return { table, platform, profiles };
}

export function run(rule: Rule, text: string, platform?: Platform, profiles?: IovaProfile[]): Finding[] {
  return rule.check(contextOf(tableOf(text, true), platform, profiles)).filter((f) => f.rule === rule.meta.id);
}

/** Apply a finding's fix (by index) to the source text and return the new text. */
export function applyFixToText(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes?.[index];
  if (!fix) throw new Error(`finding has no fix ${index}: ${finding.message}`);
  const table = tableOf(text, true);
  return applyTextEdits(text, fixEditsForSource(text, table, fix));
}

/** The 0-based line of the first line containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i;
  throw new Error(`no line contains ${needle}`);
}
