// `dmar`: check, compile, decompile and convert DMAR tables. Exit codes: 0 ok, 1 findings of
// error severity, 2 usage or I/O failure. Errors go to stderr as file:line:column.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, analyzeDocument } from '../document';
import { conversionProblems, defaultCompileOutput, encodeDocument, jsonText, sourceText, type ConvertTarget } from '../convert';
import type { SeveritySetting } from '../table/finding';
import { RULES_BY_ID } from '../analysis/rules';
import { formatJson, formatSarif, textReportChunks, type FileReport } from './output';
import { loadProjectSettings, type SettingsOverrides } from '../settings';

const VERSION = '0.1.0';

export class UsageError extends Error {}

const USAGE = `dmar ${VERSION}: lint and convert Intel VT-d ACPI DMAR tables

Usage:
  dmar check [options] <file|folder...>   iasl source, JSON form or binary, by content
      --format text|json|sarif            default text: file:line:col severity message [rule]
      --memory-map <file>                 dmesg BIOS-e820 lines, /proc/iomem or /sys/firmware/memmap dump
      --pci <file>                        lspci -vvnn (or lspci -nn) output
      --madt <file>                       iasl -d disassembly of the APIC table
      --iova-profile <name>               repeatable; 'none' disables all; default from config, else qemu-q35
      --config <file>                     instead of looking for .dmarrc.json
      --rule <id>=<off|hint|info|warning|error>   repeatable
  dmar compile <source> [-o out] [--creator ID:REVISION]
                                          iasl source or JSON form -> binary (as iasl compiles it)
  dmar decompile <binary> [-o out]        binary -> iasl source (the iasl -d dialect)
  dmar convert <file> --to asl|json|binary [-o out]
                                          any form -> any form, losslessly where the form allows

Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O failure.
`;

interface Parsed {
  command: string;
  files: string[];
  options: Map<string, string[]>;
}

const VALUE_OPTIONS = new Set(['--format', '--memory-map', '--pci', '--madt', '--iova-profile', '--config', '--rule', '-o', '--output', '--to', '--creator']);
const FLAG_OPTIONS = new Set(['--help', '-h', '--version']);

export function parseArgs(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  const files: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
      if (FLAG_OPTIONS.has(name)) { options.set(name, ['']); continue; }
      if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      const key = name === '--output' ? '-o' : name;
      options.set(key, [...(options.get(key) ?? []), value]);
    } else files.push(arg);
  }
  return { command: command ?? '', files, options };
}

function single(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  if (v && v.length > 1) throw new UsageError(`${name} given more than once`);
  return v?.[0];
}

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new IoError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

class IoError extends Error {}

function writeOutput(file: string | undefined, data: string | Uint8Array, stdout: (s: string | Uint8Array) => void): void {
  if (!file || file === '-') { stdout(data); return; }
  try {
    fs.writeFileSync(file, data);
  } catch (e) {
    throw new IoError(`${file}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const CHECKABLE = /\.(dsl|asl|dat|aml|bin|json)$/i;

/** Files named on the command line, with folders expanded to the DMAR tables inside them. */
function expandInputs(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try { stat = fs.statSync(input); } catch { throw new IoError(`${input}: no such file or folder`); }
    if (!stat.isDirectory()) { out.push(input); continue; }
    for (const name of fs.readdirSync(input).sort()) {
      const full = path.join(input, name);
      if (!CHECKABLE.test(name) || !fs.statSync(full).isFile()) continue;
      if (isDmarCandidate(full)) out.push(full);
    }
  }
  return out;
}

/** In a folder, only DMAR tables count: an apic.dsl or a package.json beside them is context, not input. */
function isDmarCandidate(file: string): boolean {
  const head = fs.readFileSync(file).subarray(0, 4096);
  if (head.subarray(0, 4).toString('latin1') === 'DMAR') return true;
  const text = head.toString('latin1');
  if (/\.json$/i.test(file)) return /\.dmar\.json$/i.test(file);
  return /Signature\s*:\s*"DMAR"/.test(text);
}

interface Io {
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  cwd: string;
}

export function run(argv: readonly string[], io: Io): number {
  try {
    const p = parseArgs(argv);
    if (p.command === '--version') { io.stdout(VERSION + '\n'); return 0; }
    if (!p.command || p.command === '--help' || p.command === '-h' || p.command === 'help' || p.options.has('--help') || p.options.has('-h')) {
      io.stdout(USAGE);
      return p.command ? 0 : 2;
    }
    switch (p.command) {
      case 'check': return check(p, io);
      case 'compile': return convertCommand(p, io, 'binary');
      case 'decompile': return convertCommand(p, io, 'asl');
      case 'convert': {
        const to = single(p, '--to');
        if (to !== 'asl' && to !== 'json' && to !== 'binary') throw new UsageError('convert needs --to asl, json or binary');
        return convertCommand(p, io, to);
      }
      default: throw new UsageError(`unknown command "${p.command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) { io.stderr(`dmar: ${e.message}\n\n${USAGE}`); return 2; }
    if (e instanceof IoError) { io.stderr(`dmar: ${e.message}\n`); return 2; }
    io.stderr(`dmar: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

function check(p: Parsed, io: Io): number {
  const format = single(p, '--format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  if (p.files.length === 0) throw new UsageError('check needs at least one file or folder');
  const severities: Record<string, SeveritySetting> = {};
  for (const spec of p.options.get('--rule') ?? []) {
    const m = /^([a-z0-9-]+)=(off|hint|info|warning|error)$/.exec(spec);
    if (!m) throw new UsageError(`--rule takes <id>=<off|hint|info|warning|error>, not "${spec}"`);
    if (!RULES_BY_ID.has(m[1]!)) throw new UsageError(`--rule: unknown rule id "${m[1]}"`);
    severities[m[1]!] = m[2] as SeveritySetting;
  }
  const overrides: SettingsOverrides = {
    config: single(p, '--config'),
    memoryMap: single(p, '--memory-map'),
    pci: single(p, '--pci'),
    madt: single(p, '--madt'),
    iovaProfiles: p.options.get('--iova-profile'),
    severities,
  };
  const files = expandInputs(p.files);
  if (files.length === 0) throw new IoError(`no DMAR tables found in ${p.files.join(', ')}`);
  const reports: FileReport[] = [];
  let failed = false;
  for (const file of files) {
    const content = readInput(file);
    const settings = loadProjectSettings(path.dirname(path.resolve(io.cwd, file)), overrides);
    for (const problem of settings.problems) io.stderr(`${problem}\n`);
    if (settings.fatal) return 2;
    const doc = parseDocument(file, content);
    const findings = analyzeDocument(doc, settings.analyze);
    if (findings.some((f) => f.severity === 'error')) failed = true;
    reports.push({ file, findings });
  }
  if (format === 'text') {
    // In pieces as it is made: 10,000 findings are a 10 MB report.
    for (const chunk of textReportChunks(reports)) io.stdout(asBytes(chunk));
  } else {
    io.stdout(asBytes(format === 'json' ? formatJson(reports) : formatSarif(reports, VERSION)));
  }
  return failed ? 1 : 0;
}

/**
 * Text as the bytes stdout would write (UTF-8). ASCII text, nearly every report, is copied byte
 * for byte (Latin-1), which is several times faster than encoding it character by character.
 */
function asBytes(text: string): string | Uint8Array {
  return Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'latin1') : text;
}

function convertCommand(p: Parsed, io: Io, to: ConvertTarget): number {
  if (p.files.length !== 1) throw new UsageError(`${p.command} takes exactly one input file`);
  const file = p.files[0]!;
  const doc = parseDocument(file, readInput(file));
  const problems = conversionProblems(doc, to);
  if (problems.length > 0) {
    for (const problem of problems) io.stderr(`${file}${problem.at ? `:${problem.at}` : ''}: error: ${problem.message}\n`);
    return 2;
  }
  const out = single(p, '-o');
  if (to === 'binary') {
    const creator = parseCreator(single(p, '--creator'));
    // `compile` compiles a text form as iasl does; `convert` keeps every byte the model holds.
    const bytes = encodeDocument(doc, { creator, asModel: p.command !== 'compile' });
    writeOutput(out || defaultCompileOutput(file), bytes, io.stdout);
    return 0;
  }
  const text = to === 'json' ? jsonText(doc) : sourceText(doc, `DMAR table decompiled by dmar ${VERSION} from ${path.basename(file)}`);
  writeOutput(out, text, io.stdout);
  return 0;
}

function parseCreator(spec: string | undefined): { id: string; revision: number } | undefined {
  if (spec === undefined) return undefined;
  const m = /^(.{1,4}):([0-9A-Fa-f]{1,8})$/.exec(spec);
  if (!m) throw new UsageError(`--creator takes ID:REVISION with a 4-character ID and a hex revision, e.g. INTL:20200925`);
  return { id: m[1]!, revision: parseInt(m[2]!, 16) };
}

if (require.main === module) {
  const code = run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
