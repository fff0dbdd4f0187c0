/**
 * A terminal session's output, whichever way it comes:
 * - in the desktop window, the `terminal.onData` subscription over the MessagePort;
 * - in web mode, the page's one output stream (TERMINAL_STREAM_PATH; why one, and not the WebSocket:
 *   see there), to which each terminal attaches its session; the stream is opened again with backoff
 *   when the connection drops, and every terminal attached again (each starting with its replay).
 * Either way the listener gets onData's payloads (the output as text, or as UTF-8 bytes from the
 * stream: xterm takes both), every (re)subscription starting with its replay, and `ack` acknowledges
 * bytes of them. `onEnd` is called once the output has ended for good: after the exit payload, or
 * with why when the session is gone. `onLink` says when the web-mode stream is lost (and being opened
 * again) and when it is back; the desktop window's subscription rides the RPC connection, whose own
 * state the status bar shows.
 */
import type { TerminalData } from '../../../electron/common/terminal.js';
import { TERMINAL_STREAM_KEY_HEADER, TERMINAL_STREAM_PATH, TerminalFrameDecoder } from '../../../electron/common/terminal.js';
import { isDesktop, rpc } from '../rpc.js';

export type OutputPayload = Omit<TerminalData, 'data'> & { data: string | Uint8Array };

export interface TerminalOutput {
  ack(bytes: number): void;
  dispose(): void;
}

interface Subscriber {
  listener: (payload: OutputPayload) => void;
  onEnd: (error?: { message: string }) => void;
  onLink: (live: boolean) => void;
}

export function subscribeOutput(
  id: string,
  listener: (payload: OutputPayload) => void,
  onEnd: (error?: { message: string }) => void,
  onLink: (live: boolean) => void = () => undefined,
): TerminalOutput {
  if (isDesktop()) {
    const sub = rpc.terminal.onData({ id }, listener, { onEnd });
    return { ack: (bytes) => void rpc.terminal.ack({ id, bytes }).catch(() => undefined), dispose: () => sub.dispose() };
  }
  pageStream ??= new PageStream();
  return pageStream.subscribe(id, { listener, onEnd, onLink });
}

let pageStream: PageStream | undefined;

/** Retry delays after a lost stream: 0.5 s, doubling, at most 5 s (as the RPC connection's). */
const retryDelay = (attempt: number): number => Math.min(500 * 2 ** attempt, 5000);

const NOT_AUTHORISED = 'Not authorised: open the link that "swarm-lab serve" printed.';

/** The page's output stream and the terminals attached to it; open while any terminal is. */
class PageStream {
  private readonly subscribers = new Map<string, Subscriber>();
  /** The open stream's key, which attachments and acks name. */
  private key: number | undefined;
  private abort: AbortController | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the terminals were told the stream is lost (and are to hear it is back). */
  private lost = false;

  subscribe(id: string, sub: Subscriber): TerminalOutput {
    this.subscribers.set(id, sub);
    if (this.key !== undefined) void this.attach(this.key, id);
    else if (!this.abort && !this.timer) void this.open();
    return {
      ack: (bytes) => {
        if (this.key !== undefined && this.subscribers.get(id) === sub) void rpc.terminal.ack({ id, bytes, stream: this.key }).catch(() => undefined);
      },
      dispose: () => {
        if (this.subscribers.get(id) !== sub) return;
        this.subscribers.delete(id);
        if (this.key !== undefined) void this.send('DELETE', this.key, id).catch(() => undefined);
        this.closeIfIdle();
      },
    };
  }

  /** Ends every terminal's output (the page may not read it). */
  private endAll(message: string): void {
    const subs = [...this.subscribers.values()];
    this.subscribers.clear();
    this.close();
    for (const s of subs) s.onEnd({ message });
  }

  /** No terminal is attached: the stream's connection is given back (a browser has few per server). */
  private closeIfIdle(): void {
    if (!this.subscribers.size) this.close();
  }

  private close(): void {
    this.key = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.attempt = 0;
    this.lost = false;
  }

  private retry(): void {
    this.key = undefined;
    this.abort = undefined;
    if (!this.subscribers.size) return this.close();
    if (!this.lost) {
      this.lost = true;
      for (const s of this.subscribers.values()) s.onLink(false);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, retryDelay(this.attempt++));
  }

  private send(method: 'POST' | 'DELETE', key: number, id: string): Promise<Response> {
    return fetch(`${TERMINAL_STREAM_PATH}?stream=${key}&id=${encodeURIComponent(id)}`, { method, cache: 'no-store', credentials: 'same-origin' });
  }

  /** Attaches terminal `id` to stream `key`: its replay, then its live output, come on the stream. */
  private async attach(key: number, id: string): Promise<void> {
    const res = await this.send('POST', key, id).catch(() => undefined);
    const sub = this.subscribers.get(id);
    if (!res || !sub || key !== this.key) return; // (the stream's loss reattaches it; or it is gone or disposed)
    if (res.ok) return;
    if (res.status === 401 || res.status === 403) return this.endAll(NOT_AUTHORISED);
    if (res.status === 409) return void this.abort?.abort(); // a stream the server no longer has: open a new one
    // 404: no such session (ended, closed, or a restarted back end that never had it)
    this.subscribers.delete(id);
    this.closeIfIdle();
    const said = await res.text().catch(() => '');
    sub.onEnd({ message: said || `The terminal's output could not be attached (HTTP ${res.status}); close this tab and open the terminal again.` });
  }

  private async open(): Promise<void> {
    const abort = (this.abort = new AbortController());
    let res: Response;
    try {
      res = await fetch(TERMINAL_STREAM_PATH, { cache: 'no-store', credentials: 'same-origin', signal: abort.signal });
    } catch {
      if (abort === this.abort) this.retry(); // the back end is away: it may come back
      return;
    }
    if (abort !== this.abort) return void abort.abort(); // closed meanwhile
    if (res.status === 401 || res.status === 403) return this.endAll(NOT_AUTHORISED);
    if (!res.ok || !res.body) return this.retry();
    const key = (this.key = Number(res.headers.get(TERMINAL_STREAM_KEY_HEADER)));
    this.attempt = 0;
    if (this.lost) {
      this.lost = false;
      for (const s of this.subscribers.values()) s.onLink(true);
    }
    for (const id of this.subscribers.keys()) void this.attach(key, id);
    const reader = res.body.getReader();
    const frames = new TerminalFrameDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const { id, end, ...payload } of frames.push(value)) {
          const sub = this.subscribers.get(id);
          if (!sub) continue; // (detached meanwhile)
          if (end) {
            this.subscribers.delete(id);
            sub.onEnd(); // after its exit payload, or the session is gone
          } else sub.listener(payload);
        }
        if (!this.subscribers.size) {
          this.closeIfIdle();
          return;
        }
      }
    } catch {
      /* cut off: the back end went away, or the network did */
    }
    if (abort === this.abort) this.retry();
  }
}
