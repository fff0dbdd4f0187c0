/**
 * One model of a swarm, whatever it runs on: nodes, services, tasks, networks, secrets and configs
 * (names only), stacks and quorum; how to build it from Engine API objects, how two models differ,
 * and a bounded timeline of changes with millisecond timestamps.
 */
import { z } from 'zod';

export const clusterNode = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['manager', 'worker']),
  availability: z.enum(['active', 'pause', 'drain']),
  status: z.enum(['ready', 'down', 'unknown', 'disconnected']),
  leader: z.boolean(),
  reachability: z.enum(['reachable', 'unreachable', 'unknown']).nullable(),
  addr: z.string(),
  engineVersion: z.string(),
  labels: z.record(z.string(), z.string()),
});
export type ClusterNode = z.infer<typeof clusterNode>;

export const servicePort = z.object({
  published: z.number().nullable(),
  target: z.number(),
  protocol: z.string(),
  mode: z.enum(['ingress', 'host']),
});

export const clusterService = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(['replicated', 'global', 'replicated-job', 'global-job']),
  replicas: z.object({ desired: z.number(), running: z.number() }),
  image: z.string(),
  ports: z.array(servicePort),
  endpointMode: z.enum(['vip', 'dnsrr']),
  updateStatus: z.object({ state: z.string(), message: z.string() }).nullable(),
  stack: z.string().nullable(),
});
export type ClusterService = z.infer<typeof clusterService>;

export const clusterTask = z.object({
  id: z.string(),
  serviceId: z.string(),
  service: z.string(),
  slot: z.number().nullable(),
  nodeId: z.string().nullable(),
  node: z.string().nullable(),
  desiredState: z.string(),
  state: z.string(),
  error: z.string().nullable(),
  containerId: z.string().nullable(),
  updatedAt: z.string(),
});
export type ClusterTask = z.infer<typeof clusterTask>;

export const clusterNetwork = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  subnets: z.array(z.string()),
  attachable: z.boolean(),
  ingress: z.boolean(),
});
export type ClusterNetwork = z.infer<typeof clusterNetwork>;

export const named = z.object({ id: z.string(), name: z.string() });

export const quorum = z.object({
  managers: z.number(),
  reachable: z.number(),
  needed: z.number(),
  tolerates: z.number(),
  lost: z.boolean(),
});
export type Quorum = z.infer<typeof quorum>;

export const clusterState = z.object({
  /** ok: a manager answered this round; noLeader: managers answer but swarm has no leader (quorum lost); unreachable: no manager answers. */
  health: z.enum(['ok', 'noLeader', 'unreachable']),
  /** When the data was last read from a manager (ms since epoch); stale when health is not ok. */
  observedAt: z.number(),
  /** The manager that answered. */
  source: z.string().nullable(),
  message: z.string().nullable(),
  nodes: z.array(clusterNode),
  services: z.array(clusterService),
  tasks: z.array(clusterTask),
  networks: z.array(clusterNetwork),
  secrets: z.array(named),
  configs: z.array(named),
  stacks: z.array(z.object({ name: z.string(), services: z.array(z.string()) })),
  quorum,
});
export type ClusterState = z.infer<typeof clusterState>;

// ── building the model from Engine API objects ─────────────────────────────

/* Engine API shapes, only the fields read here. */
export interface ApiNode {
  ID: string;
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}
export interface ApiService {
  ID: string;
  Spec?: {
    Name?: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: { TotalCompletions?: number }; GlobalJob?: object };
    TaskTemplate?: { ContainerSpec?: { Image?: string } };
    EndpointSpec?: { Mode?: string; Ports?: { PublishedPort?: number; TargetPort?: number; Protocol?: string; PublishMode?: string }[] };
  };
  Endpoint?: { Ports?: { PublishedPort?: number; TargetPort?: number; Protocol?: string; PublishMode?: string }[] };
  UpdateStatus?: { State?: string; Message?: string };
}
export interface ApiTask {
  ID: string;
  ServiceID?: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  UpdatedAt?: string;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}
export interface ApiNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Attachable?: boolean;
  Ingress?: boolean;
  IPAM?: { Config?: { Subnet?: string }[] | null };
}

const enumOr = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

export function computeQuorum(nodes: readonly ClusterNode[]): Quorum {
  const managers = nodes.filter((n) => n.role === 'manager');
  const reachable = managers.filter((n) => n.reachability === 'reachable').length;
  const needed = Math.floor(managers.length / 2) + 1;
  return {
    managers: managers.length,
    reachable,
    needed,
    tolerates: Math.floor((managers.length - 1) / 2),
    lost: managers.length > 0 && reachable < needed,
  };
}

export function buildState(
  raw: { nodes: ApiNode[]; services: ApiService[]; tasks: ApiTask[]; networks: ApiNetwork[]; secrets: { ID: string; Spec?: { Name?: string } }[]; configs: { ID: string; Spec?: { Name?: string } }[] },
  meta: { observedAt: number; source: string | null },
): ClusterState {
  const nodes: ClusterNode[] = raw.nodes
    .map((n) => ({
      id: n.ID,
      name: n.Description?.Hostname ?? n.ID.slice(0, 12),
      role: n.Spec?.Role === 'manager' ? ('manager' as const) : ('worker' as const),
      availability: enumOr(n.Spec?.Availability, ['active', 'pause', 'drain'] as const, 'active'),
      status: enumOr(n.Status?.State, ['ready', 'down', 'unknown', 'disconnected'] as const, 'unknown'),
      leader: !!n.ManagerStatus?.Leader,
      reachability: n.ManagerStatus ? enumOr(n.ManagerStatus.Reachability, ['reachable', 'unreachable', 'unknown'] as const, 'unknown') : null,
      addr: n.ManagerStatus?.Addr?.replace(/:\d+$/, '') ?? n.Status?.Addr ?? '',
      engineVersion: n.Description?.Engine?.EngineVersion ?? '',
      labels: n.Spec?.Labels ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  const serviceName = new Map(raw.services.map((s) => [s.ID, s.Spec?.Name ?? s.ID.slice(0, 12)]));
  const tasks: ClusterTask[] = raw.tasks
    .map((t) => ({
      id: t.ID,
      serviceId: t.ServiceID ?? '',
      service: serviceName.get(t.ServiceID ?? '') ?? (t.ServiceID ?? '').slice(0, 12),
      slot: t.Slot ?? null,
      nodeId: t.NodeID ?? null,
      node: t.NodeID ? (nodeName.get(t.NodeID) ?? null) : null,
      desiredState: t.DesiredState ?? '',
      state: t.Status?.State ?? '',
      error: t.Status?.Err || null,
      containerId: t.Status?.ContainerStatus?.ContainerID || null,
      updatedAt: t.UpdatedAt ?? '',
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || (a.slot ?? 0) - (b.slot ?? 0) || a.updatedAt.localeCompare(b.updatedAt));
  const running = new Map<string, number>();
  for (const t of tasks) if (t.state === 'running') running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
  const readyNodes = nodes.filter((n) => n.status === 'ready' && n.availability === 'active').length;
  const services: ClusterService[] = raw.services
    .map((s) => {
      const m = s.Spec?.Mode ?? {};
      const mode = m.Global ? 'global' : m.ReplicatedJob ? 'replicated-job' : m.GlobalJob ? 'global-job' : 'replicated';
      const desired = mode === 'replicated' ? (m.Replicated?.Replicas ?? 1) : mode === 'replicated-job' ? (m.ReplicatedJob?.TotalCompletions ?? 1) : readyNodes;
      const ports = (s.Endpoint?.Ports ?? s.Spec?.EndpointSpec?.Ports ?? []).map((p) => ({
        published: p.PublishedPort ?? null,
        target: p.TargetPort ?? 0,
        protocol: p.Protocol ?? 'tcp',
        mode: p.PublishMode === 'host' ? ('host' as const) : ('ingress' as const),
      }));
      return {
        id: s.ID,
        name: s.Spec?.Name ?? s.ID.slice(0, 12),
        mode: mode as ClusterService['mode'],
        replicas: { desired, running: running.get(s.ID) ?? 0 },
        image: (s.Spec?.TaskTemplate?.ContainerSpec?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
        ports,
        endpointMode: s.Spec?.EndpointSpec?.Mode === 'dnsrr' ? ('dnsrr' as const) : ('vip' as const),
        updateStatus: s.UpdateStatus?.State ? { state: s.UpdateStatus.State, message: s.UpdateStatus.Message ?? '' } : null,
        stack: s.Spec?.Labels?.['com.docker.stack.namespace'] ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const stackMap = new Map<string, string[]>();
  for (const s of services) if (s.stack) stackMap.set(s.stack, [...(stackMap.get(s.stack) ?? []), s.name]);
  return {
    health: 'ok',
    observedAt: meta.observedAt,
    source: meta.source,
    message: null,
    nodes,
    services,
    tasks,
    networks: raw.networks
      .map((n) => ({
        id: n.Id,
        name: n.Name,
        driver: n.Driver ?? '',
        scope: n.Scope ?? '',
        subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean),
        attachable: !!n.Attachable,
        ingress: !!n.Ingress,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    secrets: raw.secrets.map((s) => ({ id: s.ID, name: s.Spec?.Name ?? s.ID })).sort((a, b) => a.name.localeCompare(b.name)),
    configs: raw.configs.map((s) => ({ id: s.ID, name: s.Spec?.Name ?? s.ID })).sort((a, b) => a.name.localeCompare(b.name)),
    stacks: [...stackMap].map(([name, svc]) => ({ name, services: svc.sort() })).sort((a, b) => a.name.localeCompare(b.name)),
    quorum: computeQuorum(nodes),
  };
}

export function emptyState(observedAt = 0): ClusterState {
  return {
    health: 'unreachable',
    observedAt,
    source: null,
    message: 'Not read yet.',
    nodes: [],
    services: [],
    tasks: [],
    networks: [],
    secrets: [],
    configs: [],
    stacks: [],
    quorum: { managers: 0, reachable: 0, needed: 1, tolerates: 0, lost: true },
  };
}

// ── diffs ──────────────────────────────────────────────────────────────────

export const entityKind = z.enum(['node', 'service', 'task', 'network', 'secret', 'config']);
export type EntityKind = z.infer<typeof entityKind>;

export const clusterChange = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), kind: entityKind, id: z.string(), value: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal('remove'), kind: entityKind, id: z.string() }),
  z.object({ op: z.literal('update'), kind: entityKind, id: z.string(), fields: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal('meta'), fields: z.record(z.string(), z.unknown()) }),
]);
export type ClusterChange = z.infer<typeof clusterChange>;

const COLLECTIONS: Record<EntityKind, 'nodes' | 'services' | 'tasks' | 'networks' | 'secrets' | 'configs'> = {
  node: 'nodes',
  service: 'services',
  task: 'tasks',
  network: 'networks',
  secret: 'secrets',
  config: 'configs',
};

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The changes that turn `prev` into `next`. `observedAt` alone never counts as a change. */
export function diffStates(prev: ClusterState, next: ClusterState): ClusterChange[] {
  const out: ClusterChange[] = [];
  for (const kind of Object.keys(COLLECTIONS) as EntityKind[]) {
    const key = COLLECTIONS[kind];
    const before = new Map((prev[key] as { id: string }[]).map((e) => [e.id, e as Record<string, unknown>]));
    const after = new Map((next[key] as { id: string }[]).map((e) => [e.id, e as Record<string, unknown>]));
    for (const [id, value] of after) {
      const old = before.get(id);
      if (!old) {
        out.push({ op: 'add', kind, id, value });
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (const f of Object.keys(value)) if (!same(old[f], value[f])) fields[f] = value[f];
      if (Object.keys(fields).length) out.push({ op: 'update', kind, id, fields });
    }
    for (const id of before.keys()) if (!after.has(id)) out.push({ op: 'remove', kind, id });
  }
  const meta: Record<string, unknown> = {};
  for (const f of ['health', 'source', 'message', 'stacks', 'quorum'] as const) if (!same(prev[f], next[f])) meta[f] = next[f];
  if (Object.keys(meta).length) out.push({ op: 'meta', fields: meta });
  return out;
}

/**
 * Applies changes to a state (as a client that received them would). Pure: returns a new state, in
 * which the objects of unchanged entities are the old ones (the graph reuses what it built of them).
 * Each collection is copied once per call, however many changes it gets (a node going down changes
 * dozens of tasks of thousands).
 */
export function applyChanges(state: ClusterState, changes: readonly ClusterChange[], observedAt?: number): ClusterState {
  const next: ClusterState = { ...state, observedAt: observedAt ?? state.observedAt };
  type Entity = { id: string };
  /** Per collection changed: its copy (a removed entry left as a hole until the end) and where each id is in it. */
  const copies = new Map<string, { list: (Entity | undefined)[]; at: Map<string, number>; holes: boolean }>();
  const copyOf = (key: (typeof COLLECTIONS)[EntityKind]) => {
    let c = copies.get(key);
    if (!c) {
      const list: (Entity | undefined)[] = [...(next[key] as Entity[])];
      c = { list, at: new Map(list.map((e, i) => [e!.id, i])), holes: false };
      copies.set(key, c);
    }
    return c;
  };
  for (const c of changes) {
    if (c.op === 'meta') {
      Object.assign(next, c.fields);
      continue;
    }
    const copy = copyOf(COLLECTIONS[c.kind]);
    const i = copy.at.get(c.id);
    if (c.op === 'add') {
      if (i !== undefined) copy.list[i] = c.value as Entity;
      else copy.at.set(c.id, copy.list.push(c.value as Entity) - 1);
    } else if (c.op === 'remove') {
      if (i === undefined) continue;
      copy.list[i] = undefined;
      copy.at.delete(c.id);
      copy.holes = true;
    } else if (i !== undefined) copy.list[i] = { ...copy.list[i]!, ...c.fields };
  }
  for (const [key, copy] of copies) (next as Record<string, unknown>)[key] = copy.holes ? copy.list.filter((e) => e !== undefined) : copy.list;
  return next;
}

// ── timeline ───────────────────────────────────────────────────────────────

export const timelineEntry = z.object({
  seq: z.number(),
  at: z.number(),
  kind: z.enum(['node', 'service', 'task', 'network', 'secret', 'config', 'quorum', 'health']),
  id: z.string().nullable(),
  /** One readable line: "worker1 is down", "manager2 is now the leader". */
  text: z.string(),
  change: clusterChange,
});
export type TimelineEntry = z.infer<typeof timelineEntry>;

function nameOf(state: ClusterState, kind: EntityKind, id: string): string {
  const e = (state[COLLECTIONS[kind]] as { id: string; name?: string; service?: string; slot?: number | null }[]).find((x) => x.id === id);
  if (!e) return id.slice(0, 12);
  if (kind === 'task') return `${e.service}.${e.slot ?? id.slice(0, 6)}`;
  return e.name ?? id.slice(0, 12);
}

/** Readable lines for a change; `prev` names what was removed, `next` names the rest. */
export function describeChange(c: ClusterChange, prev: ClusterState, next: ClusterState): { kind: TimelineEntry['kind']; id: string | null; text: string } {
  if (c.op === 'meta') {
    if ('health' in c.fields) {
      const h = c.fields.health;
      return { kind: 'health', id: null, text: h === 'ok' ? `managers answer again (${next.source})` : h === 'noLeader' ? 'the swarm has no leader: quorum is lost' : 'no manager answers' };
    }
    if ('quorum' in c.fields) {
      const q = next.quorum;
      return { kind: 'quorum', id: null, text: `quorum ${q.reachable}/${q.managers} reachable managers (needs ${q.needed})${q.lost ? ': LOST' : ''}` };
    }
    return { kind: 'health', id: null, text: `cluster metadata changed (${Object.keys(c.fields).join(', ')})` };
  }
  const name = nameOf(c.op === 'remove' ? prev : next, c.kind, c.id);
  if (c.op === 'add') return { kind: c.kind, id: c.id, text: `${c.kind} ${name} appeared` };
  if (c.op === 'remove') return { kind: c.kind, id: c.id, text: `${c.kind} ${name} is gone` };
  const f = c.fields;
  const parts: string[] = [];
  if (c.kind === 'node') {
    if ('status' in f) parts.push(`is ${f.status}`);
    if ('leader' in f) parts.push(f.leader ? 'is now the leader' : 'is no longer the leader');
    if ('availability' in f) parts.push(`availability ${f.availability}`);
    if ('role' in f) parts.push(`is now a ${f.role}`);
    if ('reachability' in f) parts.push(`manager ${f.reachability}`);
  } else if (c.kind === 'task') {
    if ('state' in f) parts.push(`is ${f.state}${next.tasks.find((t) => t.id === c.id)?.node ? ` on ${next.tasks.find((t) => t.id === c.id)?.node}` : ''}`);
    if ('desiredState' in f) parts.push(`should be ${f.desiredState}`);
    if ('error' in f && f.error) parts.push(`error: ${f.error}`);
  } else if (c.kind === 'service') {
    if ('replicas' in f) {
      const r = f.replicas as { desired: number; running: number };
      parts.push(`${r.running}/${r.desired} running`);
    }
    if ('image' in f) parts.push(`image ${f.image}`);
    if ('updateStatus' in f && f.updateStatus) parts.push(`update ${(f.updateStatus as { state: string }).state}`);
  }
  if (!parts.length) parts.push(`changed (${Object.keys(f).join(', ')})`);
  return { kind: c.kind, id: c.id, text: `${c.kind === 'node' ? '' : `${c.kind} `}${name} ${parts.join(', ')}` };
}

/** A bounded ring buffer of timeline entries. */
export class Timeline {
  private readonly buffer: TimelineEntry[] = [];
  private seq = 0;
  constructor(readonly capacity = 5000) {}

  record(at: number, changes: readonly ClusterChange[], prev: ClusterState, next: ClusterState): TimelineEntry[] {
    const added = changes.map((change) => ({ seq: ++this.seq, at, change, ...describeChange(change, prev, next) }));
    this.buffer.push(...added);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    return added;
  }

  entries(sinceSeq = 0): TimelineEntry[] {
    return this.buffer.filter((e) => e.seq > sinceSeq);
  }

  toJSON(): { capacity: number; entries: TimelineEntry[] } {
    return { capacity: this.capacity, entries: [...this.buffer] };
  }
}
