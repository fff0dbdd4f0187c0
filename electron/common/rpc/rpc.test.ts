import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineContract, event, method } from './contract.js';
import { exceedsBytes } from './protocol.js';
import { rpcConformance } from './rpc-conformance.js';
import { createMemoryPipe, type Transport } from './transport.js';

rpcConformance('the in-memory pipe', () => ({
  open: async () => {
    const [client, server] = createMemoryPipe();
    return { client, server, end: async () => client.close() };
  },
  vanish: (client: Transport) => (client as ReturnType<typeof createMemoryPipe>[0]).vanish(),
}));

describe('contract rules', () => {
  it('accepts methods and onXxx events', () => {
    expect(() =>
      defineContract({ lab: { create: method({ params: z.object({}), result: z.object({}) }), onProgress: event({ params: z.object({}), payload: z.object({}) }) } }),
    ).not.toThrow();
  });
  it.each([
    ['an event not named onXxx', { lab: { progress: event({ params: z.object({}), payload: z.object({}) }) } }, /must be named onXxx/],
    ['a method named like an event', { lab: { onCreate: method({ params: z.object({}), result: z.object({}) }) } }, /not start with "on"/],
    ['a feature with a dot', { 'lab.x': {} }, /lowerCamelCase/],
  ])('refuses %s', (_what, contract, message) => {
    expect(() => defineContract(contract as never)).toThrow(message);
  });
});

describe('message size', () => {
  it.each([
    ['ascii under', 'a'.repeat(10), 10, false],
    ['ascii over', 'a'.repeat(11), 10, true],
    ['multibyte over', 'é'.repeat(6), 10, true],
    ['multibyte under', 'é'.repeat(5), 10, false],
    ['emoji', '😀'.repeat(3), 12, false],
  ])('%s', (_what, text, max, expected) => expect(exceedsBytes(text, max)).toBe(expected));
});
