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
