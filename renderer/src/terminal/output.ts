/**
 * A terminal session's output, whichever way it comes:
 * - in the desktop window, the `terminal.onData` subscription over the MessagePort;
 * - in web mode, a streamed response from TERMINAL_STREAM_PATH (why: see there), opened again with
 *   backoff when the connection drops, as the RPC client renews its subscriptions.
 * Either way the listener gets onData's payloads (the output as text, or as UTF-8 bytes from the
 * stream: xterm takes both), every (re)subscription starting with its replay, and `ack` acknowledges
 * bytes of them. `onEnd` is called once the output has ended for good: after the exit payload, or
 * with why when the session is gone. `onLink` says when a web-mode stream is lost (and being opened
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
  return streamOutput(id, listener, onEnd, onLink);
}

/** Retry delays after a lost stream: 0.5 s, doubling, at most 5 s (as the RPC connection's). */
const retryDelay = (attempt: number): number => Math.min(500 * 2 ** attempt, 5000);

function streamOutput(id: string, listener: (payload: OutputPayload) => void, onEnd: (error?: { message: string }) => void, onLink: (live: boolean) => void): TerminalOutput {
  let disposed = false;
  /** The open stream's key, which its acks name. */
  let key: number | undefined;
  let abort: AbortController | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = (): void => {
    key = undefined;
    if (disposed) return;
    onLink(false);
    timer = setTimeout(() => void open(), retryDelay(attempt++));
  };
  const open = async (): Promise<void> => {
    timer = undefined;
    if (disposed) return;
    abort = new AbortController();
    let res: Response;
    try {
      res = await fetch(`${TERMINAL_STREAM_PATH}?id=${encodeURIComponent(id)}`, { cache: 'no-store', credentials: 'same-origin', signal: abort.signal });
    } catch {
      return retry(); // the back end is away: it may come back
    }
    if (disposed) return void abort.abort();
    if (res.status === 401 || res.status === 403) return onEnd({ message: 'Not authorised: open the link that "swarm-lab serve" printed.' });
    if (!res.ok || !res.body) {
      // no such session (ended, closed, or a restarted back end that never had it)
      if (res.status >= 400 && res.status < 500) return onEnd({ message: (await res.text().catch(() => '')) || `The terminal's output could not be opened (HTTP ${res.status}).` });
      return retry();
    }
    key = Number(res.headers.get(TERMINAL_STREAM_KEY_HEADER));
    if (attempt) onLink(true);
    attempt = 0;
    const reader = res.body.getReader();
    const frames = new TerminalFrameDecoder();
    let exited = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || disposed) break;
        for (const payload of frames.push(value)) {
          exited ||= !!payload.exit;
          listener(payload);
        }
      }
    } catch {
      if (!exited) return retry(); // cut off (the back end went away, or the network did)
    }
    key = undefined;
    if (!disposed) onEnd(); // the back end ended it: after the exit payload, or the session is gone
  };
  void open();
  return {
    ack: (bytes) => {
      if (key !== undefined) void rpc.terminal.ack({ id, bytes, stream: key }).catch(() => undefined);
    },
    dispose: () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      abort?.abort();
    },
  };
}
