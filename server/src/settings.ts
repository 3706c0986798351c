// Settings for one table: the project's .dmarrc.json (found by walking up from the table's
// folder), the platform files it names, and overrides from the CLI or the editor. The CLI and the
// language server both call this, so they cannot disagree.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SeveritySetting } from './table/finding';
import type { AnalyzeOptions } from './analysis/runner';
import { resolveProfiles } from './analysis/iova-profiles';
import type { DeviceAnnotation, Platform } from './analysis/platform';
import { CONFIG_FILE_NAME, findConfig, readConfig, type DmarConfig } from './analysis/context/config';
import { readMemoryMap, type ContextProblem } from './analysis/context/memory-map';
import { readPciInventory } from './analysis/context/pci-inventory';
import { readMadt } from './analysis/context/madt';
import { RULES_BY_ID } from './analysis/rules';

export interface SettingsOverrides {
  /** An explicit config file instead of the search for .dmarrc.json. */
  config?: string;
  memoryMap?: string;
  pci?: string;
  madt?: string;
  iovaProfiles?: string[];
  severities?: Record<string, SeveritySetting>;
  devices?: Record<string, DeviceAnnotation>;
  maxFileSize?: number;
}

export interface ProjectSettings {
  analyze: AnalyzeOptions;
  /** Messages for the user, `file:line:col: message` where a place is known. */
  problems: string[];
  /** A named input could not be used: the CLI stops (exit 2), the editor shows the problems. */
  fatal: boolean;
  configFile?: string;
  /** The platform files in use, for watching. */
  inputs: { memoryMap?: string; pci?: string; madt?: string };
  maxFileSize?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

function readText(file: string): string | Error {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return new Error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function loadProjectSettings(tableDir: string, overrides: SettingsOverrides = {}): ProjectSettings {
  const problems: string[] = [];
  let fatal = false;
  let config: DmarConfig = {};
  const found = overrides.config ? undefined : findConfig(tableDir);
  const configFile = overrides.config ? path.resolve(overrides.config) : found?.path;
  if (configFile) {
    const text = found ? found.text : readText(configFile);
    if (text instanceof Error) {
      problems.push(text.message);
      fatal = true;
    } else {
      const read = readConfig(text, configFile, { knownRules: [...RULES_BY_ID.keys()] });
      config = read.config;
      for (const p of read.problems) problems.push(`${configFile}:${p.line + 1}:${p.character + 1}: ${p.message}`);
    }
  }
  const platform: Platform & { annotations: Map<string, DeviceAnnotation> } = { annotations: new Map() };
  const inputs: ProjectSettings['inputs'] = {};

  // A platform file's problems become `file:line: message`; what it holds counts only when usable.
  // One that cannot be read, or a named one with nothing usable in it, is fatal.
  const readPlatformFile = <T extends { problems: ContextProblem[] }>(file: string, read: (text: string) => T, usable: (result: T) => boolean, named = true): T | undefined => {
    const text = readText(file);
    if (text instanceof Error) {
      problems.push(text.message);
      fatal = true;
      return undefined;
    }
    const result = read(text);
    for (const p of result.problems) problems.push(`${file}:${p.line + 1}: ${p.message}`);
    if (usable(result)) return result;
    if (named) fatal = true;
    return undefined;
  };

  const memoryMapFile = overrides.memoryMap ?? config.memoryMap;
  if (memoryMapFile) {
    inputs.memoryMap = memoryMapFile;
    const map = readPlatformFile(memoryMapFile, readMemoryMap, (m) => m.entries.length > 0);
    if (map) platform.memoryMap = { file: memoryMapFile, entries: map.entries };
  }
  const pciFile = overrides.pci ?? config.pci;
  if (pciFile) {
    inputs.pci = pciFile;
    const inventory = readPlatformFile(pciFile, readPciInventory, (i) => i.devices.length > 0);
    if (inventory) platform.pci = { file: pciFile, devices: inventory.devices };
  }
  // A DMAR source picks up the MADT disassembly beside it by itself.
  const namedMadt = overrides.madt ?? config.madt;
  const besideTable = path.join(tableDir, 'apic.dsl');
  const madtFile = namedMadt ?? (fs.existsSync(besideTable) ? besideTable : undefined);
  if (madtFile) {
    inputs.madt = madtFile;
    const madt = readPlatformFile(madtFile, readMadt, (m) => m.ioApics.length > 0, Boolean(namedMadt));
    if (madt) platform.madt = { file: madtFile, ioApics: madt.ioApics };
  }
  for (const [bdf, annotation] of Object.entries({ ...config.devices, ...overrides.devices })) platform.annotations.set(bdf, annotation);

  const { profiles, unknown } = resolveProfiles(overrides.iovaProfiles ?? config.iovaProfiles, config.customProfiles ?? []);
  if (unknown.length > 0) {
    problems.push(`unknown IOVA profile(s): ${unknown.join(', ')} (built in: qemu-q35, qemu-i440fx, xen-hvm, linux-dma, or none; custom ones come from "customProfiles" in ${CONFIG_FILE_NAME})`);
    fatal = true;
  }
  return {
    analyze: { platform, profiles, severities: { ...config.rules, ...overrides.severities } },
    problems, fatal, configFile, inputs,
    maxFileSize: overrides.maxFileSize ?? config.maxFileSize,
  };
}
