/**
 * The lab engine: practice swarms whose nodes are docker-in-docker containers on one private
 * bridge network. Every object it creates carries io.swarmlab.lab=<lab>; a lab's state is derived
 * from those objects alone, so the app adopts whatever it finds after a crash and `destroy` removes
 * everything with the label. Inner daemons listen on their unix socket only and are reached through
 * `docker system dial-stdio` over exec.
 */
import { X509Certificate } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { hostAddress, overlaps, parseCidr, pickSubnet } from '../../common/cidr.js';
import {
  containerName,
  LABEL,
  labSpec,
  type LabNode,
  type LabProgress,
  type LabSpec,
  type LabSpecInput,
  type LabSummary,
  type FaultAction,
  type NetemOptions,
  networkName,
  nodeNames,
  type Role,
  secondNetworkName,
  volumeName,
} from '../../common/lab.js';
import { describeZodError } from '../../common/rpc/protocol.js';
import { withTimeout } from '../docker/client.js';
import { innerDocker, type DialStdioAgent } from '../docker/dial-stdio.js';
import { detectPrivileges, hostCapabilities, type PrivilegeProbeResult } from '../docker/privilege-probe.js';
import { privilegeHostConfig, type PrivilegeMode } from '../docker/privileges.js';
import type { ImageBuilder } from '../images/images.js';
import { appVersion } from '../version.js';
import { realKernelFs } from '../doctor/kernel.js';
import { LabError } from './errors.js';
import { dockerSubnets, hostRoutes } from './host-networks.js';
import { hostImages, lessonRef, loadIntoNode, type HostImage, type LoadResult } from './node-images.js';
import { plural } from '../../common/plural.js';

const READY_MARKER = 'ready';
/**
 * How long a node's daemon may take to answer: usually 2–15 s. A manager restarted after its swarm lost
 * quorum has taken 87 s here, and has also hung for good (then only a restart of the node helps).
 */
const DAEMON_TIMEOUT_MS = 90_000;
/** How long a wait for a daemon stays quiet before it says what it waits for. */
const DAEMON_QUIET_MS = 15_000;
const READY_TIMEOUT_MS = 90_000;
/** How long a wait for Ready stays quiet before it reports the nodes' states. */
const READY_QUIET_MS = 5_000;
const CALL_TIMEOUT_MS = 15_000;
/** How long `stop` waits for nodes still changing role (a demoted node takes ~8 s to act as a worker). */
const ROLE_SETTLE_MS = 30_000;
/** A node's swarm certificate; its OU is the role its own daemon acts in on its next start. */
const NODE_CERT = '/var/lib/docker/swarm/certificates/swarm-node.crt';

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (p: LabProgress) => void;
}

export interface LabEngineOptions {
  docker: Docker;
  images: ImageBuilder;
  /** Whether the engine runs on this machine's kernel (host routes and capabilities are readable). */
  localEngine?: boolean;
}

interface Found {
  containers: Docker.ContainerInfo[];
  networks: Docker.NetworkInspectInfo[];
  volumes: { Name: string; Labels: Record<string, string> | null }[];
}

/** Fixed addresses: managers .11–.17, workers .21–.40 of the lab subnet. */
export function nodeHostIndex(node: string): number {
  const m = node.match(/^(manager|worker)(\d+)$/);
  if (!m) throw new LabError('NODE_NOT_FOUND', `"${node}" is not a node name (manager1…, worker1…).`);
  const n = Number(m[2]);
  return m[1] === 'manager' ? 10 + n : 20 + n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function statusOf(c: Docker.ContainerInfo): LabNode['status'] {
  if (c.State === 'running') return 'running';
  if (c.State === 'paused') return 'paused';
  return 'stopped';
}

export class LabEngine {
  readonly docker: Docker;
  readonly images: ImageBuilder;
  private readonly local: boolean;
  private privileges?: Promise<PrivilegeProbeResult>;
  private readonly inner = new Map<string, { docker: Docker; agent: DialStdioAgent }>();
  private readonly busy = new Set<string>();

  constructor(options: LabEngineOptions) {
    this.docker = options.docker;
    this.images = options.images;
    this.local = options.localEngine ?? true;
  }

  dispose(): void {
    for (const { agent } of this.inner.values()) agent.destroy();
    this.inner.clear();
  }

  /** The Docker API of the daemon inside a node container. */
  innerClient(container: string): Docker {
    return this.innerEntry(container).docker;
  }

  /** The HTTP agent whose connections reach the daemon inside a node container. */
  innerAgent(container: string): DialStdioAgent {
    return this.innerEntry(container).agent;
  }

  private innerEntry(container: string): { docker: Docker; agent: DialStdioAgent } {
    let entry = this.inner.get(container);
    if (!entry) {
      entry = innerDocker(this.docker, container);
      this.inner.set(container, entry);
    }
    return entry;
  }

  private dropInner(container: string): void {
    this.inner.get(container)?.agent.destroy();
    this.inner.delete(container);
  }

  // ── discovery ────────────────────────────────────────────────────────────

  private async find(lab?: string): Promise<Found> {
    const label = lab ? `${LABEL.lab}=${lab}` : LABEL.lab;
    const [containers, networks, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: [label] } }),
      this.docker.listNetworks({ filters: { label: [label] } }),
      this.docker.listVolumes({ filters: { label: [label] } }),
    ]);
    return { containers, networks, volumes: (volumes.Volumes ?? []) as Found['volumes'] };
  }

  private summarize(name: string, found: Found): LabSummary {
    const main = found.networks.find((n) => n.Labels?.[LABEL.network] === 'main');
    let spec: LabSpec | null = null;
    const rawSpec = main?.Labels?.[LABEL.spec];
    if (rawSpec) {
      try {
        const parsed = labSpec.safeParse(JSON.parse(rawSpec));
        spec = parsed.success ? parsed.data : null;
      } catch {
        spec = null;
      }
    }
    const net = networkName(name);
    const net2 = secondNetworkName(name);
    const nodes: LabNode[] = found.containers
      .filter((c) => c.Labels[LABEL.node])
      .map((c) => {
        const nets = c.NetworkSettings?.Networks ?? {};
        const status = statusOf(c);
        return {
          name: c.Labels[LABEL.node]!,
          role: (c.Labels[LABEL.role] === 'manager' ? 'manager' : 'worker') as Role,
          container: (c.Names[0] ?? '').replace(/^\//, ''),
          containerId: c.Id,
          status,
          address: nets[net]?.IPAddress || null,
          secondAddress: nets[net2]?.IPAddress || null,
          disconnected: status !== 'stopped' && !nets[net],
        };
      })
      .sort((a, b) => nodeHostIndex(a.name) - nodeHostIndex(b.name));
    const ready = found.volumes.some((v) => v.Labels?.[LABEL.network] === READY_MARKER);
    const running = nodes.filter((n) => n.status === 'running').length;
    const state: LabSummary['state'] = !ready || !main
      ? 'incomplete'
      : running === nodes.length && nodes.length > 0
        ? 'running'
        : nodes.every((n) => n.status === 'stopped')
          ? 'stopped'
          : 'partial';
    const privileges = found.containers[0]?.Labels['io.swarmlab.privileges'];
    return {
      name,
      state,
      spec,
      subnet: main?.IPAM?.Config?.[0]?.Subnet ?? null,
      network: main?.Name ?? net,
      nodes,
      privileges: privileges === 'privileged' || privileges === 'fallback' ? privileges : null,
      image: found.containers[0]?.Image ?? spec?.image ?? null,
      createdAt: main?.Created ?? null,
    };
  }

  async list(): Promise<LabSummary[]> {
    const found = await this.find();
    const names = new Set<string>();
    for (const o of [...found.containers.map((c) => c.Labels), ...found.networks.map((n) => n.Labels), ...found.volumes.map((v) => v.Labels)]) {
      const lab = o?.[LABEL.lab];
      if (lab) names.add(lab);
    }
    return [...names].sort().map((name) =>
      this.summarize(name, {
        containers: found.containers.filter((c) => c.Labels[LABEL.lab] === name),
        networks: found.networks.filter((n) => n.Labels?.[LABEL.lab] === name),
        volumes: found.volumes.filter((v) => v.Labels?.[LABEL.lab] === name),
      }),
    );
  }

  async inspect(name: string): Promise<LabSummary> {
    const found = await this.find(name);
    if (!found.containers.length && !found.networks.length && !found.volumes.length) {
      throw new LabError('LAB_NOT_FOUND', `There is no lab named "${name}". "swarm-lab ls" lists the labs.`);
    }
    return this.summarize(name, found);
  }

  private async node(lab: string, node: string): Promise<{ summary: LabSummary; node: LabNode }> {
    const summary = await this.inspect(lab);
    const n = summary.nodes.find((x) => x.name === node);
    if (!n) {
      throw new LabError('NODE_NOT_FOUND', `Lab "${lab}" has no node "${node}"; its nodes are ${summary.nodes.map((x) => x.name).join(', ') || 'none'}.`);
    }
    return { summary, node: n };
  }

  // ── create ───────────────────────────────────────────────────────────────

  private detectPrivileges(): Promise<PrivilegeProbeResult> {
    this.privileges ??= (async () => {
      const v = await this.docker.version();
      const caps = this.local ? hostCapabilities(realKernelFs) : undefined;
      const r = await detectPrivileges(this.docker, v.Arch, caps);
      if (r.mode === 'unknown') this.privileges = undefined; // try again next time
      return r;
    })();
    return this.privileges;
  }

  private async resolveImage(spec: LabSpec, op: OperationOptions, progress: (step: string, message: string, node?: string) => void): Promise<string> {
    if (spec.image) {
      try {
        await this.docker.getImage(spec.image).inspect();
      } catch {
        throw new LabError('IMAGE_NOT_FOUND', `The image "${spec.image}" does not exist on the Docker engine. Build or pull it first ("docker images" lists what is there), or leave --image out to use Swarm Lab's node image.`);
      }
      return spec.image;
    }
    const [node] = await this.images.ensure(['node'], {
      signal: op.signal,
      onProgress: (p) => progress('images', `${p.image} image: ${p.message}`),
    });
    return node!.ref;
  }

  private async chooseSubnet(spec: LabSpec): Promise<string> {
    const used = [...(await dockerSubnets(this.docker)).map((d) => ({ ...d, what: `Docker network "${d.network}"` })), ...(this.local ? hostRoutes() : []).map((r) => ({ subnet: r, what: `the host route ${r}` }))];
    if (spec.subnet) {
      const want = parseCidr(spec.subnet)!;
      const hit = used.find((u) => {
        const c = parseCidr(u.subnet);
        return c && overlaps(c, want);
      });
      if (hit) throw new LabError('SUBNET_COLLISION', `The subnet ${spec.subnet} overlaps ${hit.what} (${hit.subnet}). Choose another subnet, or leave it out and Swarm Lab picks a free one.`);
      if (want.bits > 26) throw new LabError('INVALID_SPEC', `The subnet ${spec.subnet} is too small for a lab; use a /26 or larger.`);
      return spec.subnet;
    }
    const picked = pickSubnet(used.map((u) => u.subnet));
    if (!picked) throw new LabError('NO_FREE_SUBNET', 'Every candidate lab subnet (172.28.0.0/14, 192.168.200.0/21) is in use. Remove unused Docker networks ("docker network prune") or pass --subnet.');
    return picked;
  }

  /** Parses and checks a spec without touching the engine. */
  static parseSpec(input: LabSpecInput): LabSpec {
    const parsed = labSpec.safeParse(input);
    if (!parsed.success) throw new LabError('INVALID_SPEC', `Invalid lab: ${describeZodError(parsed.error)}`);
    const spec = parsed.data;
    spec.images = [...new Set(spec.images.map(lessonRef))];
    const names = new Set(nodeNames(spec).map((n) => n.name));
    for (const n of Object.keys(spec.nodes)) {
      if (!names.has(n)) throw new LabError('INVALID_SPEC', `Options are given for node "${n}", which this lab does not have (${[...names].join(', ')}).`);
    }
    return spec;
  }

  async create(input: LabSpecInput, op: OperationOptions = {}): Promise<LabSummary> {
    const started = Date.now();
    const progress = (step: string, message: string, node?: string): void =>
      op.onProgress?.({ step, message, elapsedMs: Date.now() - started, ...(node ? { node } : {}) });
    const spec = LabEngine.parseSpec(input);
    const name = spec.name;
    if (this.busy.has(name)) throw new LabError('LAB_EXISTS', `Lab "${name}" is being changed by another operation; wait for it to finish.`);
    const existing = await this.find(name);
    if (existing.containers.length || existing.networks.length || existing.volumes.length) {
      throw new LabError('LAB_EXISTS', `A lab named "${name}" already exists. Open it, remove it with "swarm-lab down ${name}", or choose another name.`);
    }
    const nodes = nodeNames(spec);
    const clash = await this.docker.listContainers({ all: true, filters: { name: nodes.map((n) => `^/${containerName(name, n.name)}$`) } });
    if (clash.length) {
      throw new LabError('LAB_EXISTS', `A container named "${(clash[0]!.Names[0] ?? '').replace(/^\//, '')}" already exists and is not part of a lab. Remove or rename it, or choose another lab name.`);
    }
    // Everything that can be refused is checked before anything is created.
    const privilegesProbe = this.detectPrivileges();
    privilegesProbe.catch(() => undefined);
    const image = await this.resolveImage(spec, op, progress);
    const toLoad = await this.hostImages(name, spec.images, op, progress);
    const subnet = await this.chooseSubnet(spec);
    const needsSecond = Object.values(spec.nodes).some((o) => o.secondInterface);
    const subnet2 = needsSecond ? await this.secondSubnet(subnet) : undefined;
    const privileges = await privilegesProbe;
    if (privileges.mode !== 'privileged' && privileges.mode !== 'fallback') {
      throw new LabError('PRIVILEGES', `This Docker engine cannot run lab nodes: ${privileges.error ?? 'privileged containers and the capability fallback both failed'}. "swarm-lab doctor" explains more.`);
    }

    this.busy.add(name);
    try {
      progress('network', `creating network ${networkName(name)} (${subnet})`);
      await this.createNetwork(name, 'main', subnet, spec);
      if (subnet2) await this.createNetwork(name, 'second', subnet2, spec);
      progress('nodes', `starting ${nodes.length} nodes`);
      await Promise.all(
        nodes.map(async (n) => {
          await this.createNode(name, n.name, n.role, spec, image, subnet, subnet2, privileges);
          progress('nodes', 'container started', n.name);
        }),
      );
      await Promise.all(
        nodes.map(async (n) => {
          await this.waitForDaemon(name, n.name, op.signal, (m) => progress('daemons', m, n.name));
          progress('daemons', 'Docker daemon ready', n.name);
          await this.loadInto(name, n.name, toLoad, op, started);
        }),
      );
      if (spec.init) await this.formSwarm(name, spec, subnet, progress, op.signal);
      await this.docker.createVolume({ Name: `swarmlab-${name}-ready`, Labels: { [LABEL.lab]: name, [LABEL.network]: READY_MARKER } });
      progress('done', `lab ${name} is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return await this.inspect(name);
    } catch (error) {
      progress('rollback', `creating lab ${name} failed; removing what was created`);
      await this.removeEverything(name).catch(() => undefined);
      if (error instanceof LabError) throw error;
      throw new LabError('NODE_FAILED', `Creating lab "${name}" failed and was rolled back: ${(error as Error).message}`);
    } finally {
      this.busy.delete(name);
    }
  }

  private async secondSubnet(first: string): Promise<string> {
    const used = [...(await dockerSubnets(this.docker)).map((d) => d.subnet), ...(this.local ? hostRoutes() : []), first];
    const s = pickSubnet(used);
    if (!s) throw new LabError('NO_FREE_SUBNET', 'No free subnet is left for the second network interface. Remove unused Docker networks ("docker network prune").');
    return s;
  }

  private async createNetwork(lab: string, kind: 'main' | 'second', subnet: string, spec: LabSpec): Promise<void> {
    const c = parseCidr(subnet)!;
    await this.docker.createNetwork({
      Name: kind === 'main' ? networkName(lab) : secondNetworkName(lab),
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: hostAddress(c, 1) }] },
      Labels: {
        [LABEL.lab]: lab,
        [LABEL.network]: kind,
        [LABEL.version]: appVersion,
        ...(kind === 'main' ? { [LABEL.spec]: JSON.stringify(spec) } : {}),
      },
    });
  }

  private dockerdArgs(spec: LabSpec, node: string): string[] {
    const o = spec.nodes[node];
    return [...(o?.insecureRegistries ?? []).map((r) => `--insecure-registry=${r}`), ...(o?.registryMirrors ?? []).map((m) => `--registry-mirror=${m}`)];
  }

  private async createNode(
    lab: string,
    node: string,
    role: Role,
    spec: LabSpec,
    image: string,
    subnet: string,
    subnet2: string | undefined,
    privileges: PrivilegeProbeResult,
  ): Promise<void> {
    const opts = spec.nodes[node];
    const ip = hostAddress(parseCidr(subnet)!, nodeHostIndex(node));
    await this.docker.createVolume({ Name: volumeName(lab, node), Labels: { [LABEL.lab]: lab, [LABEL.node]: node } });
    const container = await this.docker.createContainer({
      name: containerName(lab, node),
      Hostname: node,
      Image: image,
      Cmd: this.dockerdArgs(spec, node),
      Env: [`SWARM_LAB_SSHD=${spec.sshd ? 1 : 0}`],
      Labels: {
        [LABEL.lab]: lab,
        [LABEL.node]: node,
        [LABEL.role]: role,
        [LABEL.version]: appVersion,
        'io.swarmlab.privileges': privileges.mode,
      },
      HostConfig: {
        ...privilegeHostConfig(privileges.mode as PrivilegeMode, privileges.hostCapabilities),
        Binds: [`${volumeName(lab, node)}:/var/lib/docker`],
        Tmpfs: { '/run': 'rw,exec', '/tmp': 'rw,exec' },
        NetworkMode: networkName(lab),
        RestartPolicy: { Name: 'no' },
        ...(opts?.memoryMb ? { Memory: opts.memoryMb * 1024 * 1024 } : {}),
      },
      NetworkingConfig: { EndpointsConfig: { [networkName(lab)]: { IPAMConfig: { IPv4Address: ip }, Aliases: [node] } } },
    });
    if (opts?.secondInterface && subnet2) {
      await this.docker.getNetwork(secondNetworkName(lab)).connect({
        Container: container.id,
        EndpointConfig: { IPAMConfig: { IPv4Address: hostAddress(parseCidr(subnet2)!, nodeHostIndex(node)) } },
      });
    }
    try {
      await container.start();
    } catch (e) {
      throw new LabError('NODE_FAILED', `Node ${node} of lab "${lab}" did not start: ${(e as Error).message}`);
    }
  }

  /** Waits until the node's daemon answers; `onQuiet` hears once when it has not for DAEMON_QUIET_MS. */
  private async waitForDaemon(lab: string, node: string, signal?: AbortSignal, onQuiet?: (message: string) => void): Promise<void> {
    const name = containerName(lab, node);
    const started = Date.now();
    const deadline = started + DAEMON_TIMEOUT_MS;
    let last = '';
    let told = false;
    while (Date.now() < deadline) {
      if (onQuiet && !told && Date.now() - started > DAEMON_QUIET_MS) {
        told = true;
        onQuiet(`the Docker daemon has not answered for ${DAEMON_QUIET_MS / 1000} s; still waiting (up to ${DAEMON_TIMEOUT_MS / 1000} s: a manager restarting without a quorum can take over a minute)`);
      }
      if (signal?.aborted) throw new LabError('NODE_FAILED', `Cancelled while waiting for ${node}.`);
      const info = await this.docker.getContainer(name).inspect();
      if (!info.State.Running) {
        const logs = await this.tail(name);
        throw new LabError('NODE_FAILED', `Node ${node} of lab "${lab}" stopped (exit code ${info.State.ExitCode}) before its Docker daemon was ready. Its last log lines:\n${logs}`);
      }
      try {
        // A daemon still starting holds a ping (its socket accepts, nothing answers yet) and answers
        // it once it serves; each ping asked again is a dial-stdio process left waiting in the node.
        await withTimeout(`${node}'s daemon`, 5000, this.innerClient(name).ping());
        return;
      } catch (e) {
        last = (e as Error).message;
        this.dropInner(name);
      }
      await sleep(100);
    }
    throw new LabError('NODE_FAILED', `The Docker daemon in node ${node} of lab "${lab}" did not answer within ${DAEMON_TIMEOUT_MS / 1000} s (${last}). Its last log lines:\n${await this.tail(name)}`);
  }

  private async tail(container: string): Promise<string> {
    try {
      const buf = (await this.docker.getContainer(container).logs({ stdout: true, stderr: true, tail: 15 })) as unknown as Buffer;
      // Strip the 8-byte multiplexing headers.
      const lines: string[] = [];
      let i = 0;
      while (i + 8 <= buf.length) {
        const len = buf.readUInt32BE(i + 4);
        lines.push(buf.subarray(i + 8, i + 8 + len).toString());
        i += 8 + len;
      }
      return lines.join('').trim();
    } catch {
      return '(no logs)';
    }
  }

  private async formSwarm(lab: string, spec: LabSpec, subnet: string, progress: (s: string, m: string, n?: string) => void, signal?: AbortSignal): Promise<void> {
    const nodes = nodeNames(spec);
    const c = parseCidr(subnet)!;
    const addr = (n: string): string => hostAddress(c, nodeHostIndex(n));
    const m1 = this.innerClient(containerName(lab, 'manager1'));
    const swarmSpec: Record<string, unknown> = {};
    if (spec.swarm.dispatcherHeartbeatSeconds) swarmSpec.Dispatcher = { HeartbeatPeriod: spec.swarm.dispatcherHeartbeatSeconds * 1e9 };
    progress('swarm', `swarm init on manager1 (${addr('manager1')})`, 'manager1');
    try {
      await withTimeout('swarm init', 30_000, m1.swarmInit({
        ListenAddr: '0.0.0.0:2377',
        AdvertiseAddr: `${addr('manager1')}:2377`,
        ...(spec.swarm.defaultAddrPool ? { DefaultAddrPool: spec.swarm.defaultAddrPool } : {}),
        ...(spec.swarm.subnetSize ? { SubnetSize: spec.swarm.subnetSize } : {}),
        Spec: swarmSpec,
      }));
    } catch (e) {
      throw new LabError('SWARM_FAILED', `"docker swarm init" on manager1 of lab "${lab}" failed: ${(e as Error).message}`);
    }
    const tokens = (await m1.swarmInspect()).JoinTokens as { Worker: string; Manager: string };
    const join = async (n: { name: string; role: Role }): Promise<void> => {
      const inner = this.innerClient(containerName(lab, n.name));
      try {
        await withTimeout(`${n.name} joining`, 60_000, inner.swarmJoin({
          ListenAddr: '0.0.0.0:2377',
          AdvertiseAddr: `${addr(n.name)}:2377`,
          RemoteAddrs: [`${addr('manager1')}:2377`],
          JoinToken: n.role === 'manager' ? tokens.Manager : tokens.Worker,
        }));
      } catch (e) {
        throw new LabError('SWARM_FAILED', `${n.name} could not join the swarm of lab "${lab}": ${(e as Error).message}`);
      }
      progress('swarm', `joined as ${n.role}`, n.name);
    };
    // Managers join one at a time (each changes the raft membership); workers join in parallel.
    const managers = nodes.filter((n) => n.role === 'manager' && n.name !== 'manager1');
    const workers = nodes.filter((n) => n.role === 'worker');
    await Promise.all([
      (async () => {
        for (const m of managers) await join(m);
      })(),
      ...workers.map(join),
    ]);
    await this.waitForReady(lab, nodes.length, signal, (m) => progress('swarm', m));
    progress('swarm', `all ${nodes.length} nodes are Ready`);
    // Per-node labels become swarm node labels, for placement constraints (node.labels.KEY).
    const labelled = Object.entries(spec.nodes).filter(([, o]) => Object.keys(o.labels).length);
    for (const [node, o] of labelled) {
      const sn = await this.swarmNode(m1, node);
      if (sn) await this.updateSwarmNode(m1, sn.ID, { Labels: { ...((sn.Spec.Labels as Record<string, string>) ?? {}), ...o.labels } });
      progress('swarm', `labels ${Object.entries(o.labels).map(([k, v]) => `${k}=${v}`).join(', ')}`, node);
    }
  }

  /** A manager of the lab whose daemon answers swarm calls, leader first. */
  async reachableManager(lab: string, exclude: string[] = []): Promise<{ node: string; docker: Docker }> {
    const summary = await this.inspect(lab);
    const managers = summary.nodes.filter((n) => n.role === 'manager' && n.status === 'running' && !n.disconnected && !exclude.includes(n.name));
    const attempts = await Promise.allSettled(
      managers.map(async (m) => {
        const d = this.innerClient(m.container);
        const info = (await withTimeout(`${m.name}`, 5000, d.info())) as { Swarm?: { ControlAvailable?: boolean } };
        if (!info.Swarm?.ControlAvailable) throw new Error('not a manager');
        await withTimeout(`${m.name}`, 5000, d.listNodes());
        return { node: m.name, docker: d };
      }),
    );
    const ok = attempts.find((a): a is PromiseFulfilledResult<{ node: string; docker: Docker }> => a.status === 'fulfilled');
    if (!ok) throw new LabError('NOT_IN_SWARM', `No manager of lab "${lab}" answers swarm requests (the swarm may not be initialised, or quorum is lost).`);
    return ok.value;
  }

  /** Whether a lab's managers belong to a swarm, asked of their daemons (which answer even without a leader). */
  private async inSwarm(summary: LabSummary): Promise<boolean> {
    const states = await Promise.all(
      summary.nodes
        .filter((n) => n.role === 'manager')
        .map(async (m) => {
          const info = (await withTimeout(m.name, 5000, this.innerClient(m.container).info()).catch(() => undefined)) as { Swarm?: { LocalNodeState?: string } } | undefined;
          return info?.Swarm?.LocalNodeState;
        }),
    );
    return states.some((s) => s !== undefined && s !== 'inactive');
  }

  /**
   * Waits until `count` nodes are Ready (READY_TIMEOUT_MS at most). `onWait` hears the nodes'
   * states each time they change after the first few seconds, so a slow swarm says what it waits for.
   */
  private async waitForReady(lab: string, count: number, signal?: AbortSignal, onWait?: (states: string) => void): Promise<void> {
    const started = Date.now();
    const deadline = started + READY_TIMEOUT_MS;
    let seen = '';
    let told = '';
    while (Date.now() < deadline) {
      if (signal?.aborted) throw new LabError('SWARM_FAILED', 'Cancelled while waiting for nodes to be Ready.');
      try {
        const { docker } = await this.reachableManager(lab);
        const nodes = (await withTimeout('node ls', 5000, docker.listNodes())) as { Description?: { Hostname?: string }; Status?: { State?: string } }[];
        const ready = nodes.filter((n) => n.Status?.State === 'ready');
        seen = nodes.map((n) => `${n.Description?.Hostname}=${n.Status?.State}`).join(', ');
        if (ready.length >= count) return;
      } catch (e) {
        seen = (e as Error).message;
      }
      if (onWait && seen !== told && Date.now() - started > READY_QUIET_MS) {
        told = seen;
        onWait(`waiting for every node to be Ready: ${seen}`);
      }
      await sleep(200);
    }
    throw new LabError('SWARM_FAILED', `Not every node of lab "${lab}" became Ready within ${READY_TIMEOUT_MS / 1000} s (${seen}).`);
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  async stop(name: string, op: OperationOptions = {}): Promise<LabSummary> {
    const summary = await this.inspect(name);
    const started = Date.now();
    await this.settleRoles(summary, (message) => op.onProgress?.({ step: 'stop', message, elapsedMs: Date.now() - started }));
    await Promise.all(
      summary.nodes.map(async (n) => {
        const c = this.docker.getContainer(n.container);
        if (n.status === 'paused') await c.unpause();
        if (n.status !== 'stopped') await c.stop({ t: 20 }).catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 304) throw e;
        });
        this.dropInner(n.container);
        op.onProgress?.({ step: 'stop', node: n.name, message: 'stopped', elapsedMs: Date.now() - started });
      }),
    );
    return this.inspect(name);
  }

  async start(name: string, op: OperationOptions = {}): Promise<LabSummary> {
    const summary = await this.inspect(name);
    const started = Date.now();
    const note = (message: string, node?: string): void => op.onProgress?.({ step: 'start', message, elapsedMs: Date.now() - started, ...(node ? { node } : {}) });
    await Promise.all(
      summary.nodes.map(async (n) => {
        const c = this.docker.getContainer(n.container);
        if (n.status === 'paused') await c.unpause();
        else if (n.status === 'stopped') await c.start();
        await this.waitForDaemon(name, n.name, op.signal, (m) => note(m, n.name));
        note('Docker daemon ready', n.name);
      }),
    );
    // A lab whose swarm was formed must come back Ready; "no leader yet" is a wait, not a lab without a swarm.
    if (await this.inSwarm(summary)) {
      await this.waitForReady(name, summary.nodes.length, op.signal, note);
      note(`all ${summary.nodes.length} nodes are Ready`);
    }
    return this.inspect(name);
  }

  /** Removes every object labelled with the lab; idempotent; verifies nothing remains. */
  async destroy(name: string, op: OperationOptions = {}): Promise<{ containers: number; networks: number; volumes: number }> {
    this.busy.add(name);
    try {
      const started = Date.now();
      const removed = await this.removeEverything(name, (m) => op.onProgress?.({ step: 'destroy', message: m, elapsedMs: Date.now() - started }));
      const left = await this.find(name);
      const count = left.containers.length + left.networks.length + left.volumes.length;
      if (count) {
        throw new LabError('CLEANUP_INCOMPLETE', `Lab "${name}" still has ${plural(left.containers.length, 'container')}, ${plural(left.networks.length, 'network')} and ${plural(left.volumes.length, 'volume')} after removal. Run "swarm-lab down ${name}" again, or remove objects labelled ${LABEL.lab}=${name} with docker.`);
      }
      return removed;
    } finally {
      this.busy.delete(name);
    }
  }

  private async removeEverything(name: string, note?: (m: string) => void): Promise<{ containers: number; networks: number; volumes: number }> {
    const found = await this.find(name);
    await Promise.all(
      found.containers.map(async (c) => {
        this.dropInner((c.Names[0] ?? '').replace(/^\//, ''));
        await this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing);
      }),
    );
    if (found.containers.length) note?.(`removed ${plural(found.containers.length, 'container')}`);
    for (const n of found.networks) await this.docker.getNetwork(n.Id).remove().catch(ignoreMissing);
    await Promise.all(found.volumes.map((v) => this.docker.getVolume(v.Name).remove().catch(ignoreMissing)));
    if (found.networks.length || found.volumes.length) note?.(`removed ${plural(found.networks.length, 'network')} and ${plural(found.volumes.length, 'volume')}`);
    return { containers: found.containers.length, networks: found.networks.length, volumes: found.volumes.length };
  }

  // ── nodes ────────────────────────────────────────────────────────────────

  async addNode(lab: string, role: Role, op: OperationOptions = {}): Promise<LabSummary> {
    const summary = await this.inspect(lab);
    if (summary.state === 'incomplete' || !summary.spec || !summary.subnet) {
      throw new LabError('LAB_NOT_FOUND', `Lab "${lab}" was not created completely; remove it with "swarm-lab down ${lab}" and create it again.`);
    }
    const taken = summary.nodes.filter((n) => n.role === role).map((n) => Number(n.name.replace(/\D/g, '')));
    const index = Math.max(0, ...taken) + 1;
    const limit = role === 'manager' ? 7 : 20;
    if (index > limit) throw new LabError('INVALID_SPEC', `Lab "${lab}" cannot have more than ${limit} ${role}s.`);
    const node = `${role}${index}`;
    const started = Date.now();
    const note = (message: string): void => op.onProgress?.({ step: 'node-add', node, message, elapsedMs: Date.now() - started });
    const privileges = await this.detectPrivileges();
    const image = summary.image ?? (await this.resolveImage(summary.spec, op, note));
    const toLoad = await this.hostImages(lab, summary.spec.images, op, (_step, message) => note(message));
    this.busy.add(lab);
    try {
      await this.createNode(lab, node, role, summary.spec, image, summary.subnet, undefined, privileges);
      note('container started');
      await this.waitForDaemon(lab, node, op.signal, note);
      note('Docker daemon ready');
      await this.loadInto(lab, node, toLoad, op, started);
      const manager = await this.reachableManager(lab).catch(() => undefined);
      if (manager) {
        const info = (await manager.docker.swarmInspect()) as { JoinTokens: { Worker: string; Manager: string } };
        const managerAddr = summary.nodes.find((n) => n.name === manager.node)?.address;
        const c = parseCidr(summary.subnet)!;
        await withTimeout(`${node} joining`, 60_000, this.innerClient(containerName(lab, node)).swarmJoin({
          ListenAddr: '0.0.0.0:2377',
          AdvertiseAddr: `${hostAddress(c, nodeHostIndex(node))}:2377`,
          RemoteAddrs: [`${managerAddr}:2377`],
          JoinToken: role === 'manager' ? info.JoinTokens.Manager : info.JoinTokens.Worker,
        }));
        note(`joined as ${role}`);
        await this.waitForReady(lab, summary.nodes.length + 1, op.signal, note);
        note('Ready');
      }
      return await this.inspect(lab);
    } catch (e) {
      this.dropInner(containerName(lab, node));
      await this.docker.getContainer(containerName(lab, node)).remove({ force: true, v: true }).catch(() => undefined);
      await this.docker.getVolume(volumeName(lab, node)).remove().catch(() => undefined);
      throw e instanceof LabError ? e : new LabError('NODE_FAILED', `Adding ${node} to lab "${lab}" failed and was undone: ${(e as Error).message}`);
    } finally {
      this.busy.delete(lab);
    }
  }

  async removeNode(lab: string, node: string, op: OperationOptions = {}): Promise<LabSummary> {
    const { summary, node: target } = await this.node(lab, node);
    const started = Date.now();
    const note = (message: string): void => op.onProgress?.({ step: 'node-rm', node, message, elapsedMs: Date.now() - started });
    const others = summary.nodes.filter((n) => n.name !== node);
    if (target.role === 'manager' && !others.some((n) => n.role === 'manager')) {
      throw new LabError('INVALID_SPEC', `${node} is the only manager of lab "${lab}"; a swarm needs one. Destroy the lab instead ("swarm-lab down ${lab}").`);
    }
    const manager = await this.reachableManager(lab, [node]).catch(() => undefined);
    if (manager && target.status === 'running') {
      const swarmNode = await this.swarmNode(manager.docker, node);
      if (swarmNode) {
        if (target.role === 'manager') {
          await this.updateSwarmNode(manager.docker, swarmNode.ID, { Role: 'worker' });
          note('demoted');
        }
        await withTimeout(`${node} leaving`, 30_000, this.innerClient(target.container).swarmLeave({ force: target.role === 'manager' })).catch(() => undefined);
        note('left the swarm');
        await this.docker.getContainer(target.container).stop({ t: 10 }).catch(() => undefined);
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          try {
            await manager.docker.getNode(swarmNode.ID).remove({ force: true });
            break;
          } catch {
            await sleep(500);
          }
        }
        note('removed from the node list');
      }
    }
    this.dropInner(target.container);
    await this.docker.getContainer(target.container).remove({ force: true, v: true }).catch(ignoreMissing);
    await this.docker.getVolume(volumeName(lab, node)).remove().catch(ignoreMissing);
    note('container removed');
    return this.inspect(lab);
  }

  private async swarmNode(manager: Docker, hostname: string): Promise<{ ID: string; Version: { Index: number }; Spec: Record<string, unknown> } | undefined> {
    const nodes = (await withTimeout('node ls', CALL_TIMEOUT_MS, manager.listNodes())) as { ID: string; Version: { Index: number }; Spec: Record<string, unknown>; Description?: { Hostname?: string } }[];
    return nodes.find((n) => n.Description?.Hostname === hostname);
  }

  /**
   * Waits until swarm has carried out a role change, on both sides:
   * - the managers': a promoted node is a reachable raft member, a demoted one has left the raft member list
   *   (stopping the lab before that would leave a raft group the lone manager cannot form a quorum in);
   * - the node's own: its daemon holds a certificate for the new role. A demoted node gets its worker
   *   certificate ~8 s after the managers let it go (Engine 20.10); stopped before that, it starts again as a
   *   manager of a raft group it is no longer in, and never rejoins (stays Down).
   * Promoting a node demoted less than about 30 s earlier takes swarm about 30 s, hence the 60 s limit.
   */
  private async waitForRole(manager: Docker, id: string, node: LabNode, role: Role): Promise<void> {
    const deadline = Date.now() + 60_000;
    let managers = false;
    while (Date.now() < deadline) {
      if (!managers) {
        const n = (await manager.getNode(id).inspect()) as { ManagerStatus?: { Reachability?: string } };
        managers = role === 'manager' ? n.ManagerStatus?.Reachability === 'reachable' : !n.ManagerStatus;
      }
      if (managers && (await this.actingRole(node.container)) === role) return;
      await sleep(200);
    }
    throw new LabError(
      'FAULT_FAILED',
      !managers
        ? role === 'manager'
          ? `${node.name} was promoted but did not become a reachable manager within 60 s. Check its daemon log (docker logs ${node.container}) and the managers with "docker node ls".`
          : `${node.name} was demoted but swarm still lists it as a raft member after 60 s. Check the managers with "docker node ls".`
        : `${node.name} was ${role === 'manager' ? 'promoted' : 'demoted'}, but its daemon still holds no ${role} certificate after 60 s. Check its daemon log (docker logs ${node.container}).`,
    );
  }

  /** The role a node's own daemon acts in, from its swarm certificate; undefined when it has none (not in a swarm) or it cannot be read. */
  async actingRole(container: string): Promise<Role | undefined> {
    const r = await execCapture(this.docker, container, ['cat', NODE_CERT]).catch(() => undefined);
    const end = r?.exitCode === 0 ? r.output.indexOf('-----END CERTIFICATE-----') : -1;
    if (!r || end < 0) return undefined;
    try {
      const ou = /^OU=swarm-(manager|worker)$/m.exec(new X509Certificate(r.output.slice(0, end + 25)).subject)?.[1];
      return ou as Role | undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Before a lab stops: waits (up to ROLE_SETTLE_MS) for nodes whose daemon does not yet act in the role
   * swarm gives them (promoted or demoted moments ago, from the app or a terminal), so that each starts
   * again in its new role. Says which nodes it waits for; gives up quietly on a swarm that cannot answer.
   */
  private async settleRoles(summary: LabSummary, note: (message: string) => void): Promise<void> {
    const running = summary.nodes.filter((n) => n.status === 'running' && !n.disconnected);
    const manager = running.length ? await this.reachableManager(summary.name).catch(() => undefined) : undefined;
    if (!manager) return;
    const listed = (await withTimeout('node ls', CALL_TIMEOUT_MS, manager.docker.listNodes()).catch(() => [])) as { Description?: { Hostname?: string }; Spec?: { Role?: Role } }[];
    const wanted = new Map(listed.map((n) => [n.Description?.Hostname, n.Spec?.Role]));
    const unsettled = async (): Promise<LabNode[]> => {
      const roles = await Promise.all(running.map(async (n) => (wanted.get(n.name) && (await this.actingRole(n.container)) !== wanted.get(n.name) ? n : undefined)));
      return roles.filter((n): n is LabNode => !!n);
    };
    const deadline = Date.now() + ROLE_SETTLE_MS;
    let waiting = await unsettled();
    if (!waiting.length) return;
    note(`waiting for ${waiting.map((n) => `${n.name} to act as a ${wanted.get(n.name)}`).join(', ')} before stopping`);
    while (waiting.length && Date.now() < deadline) {
      await sleep(500);
      waiting = await unsettled();
    }
    note(waiting.length ? `${waiting.map((n) => n.name).join(', ')} still changing role after ${ROLE_SETTLE_MS / 1000} s; stopping anyway (${waiting.length === 1 ? 'it' : 'they'} may not rejoin the swarm)` : 'every node acts in its role');
  }

  private async updateSwarmNode(manager: Docker, id: string, change: Record<string, unknown>): Promise<void> {
    const n = (await manager.getNode(id).inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> };
    await manager.getNode(id).update({ version: n.Version.Index, ...n.Spec, ...change });
  }

  // ── images ───────────────────────────────────────────────────────────────

  /** Streams host images into every running node (docker save | docker load), skipping nodes that have them. */
  async loadImages(lab: string, refs: string[], op: OperationOptions = {}): Promise<LoadResult[]> {
    const summary = await this.inspect(lab);
    const started = Date.now();
    const images = await this.hostImages(lab, refs, op);
    const running = summary.nodes.filter((n) => n.status === 'running');
    return (await Promise.all(running.map((n) => this.loadInto(lab, n.name, images, op, started)))).flat();
  }

  /** The host's images of `refs` (see hostImages), lesson images built when missing. */
  private hostImages(lab: string, refs: string[], op: OperationOptions, progress?: (step: string, message: string) => void): Promise<HostImage[]> {
    return hostImages(this.docker, this.images, lab, refs, { signal: op.signal, onBuild: (p) => progress?.('images', `${p.image} image: ${p.message}`) });
  }

  private loadInto(lab: string, node: string, images: HostImage[], op: OperationOptions, started: number): Promise<LoadResult[]> {
    return loadIntoNode(this.docker, this.innerClient(containerName(lab, node)), node, images, (p) => op.onProgress?.({ step: 'load', node, ...p, elapsedMs: Date.now() - started }));
  }

  // ── faults ───────────────────────────────────────────────────────────────

  async fault(lab: string, node: string, action: FaultAction, args: { netem?: NetemOptions } = {}): Promise<string> {
    const { summary, node: target } = await this.node(lab, node);
    const c = this.docker.getContainer(target.container);
    const net = this.docker.getNetwork(networkName(lab));
    const wrap = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (e) {
        const err = e as { statusCode?: number; message: string };
        if (err.statusCode === 304) return; // already in that state
        throw new LabError('FAULT_FAILED', `Could not ${what} ${node} of lab "${lab}": ${err.message.replace(/^\(HTTP code \d+\) [a-z ]+- /, '')}`);
      }
    };
    switch (action) {
      case 'kill':
        this.dropInner(target.container);
        await wrap('kill', () => c.kill());
        return `${node} was killed (SIGKILL)`;
      case 'stop':
        this.dropInner(target.container);
        await wrap('stop', () => c.stop({ t: 20 }));
        return `${node} was stopped`;
      case 'start':
        if (target.status === 'paused') await wrap('unpause', () => c.unpause());
        else await wrap('start', () => c.start());
        await this.waitForDaemon(lab, node);
        return `${node} is running and its Docker daemon answers`;
      case 'pause':
        await wrap('pause', () => c.pause());
        return `${node} is paused (frozen: its daemon and tasks stop answering)`;
      case 'unpause':
        await wrap('unpause', () => c.unpause());
        return `${node} is running again`;
      case 'disconnect':
        await wrap('disconnect', () => net.disconnect({ Container: target.containerId, Force: true }));
        return `${node} is cut off from the lab network`;
      case 'reconnect': {
        const ip = hostAddress(parseCidr(summary.subnet!)!, nodeHostIndex(node));
        await wrap('reconnect', () => net.connect({ Container: target.containerId, EndpointConfig: { IPAMConfig: { IPv4Address: ip }, Aliases: [node] } }));
        return `${node} is back on the lab network at ${ip}`;
      }
      case 'restart-daemon':
        this.dropInner(target.container);
        await this.execOrFail(target.container, ['sh', '-c', 'touch /run/swarm-lab/restart-daemon && kill -TERM "$(cat /run/swarm-lab/dockerd.pid)"'], `restart the Docker daemon of ${node}`);
        await sleep(300);
        await this.waitForDaemon(lab, node);
        return `the Docker daemon of ${node} was restarted`;
      case 'netem': {
        const o = args.netem ?? {};
        if (!o.clear && !o.delayMs && !o.lossPercent) throw new LabError('INVALID_SPEC', 'netem needs a delay, a loss, or clear (e.g. --delay 200 --loss 5).');
        const dev = await this.labInterface(target.container, summary.subnet);
        if (!dev) throw new LabError('FAULT_FAILED', `${node} has no interface on the lab network (is it disconnected?); reconnect it first.`);
        const cmd = o.clear
          ? ['sh', '-c', `tc qdisc del dev ${dev} root 2>/dev/null; true`]
          : ['tc', 'qdisc', 'replace', 'dev', dev, 'root', 'netem',
              ...(o.delayMs ? ['delay', `${o.delayMs}ms`, ...(o.jitterMs ? [`${o.jitterMs}ms`] : [])] : []),
              ...(o.lossPercent ? ['loss', `${o.lossPercent}%`] : [])];
        const r = await execCapture(this.docker, target.container, cmd);
        if (r.exitCode !== 0 && /qdisc kind is unknown/.test(r.output)) {
          throw new LabError('UNSUPPORTED', `The kernel of this Docker host has no netem queueing discipline (sch_netem), so delay and loss cannot be simulated on ${node}. Other faults (disconnect, pause, kill) still work.`);
        }
        if (r.exitCode !== 0) throw new LabError('FAULT_FAILED', `Could not set network conditions on ${node}: ${r.output.trim()}`);
        return o.clear ? `${node}'s network conditions are cleared` : `${node}'s lab interface (${dev}) now has${o.delayMs ? ` ${o.delayMs} ms delay` : ''}${o.lossPercent ? ` ${o.lossPercent}% loss` : ''}`;
      }
      case 'drain':
      case 'activate':
      case 'promote':
      case 'demote': {
        const manager = await this.reachableManager(lab);
        const sn = await this.swarmNode(manager.docker, node);
        if (!sn) throw new LabError('NOT_IN_SWARM', `${node} is not a member of the swarm of lab "${lab}".`);
        const change = action === 'drain' ? { Availability: 'drain' } : action === 'activate' ? { Availability: 'active' } : { Role: action === 'promote' ? 'manager' : 'worker' };
        // A node promoted a moment ago may not be in the raft member list yet; demoting it then fails.
        await wrap(action, () => retry(() => this.updateSwarmNode(manager.docker, sn.ID, change), (e) => /raft memberlist/.test(e.message), 15_000));
        if (action === 'promote' || action === 'demote') await this.waitForRole(manager.docker, sn.ID, target, action === 'promote' ? 'manager' : 'worker');
        return action === 'drain' ? `${node} is draining: its tasks move to other nodes` : action === 'activate' ? `${node} accepts tasks again` : `${node} was ${action}d`;
      }
    }
  }

  /** The node's network interface on the lab subnet (eth0 unless a second network came first). */
  private async labInterface(container: string, subnet: string | null): Promise<string | undefined> {
    const lab = subnet ? parseCidr(subnet) : undefined;
    const r = await execCapture(this.docker, container, ['ip', '-o', '-4', 'addr', 'show']);
    for (const line of r.output.split('\n')) {
      const m = line.match(/^\d+:\s+(\S+)\s+inet\s+([\d.]+)\//);
      const ip = m ? parseCidr(`${m[2]}/32`) : undefined;
      if (m && ip && lab && overlaps(ip, lab)) return m[1]!.replace(/@.*/, '');
    }
    return undefined;
  }

  private async execOrFail(container: string, cmd: string[], what: string): Promise<string> {
    const r = await execCapture(this.docker, container, cmd);
    if (r.exitCode !== 0) throw new LabError('FAULT_FAILED', `Could not ${what}: ${r.output.trim() || `exit code ${r.exitCode}`}`);
    return r.output;
  }
}

async function retry<T>(work: () => Promise<T>, transient: (e: Error) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await work();
    } catch (e) {
      if (!transient(e as Error) || Date.now() > deadline) throw e;
      await sleep(300);
    }
  }
}

function ignoreMissing(e: { statusCode?: number }): void {
  if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
}

/** Runs a command in a container through the outer engine and collects its output and exit code. */
export async function execCapture(docker: Docker, container: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const out = new PassThrough();
  let output = '';
  out.on('data', (d: Buffer) => (output += d.toString()));
  docker.modem.demuxStream(stream, out, out);
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output };
}
