/** The main process's end of the renderer bridge: an RPC transport over Electron's MessagePortMain. */
import type { MessagePortMain } from 'electron';
import { portTransport, type Transport } from '../common/rpc/transport.js';

export function mainPortTransport(port: MessagePortMain): Transport {
  return portTransport({
    post: (m) => port.postMessage(m),
    listen: (onData, onGone) => {
      port.on('message', (ev) => onData(ev.data));
      port.on('close', onGone);
    },
    start: () => port.start(),
    close: () => port.close(),
  });
}
