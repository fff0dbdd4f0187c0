import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../../electron/common/cluster.js';
import { UNASSIGNED, buildGraph, byChipOrder, chipSpecOf, diffElements, inChipOrder, type ElementOptions, type TopoElement } from './elements.js';
import { PALETTE, hashName, paletteIndex, serviceColour, serviceLegend } from './palette.js';
import { bigState, makeState, manager, node, service, task } from './testState.js';

/** Everything buildGraph makes in one list: boxes, then chips in task order, then networks and edges. */
function buildElements(state: ClusterState, options?: ElementOptions): TopoElement[] {
  const b = buildGraph(state, options);
  const order = new Map(state.tasks.map((t, i) => [`task:${t.id}`, i]));
  const chips = [...b.chipsByBox.values()].flat().sort((x, y) => order.get(x.data.id)! - order.get(y.data.id)!);
  const boxes = b.elements.filter((e) => e.data.kind === 'node' || e.data.kind === 'group');
  return [...boxes, ...chips, ...b.elements.slice(boxes.length)];
}

const byId = (els: TopoElement[], id: string) => els.find((e) => e.data.id === id);
const classesOf = (els: TopoElement[], id: string) => byId(els, id)?.classes.split(' ') ?? [];

describe('buildElements: nodes', () => {
  const cases: { name: string; n: ReturnType<typeof node>; has: string[]; lacks: string[]; label: RegExp }[] = [
    { name: 'ready worker', n: node('w1'), has: ['swarm-node', 'worker', 'status-ready'], lacks: ['manager', 'leader'], label: /^w1\n✔ ready · worker$/ },
    { name: 'leader', n: manager('m1', { leader: true }), has: ['manager', 'leader', 'status-ready'], lacks: ['worker', 'unreachable'], label: /^★ m1\n✔ ready · manager \(leader\)$/ },
    { name: 'follower', n: manager('m2'), has: ['manager'], lacks: ['leader'], label: /^m2\n✔ ready · manager$/ },
    { name: 'down', n: node('w2', { status: 'down' }), has: ['status-down'], lacks: ['status-ready'], label: /✖ down/ },
    { name: 'drain', n: node('w3', { availability: 'drain' }), has: ['status-drain'], lacks: [], label: /⇣ draining/ },
    { name: 'pause availability', n: node('w4', { availability: 'pause' }), has: ['status-paused'], lacks: [], label: /⏸ paused/ },
    { name: 'disconnected', n: node('w5', { status: 'disconnected' }), has: ['status-disconnected'], lacks: [], label: /⚡ disconnected/ },
    { name: 'unknown', n: node('w6', { status: 'unknown' }), has: ['status-unknown'], lacks: [], label: /\? unknown/ },
    { name: 'down beats drain', n: node('w7', { status: 'down', availability: 'drain' }), has: ['status-down'], lacks: ['status-drain'], label: /down/ },
    { name: 'unreachable manager', n: manager('m3', { status: 'down', reachability: 'unreachable' }), has: ['unreachable', 'status-down'], lacks: [], label: /down · manager/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const els = buildElements(makeState({ nodes: [c.n] }));
      const el = byId(els, `node:${c.n.id}`)!;
      expect(el.group).toBe('nodes');
      expect(el.data.kind).toBe('node');
      expect(el.data.entityId).toBe(c.n.id);
      for (const h of c.has) expect(classesOf(els, el.data.id)).toContain(h);
      for (const l of c.lacks) expect(classesOf(els, el.data.id)).not.toContain(l);
      expect(el.data.label).toMatch(c.label);
    });
  }
});

describe('buildElements: tasks', () => {
  const cases: { name: string; t: Partial<ReturnType<typeof task>>; shown: boolean; phase?: string }[] = [
    { name: 'running', t: {}, shown: true, phase: 'running' },
    { name: 'starting', t: { state: 'starting' }, shown: true, phase: 'starting' },
    { name: 'preparing', t: { state: 'preparing' }, shown: true, phase: 'starting' },
    { name: 'pending', t: { state: 'pending' }, shown: true, phase: 'starting' },
    { name: 'assigned', t: { state: 'assigned' }, shown: true, phase: 'starting' },
    { name: 'shut down (history)', t: { state: 'shutdown', desiredState: 'shutdown' }, shown: false },
    { name: 'failed history', t: { state: 'failed', desiredState: 'shutdown' }, shown: false },
    { name: 'complete job', t: { state: 'complete', desiredState: 'complete' }, shown: false },
    { name: 'still running but told to stop', t: { state: 'running', desiredState: 'shutdown' }, shown: true, phase: 'stopping' },
    { name: 'failed but to run again', t: { state: 'failed', desiredState: 'running' }, shown: true, phase: 'failed' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const els = buildElements(makeState({ nodes: [node('n1')], services: [service('web')], tasks: [task('t1', 'web', 'n1', c.t)] }));
      const chip = byId(els, 'task:t1');
      expect(!!chip).toBe(c.shown);
      if (chip) {
        expect(chip.data.parent).toBe('node:n1');
        expect(chip.classes).toContain(`phase-${c.phase}`);
        expect(chip.data.color).toBe(serviceColour('web').bg);
        expect(chip.data.textColor).toBe(serviceColour('web').fg);
        expect(chip.data.label).toContain('web.1');
        expect(chip.data.serviceId).toBe('web');
        expect(chip.data.slotKey).toBe('web.1');
      }
    });
  }

  it('puts tasks without a (known) node into the unassigned group, and only then creates it', () => {
    const s = makeState({ nodes: [node('n1')], tasks: [task('a', 'web', null, { state: 'pending' }), task('b', 'web', 'gone', { slot: 2 })] });
    const els = buildElements(s);
    expect(byId(els, 'task:a')!.data.parent).toBe(UNASSIGNED);
    expect(byId(els, 'task:b')!.data.parent).toBe(UNASSIGNED);
    expect(byId(els, UNASSIGNED)!.data.kind).toBe('group');
    expect(byId(buildElements(makeState({ nodes: [node('n1')], tasks: [task('c', 'web', 'n1')] })), UNASSIGNED)).toBeUndefined();
  });

  it('global tasks (no slot) get no slotKey and fall back to a short id in the label', () => {
    const els = buildElements(makeState({ nodes: [node('n1')], tasks: [task('abcdefgh', 'agent', 'n1', { slot: null })] }));
    expect(byId(els, 'task:abcdefgh')!.data.slotKey).toBeUndefined();
    expect(byId(els, 'task:abcdefgh')!.data.label).toContain('agent.abcdef');
  });

  it('parents always exist and precede their children; ids are unique', () => {
    const els = buildElements(bigState(7, 50, 5), { networks: true });
    const seen = new Set<string>();
    for (const e of els) {
      expect(seen.has(e.data.id)).toBe(false);
      if (e.data.parent) expect(seen.has(e.data.parent)).toBe(true);
      if (e.group === 'edges') {
        expect(seen.has(e.data.source!)).toBe(true);
        expect(seen.has(e.data.target!)).toBe(true);
      }
      seen.add(e.data.id);
    }
  });
});

describe('buildElements: networks', () => {
  const s = makeState({
    nodes: [node('n1'), node('n2', { status: 'down' })],
    networks: [
      { id: 'ing', name: 'ingress', driver: 'overlay', scope: 'swarm', subnets: ['10.0.0.0/24'], attachable: false, ingress: true },
      { id: 'br', name: 'bridge', driver: 'bridge', scope: 'local', subnets: [], attachable: false, ingress: false },
    ],
  });
  it('are off by default', () => {
    expect(buildElements(s).some((e) => e.data.kind === 'network' || e.group === 'edges')).toBe(false);
  });
  it('add swarm-scoped networks and edges to live nodes', () => {
    const els = buildElements(s, { networks: true });
    expect(byId(els, 'network:ing')!.data.label).toBe('⇆ ingress\n10.0.0.0/24');
    expect(classesOf(els, 'network:ing')).toContain('ingress');
    expect(byId(els, 'network:br')).toBeUndefined();
    expect(byId(els, 'edge:ing:n1')).toMatchObject({ group: 'edges', data: { source: 'network:ing', target: 'node:n1' } });
    expect(byId(els, 'edge:ing:n2')).toBeUndefined();
  });
});

describe('diffElements', () => {
  const base = makeState({ nodes: [manager('m1', { leader: true }), node('w1'), node('w2')], services: [service('web')], tasks: [task('t1', 'web', 'w1'), task('t2', 'web', 'w2', { slot: 2 })] });

  it('is empty for identical builds', () => {
    const d = diffElements(buildElements(base), buildElements(structuredClone(base)));
    expect(d).toEqual({ added: [], removed: [], updated: [] });
  });

  const cases: { name: string; next: Parameters<typeof makeState>[0]; added: string[]; removed: string[]; updated: string[] }[] = [
    { name: 'node goes down', next: { ...base, nodes: [base.nodes[0]!, node('w1', { status: 'down' }), base.nodes[2]!] }, added: [], removed: [], updated: ['node:w1'] },
    {
      name: 'leader moves',
      next: { ...base, nodes: [manager('m1', { status: 'down', reachability: 'unreachable' }), node('w1'), node('w2')] },
      added: [],
      removed: [],
      updated: ['node:m1'],
    },
    { name: 'task added', next: { ...base, tasks: [...base.tasks, task('t3', 'web', 'w1', { slot: 3 })] }, added: ['task:t3'], removed: [], updated: [] },
    { name: 'task finished', next: { ...base, tasks: [base.tasks[0]!, { ...base.tasks[1]!, state: 'shutdown', desiredState: 'shutdown' }] }, added: [], removed: ['task:t2'], updated: [] },
    { name: 'task state changes', next: { ...base, tasks: [{ ...base.tasks[0]!, state: 'failed' }, base.tasks[1]!] }, added: [], removed: [], updated: ['task:t1'] },
    { name: 'node removed with its task', next: { ...base, nodes: base.nodes.slice(0, 2), tasks: base.tasks.slice(0, 1) }, added: [], removed: ['node:w2', 'task:t2'], updated: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = diffElements(buildElements(base), buildElements(makeState(c.next)));
      expect(d.added.map((e) => e.data.id)).toEqual(c.added);
      expect(d.removed.map((e) => e.data.id)).toEqual(c.removed);
      expect(d.updated.map((u) => u.next.data.id)).toEqual(c.updated);
    });
  }

  it('a task rescheduled off a dead node: the old chip leaves, a new chip in the same slot arrives elsewhere', () => {
    const prev = buildElements(base);
    const next = buildElements(
      makeState({
        ...base,
        nodes: [base.nodes[0]!, node('w1', { status: 'down' }), base.nodes[2]!],
        tasks: [{ ...base.tasks[0]!, state: 'orphaned', desiredState: 'shutdown' }, base.tasks[1]!, task('t1b', 'web', 'w2', { slot: 1 })],
      }),
    );
    const d = diffElements(prev, next);
    expect(d.removed.map((e) => e.data.id)).toEqual(['task:t1']);
    expect(d.added.map((e) => e.data.id)).toEqual(['task:t1b']);
    // the new chip shares the slot of the one it replaces (the chip layer glides it from there)
    expect(chipSpecOf(d.added[0]!).slotKey).toBe(chipSpecOf(d.removed[0]!).slotKey);
  });

  it('describes a chip for the chip layer once per element: its box, look and phase', () => {
    const els = buildElements(makeState({ ...base, tasks: [{ ...base.tasks[0]!, state: 'starting' }, base.tasks[1]!] }));
    const chip = els.find((e) => e.data.kind === 'task')!;
    const spec = chipSpecOf(chip);
    expect(spec).toMatchObject({ id: chip.data.id, box: chip.data.parent, label: chip.data.label, color: chip.data.color, textColor: chip.data.textColor, phase: 'starting', serviceId: chip.data.serviceId });
    expect(chipSpecOf(chip)).toBe(spec); // the same object: the chip layer skips boxes whose chips are the same
  });

  it('sees class-only changes', () => {
    const a: TopoElement = { group: 'nodes', data: { id: 'x', kind: 'node', label: 'x' }, classes: 'a' };
    expect(diffElements([a], [{ ...a, classes: 'b' }]).updated).toHaveLength(1);
    expect(diffElements([a], [{ ...a, data: { ...a.data, title: 't' } }]).updated).toHaveLength(1);
  });
});

describe('scale', () => {
  it('builds and diffs a 100-node / 3,000-task state correctly', () => {
    const s = bigState(100, 3000, 40);
    const els = buildElements(s, { networks: true });
    expect(els.filter((e) => e.data.kind === 'node')).toHaveLength(100);
    expect(els.filter((e) => e.data.kind === 'task')).toHaveLength(3000);
    expect(els.filter((e) => e.data.kind === 'task' && e.data.parent === 'node:w10')).toHaveLength(30);
    expect(new Set(els.map((e) => e.data.id)).size).toBe(els.length);
    const moved = { ...s, nodes: s.nodes.map((n) => (n.id === 'w10' ? { ...n, status: 'down' as const } : n)) };
    const d = diffElements(els, buildElements(moved, { networks: true }));
    expect(d.updated.map((u) => u.next.data.id)).toEqual(['node:w10']);
    expect(d.removed).toHaveLength(0); // no networks in bigState, so no edges to drop
  });
});

describe('palette', () => {
  it('is stable: fixed hashes and indexes', () => {
    expect(hashName('')).toBe(0x811c9dc5);
    expect(hashName('a')).toBe(0xe40c292c);
    expect(paletteIndex('web')).toBe(hashName('web') % PALETTE.length);
    expect(serviceColour('web')).toBe(serviceColour('web'));
  });
  it('spreads common names over several colours', () => {
    const names = ['web', 'api', 'db', 'redis', 'worker', 'visualizer', 'registry', 'nfs', 'proxy', 'cache'];
    expect(new Set(names.map(paletteIndex)).size).toBeGreaterThanOrEqual(5);
  });
  it('every colour has a text colour with WCAG contrast ≥ 4.5', () => {
    const lum = (hex: string) => {
      const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    for (const p of PALETTE) {
      const [a, b] = [lum(p.bg), lum(p.fg)].sort((x, y) => y - x) as [number, number];
      expect((a + 0.05) / (b + 0.05), p.bg).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('legend lists every service with its colour and counts', () => {
    const s = makeState({ services: [service('api', { replicas: { desired: 3, running: 2 } }), service('web', { stack: 'shop' })] });
    const legend = serviceLegend(s.services);
    expect(legend).toEqual([
      { serviceId: 'api', name: 'api', stack: null, colour: serviceColour('api'), index: paletteIndex('api'), running: 2, desired: 3 },
      { serviceId: 'web', name: 'web', stack: 'shop', colour: serviceColour('web'), index: paletteIndex('web'), running: 1, desired: 1 },
    ]);
  });
});

describe('buildElements: chips of unchanged tasks', () => {
  it('reuses the element of a task object it has seen, and builds anew what changed', () => {
    const svc = service('s1', { name: 'web' });
    const [a, b] = [task('t1', 's1', 'w1', { service: 'web', slot: 1 }), task('t2', 's1', 'w1', { service: 'web', slot: 2 })];
    const state = makeState({ nodes: [node('w1'), node('w2')], services: [svc], tasks: [a, b] });
    const first = buildElements(state);
    // a live update replaces the changed task's object only (applyChanges)
    const moved = { ...b, nodeId: 'w2', node: 'w2' };
    const second = buildElements({ ...state, tasks: [a, moved] });
    expect(byId(second, 'task:t1')).toBe(byId(first, 'task:t1'));
    expect(byId(second, 'task:t2')).not.toBe(byId(first, 'task:t2'));
    expect(byId(second, 'task:t2')!.data.parent).toBe('node:w2');
    expect(diffElements(first, second).updated.map((u) => u.next.data.id)).toEqual(['task:t2']);
  });

  it('builds the chip again when its node leaves the state, though the task object is the same', () => {
    const a = task('t1', 's1', 'w1', { service: 'web', slot: 1 });
    const state = makeState({ nodes: [node('w1')], services: [service('s1', { name: 'web' })], tasks: [a] });
    expect(byId(buildElements(state), 'task:t1')!.data.parent).toBe('node:w1');
    expect(byId(buildElements({ ...state, nodes: [] }), 'task:t1')!.data.parent).toBe(UNASSIGNED);
    expect(byId(buildElements(state), 'task:t1')!.data.parent).toBe('node:w1');
  });
});

describe('buildGraph from the build before', () => {
  /** Each box's chip ids, boxes in id order: what must not depend on how a build was made. */
  const lists = (b: ReturnType<typeof buildGraph>): [string, string[]][] =>
    [...b.chipsByBox].map(([box, l]): [string, string[]] => [box, l.map((e) => e.data.id)]).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const base = bigState(10, 200, 5);
  const changes: { name: string; change: (s: ClusterState) => ClusterState }[] = [
    { name: 'nothing (the same tasks in a new list)', change: (s) => ({ ...s, tasks: [...s.tasks] }) },
    { name: 'one task replaced in place', change: (s) => ({ ...s, tasks: s.tasks.map((t, i) => (i === 17 ? { ...t, state: 'starting' } : t)) }) },
    { name: 'one task moved to another node', change: (s) => ({ ...s, tasks: s.tasks.map((t, i) => (i === 17 ? { ...t, nodeId: 'w5', node: 'w5' } : t)) }) },
    { name: 'a task removed', change: (s) => ({ ...s, tasks: s.tasks.filter((_, i) => i !== 40) }) },
    { name: 'three tasks in a row removed', change: (s) => ({ ...s, tasks: s.tasks.filter((_, i) => i < 40 || i > 42) }) },
    { name: 'eight tasks in a row removed', change: (s) => ({ ...s, tasks: s.tasks.filter((_, i) => i < 40 || i > 47) }) },
    { name: 'three tasks in a row inserted', change: (s) => ({ ...s, tasks: [...s.tasks.slice(0, 50), ...[1, 2, 3].map((k) => task(`new${k}`, 'svc1', 'm0', { slot: 90 + k })), ...s.tasks.slice(50)] }) },
    { name: 'the first and the last task removed', change: (s) => ({ ...s, tasks: s.tasks.slice(1, -1) }) },
    { name: 'a node goes down: its tasks removed, replacements appended', change: (s) => ({ ...s, tasks: [...s.tasks.filter((t) => t.nodeId !== 'w4'), ...s.tasks.filter((t) => t.nodeId === 'w4').map((t, k) => task(`n${t.id}`, t.serviceId, `w${5 + (k % 5)}`, { slot: t.slot }))] }) },
    { name: 'a task inserted', change: (s) => ({ ...s, tasks: [...s.tasks.slice(0, 50), task('new', 'svc1', 'm0', { slot: 99 }), ...s.tasks.slice(50)] }) },
    { name: 'a task stops being shown', change: (s) => ({ ...s, tasks: s.tasks.map((t, i) => (i === 3 ? { ...t, desiredState: 'shutdown', state: 'shutdown' } : t)) }) },
    { name: 'tasks in another order', change: (s) => ({ ...s, tasks: [...s.tasks].reverse() }) },
    { name: 'a node changes status (same nodes)', change: (s) => ({ ...s, nodes: s.nodes.map((n) => (n.id === 'w4' ? { ...n, status: 'down' as const } : n)) }) },
    { name: 'a node leaves the state', change: (s) => ({ ...s, nodes: s.nodes.filter((n) => n.id !== 'w4') }) },
    { name: 'every task replaced', change: (s) => ({ ...s, tasks: s.tasks.map((t) => ({ ...t })) }) },
  ];
  for (const c of changes) {
    it(`${c.name}: the same as a build from nothing`, () => {
      const before = buildGraph(base);
      const next = c.change(base);
      const incremental = buildGraph(next, {}, before);
      expect(lists(incremental)).toEqual(lists(buildGraph(next)));
      expect(incremental.elements.map((e) => e.data.id)).toEqual(buildGraph(next).elements.map((e) => e.data.id));
      // and the build after it, from it, too
      const again = c.change(next);
      expect(lists(buildGraph(again, {}, incremental))).toEqual(lists(buildGraph(again)));
    });
  }

  it('matches a build from nothing after any run of random changes', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let state = base;
    let build = buildGraph(state);
    for (let round = 0; round < 300; round++) {
      const tasks = [...state.tasks];
      for (let k = 1 + rand(4); k > 0; k--) {
        const i = rand(tasks.length);
        const op = rand(5);
        if (op === 0) tasks.splice(i, 1);
        else if (op === 1) tasks.splice(i, 0, task(`x${round}.${k}`, `svc${rand(5)}`, rand(12) < 10 ? `w${3 + rand(7)}` : null, { slot: rand(50) }));
        else if (op === 2) tasks[i] = { ...tasks[i]!, nodeId: `w${3 + rand(7)}` };
        else if (op === 3 && i + 1 < tasks.length) [tasks[i], tasks[i + 1]] = [tasks[i + 1]!, tasks[i]!];
        else tasks[i] = { ...tasks[i]!, state: 'starting' };
      }
      state = { ...state, tasks };
      build = buildGraph(state, {}, build);
      expect(lists(build), `round ${round}`).toEqual(lists(buildGraph(state)));
    }
  });

  it('gives a box none of whose tasks changed the same list, and builds anew only the boxes that changed', () => {
    const before = buildGraph(base);
    const moved = base.tasks.findIndex((t) => t.nodeId === 'w4');
    const next = buildGraph({ ...base, tasks: base.tasks.map((t, i) => (i === moved ? { ...t, nodeId: 'w5', node: 'w5' } : t)) }, {}, before);
    const rebuilt = [...next.chipsByBox].filter(([box, list]) => before.chipsByBox.get(box) !== list).map(([box]) => box);
    expect(rebuilt.sort()).toEqual(['node:w4', 'node:w5']);
    expect(next.elements[4]).toBe(before.elements[4]); // a box of an unchanged node object is the same element
  });
});

describe('inChipOrder', () => {
  /** A seeded random number in [0, 1) (mulberry32), so a failure repeats. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let made = 0;
  const chip = (service: string, slot: number): TopoElement => {
    const id = `t${made++}`;
    return { group: 'nodes', data: { id: `task:${id}`, kind: 'task', label: id, parent: 'node:a', order: `${service}\u0000${String(slot).padStart(6, '0')}\u0000${id}` }, classes: 'task phase-running' };
  };

  it('orders a box by service, slot and id, without changing the list it is given', () => {
    const [a2, b1, a1] = [chip('api', 2), chip('db', 1), chip('api', 1)];
    const list = [a2, b1, a1];
    expect(inChipOrder(list)).toEqual([a1, a2, b1]);
    expect(list).toEqual([a2, b1, a1]);
  });

  it('gives the order a whole sort gives, whatever stayed, came and went, over 400 random updates', () => {
    const next = random(7);
    const services = ['api', 'web', 'db', 'cache', 'queue'];
    let list: TopoElement[] = [];
    let ordered: TopoElement[] | undefined;
    let merged = 0;
    for (let round = 0; round < 400; round++) {
      // some go, some come (at random places in task order), sometimes most of the box is new
      const keep = next() < 0.1 ? 0.2 : 0.9;
      list = list.filter(() => next() < keep);
      const comes = Math.floor(next() * (next() < 0.2 ? 40 : 6));
      for (let i = 0; i < comes; i++) list.splice(Math.floor(next() * (list.length + 1)), 0, chip(services[Math.floor(next() * services.length)]!, Math.floor(next() * 30)));
      if (ordered && ordered.filter((e) => list.includes(e)).length * 2 >= list.length && list.length) merged++;
      const got = inChipOrder(list, ordered);
      expect(got).toEqual(list.slice().sort(byChipOrder));
      expect(got).not.toBe(list);
      ordered = got;
    }
    expect(merged).toBeGreaterThan(200); // (the way through the chips that stayed was taken, not only the whole sort)
  });
});
