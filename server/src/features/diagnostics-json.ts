// Diagnostics as the JSON a stream transport sends, kept between versions of a document. A table
// of 10,000 RMRRs has 10,000 diagnostics of about 1.5 KB each, and one keystroke changes one or
// two of them: building 10,000 objects and a 16 MB string for every version was most of the time
// between the analysis and the client, and most of the server's memory. Here each diagnostic's
// JSON is made once, as UTF-8 bytes outside the JavaScript heap (the collector neither copies nor
// scans them, and they do not raise the heap's limit), and reused while its finding stays the
// same (same rule, severity, range, message and related locations); only `data` (version and
// index) is written anew. The bytes are exactly JSON.stringify's of toDiagnostics()
// (test/features/diagnostics-json.test.ts).

import type { Diagnostic } from 'vscode-languageserver-types';
import type { ResolvedFinding } from '../analysis/runner';
import { ruleDocUrl } from '../analysis/docs';
import { DeferredFinding, type RelatedLocation } from '../table/finding';
import { sameTextRange, type TextRange } from '../table/model';
import { toDiagnostic, toDiagnostics, type DiagnosticOptions } from './diagnostics';

/** One diagnostic's JSON around its `data`, and what it was made from. */
interface Piece {
  rule: string;
  severity: string;
  message: string;
  /**
   * The latest finding this JSON was made from or found equal to: its range and related
   * locations are compared with the next version's (without making the related locations of a
   * DeferredFinding when it can tell they are the same).
   */
  finding: ResolvedFinding;
  /**
   * The diagnostic's JSON without `data`'s version and index, and without the shared parts of its
   * message. Written in order: `bytes` up to `cuts[0]`, `shared[0]`, `bytes` up to `cuts[1]`,
   * `shared[1]`, …, `bytes` up to `dataAt` (which ends in `"data":{"version":`), the version,
   * `,"index":` and the index, then the rest of `bytes` (`,"rule":"…"}`, relatedInformation when
   * sent, and `}`).
   */
  bytes: Buffer;
  /** Where in `bytes` each shared part goes (ascending, at most dataAt). */
  cuts: readonly number[];
  /**
   * The JSON of message parts that many findings share (DeferredFinding.messageParts), one
   * buffer per distinct text for all pieces: 10,000 locked devices have 10,000 messages of
   * 1 KB that differ in their first 60 characters.
   */
  shared: readonly Buffer[];
  dataAt: number;
  /** The DiagnosticJsonCache.list call that last gave this piece out. */
  listed: number;
}

const DATA_START = '"data":{"version":';
/** Written at a piece's split: the version, this and the index. */
const INDEX_KEY = ',"index":';
/** What `data` holds while a piece is cut around it (a control character never appears unescaped in JSON). */
const DATA_MARK = '\u0000';
const DATA_MARK_JSON = `"data":${JSON.stringify(DATA_MARK)}`;

function sameMessage(piece: Piece, finding: ResolvedFinding): boolean {
  // The piece's finding may hold the message of an earlier version (list() hands it on), equal to its own.
  const previous = piece.finding;
  if (previous instanceof DeferredFinding && previous.sameMessageAs(finding)) return true;
  return sameText(piece.message, finding.message);
}

/** Whether the related locations of `a` and `b` are the same (when sent: `withRelated`). */
function sameRelatedOf(a: ResolvedFinding, b: ResolvedFinding, withRelated: boolean): boolean {
  if (!withRelated) return true;
  if (a instanceof DeferredFinding && a.sameRelatedAs(b)) return true;
  return sameRelated(a.related, b.related);
}

function sameRelated(a: readonly RelatedLocation[] | undefined, b: readonly RelatedLocation[] | undefined): boolean {
  if (a === b) return true;
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) {
    const x = a![i]!;
    const y = b![i]!;
    if (x.message !== y.message || !sameTextRange(x.range, y.range)) return false;
  }
  return true;
}

/** Whether `finding` gives the JSON of `piece` (for the same URI and options: related locations sent or not). */
function madeFrom(piece: Piece, finding: ResolvedFinding, withRelated: boolean): boolean {
  return piece.rule === finding.rule && piece.severity === finding.severity && sameTextRange(piece.finding.range, finding.range)
    && sameMessage(piece, finding) && sameRelatedOf(piece.finding, finding, withRelated);
}

/**
 * `a === b`, without flattening either string. A rule builds its long messages by concatenation
 * around shared constant text (10,000 messages of 1 KB share most of theirs), and V8 keeps such a
 * string as a tree of parts until something reads its characters: then it replaces the tree by a
 * flat copy for good, and 10,000 messages held for the next version cost 10 MB of heap instead of
 * a few hundred KB. Comparing (and serialising, in makePiece) a new string made of the message
 * flattens that string, a short-lived one, and leaves the message as it is.
 */
function sameText(a: string, b: string): boolean {
  // No `a === b` first: on two trees of parts it flattens both.
  return a.length === b.length && '\u0000' + a === '\u0000' + b;
}

/** A string equal to `s` whose flattening leaves `s` as it is. */
function unflattened(s: string): string {
  return ('\u0000' + s).slice(1);
}

function rangeKey(rule: string, range: TextRange | undefined): string {
  return range ? `${rule} ${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}` : rule;
}

/**
 * The diagnostics of one publication. A stream writer asks for byteLength() and chunks();
 * anything else that serialises it (JSON.stringify, a message trace) gets the plain array.
 */
export class DiagnosticList {
  private bytes = -1;

  constructor(
    private readonly findings: readonly ResolvedFinding[],
    private readonly pieces: readonly Piece[],
    private readonly uri: string,
    private readonly version: number,
    private readonly options: DiagnosticOptions,
  ) {}

  toJSON(): Diagnostic[] {
    return toDiagnostics(this.findings, this.uri, this.version, this.options);
  }

  /** The UTF-8 length of the JSON array. */
  byteLength(): number {
    if (this.bytes < 0) {
      const pieces = this.pieces;
      const fixed = String(this.version).length + INDEX_KEY.length;
      // '[' and ']', and a ',' between diagnostics.
      let bytes = 2 + Math.max(0, pieces.length - 1);
      for (let i = 0; i < pieces.length; i++) bytes += pieceLength(pieces[i]!) + fixed + decimalDigits(i);
      this.bytes = bytes;
    }
    return this.bytes;
  }

  /**
   * `before`, the JSON array and `after` as UTF-8, in chunks filled into `buffers` in turn (a
   * piece longer than a buffer gets one of its own): the caller must be done with a chunk before
   * it asks for the one after the next. One chunk when it all fits: one write for a small list.
   */
  *chunks(buffers: readonly Buffer[], before = '', after = ''): Generator<Uint8Array> {
    let turn = 0;
    let buffer = bufferFor(buffers, turn, Buffer.byteLength(before) + 1);
    let used = buffer.write(before, 0);
    buffer[used++] = 0x5b; // [
    const versionToIndex = this.version + INDEX_KEY;
    const pieces = this.pieces;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const index = String(i);
      const bytes = 1 + pieceLength(piece) + versionToIndex.length + index.length;
      if (used + bytes > buffer.length) {
        yield buffer.subarray(0, used);
        buffer = bufferFor(buffers, ++turn, bytes);
        used = 0;
      }
      if (i > 0) buffer[used++] = 0x2c; // ,
      // copy() and set(): no view made per part.
      const { bytes: own, cuts, shared, dataAt } = piece;
      let from = 0;
      for (let k = 0; k < cuts.length; k++) {
        used += own.copy(buffer, used, from, cuts[k]);
        buffer.set(shared[k]!, used);
        used += shared[k]!.length;
        from = cuts[k]!;
      }
      used += own.copy(buffer, used, from, dataAt);
      used += buffer.write(versionToIndex + index, used, 'latin1');
      used += own.copy(buffer, used, dataAt);
    }
    const end = 1 + Buffer.byteLength(after);
    if (used + end > buffer.length) {
      yield buffer.subarray(0, used);
      buffer = bufferFor(buffers, ++turn, end);
      used = 0;
    }
    buffer[used++] = 0x5d; // ]
    used += buffer.write(after, used);
    yield buffer.subarray(0, used);
  }
}

function pieceLength(piece: Piece): number {
  let n = piece.bytes.length;
  for (let k = 0; k < piece.shared.length; k++) n += piece.shared[k]!.length;
  return n;
}

function bufferFor(buffers: readonly Buffer[], turn: number, bytes: number): Buffer {
  const buffer = buffers[turn % buffers.length]!;
  return bytes <= buffer.length ? buffer : Buffer.allocUnsafe(bytes);
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) { n = Math.floor(n / 10); digits++; }
  return digits;
}

/**
 * The last diagnostics of one document as JSON pieces; list() makes the next version's list,
 * reusing the piece of every finding that gives the same JSON. A finding is looked for at its
 * own index first (an edit rarely adds or removes findings), then by rule and range.
 */
export class DiagnosticJsonCache {
  private pieces: Piece[] = [];
  /** list() calls so far: a piece's `listed` says in which one it was last given out. */
  private lists = 0;
  private key = '';
  private readonly links = new Map<string, string>();

  /**
   * The diagnostics of `findings`, for the version after the last one listed. A finding that the
   * previous version had too (DeferredFinding.sameAs) is replaced in `findings` by that version's
   * object, which stands for it in every respect.
   */
  list(findings: ResolvedFinding[], uri: string, version: number, options: DiagnosticOptions = {}): DiagnosticList {
    const key = `${options.relatedInformation !== false} ${uri}`;
    if (key !== this.key) {
      this.pieces = [];
      this.key = key;
    }
    const previous = this.pieces;
    const stamp = ++this.lists;
    const withRelated = options.relatedInformation !== false;
    let byRange: Map<string, number[]> | undefined;
    const resolved: DiagnosticOptions = { ...options, docUrl: options.docUrl ?? ((rule) => this.link(rule)) };
    const pieces: Piece[] = new Array(findings.length);
    // Where the next finding's piece is expected in `previous`: findings keep their order, so
    // after a finding was added or removed the rest are found one place further or nearer. Past a
    // few findings not found there, they are looked up by rule and range.
    let next = 0;
    let misses = 0;
    for (let i = 0; i < findings.length; i++) {
      const finding = findings[i]!;
      let at = findNear(previous, next, finding, withRelated);
      if (at < 0 && ++misses > NEAR) {
        byRange ??= indexByRange(previous);
        at = byRange.get(rangeKey(finding.rule, finding.range))?.find((k) => madeFrom(previous[k]!, finding, withRelated)) ?? -1;
      }
      let piece: Piece | undefined;
      if (at >= 0) {
        piece = previous[at]!;
        next = at + 1;
      }
      if (piece && piece.listed !== stamp && piece.finding !== finding && finding instanceof DeferredFinding && finding.sameAs(piece.finding)) {
        // The previous version's finding stands for this one (once: two equal findings stay two
        // objects), and this analysis's finding and what it holds die young.
        findings[i] = piece.finding;
      } else if (piece) {
        // The message is the previous one's text: the finding takes the previous string, so this
        // analysis's own copy dies young instead of living, like the finding, until the next version.
        finding.message = piece.message;
        // This version's finding (equal to the previous one), so the previous analysis can go.
        piece.finding = finding;
      } else {
        piece = makePiece(finding, uri, resolved);
      }
      piece.listed = stamp;
      pieces[i] = piece;
    }
    this.pieces = pieces;
    return new DiagnosticList(findings, pieces, uri, version, resolved);
  }

  private link(rule: string): string {
    let href = this.links.get(rule);
    if (href === undefined) this.links.set(rule, href = ruleDocUrl(rule));
    return href;
  }
}

/** How far from the expected place a finding's piece is looked for before the index by range. */
const NEAR = 4;

function findNear(previous: readonly Piece[], expected: number, finding: ResolvedFinding, withRelated: boolean): number {
  for (let d = 0; d <= NEAR; d++) {
    const after = expected + d;
    if (after < previous.length && madeFrom(previous[after]!, finding, withRelated)) return after;
    const before = expected - d - 1;
    if (d < NEAR && before >= 0 && madeFrom(previous[before]!, finding, withRelated)) return before;
  }
  return -1;
}

/** The indexes of the pieces by rule and range. */
function indexByRange(pieces: readonly Piece[]): Map<string, number[]> {
  const byRange = new Map<string, number[]>();
  for (let k = 0; k < pieces.length; k++) {
    const key = rangeKey(pieces[k]!.rule, pieces[k]!.finding.range);
    const list = byRange.get(key);
    if (list) list.push(k);
    else byRange.set(key, [k]);
  }
  return byRange;
}

/** What a piece's message is replaced by while its JSON is made: a control character never appears unescaped in JSON. */
const MESSAGE_MARK = '\u0001';
const MESSAGE_MARK_JSON = JSON.stringify(MESSAGE_MARK);
const NO_CUTS: readonly number[] = [];
const NO_SHARED: readonly Buffer[] = [];

/** The JSON (between its quotes) of the shared message parts, one buffer per text for every piece of every document. */
const sharedJson = new Map<string, Buffer>();

function sharedPartJson(part: string): Buffer {
  let bytes = sharedJson.get(part);
  if (!bytes) sharedJson.set(part, bytes = Buffer.from(JSON.stringify(part).slice(1, -1), 'utf8'));
  return bytes;
}

/**
 * The finding's message parts, when their JSON joined is the JSON of the message: no part may end
 * in the first half of a surrogate pair or begin with the second (JSON.stringify escapes lone ones).
 */
function partsOf(finding: ResolvedFinding): readonly string[] | undefined {
  const parts = finding instanceof DeferredFinding ? finding.messageParts() : undefined;
  if (!parts) return undefined;
  for (const part of parts) {
    if (part.length === 0) return undefined;
    const first = part.charCodeAt(0);
    const last = part.charCodeAt(part.length - 1);
    if ((first >= 0xdc00 && first <= 0xdfff) || (last >= 0xd800 && last <= 0xdbff)) return undefined;
  }
  return parts;
}

function makePiece(finding: ResolvedFinding, uri: string, options: DiagnosticOptions): Piece {
  const diagnostic = toDiagnostic(finding, 0, uri, 0, options) as Diagnostic & { data: unknown };
  const parts = partsOf(finding);
  diagnostic.message = parts ? MESSAGE_MARK : unflattened(diagnostic.message);
  diagnostic.data = DATA_MARK;
  let json = JSON.stringify(diagnostic);
  const at = json.indexOf(DATA_MARK_JSON);
  json = `${json.slice(0, at)}${DATA_START},"rule":${JSON.stringify(finding.rule)}}${json.slice(at + DATA_MARK_JSON.length)}`;
  const dataEnd = at + DATA_START.length;
  if (!parts) return newPiece(finding, Buffer.from(json, 'utf8'), NO_CUTS, NO_SHARED, Buffer.byteLength(json.slice(0, dataEnd)));
  // The message's place: its own parts are written into the bytes, its shared ones are cuts.
  const messageAt = json.indexOf(`"message":${MESSAGE_MARK_JSON}`) + '"message":"'.length;
  let own = json.slice(0, messageAt);
  // Arrays of their final size: push() would give each room for 17 (10,000 pieces, 3 MB).
  const cuts = new Array<number>(parts.length >> 1);
  const shared = new Array<Buffer>(parts.length >> 1);
  for (let k = 0; k < parts.length; k++) {
    if (k % 2 === 0) own += JSON.stringify(parts[k]).slice(1, -1);
    else {
      cuts[k >> 1] = Buffer.byteLength(own);
      shared[k >> 1] = sharedPartJson(parts[k]!);
    }
  }
  const beforeData = own + json.slice(messageAt + MESSAGE_MARK_JSON.length - 2, dataEnd);
  return newPiece(finding, Buffer.from(beforeData + json.slice(dataEnd), 'utf8'), cuts, shared, Buffer.byteLength(beforeData));
}

/** One literal for every piece: one shape, so the loops over 10,000 of them read fields directly. */
function newPiece(finding: ResolvedFinding, bytes: Buffer, cuts: readonly number[], shared: readonly Buffer[], dataAt: number): Piece {
  return { rule: finding.rule, severity: finding.severity, message: finding.message, finding, bytes, cuts, shared, dataAt, listed: 0 };
}
