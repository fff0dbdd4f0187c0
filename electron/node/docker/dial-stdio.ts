/**
 * Reaches a Docker daemon that listens only on its unix socket inside a container: every HTTP
 * connection is a `docker system dial-stdio` process exec'd in that container through the outer
 * engine, its stdin/stdout spliced to the inner socket. No published ports, works where container
 * IPs are unreachable from the host (Docker Desktop). Connections are kept alive and reused.
 */
import { Agent, type AgentOptions } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import Docker from 'dockerode';

/** Opens one raw connection to the daemon inside `container`. */
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

  const conn = new Duplex({
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
  stdout.on('data', (d: Buffer) => {
    if (!conn.push(d)) stdout.pause();
  });
  const finish = (): void => {
    if (errText && !conn.destroyed) {
      conn.destroy(new Error(`the Docker daemon in ${container} could not be reached: ${errText.trim()}`));
    } else conn.push(null);
  };
  stdout.on('end', finish);
  raw.on('error', (e) => conn.destroy(e));
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
    options: AgentOptions = { keepAlive: true, maxSockets: 4, maxFreeSockets: 4 },
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
