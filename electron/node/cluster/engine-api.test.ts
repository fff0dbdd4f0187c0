/**
 * The Engine API client's timeouts, against a local HTTP server reached through an agent whose
 * connections take a while to open, as a dial-stdio exec does on a busy machine.
 */
import { Agent, createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentEngineApi, EngineTimeoutError } from './engine-api.js';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const wait = req.url === '/slow' ? 400 : 0;
    setTimeout(() => res.end(JSON.stringify({ path: req.url })), wait);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** An agent whose every connection opens `openMs` late. */
function slowAgent(openMs: number): Agent {
  const agent = new Agent({ keepAlive: true });
  (agent as unknown as { createConnection: unknown }).createConnection = (_o: unknown, cb: (err: Error | null, s?: Socket) => void) => {
    setTimeout(() => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => cb(null, s));
      s.once('error', (e) => cb(e));
    }, openMs);
    return undefined;
  };
  return agent;
}

describe('agentEngineApi', () => {
  it('counts a call’s timeout from when it has a connection, not from when it asked for one', async () => {
    const agent = slowAgent(300);
    try {
      const api = agentEngineApi('m1', agent);
      await expect(api.get('/nodes', 150)).resolves.toEqual({ path: '/nodes' });
      // the connection is kept: the next call does not wait for another
      const t = Date.now();
      await expect(api.get('/again', 150)).resolves.toEqual({ path: '/again' });
      expect(Date.now() - t).toBeLessThan(250);
    } finally {
      agent.destroy();
    }
  });

  it('gives up on a connection that does not open within connectTimeoutMs, and on an answer that does not come within timeoutMs', async () => {
    const agent = slowAgent(300);
    try {
      const api = agentEngineApi('m1', agent, { connectTimeoutMs: 100 });
      const e = await api.get('/nodes', 5000).catch((x: Error) => x);
      expect(e).toBeInstanceOf(EngineTimeoutError);
      expect((e as Error).message).toBe('m1: no connection to its daemon opened within 100 ms (for /nodes)');
    } finally {
      agent.destroy();
    }
    const quick = slowAgent(0);
    try {
      const slow = await agentEngineApi('m1', quick).get('/slow', 100).catch((x: Error) => x);
      expect(slow).toBeInstanceOf(EngineTimeoutError);
      expect((slow as Error).message).toBe('m1 (/slow) did not answer within 100 ms');
    } finally {
      quick.destroy();
    }
  });
});
