/**
 * The RPC round-trip suite every transport must pass: calls, typed errors, validation, progress,
 * cancellation, events, malformed frames, oversized messages, and a client that vanishes mid-call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRpcClient, type ClientOf, type RpcClientControl } from './client.js';
import { RpcCodes, RpcError } from './protocol.js';
import { createRpcServer, type RpcServer } from './server.js';
import { testContract, testHandlers } from './test-contract.js';
import type { Transport } from './transport.js';

export interface Harness {
  /** The client end and the server end of one connection. */
  open(): Promise<{ client: Transport; server: Transport; end(): Promise<void> }>;
  /** Abruptly drops the client end (no goodbye), as a crashed tab or a cut network would. */
  vanish(client: Transport): void;
}

const MAX = 64 * 1024;

export function rpcConformance(name: string, makeHarness: () => Promise<Harness> | Harness): void {
  describe(`RPC over ${name}`, () => {
    let cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanup.reverse()) await c();
      cleanup = [];
    });

    async function setup(): Promise<{
      api: ClientOf<typeof testContract>;
      control: RpcClientControl;
      server: RpcServer;
      probe: ReturnType<typeof testHandlers>['probe'];
      client: Transport;
      serverEnd: Transport;
      harness: Harness;
      logged: string[];
    }> {
      const harness = await makeHarness();
      const { handlers, probe } = testHandlers();
      const logged: string[] = [];
      const server = createRpcServer(testContract, handlers, { maxMessageBytes: MAX, log: (m) => logged.push(m) });
      const pair = await harness.open();
      server.connect(pair.server);
      const { client: api, control } = createRpcClient(testContract, { maxMessageBytes: MAX });
      control.attach(pair.client);
      cleanup.push(async () => {
        control.close();
        await pair.end();
      });
      return { api, control, server, probe, client: pair.client, serverEnd: pair.server, harness, logged };
    }

    const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    it('answers a call with a typed result', async () => {
      const { api } = await setup();
      await expect(api.math.add({ a: 2, b: 40 })).resolves.toEqual({ sum: 42 });
    });

    it('runs concurrent calls independently', async () => {
      const { api } = await setup();
      const sums = await Promise.all(Array.from({ length: 50 }, (_, i) => api.math.add({ a: i, b: i })));
      expect(sums.map((s) => s.sum)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i));
    });

    it('revives handler errors with their code, message and details', async () => {
      const { api } = await setup();
      const error = await api.math.fail({ code: 'LAB_NOT_FOUND' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect(error).toMatchObject({ code: 'LAB_NOT_FOUND', message: 'failed with LAB_NOT_FOUND', details: { why: 'asked to' } });
    });

    it('reports unexpected exceptions as INTERNAL without killing the connection', async () => {
      const { api } = await setup();
      await expect(api.math.crash({})).rejects.toMatchObject({ code: RpcCodes.Internal, message: expect.stringContaining('boom') });
      await expect(api.math.add({ a: 1, b: 1 })).resolves.toEqual({ sum: 2 });
    });

    it('refuses invalid params before the handler runs', async () => {
      const { api } = await setup();
      const error = await api.math.add({ a: 1, b: 'two' as unknown as number }).catch((e: RpcError) => e);
      expect(error).toMatchObject({ code: RpcCodes.InvalidParams });
      expect((error as RpcError).message).toContain('b:');
    });

    it('refuses a result that breaks the contract', async () => {
      const { api, logged } = await setup();
      await expect(api.math.lie({})).rejects.toMatchObject({ code: RpcCodes.InvalidResult });
      expect(logged.join('\n')).toContain('math.lie');
    });

    it('answers an unknown method with UNKNOWN_METHOD', async () => {
      const { client } = await setup();
      const reply = new Promise<string>((r) => client.onMessage(r));
      client.send(JSON.stringify({ t: 'call', id: 9999, method: 'math.nope', params: {} }));
      expect(JSON.parse(await reply)).toMatchObject({ t: 'error', id: 9999, error: { code: RpcCodes.UnknownMethod } });
    });

    it.each([
      ['not JSON', '{nope', null],
      ['an unknown frame type', JSON.stringify({ t: 'explode', id: 5 }), 5],
      ['a call without a method', JSON.stringify({ t: 'call', id: 6, params: {} }), 6],
      ['a negative id', JSON.stringify({ t: 'call', id: -1, method: 'math.add', params: {} }), null],
      ['JSON null', 'null', null],
    ])('answers %s with BAD_FRAME and keeps serving', async (_what, frame, id) => {
      const { client, api } = await setup();
      const reply = new Promise<string>((r) => client.onMessage(r));
      client.send(frame);
      expect(JSON.parse(await reply)).toMatchObject({ t: 'error', id, error: { code: RpcCodes.BadFrame } });
      await expect(api.math.add({ a: 1, b: 2 })).resolves.toEqual({ sum: 3 });
    });

    it('refuses oversized messages on both ends', async () => {
      const { api, client } = await setup();
      const big = 'x'.repeat(MAX + 10);
      await expect(api.math.echo({ text: big })).rejects.toMatchObject({ code: RpcCodes.TooLarge });
      // A hostile client that skips its own check is answered by the server, or cut off by a transport limit.
      const reply = new Promise<string>((r) => {
        client.onMessage(r);
        client.onClose(() => r(JSON.stringify({ t: 'closed' })));
      });
      client.send(JSON.stringify({ t: 'call', id: 77, method: 'math.echo', params: { text: big } }));
      const frame = JSON.parse(await reply);
      if (frame.t !== 'closed') expect(frame).toMatchObject({ t: 'error', error: { code: RpcCodes.TooLarge } });
    });

    it('delivers progress notes in order before the result', async () => {
      const { api } = await setup();
      const notes: number[] = [];
      await expect(api.math.countTo({ n: 20 }, { onProgress: (p) => notes.push(p.at) })).resolves.toEqual({ done: true });
      expect(notes).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('cancels a call: the client rejects at once and the server aborts the handler', async () => {
      const { api, probe, server } = await setup();
      const controller = new AbortController();
      const call = api.math.hang({}, { signal: controller.signal });
      await until(() => probe.hangStarted === 1);
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: RpcCodes.Cancelled });
      await until(() => probe.hangAborted === 1);
      expect(server.stats().calls).toBe(0);
    });

    it('times out a call and cancels it on the server', async () => {
      const { api, probe, server } = await setup();
      await expect(api.math.hang({}, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      await until(() => probe.hangAborted === 1);
      expect(server.stats().calls).toBe(0);
    });

    it('subscribes to events and stops them on unsubscribe', async () => {
      const { api, probe, server } = await setup();
      const seen: number[] = [];
      const sub = api.ticker.onTick({ every: 5 }, (p) => seen.push(p.n));
      await until(() => seen.length >= 3);
      sub.dispose();
      await until(() => probe.tickersDisposed === 1);
      expect(server.stats().subscriptions).toBe(0);
      const count = seen.length;
      await new Promise((r) => setTimeout(r, 40));
      expect(seen.length).toBe(count);
      expect(seen.slice(0, 3)).toEqual([1, 2, 3]);
    });

    it('ends a subscription from the server side', async () => {
      const { api } = await setup();
      const seen: string[] = [];
      const sub = api.ticker.onOnce({}, (p) => seen.push(p.hello));
      await expect(sub.ended).resolves.toBeUndefined();
      expect(seen).toEqual(['world']);
    });

    it('ends a subscription with invalid params with a typed error', async () => {
      const { api } = await setup();
      const sub = api.ticker.onTick({ every: 0 }, () => undefined);
      await expect(sub.ended).resolves.toMatchObject({ code: RpcCodes.InvalidParams });
    });

    it('frees what a vanished client held: in-flight calls aborted, subscriptions disposed', async () => {
      const { api, probe, server, client, harness, control } = await setup();
      const hanging = api.math.hang({}).catch((e: RpcError) => e);
      api.ticker.onTick({ every: 5 }, () => undefined);
      await until(() => probe.hangStarted === 1 && probe.tickersLive === 1);
      expect(server.stats()).toMatchObject({ calls: 1, subscriptions: 1 });
      harness.vanish(client);
      await until(() => probe.hangAborted === 1 && probe.tickersLive === 0);
      await until(() => server.stats().connections === 0);
      expect(server.stats()).toEqual({ connections: 0, calls: 0, subscriptions: 0 });
      expect(await hanging).toMatchObject({ code: RpcCodes.Disconnected });
      expect(control.connected).toBe(false);
    });

    it('renews live subscriptions when the client is attached to a new connection', async () => {
      const { api, control, client, harness, server } = await setup();
      const seen: number[] = [];
      api.ticker.onTick({ every: 5 }, (p) => seen.push(p.n));
      await until(() => seen.length >= 2);
      harness.vanish(client);
      await until(() => !control.connected);
      const pair = await harness.open();
      server.connect(pair.server);
      cleanup.push(pair.end);
      control.attach(pair.client);
      const before = seen.length;
      await until(() => seen.length >= before + 2);
      expect(server.stats().subscriptions).toBe(1);
    });
  });
}
