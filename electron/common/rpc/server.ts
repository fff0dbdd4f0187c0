/**
 * RPC server: validates every incoming frame and payload against the contract, runs handlers with an
 * AbortSignal, forwards progress and events, and frees everything a connection held when it closes
 * (in-flight calls are aborted, subscriptions disposed).
 */
import type { ContractDef, EventDef, MethodDef, ParsedParamsOf, PayloadOf, ProgressOf, ResultOf } from './contract.js';
import { indexContract } from './contract.js';
import {
  clientFrame,
  DEFAULT_MAX_MESSAGE_BYTES,
  describeZodError,
  exceedsBytes,
  RpcCodes,
  RpcError,
  type ServerFrame,
  type WireError,
} from './protocol.js';
import type { Disposable, Transport } from './transport.js';

export interface CallContext<G> {
  readonly signal: AbortSignal;
  progress(note: G): void;
  readonly connectionId: number;
}

export interface SubscribeContext {
  readonly signal: AbortSignal;
  /** Ends the subscription from the server side (a terminal exited, a lab was destroyed). */
  end(error?: RpcError): void;
  readonly connectionId: number;
}

export type MethodHandler<D extends MethodDef> = (
  params: ParsedParamsOf<D>,
  ctx: CallContext<ProgressOf<D>>,
) => Promise<ResultOf<D>> | ResultOf<D>;

export type EventHandler<D extends EventDef> = (
  params: ParsedParamsOf<D>,
  emit: (payload: PayloadOf<D>) => void,
  ctx: SubscribeContext,
) => Disposable | (() => void) | void | Promise<Disposable | (() => void) | void>;

export type Handlers<C extends ContractDef> = {
  [F in keyof C]: {
    [K in keyof C[F]]: C[F][K] extends MethodDef ? MethodHandler<C[F][K]> : C[F][K] extends EventDef ? EventHandler<C[F][K]> : never;
  };
};

export interface RpcServerOptions {
  maxMessageBytes?: number;
  /** Where unexpected handler errors are reported (they reach the client as INTERNAL). */
  log?: (message: string, error?: unknown) => void;
}

export interface RpcServer {
  connect(transport: Transport): Disposable;
  /** Live counts, for leak tests and diagnostics. */
  stats(): { connections: number; calls: number; subscriptions: number };
}

interface ConnectionState {
  calls: Map<number, AbortController>;
  subs: Map<number, { controller: AbortController; dispose?: () => void }>;
}

export function createRpcServer<C extends ContractDef>(
  contract: C,
  handlers: Handlers<C>,
  options: RpcServerOptions = {},
): RpcServer {
  const index = indexContract(contract);
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const log = options.log ?? ((m: string, e?: unknown) => console.error(`[rpc] ${m}`, e ?? ''));
  const connections = new Set<ConnectionState>();
  let nextConnectionId = 1;

  function handlerFor(name: string): unknown {
    const dot = name.indexOf('.');
    const feature = (handlers as Record<string, Record<string, unknown>>)[name.slice(0, dot)];
    return feature?.[name.slice(dot + 1)];
  }

  function toWireError(error: unknown): WireError {
    if (error instanceof RpcError) return error.toWire();
    log('handler failed', error);
    const message = error instanceof Error ? error.message : String(error);
    return { code: RpcCodes.Internal, message: `Internal error in Swarm Lab's back end: ${message}` };
  }

  function connect(transport: Transport): Disposable {
    const state: ConnectionState = { calls: new Map(), subs: new Map() };
    const connectionId = nextConnectionId++;
    connections.add(state);

    const send = (frame: ServerFrame): void => {
      if (transport.closed) return;
      let text: string;
      try {
        text = JSON.stringify(frame);
      } catch (e) {
        log('could not serialise a frame', e);
        return;
      }
      if (exceedsBytes(text, maxBytes)) {
        const id = frame.t === 'error' ? frame.id : frame.id;
        text = JSON.stringify({
          t: 'error',
          id,
          error: { code: RpcCodes.TooLarge, message: `The reply is larger than ${maxBytes} bytes.` },
        } satisfies ServerFrame);
      }
      try {
        transport.send(text);
      } catch {
        /* the peer went away; onClose cleans up */
      }
    };

    const fail = (id: number | null, code: string, message: string, details?: unknown): void =>
      send({ t: 'error', id, error: new RpcError(code, message, details).toWire() });

    const handleCall = (id: number, name: string, rawParams: unknown): void => {
      const def = index.get(name);
      const handler = handlerFor(name);
      if (!def || def.kind !== 'method' || typeof handler !== 'function') {
        fail(id, RpcCodes.UnknownMethod, `Unknown method "${name}".`);
        return;
      }
      if (state.calls.has(id)) {
        fail(id, RpcCodes.BadFrame, `Call id ${id} is already in use on this connection.`);
        return;
      }
      const parsed = def.params.safeParse(rawParams);
      if (!parsed.success) {
        fail(id, RpcCodes.InvalidParams, `Invalid parameters for ${name}: ${describeZodError(parsed.error)}`);
        return;
      }
      const controller = new AbortController();
      state.calls.set(id, controller);
      const ctx: CallContext<unknown> = {
        signal: controller.signal,
        connectionId,
        progress: (note) => {
          if (controller.signal.aborted) return;
          const ok = def.progress.safeParse(note);
          if (!ok.success) log(`dropped invalid progress from ${name}: ${describeZodError(ok.error)}`);
          else send({ t: 'progress', id, progress: ok.data });
        },
      };
      Promise.resolve()
        .then(() => (handler as (p: unknown, c: CallContext<unknown>) => unknown)(parsed.data, ctx))
        .then(
          (result) => {
            if (controller.signal.aborted) return;
            const checked = def.result.safeParse(result);
            if (!checked.success) {
              log(`${name} returned a result that breaks its contract: ${describeZodError(checked.error)}`);
              fail(id, RpcCodes.InvalidResult, `The back end answered ${name} with malformed data.`);
            } else send({ t: 'result', id, result: checked.data });
          },
          (error: unknown) => {
            if (controller.signal.aborted) return;
            send({ t: 'error', id, error: toWireError(error) });
          },
        )
        .finally(() => state.calls.delete(id));
    };

    const handleSub = (id: number, name: string, rawParams: unknown): void => {
      const def = index.get(name);
      const handler = handlerFor(name);
      if (!def || def.kind !== 'event' || typeof handler !== 'function') {
        send({ t: 'end', id, error: new RpcError(RpcCodes.UnknownMethod, `Unknown event "${name}".`).toWire() });
        return;
      }
      if (state.subs.has(id)) {
        send({ t: 'end', id, error: new RpcError(RpcCodes.BadFrame, `Subscription id ${id} is in use.`).toWire() });
        return;
      }
      const parsed = def.params.safeParse(rawParams);
      if (!parsed.success) {
        const message = `Invalid parameters for ${name}: ${describeZodError(parsed.error)}`;
        send({ t: 'end', id, error: new RpcError(RpcCodes.InvalidParams, message).toWire() });
        return;
      }
      const controller = new AbortController();
      const entry: { controller: AbortController; dispose?: () => void } = { controller };
      state.subs.set(id, entry);
      const end = (error?: RpcError): void => {
        if (!state.subs.has(id)) return;
        state.subs.delete(id);
        controller.abort();
        entry.dispose?.();
        send(error ? { t: 'end', id, error: error.toWire() } : { t: 'end', id });
      };
      const emit = (payload: unknown): void => {
        if (controller.signal.aborted) return;
        const ok = def.payload.safeParse(payload);
        if (!ok.success) log(`dropped invalid ${name} payload: ${describeZodError(ok.error)}`);
        else send({ t: 'event', id, payload: ok.data });
      };
      Promise.resolve()
        .then(() => (handler as (p: unknown, e: unknown, c: SubscribeContext) => unknown)(parsed.data, emit, {
          signal: controller.signal,
          end,
          connectionId,
        }))
        .then(
          (result) => {
            const dispose =
              typeof result === 'function'
                ? (result as () => void)
                : result && typeof (result as Disposable).dispose === 'function'
                  ? () => (result as Disposable).dispose()
                  : undefined;
            if (controller.signal.aborted) dispose?.();
            else entry.dispose = dispose;
          },
          (error: unknown) => {
            if (!state.subs.has(id)) return;
            state.subs.delete(id);
            controller.abort();
            send({ t: 'end', id, error: toWireError(error) });
          },
        );
    };

    const onMessage = (text: string): void => {
      if (exceedsBytes(text, maxBytes)) {
        fail(null, RpcCodes.TooLarge, `A message of more than ${maxBytes} bytes was refused.`);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        fail(null, RpcCodes.BadFrame, 'A message that is not JSON was refused.');
        return;
      }
      const frame = clientFrame.safeParse(json);
      if (!frame.success) {
        const maybeId = (json as { id?: unknown } | null)?.id;
        const id = typeof maybeId === 'number' && Number.isInteger(maybeId) && maybeId >= 0 ? maybeId : null;
        fail(id, RpcCodes.BadFrame, `Malformed frame: ${describeZodError(frame.error)}`);
        return;
      }
      const f = frame.data;
      switch (f.t) {
        case 'call':
          handleCall(f.id, f.method, f.params);
          break;
        case 'cancel': {
          const controller = state.calls.get(f.id);
          if (controller) {
            state.calls.delete(f.id);
            controller.abort(new RpcError(RpcCodes.Cancelled, 'Cancelled by the client.'));
            fail(f.id, RpcCodes.Cancelled, 'Cancelled by the client.');
          }
          break;
        }
        case 'sub':
          handleSub(f.id, f.event, f.params);
          break;
        case 'unsub': {
          const sub = state.subs.get(f.id);
          if (sub) {
            state.subs.delete(f.id);
            sub.controller.abort();
            sub.dispose?.();
          }
          break;
        }
      }
    };

    const release = (): void => {
      for (const controller of state.calls.values()) {
        controller.abort(new RpcError(RpcCodes.Disconnected, 'The client disconnected.'));
      }
      state.calls.clear();
      for (const sub of state.subs.values()) {
        sub.controller.abort();
        try {
          sub.dispose?.();
        } catch (e) {
          log('a subscription failed to dispose', e);
        }
      }
      state.subs.clear();
      connections.delete(state);
    };

    const messageSub = transport.onMessage(onMessage);
    const closeSub = transport.onClose(() => {
      messageSub.dispose();
      release();
    });
    return {
      dispose: () => {
        closeSub.dispose();
        messageSub.dispose();
        release();
        transport.close('server closed the connection');
      },
    };
  }

  return {
    connect,
    stats: () => {
      let calls = 0;
      let subscriptions = 0;
      for (const c of connections) {
        calls += c.calls.size;
        subscriptions += c.subs.size;
      }
      return { connections: connections.size, calls, subscriptions };
    },
  };
}
