/**
 * The doctor: checks the Docker engine the app will drive and explains every shortfall in terms of
 * what the user can and cannot do with a practice swarm, and what to do about it.
 */
import { statfsSync } from 'node:fs';
import { release } from 'node:os';
import type Docker from 'dockerode';
import type { DockerEndpoint, DoctorCheck, DoctorReport, PrivilegeMode } from '../../common/doctor.js';
import { formatBytes } from '../../common/doctor.js';
import { createDockerClient, withTimeout } from '../docker/client.js';
import { EndpointError, isLocalEndpoint, resolveDockerEndpoint } from '../docker/endpoint.js';
import { detectPrivileges, hostCapabilities } from '../docker/privilege-probe.js';
import { detectIpvs, detectNfs, realKernelFs, type KernelFs } from './kernel.js';

const ENGINE_TIMEOUT_MS = 5_000;
const GiB = 1024 ** 3;

export interface DoctorDeps {
  resolveEndpoint(): DockerEndpoint;
  connect(endpoint: DockerEndpoint): Docker;
  kernelFs: KernelFs;
  hostKernelRelease: string;
  statfs(path: string): { freeBytes: number; totalBytes: number } | undefined;
}

export const realDoctorDeps = (): DoctorDeps => ({
  resolveEndpoint: () => resolveDockerEndpoint(),
  connect: createDockerClient,
  kernelFs: realKernelFs,
  hostKernelRelease: release(),
  statfs: (path) => {
    try {
      const s = statfsSync(path);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      return undefined;
    }
  },
});

export interface DoctorRunOptions {
  signal?: AbortSignal;
  onCheck?: (check: DoctorCheck) => void;
  /** Engine id → privilege mode already measured; the probe is skipped for known engines. */
  privilegeCache?: Map<string, PrivilegeMode>;
}

function explainEngineError(error: unknown, endpoint: DockerEndpoint): string {
  const e = error as NodeJS.ErrnoException & { statusCode?: number };
  const where = endpoint.host;
  if (e.code === 'ENOENT') {
    return `No Docker engine listens at ${where}. Start it (Linux: "sudo systemctl start docker" or "sudo dockerd"; macOS/Windows: open Docker Desktop), or point DOCKER_HOST at a running engine.`;
  }
  if (e.code === 'EACCES') {
    return `Permission denied on ${where}. Add your user to the docker group ("sudo usermod -aG docker $USER", then log in again) or run Swarm Lab with access to the socket.`;
  }
  if (e.code === 'ECONNREFUSED') {
    return `The engine at ${where} refused the connection. Check that Docker is running and that DOCKER_HOST or the current context is right ("docker context ls").`;
  }
  if (e.name === 'TimeoutError') {
    return `The engine at ${where} did not answer within ${ENGINE_TIMEOUT_MS / 1000} s. It may be starting or overloaded; try again, or restart Docker.`;
  }
  return `The engine at ${where} failed: ${e.message}. Check "docker info" in a terminal.`;
}

export async function runDoctor(options: DoctorRunOptions = {}, deps: DoctorDeps = realDoctorDeps()): Promise<DoctorReport> {
  const started = Date.now();
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck): void => {
    checks.push(c);
    options.onCheck?.(c);
  };
  const abortIfNeeded = (): void => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
  };

  let endpoint: DockerEndpoint;
  try {
    endpoint = deps.resolveEndpoint();
    add({ id: 'endpoint', title: 'Docker endpoint', status: 'ok', summary: `${endpoint.host} (${endpoint.reason})` });
  } catch (e) {
    const message = e instanceof EndpointError ? e.message : String(e);
    endpoint = { host: 'unknown', source: 'default', reason: message, tls: false };
    add({ id: 'endpoint', title: 'Docker endpoint', status: 'fail', summary: 'Could not decide which engine to use.', advice: message });
  }

  const report: DoctorReport = {
    checkedAt: started,
    durationMs: 0,
    endpoint,
    engine: null,
    privileges: 'unknown',
    kernel: { ipvs: 'unknown', nfs: 'unknown' },
    disk: null,
    checks,
  };
  const finish = (): DoctorReport => ({ ...report, durationMs: Date.now() - started });
  if (endpoint.host === 'unknown') return finish();

  let docker: Docker;
  let version: Docker.DockerVersion;
  let info: Record<string, unknown>;
  try {
    docker = deps.connect(endpoint);
    await withTimeout('The Docker engine', ENGINE_TIMEOUT_MS, docker.ping());
    [version, info] = await withTimeout(
      'The Docker engine',
      ENGINE_TIMEOUT_MS,
      Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]),
    );
  } catch (e) {
    add({ id: 'engine', title: 'Docker engine', status: 'fail', summary: `Not reachable at ${endpoint.host}.`, advice: explainEngineError(e, endpoint) });
    return finish();
  }
  abortIfNeeded();

  const local = isLocalEndpoint(endpoint) && String(info.KernelVersion ?? '') === deps.hostKernelRelease;
  report.engine = {
    version: version.Version,
    apiVersion: version.ApiVersion,
    os: version.Os,
    arch: version.Arch,
    kernel: String(info.KernelVersion ?? version.KernelVersion ?? ''),
    operatingSystem: String(info.OperatingSystem ?? ''),
    cgroupVersion: String(info.CgroupVersion ?? '1'),
    storageDriver: String(info.Driver ?? ''),
    rootDir: String(info.DockerRootDir ?? ''),
    local,
  };
  const engine = report.engine;
  add({
    id: 'engine',
    title: 'Docker engine',
    status: 'ok',
    summary: `Docker ${engine.version} (API ${engine.apiVersion}) on ${engine.operatingSystem || engine.os}, ${engine.arch}, kernel ${engine.kernel}.`,
  });

  if (engine.os !== 'linux') {
    add({
      id: 'os',
      title: 'Linux containers',
      status: 'fail',
      summary: `The engine runs ${engine.os} containers.`,
      advice: 'Practice swarms need Linux containers. In Docker Desktop choose "Switch to Linux containers".',
    });
    return finish();
  }

  add({
    id: 'cgroup',
    title: 'Control groups',
    status: 'ok',
    summary: `cgroup v${engine.cgroupVersion} with the ${engine.storageDriver} storage driver.`,
  });

  abortIfNeeded();
  const cacheKey = String(info.ID ?? endpoint.host);
  let mode = options.privilegeCache?.get(cacheKey);
  let probeError: string | undefined;
  if (!mode) {
    const caps = local ? hostCapabilities(deps.kernelFs) : undefined;
    const probe = await detectPrivileges(docker, String(info.Architecture ?? engine.arch), caps);
    mode = probe.mode;
    probeError = probe.error;
    if (mode !== 'unknown') options.privilegeCache?.set(cacheKey, mode);
  }
  report.privileges = mode;
  if (mode === 'privileged') {
    add({ id: 'privileges', title: 'Privileged containers', status: 'ok', summary: 'The engine runs --privileged containers; lab nodes use them.' });
  } else if (mode === 'fallback') {
    add({
      id: 'privileges',
      title: 'Privileged containers',
      status: 'warn',
      summary: 'The engine refuses --privileged; lab nodes run with explicit capabilities instead.',
      advice:
        'Practice swarms still work: each node gets every capability the host allows, unconfined seccomp and AppArmor, and a cgroup namespace of its own. Features that need a capability the host withholds (for example raising resource limits inside a node) may fail.',
    });
  } else {
    add({
      id: 'privileges',
      title: 'Privileged containers',
      status: 'fail',
      summary: 'The engine can run neither --privileged containers nor the capability fallback.',
      advice: `Practice swarms cannot start on this engine (${probeError ?? 'no detail'}). Connect Swarm Lab to a real cluster instead, or use an engine that allows privileged containers.`,
    });
  }

  abortIfNeeded();
  if (local) {
    report.kernel = { ipvs: detectIpvs(deps.kernelFs, deps.hostKernelRelease), nfs: detectNfs(deps.kernelFs, deps.hostKernelRelease) };
  }
  const { ipvs, nfs } = report.kernel;
  add(
    ipvs === 'yes'
      ? { id: 'ipvs', title: 'IPVS (routing mesh)', status: 'ok', summary: 'The kernel has IPVS: the ingress routing mesh and VIP load balancing work.' }
      : ipvs === 'no'
        ? {
            id: 'ipvs',
            title: 'IPVS (routing mesh)',
            status: 'warn',
            summary: 'The kernel has no IPVS.',
            advice:
              'Swarm\'s ingress routing mesh and virtual-IP load balancing will not work in practice swarms. Publish ports with "mode: host" and give services "endpoint_mode: dnsrr"; both work without IPVS.',
          }
        : {
            id: 'ipvs',
            title: 'IPVS (routing mesh)',
            status: 'skip',
            summary: 'Not checked: the engine runs on another kernel (a VM or a remote host).',
            advice: 'If the routing mesh does not answer in a lab, publish ports with "mode: host" instead.',
          },
  );
  add(
    nfs === 'yes'
      ? { id: 'nfs', title: 'NFS client', status: 'ok', summary: 'The kernel can mount NFS: shared volumes work.' }
      : nfs === 'no'
        ? {
            id: 'nfs',
            title: 'NFS client',
            status: 'warn',
            summary: 'The kernel cannot mount NFS.',
            advice: 'NFS-backed volumes cannot be mounted in practice swarms on this kernel. Local volumes work; for NFS use a host whose kernel has the NFS client (most desktop Linux distributions do).',
          }
        : {
            id: 'nfs',
            title: 'NFS client',
            status: 'skip',
            summary: 'Not checked: the engine runs on another kernel (a VM or a remote host).',
            advice: 'If NFS volumes fail to mount in a lab, that engine\'s kernel lacks the NFS client.',
          },
  );

  const disk = local && engine.rootDir ? deps.statfs(engine.rootDir) : undefined;
  if (disk) {
    report.disk = { path: engine.rootDir, ...disk };
    const free = formatBytes(disk.freeBytes);
    if (disk.freeBytes < 2 * GiB) {
      add({
        id: 'disk',
        title: 'Free disk',
        status: 'fail',
        summary: `${free} free in ${engine.rootDir}.`,
        advice: 'A lab needs about 1 GiB for its images plus room per node. Free space with "docker system prune" or remove old labs.',
      });
    } else if (disk.freeBytes < 10 * GiB) {
      add({
        id: 'disk',
        title: 'Free disk',
        status: 'warn',
        summary: `${free} free in ${engine.rootDir}.`,
        advice: 'Enough for a small lab; large labs and image builds may run out. "docker system prune" frees space.',
      });
    } else {
      add({ id: 'disk', title: 'Free disk', status: 'ok', summary: `${free} free of ${formatBytes(disk.totalBytes)} in ${engine.rootDir}.` });
    }
  } else {
    add({
      id: 'disk',
      title: 'Free disk',
      status: 'skip',
      summary: 'Not checked: the engine stores images on another machine or VM.',
      advice: 'Check "docker system df" on that engine if image builds fail for space.',
    });
  }
  return finish();
}
