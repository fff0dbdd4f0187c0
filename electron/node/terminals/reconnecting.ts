/**
 * A node shell that outlives a restart of its node: when the node's container stops under the
 * session, the terminal says so and waits; once the container runs again, a new shell is opened in
 * the same session (same tab, same scrollback). The session ends for good when the shell exits by
 * itself, the node is removed, the wait runs out, or the session is killed.
 */
import type { TerminalExit, TerminalSource } from './session.js';

export interface ReconnectOptions {
  node: string;
  /** Opens a fresh shell in the node (called again after each restart). */
  open(size: { cols: number; rows: number }): Promise<TerminalSource>;
  /** The node container's state now. */
  state(): Promise<boolean | 'gone'>;
  /** How long to wait for the node to run again (default 10 minutes). */
  waitMs?: number;
  pollMs?: number;
}

const encoder = new TextEncoder();

export async function reconnectingNodeShell(first: TerminalSource, size: { cols: number; rows: number }, o: ReconnectOptions): Promise<TerminalSource> {
  const dataListeners: ((chunk: Uint8Array) => void)[] = [];
  const exitListeners: ((exit: TerminalExit) => void)[] = [];
  let current: TerminalSource | undefined;
  let cols = size.cols;
  let rows = size.rows;
  let paused = false;
  let killed = false;
  let ended = false;
  let wake: (() => void) | undefined;

  const emit = (text: string): void => {
    const bytes = encoder.encode(text);
    for (const l of dataListeners) l(bytes);
  };
  const end = (exit: TerminalExit): void => {
    if (ended) return;
    ended = true;
    for (const l of exitListeners) l(exit);
  };

  const attach = (src: TerminalSource): void => {
    current = src;
    if (paused) src.pause();
    src.onData((chunk) => {
      if (current === src) for (const l of dataListeners) l(chunk);
    });
    src.onExit((exit) => {
      if (current !== src) return;
      current = undefined;
      void afterExit(exit);
    });
  };

  const afterExit = async (exit: TerminalExit): Promise<void> => {
    const state = await o.state();
    if (killed || state !== false) {
      end(exit); // the shell exited by itself, the node was removed, or the session was closed
      return;
    }
    emit(`\r\n\x1b[33m[${o.node} stopped; this terminal reconnects when it runs again]\x1b[0m\r\n`);
    const deadline = Date.now() + (o.waitMs ?? 10 * 60_000);
    while (!killed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, o.pollMs ?? 1000);
      });
      if (killed) break;
      const s = await o.state();
      if (s === 'gone') return end({ code: null, message: `${o.node} was removed; the session ended.` });
      if (s !== true) continue;
      try {
        const next = await o.open({ cols, rows });
        if (killed) {
          next.kill();
          break;
        }
        emit(`\x1b[32m[reconnected to ${o.node}]\x1b[0m\r\n`);
        attach(next);
        return;
      } catch {
        /* the node is starting; try again */
      }
    }
    end(killed ? { code: null, message: 'The terminal was closed.' } : { code: null, message: `${o.node} did not run again within ${Math.round((o.waitMs ?? 600_000) / 60_000)} minutes; the session ended.` });
  };

  attach(first);
  return {
    title: first.title,
    onData: (l) => void dataListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    write: (data) => current?.write(data),
    resize: (c, r) => {
      cols = c;
      rows = r;
      current?.resize(c, r);
    },
    pause: () => {
      paused = true;
      current?.pause();
    },
    resume: () => {
      paused = false;
      current?.resume();
    },
    kill: () => {
      killed = true;
      if (current) current.kill();
      else {
        wake?.();
        end({ code: null, message: 'The terminal was closed.' });
      }
    },
  };
}
