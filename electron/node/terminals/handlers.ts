/**
 * RPC handlers of the terminal feature over a TerminalManager. Acknowledgements are keyed by the
 * caller's connection (or by the output stream they name, in web mode), so each window's xterm paces
 * the session on its own; acks and writes for a session that has just ended are ignored rather than failing.
 */
import type { TerminalFeature } from '../../common/contracts/terminal.js';
import { batchAsData } from '../../common/terminal.js';
import type { Handlers } from '../../common/rpc/server.js';
import type { TerminalManager } from './manager.js';

export type TerminalHandlers = Handlers<{ terminal: TerminalFeature }>['terminal'];

export function createTerminalHandlers(manager: TerminalManager): TerminalHandlers {
  return {
    open: ({ target, cols, rows }) => manager.open(target, { cols, rows }),
    write: ({ id, data }) => {
      manager.get(id).write(data);
      return {};
    },
    resize: ({ id, cols, rows }) => {
      manager.get(id).resize(cols, rows);
      return {};
    },
    ack: ({ id, bytes, stream }, ctx) => {
      manager.find(id)?.ack(stream ?? ctx.connectionId, bytes);
      return {};
    },
    kill: ({ id }) => {
      manager.kill(id);
      return {};
    },
    list: () => manager.list(),
    onData: ({ id }, emit, ctx) => manager.get(id).attach(ctx.connectionId, (batch) => emit(batchAsData(batch)), () => ctx.end()),
  };
}
