// `npm run test:e2e`: the packaged extension in real VS Code, as a user sees it. code-server (the
// VS Code workbench, from npm) serves a copy of examples/ with the VSIX installed; headless
// Chromium, driven by playwright-core, opens the HP ProLiant DL380e Gen8 table and checks the
// language mode, the squiggles, the Problems panel, a hover, a quick fix and the outline, saving
// a screenshot of each step in docs/screenshots/. Install the tools first:
// `bash scripts/e2e-setup.sh`.
//
//   DMAR_E2E_VSIX=file.vsix   test this VSIX instead of packaging one (npm run package)
//   DMAR_E2E_KEEP=1           keep the scratch folder (code-server's logs, the workspace copy)
//   DMAR_E2E_SHOTS=dir        where the step screenshots go (default docs/screenshots)

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, loadPlaywright, missingTools, sandbox, startCodeServer, tools } from './code-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.resolve(process.env.DMAR_E2E_SHOTS ?? path.join(root, 'docs', 'screenshots'));
const failures = path.join(root, 'test-results', 'e2e');

const TABLE = 'server-hp-proliant-dl380e-gen8.dsl';
const RULE = 'rmrr-locks-passthrough';
/** A device behind root port 00:1c.7 that eight of the table's RMRRs lock out of passthrough. */
const DEVICE = '00:1c.7/00.0';
const STEP_TIMEOUT = 20_000;

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dmarLanguage = manifest.contributes?.languages?.find((l) => l.id === 'dmar');
/** What VS Code shows as the language mode: the first alias, else the id. */
const LANGUAGE_NAME = dmarLanguage?.aliases?.[0] ?? 'dmar';

let passed = 0;
let failed = 0;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const info = (message) => console.log(`# ${message}`);

function finish(code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code ?? (failed > 0 || passed === 0 ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Before the browser: tools, the VSIX, a sandboxed code-server

const missing = missingTools();
if (missing.length > 0) {
  console.log(`not ok - the e2e tools are installed: missing ${missing.join(', ')}; run \`bash scripts/e2e-setup.sh\``);
  failed++;
  finish();
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'dmar-e2e-'));
// A copy of examples/, so nothing the test types can reach the repository's files.
const workspace = path.join(scratch, 'examples');
cpSync(path.join(root, 'examples'), workspace, { recursive: true });
mkdirSync(shots, { recursive: true });

function packageVsix() {
  if (process.env.DMAR_E2E_VSIX) return path.resolve(process.env.DMAR_E2E_VSIX);
  const out = path.join(scratch, `${manifest.name}.vsix`);
  info('packaging the extension: npm run package');
  // --no-sync: a test must not rewrite package.json.
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--no-sync', '--out', out], { cwd: root, encoding: 'utf8', timeout: 280_000 });
  if (r.status !== 0 || !existsSync(out)) {
    throw new Error(`npm run package failed (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
  }
  return out;
}

function codeServerVersion() {
  try {
    return JSON.parse(readFileSync(path.join(path.dirname(tools.codeServer), '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

let server;
let browser;
let page;

async function cleanup() {
  await browser?.close().catch(() => undefined);
  if (server) {
    await server.stop();
    if (failed > 0) {
      mkdirSync(failures, { recursive: true });
      writeFileSync(path.join(failures, 'code-server.log'), server.output());
      info(`code-server's output: ${path.relative(root, path.join(failures, 'code-server.log'))}`);
    }
  }
  if (process.env.DMAR_E2E_KEEP) info(`scratch folder kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { void cleanup().finally(() => finish(1)); });
}

// ---------------------------------------------------------------------------------------------
// Steps: each is one check a user would recognise, time-boxed; a failure prints what was on the
// screen and saves a screenshot, and the steps that depend on it are skipped.

/** The visible text of the part of the workbench a step is about. */
async function visibleText(selector) {
  if (!page) return '';
  try {
    const loc = page.locator(selector).first();
    if (!(await loc.count())) return `(nothing matches ${selector})`;
    return (await loc.innerText({ timeout: 2000 })).trim().slice(0, 4000);
  } catch (e) {
    return `(could not read ${selector}: ${e.message.split('\n')[0]})`;
  }
}

/** When the running step's time box ends: until() gives up then, so no poll outlives its step. */
let stepDeadline = Infinity;
/** What the running step last saw, printed if it fails (a poll that never succeeds says why). */
let stepNote = '';

async function step(name, { panel = '.monaco-workbench', timeout = STEP_TIMEOUT } = {}, body) {
  const started = Date.now();
  stepDeadline = started + timeout;
  stepNote = '';
  let timer;
  try {
    const work = body();
    work.catch(() => undefined);
    const detail = await Promise.race([
      work,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeout / 1000} s`)), timeout); }),
    ]);
    passed++;
    console.log(`ok - ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message.split('\n').slice(0, 8).join('\n    ')}`);
    if (page) {
      mkdirSync(failures, { recursive: true });
      const file = path.join(failures, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      console.log(`    screenshot: ${path.relative(root, file)}`);
      if (stepNote) console.log(`    last seen: ${stepNote}`);
      console.log(`    what was seen in ${panel}:\n${(await visibleText(panel)).split('\n').map((l) => `      | ${l}`).join('\n')}`);
    }
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function skip(name, why) {
  failed++;
  console.log(`not ok - ${name}: skipped, ${why}`);
}

/** Polls fn until it returns a truthy value; the step's own time box ends it otherwise. */
async function until(fn, { interval = 100 } = {}) {
  while (Date.now() < stepDeadline) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error('timed out');
}

async function shot(name) {
  await page.screenshot({ path: path.join(shots, name) });
}

// Problems panel helpers.
const PROBLEMS = '#workbench\\.parts\\.panel';
const markerRows = () => page.locator('.markers-panel .monaco-list-row[aria-level="2"]');

/** Types the filter, again if the panel re-rendered and dropped it. */
async function filterProblems(text) {
  const input = page.locator('.markers-panel-container input[aria-label="Filter Problems"], .panel input[aria-label="Filter Problems"]').first();
  if ((await input.inputValue()) === text) return;
  await input.click();
  await input.fill(text);
}

/** The marker rows now shown: message, rule code and the rule page it links to. */
async function shownMarkers() {
  return markerRows().evaluateAll((rows) => rows.map((r) => ({
    message: r.querySelector('.marker-message')?.textContent ?? '',
    code: r.querySelector('.marker-code, .code')?.textContent ?? '',
    href: r.querySelector('a.monaco-link')?.getAttribute('href') ?? '',
    label: r.getAttribute('aria-label') ?? '',
  })));
}

/** The file row's count: how many problems pass the filter (the list itself only renders what fits). */
async function filteredCount() {
  const text = await page.locator('.markers-panel .monaco-list-row[aria-level="1"] .monaco-count-badge').first().textContent();
  return Number(text?.trim());
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let vsix;
  const ok = await step('the extension packages as a VSIX', { timeout: 300_000 }, async () => {
    vsix = packageVsix();
    return path.basename(vsix);
  });
  if (!ok) return;

  const box = sandbox(scratch);
  if (!await step('code-server installs the VSIX', { timeout: 120_000 }, async () => {
    const r = installExtension(box, vsix);
    if (!r.ok || !/successfully installed/i.test(r.output)) throw new Error(r.output || 'no output');
    return r.output.split('\n').pop();
  })) return;

  if (!await step('code-server starts on loopback', { timeout: 90_000 }, async () => {
    server = await startCodeServer(box, workspace, { log: info });
    return server.url;
  })) return;

  const { chromium } = loadPlaywright();
  browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.setDefaultTimeout(STEP_TIMEOUT);

  if (!await step('the workbench opens the examples folder', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench');
    await page.waitForSelector(`.explorer-folders-view .monaco-list-row[aria-label*="${TABLE}"]`);
  })) return;

  if (!await step(`Quick Open opens ${TABLE}`, {}, async () => {
    const tab = page.locator(`.tab[aria-label*="${TABLE}"]`);
    await until(async () => {
      // The workbench may still be restoring focus or indexing files: open Quick Open until it shows.
      if (!(await page.locator('.quick-input-widget input').isVisible())) await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 3000 });
      if ((await input.inputValue()) !== TABLE) await input.fill(TABLE);
      const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${TABLE}"]`).first();
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await page.keyboard.press('Enter');
      await tab.waitFor({ state: 'visible', timeout: 3000 });
      return true;
    }, { interval: 250 });
    await page.waitForSelector('.editor-instance .monaco-editor .view-lines');
  })) return;

  await step(`the status bar shows the language mode "${LANGUAGE_NAME}"`, { panel: '.statusbar' }, async () => {
    const mode = page.locator('#status\\.editor\\.mode');
    await until(async () => (await mode.innerText()).trim() === LANGUAGE_NAME, { interval: 200 });
    return (await mode.innerText()).trim();
  });

  await step('squiggles appear in the editor', { panel: '.editor-instance' }, async () => {
    const squiggles = page.locator('.editor-instance .monaco-editor [class*="squiggly-"]');
    await until(async () => (await squiggles.count()) > 0, { interval: 200 });
    await shot('vscode-open.png');
    return `${await squiggles.count()} on screen`;
  });

  let before = 0;
  const problemsOk = await step(`the Problems panel lists ${RULE} for ${DEVICE} with a link to the rule page`, { panel: PROBLEMS }, async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    const all = await until(async () => {
      const m = await shownMarkers();
      return m.some((x) => x.code.includes(RULE)) ? m : undefined;
    }, { interval: 200 });
    info(`Problems panel (unfiltered, first ${all.length} rows on screen): ${[...new Set(all.map((m) => m.code))].join(', ')}`);
    const rows = await until(async () => {
      await filterProblems(`locks ${DEVICE} `);
      const m = await shownMarkers();
      return m.length > 0 && m.every((x) => x.message.includes(`locks ${DEVICE} `)) ? m : undefined;
    }, { interval: 200 });
    const bad = rows.filter((m) => !m.code.includes(RULE) || !m.href.includes(`rules/${RULE}.md`));
    if (bad.length > 0) throw new Error(`rows without the rule code or its page: ${JSON.stringify(bad[0])}`);
    before = await until(async () => {
      const n = await filteredCount();
      return n >= rows.length ? n : undefined;
    });
    await shot('vscode-problems.png');
    return `${before} findings lock ${DEVICE}, each with its code linking to ${rows[0].href.replace(/^.*\/docs\//, 'docs/')}`;
  });

  // The server's code lenses arrive a moment after the diagnostics, and VS Code hides an open hover
  // when they push the lines down: see them first. They only render for lines on screen, so go to
  // the first RMRR as a user would, with Go to Line in Quick Open.
  await step('a code lens above an RMRR says what it does to passthrough', { panel: '.editor-instance' }, async () => {
    const lines = readFileSync(path.join(workspace, TABLE), 'utf8').split('\n');
    const firstRmrr = lines.findIndex((l) => /Subtable Type : 0001/.test(l)) + 1;
    if (firstRmrr === 0) throw new Error(`${TABLE} has no RMRR`);
    const lenses = page.locator('.editor-instance .monaco-editor .codelens-decoration');
    const text = await until(async () => {
      const t = (await lenses.allInnerTexts()).find((x) => /passthrough/.test(x));
      if (t) return t.trim();
      if (!(await page.locator('.quick-input-widget input').isVisible())) await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 3000 });
      await input.fill(`:${firstRmrr}`);
      await page.keyboard.press('Enter');
      await lenses.filter({ hasText: 'passthrough' }).first().waitFor({ state: 'visible', timeout: 3000 });
      return undefined;
    }, { interval: 250 });
    await shot('vscode-codelens.png');
    return `above line ${firstRmrr}: "${text}"`;
  });

  const hoverOk = problemsOk && await step('a hover on the RMRR shows what it does to passthrough', { panel: '.monaco-hover:not(.hidden)' }, async () => {
    // Go to the finding as a user would: select it in the Problems panel and press Enter.
    await markerRows().first().click();
    await page.keyboard.press('Enter');
    await until(async () => page.evaluate(() => document.activeElement?.closest('.editor-instance') !== null), { interval: 100 });
    const hover = page.locator('.monaco-hover:not(.hidden)');
    // The hover has two parts: the diagnostic, and below it the server's hover for the position.
    const served = hover.locator('.hover-contents:not(.marker)').first();
    // Ctrl+K Ctrl+I, again if the hover closed before it could be read (a late re-layout hides it).
    const text = await until(async () => {
      stepNote = JSON.stringify(await page.evaluate(() => ({
        focusInEditor: document.activeElement?.closest('.editor-instance') !== null,
        selection: document.querySelector('#status\\.editor\\.selection')?.textContent,
        hovers: [...document.querySelectorAll('.monaco-hover')].map((h) => h.className),
      })).catch((e) => e.message));
      if (!(await hover.isVisible().catch(() => false))) {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        await hover.waitFor({ state: 'visible', timeout: 3000 });
      }
      const t = await served.innerText({ timeout: 1000 });
      return /passthrough/.test(t) ? t : undefined;
    }, { interval: 250 });
    for (const expected of ['locked out of passthrough', DEVICE]) {
      if (!text.includes(expected)) throw new Error(`the server's hover does not say "${expected}": ${text.slice(0, 800)}`);
    }
    // Scroll the server's part to the top of the hover with the mouse wheel, as a reader would.
    const box = await hover.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const heading = served.locator('h3').first();
    const target = (await heading.count()) ? heading : served;
    for (let i = 0; i < 60; i++) {
      const top = (await target.boundingBox())?.y ?? 0;
      // One notch scrolls the hover by about 50 px: stop while the heading still shows.
      if (top - box.y < 50) break;
      await page.mouse.wheel(0, 40);
      await page.waitForTimeout(30);
    }
    await shot('vscode-hover.png');
    return text.split('\n').find((l) => l.includes('locked out of passthrough'))?.trim().slice(0, 140);
  });
  if (!problemsOk) skip('a hover on the RMRR shows what it does to passthrough', 'the Problems panel step failed');

  if (hoverOk) {
    await step(`a quick fix from Ctrl+. clears the ${RULE} finding`, { panel: '.action-widget' }, async () => {
      await page.keyboard.press('Escape');
      await page.waitForSelector('.monaco-hover:not(.hidden)', { state: 'hidden' }).catch(() => undefined);
      const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
      await until(async () => {
        if (!(await menu.isVisible().catch(() => false))) {
          await page.keyboard.press('Control+.');
          await menu.waitFor({ state: 'visible', timeout: 3000 });
        }
        return (await menu.locator('.monaco-list-row.action').count()) > 0;
      }, { interval: 250 });
      const titles = await menu.locator('.monaco-list-row.action').allInnerTexts();
      info(`quick fixes offered: ${titles.map((t) => t.trim()).join(' | ')}`);
      await shot('vscode-quickfix.png');
      // The fix for this device in this RMRR; the menu also offers fix-all and others' fixes.
      const wanted = menu.locator('.monaco-list-row.action').filter({ hasText: DEVICE }).first();
      const choice = (await wanted.count()) ? wanted : menu.locator('.monaco-list-row.action').first();
      const title = (await choice.innerText()).trim();
      await choice.click();
      const after = await until(async () => {
        const n = await filteredCount();
        return n < before ? n : undefined;
      }, { interval: 200 });
      await page.waitForSelector('.action-widget', { state: 'hidden' }).catch(() => undefined);
      await shot('vscode-after-fix.png');
      return `"${title}": findings locking ${DEVICE} ${before} -> ${after}`;
    });
  } else {
    skip(`a quick fix from Ctrl+. clears the ${RULE} finding`, 'the hover step failed');
  }

  await step('the outline lists the RMRR and DRHD structures', { panel: '.sidebar' }, async () => {
    await page.keyboard.press('Escape');
    // Room for the outline: fold the file list, then the outline's own tree to one row per structure.
    const folders = page.locator('.sidebar .pane-header[aria-label^="Explorer Section"]');
    if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Focus on Outline View');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Focus on Outline View' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const header = page.locator('.sidebar .pane-header[aria-label="Outline Section"]');
    const outline = page.locator('.sidebar .pane').filter({ has: page.locator('.pane-header[aria-label="Outline Section"]') });
    const rows = outline.locator('.monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    await header.hover();
    await header.locator('a[aria-label="Collapse All"]').click();
    const labels = await until(async () => {
      const l = await rows.evaluateAll((els) => els.map((r) => r.querySelector('.label-name')?.textContent ?? r.innerText));
      return l.some((x) => x.startsWith('RMRR')) && l.some((x) => x.startsWith('DRHD')) && !l.some((x) => /\((PCI|IOAPIC|HPET)/.test(x)) ? l : undefined;
    }, { interval: 200 });
    // Move the mouse off the header so no tooltip covers the outline.
    await page.mouse.move(900, 300);
    await page.locator('.monaco-hover:not(.hidden), .workbench-hover').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    await shot('vscode-outline.png');
    const count = (kind) => labels.filter((l) => l.startsWith(kind)).length;
    return `${count('DRHD')} DRHD and ${count('RMRR')} RMRR rows, e.g. "${labels.find((l) => l.startsWith('RMRR'))}"`;
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok - the suite ran to the end: ${e.stack ?? e}`);
} finally {
  await cleanup();
  info(`code-server ${codeServerVersion()} in ${path.basename(tools.chromium)}, ${elapsed()}; screenshots in ${path.relative(root, shots) || shots}`);
}
finish();
