// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

// jsonc-parser's main entry is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
const common = { mainFields: ['module', 'main'], bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
];
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));
