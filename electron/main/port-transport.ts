/** The main process's end of the renderer bridge: an RPC transport over Electron's MessagePortMain. */
import type { MessagePortMain } from 'electron';
import { PORT_BYE, TransportBase, type Transport } from '../common/rpc/transport.js';

export function mainPortTransport(port: MessagePortMain): Transport {
  class MainPortTransport extends TransportBase implements Transport {
    constructor() {
      super();
      port.on('message', (ev) => {
        if (typeof ev.data !== 'string') return;
        if (ev.data === PORT_BYE) this.markClosed('renderer closed the port');
        else this.deliver(ev.data);
      });
      port.on('close', () => this.markClosed('renderer went away'));
      port.start();
    }
    send(message: string): void {
      if (this.closed) throw new Error('transport is closed');
      port.postMessage(message);
    }
    close(reason = 'closed'): void {
      if (this.closed) return;
      try {
        port.postMessage(PORT_BYE);
        port.close();
      } finally {
        this.markClosed(reason);
      }
    }
  }
  return new MainPortTransport();
}
