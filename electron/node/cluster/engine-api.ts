/**
 * A minimal Engine API client over any HTTP agent (a dial-stdio agent for lab nodes, later an SSH
 * one for real clusters): GETs with a hard timeout that aborts the request, and the event stream.
 * Counts its calls, for the watcher's cost figures.
 */
import { request, type Agent, type IncomingMessage } from 'node:http';

export class EngineApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EngineApiError';
  }
}

export class EngineTimeoutError extends Error {
  constructor(what: string, ms: number, message = `${what} did not answer within ${ms} ms`) {
    super(message);
    this.name = 'EngineTimeoutError';
  }
}

export interface EngineApi {
  readonly name: string;
  /**
   * GETs `path`. `timeoutMs` counts from when the request has a connection: opening one (through
   * dial-stdio, an exec in the node) is limited by the client's `connectTimeoutMs` instead, so a
   * slow start of a connection is not mistaken for a daemon that does not answer, and the
   * connection, once open, is kept for the next call.
   */
  get<T>(path: string, timeoutMs: number): Promise<T>;
  /**
   * GET /_ping, which a daemon answers locally even while its swarm has no leader; the kept-alive
   * connection it leaves behind makes the next call fast (no new dial-stdio exec to set up).
   */
  warm(timeoutMs: number): Promise<void>;
  /** Streams /events (query: e.g. filters=…); returns a function that stops it. */
  events(query: string, onEvent: (event: Record<string, unknown>) => void, onEnd: (error?: Error) => void): () => void;
  readonly calls: number;
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (body += d));
    res.on('end', () => resolve(body));
    res.on('error', reject);
  });
}

export interface EngineApiOptions {
  /** How long a call may wait for a connection (opened, or free in the agent's pool). */
  connectTimeoutMs?: number;
}

export function agentEngineApi(name: string, agent: Agent, options: EngineApiOptions = {}): EngineApi {
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  let calls = 0;
  return {
    name,
    get calls() {
      return calls;
    },
    async warm(timeoutMs: number): Promise<void> {
      await this.get<unknown>('/_ping', timeoutMs).catch((e: Error) => {
        if (!(e instanceof SyntaxError)) throw e; // "OK" is not JSON: the answer came
      });
    },
    get<T>(path: string, timeoutMs: number): Promise<T> {
      calls++;
      return new Promise<T>((resolve, reject) => {
        const controller = new AbortController();
        const expire = (error: Error) => (): void => {
          controller.abort();
          reject(error);
        };
        let timer = setTimeout(expire(new EngineTimeoutError(name, connectTimeoutMs, `${name}: no connection to its daemon opened within ${connectTimeoutMs} ms (for ${path})`)), connectTimeoutMs);
        const req = request({ agent, host: 'docker', path, method: 'GET', signal: controller.signal }, (res) => {
          readBody(res).then(
            (body) => {
              clearTimeout(timer);
              if ((res.statusCode ?? 500) >= 400) {
                let message = body;
                try {
                  message = (JSON.parse(body) as { message?: string }).message ?? body;
                } catch {
                  /* plain text */
                }
                reject(new EngineApiError(res.statusCode ?? 500, message.trim()));
                return;
              }
              try {
                resolve(JSON.parse(body) as T);
              } catch (e) {
                reject(e as Error);
              }
            },
            (e: Error) => {
              clearTimeout(timer);
              reject(e);
            },
          );
        });
        req.once('socket', () => {
          clearTimeout(timer);
          timer = setTimeout(expire(new EngineTimeoutError(`${name} (${path})`, timeoutMs)), timeoutMs);
        });
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        req.end();
      });
    },
    events(query, onEvent, onEnd) {
      calls++;
      const controller = new AbortController();
      let ended = false;
      const end = (e?: Error): void => {
        if (ended) return;
        ended = true;
        onEnd(e);
      };
      const req = request({ agent, host: 'docker', path: `/events?${query}`, method: 'GET', signal: controller.signal }, (res) => {
        if ((res.statusCode ?? 500) >= 400) {
          void readBody(res).then((b) => end(new EngineApiError(res.statusCode ?? 500, b.trim())));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            try {
              onEvent(JSON.parse(line) as Record<string, unknown>);
            } catch {
              /* a partial or foreign line */
            }
          }
        });
        res.on('end', () => end());
        res.on('error', (e) => end(e));
      });
      req.on('error', (e) => end(e));
      req.end();
      return () => {
        ended = true;
        controller.abort();
      };
    },
  };
}
