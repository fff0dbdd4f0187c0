/**
 * RPC client generated from a contract: `client.feature.method(params, { signal, onProgress })`
 * returns a promise; `client.feature.onThing(params, listener)` subscribes and returns a handle.
 *
 * Errors arrive revived as RpcError with their code. A client can be re-attached to a new transport
 * (the WebSocket came back): calls that were in flight fail with DISCONNECTED, live subscriptions are
 * renewed on the new transport.
 */
import type { ContractDef, EventDef, MethodDef, ParamsOf, PayloadOf, ProgressOf, ResultOf } from './contract.js';
import { indexContract } from './contract.js';
import {
  type ClientFrame,
  DEFAULT_MAX_MESSAGE_BYTES,
  exceedsBytes,
  RpcCodes,
  RpcError,
  serverFrame,
} from './protocol.js';
import type { Disposable, Transport } from './transport.js';

export interface CallOptions<G> {
  signal?: AbortSignal;
  onProgress?: (note: G) => void;
  /** Rejects with TIMEOUT after this many milliseconds (and cancels the call on the server). */
  timeoutMs?: number;
}

export interface Subscription extends Disposable {
  /** Resolves when the server ends the subscription (with the error, if it ended on one). */
  readonly ended: Promise<RpcError | undefined>;
}

export interface SubscribeOptions {
  onEnd?: (error?: RpcError) => void;
}

type MethodFn<D> = (params: ParamsOf<D>, options?: CallOptions<ProgressOf<D>>) => Promise<ResultOf<D>>;
type EventFn<D> = (
  params: ParamsOf<D>,
  listener: (payload: PayloadOf<D>) => void,
  options?: SubscribeOptions,
) => Subscription;

export type ClientOf<C extends ContractDef> = {
  [F in keyof C]: {
    [K in keyof C[F]]: C[F][K] extends MethodDef ? MethodFn<C[F][K]> : C[F][K] extends EventDef ? EventFn<C[F][K]> : never;
  };
};

export interface RpcClientControl {
  /** Attach to a (new) transport. Live subscriptions are renewed on it. */
  attach(transport: Transport): void;
  readonly connected: boolean;
  onConnectionChange(listener: (connected: boolean, reason?: string) => void): Disposable;
  stats(): { pending: number; subscriptions: number };
  close(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: RpcError): void;
  onProgress?: (note: unknown) => void;
  cleanup(): void;
}

interface Sub {
  event: string;
  params: unknown;
  listener: (payload: unknown) => void;
  finish(error?: RpcError): void;
}

export function createRpcClient<C extends ContractDef>(
  contract: C,
  options: { maxMessageBytes?: number } = {},
): { client: ClientOf<C>; control: RpcClientControl } {
  const index = indexContract(contract);
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const pending = new Map<number, Pending>();
  const subs = new Map<number, Sub>();
  const connectionListeners = new Set<(connected: boolean, reason?: string) => void>();
  let transport: Transport | undefined;
  let transportSubs: Disposable[] = [];
  let nextId = 1;
  let closed = false;

  const notify = (connected: boolean, reason?: string): void => {
    for (const l of [...connectionListeners]) l(connected, reason);
  };

  const sendFrame = (frame: ClientFrame): void => {
    if (!transport || transport.closed) {
      throw new RpcError(RpcCodes.Disconnected, 'Not connected to the Swarm Lab back end.');
    }
    const text = JSON.stringify(frame);
    if (exceedsBytes(text, maxBytes)) {
      throw new RpcError(RpcCodes.TooLarge, `The request is larger than ${maxBytes} bytes and was not sent.`);
    }
    transport.send(text);
  };

  const onMessage = (text: string): void => {
    let frame;
    try {
      frame = serverFrame.parse(JSON.parse(text));
    } catch {
      return; // a broken frame from the server cannot be attributed to a call
    }
    switch (frame.t) {
      case 'result':
        pending.get(frame.id)?.resolve(frame.result);
        break;
      case 'error':
        if (frame.id !== null) pending.get(frame.id)?.reject(RpcError.fromWire(frame.error));
        break;
      case 'progress':
        pending.get(frame.id)?.onProgress?.(frame.progress);
        break;
      case 'event':
        subs.get(frame.id)?.listener(frame.payload);
        break;
      case 'end':
        subs.get(frame.id)?.finish(frame.error ? RpcError.fromWire(frame.error) : undefined);
        break;
    }
  };

  const detach = (reason: string): void => {
    for (const s of transportSubs) s.dispose();
    transportSubs = [];
    transport = undefined;
    for (const p of [...pending.values()]) {
      p.reject(new RpcError(RpcCodes.Disconnected, `Lost the connection to the back end (${reason}).`));
    }
    notify(false, reason);
  };

  const control: RpcClientControl = {
    attach(next) {
      if (closed) throw new Error('client is closed');
      if (transport) {
        const old = transport;
        detach('replaced');
        old.close('replaced');
      }
      transport = next;
      transportSubs = [
        next.onMessage(onMessage),
        next.onClose((reason) => {
          if (transport === next) detach(reason);
        }),
      ];
      for (const [id, s] of subs) {
        try {
          sendFrame({ t: 'sub', id, event: s.event, params: s.params });
        } catch {
          /* renewed on the next attach */
        }
      }
      notify(true);
    },
    get connected() {
      return !!transport && !transport.closed;
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return { dispose: () => connectionListeners.delete(listener) };
    },
    stats: () => ({ pending: pending.size, subscriptions: subs.size }),
    close() {
      closed = true;
      const t = transport;
      if (t) {
        detach('client closed');
        t.close('client closed');
      }
      for (const s of [...subs.values()]) s.finish();
    },
  };

  const call = (name: string, params: unknown, opts: CallOptions<unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new RpcError(RpcCodes.Cancelled, `${name} was cancelled before it started.`));
        return;
      }
      const id = nextId++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        entry.reject(new RpcError(RpcCodes.Cancelled, `${name} was cancelled.`));
        try {
          sendFrame({ t: 'cancel', id });
        } catch {
          /* disconnected: nothing to cancel */
        }
      };
      const entry: Pending = {
        resolve: (v) => {
          entry.cleanup();
          resolve(v);
        },
        reject: (e) => {
          entry.cleanup();
          reject(e);
        },
        onProgress: opts.onProgress,
        cleanup: () => {
          pending.delete(id);
          if (timer) clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
        },
      };
      pending.set(id, entry);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          entry.reject(new RpcError('TIMEOUT', `${name} did not answer within ${opts.timeoutMs} ms.`));
          try {
            sendFrame({ t: 'cancel', id });
          } catch {
            /* ignore */
          }
        }, opts.timeoutMs);
      }
      try {
        sendFrame({ t: 'call', id, method: name, params });
      } catch (e) {
        entry.reject(e instanceof RpcError ? e : new RpcError(RpcCodes.Disconnected, String(e)));
      }
    });

  const subscribe = (
    name: string,
    params: unknown,
    listener: (payload: unknown) => void,
    opts: SubscribeOptions = {},
  ): Subscription => {
    const id = nextId++;
    let resolveEnded!: (e: RpcError | undefined) => void;
    const ended = new Promise<RpcError | undefined>((r) => (resolveEnded = r));
    const sub: Sub = {
      event: name,
      params,
      listener,
      finish: (error) => {
        if (!subs.delete(id)) return;
        opts.onEnd?.(error);
        resolveEnded(error);
      },
    };
    subs.set(id, sub);
    try {
      sendFrame({ t: 'sub', id, event: name, params });
    } catch {
      /* sent when a transport is attached */
    }
    return {
      ended,
      dispose: () => {
        if (!subs.has(id)) return;
        sub.finish();
        try {
          sendFrame({ t: 'unsub', id });
        } catch {
          /* disconnected: the server already dropped it */
        }
      },
    };
  };

  const client: Record<string, Record<string, unknown>> = {};
  for (const [wireName, def] of index) {
    const [feature, member] = wireName.split('.') as [string, string];
    client[feature] ??= {};
    client[feature][member] =
      def.kind === 'method'
        ? (params: unknown, opts?: CallOptions<unknown>) => call(wireName, params, opts)
        : (params: unknown, listener: (p: unknown) => void, opts?: SubscribeOptions) =>
            subscribe(wireName, params, listener, opts);
  }
  return { client: client as ClientOf<C>, control };
}
