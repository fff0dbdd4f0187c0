/**
 * Builds a dockerode client for a resolved endpoint, with TLS material from DOCKER_CERT_PATH or the
 * context's TLS folder, and a helper that bounds any engine call with a timeout.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { DockerEndpoint } from '../../common/doctor.js';

export function dockerOptionsFor(endpoint: DockerEndpoint, env = process.env): Docker.DockerOptions {
  const url = endpoint.host;
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  if (url.startsWith('npipe://')) return { socketPath: url.slice('npipe://'.length).replace(/\//g, '\\') };
  const parsed = new URL(url);
  if (parsed.protocol === 'ssh:') {
    return {
      protocol: 'ssh',
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 22,
      username: parsed.username || undefined,
    } as Docker.DockerOptions;
  }
  if (parsed.protocol !== 'tcp:' && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Docker endpoint ${url} uses an unsupported scheme; use unix://, tcp://, ssh:// or npipe://.`);
  }
  const options: Docker.DockerOptions = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : endpoint.tls ? 2376 : 2375,
    protocol: endpoint.tls || parsed.protocol === 'https:' ? 'https' : 'http',
  };
  if (endpoint.tls) {
    const dir =
      endpoint.source === 'DOCKER_HOST'
        ? env.DOCKER_CERT_PATH || join(homedir(), '.docker')
        : join(homedir(), '.docker', 'contexts', 'tls');
    const read = (f: string): Buffer | undefined => {
      try {
        return readFileSync(join(dir, f));
      } catch {
        return undefined;
      }
    };
    options.ca = read('ca.pem');
    options.cert = read('cert.pem');
    options.key = read('key.pem');
  }
  return options;
}

export function createDockerClient(endpoint: DockerEndpoint): Docker {
  return new Docker(dockerOptionsFor(endpoint));
}

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${(ms / 1000).toFixed(1)} s`);
    this.name = 'TimeoutError';
  }
}

/** Races a promise against a timer (cleared as soon as the work settles). */
export function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
