// What the server gets for `workspace/configuration` on the `dmar` section: only the values the user
// set (user, workspace or folder settings), never the manifest defaults. The server merges these
// over the project's .dmarrc.json exactly as the CLI merges its flags, so a default in the manifest
// must not hide the project's choice (for example its iovaProfiles). Paths arrive absolute.
// Pure functions (no `vscode` import) so the tests can pin them.

import * as path from 'node:path';

/** The levels of one setting, as `WorkspaceConfiguration.inspect` returns them. */
export interface InspectedSetting {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Settings that name files: resolved against the workspace folder. */
export const PATH_SETTINGS: readonly string[] = ['memoryMap', 'pci', 'madt'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value the user set, most specific level first; objects (dmar.rules) merge like VS Code's own get(). */
export function explicitValue(inspected: InspectedSetting | undefined): unknown {
  if (!inspected) return undefined;
  const levels = [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].filter((v) => v !== undefined && v !== null);
  if (levels.length === 0) return undefined;
  if (levels.every(isPlainObject)) return Object.assign({}, ...levels);
  return levels[levels.length - 1];
}

/** `${workspaceFolder}/x`, `~/x`, `x` (relative to the folder) or an absolute path; '' means unset. */
export function resolveSettingPath(value: unknown, folder: string | undefined, home?: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let p = value.trim();
  if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
  if (home && (p === '~' || p.startsWith('~/'))) p = path.join(home, p.slice(1));
  if (path.isAbsolute(p) || !folder) return p;
  return path.join(folder, p);
}

function setDeep(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/**
 * The `dmar` section as the server should see it: `keys` are the manifest's setting names without
 * the `dmar.` prefix (`rules`, `trace.server`, ...); `inspect` reads one of them.
 */
export function explicitSection(
  keys: readonly string[],
  inspect: (key: string) => InspectedSetting | undefined,
  folder: string | undefined,
  home?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let value = explicitValue(inspect(key));
    if (PATH_SETTINGS.includes(key)) value = resolveSettingPath(value, folder, home);
    if (Array.isArray(value) && value.length === 0) value = undefined;
    if (value !== undefined) setDeep(out, key, value);
  }
  return out;
}

/** One sub-key of a section object (`trace.server` in { trace: { server } }), or null. */
export function pickSubsection(section: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = section;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(node) || !(part in node)) return null;
    node = node[part];
  }
  return node;
}
