import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EndpointError, resolveDockerEndpoint, type EndpointEnv } from './endpoint.js';

const HOME = '/home/ada';
const metaPath = (name: string) =>
  `${HOME}/.docker/contexts/meta/${createHash('sha256').update(name).digest('hex')}/meta.json`;
const meta = (host: string) => JSON.stringify({ Name: 'x', Endpoints: { docker: { Host: host } } });

function envOf(opts: { env?: Record<string, string>; files?: Record<string, string>; platform?: NodeJS.Platform }): EndpointEnv {
  const files = opts.files ?? {};
  return {
    env: opts.env ?? {},
    platform: opts.platform ?? 'linux',
    home: HOME,
    readFile: (p) => files[p],
    exists: (p) => p in files,
  };
}

describe('resolveDockerEndpoint', () => {
  it.each([
    ['DOCKER_HOST wins over everything', { env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CONTEXT: 'remote' } }, { host: 'tcp://10.0.0.5:2376', source: 'DOCKER_HOST', tls: false }],
    ['DOCKER_TLS_VERIFY turns TLS on', { env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' } }, { source: 'DOCKER_HOST', tls: true }],
    [
      'DOCKER_CONTEXT selects a context',
      { env: { DOCKER_CONTEXT: 'remote' }, files: { [metaPath('remote')]: meta('ssh://ops@swarm1') } },
      { host: 'ssh://ops@swarm1', source: 'DOCKER_CONTEXT', contextName: 'remote' },
    ],
    [
      'the current context of config.json',
      { files: { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'desktop-linux' }), [metaPath('desktop-linux')]: meta(`unix://${HOME}/.docker/desktop/docker.sock`) } },
      { host: `unix://${HOME}/.docker/desktop/docker.sock`, source: 'context', contextName: 'desktop-linux' },
    ],
    [
      'DOCKER_CONFIG moves config.json',
      { env: { DOCKER_CONFIG: '/etc/dockercfg' }, files: { '/etc/dockercfg/config.json': JSON.stringify({ currentContext: 'c1' }), [metaPath('c1')]: meta('tcp://c1:2375') } },
      { host: 'tcp://c1:2375', source: 'context' },
    ],
    ['context "default" means the default socket', { files: { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'default' }), '/var/run/docker.sock': '' } }, { host: 'unix:///var/run/docker.sock', source: 'default' }],
    ['a broken config.json is ignored like the CLI does', { files: { [`${HOME}/.docker/config.json`]: '{oops', '/var/run/docker.sock': '' } }, { host: 'unix:///var/run/docker.sock', source: 'default' }],
    ['Docker Desktop socket when the system one is absent', { files: { [`${HOME}/.docker/run/docker.sock`]: '' } }, { host: `unix://${HOME}/.docker/run/docker.sock`, source: 'default' }],
    ['rootless socket from XDG_RUNTIME_DIR', { env: { XDG_RUNTIME_DIR: '/run/user/1000' }, files: { '/run/user/1000/docker.sock': '' } }, { host: 'unix:///run/user/1000/docker.sock' }],
    ['the system socket even when missing', {}, { host: 'unix:///var/run/docker.sock', source: 'default' }],
    ['the Windows named pipe', { platform: 'win32' as const }, { host: 'npipe:////./pipe/docker_engine', source: 'default' }],
  ])('%s', (_name, setup, expected) => {
    const e = resolveDockerEndpoint(envOf(setup));
    expect(e).toMatchObject(expected);
    expect(e.reason.length).toBeGreaterThan(10);
  });

  it.each([
    ['a context whose metadata is missing', { env: { DOCKER_CONTEXT: 'gone' } }, /context "gone".*missing.*docker context/],
    ['a context with unreadable metadata', { env: { DOCKER_CONTEXT: 'bad' }, files: { [metaPath('bad')]: '{' } }, /unreadable/],
    ['a context without a docker endpoint', { env: { DOCKER_CONTEXT: 'k8s' }, files: { [metaPath('k8s')]: '{"Endpoints":{}}' } }, /no Docker endpoint/],
  ])('explains %s', (_name, setup, message) => {
    expect(() => resolveDockerEndpoint(envOf(setup))).toThrow(EndpointError);
    expect(() => resolveDockerEndpoint(envOf(setup))).toThrow(message);
  });
});
