/**
 * Reaches a Docker daemon that listens only on its unix socket inside a container: every HTTP
 * connection is a `docker system dial-stdio` process exec'd in that container through the outer
 * engine, its stdin/stdout spliced to the inner socket. No published ports, works where container
 * IPs are unreachable from the host (Docker Desktop). Connections are kept alive and reused.
 */
import { Agent, type AgentOptions } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import Docker from 'dockerode';

const PING = 'GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n';

/**
 * Reads the answer to PING from `stdout`: resolves with any bytes after it once it is whole and a
 * 200, rejects when the connection ends first or the daemon says otherwise.
 */
export function readPingAnswer(stdout: NodeJS.ReadableStream, failure: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (): void => {
      stdout.pause(); // until the connection's reader asks for more
      stdout.off('data', onData);
      stdout.off('end', onEnd);
      stdout.off('error', onError);
    };
    const onEnd = (): void => {
      done();
      reject(failure());
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buf.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < headEnd + 4 + length) return;
      done();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      if (status !== '200') reject(new Error(`its daemon answered a ping with ${head.split('\r\n')[0]}`));
      else resolve(buf.subarray(headEnd + 4 + length));
    };
    stdout.on('data', onData);
    stdout.on('end', onEnd);
    stdout.on('error', onError);
  });
}

/**
 * Opens one raw connection to the daemon inside `container`. It is handed over once the daemon
 * has answered a ping through it: a dial-stdio process starts in the node first (a docker CLI,
 * seconds on a busy machine), and the callers' timeouts are for the daemon's answers, not for that.
 * A daemon answers a ping itself, even while its swarm has no leader.
 */
export async function openDialStdio(outer: Docker, container: string): Promise<Duplex> {
  const exec = await outer.getContainer(container).exec({
    Cmd: ['docker', 'system', 'dial-stdio'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const raw = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  outer.modem.demuxStream(raw, stdout, stderr);
  let errText = '';
  stderr.on('data', (d: Buffer) => {
    if (errText.length < 2000) errText += d.toString();
  });
  const unreachable = (): Error => new Error(`the Docker daemon in ${container} could not be reached: ${errText.trim() || 'the connection ended'}`);
  let conn: Duplex | undefined;
  raw.on('error', (e) => (conn ? conn.destroy(e) : stdout.destroy(e)));
  raw.write(PING);
  let rest: Buffer;
  try {
    rest = await readPingAnswer(stdout, unreachable);
  } catch (e) {
    raw.destroy();
    throw e;
  }

  conn = new Duplex({
    write(chunk: Buffer, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    read() {
      stdout.resume();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  if (rest.length) conn.push(rest);
  stdout.on('data', (d: Buffer) => {
    if (!conn.push(d)) stdout.pause();
  });
  const finish = (): void => {
    if (errText && !conn.destroyed) conn.destroy(unreachable());
    else conn.push(null);
  };
  stdout.on('end', finish);
  // What http.Agent and ClientRequest expect of a socket.
  const self = conn as Duplex & Record<string, unknown>;
  self.setKeepAlive = () => conn;
  self.setNoDelay = () => conn;
  self.setTimeout = (ms: number, cb?: () => void) => {
    if (cb) conn.once('timeout', cb);
    return conn;
  };
  self.ref = () => conn;
  self.unref = () => conn;
  return conn;
}

/** An HTTP agent whose every connection is a dial-stdio exec into `container`. */
export class DialStdioAgent extends Agent {
  constructor(
    private readonly outer: Docker,
    private readonly container: string,
    options: AgentOptions = { keepAlive: true, maxSockets: 8, maxFreeSockets: 8 },
  ) {
    super(options);
  }

  override createConnection(_options: unknown, callback?: (err: Error | null, socket: Duplex) => void): undefined {
    openDialStdio(this.outer, this.container).then(
      (socket) => callback?.(null, socket),
      (err: Error) => callback?.(err, undefined as never),
    );
    return undefined;
  }
}

/** A dockerode client for the daemon inside a container. */
export function innerDocker(outer: Docker, container: string): { docker: Docker; agent: DialStdioAgent } {
  const agent = new DialStdioAgent(outer, container);
  const docker = new Docker({ protocol: 'http', host: 'inner-docker', port: 80, agent } as Docker.DockerOptions);
  return { docker, agent };
}
