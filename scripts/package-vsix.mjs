#!/usr/bin/env node
// Builds the extension and packages it as dmar-lint-<version>.vsix with @vscode/vsce, offline:
// everything the extension runs is bundled into dist/, so vsce needs no dependency walk.
//
//   node scripts/package-vsix.mjs [--out FILE] [--bundle-only] [--no-sync]
//
// --bundle-only  skip the type check (tsc) and only bundle (the tests compile already)
// --no-sync      do not rewrite the `dmar.rules` setting's rule list in package.json
//
// Before packaging it (1) keeps the `dmar.rules` setting's property list equal to the rule ids
// in server/src/analysis/rules, and (2) checks that every file the manifest names exists.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`package-vsix: ${command} ${commandArgs.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

// 1. Build.
if (flag('--bundle-only')) run(process.execPath, ['scripts/bundle.mjs']);
else run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);

// 2. The rule ids, straight from the rule modules (bundled on the fly, so a stale out/ cannot lie).
async function loadRules() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(root, 'server/src/analysis/rules/index.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node18', write: false, logLevel: 'error',
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dmar-rules-'));
  try {
    const file = path.join(dir, 'rules.cjs');
    writeFileSync(file, result.outputFiles[0].contents);
    return createRequire(import.meta.url)(file).ALL_RULES.map((r) => r.meta);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];
const rules = await loadRules();
const ruleProperties = Object.fromEntries(rules.map((m) => [m.id, {
  type: 'string',
  enum: SEVERITIES,
  description: `${m.title}. Default: ${m.severity}${m.binarySeverity && m.binarySeverity !== m.severity ? ` (${m.binarySeverity} in a binary table)` : ''}.`,
}]));

const manifestFile = path.join(root, 'package.json');
const manifestText = readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(manifestText);
const rulesSetting = manifest.contributes?.configuration?.properties?.['dmar.rules'];
if (!rulesSetting) fail('package.json has no contributes.configuration.properties["dmar.rules"]');
if (JSON.stringify(rulesSetting.properties ?? {}) !== JSON.stringify(ruleProperties)) {
  const had = Object.keys(rulesSetting.properties ?? {});
  const added = rules.map((r) => r.id).filter((id) => !had.includes(id));
  const removed = had.filter((id) => !rules.some((r) => r.id === id));
  const what = `dmar.rules lists ${had.length} rules, the code has ${rules.length}` +
    (added.length ? `; missing: ${added.join(', ')}` : '') + (removed.length ? `; gone: ${removed.join(', ')}` : '');
  if (flag('--no-sync')) {
    console.warn(`package-vsix: warning: ${what} (not synced: --no-sync)`);
  } else {
    rulesSetting.properties = ruleProperties;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    console.log(`package-vsix: updated package.json: ${what}`);
  }
}

// 3. Every file the manifest names, and what the extension starts, must be there.
const c = manifest.contributes ?? {};
const referenced = [
  manifest.main, manifest.icon, 'dist/server.js', 'dist/cli.js', 'LICENSE',
  ...(c.languages ?? []).flatMap((l) => [l.configuration, l.icon?.light, l.icon?.dark]),
  ...(c.grammars ?? []).map((g) => g.path),
  ...(c.jsonValidation ?? []).map((j) => j.url).filter((u) => !/^[a-z]+:/i.test(u)),
].filter(Boolean);
// The bundles load each other by relative paths (dist/lsp-protocol.js, shared by the client and
// the server): those files too.
const visited = new Set();
const addRequired = (file) => {
  if (visited.has(file) || !existsSync(path.join(root, file))) return;
  visited.add(file);
  for (const m of readFileSync(path.join(root, file), 'utf8').matchAll(/require\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)) {
    const required = path.posix.join(path.posix.dirname(file), m[1]);
    referenced.push(required);
    addRequired(required);
  }
};
for (const entry of ['dist/extension.js', 'dist/server.js']) addRequired(entry);
const missing = [...new Set(referenced)].filter((f) => !existsSync(path.join(root, f)));
if (missing.length > 0) fail(`missing files the extension needs: ${missing.join(', ')}`);
const undocumented = rules.map((r) => r.id).filter((id) => !existsSync(path.join(root, 'docs/rules', `${id}.md`)));
if (undocumented.length > 0) console.warn(`package-vsix: warning: no docs/rules page for ${undocumented.join(', ')}`);

// 4. Package. No repository URL is invented; relative README links stay relative (VS Code shows
// the README from the installed extension's folder, where they resolve).
const out = path.resolve(option('--out') ?? path.join(root, `${manifest.name}-${manifest.version}.vsix`));
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
if (!existsSync(vsce)) fail('@vscode/vsce is not installed (npm install)');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`package-vsix: ${path.relative(process.cwd(), out) || out} (${(statSync(out).size / 1024).toFixed(1)} KiB)`);
