import { rpcConformance } from './rpc-conformance.js';
import { messagePortTransport, type Transport } from './transport.js';

// The renderer's MessagePort transport over a real MessageChannel (Node has the DOM's API).
rpcConformance('a MessagePort', () => {
  const ports = new WeakMap<Transport, MessagePort>();
  return {
    open: async () => {
      const { port1, port2 } = new MessageChannel();
      const client = messagePortTransport(port1 as never);
      const server = messagePortTransport(port2 as never);
      ports.set(client, port1);
      return { client, server, end: async () => client.close() };
    },
    // No goodbye frame: the port just closes, as when a renderer crashes; the other end's close event tells it.
    vanish: (client) => ports.get(client)?.close(),
  };
});
