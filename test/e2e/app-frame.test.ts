/**
 * End to end in Chromium against `swarm-lab serve`: the page opens with the printed link, shows the
 * real engine's version from the doctor, refuses a browser without the token, and recovers its
 * connection when the back end goes away and comes back.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, repoRoot, startServe } from '../support/engine.js';
import { launchChromium } from '../support/browser.js';
import { terminalText, typeLine } from '../support/terminal.js';

const shots = join(repoRoot, 'test-results');
let browser: Browser;
let engineVersion: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  engineVersion = (await docker().version()).Version;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('web mode in Chromium', () => {
  let serve: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    serve = await startServe();
  });
  afterAll(async () => {
    await serve.stop();
  });

  it('loads with the token and shows the real engine version from the doctor', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(serve.url);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false); // traded for a cookie
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Connected');
    await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 30_000 }).toBe(`Docker ${engineVersion}`);
    await expect.poll(() => page.getByTestId('doctor-summary').textContent(), { timeout: 30_000 }).toContain(`Docker ${engineVersion}`);
    await page.locator('.side-tabs').getByRole('button', { name: 'Doctor' }).click();
    await expect.poll(() => page.locator('.checks li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const checks = await page.locator('.checks li').count();
    expect(checks).toBeGreaterThanOrEqual(6);
    await page.screenshot({ path: join(shots, 'app-frame.png') });
    // a reload keeps the session (cookie) and reconnects
    await page.reload();
    await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 30_000 }).toBe(`Docker ${engineVersion}`);
    await page.close();
  });

  it('follows the dark theme of the system', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(serve.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await context.close();
  });

  it('gives a browser without the token no data', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const res = await page.goto(serve.origin + '/');
    expect(res?.status()).toBe(401);
    const body = await page.textContent('body');
    expect(body).toContain('Access token needed');
    expect(body).not.toContain(engineVersion);
    // even a hand-made WebSocket from this page is refused
    const opened = await page.evaluate(
      (origin) =>
        new Promise<boolean>((resolve) => {
          const ws = new WebSocket(origin.replace('http', 'ws') + '/rpc');
          ws.onopen = () => resolve(true);
          ws.onerror = () => resolve(false);
        }),
      serve.origin,
    );
    expect(opened).toBe(false);
    await context.close();
  });
});

describe('connection recovery', () => {
  it('shows the lost connection and recovers when the back end returns, a terminal included', async () => {
    // The built server, in process, so it can come back on the same port with the same token.
    const { startWebServer } = await import(join(repoRoot, 'dist/electron/node/web/server.js'));
    const { createBackEnd } = await import(join(repoRoot, 'dist/electron/node/rpc/back-end.js'));
    const staticDir = join(repoRoot, 'dist/renderer');
    const backEnd = createBackEnd({ mode: 'web' });
    let web = await startWebServer({ backEnd, staticDir, port: 0 });
    const { port, token } = web;
    const page = await browser.newPage();
    try {
      await page.goto(web.url);
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Connected');
      // a terminal open across the outage: its output stream is cut, and opened again when the server is back
      const dock = page.getByRole('region', { name: 'Terminals' });
      await dock.getByRole('button', { name: /Terminals/ }).click();
      await dock.getByRole('button', { name: /New local shell/ }).click();
      const text = () => terminalText(page, 50);
      const type = (line: string) => typeLine(page, line);
      await type('echo before-$((0+1))');
      await expect.poll(text, { timeout: 15_000 }).toContain('before-1');
      await web.close();
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Connection lost');
      // the tab says its output is being reconnected (the session runs on in the back end)
      await expect.poll(() => dock.getByRole('tab').first().textContent(), { timeout: 15_000 }).toContain('(reconnecting)');
      web = await startWebServer({ backEnd, staticDir, port, token });
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toMatch(/^Connected/);
      await expect.poll(() => page.getByTestId('engine-version').textContent(), { timeout: 30_000 }).toBe(`Docker ${engineVersion}`);
      await type('echo after-$((1+1))');
      await expect.poll(text, { timeout: 15_000 }).toContain('after-2');
      expect(await text()).toContain('before-1'); // replayed from the session's scrollback
      expect(await dock.getByRole('tab').first().textContent()).not.toContain('reconnecting');
    } finally {
      await page.close();
      await web.close();
      backEnd.dispose(); // ends the terminal session and its shell
    }
  });
});
