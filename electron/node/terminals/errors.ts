/** Errors a terminal operation can meet; they cross the RPC wire with their code. */
import { RpcError } from '../../common/rpc/protocol.js';

export type TerminalErrorCode =
  | 'TERMINAL_NOT_FOUND'
  | 'TERMINAL_LIMIT'
  | 'NODE_NOT_RUNNING'
  | 'TASK_NOT_FOUND'
  | 'TASK_NOT_RUNNING'
  | 'NO_MANAGER'
  | 'PTY_UNAVAILABLE'
  | 'EXEC_FAILED';

export class TerminalError extends RpcError {
  constructor(code: TerminalErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'TerminalError';
  }
}
