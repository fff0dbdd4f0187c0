/**
 * The renderer's one connection to the back end. The transport is picked here and nowhere else:
 * the MessagePort the Electron preload hands over, or a WebSocket to /rpc in web mode, re-opened
 * with backoff whenever it drops.
 */
import { appContract, type AppContract } from '../../electron/common/contracts/app.js';
import { createRpcClient, type ClientOf } from '../../electron/common/rpc/client.js';
import { messagePortTransport, webSocketTransport, type Transport } from '../../electron/common/rpc/transport.js';

declare global {
  interface Window {
    swarmLab?: { desktop: true; platform: string; versions: Record<string, string> };
  }
}

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; since: number }
  | { status: 'reconnecting'; attempt: number; retryAt: number; reason: string }
  | { status: 'unauthorised' };

/** The desktop window (its preload hands over a MessagePort), not a browser tab in web mode. */
export const isDesktop = (): boolean => !!window.swarmLab?.desktop;

const { client, control } = createRpcClient(appContract);
export const rpc: ClientOf<AppContract> = client;
export const rpcControl = control;

type Listener = (s: ConnectionState) => void;
const listeners = new Set<Listener>();
let state: ConnectionState = { status: 'connecting', attempt: 1 };
const setState = (s: ConnectionState): void => {
  state = s;
  for (const l of listeners) l(s);
};
export const connectionState = (): ConnectionState => state;
export function onConnectionState(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function openDesktopPort(): Promise<Transport> {
  return new Promise((resolve) => {
    const onMessage = (ev: MessageEvent): void => {
      if (ev.source !== window || ev.data !== 'swarm-lab:port' || !ev.ports[0]) return;
      window.removeEventListener('message', onMessage);
      resolve(messagePortTransport(ev.ports[0]));
    };
    window.addEventListener('message', onMessage);
    window.dispatchEvent(new Event('swarm-lab:connect'));
  });
}

function openWebSocket(): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/rpc`);
    ws.addEventListener('open', () => resolve(webSocketTransport(ws)), { once: true });
    ws.addEventListener('error', () => reject(new Error('The WebSocket to the back end could not be opened.')), { once: true });
  });
}

/** Whether the page's server still knows our token (a restarted server makes a new one). */
async function tokenAccepted(): Promise<boolean> {
  try {
    const res = await fetch(location.pathname, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return res.status !== 401 && res.status !== 403;
  } catch {
    return true; // the server is down: keep retrying
  }
}

let started = false;

/** Connects once and keeps the connection alive for the page's lifetime. */
export function startConnection(): void {
  if (started) return;
  started = true;
  let attempt = 1;
  const connect = async (): Promise<void> => {
    try {
      const transport = window.swarmLab?.desktop ? await openDesktopPort() : await openWebSocket();
      attempt = 1;
      transport.onClose((reason) => scheduleRetry(reason));
      control.attach(transport);
      setState({ status: 'connected', since: Date.now() });
    } catch (e) {
      if (!window.swarmLab?.desktop && !(await tokenAccepted())) {
        setState({ status: 'unauthorised' });
        return;
      }
      scheduleRetry((e as Error).message);
    }
  };
  const scheduleRetry = (reason: string): void => {
    const delay = Math.min(500 * 2 ** (attempt - 1), 5000);
    setState({ status: 'reconnecting', attempt, retryAt: Date.now() + delay, reason });
    attempt++;
    setTimeout(() => void connect(), delay);
  };
  void connect();
}
