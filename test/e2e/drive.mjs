// Drives a running code-server with headless Debian Chromium through playwright-core.
//   MODE=test        loads the workbench with extensionDevelopmentPath + extensionTestsPath (passed in the
//                    `payload` URL parameter, which the web workbench reads like the desktop CLI flags), streams
//                    the extension host's log (mocha's reporter) to stdout, exits with the suite's exit code.
//   MODE=screenshot  opens service.py, waits for squiggles, opens Problems, hovers, opens the quick-fix menu,
//                    runs "Hotspots: Scan Workspace" and checks the panel; writes PNGs to $SHOT_DIR.
// Env: CS_URL, WS_RUN, EXT_DEV_PATH, EXT_TESTS_PATH, SHOT_DIR, TIMEOUT_MS, CHROMIUM, VERBOSE=1.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

const mode = process.env.MODE || 'test';
const base = process.env.CS_URL || 'http://127.0.0.1:18080';
const ws = process.env.WS_RUN;
const extDev = process.env.EXT_DEV_PATH || '';
const extTests = process.env.EXT_TESTS_PATH || '';
const shotDir = process.env.SHOT_DIR || os.tmpdir();
const timeoutMs = Number(process.env.TIMEOUT_MS || 240000);
const t0 = Date.now();
const log = (...a) => console.log(`[drive +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const shot = (name) => path.join(shotDir, name);

// The browser workbench uses the page's host:port as the authority of vscode-remote:// URIs
// (the page settings say "remote", which silently loads nothing).
const authority = new URL(base).host;
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = [];
if (extDev) payload.push(['extensionDevelopmentPath', remote(extDev)]);
if (extTests) payload.push(['extensionTestsPath', remote(extTests)]);
if (mode === 'screenshot') payload.push(['openFile', remote(path.join(ws, 'service.py'))]);
let url = `${base}/?folder=${encodeURIComponent(ws)}`;
if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 860 },
  env: { ...process.env, HOME: userDataDir, XDG_CONFIG_HOME: path.join(userDataDir, '.config'), XDG_CACHE_HOME: path.join(userDataDir, '.cache') },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--disable-crash-reporter',
    '--disable-breakpad',
  ],
});
const page = context.pages()[0] || (await context.newPage());

let closing = false;
const finish = async (code) => {
  if (closing) return;
  closing = true;
  await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  log('done, exit', code);
  process.exit(code);
};
const fail = async (why) => {
  log('FAIL:', why);
  await page.screenshot({ path: shot('failure.png') }).catch(() => {});
  log('failure screenshot ->', shot('failure.png'));
  await finish(1);
};
setTimeout(async () => {
  log(`TIMEOUT after ${timeoutMs} ms`);
  await page.screenshot({ path: shot('timeout.png') }).catch(() => {});
  finish(124);
}, timeoutMs).unref();
process.on('unhandledRejection', (e) => fail(e && e.message ? e.message.split('\n')[0] : String(e)));

let exitResolve;
const exited = new Promise((r) => (exitResolve = r));
// Hooks the workbench calls when present (the ones @vscode/test-web uses): every log line, and the exit code.
await page.exposeFunction('codeAutomationLog', (type, args) => {
  if (!(process.env.VERBOSE || mode === 'test')) return;
  const text = util.format(...(Array.isArray(args) ? args : [args])).replace(/%c|color: #[0-9a-f]{3}\s*/g, '');
  console.log(type === 'info' || type === 'log' ? text : `[wb:${type}] ${text}`);
});
await page.exposeFunction('codeAutomationExit', (code) => exitResolve(code));
page.on('console', (msg) => {
  if (process.env.VERBOSE) console.log(`[console:${msg.type()}]`, msg.text());
});
page.on('pageerror', (e) => log('pageerror', e.message));

log('url =', url);
await page.goto(url);
await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
log('workbench rendered');

if (mode === 'test') {
  const code = await exited;
  log('extension host exited with', code);
  await finish(typeof code === 'number' ? code : 1);
}

// Screenshot mode: what a person sees.
const editor = page.locator('.monaco-editor .view-lines').first();
await editor.waitFor({ timeout: 60000 });
await page.waitForSelector('.monaco-editor .squiggly-info', { timeout: 60000 });
await page.waitForTimeout(800);
const squiggles = await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-info').count();
log('squiggles:', squiggles);
const status = await page.locator('.statusbar-item:has-text("4")').count();
log('status bar items showing 4:', status);
await page.screenshot({ path: shot('squiggles.png') });

await editor.click();
await page.keyboard.press('Control+Shift+M');
await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30000 });
await page.waitForTimeout(600);
const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
log('problems rows:', rows.length);
await page.screenshot({ path: shot('problems.png') });

// Hover the import-in-loop squiggle (a mouse move: locator.hover() is intercepted by the view-lines layer).
const sq = page.locator('.monaco-editor .squiggly-info').first();
const b = await sq.boundingBox();
await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
const hover = await page.waitForSelector('.monaco-hover:visible', { timeout: 15000 }).then(
  () => true,
  () => false,
);
await page.waitForTimeout(500);
await page.screenshot({ path: shot('hover.png') });
log('hover shown:', hover);

await page.mouse.click(b.x + 3, b.y + b.height / 2);
await page.keyboard.press('Control+.');
const fix = page.locator('.action-widget .monaco-list-row:has-text("Move the import of json")');
const fixShown = await fix
  .first()
  .waitFor({ timeout: 15000 })
  .then(
    () => true,
    () => false,
  );
await page.waitForTimeout(300);
await page.screenshot({ path: shot('quickfix.png') });
log('quick fix offered:', fixShown);
await page.keyboard.press('Escape');

await page.keyboard.press('Control+Shift+P');
await page.keyboard.type('Hotspots: Scan Workspace');
await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15000 });
await page.keyboard.press('Enter');
const panel = await page
  .locator('.part.sidebar .monaco-list-row:has-text("worker.py")')
  .first()
  .waitFor({ timeout: 30000 })
  .then(
    () => true,
    () => false,
  );
await page.waitForTimeout(800);
// Expand service.py in the panel to show its findings.
await page
  .locator('.part.sidebar .monaco-list-row:has-text("service.py")')
  .first()
  .click()
  .catch(() => {});
await page.waitForTimeout(800);
await page.screenshot({ path: shot('panel.png') });
log('panel lists worker.py:', panel);
log('screenshots in', shotDir);
const ok = squiggles >= 4 && rows.length >= 5 && fixShown && panel;
await finish(ok ? 0 : 1);
