import { Agent, createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineTimeoutError, agentEngineApi } from './engine-api.js';

describe('agentEngineApi', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('answers a call that times out at once, but keeps its connection: probes of a hanging daemon open no more connections than the agent allows', async () => {
    // a daemon whose /nodes hangs (no leader yet) and which answers /_ping
    const hanging: ServerResponse[] = [];
    const sockets = new Set<Socket>();
    let closed = 0;
    const server = createServer((req, res) => {
      if (req.url === '/nodes') hanging.push(res);
      else res.end('"OK"');
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => closed++);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    // (the engine API's requests name no port: this agent connects to the test server)
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (options, cb) => connect({ ...options, host: '127.0.0.1', port }, cb);
    cleanups.push(() => {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    });
    const api = agentEngineApi('manager1', agent);

    for (let i = 0; i < 5; i++) await expect(api.get('/nodes', 50)).rejects.toBeInstanceOf(EngineTimeoutError);
    expect(sockets.size).toBe(2); // two hanging requests hold both connections; the rest never got one
    expect(hanging).toHaveLength(2);
    expect(closed).toBe(0);

    // the daemon answers (a leader was elected): the connections serve again
    for (const res of hanging) res.end('[]');
    await expect(api.get('/_ping', 1000)).resolves.toBe('OK');
    expect(sockets.size).toBe(2);
  });
});
