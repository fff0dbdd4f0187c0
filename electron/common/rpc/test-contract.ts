/**
 * A contract that exercises every protocol feature; used by the RPC round-trip tests over each
 * transport. Not part of the app's contract.
 */
import { z } from 'zod';
import { defineContract, event, method } from './contract.js';
import { RpcError } from './protocol.js';
import type { Handlers } from './server.js';

export const testContract = defineContract({
  math: {
    add: method({ params: z.object({ a: z.number(), b: z.number() }), result: z.object({ sum: z.number() }) }),
    fail: method({ params: z.object({ code: z.string() }), result: z.object({}) }),
    crash: method({ params: z.object({}), result: z.object({}) }),
    lie: method({ params: z.object({}), result: z.object({ n: z.number() }) }),
    countTo: method({ params: z.object({ n: z.number().int().max(1000) }), result: z.object({ done: z.literal(true) }), progress: z.object({ at: z.number() }) }),
    hang: method({ params: z.object({}), result: z.object({}) }),
    echo: method({ params: z.object({ text: z.string() }), result: z.object({ text: z.string() }) }),
  },
  ticker: {
    onTick: event({ params: z.object({ every: z.number().int().min(1) }), payload: z.object({ n: z.number() }) }),
    onOnce: event({ params: z.object({}), payload: z.object({ hello: z.string() }) }),
  },
});

/** Handlers plus probes a test reads: what is held, what was released. */
export function testHandlers() {
  const probe = { hangStarted: 0, hangAborted: 0, tickersLive: 0, tickersDisposed: 0 };
  const handlers: Handlers<typeof testContract> = {
    math: {
      add: ({ a, b }) => ({ sum: a + b }),
      fail: ({ code }) => {
        throw new RpcError(code, `failed with ${code}`, { why: 'asked to' });
      },
      crash: () => {
        throw new Error('boom');
      },
      lie: () => ({ n: 'not a number' }) as unknown as { n: number },
      countTo: async ({ n }, ctx) => {
        for (let i = 1; i <= n; i++) {
          ctx.progress({ at: i });
          await new Promise((r) => setTimeout(r, 1));
        }
        return { done: true as const };
      },
      hang: (_p, ctx) =>
        new Promise((_resolve, reject) => {
          probe.hangStarted++;
          ctx.signal.addEventListener('abort', () => {
            probe.hangAborted++;
            reject(new Error('aborted'));
          });
        }),
      echo: ({ text }) => ({ text }),
    },
    ticker: {
      onTick: ({ every }, emit) => {
        probe.tickersLive++;
        let n = 0;
        const t = setInterval(() => emit({ n: ++n }), every);
        return () => {
          clearInterval(t);
          probe.tickersLive--;
          probe.tickersDisposed++;
        };
      },
      onOnce: (_p, emit, ctx) => {
        emit({ hello: 'world' });
        ctx.end();
      },
    },
  };
  return { handlers, probe };
}
