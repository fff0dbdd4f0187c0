/**
 * Wire frames of the RPC protocol and the error type both ends share.
 *
 * Client → server: call, cancel, sub, unsub. Server → client: result, error, progress, event, end.
 * Frames are JSON strings. Ids are chosen by the client and unique per connection.
 */
import { z } from 'zod';

const id = z.number().int().nonnegative();

export const clientFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id, method: z.string().max(200), params: z.unknown() }),
  z.object({ t: z.literal('cancel'), id }),
  z.object({ t: z.literal('sub'), id, event: z.string().max(200), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export const wireError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type WireError = z.infer<typeof wireError>;

export const serverFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id, result: z.unknown() }),
  z.object({ t: z.literal('error'), id: id.nullable(), error: wireError }),
  z.object({ t: z.literal('progress'), id, progress: z.unknown() }),
  z.object({ t: z.literal('event'), id, payload: z.unknown() }),
  z.object({ t: z.literal('end'), id, error: wireError.optional() }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;

/** Error codes of the protocol itself; features add their own (e.g. DOCKER_UNREACHABLE). */
export const RpcCodes = {
  BadFrame: 'BAD_FRAME',
  TooLarge: 'TOO_LARGE',
  UnknownMethod: 'UNKNOWN_METHOD',
  InvalidParams: 'INVALID_PARAMS',
  InvalidResult: 'INVALID_RESULT',
  Cancelled: 'CANCELLED',
  Disconnected: 'DISCONNECTED',
  Internal: 'INTERNAL',
} as const;

/** An error that crosses the wire with its code; the client revives it as an RpcError. */
export class RpcError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }
  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static fromWire(e: WireError): RpcError {
    return new RpcError(e.code, e.message, e.details);
  }
}

/** Default cap on one frame: 4 MiB. Terminal output and lab logs arrive in smaller batches. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** UTF-8 size of a string, computed only when the cheap bounds cannot decide. */
export function exceedsBytes(s: string, max: number): boolean {
  if (s.length > max) return true;
  if (s.length * 3 <= max) return false;
  return new TextEncoder().encode(s).length > max;
}

/** Formats a zod error as one readable line: `field: problem; other: problem`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
