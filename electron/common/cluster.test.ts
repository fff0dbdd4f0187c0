import { describe, expect, it } from 'vitest';
import { applyChanges, buildState, computeQuorum, diffStates, emptyState, Timeline, type ApiNode, type ClusterNode } from './cluster.js';

const apiNode = (id: string, host: string, role: 'manager' | 'worker', state = 'ready', extra: Partial<ApiNode> = {}): ApiNode => ({
  ID: id,
  Description: { Hostname: host, Engine: { EngineVersion: '20.10.24' } },
  Spec: { Role: role, Availability: 'active', Labels: {} },
  Status: { State: state, Addr: `172.28.0.${id.length}` },
  ...(role === 'manager' ? { ManagerStatus: { Leader: host === 'manager1', Reachability: 'reachable', Addr: '172.28.0.11:2377' } } : {}),
  ...extra,
});

const raw = () => ({
  nodes: [apiNode('n1', 'manager1', 'manager'), apiNode('n2', 'worker1', 'worker'), apiNode('n3', 'worker2', 'worker')],
  services: [
    {
      ID: 's1',
      Spec: {
        Name: 'shop_web',
        Labels: { 'com.docker.stack.namespace': 'shop' },
        Mode: { Replicated: { Replicas: 3 } },
        TaskTemplate: { ContainerSpec: { Image: 'swarm-lab/web:0.1.0@sha256:abcd' } },
        EndpointSpec: { Mode: 'dnsrr', Ports: [{ PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'host' }] },
      },
    },
    { ID: 's2', Spec: { Name: 'agent', Mode: { Global: {} }, TaskTemplate: { ContainerSpec: { Image: 'agent:1' } } } },
  ],
  tasks: [
    { ID: 't1', ServiceID: 's1', Slot: 1, NodeID: 'n2', DesiredState: 'running', Status: { State: 'running', ContainerStatus: { ContainerID: 'c1' } }, UpdatedAt: '1' },
    { ID: 't2', ServiceID: 's1', Slot: 2, NodeID: 'n3', DesiredState: 'running', Status: { State: 'running' }, UpdatedAt: '1' },
    { ID: 't3', ServiceID: 's1', Slot: 3, NodeID: 'n3', DesiredState: 'running', Status: { State: 'pending', Err: 'no suitable node' }, UpdatedAt: '1' },
  ],
  networks: [{ Id: 'w1', Name: 'ingress', Driver: 'overlay', Scope: 'swarm', Ingress: true, IPAM: { Config: [{ Subnet: '10.0.0.0/24' }] } }],
  secrets: [{ ID: 'x1', Spec: { Name: 'db_password' } }],
  configs: [],
});

describe('cluster model', () => {
  it('builds nodes, services, tasks, stacks and quorum from Engine API objects', () => {
    const s = buildState(raw(), { observedAt: 5, source: 'manager1' });
    expect(s.nodes.map((n) => [n.name, n.role, n.status, n.leader])).toEqual([
      ['manager1', 'manager', 'ready', true],
      ['worker1', 'worker', 'ready', false],
      ['worker2', 'worker', 'ready', false],
    ]);
    expect(s.nodes[0]!.addr).toBe('172.28.0.11');
    const web = s.services.find((x) => x.name === 'shop_web')!;
    expect(web).toMatchObject({ mode: 'replicated', replicas: { desired: 3, running: 2 }, image: 'swarm-lab/web:0.1.0', endpointMode: 'dnsrr', stack: 'shop' });
    expect(web.ports).toEqual([{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }]);
    expect(s.services.find((x) => x.name === 'agent')).toMatchObject({ mode: 'global', replicas: { desired: 3, running: 0 } });
    expect(s.tasks.find((t) => t.id === 't3')).toMatchObject({ service: 'shop_web', node: 'worker2', state: 'pending', error: 'no suitable node', containerId: null });
    expect(s.stacks).toEqual([{ name: 'shop', services: ['shop_web'] }]);
    expect(s.secrets).toEqual([{ id: 'x1', name: 'db_password' }]);
    expect(s.quorum).toEqual({ managers: 1, reachable: 1, needed: 1, tolerates: 0, lost: false });
  });

  const mgr = (reachable: boolean): ClusterNode => ({
    id: Math.random().toString(),
    name: 'm',
    role: 'manager',
    availability: 'active',
    status: 'ready',
    leader: false,
    reachability: reachable ? 'reachable' : 'unreachable',
    addr: '',
    engineVersion: '',
    labels: {},
  });
  it.each([
    [[true], { managers: 1, reachable: 1, needed: 1, tolerates: 0, lost: false }],
    [[true, true, true], { managers: 3, reachable: 3, needed: 2, tolerates: 1, lost: false }],
    [[true, false, true], { managers: 3, reachable: 2, needed: 2, tolerates: 1, lost: false }],
    [[true, false, false], { managers: 3, reachable: 1, needed: 2, tolerates: 1, lost: true }],
    [[true, true, true, true], { managers: 4, reachable: 4, needed: 3, tolerates: 1, lost: false }],
    [[true, true, false, false, false], { managers: 5, reachable: 2, needed: 3, tolerates: 2, lost: true }],
  ])('quorum of %j', (reach, expected) => {
    expect(computeQuorum(reach.map(mgr))).toEqual(expected);
  });

  it('diffs two states and applying the diff reproduces the new state', () => {
    const a = buildState(raw(), { observedAt: 1, source: 'manager1' });
    const r = raw();
    r.nodes[2] = apiNode('n3', 'worker2', 'worker', 'down');
    r.tasks = r.tasks.filter((t) => t.ID !== 't2');
    r.tasks.push({ ID: 't4', ServiceID: 's1', Slot: 2, NodeID: 'n2', DesiredState: 'running', Status: { State: 'running' }, UpdatedAt: '2' });
    const b = buildState(r, { observedAt: 2, source: 'manager1' });
    const changes = diffStates(a, b);
    expect(changes).toContainEqual({ op: 'update', kind: 'node', id: 'n3', fields: { status: 'down' } });
    expect(changes).toContainEqual({ op: 'remove', kind: 'task', id: 't2' });
    expect(changes.find((c) => c.op === 'add' && c.id === 't4')).toBeTruthy();
    const applied = applyChanges(a, changes, 2);
    const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
    expect(sortById(applied.tasks)).toEqual(sortById(b.tasks));
    expect(applied.nodes).toEqual(b.nodes);
    expect(applied.services).toEqual(b.services);
    expect(diffStates(b, b)).toEqual([]);
  });

  it('applies many changes to one collection in order, keeping the objects of unchanged entities', () => {
    const a = buildState(raw(), { observedAt: 1, source: 'manager1' });
    const [first, second, ...rest] = a.tasks;
    const changes = [
      { op: 'remove', kind: 'task', id: first!.id },
      { op: 'update', kind: 'task', id: second!.id, fields: { state: 'failed' } },
      { op: 'add', kind: 'task', id: 'x1', value: { ...second!, id: 'x1' } },
      { op: 'add', kind: 'task', id: first!.id, value: { ...first!, state: 'starting' } }, // back, at the end
      { op: 'remove', kind: 'task', id: 'x1' },
      { op: 'remove', kind: 'task', id: 'nope' },
      { op: 'update', kind: 'task', id: 'nope', fields: { state: 'failed' } },
    ] as Parameters<typeof applyChanges>[1];
    const applied = applyChanges(a, changes, 2);
    expect(applied.tasks.map((t) => t.id)).toEqual([second!.id, ...rest.map((t) => t.id), first!.id]);
    expect(applied.tasks[0]).toMatchObject({ id: second!.id, state: 'failed' });
    expect(applied.tasks.at(-1)).toMatchObject({ id: first!.id, state: 'starting' });
    rest.forEach((t, i) => expect(applied.tasks[i + 1]).toBe(t));
    expect(applied.nodes).toBe(a.nodes); // untouched collections are not copied
    expect(a.tasks[0]).toBe(first); // the old state is left as it was
  });

  it('reports health changes as metadata, and an empty state as unreachable', () => {
    const a = buildState(raw(), { observedAt: 1, source: 'manager1' });
    const b = { ...a, health: 'noLeader' as const, message: 'no leader' };
    expect(diffStates(a, b)).toEqual([{ op: 'meta', fields: { health: 'noLeader', message: 'no leader' } }]);
    expect(emptyState().health).toBe('unreachable');
  });

  it('keeps a bounded timeline with readable lines', () => {
    const t = new Timeline(3);
    const a = buildState(raw(), { observedAt: 1, source: 'manager1' });
    const r = raw();
    r.nodes[2] = apiNode('n3', 'worker2', 'worker', 'down');
    const b = buildState(r, { observedAt: 2, source: 'manager1' });
    const [entry] = t.record(1234, diffStates(a, b), a, b);
    expect(entry).toMatchObject({ seq: 1, at: 1234, kind: 'node', id: 'n3', text: 'worker2 is down' });
    let last = 0;
    for (let i = 0; i < 5; i++) last = t.record(2000 + i, diffStates(a, b), a, b).at(-1)!.seq;
    expect(t.entries().map((e) => e.seq)).toEqual([last - 2, last - 1, last]);
    expect(t.entries(last - 1).map((e) => e.seq)).toEqual([last]);
    expect(JSON.parse(JSON.stringify(t)).entries).toHaveLength(3);
  });
});
