/**
 * The watcher's scheduling during a leader election, against a scripted engine (the real-swarm
 * behaviour is covered by test/integration/cluster.test.ts): every manager's /nodes hangs until
 * the election ends, then the new leader answers. Probes that hang must not hold back the next
 * ones, so the model sees the new leader within a couple of poll intervals of the hint that it
 * serves, not after a hung probe's timeout; and a manager that hangs is not asked every round.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiNode } from '../../common/cluster.js';
import { EngineTimeoutError, type EngineApi } from './engine-api.js';
import { ClusterWatcher } from './watcher.js';

const node = (id: string, leader: boolean): ApiNode => ({
  ID: id,
  Description: { Hostname: id, Engine: { EngineVersion: '20.10' } },
  Spec: { Role: 'manager', Availability: 'active' },
  Status: { State: 'ready', Addr: '10.0.0.1' },
  ManagerStatus: { Leader: leader, Reachability: 'reachable' },
});

/**
 * Three managers; `leader` names the one that serves (undefined: an election). As in swarm, a call
 * made during the election hangs until its timeout even if a leader is elected meanwhile; calls
 * made after it answer. `kill()` ends the event stream the watcher follows, as a dying leader does;
 * `elect(name)` ends the election and, as a lab's daemon logs, gives the watcher a hint.
 */
function cluster() {
  const world = { leader: 'm1' as string | undefined };
  const ends: ((error?: Error) => void)[] = [];
  const hints = new Set<() => void>();
  const probes: Record<string, number> = { m1: 0, m2: 0, m3: 0 };
  const apis: EngineApi[] = ['m1', 'm2', 'm3'].map((name) => ({
    name,
    calls: 0,
    warm: () => Promise.resolve(),
    events: (_query, _onEvent, onEnd) => {
      ends.push(onEnd);
      return () => undefined;
    },
    get<T>(path: string, timeoutMs: number): Promise<T> {
      if (path === '/nodes') probes[name]!++;
      if (world.leader) return Promise.resolve((path.startsWith('/nodes') ? ['m1', 'm2', 'm3'].map((id) => node(id, id === world.leader)) : []) as T);
      return new Promise<T>((_resolve, reject) => setTimeout(() => reject(new EngineTimeoutError(name, timeoutMs)), timeoutMs));
    },
  }));
  const kill = (): void => {
    world.leader = undefined;
    for (const end of ends.splice(0)) end(new Error('connection lost'));
  };
  const elect = (name: string): void => {
    world.leader = name;
    for (const h of hints) h();
  };
  const hinting = {
    managers: () => Promise.resolve(apis),
    hints(onHint: () => void) {
      hints.add(onHint);
      return () => void hints.delete(onHint);
    },
  };
  return { world, kill, elect, probes, hints, source: { managers: () => Promise.resolve(apis) }, hinting };
}

let watcher: ClusterWatcher | undefined;
afterEach(() => watcher?.stop());

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ClusterWatcher during a leader election', () => {
  it('sees the new leader within a few poll intervals of the hint that it serves, although earlier probes still hang', async () => {
    const { kill, elect, hints, hinting } = cluster();
    watcher = new ClusterWatcher(hinting, { degradedPollMs: 50, degradedProbeTimeoutMs: 2000, restPollMs: 1000 });
    watcher.start();
    expect(hints.size).toBe(1);
    await until(() => watcher!.state.nodes.find((n) => n.leader)?.name === 'm1', 2000);

    kill(); // the leader dies: its event stream ends, every call hangs
    await new Promise((r) => setTimeout(r, 700)); // probes now hang
    elect('m2');
    const elected = Date.now();
    await until(() => watcher!.state.nodes.find((n) => n.leader)?.name === 'm2', 3000);
    // a hung probe would have held the model back until its 2 s timeout
    expect(Date.now() - elected).toBeLessThan(400);
    expect(watcher.hints).toBe(1);
    watcher.stop();
    expect(hints.size).toBe(0);
  });

  it('asks a manager that hangs again only every hungRetryMs, the rounds between sharing its probe', async () => {
    const { world, kill, probes, source } = cluster();
    watcher = new ClusterWatcher(source, { degradedPollMs: 20, degradedProbeTimeoutMs: 100, hungRetryMs: 400, restPollMs: 1000 });
    watcher.start();
    await until(() => watcher!.state.health === 'ok', 2000);
    kill();
    const before = { ...probes };
    await new Promise((r) => setTimeout(r, 1000));
    // Rounds every ~40 ms would have asked each manager ~25 times; at one probe per 400 ms, 3.
    for (const m of ['m1', 'm2', 'm3']) expect(probes[m]! - before[m]!).toBeLessThanOrEqual(4);
    expect(watcher.state.health).toBe('unreachable');
    // Without a hint, a leader elected now is seen at the next probe, within hungRetryMs.
    world.leader = 'm3';
    const elected = Date.now();
    await until(() => watcher!.state.nodes.find((n) => n.leader)?.name === 'm3', 2000);
    expect(Date.now() - elected).toBeLessThan(700);
  });

  it('uses an answer that comes after the round stopped waiting (a slow manager is not a dead one)', async () => {
    const { source } = cluster();
    const [m1] = await source.managers();
    const fast = m1!.get.bind(m1);
    for (const api of await source.managers()) {
      // every call takes three poll intervals
      api.get = <T,>(path: string, timeoutMs: number) => new Promise<T>((r) => setTimeout(r, 150)).then(() => fast<T>(path, timeoutMs));
    }
    watcher = new ClusterWatcher(source, { degradedPollMs: 50, degradedProbeTimeoutMs: 2000, restPollMs: 1000 });
    watcher.start();
    await until(() => watcher!.state.health === 'ok' && watcher!.state.nodes.length === 3, 3000);
  });

  it('refresh() on a watcher that was never started resolves with the state read, even when the answer is late', async () => {
    const { source } = cluster();
    for (const api of await source.managers()) {
      const fast = api.get.bind(api);
      api.get = <T,>(path: string, timeoutMs: number) => new Promise<T>((r) => setTimeout(r, 120)).then(() => fast<T>(path, timeoutMs));
    }
    watcher = new ClusterWatcher(source, { degradedPollMs: 30 });
    await watcher.refresh();
    expect(watcher.state.health).toBe('ok');
    expect(watcher.state.nodes.map((n) => n.name)).toEqual(['m1', 'm2', 'm3']);
  });

  it('still reports no manager answering when every probe fails', async () => {
    const { kill, source } = cluster();
    watcher = new ClusterWatcher(source, { degradedPollMs: 30, degradedProbeTimeoutMs: 150, restPollMs: 1000 });
    watcher.start();
    await until(() => watcher!.state.health === 'ok', 2000);
    kill();
    await until(() => watcher!.state.health === 'unreachable', 2000);
    expect(watcher.state.message).toMatch(/^No manager answers: m1: m1 did not answer within 150 ms/);
    expect(watcher.state.message).toMatch(/ms\. Check that the managers are running and not paused; the swarm shows again as soon as one answers\.$/);
    expect(watcher.state.quorum.lost).toBe(true);
  });
});
