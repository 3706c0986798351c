// Completion for iasl sources: at the start of a line, the fields that may come next (in the order
// fields.ts gives, spelled as the document spells them, with the document's offset prefix so the
// line is aligned as iasl aligns it); after `Subtable Type :` or `Device Scope Type :` the type
// values with their names; and snippets for a whole DRHD, RMRR or device scope, printed by the
// source writer. JSON completion is left to the JSON schema; binaries are read-only.

import {
  CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range,
} from 'vscode-languageserver-types';
import { encodedScopeSize, encodedStructureSize } from '../table/binary-writer';
import { hex } from '../table/bytes';
import {
  DMAR_HEADER_SIZE, PATH_FIELD, SCOPE_FIELDS, STRUCTURE_BY_KIND, STRUCTURE_HEADER_FIELDS, STRUCTURE_SPECS, TABLE_HEADER_FIELDS,
  type FieldSpec,
} from '../table/fields';
import { SCOPE_TYPE, emptyLoc, type DeviceScope, type DmarTable, type Drhd, type Position, type Rmrr, type Structure } from '../table/model';
import { detectPrefixStyle, fieldLine, writeStructuresText } from '../table/source-writer';
import { textTable, type FeatureContext } from './context';
import { HEADER_FIELD_SPECS, fieldsWithText, nodeAt, structureFieldSpecs, type FieldRef } from './nodes';

export interface CompletionOptions {
  /** The client takes snippet syntax (`${1:value}`). */
  snippets: boolean;
}

export function completions(ctx: FeatureContext, position: Position, options: CompletionOptions): CompletionItem[] {
  if (ctx.doc.form !== 'source') return [];
  const table = textTable(ctx);
  const rawStart = table.rawData?.loc.range?.start.line;
  if (rawStart !== undefined && position.line >= rawStart) return [];
  const lineText = lineAt(ctx.doc.text, position.line).replace(/\r$/, '');
  const before = lineText.slice(0, position.character);
  if (before.includes('//') || before.includes('/*')) return [];
  const lineRange: Range = { start: { line: position.line, character: 0 }, end: { line: position.line, character: lineText.length } };

  const valueContext = /^\s*(?:\[[^\]]*\]\s*)?([A-Za-z][A-Za-z0-9 ()]*?)\s*:\s*([0-9A-Fa-f]*)$/.exec(before);
  if (valueContext) {
    const valueStart = position.character - valueContext[2]!.length;
    return valueCompletions(table, position, valueContext[1]!, { start: { line: position.line, character: valueStart }, end: lineRange.end });
  }
  if (before.includes(':')) return [];
  return lineCompletions(ctx, table, position, before, lineRange, options);
}

// ---------------------------------------------------------------------------------------------
// Values of type fields

function enumItem(value: string, name: string, doc: string, range: Range, order: number): CompletionItem {
  return {
    label: value,
    kind: CompletionItemKind.EnumMember,
    detail: name,
    documentation: { kind: MarkupKind.Markdown, value: doc },
    sortText: String(order).padStart(3, '0'),
    textEdit: { range, newText: `${value} [${name}]` },
  };
}

/** The structure a line belongs to, or the last one that starts above it (a line being typed). */
function structureAround(table: DmarTable, position: Position): Structure | undefined {
  const at = nodeAt(table, position).structure;
  if (at) return at;
  let last: Structure | undefined;
  for (const s of table.structures) if ((s.loc.range?.start.line ?? Infinity) < position.line) last = s;
  return last;
}

function valueCompletions(table: DmarTable, position: Position, name: string, range: Range): CompletionItem[] {
  const structureType = STRUCTURE_HEADER_FIELDS.find((f) => f.role === 'type')!;
  if (structureType.names.includes(name)) {
    return STRUCTURE_SPECS.map((s, i) => enumItem(hex(s.type, 4), s.title, `**${s.short}**: ${s.doc}`, range, i));
  }
  const spec = [...SCOPE_FIELDS, ...STRUCTURE_SPECS.flatMap((s) => s.fields), ...HEADER_FIELD_SPECS].find((f) => f.names.includes(name));
  if (!spec?.values) return [];
  let allowed = Object.keys(spec.values).map(Number);
  if (spec === SCOPE_FIELDS[0]) {
    // Only the scope types the enclosing structure takes (IOAPIC, HPET and namespace scopes belong under a DRHD).
    const s = structureAround(table, position);
    const scopeTypes = s && s.kind !== 'unknown' ? STRUCTURE_BY_KIND.get(s.kind)?.scopeTypes : undefined;
    if (scopeTypes) allowed = allowed.filter((t) => scopeTypes.includes(t));
  }
  return allowed.map((v, i) => enumItem(hex(v, spec.width * 2), spec.values![v]!, spec.doc, range, i));
}

// ---------------------------------------------------------------------------------------------
// Whole lines: the next fields and snippets

interface NextField {
  spec: FieldSpec;
  /** The spelling to write (a part's name for fields newer iasl splits). */
  name: string;
  offset: number;
  width: number;
}

interface NextLines {
  fields: NextField[];
  /** Where a new structure would start, when one may start here. */
  structureOffset?: number;
  /** Where a new device scope would start, when one may start here. */
  scopeOffset?: number;
}

/** The spelling the document already uses for a field (`Device Scope Entry Type` in older dumps), else iasl 20200925's. */
function spellingOf(spec: FieldSpec, text: string, fields: readonly FieldRef[]): string {
  for (const f of fields) {
    if (f.spec !== spec || f.loc.nameStart === undefined) continue;
    const line = lineAt(text, f.loc.line!);
    const written = line.slice(f.loc.nameStart, f.loc.nameEnd);
    if (written) return written;
  }
  return spec.names[0]!;
}

/** Specs after `index` that the text lacks, up to the first it has: what may be inserted here. */
function missingAfter(specs: readonly FieldSpec[], index: number, present: (spec: FieldSpec) => boolean, offset: number): { fields: { spec: FieldSpec; offset: number }[]; complete: boolean } {
  const out: { spec: FieldSpec; offset: number }[] = [];
  let o = offset;
  for (let i = index + 1; i < specs.length; i++) {
    const spec = specs[i]!;
    if (present(spec)) return { fields: out, complete: false };
    out.push({ spec, offset: o });
    o += spec.width;
  }
  return { fields: out, complete: true };
}

function nextLines(ctx: FeatureContext, table: DmarTable, fields: readonly FieldRef[], line: number): NextLines {
  let prev: FieldRef | undefined;
  for (const f of fields) if (f.loc.line! < line && f.spec) prev = f;
  const spell = (spec: FieldSpec) => spellingOf(spec, ctx.doc.text, fields);
  const next = (list: { spec: FieldSpec; offset: number }[]): NextField[] => list.map(({ spec, offset }) => {
    const name = spell(spec);
    // A document in newer iasl's dialect writes a split field's first part here (scope `Flags`).
    const part = spec.parts?.find((p) => p.names.includes(name));
    return { spec, name, offset, width: part?.width ?? spec.width };
  });
  const lineOf = (loc: { fields: Record<string, { line?: number }> }, key: string) => loc.fields[key]?.line;

  if (!prev) {
    const first = TABLE_HEADER_FIELDS[0]!;
    return lineOf(table.loc, first.key) === undefined ? { fields: next([{ spec: first, offset: 0 }]) } : { fields: [] };
  }
  const end = prev.loc.offset + prev.loc.width;
  const owner = prev.owner;
  if (owner.kind === 'table') {
    const index = HEADER_FIELD_SPECS.indexOf(prev.spec!);
    const missing = missingAfter(HEADER_FIELD_SPECS, index, (s) => lineOf(table.loc, s.key) !== undefined, end);
    if (missing.fields.length > 0 || !missing.complete) return { fields: next(missing.fields) };
    return withStructureStart({ fields: [] }, DMAR_HEADER_SIZE, spell);
  }
  const s = owner.structure;
  const structureEnd = s.loc.offset + encodedStructureSize(s);
  if (owner.kind === 'structure') {
    const specs = structureFieldSpecs(s);
    const missing = missingAfter(specs, specs.indexOf(prev.spec!), (x) => lineOf(s.loc, x.key) !== undefined, end);
    if (missing.fields.length > 0 || !missing.complete) return { fields: next(missing.fields) };
    const result: NextLines = { fields: [] };
    const takesScopes = s.kind !== 'unknown' && STRUCTURE_BY_KIND.get(s.kind)?.scopeTypes !== undefined;
    if (takesScopes) withScopeStart(result, end, spell);
    // Scopes below the cursor belong to this structure: a new structure here would take them over.
    const scopesBelow = 'scopes' in s && s.scopes.length > 0;
    return scopesBelow ? result : withStructureStart(result, structureEnd, spell);
  }
  const scope = owner.scope;
  const scopeEnd = scope.loc.offset + encodedScopeSize(scope);
  const parts = prev.spec!.parts;
  if (parts && prev.key === 'reserved') {
    const writtenName = spell(prev.spec!);
    if (parts[0]!.names.includes(writtenName) && !partLineBetween(ctx.doc.text, prev.loc.line!, line, parts[1]!.names)) {
      return { fields: [{ spec: prev.spec!, name: parts[1]!.names[0]!, offset: prev.loc.offset + parts[0]!.width, width: parts[1]!.width }] };
    }
  }
  if (prev.pathIndex === undefined) {
    const index = SCOPE_FIELDS.indexOf(prev.spec!);
    const missing = missingAfter(SCOPE_FIELDS, index, (x) => lineOf(scope.loc, x.key) !== undefined, end);
    if (missing.fields.length > 0 || !missing.complete) return { fields: next(missing.fields) };
  }
  const pathsBelow = scope.path.length > 0 && (scope.loc.fields[`path${scope.path.length - 1}`]?.line ?? -1) > line;
  const result: NextLines = { fields: [{ spec: PATH_FIELD, name: PATH_FIELD.names[0]!, offset: end, width: PATH_FIELD.width }] };
  if (pathsBelow) return result;
  withScopeStart(result, scopeEnd, spell);
  const lastScope = 'scopes' in s && s.scopes[s.scopes.length - 1] === scope;
  return lastScope ? withStructureStart(result, structureEnd, spell) : result;
}

function withStructureStart(result: NextLines, offset: number, spell: (spec: FieldSpec) => string): NextLines {
  const type = STRUCTURE_HEADER_FIELDS[0]!;
  result.fields.push({ spec: type, name: spell(type), offset, width: type.width });
  result.structureOffset = offset;
  return result;
}

function withScopeStart(result: NextLines, offset: number, spell: (spec: FieldSpec) => string): NextLines {
  const type = SCOPE_FIELDS[0]!;
  result.fields.push({ spec: type, name: spell(type), offset, width: type.width });
  result.scopeOffset = offset;
  return result;
}

/** Whether a line between two others already names the second part of a split field. */
function partLineBetween(text: string, fromLine: number, toLine: number, names: readonly string[]): boolean {
  let start = lineStart(text, fromLine + 1);
  for (let l = fromLine + 1; l < toLine && start >= 0; l++) {
    const end = text.indexOf('\n', start);
    const m = /^\s*(?:\[[^\]]*\]\s*)?([^:]+?)\s*:/.exec(text.slice(start, end < 0 ? text.length : end));
    if (m && names.includes(m[1]!)) return true;
    start = end < 0 ? -1 : end + 1;
  }
  return false;
}

/** Where line `line` of `text` starts, or -1 past its last line. Not split('\n'): a table can have 200,000 lines. */
function lineStart(text: string, line: number): number {
  let start = 0;
  for (let l = 0; l < line && start >= 0; l++) {
    const end = text.indexOf('\n', start);
    start = end < 0 ? -1 : end + 1;
  }
  return start;
}

/** text.split('\n')[line] ?? '' without splitting the whole text. */
function lineAt(text: string, line: number): string {
  const start = lineStart(text, line);
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/** `$`, `}` and `\` are snippet syntax. */
function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, (c) => '\\' + c);
}

/** What to put after the colon: a placeholder with a value of the right width. */
function valueTemplate(spec: FieldSpec, width: number, snippets: boolean): string {
  if (spec === PATH_FIELD) return snippets ? '${1:00},${2:00}' : '00,00';
  if (spec.kind === 'ascii' || spec.kind === 'name') return snippets ? '"$1"' : '""';
  if (spec.role === 'type') {
    const values = spec.width === 2 ? STRUCTURE_SPECS.map((s) => hex(s.type, 4)) : Object.keys(spec.values ?? {}).map((v) => hex(Number(v), 2));
    return snippets ? `\${1|${values.join(',')}|}` : values[0]!;
  }
  const zeros = spec.kind === 'bytes' ? Array(spec.width).fill('00').join(' ') : '0'.repeat(width * 2);
  return snippets ? `\${1:${zeros}}` : zeros;
}

function lineCompletions(ctx: FeatureContext, table: DmarTable, position: Position, before: string, range: Range, options: CompletionOptions): CompletionItem[] {
  const style = detectPrefixStyle(ctx.doc.text);
  const fields = fieldsWithText(table);
  const next = nextLines(ctx, table, fields, position.line);
  // The client filters by the text from the range's start to the cursor: the typed indentation
  // and prefix, then the start of a name. Match that shape so typing "Bas" keeps "Base Address".
  const typedLead = /^\s*(?:\[[^\]]*\]?\s*)?/.exec(before)![0];
  const format = options.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  const items: CompletionItem[] = next.fields.map((f, i) => {
    const line = fieldLine(f.offset, f.width, f.name, '', style);
    const insert = (options.snippets ? escapeSnippet(line) : line) + valueTemplate(f.spec, f.width, options.snippets);
    return {
      label: f.name,
      kind: CompletionItemKind.Field,
      detail: `${f.width ? `${f.width} byte${f.width === 1 ? '' : 's'} at ` : ''}offset 0x${hex(f.offset, 3)}`,
      documentation: { kind: MarkupKind.Markdown, value: f.spec.doc },
      sortText: String(i).padStart(3, '0'),
      filterText: typedLead + f.name,
      textEdit: { range, newText: insert },
      insertTextFormat: format,
    };
  });
  const snippet = (label: string, detail: string, structures: Structure[], offset: number, skipLines = 0, order = 100): CompletionItem => {
    const lines = writeStructuresText(structures, offset, style).replace(/\n+$/, '').split('\n').slice(skipLines);
    return {
      label,
      kind: CompletionItemKind.Snippet,
      detail,
      sortText: String(order),
      filterText: typedLead + label,
      textEdit: { range, newText: options.snippets ? toSnippet(lines) : lines.join('\n') },
      insertTextFormat: format,
    };
  };
  if (next.structureOffset !== undefined) {
    items.push(snippet('DRHD', 'A remapping hardware unit listing one device', [exampleDrhd()], next.structureOffset, 0, 100));
    items.push(snippet('RMRR', 'A reserved memory region for one device', [exampleRmrr()], next.structureOffset, 0, 101));
  }
  if (next.scopeOffset !== undefined) {
    // The writer prints scopes only inside a structure: print an RMRR whose scope lands at the
    // offset wanted and keep the scope's lines.
    const host = exampleRmrr();
    const fixed = encodedStructureSize({ ...host, scopes: [] });
    const lines = writeStructuresText([host], next.scopeOffset - fixed, style).split('\n');
    const scopeNames = SCOPE_FIELDS[0]!.names;
    const first = lines.findIndex((l) => scopeNames.some((n) => l.includes(`${n} :`)));
    items.push(snippet('Device scope', 'A PCI endpoint device scope', [host], next.scopeOffset - fixed, first, 102));
  }
  return items;
}

/** Field keys whose values a snippet offers for editing; lengths and types stay as printed. */
const EDITABLE_KEYS = new Set(['flags', 'segment', 'registerBase', 'base', 'limit', 'startBus']);
const EDITABLE_NAMES = new Set(
  [...STRUCTURE_BY_KIND.get('drhd')!.fields, ...STRUCTURE_BY_KIND.get('rmrr')!.fields, ...SCOPE_FIELDS]
    .filter((f) => EDITABLE_KEYS.has(f.key)).flatMap((f) => f.names).concat(PATH_FIELD.names),
);

/** Printed lines -> a snippet whose editable values are tab stops. */
function toSnippet(lines: readonly string[]): string {
  let stop = 1;
  const out = lines.map((line) => {
    const m = /^(.*?)(\S[^:]*?) : (\S+)(.*)$/.exec(line);
    if (!m || !EDITABLE_NAMES.has(m[2]!)) return escapeSnippet(line);
    return `${escapeSnippet(m[1]! + m[2]! + ' : ')}\${${stop++}:${escapeSnippet(m[3]!)}}${escapeSnippet(m[4]!)}`;
  });
  return out.join('\n') + '\n$0';
}

function exampleScope(device: number): DeviceScope {
  return { type: SCOPE_TYPE.endpoint, length: 8, reserved: 0, enumerationId: 0, startBus: 0, path: [{ device, function: 0 }], tail: new Uint8Array(0), loc: emptyLoc() };
}

function exampleDrhd(): Drhd {
  const s: Drhd = { kind: 'drhd', type: 0, length: 0, flags: 0, size: 0, segment: 0, registerBase: 0xfed90000n, scopes: [exampleScope(0x02)], tail: new Uint8Array(0), loc: emptyLoc() };
  s.length = encodedStructureSize(s);
  return s;
}

/** Graphics stolen memory below the top of low memory, as client firmware reports it for 00:02.0. */
function exampleRmrr(): Rmrr {
  const s: Rmrr = { kind: 'rmrr', type: 1, length: 0, reserved: 0, segment: 0, base: 0x7b800000n, limit: 0x7fffffffn, scopes: [exampleScope(0x02)], tail: new Uint8Array(0), loc: emptyLoc() };
  s.length = encodedStructureSize(s);
  return s;
}
