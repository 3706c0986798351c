// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
//
// The client (vscode-languageclient) and the server (vscode-languageserver) are built on the same
// vscode-jsonrpc, vscode-languageserver-protocol and vscode-languageserver-types, about 120 KB
// minified. Those three ship once, in dist/lsp-protocol.js, which dist/extension.js and
// dist/server.js both require: each process still parses only what it runs (the server never sees
// client code or `require('vscode')`, the extension host never sees the analysis), and the client
// and the server each evaluate a library module at the point where they would have evaluated their
// own copy of it.
import { build } from 'esbuild';
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Real path: esbuild resolves symlinks, and node_modules may be one (test/vsix.test.ts links it).
const NODE_MODULES = realpathSync(path.join(ROOT, 'node_modules'));
const SHARED_PACKAGES = ['vscode-jsonrpc', 'vscode-languageserver-protocol', 'vscode-languageserver-types'];
const SHARED_BUNDLE = './lsp-protocol.js';

const isInSharedPackage = (file) => SHARED_PACKAGES.some((p) => file.startsWith(path.join(NODE_MODULES, p) + path.sep));

// vscode-languageserver-types publishes the same code twice: an ESM build for `import` (our
// features) and a UMD build for `require` (vscode-languageserver-protocol). Every importer gets
// the ESM build, so one copy ships.
const asImport = (kind) => (kind === 'require-call' ? 'import-statement' : kind);

/**
 * In the client and server builds: a module of a shared package, required from outside the shared
 * packages, becomes `require('./lsp-protocol.js')[<its file>]`. The files so named are collected
 * in `exported`, for the shared bundle to export.
 */
function fromSharedBundle(exported) {
  return {
    name: 'from-shared-bundle',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${SHARED_PACKAGES.join('|')})(/.*)?$`) }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await b.resolve(args.path, {
          kind: asImport(args.kind), resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving',
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (isInSharedPackage(args.importer)) return { path: resolved.path };
        const key = path.relative(NODE_MODULES, resolved.path).split(path.sep).join('/');
        exported.add(key);
        return { path: key, namespace: 'shared-bundle' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shared-bundle' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(SHARED_BUNDLE)})[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
      b.onResolve({ filter: /.*/, namespace: 'shared-bundle' }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/** The shared bundle's entry. Getters: a module is evaluated on the first require, as it was in each bundle. */
function sharedEntry(exported) {
  const getters = [...exported].sort().map((key) => `get ${JSON.stringify(key)}() { return require(${JSON.stringify(path.join(NODE_MODULES, key))}); }`);
  return `module.exports = {\n${getters.join(',\n')}\n};\n`;
}

const typesAsImport = {
  name: 'vscode-languageserver-types-as-import',
  setup(b) {
    b.onResolve({ filter: /^vscode-languageserver-types$/ }, (args) =>
      args.kind === 'require-call' ? b.resolve(args.path, { kind: asImport(args.kind), resolveDir: args.resolveDir }) : undefined);
  },
};

// jsonc-parser's main entry is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
const common = { absWorkingDir: ROOT, mainFields: ['module', 'main'], bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, logLevel: 'warning' };
const exists = (entry) => existsSync(path.join(ROOT, entry));

const builds = [];
if (exists('server/src/cli/main.ts')) {
  builds.push(build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }));
}
const exported = new Set();
const lsp = [
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
].filter((e) => exists(e.entryPoints[0]));
builds.push(Promise.all(lsp.map((e) => build({ ...common, plugins: [fromSharedBundle(exported)], ...e }))).then(() => {
  if (exported.size === 0) return undefined;
  return build({
    ...common,
    plugins: [typesAsImport],
    stdin: { contents: sharedEntry(exported), resolveDir: ROOT, sourcefile: 'lsp-protocol-entry.js', loader: 'js' },
    outfile: path.join('dist', SHARED_BUNDLE),
  });
}));
await Promise.all(builds);
