/**
 * The terminal section of the RPC contract (added to the app contract as `terminal`).
 *
 * A session is opened once and outlives the connection that opened it (kept 10 minutes without a
 * subscriber). `onData({id})` first delivers the retained scrollback (`replay: true`, at most
 * 256 KiB), then live output in batches; the client acknowledges each payload's `bytes` with `ack`
 * after xterm has written it, or the session's output pauses. The last payload of an ended session
 * carries `exit`, and the subscription ends right after it.
 */
import { z } from 'zod';
import { event, method } from '../rpc/contract.js';
import { terminalData, terminalSessionInfo, terminalSize, terminalTarget } from '../terminal.js';

const sessionRef = z.object({ id: z.string().min(1).max(64) });
const done = z.object({});

export const terminalFeature = {
  open: method({
    params: z.object({ target: terminalTarget, cols: terminalSize.cols.default(80), rows: terminalSize.rows.default(24) }),
    result: terminalSessionInfo,
  }),
  /** Keyboard input (xterm's onData). */
  write: method({ params: sessionRef.extend({ data: z.string().max(1024 * 1024) }), result: done }),
  resize: method({ params: sessionRef.extend({ cols: terminalSize.cols, rows: terminalSize.rows }), result: done }),
  /**
   * Bytes of onData payloads xterm has written; `stream`: of the payloads of that output stream of
   * web mode (see TERMINAL_STREAM_PATH), not of this connection's subscription.
   */
  ack: method({ params: sessionRef.extend({ bytes: z.number().int().nonnegative(), stream: z.number().int().negative().optional() }), result: done }),
  kill: method({ params: sessionRef, result: done }),
  list: method({ params: z.object({}), result: z.array(terminalSessionInfo) }),
  onData: event({ params: sessionRef, payload: terminalData }),
};
export type TerminalFeature = typeof terminalFeature;
