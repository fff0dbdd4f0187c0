/** Small ClusterState builders for the topology unit tests (not used by the app). */
import { computeQuorum, emptyState, type ClusterNode, type ClusterService, type ClusterState, type ClusterTask } from '../../../electron/common/cluster.js';

export const node = (id: string, over: Partial<ClusterNode> = {}): ClusterNode => ({
  id,
  name: id,
  role: 'worker',
  availability: 'active',
  status: 'ready',
  leader: false,
  reachability: null,
  addr: '10.0.0.1',
  engineVersion: '28.0.0',
  labels: {},
  ...over,
});

export const manager = (id: string, over: Partial<ClusterNode> = {}): ClusterNode =>
  node(id, { role: 'manager', reachability: 'reachable', ...over });

export const service = (id: string, over: Partial<ClusterService> = {}): ClusterService => ({
  id,
  name: id,
  mode: 'replicated',
  replicas: { desired: 1, running: 1 },
  image: 'nginx',
  ports: [],
  endpointMode: 'vip',
  updateStatus: null,
  stack: null,
  ...over,
});

export const task = (id: string, svc: string, nodeId: string | null, over: Partial<ClusterTask> = {}): ClusterTask => ({
  id,
  serviceId: svc,
  service: svc,
  slot: 1,
  nodeId,
  node: nodeId,
  desiredState: 'running',
  state: 'running',
  error: null,
  containerId: `c-${id}`,
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

export function makeState(parts: Partial<ClusterState>): ClusterState {
  const s = { ...emptyState(1), health: 'ok' as const, message: null, ...parts };
  return { ...s, quorum: parts.quorum ?? computeQuorum(s.nodes) };
}

/** A big state: `nodes` nodes (3 managers), `tasks` tasks spread over services and nodes. */
export function bigState(nodes: number, tasks: number, services = 40): ClusterState {
  const ns = Array.from({ length: nodes }, (_, i) => (i < 3 ? manager(`m${i}`, { leader: i === 0 }) : node(`w${i}`)));
  const ss = Array.from({ length: services }, (_, i) => service(`svc${i}`));
  const ts = Array.from({ length: tasks }, (_, i) => task(`t${i}`, `svc${i % services}`, ns[i % nodes]!.id, { slot: Math.floor(i / services) + 1 }));
  return makeState({ nodes: ns, services: ss, tasks: ts });
}
