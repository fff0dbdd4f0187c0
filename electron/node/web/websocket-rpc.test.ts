import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { rpcConformance } from '../../common/rpc/rpc-conformance.js';
import { webSocketTransport, type Transport } from '../../common/rpc/transport.js';

// The same suite over a real WebSocket on loopback, with the `ws` package on both ends.
rpcConformance('a WebSocket', async () => {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, maxPayload: 64 * 1024 + 512 });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  const raw = new WeakMap<Transport, WebSocket>();
  return {
    open: async () => {
      const serverSide = new Promise<Transport>((resolve) => wss.once('connection', (ws) => resolve(webSocketTransport(ws as never))));
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const client = webSocketTransport(ws as never);
      raw.set(client, ws);
      const server = await serverSide;
      return {
        client,
        server,
        end: async () => {
          client.close();
          for (const c of wss.clients) c.terminate();
          await new Promise<void>((r) => wss.close(() => r()));
          http.closeAllConnections();
          await new Promise<void>((r) => http.close(() => r()));
        },
      };
    },
    vanish: (client) => raw.get(client)?.terminate(),
  };
});
