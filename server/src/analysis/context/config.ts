// The project configuration `.dmarrc.json` (JSON with comments), shared by the CLI and the language
// server: where the platform context files are, which IOVA profiles to check, rule severities,
// device annotations. schemas/dmarrc.schema.json describes the same shape for editors.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseTree, printParseErrorCode, stripComments, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { SeveritySetting } from '../../table/finding';
import type { ContextProblem } from './memory-map';
import { formatBdf } from '../format';
import { parseBdf } from './pci-inventory';

export const CONFIG_FILE_NAME = '.dmarrc.json';

/** Built-in IOVA profiles (rules.md, "IOVA profiles"). */
export const BUILT_IN_IOVA_PROFILES: readonly string[] = ['qemu-q35', 'qemu-i440fx', 'xen-hvm', 'linux-dma'];

export interface ProfileRange {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  label?: string;
}

export interface CustomProfile {
  name: string;
  description?: string;
  ranges: ProfileRange[];
}

export interface DeviceAnnotation {
  /** 24-bit class code; a 4-digit class from the config is stored shifted, like lspci -nn's. */
  class?: number;
  name?: string;
}

export interface DmarConfig {
  /** Absolute paths, resolved against the config file's folder. */
  memoryMap?: string;
  pci?: string;
  madt?: string;
  iovaProfiles?: string[];
  customProfiles?: CustomProfile[];
  rules?: Record<string, SeveritySetting>;
  /** Keyed by the BDF as formatBdf() writes it (`00:14.0`, `0001:00:14.0`). */
  devices?: Record<string, DeviceAnnotation>;
  /** Bytes; the editor stops live analysis of larger documents. */
  maxFileSize?: number;
}

export interface ConfigProblem extends ContextProblem {
  /** Where in the config text, for a precise diagnostic. */
  offset: number;
  length: number;
  character: number;
}

export interface ReadConfigOptions {
  /** When given, rule ids outside it are reported. */
  knownRules?: readonly string[];
  /** Profile names that exist besides the custom ones; defaults to BUILT_IN_IOVA_PROFILES. */
  builtInProfiles?: readonly string[];
}

const SEVERITIES: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

const TOP_LEVEL_KEYS = ['memoryMap', 'pci', 'madt', 'iovaProfiles', 'customProfiles', 'rules', 'devices', 'maxFileSize'] as const;

const PATH_KEYS: Record<'memoryMap' | 'pci' | 'madt', string> = {
  memoryMap: 'a path to a memory map (dmesg BIOS-e820 lines, /proc/iomem or a /sys/firmware/memmap dump)',
  pci: 'a path to `lspci -vvnn` output',
  madt: 'a path to an `iasl -d` disassembly of the APIC table',
};

/** Reads `.dmarrc.json` text. Paths in it are resolved against the folder of `filePath`. Never throws. */
export function readConfig(text: string, filePath: string, options: ReadConfigOptions = {}): { config: DmarConfig; problems: ConfigProblem[] } {
  const reader = new ConfigReader(text, filePath, options);
  const config = reader.read();
  return { config, problems: reader.problems.sort((a, b) => a.offset - b.offset) };
}

class ConfigReader {
  readonly problems: ConfigProblem[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly filePath: string,
    private readonly options: ReadConfigOptions,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  read(): DmarConfig {
    const config: DmarConfig = {};
    if (stripComments(this.text).trim() === '') {
      this.report(0, 0, 'the config is empty; expected a JSON object such as { "pci": "lspci.txt" }');
      return config;
    }
    const errors: ParseError[] = [];
    const root = parseTree(this.text, errors, { allowTrailingComma: true, disallowComments: false });
    for (const error of errors) this.reportSyntax(error);
    if (!root) return config;
    if (root.type !== 'object') {
      this.problem(root, `the config must be a JSON object, not ${kindOf(root)}`);
      return config;
    }
    const customNames = new Set<string>();
    let profilesNode: JsonNode | undefined;
    for (const [key, keyNode, value] of properties(root)) {
      switch (key) {
        case 'memoryMap':
        case 'pci':
        case 'madt': {
          const file = this.readPath(value, key);
          if (file !== undefined) config[key] = file;
          break;
        }
        case 'iovaProfiles':
          profilesNode = value;
          break;
        case 'customProfiles': {
          const profiles = this.readCustomProfiles(value);
          if (profiles) {
            config.customProfiles = profiles;
            for (const p of profiles) customNames.add(p.name);
          }
          break;
        }
        case 'rules': {
          const rules = this.readRules(value);
          if (rules) config.rules = rules;
          break;
        }
        case 'devices': {
          const devices = this.readDevices(value);
          if (devices) config.devices = devices;
          break;
        }
        case '$schema':
          break; // for editors only
        case 'maxFileSize': {
          const size = this.readPositiveInteger(value, '"maxFileSize"', 'a size in bytes');
          if (size !== undefined) config.maxFileSize = size;
          break;
        }
        default:
          this.problem(keyNode, unknownKeyMessage(key, TOP_LEVEL_KEYS, 'key'));
      }
    }
    // Read after customProfiles so that a profile defined below its use is known.
    if (profilesNode) {
      const profiles = this.readProfileNames(profilesNode, customNames);
      if (profiles) config.iovaProfiles = profiles;
    }
    return config;
  }

  private readPath(node: JsonNode, key: keyof typeof PATH_KEYS): string | undefined {
    if (node.type !== 'string' || (node.value as string).trim() === '') {
      this.problem(node, `"${key}" must be ${PATH_KEYS[key]} (a non-empty string), not ${kindOf(node)}`);
      return undefined;
    }
    return path.resolve(path.dirname(this.filePath), node.value as string);
  }

  private readProfileNames(node: JsonNode, customNames: Set<string>): string[] | undefined {
    if (node.type !== 'array') {
      this.problem(node, `"iovaProfiles" must be a list of profile names, not ${kindOf(node)}`);
      return undefined;
    }
    const builtIn = this.options.builtInProfiles ?? BUILT_IN_IOVA_PROFILES;
    const known = [...builtIn, ...customNames];
    const names: string[] = [];
    for (const item of node.children ?? []) {
      if (item.type !== 'string') {
        this.problem(item, `a profile name must be a string, not ${kindOf(item)}`);
        continue;
      }
      const name = item.value as string;
      if (!known.includes(name)) {
        this.problem(item, unknownKeyMessage(name, known, 'IOVA profile', 'define it under "customProfiles" or use'));
        continue;
      }
      names.push(name);
    }
    return names;
  }

  private readCustomProfiles(node: JsonNode): CustomProfile[] | undefined {
    if (node.type !== 'array') {
      this.problem(node, `"customProfiles" must be a list of { "name", "ranges" } objects, not ${kindOf(node)}`);
      return undefined;
    }
    const builtIn = this.options.builtInProfiles ?? BUILT_IN_IOVA_PROFILES;
    const profiles: CustomProfile[] = [];
    for (const item of node.children ?? []) {
      if (item.type !== 'object') {
        this.problem(item, `a custom profile must be an object with "name" and "ranges", not ${kindOf(item)}`);
        continue;
      }
      let name: string | undefined;
      let description: string | undefined;
      let ranges: ProfileRange[] | undefined;
      for (const [key, keyNode, value] of properties(item)) {
        if (key === 'name') {
          if (value.type === 'string' && (value.value as string).trim() !== '') name = value.value as string;
          else this.problem(value, `a profile "name" must be a non-empty string, not ${kindOf(value)}`);
          if (name !== undefined && builtIn.includes(name)) {
            this.problem(value, `"${name}" is a built-in profile; give the custom profile another name`);
            name = undefined;
          } else if (name !== undefined && profiles.some((p) => p.name === name)) {
            this.problem(value, `a custom profile named "${name}" is already defined above`);
            name = undefined;
          }
        } else if (key === 'description') {
          if (value.type === 'string') description = value.value as string;
          else this.problem(value, `a profile "description" must be a string, not ${kindOf(value)}`);
        } else if (key === 'ranges') {
          ranges = this.readRanges(value);
        } else {
          this.problem(keyNode, unknownKeyMessage(key, ['name', 'description', 'ranges'], 'profile key'));
        }
      }
      if (name === undefined && !properties(item).some(([key]) => key === 'name')) {
        this.problem(item, 'a custom profile needs a "name"');
      }
      if (ranges === undefined && !properties(item).some(([key]) => key === 'ranges')) {
        this.problem(item, 'a custom profile needs "ranges", e.g. [{ "start": "0x0", "end": "0x7fffffff", "label": "guest RAM" }]');
      }
      // A profile whose every range was wrong would silently check nothing; its problems say why.
      if (name !== undefined && ranges !== undefined && ranges.length > 0) {
        profiles.push(description === undefined ? { name, ranges } : { name, description, ranges });
      }
    }
    return profiles;
  }

  private readRanges(node: JsonNode): ProfileRange[] | undefined {
    if (node.type !== 'array' || (node.children ?? []).length === 0) {
      this.problem(node, `"ranges" must be a non-empty list of { "start", "end" } objects, not ${kindOf(node)}`);
      return undefined;
    }
    const ranges: ProfileRange[] = [];
    for (const item of node.children ?? []) {
      if (item.type !== 'object') {
        this.problem(item, `a range must be an object with "start" and "end" (inclusive), not ${kindOf(item)}`);
        continue;
      }
      let start: bigint | undefined;
      let end: bigint | undefined;
      let label: string | undefined;
      for (const [key, keyNode, value] of properties(item)) {
        if (key === 'start') start = this.readAddress(value, '"start"');
        else if (key === 'end') end = this.readAddress(value, '"end"');
        else if (key === 'label') {
          if (value.type === 'string') label = value.value as string;
          else this.problem(value, `a range "label" must be a string, not ${kindOf(value)}`);
        } else this.problem(keyNode, unknownKeyMessage(key, ['start', 'end', 'label'], 'range key'));
      }
      const keys = properties(item).map(([key]) => key);
      if (!keys.includes('start') || !keys.includes('end')) {
        this.problem(item, 'a range needs both "start" and "end" (inclusive addresses)');
        continue;
      }
      if (start === undefined || end === undefined) continue;
      if (end < start) {
        this.problem(item, `the range ends (0x${end.toString(16)}) before it starts (0x${start.toString(16)}); "end" is inclusive`);
        continue;
      }
      ranges.push(label === undefined ? { start, end } : { start, end, label });
    }
    return ranges;
  }

  /** An address as a hex string ("0xFED00000") or an integer, read exactly from the text. */
  private readAddress(node: JsonNode, what: string): bigint | undefined {
    const maxAddress = (1n << 64n) - 1n;
    let value: bigint | undefined;
    if (node.type === 'string') {
      const written = (node.value as string).trim().replace(/_/g, '');
      if (/^0x[0-9a-f]+$/i.test(written) || /^[0-9]+$/.test(written)) value = BigInt(written);
    } else if (node.type === 'number') {
      // JSON numbers above 2^53 lose precision as doubles; the raw text does not.
      const raw = this.text.slice(node.offset, node.offset + node.length);
      if (/^[0-9]+$/.test(raw)) value = BigInt(raw);
    }
    if (value === undefined || value > maxAddress) {
      this.problem(node, `${what} must be an address: a hex string like "0xFED00000" or a non-negative integer, not ${kindOf(node)}`);
      return undefined;
    }
    return value;
  }

  private readRules(node: JsonNode): Record<string, SeveritySetting> | undefined {
    if (node.type !== 'object') {
      this.problem(node, `"rules" must be an object of rule id to severity, e.g. { "rmrr-relaxable": "off" }, not ${kindOf(node)}`);
      return undefined;
    }
    const rules: Record<string, SeveritySetting> = {};
    for (const [id, keyNode, value] of properties(node)) {
      const known = this.options.knownRules;
      if (known && !known.includes(id)) {
        this.problem(keyNode, unknownKeyMessage(id, known, 'rule id'));
        continue;
      }
      if (value.type !== 'string' || !SEVERITIES.includes(value.value as SeveritySetting)) {
        const written = value.type === 'string' ? `"${value.value as string}"` : kindOf(value);
        this.problem(value, `the severity of "${id}" must be one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, not ${written}`);
        continue;
      }
      rules[id] = value.value as SeveritySetting;
    }
    return rules;
  }

  private readDevices(node: JsonNode): Record<string, DeviceAnnotation> | undefined {
    if (node.type !== 'object') {
      this.problem(node, `"devices" must be an object keyed by PCI address, e.g. { "00:14.0": { "class": "0c0330" } }, not ${kindOf(node)}`);
      return undefined;
    }
    const devices: Record<string, DeviceAnnotation> = {};
    for (const [key, keyNode, value] of properties(node)) {
      const bdf = parseBdf(key);
      if (!bdf) {
        this.problem(keyNode, `"${key}" is not a PCI address; write bus:device.function like "00:14.0" (or "0001:00:14.0" outside segment 0)`);
        continue;
      }
      if (value.type !== 'object') {
        this.problem(value, `the annotation of ${key} must be an object such as { "class": "0c0330", "name": "xHCI" }, not ${kindOf(value)}`);
        continue;
      }
      const annotation: DeviceAnnotation = {};
      for (const [field, fieldKeyNode, fieldValue] of properties(value)) {
        if (field === 'class') {
          const classCode = this.readClassCode(fieldValue);
          if (classCode !== undefined) annotation.class = classCode;
        } else if (field === 'name') {
          if (fieldValue.type === 'string') annotation.name = fieldValue.value as string;
          else this.problem(fieldValue, `a device "name" must be a string, not ${kindOf(fieldValue)}`);
        } else {
          this.problem(fieldKeyNode, unknownKeyMessage(field, ['class', 'name'], 'device key'));
        }
      }
      const canonical = formatBdf(bdf.segment, bdf.bus, bdf.device, bdf.function);
      if (devices[canonical]) this.problem(keyNode, `${key} is annotated twice (as ${canonical}); the later one wins`);
      if (annotation.class !== undefined || annotation.name !== undefined) devices[canonical] = annotation;
    }
    return devices;
  }

  /**
   * A class as a 24-bit integer, or a hex string: 6 digits for the full code ("0c0330"), 4 for
   * base class and subclass as `lspci -nn` shows them ("0c03", stored as 0x0c0300).
   */
  private readClassCode(node: JsonNode): number | undefined {
    if (node.type === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value <= 0xffffff) {
      return node.value as number;
    }
    if (node.type === 'string') {
      const digits = (node.value as string).trim().replace(/^0x/i, '');
      if (/^[0-9a-f]{6}$/i.test(digits)) return Number.parseInt(digits, 16);
      if (/^[0-9a-f]{4}$/i.test(digits)) return Number.parseInt(digits, 16) << 8;
    }
    this.problem(node, `"class" must be a PCI class code: "0c0330" (6 hex digits), "0c03" (base class and subclass) or a 24-bit integer, not ${kindOf(node)}`);
    return undefined;
  }

  private readPositiveInteger(node: JsonNode, what: string, meaning: string): number | undefined {
    if (node.type === 'number' && Number.isSafeInteger(node.value) && node.value > 0) return node.value as number;
    this.problem(node, `${what} must be a positive integer (${meaning}), not ${kindOf(node)}`);
    return undefined;
  }

  private reportSyntax(error: ParseError): void {
    const code = printParseErrorCode(error.error);
    // `0x1000` scans as the number 0 followed by the symbol `x1000`.
    const looksHex = code === 'InvalidSymbol' && /^x[0-9a-f]/i.test(this.text.slice(error.offset)) && this.text[error.offset - 1] === '0';
    if (looksHex) {
      this.report(error.offset - 1, error.length + 1, 'JSON syntax: JSON has no hex numbers; write addresses as strings, "0xFED00000"');
      return;
    }
    this.report(error.offset, error.length, `JSON syntax: ${describeParseError(code)}`);
  }

  private problem(node: JsonNode, message: string): void {
    this.report(node.offset, node.length, message);
  }

  private report(offset: number, length: number, message: string): void {
    const line = this.lineOf(offset);
    this.problems.push({ line, character: offset - this.lineStarts[line], offset, length, message });
  }

  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** [key, key node, value node] of each property of an object node. */
function properties(node: JsonNode): [string, JsonNode, JsonNode][] {
  const result: [string, JsonNode, JsonNode][] = [];
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode && valueNode) result.push([keyNode.value as string, keyNode, valueNode]);
  }
  return result;
}

function kindOf(node: JsonNode): string {
  switch (node.type) {
    case 'string':
      return `the string "${node.value as string}"`;
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    default:
      return node.type;
  }
}

function unknownKeyMessage(key: string, known: readonly string[], what: string, lead = 'expected one of'): string {
  // Two edits, or a third of the word for longer ones: catches memmap for memoryMap, not pci for madt.
  const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= Math.max(2, Math.floor(k.length / 3)));
  const hint = near ? `; did you mean "${near}"?` : `; ${lead} ${known.map((k) => `"${k}"`).join(', ')}`;
  return `unknown ${what} "${key}"${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'text after the end of the object',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated /* comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? code;
}

// ---------------------------------------------------------------------------------------------
// Finding the file.

/** What findConfig() needs of a file system: the text of a file, or undefined when there is none. */
export interface ConfigFileReader {
  readFile(filePath: string): string | undefined;
}

export interface AsyncConfigFileReader {
  readFile(filePath: string): Promise<string | undefined>;
}

export interface FoundConfig {
  path: string;
  text: string;
}

/** Node's file system as a ConfigFileReader. */
export const nodeConfigFileReader: ConfigFileReader = {
  readFile(filePath: string): string | undefined {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** The folders from startDir up to the root (or up to and including stopAt). */
function foldersUpFrom(startDir: string, stopAt?: string): string[] {
  const folders: string[] = [];
  const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
  for (let dir = path.resolve(startDir); ; ) {
    folders.push(dir);
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) return folders;
    dir = parent;
  }
}

/**
 * The nearest `.dmarrc.json`, looking in startDir and then each parent folder up to the file
 * system root (or up to and including `stopAt`, e.g. a workspace folder).
 */
export function findConfig(startDir: string, reader: ConfigFileReader = nodeConfigFileReader, stopAt?: string): FoundConfig | undefined {
  for (const dir of foldersUpFrom(startDir, stopAt)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    const text = reader.readFile(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return undefined;
}

export async function findConfigAsync(startDir: string, reader: AsyncConfigFileReader, stopAt?: string): Promise<FoundConfig | undefined> {
  for (const dir of foldersUpFrom(startDir, stopAt)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    const text = await reader.readFile(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return undefined;
}
