/**
 * The Electron shell: one hardened window showing the bundled renderer from our own scheme, and a
 * MessagePort bridge from that window's main frame to the same RPC back end web mode uses.
 * This folder and electron/preload are the only code that imports 'electron'.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, MessageChannelMain, nativeTheme, protocol, session, shell } from 'electron';
import { createBackEnd } from '../node/rpc/back-end.js';
import { CONTENT_SECURITY_POLICY as CSP } from '../common/csp.js';
import type { Transport } from '../common/rpc/transport.js';
import { mainPortTransport } from './port-transport.js';
import { APP_ORIGIN, APP_SCHEME, appUrlToPath, isAllowedExternalUrl, isAllowedPermission, isAppUrl } from './url-guards.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'index.cjs');

const MIME: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json',
  woff2: 'font/woff2',
};

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const backEnd = createBackEnd({ mode: 'desktop' });
let bridge: Transport | undefined;

async function serveAppFile(request: Request): Promise<Response> {
  const rel = appUrlToPath(request.url);
  if (!rel) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(join(rendererDir, rel));
    const type = MIME[rel.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return new Response(body, { headers: { 'Content-Type': type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' } });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Swarm Lab',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f6f7f9',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('render-process-gone', () => bridge?.close('renderer process gone'));
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) bridge?.close('page navigated');
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, serveAppFile);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(isAllowedPermission(permission, contents.getURL())));
  ses.setPermissionCheckHandler((contents, permission) => !!contents && isAllowedPermission(permission, contents.getURL()));

  const win = createWindow();

  // The renderer asks for its pipe; only our own main frame showing our own page gets one.
  ipcMain.on('swarm-lab:connect', (event) => {
    const frame = event.senderFrame;
    if (!frame || event.sender !== win.webContents || frame !== win.webContents.mainFrame || !isAppUrl(frame.url)) return;
    bridge?.close('replaced by a new connection');
    const { port1, port2 } = new MessageChannelMain();
    const transport = mainPortTransport(port1);
    bridge = transport;
    backEnd.server.connect(transport);
    frame.postMessage('swarm-lab:port', null, [port2]);
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  bridge?.close('window closed');
  backEnd.dispose();
  if (process.platform !== 'darwin') app.quit();
});
