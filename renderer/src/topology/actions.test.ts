import { describe, expect, it } from 'vitest';
import { actionsFor, type ActionContext, type NodeRuntime } from './actions.js';
import { makeState, manager, node, service, task } from './testState.js';

const ids = (a: ReturnType<typeof actionsFor>) => a.map((x) => x.id);
const get = (a: ReturnType<typeof actionsFor>, id: string) => a.find((x) => x.id === id);

const three = makeState({
  nodes: [manager('m1', { leader: true }), manager('m2'), manager('m3'), node('w1'), node('w2', { availability: 'drain' }), node('w3', { status: 'down' })],
  services: [service('web', { replicas: { desired: 2, running: 2 } }), service('agent', { mode: 'global' })],
  tasks: [task('t1', 'web', 'w1'), task('t2', 'web', 'm1', { slot: 2 }), task('t3', 'web', 'w1', { state: 'pending', containerId: null, slot: 3 })],
});

describe('node actions', () => {
  const cases: { name: string; id: string; ctx?: ActionContext; state?: ReturnType<typeof makeState>; expected: string[] }[] = [
    { name: 'ready worker', id: 'w1', expected: ['node.terminal', 'node.drain', 'node.promote', 'node.pause', 'node.kill', 'node.disconnect'] },
    { name: 'drained worker', id: 'w2', expected: ['node.terminal', 'node.activate', 'node.promote', 'node.pause', 'node.kill', 'node.disconnect'] },
    { name: 'down worker, runtime unknown', id: 'w3', expected: ['node.terminal', 'node.drain', 'node.promote', 'node.unpause', 'node.start', 'node.reconnect'] },
    { name: 'leader manager', id: 'm1', expected: ['node.terminal', 'node.drain', 'node.demote', 'node.pause', 'node.kill', 'node.disconnect'] },
    { name: 'real cluster: no faults', id: 'w1', ctx: { practice: false }, expected: ['node.terminal', 'node.drain', 'node.promote'] },
  ];
  const runtimes: [NodeRuntime, string[]][] = [
    ['paused', ['node.unpause']],
    ['stopped', ['node.start']],
    ['disconnected', ['node.reconnect']],
    ['running', ['node.pause', 'node.kill', 'node.disconnect']],
  ];
  for (const [rt, faults] of runtimes) cases.push({ name: `down worker whose container is ${rt}`, id: 'w3', ctx: { runtime: () => rt }, expected: ['node.terminal', 'node.drain', 'node.promote', ...faults] });
  for (const c of cases) {
    it(c.name, () => {
      expect(ids(actionsFor({ kind: 'node', id: c.id }, c.state ?? three, c.ctx))).toEqual(c.expected);
    });
  }

  it('terminal is disabled on a node that is not ready', () => {
    expect(get(actionsFor({ kind: 'node', id: 'w3' }, three), 'node.terminal')).toMatchObject({ disabled: true, reason: 'w3 is down' });
    expect(get(actionsFor({ kind: 'node', id: 'w1' }, three), 'node.terminal')?.disabled).toBeUndefined();
  });

  it('kill and disconnect are always destructive; pause only when it loses quorum', () => {
    const a = actionsFor({ kind: 'node', id: 'w1' }, three);
    expect(get(a, 'node.kill')?.destructive).toBe(true);
    expect(get(a, 'node.disconnect')?.destructive).toBe(true);
    expect(get(a, 'node.pause')?.destructive).toBe(false);
    const two = makeState({ nodes: [manager('m1', { leader: true }), manager('m2', { status: 'down', reachability: 'unreachable' }), manager('m3')] });
    const p = get(actionsFor({ kind: 'node', id: 'm1' }, two), 'node.pause')!;
    expect(p.destructive).toBe(true);
    expect(p.confirm).toMatch(/loses quorum/);
  });

  it('drain notes how many tasks move and is not destructive', () => {
    expect(get(actionsFor({ kind: 'node', id: 'w1' }, three), 'node.drain')).toMatchObject({ destructive: false, confirm: 'Moves 2 tasks off w1.' });
  });

  it('demote: destructive when fault tolerance drops, disabled for the last manager', () => {
    // 3 managers tolerate 1 failure; 2 tolerate 0.
    expect(get(actionsFor({ kind: 'node', id: 'm2' }, three), 'node.demote')).toMatchObject({ destructive: true });
    const four = makeState({ nodes: [manager('a', { leader: true }), manager('b'), manager('c'), manager('d')] });
    expect(get(actionsFor({ kind: 'node', id: 'd' }, four), 'node.demote')).toMatchObject({ destructive: false }); // 4 → 3 still tolerates 1
    const one = makeState({ nodes: [manager('solo', { leader: true }), node('w')] });
    expect(get(actionsFor({ kind: 'node', id: 'solo' }, one), 'node.demote')).toMatchObject({ destructive: true, disabled: true });
  });

  it('unknown node → no actions', () => {
    expect(actionsFor({ kind: 'node', id: 'nope' }, three)).toEqual([]);
  });
});

describe('service actions', () => {
  it('replicated service', () => {
    const a = actionsFor({ kind: 'service', id: 'web' }, three);
    expect(ids(a)).toEqual(['service.scale', 'service.forceUpdate', 'service.logs', 'service.remove']);
    expect(get(a, 'service.remove')).toMatchObject({ destructive: true, confirm: 'Remove service web and its 2 running tasks.' });
    expect(a.filter((x) => x.destructive).map((x) => x.id)).toEqual(['service.remove']);
    expect(get(a, 'service.scale')?.disabled).toBeUndefined();
  });
  it('global service cannot be scaled', () => {
    expect(get(actionsFor({ kind: 'service', id: 'agent' }, three), 'service.scale')).toMatchObject({ disabled: true });
  });
  it('unknown service → no actions', () => {
    expect(actionsFor({ kind: 'service', id: 'x' }, three)).toEqual([]);
  });
});

describe('task actions', () => {
  it('running task: shell and logs', () => {
    const a = actionsFor({ kind: 'task', id: 't1' }, three);
    expect(ids(a)).toEqual(['task.shell', 'task.logs']);
    expect(a.every((x) => !x.destructive && !x.disabled)).toBe(true);
  });
  it('pending task: no shell', () => {
    expect(get(actionsFor({ kind: 'task', id: 't3' }, three), 'task.shell')).toMatchObject({ disabled: true, reason: 'The task is pending and has no container.' });
  });
  it('unknown task → no actions', () => {
    expect(actionsFor({ kind: 'task', id: 'x' }, three)).toEqual([]);
  });
});
