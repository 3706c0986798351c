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

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply without a look (source.fixAll). */
  safe?: boolean;
  /** Preferred among several fixes. */
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
