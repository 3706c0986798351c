// Where each rule's documentation page lives. The pages ship with the extension and the npm
// package (docs/rules/<id>.md beside dist/), so the default link is a file URL that works offline;
// a team that publishes the docs sets DMAR_DOCS_BASE_URL (or calls setDocsBaseUrl) to link there.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let docsBase: string | undefined = process.env.DMAR_DOCS_BASE_URL;

/** The folder holding docs/rules: next to dist/ when bundled, at the repo root when run from out/. */
function bundledDocsDir(): string {
  const here = __dirname;
  const candidates = [path.resolve(here, '../docs/rules'), path.resolve(here, '../../../docs/rules'), path.resolve(here, '../../../../docs/rules')];
  const fs = require('node:fs') as typeof import('node:fs');
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

export function setDocsBaseUrl(url: string | undefined): void {
  docsBase = url;
}

/** Found once: the pages do not move while the process runs, and every diagnostic asks. */
let bundledDocsUrl: string | undefined;

export function ruleDocUrl(ruleId: string | undefined): string {
  const base = docsBase ?? (bundledDocsUrl ??= pathToFileURL(bundledDocsDir()).href + '/');
  const withSlash = base.endsWith('/') ? base : base + '/';
  return ruleId ? `${withSlash}${ruleId}.md` : withSlash;
}
