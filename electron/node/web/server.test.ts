import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { appContract } from '../../common/contracts/app.js';
import { createRpcClient } from '../../common/rpc/client.js';
import { webSocketTransport } from '../../common/rpc/transport.js';
import { TERMINAL_STREAM_KEY_HEADER, TERMINAL_STREAM_PATH, TerminalFrameDecoder, type TerminalStreamPayload } from '../../common/terminal.js';
import { createBackEnd } from '../rpc/back-end.js';
import { startWebServer, TOKEN_COOKIE, WebServerError, type WebServer } from './server.js';

let dir: string;
let web: WebServer;
const backEnd = createBackEnd({ mode: 'web' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-lab-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Swarm Lab</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  web = await startWebServer({ backEnd, staticDir: dir, port: 0 });
});
afterAll(async () => {
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});

const cookie = () => `${TOKEN_COOKIE}=${web.token}`;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.origin}${path}`, { headers, redirect: 'manual' });

function upgrade(headers: Record<string, string>, path = '/rpc'): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ status: -1 }));
  });
}

describe('web server', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses the page without a token, explaining where to find the link', async () => {
    const res = await get('/');
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).toContain('swarm-lab serve');
    expect(text).not.toContain('<title>Swarm Lab</title>');
  });

  it('refuses assets without a token', async () => {
    expect((await get('/assets/app.js')).status).toBe(401);
  });

  it('refuses a wrong token with 403', async () => {
    expect((await get('/?token=wrong')).status).toBe(403);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie and drops it from the URL', async () => {
    const res = await get(`/?token=${web.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain(`${TOKEN_COOKIE}=${web.token}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
  });

  it('serves the page and assets with the cookie, with a strict CSP', async () => {
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>Swarm Lab</title>');
    const asset = await get('/assets/app.js', { cookie: cookie() });
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('never serves files outside its folder', async () => {
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await get(path, { cookie: cookie() });
      expect(await res.text()).not.toContain('root:');
    }
  });

  it('refuses the RPC WebSocket without a token (401)', async () => {
    expect((await upgrade({ origin: web.origin })).status).toBe(401);
  });

  it('refuses the RPC WebSocket with a wrong token (401)', async () => {
    expect((await upgrade({ origin: web.origin, cookie: `${TOKEN_COOKIE}=nope` })).status).toBe(401);
  });

  it('refuses the RPC WebSocket from a foreign Origin even with the token (403)', async () => {
    expect((await upgrade({ origin: 'http://evil.example', cookie: cookie() })).status).toBe(403);
    expect((await upgrade({ origin: `http://127.0.0.1:${web.port + 1}`, cookie: cookie() })).status).toBe(403);
  });

  it('refuses WebSocket upgrades on other paths (404)', async () => {
    expect((await upgrade({ origin: web.origin, cookie: cookie() }, '/other')).status).toBe(404);
  });

  it('answers RPC over the WebSocket with the token and our Origin', async () => {
    for (const origin of [web.origin, `http://localhost:${web.port}`]) {
      const { status, ws } = await upgrade({ origin, cookie: cookie() });
      expect(status).toBe(101);
      const { client, control } = createRpcClient(appContract);
      control.attach(webSocketTransport(ws as never));
      await expect(client.app.info({})).resolves.toMatchObject({ name: 'Swarm Lab', mode: 'web' });
      control.close();
    }
  });

  it('refuses to bind a non-loopback address without --allow-remote', async () => {
    await expect(startWebServer({ backEnd, staticDir: dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(WebServerError);
    await expect(startWebServer({ backEnd, staticDir: dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--allow-remote/);
  });

  it('binds a non-loopback address when allowed, still requiring the token', async () => {
    const remote = await startWebServer({ backEnd, staticDir: dir, host: '0.0.0.0', port: 0, allowRemote: true });
    try {
      expect((await fetch(`http://127.0.0.1:${remote.port}/`)).status).toBe(401);
    } finally {
      await remote.close();
    }
  });

  it('says what to do when the port is taken', async () => {
    await expect(startWebServer({ backEnd, staticDir: dir, port: web.port })).rejects.toThrow(/already in use.*--port 0/);
  });

  describe('terminal output stream', () => {
    const send = (method: 'POST' | 'DELETE', stream: number, id: string, headers: Record<string, string> = { cookie: cookie() }) =>
      fetch(`${web.origin}${TERMINAL_STREAM_PATH}?stream=${stream}&id=${encodeURIComponent(id)}`, { method, headers });

    it('needs the token, names a session that does not exist, and refuses a closed stream or a foreign page', async () => {
      expect((await get(TERMINAL_STREAM_PATH)).status).toBe(401);
      const res = await get(TERMINAL_STREAM_PATH, { cookie: cookie() });
      expect(res.status).toBe(200);
      const key = Number(res.headers.get(TERMINAL_STREAM_KEY_HEADER));
      expect(key).toBeLessThan(0);
      try {
        expect((await send('POST', key, 'nope', {})).status).toBe(401);
        const missing = await send('POST', key, 'nope');
        expect(missing.status).toBe(404);
        expect(await missing.text()).toMatch(/no terminal session nope.*Open a new terminal/);
        expect((await send('POST', key, 'nope', { cookie: cookie(), origin: 'http://evil.example' })).status).toBe(403);
        const closed = await send('POST', key - 100, 'nope');
        expect(closed.status).toBe(409);
        expect(await closed.text()).toMatch(/stream is closed/);
      } finally {
        await res.body!.cancel();
      }
    });

    // Two of the user's interactive shells start here, and their rc files run: this machine's root
    // runs `pyenv init` (0.6 s a shell when idle, seconds under a test run's load), more than the
    // default 5 s for the test in about one run in five while other tests ran.
    it("carries every attached session's output, from its scrollback on, takes acks naming the stream, and ends each with its exit", { timeout: 30_000 }, async () => {
      const { ws } = await upgrade({ origin: web.origin, cookie: cookie() });
      const { client, control } = createRpcClient(appContract);
      control.attach(webSocketTransport(ws as never));
      try {
        const one = await client.terminal.open({ target: { kind: 'local' }, cols: 80, rows: 24 });
        const two = await client.terminal.open({ target: { kind: 'local' }, cols: 80, rows: 24 });
        const res = await get(TERMINAL_STREAM_PATH, { cookie: cookie() });
        const key = Number(res.headers.get(TERMINAL_STREAM_KEY_HEADER));
        const reader = res.body!.getReader();
        const frames = new TerminalFrameDecoder();
        const got: TerminalStreamPayload[] = [];
        const of = (id: string) => got.filter((p) => p.id === id);
        const text = (id: string) => of(id).map((p) => new TextDecoder().decode(p.data)).join('');
        const until = async (ok: () => boolean) => {
          while (!ok()) {
            const { value, done } = await reader.read();
            if (done) return;
            got.push(...frames.push(value));
          }
        };
        expect((await send('POST', key, one.id)).status).toBe(204);
        expect((await send('POST', key, two.id)).status).toBe(204);
        await until(() => of(one.id).length > 0 && of(two.id).length > 0);
        expect(of(one.id)[0]).toMatchObject({ replay: true });
        expect(of(two.id)[0]).toMatchObject({ replay: true });
        await client.terminal.write({ id: one.id, data: 'echo one-$((6*7))\r' });
        await client.terminal.write({ id: two.id, data: 'echo two-$((6*8))\r' });
        await until(() => text(one.id).includes('one-42') && text(two.id).includes('two-48'));
        expect(text(one.id)).not.toContain('two-48');
        const bytes = of(one.id).reduce((n, p) => n + p.bytes, 0);
        await expect(client.terminal.ack({ id: one.id, bytes, stream: key })).resolves.toEqual({});
        // Detached, a session sends nothing more on this stream (frames sent before the detach, such
        // as its prompt, may still be on the way); attached again, it starts with its replay.
        expect((await send('DELETE', key, two.id)).status).toBe(204);
        const before = of(two.id).length;
        await client.terminal.write({ id: two.id, data: 'echo gone-$((6*9))\r' });
        await client.terminal.write({ id: one.id, data: 'exit 3\r' });
        await until(() => of(one.id).some((p) => p.end));
        expect(of(one.id).at(-2)?.exit).toMatchObject({ code: 3 });
        expect((await send('POST', key, two.id)).status).toBe(204);
        const replayAt = (): number => of(two.id).findIndex((p, i) => i >= before && p.replay);
        await until(() => replayAt() >= 0 && text(two.id).includes('gone-54'));
        const whileDetached = of(two.id).slice(before, replayAt());
        expect(whileDetached.map((p) => new TextDecoder().decode(p.data)).join('')).not.toContain('gone-54');
        expect(new TextDecoder().decode(of(two.id)[replayAt()]!.data)).toContain('two-48');
        // a session already over: its replay, its exit and its end at once
        expect((await send('POST', key, one.id)).status).toBe(204);
        await until(() => of(one.id).filter((p) => p.end).length === 2);
        await reader.cancel();
        await client.terminal.kill({ id: two.id });
      } finally {
        control.close();
      }
    });
  });
});
