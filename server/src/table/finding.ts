import type { TextRange } from './model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Where a finding points: a text range in a text form, a byte span in the table. */
export interface Location {
  range?: TextRange;
  offset?: number;
  width?: number;
}

/** A text edit in the document the finding belongs to. */
export interface TextEdit {
  range: TextRange;
  newText: string;
}

/**
 * A fix as a change to the model: `apply` edits a private deep copy of the table. Front ends turn
 * the change into text edits for the document's form (see table/fix-edits.ts), so a rule never
 * deals with text and every fix keeps lengths consistent.
 */
export interface Fix {
  title: string;
  apply: (table: import('./model').DmarTable) => void;
  /** Safe to apply without a look (source.fixAll). */
  safe?: boolean;
  /** The fix an editor offers first. */
  preferred?: boolean;
}

export interface RelatedLocation extends Location {
  message: string;
}

/** What a reader or a rule reports. Severity comes from the rule unless the reporter overrides it. */
export interface Finding extends Location {
  rule: string;
  message: string;
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/**
 * A finding whose related locations and fixes are made when first read (then kept). A large table
 * gives tens of thousands of findings, and only an editor looks at their related locations and
 * fixes (the CLI reads neither): a subclass keeps what it needs to make them and makes them on
 * demand. They are read and assigned as on a plain finding, but they are accessors of the class,
 * not own properties: a spread (`{ ...finding }`) or Object.keys leaves them out.
 */
export abstract class DeferredFinding implements Finding {
  declare severity?: Severity;
  #related: RelatedLocation[] | null | undefined;
  /** Whether `related` was assigned rather than made by makeRelated. */
  #relatedAssigned = false;
  #fixes: Fix[] | null | undefined;
  /** Whether `fixes` was assigned rather than made by makeFixes. */
  #fixesAssigned = false;

  constructor(
    public rule: string,
    public range: TextRange | undefined,
    public offset: number | undefined,
    public width: number | undefined,
    public message: string,
  ) {
    // Declared now, after the message as a runner's assignment would add it: room in the object
    // itself instead of a property array added to each finding later.
    this.severity = undefined;
  }

  get related(): RelatedLocation[] | undefined {
    if (this.#related === undefined) this.#related = this.makeRelated() ?? null;
    return this.#related ?? undefined;
  }

  set related(value: RelatedLocation[] | undefined) {
    this.#related = value ?? null;
    this.#relatedAssigned = true;
  }

  /**
   * Whether `other`'s message is the same text as this finding's, known without reading either
   * whole (a subclass that builds its messages from parts compares the parts). False means "not
   * known". Reading two messages of 1 KB built by concatenation makes a flat copy of each, and
   * the server compares each finding with the one before it on every edit.
   */
  sameMessageAs(_other: Finding): boolean {
    return false;
  }

  /**
   * Whether `other` can stand for this finding everywhere: the same location, message, related
   * locations and fixes (severity aside, which the runner gives). False means "not known". The
   * server then keeps the previous version's finding instead of this one (features/
   * diagnostics-json.ts): with 10,000 findings of an unchanged table, each edit would otherwise
   * leave 10,000 new findings and what they hold to live until the next edit.
   */
  sameAs(other: Finding): boolean {
    return other instanceof DeferredFinding && other.constructor === this.constructor && !this.#fixesAssigned && !other.#fixesAssigned
      && this.sameRelatedAs(other) && this.sameLocationMessageAndFixes(other as this);
  }

  /**
   * The message as parts that join to it, when a subclass builds it so: the parts at odd
   * positions (1, 3, …) are constants that many findings share, whose JSON the server keeps once
   * (features/diagnostics-json.ts). Undefined: the message is one part.
   */
  messageParts(): readonly string[] | undefined {
    return undefined;
  }

  /**
   * Whether `other`'s related locations are the same as this finding's, known without making
   * either: both of one class, neither assigned, and made from the same things
   * (relatedMadeAlike). False means "not known", not "different". The server compares each
   * finding of a new version with the one before it (features/diagnostics-json.ts), and making
   * the related locations of 10,000 unchanged findings only to compare them took longer than
   * the whole analysis of the edit.
   */
  sameRelatedAs(other: Finding): boolean {
    return other instanceof DeferredFinding && other.constructor === this.constructor
      && !this.#relatedAssigned && !other.#relatedAssigned && this.relatedMadeAlike(other as this);
  }

  get fixes(): Fix[] | undefined {
    if (this.#fixes === undefined) this.#fixes = this.makeFixes() ?? null;
    return this.#fixes ?? undefined;
  }

  set fixes(value: Fix[] | undefined) {
    this.#fixes = value ?? null;
    this.#fixesAssigned = true;
  }

  /** The same finding as a plain object, related locations and fixes made now: what a literal would have been. */
  toPlain(): Finding {
    const plain: Finding = { rule: this.rule, range: this.range, offset: this.offset, width: this.width, message: this.message, related: this.related, fixes: this.fixes };
    if (this.severity !== undefined) plain.severity = this.severity;
    return plain;
  }

  protected abstract makeRelated(): RelatedLocation[] | undefined;
  /**
   * Whether makeRelated gives the same locations for `other` (of this class) as for this one,
   * judged from what it reads (the same structure objects and strings). Only true when certain.
   */
  protected relatedMadeAlike(_other: this): boolean {
    return false;
  }
  protected abstract makeFixes(): Fix[] | undefined;
  /**
   * For sameAs: whether `other` (of this class) has the same location and message, and whether
   * makeFixes gives it the same fixes, judged from what it reads. Only true when certain.
   */
  protected sameLocationMessageAndFixes(_other: this): boolean {
    return false;
  }
}
