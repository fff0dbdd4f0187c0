/**
 * The one thing the RPC core knows about the outside world: a pipe of string messages.
 *
 * Implementations: an in-memory pair (tests), a WebSocket (web mode, both ends), a MessagePort
 * (Electron). `onClose` fires once, whichever side closed.
 */
export interface Disposable {
  dispose(): void;
}

export interface Transport {
  send(message: string): void;
  onMessage(listener: (message: string) => void): Disposable;
  onClose(listener: (reason: string) => void): Disposable;
  close(reason?: string): void;
  readonly closed: boolean;
}

/** Shared listener bookkeeping for transports. */
export class TransportBase {
  private readonly messageListeners = new Set<(m: string) => void>();
  private readonly closeListeners = new Set<(r: string) => void>();
  private isClosed = false;

  get closed(): boolean {
    return this.isClosed;
  }

  onMessage(listener: (message: string) => void): Disposable {
    this.messageListeners.add(listener);
    return { dispose: () => this.messageListeners.delete(listener) };
  }

  onClose(listener: (reason: string) => void): Disposable {
    if (this.isClosed) {
      queueMicrotask(() => listener('closed'));
      return { dispose: () => {} };
    }
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  protected deliver(message: string): void {
    if (this.isClosed) return;
    for (const l of [...this.messageListeners]) l(message);
  }

  protected markClosed(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.messageListeners.clear();
    for (const l of listeners) l(reason);
  }
}

class MemoryTransport extends TransportBase implements Transport {
  peer: MemoryTransport | undefined;

  send(message: string): void {
    if (this.closed) throw new Error('transport is closed');
    const peer = this.peer;
    // Asynchronous like every real transport, so tests see real interleavings.
    queueMicrotask(() => peer?.deliver(message));
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.markClosed(reason);
    const peer = this.peer;
    queueMicrotask(() => peer?.markClosed(reason));
  }

  /** Test hook: the peer disappears without a goodbye (a crashed renderer, a dropped socket). */
  vanish(): void {
    this.markClosed('vanished');
    const peer = this.peer;
    queueMicrotask(() => peer?.markClosed('peer vanished'));
  }
}

export function createMemoryPipe(): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** The subset of the WebSocket API shared by the browser's WebSocket and the `ws` package. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (ev: unknown) => void): void;
}

const WS_OPEN = 1;

/** A transport over an open WebSocket; works with the browser's and with `ws`. */
export function webSocketTransport(ws: WebSocketLike): Transport {
  class WsTransport extends TransportBase implements Transport {
    constructor() {
      super();
      ws.addEventListener('message', (ev) => {
        if (typeof ev.data === 'string') this.deliver(ev.data);
        else if (ev.data instanceof ArrayBuffer) this.deliver(new TextDecoder().decode(ev.data));
        else if (ev.data && typeof (ev.data as { toString(): string }).toString === 'function') {
          this.deliver(String(ev.data));
        }
      });
      ws.addEventListener('close', (ev) => this.markClosed(ev.reason || `socket closed (${ev.code})`));
      ws.addEventListener('error', () => this.markClosed('socket error'));
      if (ws.readyState > WS_OPEN) this.markClosed('socket already closed');
    }
    send(message: string): void {
      if (this.closed || ws.readyState !== WS_OPEN) throw new Error('transport is closed');
      ws.send(message);
    }
    close(reason = 'closed'): void {
      if (this.closed) return;
      try {
        ws.close(1000, reason.slice(0, 120));
      } finally {
        this.markClosed(reason);
      }
    }
  }
  return new WsTransport();
}

/** What a message port offers, whichever API it has (the DOM's MessagePort, Electron's MessagePortMain). */
export interface PortAdapter {
  post(message: string): void;
  /** Calls `onData` for every message and `onGone` when the port closes (where the API tells). */
  listen(onData: (data: unknown) => void, onGone: () => void): void;
  start(): void;
  close(): void;
}

/**
 * A transport over a message port. Ports have no close event in every engine, so each side says
 * goodbye with a `{"t":"bye"}` control string before closing.
 */
export function portTransport(port: PortAdapter): Transport {
  class PortTransport extends TransportBase implements Transport {
    constructor() {
      super();
      port.listen(
        (data) => {
          if (typeof data !== 'string') return;
          if (data === PORT_BYE) this.markClosed('peer closed');
          else this.deliver(data);
        },
        () => this.markClosed('peer went away'),
      );
      port.start();
    }
    send(message: string): void {
      if (this.closed) throw new Error('transport is closed');
      port.post(message);
    }
    close(reason = 'closed'): void {
      if (this.closed) return;
      try {
        port.post(PORT_BYE);
        port.close();
      } finally {
        this.markClosed(reason);
      }
    }
  }
  return new PortTransport();
}

/** The subset of the DOM's MessagePort used by the renderer. */
export interface MessagePortLike {
  postMessage(message: string): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

/** The renderer's end of the Electron bridge (Chromium and Node fire 'close' when the peer goes). */
export function messagePortTransport(port: MessagePortLike): Transport {
  return portTransport({
    post: (m) => port.postMessage(m),
    listen: (onData, onGone) => {
      port.addEventListener('message', (ev) => onData(ev.data));
      port.addEventListener('close', onGone);
    },
    start: () => port.start(),
    close: () => port.close(),
  });
}

export const PORT_BYE = '{"t":"bye"}';
