/**
 * Web mode: serves the built renderer, the RPC WebSocket at /rpc, and pages' terminal output streams
 * at TERMINAL_STREAM_PATH (see there why output does not ride the WebSocket, and why a page has one).
 *
 * Loopback by default. Every launch makes a random token; the printed URL carries it, the first
 * request trades it for an HttpOnly cookie, and nothing (page, assets, socket) is served without it.
 * The WebSocket upgrade also checks the Origin, so another site in the same browser cannot drive
 * the back end (which drives a Docker engine: root on that host).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { webSocketTransport } from '../../common/rpc/transport.js';
import { CONTENT_SECURITY_POLICY as CSP } from '../../common/csp.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../common/rpc/protocol.js';
import { encodeTerminalEnd, encodeTerminalFrame, TERMINAL_STREAM_KEY_HEADER, TERMINAL_STREAM_PATH } from '../../common/terminal.js';
import type { BackEnd } from '../rpc/back-end.js';

export const TOKEN_COOKIE = 'swarmlab_token';
export const DEFAULT_PORT = 4780;

export interface WebServerOptions {
  backEnd: BackEnd;
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Needed to bind anything but a loopback address. */
  allowRemote?: boolean;
  token?: string;
  maxMessageBytes?: number;
}

export interface WebServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class WebServerError extends Error {}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

function sameToken(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const UNAUTHORISED_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Swarm Lab — access token needed</title>
<style>body{font:16px system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}</style></head>
<body><h1>Access token needed</h1><p>This Swarm Lab server only answers browsers that opened the link it printed when it
started, which carries a secret token (<code>http://127.0.0.1:PORT/?token=…</code>).</p>
<p>Copy that link from the terminal where <code>swarm-lab serve</code> runs. A restarted server prints a new link.</p></body></html>`;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  if (!isLoopbackHost(host) && !options.allowRemote) {
    throw new WebServerError(
      `Refusing to listen on ${host}: only loopback addresses are allowed without --allow-remote, because anyone who reaches this server with the token can drive your Docker engine.`,
    );
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  const index = join(staticRoot, 'index.html');

  let allowedOrigins = new Set<string>();
  const isAllowedOrigin = (origin: string | undefined, hostHeader: string | undefined): boolean => {
    if (origin === undefined) return true; // not a browser: the token alone decides
    if (allowedOrigins.has(origin)) return true;
    // Remote mode: the page's own origin is whatever address the user typed.
    return !!options.allowRemote && !!hostHeader && origin === `http://${hostHeader}`;
  };

  const authorised = (req: IncomingMessage, url: URL): boolean =>
    sameToken(parseCookies(req.headers.cookie).get(TOKEN_COOKIE), token) || sameToken(url.searchParams.get('token'), token);

  const sendFile = (res: ServerResponse, file: string): void => {
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': file === index ? 'no-store' : 'private, max-age=3600',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    createReadStream(file).pipe(res);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://swarm-lab.invalid');
    const attaching = url.pathname === TERMINAL_STREAM_PATH && (req.method === 'POST' || req.method === 'DELETE');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !attaching) {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!sameToken(queryToken, token)) {
        res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8' }).end(UNAUTHORISED_PAGE);
        return;
      }
      // Trade the token for a cookie and drop it from the address bar (and from history).
      url.searchParams.delete('token');
      res
        .writeHead(302, {
          'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + (url.search || ''),
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-store',
        })
        .end();
      return;
    }
    if (!authorised(req, url)) {
      res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(UNAUTHORISED_PAGE);
      return;
    }
    if (url.pathname === '/rpc') {
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('The RPC endpoint speaks WebSocket only.');
      return;
    }
    if (url.pathname === TERMINAL_STREAM_PATH) {
      if (attaching) attachToStream(req, res, url);
      else openStream(req, res);
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(staticRoot, path));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    let target = index;
    try {
      if (statSync(file).isFile()) target = file;
    } catch {
      /* not a file: the single-page app handles the route */
    }
    try {
      statSync(target);
    } catch {
      res
        .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(`The user interface is not built (${index} is missing). Run "npm run build" and start the server again.`);
      return;
    }
    sendFile(res, target);
  };

  /** Pages' output streams by key (-1, -2, …: their acks name them, apart from the RPC connections' keys), with the sessions attached to each. */
  const streams = new Map<number, { res: ServerResponse; attached: Map<string, () => void> }>();
  let lastStreamKey = 0;
  const plain = (res: ServerResponse, status: number, text = ''): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
  };

  /** A page's output stream: frames of the sessions it attaches (see TERMINAL_STREAM_PATH). */
  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET') return plain(res, 405);
    const key = --lastStreamKey;
    const stream = { res, attached: new Map<string, () => void>() };
    streams.set(key, stream);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', [TERMINAL_STREAM_KEY_HEADER]: String(key) });
    res.flushHeaders();
    res.on('close', () => {
      streams.delete(key);
      for (const detach of stream.attached.values()) detach();
      stream.attached.clear();
    });
  };

  /** POST attaches session `id` to stream `stream` (its replay first, then live output); DELETE detaches it. */
  const attachToStream = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host)) return plain(res, 403, 'This page may not use the terminals of this Swarm Lab.');
    const key = Number(url.searchParams.get('stream'));
    const stream = streams.get(key);
    const id = url.searchParams.get('id') ?? '';
    if (!stream) return plain(res, 409, 'That output stream is closed; open a new one.');
    stream.attached.get(id)?.();
    stream.attached.delete(id);
    if (req.method === 'DELETE') return plain(res, 204);
    let ended = false;
    try {
      const detach = options.backEnd.attachTerminal(
        id,
        key,
        (batch) => {
          // one writev for the frame's head and output (the output is not copied)
          const [head, output] = encodeTerminalFrame(id, batch);
          stream.res.cork();
          stream.res.write(head);
          if (output.length) stream.res.write(output);
          stream.res.uncork();
        },
        () => {
          ended = true;
          stream.attached.delete(id);
          stream.res.write(encodeTerminalEnd(id));
        },
      );
      if (!ended) stream.attached.set(id, detach); // (a session already over delivers its exit and ends at once)
    } catch (e) {
      return plain(res, 404, (e as Error).message);
    }
    plain(res, 204);
  };

  const server: Server = createServer(handle);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://swarm-lab.invalid');
    if (url.pathname !== '/rpc') return refuse(404, 'Not Found');
    if (!authorised(req, url)) return refuse(401, 'Unauthorized');
    if (!isAllowedOrigin(req.headers.origin, req.headers.host)) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      options.backEnd.server.connect(webSocketTransport(ws as never));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(
        e.code === 'EADDRINUSE'
          ? new WebServerError(`Port ${port} on ${host} is already in use. Pass --port with another number, or --port 0 for any free port.`)
          : e.code === 'EADDRNOTAVAIL'
            ? new WebServerError(`${host} is not an address of this machine. Pass --host with one of its addresses.`)
            : e,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });

  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${actualPort}`;
  allowedOrigins = new Set([origin, `http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`, `http://[::1]:${actualPort}`]);

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port: actualPort,
    token,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
