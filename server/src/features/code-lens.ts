// A lens above each RMRR saying what it does to passthrough: "locks 2 devices out of
// passthrough", "1 relaxable device (USB/display)". The words come from devices.ts, which the
// passthrough rules and the hover read too.

import type { CodeLens } from 'vscode-languageserver-types';
import { impactSummary, tableDevices } from '../analysis/devices';
import { platformOf, textTable, type FeatureContext } from './context';
import { headerLineRange } from './nodes';

/** Lenses only show text: there is nothing to run, so the command is empty. */
export const NO_COMMAND = '';

export function codeLenses(ctx: FeatureContext): CodeLens[] {
  const table = textTable(ctx);
  const devices = tableDevices({ table, platform: platformOf(ctx) });
  const lenses: CodeLens[] = [];
  for (const r of devices.rmrrs) {
    const range = headerLineRange(r.rmrr.loc);
    if (range) lenses.push({ range, command: { title: impactSummary(r), command: NO_COMMAND } });
  }
  return lenses;
}
