/**
 * Decides which Docker engine the app talks to, the way the docker CLI does:
 * DOCKER_HOST, then DOCKER_CONTEXT, then the current context in ~/.docker/config.json, then the
 * platform's default socket. Pure over an injected environment so every branch is unit-tested.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerEndpoint } from '../../common/doctor.js';
import { readText } from '../read-text.js';

export interface EndpointEnv {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

export const realEndpointEnv = (): EndpointEnv => ({
  env: process.env,
  platform: process.platform,
  home: homedir(),
  readFile: readText,
  exists: existsSync,
});

export class EndpointError extends Error {}

function defaultHost(e: EndpointEnv): { host: string; reason: string } {
  if (e.platform === 'win32') {
    return { host: 'npipe:////./pipe/docker_engine', reason: 'No DOCKER_HOST or context is set; using the default Windows named pipe.' };
  }
  const system = '/var/run/docker.sock';
  if (e.exists(system)) {
    return { host: `unix://${system}`, reason: 'No DOCKER_HOST or context is set; using the default socket.' };
  }
  // Docker Desktop (macOS, Linux) and rootless Docker put their socket elsewhere.
  const candidates = [
    join(e.home, '.docker', 'run', 'docker.sock'),
    join(e.home, '.docker', 'desktop', 'docker.sock'),
    e.env.XDG_RUNTIME_DIR ? join(e.env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
  ].filter((p): p is string => !!p);
  for (const c of candidates) {
    if (e.exists(c)) return { host: `unix://${c}`, reason: `No DOCKER_HOST or context is set and ${system} does not exist; found ${c}.` };
  }
  return { host: `unix://${system}`, reason: 'No DOCKER_HOST or context is set; using the default socket (it does not exist yet).' };
}

function contextEndpoint(e: EndpointEnv, name: string): { host: string; tls: boolean } {
  const id = createHash('sha256').update(name).digest('hex');
  const metaPath = join(e.home, '.docker', 'contexts', 'meta', id, 'meta.json');
  const text = e.readFile(metaPath);
  if (text === undefined) {
    throw new EndpointError(
      `Docker context "${name}" is selected but ${metaPath} is missing. Run "docker context ls" to check it, or "docker context use default".`,
    );
  }
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(text);
  } catch {
    throw new EndpointError(`Docker context "${name}" has an unreadable ${metaPath}. Recreate it with "docker context create".`);
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new EndpointError(`Docker context "${name}" has no Docker endpoint. Recreate it with "docker context create".`);
  const tlsDir = join(e.home, '.docker', 'contexts', 'tls', id, 'docker');
  return { host, tls: e.exists(join(tlsDir, 'ca.pem')) || e.exists(join(tlsDir, 'cert.pem')) };
}

export function resolveDockerEndpoint(e: EndpointEnv = realEndpointEnv()): DockerEndpoint {
  const dockerHost = e.env.DOCKER_HOST?.trim();
  if (dockerHost) {
    return {
      host: dockerHost,
      source: 'DOCKER_HOST',
      reason: 'The DOCKER_HOST environment variable is set.',
      tls: !!e.env.DOCKER_TLS_VERIFY && e.env.DOCKER_TLS_VERIFY !== '0',
    };
  }
  const envContext = e.env.DOCKER_CONTEXT?.trim();
  if (envContext && envContext !== 'default') {
    const c = contextEndpoint(e, envContext);
    return { ...c, source: 'DOCKER_CONTEXT', contextName: envContext, reason: `The DOCKER_CONTEXT environment variable selects context "${envContext}".` };
  }
  const configDir = e.env.DOCKER_CONFIG || join(e.home, '.docker');
  const configText = e.readFile(join(configDir, 'config.json'));
  if (configText) {
    let current: string | undefined;
    try {
      current = (JSON.parse(configText) as { currentContext?: string }).currentContext;
    } catch {
      current = undefined; // the docker CLI also ignores a broken config here
    }
    if (current && current !== 'default') {
      const c = contextEndpoint(e, current);
      return { ...c, source: 'context', contextName: current, reason: `The current docker context is "${current}" (docker context use).` };
    }
  }
  const d = defaultHost(e);
  return { host: d.host, source: 'default', reason: d.reason, tls: false };
}

/** Whether the engine's socket is on this machine (so its host files and disk are ours to read). */
export function isLocalEndpoint(endpoint: DockerEndpoint): boolean {
  return endpoint.host.startsWith('unix://') || endpoint.host.startsWith('npipe://');
}
