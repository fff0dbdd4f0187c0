/** Errors a lab operation can meet; they cross the RPC wire with their code. */
import { RpcError } from '../../common/rpc/protocol.js';

export type LabErrorCode =
  | 'INVALID_SPEC'
  | 'LAB_EXISTS'
  | 'LAB_NOT_FOUND'
  | 'NODE_NOT_FOUND'
  | 'SERVICE_NOT_FOUND'
  | 'NODE_EXISTS'
  | 'SUBNET_COLLISION'
  | 'NO_FREE_SUBNET'
  | 'IMAGE_NOT_FOUND'
  | 'PRIVILEGES'
  | 'NODE_FAILED'
  | 'SWARM_FAILED'
  | 'NOT_IN_SWARM'
  | 'FAULT_FAILED'
  | 'UNSUPPORTED'
  | 'CLEANUP_INCOMPLETE';

export class LabError extends RpcError {
  constructor(code: LabErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'LabError';
  }
}
