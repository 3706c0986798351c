// Turns a fix (a change to a copy of the model) into text edits for a JSON document
// (`*.dmar.json`), the counterpart of fixEditsForSource. The fixed table is written with the JSON
// form's own writer and only what differs is carried over into the document:
// - a changed value gets an edit of that value alone;
// - a property the writer now leaves out (a Length or checksum that is right again, a reserved
//   field back at zero) disappears, and one it now needs (a stale Length) appears;
// - a scope or structure removed takes its lines with it; a run of structures or scopes that was
//   split or reordered is replaced by the writer's text, indented like the document (elements that
//   only moved keep their own text).
// Everything else, comments included, keeps its text. The result is checked by reading it back;
// should the edits not read as the fixed table, the document's table object is rewritten whole.

import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { applyFix } from './fix-edits';
import type { Fix, TextEdit } from './finding';
import { readJson, writeJson } from './json-form';
import { LineIndex } from './line-index';
import type { DeviceScope, DmarTable, Position, Structure, TextRange } from './model';

/** Text edits that turn `text` (read into `table`) into a text that reads as the fixed table. */
export function fixEditsForJson(text: string, table: DmarTable, fix: Fix): TextEdit[] {
  return jsonEditsBetween(text, table, applyFix(table, fix));
}

/**
 * Text edits that turn `text`, which reads as `before`, into one that reads as `after`. Empty when
 * the tables read the same, or when no edit could be found that reads back as `after`.
 */
export function jsonEditsBetween(text: string, before: DmarTable, after: DmarTable): TextEdit[] {
  const target = writeJson(after);
  const source = writeJson(before);
  if (source === target) return [];
  const doc = new JsonDocument(text);
  const minimal = merged(new EditPlanner(doc, source, target).plan(before, after));
  if (minimal && readsAs(doc.apply(minimal), target)) return doc.textEdits(minimal);
  const whole = merged(doc.rewriteRoot(target));
  if (whole && readsAs(doc.apply(whole), target)) return doc.textEdits(whole);
  return [];
}

function readsAs(text: string, target: string): boolean {
  return writeJson(readJson(text).table) === target;
}

/** An edit by offsets; `seq` keeps insertions at one offset in the order they were planned. */
interface OffsetEdit {
  offset: number;
  end: number;
  text: string;
  seq: number;
}

/** Where a property or element sits on its line(s). */
interface LineInfo {
  /** Nothing but indentation before it, nothing but a comma and a line comment after it. */
  ownLine: boolean;
  /** Offset of the comma that follows it on its line. */
  comma?: number;
  /** Where its last line's text ends (before the line break). */
  lineEnd: number;
}

/** The document being edited: its text, its parse tree, its indentation and line breaks. */
class JsonDocument {
  /** The text as parsed: a byte order mark is read as a space, as the reader does, so offsets stay. */
  readonly json: string;
  readonly root: JsonNode | undefined;
  /** One level of the document's indentation (default two spaces). */
  readonly unit: string;
  readonly eol: string;
  private readonly lines: LineIndex;

  constructor(readonly text: string) {
    this.json = text.startsWith('\uFEFF') ? ' ' + text.slice(1) : text;
    this.root = parseTree(this.json, [], { allowTrailingComma: true, disallowComments: false });
    this.lines = new LineIndex(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.unit = this.detectIndentUnit();
  }

  /** The indentation of the table's first property that starts a line. */
  private detectIndentUnit(): string {
    for (const property of this.root?.type === 'object' ? this.root.children ?? [] : []) {
      const indent = this.indentAt(property.offset);
      if (indent.length > 0 && this.lineStart(property.offset) + indent.length === property.offset) {
        return indent.includes('\t') ? '\t' : indent;
      }
    }
    return '  ';
  }

  offsetAt(p: Position): number {
    return this.lines.offset(p);
  }

  positionAt(offset: number): Position {
    return this.lines.position(offset);
  }

  lineStart(offset: number): number {
    let p = offset;
    while (p > 0 && this.json[p - 1] !== '\n' && this.json[p - 1] !== '\r') p--;
    return p;
  }

  /** After the line break that ends the line holding `offset`'s line end. */
  nextLineStart(lineEnd: number): number {
    if (this.json[lineEnd] === '\r' && this.json[lineEnd + 1] === '\n') return lineEnd + 2;
    return lineEnd < this.json.length ? lineEnd + 1 : lineEnd;
  }

  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    return /^[ \t]*/.exec(this.json.slice(start, offset))![0];
  }

  /** The start of the comment lines right above a node's line (no blank line between), or its line's start. */
  leadingCommentsStart(node: JsonNode): number {
    let start = this.lineStart(node.offset);
    while (start > 0) {
      let end = start - 1;
      if (this.json[end] === '\n' && this.json[end - 1] === '\r') end--;
      const above = this.lineStart(end);
      const line = this.json.slice(above, end).trim();
      if (!line.startsWith('//') && !(line.startsWith('/*') && line.endsWith('*/'))) break;
      start = above;
    }
    return start;
  }

  startsLine(node: JsonNode): boolean {
    return /^[ \t]*$/.test(this.json.slice(this.lineStart(node.offset), node.offset));
  }

  lineInfo(node: JsonNode): LineInfo {
    const t = this.json;
    let p = node.offset + node.length;
    const skipBlanks = () => { while (t[p] === ' ' || t[p] === '\t') p++; };
    skipBlanks();
    let comma: number | undefined;
    if (t[p] === ',') {
      comma = p++;
      skipBlanks();
    }
    if (t.startsWith('//', p)) while (p < t.length && t[p] !== '\n' && t[p] !== '\r') p++;
    const atLineEnd = p >= t.length || t[p] === '\n' || t[p] === '\r';
    return { ownLine: atLineEnd && this.startsLine(node), comma, lineEnd: p };
  }

  /** The comma after a node, past whitespace and comments on any line. */
  commaAfter(node: JsonNode): number | undefined {
    const t = this.json;
    let p = node.offset + node.length;
    for (;;) {
      while (p < t.length && /\s/.test(t[p]!)) p++;
      if (t.startsWith('//', p)) while (p < t.length && t[p] !== '\n' && t[p] !== '\r') p++;
      else if (t.startsWith('/*', p)) {
        const close = t.indexOf('*/', p + 2);
        p = close < 0 ? t.length : close + 2;
      } else break;
    }
    return t[p] === ',' ? p : undefined;
  }

  slice(node: JsonNode): string {
    return this.json.slice(node.offset, node.offset + node.length);
  }

  /** Writer text (two-space indented, `\n` lines) moved to a line indented by `indent`. */
  reindent(writerText: string, writerIndent: number, indent: string): string {
    return writerText.split('\n').map((line, i) => {
      if (i === 0) return line;
      const spaces = /^ */.exec(line)![0].length;
      return indent + this.unit.repeat(Math.max(0, spaces - writerIndent) / 2) + line.slice(spaces);
    }).join(this.eol);
  }

  /** One edit replacing the table object with the writer's text, keeping what surrounds it. */
  rewriteRoot(target: string): OffsetEdit[] | undefined {
    if (!this.root) return undefined;
    const written = target.replace(/\n$/, '');
    return [{ offset: this.root.offset, end: this.root.offset + this.root.length, text: this.reindent(written, 0, this.indentAt(this.root.offset)), seq: 0 }];
  }

  /** Apply edits from merged(). */
  apply(edits: readonly OffsetEdit[]): string {
    let out = this.text;
    for (let i = edits.length - 1; i >= 0; i--) out = out.slice(0, edits[i]!.offset) + edits[i]!.text + out.slice(edits[i]!.end);
    return out;
  }

  textEdits(edits: readonly OffsetEdit[]): TextEdit[] {
    return edits.map((e) => ({ range: this.rangeOf(e.offset, e.end), newText: e.text }));
  }

  private rangeOf(start: number, end: number): TextRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/**
 * Edits in text order, with everything that starts at one offset made one edit (insertions in the
 * order they were planned, then what they precede): editors and applyTextEdits disagree on the
 * order of several insertions at one place. Undefined when two edits overlap.
 */
function merged(edits: readonly OffsetEdit[] | undefined): OffsetEdit[] | undefined {
  if (!edits) return undefined;
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || (a.end - a.offset) - (b.end - b.offset) || a.seq - b.seq);
  const out: OffsetEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.offset === e.offset && last.end === last.offset) {
      last.text += e.text;
      last.end = e.end;
    } else if (last && e.offset < last.end) {
      return undefined;
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/** Thrown when the document's shape does not match the table it was read into. */
class NoMatch extends Error {}

type NodeKind = 'table' | 'structure' | 'scope';

/** Properties that hold arrays diffed element by element. */
const ARRAY_KEYS: Readonly<Record<NodeKind, string | undefined>> = { table: 'structures', structure: 'scopes', scope: undefined };
/** Absent means "computed", and what they compute to changes with the content. */
const COMPUTED_KEYS = new Set(['length', 'checksum']);

/** A comparable form of the model value behind one JSON property. */
function modelValue(node: object, key: string, kind: NodeKind): string {
  if (kind === 'scope') {
    const scope = node as DeviceScope;
    if (key === 'device' || key === 'startBus' || key === 'path') return `${scope.startBus}/${scope.path.map((p) => `${p.device}.${p.function}`).join('/')}`;
    if (key === 'class') return String(scope.annotation?.class);
    if (key === 'name') return String(scope.annotation?.name);
  }
  const value = (node as Record<string, unknown>)[key];
  if (value instanceof Uint8Array) return 'bytes:' + Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return 'n:' + value.toString(16);
  return typeof value + ':' + String(value);
}

function propertiesOf(object: JsonNode): { key: string; node: JsonNode; value?: JsonNode }[] {
  const out: { key: string; node: JsonNode; value?: JsonNode }[] = [];
  for (const property of object.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (keyNode && typeof keyNode.value === 'string') out.push({ key: keyNode.value, node: property, value });
  }
  return out;
}

/** The value node of a property; the last one when a key is given twice, as the reader takes it. */
function propertyValue(object: JsonNode | undefined, key: string): JsonNode | undefined {
  if (object?.type !== 'object') return undefined;
  return propertiesOf(object).filter((p) => p.key === key).pop()?.value;
}

/** One written table: the writer's text and its parse tree. */
class Written {
  readonly root: JsonNode;

  constructor(readonly text: string) {
    this.root = parseTree(text)!;
  }

  slice(node: JsonNode): string {
    return this.text.slice(node.offset, node.offset + node.length);
  }

  /** Spaces before the line `node` starts on. */
  indent(node: JsonNode): number {
    const start = this.text.lastIndexOf('\n', node.offset - 1) + 1;
    return /^ */.exec(this.text.slice(start, node.offset))![0].length;
  }
}

/** The text, the writer's text before and after the fix: works out the edits between them. */
class EditPlanner {
  private readonly edits: OffsetEdit[] = [];
  private readonly before: Written;
  private readonly after: Written;

  constructor(private readonly doc: JsonDocument, source: string, target: string) {
    this.before = new Written(source);
    this.after = new Written(target);
  }

  plan(before: DmarTable, after: DmarTable): OffsetEdit[] | undefined {
    const root = this.doc.root;
    if (root?.type !== 'object') return undefined;
    try {
      if (this.diffObject(root, before, after, this.before.root, this.after.root, 'table') === 'edited') {
        // Without a "structures" array diffObject has added one when needed.
        const text = propertyValue(root, 'structures');
        const b = findNodeAtLocation(this.before.root, ['structures'])!;
        const a = findNodeAtLocation(this.after.root, ['structures'])!;
        if (text?.type === 'array') this.diffArray(text, before.structures, after.structures, b, a, 'structure');
        else if (text && this.before.slice(b) !== this.after.slice(a)) return undefined;
      }
    } catch (e) {
      if (e instanceof NoMatch) return undefined;
      throw e;
    }
    return this.edits;
  }

  private push(offset: number, end: number, text: string): void {
    this.edits.push({ offset, end, text, seq: this.edits.length });
  }

  private writerValue(property: JsonNode, indent: string): string {
    const value = property.children![1]!;
    return this.doc.reindent(this.after.slice(value), this.after.indent(value), indent);
  }

  /**
   * Edit one object's properties: a changed value in place; a property the writer drops or adds
   * by its whole line when it has a line of its own, else within its line (a scope on one line).
   * Commas follow. Says whether the object had to be rewritten (then its arrays need nothing).
   */
  private diffObject(text: JsonNode, before: object, after: object, beforeNode: JsonNode, afterNode: JsonNode, kind: NodeKind): 'edited' | 'rewritten' {
    const arrayKey = ARRAY_KEYS[kind];
    const props = propertiesOf(text);
    const written = new Map(propertiesOf(afterNode).map((p) => [p.key, p.node]));
    const inText = new Set(props.map((p) => p.key));
    const changed = (key: string) => key === arrayKey
      ? this.before.slice(propertyValue(beforeNode, key)!) !== this.after.slice(propertyValue(afterNode, key)!)
      : modelValue(before, key, kind) !== modelValue(after, key, kind);

    const replacements: { value: JsonNode; property: JsonNode }[] = [];
    const removed = new Set<string>();
    for (const p of props) {
      if (p.key === arrayKey || removed.has(p.key) || !changed(p.key)) continue;
      const property = written.get(p.key);
      if (!property) removed.add(p.key);
      else if (p === props.filter((q) => q.key === p.key).pop() && p.value) replacements.push({ value: p.value, property });
    }
    const inserted = [...written.keys()].filter((key) => !inText.has(key) && (changed(key) || COMPUTED_KEYS.has(key)));

    if (removed.size === 0 && inserted.length === 0) {
      for (const r of replacements) this.push(r.value.offset, r.value.offset + r.value.length, this.writerValue(r.property, this.doc.indentAt(r.value.offset)));
      return 'edited';
    }
    // Each new property goes after the nearest property before it, in the writer's order, that stays.
    const kept = props.filter((p) => !removed.has(p.key));
    const order = [...written.keys()];
    const keptKeys = new Set(kept.map((p) => p.key));
    const insertedAfter = new Map<JsonNode, string[]>();
    const atStart: string[] = [];
    for (const key of inserted) {
      const predecessor = order.slice(0, order.indexOf(key)).reverse().find((k) => keptKeys.has(k));
      const anchor = predecessor === undefined ? undefined : kept.filter((p) => p.key === predecessor).pop()!.node;
      if (anchor) insertedAfter.set(anchor, [...(insertedAfter.get(anchor) ?? []), key]);
      else atStart.push(key);
    }
    if (kept.length === 0) {
      this.push(text.offset, text.offset + text.length, this.doc.reindent(this.after.slice(afterNode), this.after.indent(afterNode), this.doc.indentAt(text.offset)));
      return 'rewritten';
    }
    const lineOf = new Map(props.map((p) => [p.node, this.doc.lineInfo(p.node)]));
    for (const r of replacements) this.push(r.value.offset, r.value.offset + r.value.length, this.writerValue(r.property, this.doc.indentAt(r.value.offset)));

    const finalOrder: (JsonNode | string)[] = [...atStart];
    for (const p of kept) finalOrder.push(p.node, ...(insertedAfter.get(p.node) ?? []));
    const isLast = (item: JsonNode | string) => finalOrder[finalOrder.length - 1] === item;
    const lastInText = props[props.length - 1]!.node;
    const newProperty = (key: string, indent: string) =>
      `${indent}${JSON.stringify(key)}: ${this.writerValue(written.get(key)!, indent)}${isLast(key) ? '' : ','}`;
    for (const p of kept) {
      const comma = this.doc.commaAfter(p.node);
      const needsComma = !isLast(p.node);
      const end = p.node.offset + p.node.length;
      // A trailing comma after the last property stays as the author wrote it.
      if (needsComma && comma === undefined) this.push(end, end, ',');
      else if (!needsComma && comma !== undefined && p.node !== lastInText) this.push(comma, comma + 1, '');
      const added = insertedAfter.get(p.node);
      if (!added) continue;
      // On a line of its own a new property gets a line of its own; else it joins the line.
      const line = lineOf.get(p.node)!;
      if (line.ownLine) {
        const indent = this.doc.indentAt(p.node.offset);
        this.push(line.lineEnd, line.lineEnd, added.map((key) => this.doc.eol + newProperty(key, indent)).join(''));
      } else {
        const at = comma === undefined ? end : comma + 1;
        this.push(at, at, added.map((key) => ' ' + newProperty(key, '')).join(''));
      }
    }
    if (atStart.length > 0) {
      const first = kept[0]!.node;
      const ownLine = this.doc.startsLine(first);
      const indent = ownLine ? this.doc.indentAt(first.offset) : '';
      const at = ownLine ? this.doc.lineStart(first.offset) : first.offset;
      this.push(at, at, atStart.map((key) => newProperty(key, indent) + (ownLine ? this.doc.eol : ' ')).join(''));
    }
    props.forEach((p, i) => {
      if (!removed.has(p.key)) return;
      const line = lineOf.get(p.node)!;
      if (line.ownLine) {
        this.push(this.doc.lineStart(p.node.offset), this.doc.nextLineStart(line.lineEnd), '');
        return;
      }
      const comma = this.doc.commaAfter(p.node);
      let start = p.node.offset;
      let end = p.node.offset + p.node.length;
      if (comma !== undefined) {
        end = comma + 1;
        while (this.doc.json[end] === ' ' || this.doc.json[end] === '\t') end++;
      } else if (i > 0 && !removed.has(props[i - 1]!.key)) {
        while (this.doc.json[start - 1] === ' ' || this.doc.json[start - 1] === '\t') start--;
      }
      this.push(start, end, '');
    });
    return 'edited';
  }

  /** The text node of each model element, found by where the reader saw it start. */
  private elementNodes(array: JsonNode, items: readonly (Structure | DeviceScope)[]): JsonNode[] {
    const byOffset = new Map((array.children ?? []).map((n) => [n.offset, n]));
    return items.map((item) => {
      const start = item.loc.range?.start;
      const node = start && byOffset.get(this.doc.offsetAt(start));
      if (!node || node.type !== 'object') throw new NoMatch();
      return node;
    });
  }

  /**
   * Edit an array of structures or scopes: unchanged elements at both ends stay; a changed run of
   * the same length and kinds is edited element by element; any other run (elements removed,
   * split, reordered) is replaced by the writer's elements.
   */
  private diffArray<T extends Structure | DeviceScope>(text: JsonNode, before: readonly T[], after: readonly T[], beforeArray: JsonNode, afterArray: JsonNode, kind: 'structure' | 'scope'): void {
    const nodes = this.elementNodes(text, before);
    const beforeNodes = beforeArray.children ?? [];
    const afterNodes = afterArray.children ?? [];
    const beforeKeys = beforeNodes.map((n) => this.before.slice(n));
    const afterKeys = afterNodes.map((n) => this.after.slice(n));
    let prefix = 0;
    while (prefix < before.length && prefix < after.length && beforeKeys[prefix] === afterKeys[prefix]) prefix++;
    let suffix = 0;
    while (suffix < before.length - prefix && suffix < after.length - prefix
      && beforeKeys[before.length - 1 - suffix] === afterKeys[after.length - 1 - suffix]) suffix++;
    const endA = before.length - suffix;
    const endB = after.length - suffix;
    if (prefix === endA && prefix === endB) return;

    const runA = beforeKeys.slice(prefix, endA);
    const runB = afterKeys.slice(prefix, endB);
    const moved = runA.length > 1 && [...runA].sort().join('\u0000') === [...runB].sort().join('\u0000');
    const sameKinds = runA.length === runB.length && before.slice(prefix, endA).every((x, i) => kind === 'scope' || (x as Structure).kind === (after[prefix + i] as Structure).kind);
    if (sameKinds && !moved) {
      for (let i = prefix; i < endA; i++) {
        if (beforeKeys[i] === afterKeys[i]) continue;
        const result = this.diffObject(nodes[i]!, before[i]!, after[i]!, beforeNodes[i]!, afterNodes[i]!, kind);
        if (kind !== 'structure' || result === 'rewritten' || !('scopes' in before[i]!) || !('scopes' in after[i]!)) continue;
        const scopes = propertyValue(nodes[i], 'scopes');
        if (scopes?.type !== 'array') continue;
        this.diffArray(scopes, (before[i] as { scopes: DeviceScope[] }).scopes, (after[i] as { scopes: DeviceScope[] }).scopes,
          propertyValue(beforeNodes[i], 'scopes')!, propertyValue(afterNodes[i], 'scopes')!, 'scope');
      }
      return;
    }
    this.replaceRun(text, nodes, prefix, endA, afterNodes.slice(prefix, endB), beforeKeys, afterKeys.slice(prefix, endB));
  }

  /** Replace elements [from, to) of a text array with writer elements; an element that only moved keeps its text. */
  private replaceRun(array: JsonNode, nodes: JsonNode[], from: number, to: number, newNodes: JsonNode[], beforeKeys: string[], newKeys: string[]): void {
    const doc = this.doc;
    const reference = nodes[from] ?? nodes[from - 1] ?? nodes[to];
    const multiLine = reference ? doc.startsLine(reference) : true;
    const indent = reference && multiLine ? doc.indentAt(reference.offset) : doc.indentAt(array.offset) + doc.unit;
    const separator = multiLine ? ',' + doc.eol + indent : ', ';
    const unused = new Set(Array.from({ length: to - from }, (_, i) => from + i));
    const texts = newNodes.map((node, k): { body: string; from?: number } => {
      const same = [...unused].find((i) => beforeKeys[i] === newKeys[k]);
      if (same !== undefined) {
        unused.delete(same);
        return { body: doc.slice(nodes[same]!), from: same };
      }
      return { body: doc.reindent(this.after.slice(node), this.after.indent(node), indent) };
    });

    if (from < to && texts.length > 0) {
      const run = nodes.slice(from, to);
      const end = nodes[to - 1]!.offset + nodes[to - 1]!.length;
      if (!run.every((n) => doc.startsLine(n))) {
        this.push(nodes[from]!.offset, end, texts.map((t) => t.body).join(separator));
        return;
      }
      // One element a line: an element that moves takes the comment lines right above it along.
      const carried = (t: { body: string; from?: number }) =>
        (t.from === undefined ? '' : doc.json.slice(doc.leadingCommentsStart(nodes[t.from]!), doc.lineStart(nodes[t.from]!.offset))) + indent + t.body;
      const firstMoves = texts.some((t) => t.from === from);
      const start = firstMoves ? doc.leadingCommentsStart(nodes[from]!) : doc.lineStart(nodes[from]!.offset);
      this.push(start, end, texts.map(carried).join(',' + doc.eol));
      return;
    }
    const previous = nodes[from - 1];
    if (from < to) {
      // Removal only.
      const first = nodes[from]!;
      const last = nodes[to - 1]!;
      const lastLine = doc.lineInfo(last);
      if (doc.startsLine(first) && lastLine.ownLine) {
        this.push(doc.lineStart(first.offset), doc.nextLineStart(lastLine.lineEnd), '');
        const comma = previous && lastLine.comma === undefined ? doc.commaAfter(previous) : undefined;
        if (comma !== undefined) this.push(comma, comma + 1, '');
        return;
      }
      const comma = doc.commaAfter(last);
      if (comma !== undefined) {
        let end = comma + 1;
        while (doc.json[end] === ' ' || doc.json[end] === '\t') end++;
        this.push(first.offset, end, '');
      } else if (previous) {
        this.push(previous.offset + previous.length, last.offset + last.length, '');
      } else {
        this.push(first.offset, last.offset + last.length, '');
      }
      return;
    }
    // Insertion only.
    const bodies = texts.map((t) => t.body);
    const next = nodes[to];
    if (previous) {
      const comma = doc.commaAfter(previous);
      const line = doc.lineInfo(previous);
      if (comma !== undefined && multiLine && line.ownLine) {
        this.push(line.lineEnd, line.lineEnd, bodies.map((t) => doc.eol + indent + t + ',').join(''));
      } else if (comma !== undefined) {
        this.push(comma + 1, comma + 1, bodies.map((t) => ' ' + t + ',').join(''));
      } else {
        this.push(previous.offset + previous.length, previous.offset + previous.length, separator + bodies.join(separator));
      }
    } else if (next) {
      this.push(next.offset, next.offset, bodies.join(separator) + separator);
    } else {
      const close = array.offset + array.length - 1;
      const outer = doc.indentAt(array.offset);
      this.push(array.offset + 1, close, doc.eol + indent + bodies.join(',' + doc.eol + indent) + doc.eol + outer);
    }
  }
}
