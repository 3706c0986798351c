// `npm run test:nvim`: the language server in a real LSP client, Neovim's built-in one (Debian's
// neovim 0.7, headless), on a real table from the corpus. test/e2e/check.lua does the editor side;
// this script picks the table, builds the server if needed, runs Neovim with a time limit and
// prints the closing `N passed, N failed` line. Needs `nvim` (scripts/e2e-setup.sh installs it).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The shared corpus sits beside the repository (../shared/corpus/real), in CI as here.
const corpus = process.env.DMAR_CORPUS ?? path.resolve(root, '..', 'shared', 'corpus', 'real');
const TIME_LIMIT_MS = 120_000;

// What a firmware engineer would look at: a Dell XPS 15 7590 whose RMRR for 00:16.7 (the ME's
// IDE-redirection function) keeps that device from being passed through.
const spec = {
  server: path.join(root, 'dist', 'server.js'),
  node: process.execPath,
  root,
  table: path.join(corpus, 'Notebook_Dell_XPS_XPS_15_7590_FCAA93EB64E7.dsl'),
  rules: ['rmrr-locks-passthrough', 'rmrr-relaxable', 'rmrr-iova-conflict'],
  rule: 'rmrr-locks-passthrough',
  device: '00:16.7',
  hover: ['00:16.7', 'locked out of passthrough', 'Hyper-V'],
  wait_ms: 20_000,
};

let passed = 0;
let failed = 0;
function fail(message) {
  failed++;
  console.log(`not ok - ${message}`);
}

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

if (!existsSync(spec.table)) {
  fail(`the corpus table ${spec.table} exists (set DMAR_CORPUS to the folder of the real tables)`);
  finish();
}
if (spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status !== 0) {
  fail('nvim runs (install it: bash scripts/e2e-setup.sh, or apt-get install neovim)');
  finish();
}
if (!existsSync(spec.server)) {
  console.log('# dist/server.js is missing: bundling');
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(spec.server)) {
    fail('dist/server.js builds (node scripts/bundle.mjs)');
    finish();
  }
}

const started = Date.now();
const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(root, 'test', 'e2e', 'check.lua')}`], {
  cwd: root,
  env: { ...process.env, DMAR_E2E_SPEC: JSON.stringify(spec) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const timer = setTimeout(() => {
  fail(`Neovim finished within ${TIME_LIMIT_MS / 1000} s`);
  nvim.kill('SIGKILL');
}, TIME_LIMIT_MS);

let pending = '';
nvim.stdout.on('data', (chunk) => {
  pending += chunk.toString();
  const lines = pending.split(/\r?\n/);
  pending = lines.pop();
  for (const line of lines) report(line);
});
let stderr = '';
nvim.stderr.on('data', (chunk) => { stderr += chunk.toString(); });

function report(line) {
  if (!line.trim()) return;
  if (line.startsWith('ok - ')) passed++;
  else if (line.startsWith('not ok - ')) failed++;
  console.log(line);
}

nvim.on('close', (code, signal) => {
  clearTimeout(timer);
  if (pending) report(pending);
  if (stderr.trim()) console.log(stderr.trim().split('\n').map((l) => `# nvim stderr: ${l}`).join('\n'));
  if (code !== 0 && failed === 0) fail(`Neovim exited cleanly (code ${code}${signal ? `, signal ${signal}` : ''})`);
  console.log(`# Neovim ${spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  finish();
});
