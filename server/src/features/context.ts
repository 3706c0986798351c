// What every editor feature works from: one parsed document, its findings, and the analysis
// options they were computed with (platform context, IOVA profiles, severities). The language
// server builds one per document version; tests build one from a string.

import { analyzeDocument, parseDocument, type ParsedDocument } from '../document';
import type { AnalyzeOptions, ResolvedFinding } from '../analysis/runner';
import { emptyPlatform, type Platform } from '../analysis/platform';
import { resolveProfiles, type IovaProfile } from '../analysis/iova-profiles';
import type { DmarTable } from '../table/model';

export interface FeatureContext {
  /** The file the document came from (or a name that says its form); parseDocument needs it again for fix-all. */
  fileName: string;
  doc: ParsedDocument;
  findings: readonly ResolvedFinding[];
  options: AnalyzeOptions;
}

export function featureContext(fileName: string, content: string | Uint8Array, options: AnalyzeOptions = {}): FeatureContext {
  const doc = parseDocument(fileName, content);
  return { fileName, doc, findings: analyzeDocument(doc, options), options };
}

/**
 * The table whose locations point into `doc.text`: a binary's listing (its fields carry lines),
 * else the table itself. Structures correspond one to one, so the values agree.
 */
export function textTable(ctx: { doc: ParsedDocument }): DmarTable {
  return ctx.doc.listing ?? ctx.doc.table;
}

/** The platform the findings were computed with; the runner's default when none was given. */
export function platformOf(ctx: FeatureContext): Platform {
  return ctx.options.platform ?? emptyPlatform();
}

export function profilesOf(ctx: FeatureContext): readonly IovaProfile[] {
  return ctx.options.profiles ?? resolveProfiles(undefined).profiles;
}

/** Binaries are shown as a generated listing: nothing may edit it. */
export function isReadOnly(ctx: FeatureContext): boolean {
  return ctx.doc.form === 'binary';
}
