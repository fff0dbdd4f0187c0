/**
 * The live cluster model against real labs: it follows scaling, a node going down, a pause, a
 * drain, a leader election and the loss and return of quorum, and keeps up with swarm itself
 * (within a second of what a manager reports).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState, TimelineEntry } from '../../electron/common/cluster.js';
import { LABEL } from '../../electron/common/lab.js';
import { labManagerSource } from '../../electron/node/cluster/lab-source.js';
import { ClusterWatcher } from '../../electron/node/cluster/watcher.js';
import { ImageBuilder } from '../../electron/node/images/images.js';
import { LabEngine } from '../../electron/node/lab/engine.js';
import { cliPath, runCli, runCliAsync } from '../support/engine.js';
import { until } from '../support/until.js';

const docker = new Docker();
const images = new ImageBuilder(docker);
const engine = new LabEngine({ docker, images });
const labs = new Set<string>();
const watchers: ClusterWatcher[] = [];

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function watch(lab: string): ClusterWatcher {
  const w = new ClusterWatcher(labManagerSource(engine, lab, 500));
  watchers.push(w);
  w.start();
  return w;
}

const node = (s: ClusterState, name: string) => s.nodes.find((n) => n.name === name);
const firstEntry = (w: ClusterWatcher, after: number, match: (e: TimelineEntry) => boolean) => w.timeline.entries().find((e) => e.at >= after && match(e));

beforeAll(async () => {
  await images.ensure(['node', 'web']);
}, 900_000);

afterAll(async () => {
  for (const w of watchers) w.stop();
  for (const l of labs) await engine.destroy(l).catch(() => undefined);
  engine.dispose();
  const left = await docker.listContainers({ all: true, filters: { label: [LABEL.lab] } });
  expect(left.filter((c) => [...labs].includes(c.Labels[LABEL.lab]!))).toEqual([]);
}, 180_000);

describe('a 1m2w lab, watched', () => {
  const lab = 'itest-watch';
  let w: ClusterWatcher;

  beforeAll(async () => {
    labs.add(lab);
    await engine.create({ name: lab, managers: 1, workers: 2, swarm: { dispatcherHeartbeatSeconds: 1 } });
    await engine.loadImages(lab, [images.ref('web')]);
    w = watch(lab);
    await until('the first read', () => w.state, (s) => s.health === 'ok' && s.nodes.length === 3);
  }, 180_000);

  it('reads nodes and quorum like docker node ls', () => {
    expect(w.state.nodes.map((n) => [n.name, n.role, n.status, n.leader])).toEqual([
      ['manager1', 'manager', 'ready', true],
      ['worker1', 'worker', 'ready', false],
      ['worker2', 'worker', 'ready', false],
    ]);
    expect(w.state.quorum).toEqual({ managers: 1, reachable: 1, needed: 1, tolerates: 0, lost: false });
    const cli = JSON.parse(runCli(['status', lab, '--json']).stdout);
    expect(cli.nodes.map((n: { name: string }) => n.name)).toEqual(['manager1', 'worker1', 'worker2']);
    expect(cli.quorum).toEqual(w.state.quorum);
  });

  it('sees a service scale up: tasks appear and run', async () => {
    const m1 = engine.innerClient(`${lab}-manager1`);
    await m1.createService({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: images.ref('web') } }, Mode: { Replicated: { Replicas: 1 } }, EndpointSpec: { Mode: 'dnsrr' } });
    await until('web 1/1', () => w.state.services.find((s) => s.name === 'web')?.replicas, (r) => r?.running === 1 && r.desired === 1);
    const svc = m1.getService('web');
    const spec = (await svc.inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> };
    const scaledAt = Date.now();
    await svc.update({ version: spec.Version.Index, ...spec.Spec, Mode: { Replicated: { Replicas: 4 } } });
    await until('web 4/4', () => w.state.services.find((s) => s.name === 'web')?.replicas, (r) => r?.running === 4 && r.desired === 4, 60_000);
    const running = w.state.tasks.filter((t) => t.service === 'web' && t.state === 'running');
    expect(running).toHaveLength(4);
    expect(new Set(running.map((t) => t.node)).size).toBeGreaterThanOrEqual(2);
    const added = w.timeline.entries().filter((e) => e.at >= scaledAt && e.kind === 'task' && e.change.op === 'add');
    expect(added.length).toBeGreaterThanOrEqual(3);
    expect(added.every((e) => e.at >= scaledAt && e.at <= Date.now())).toBe(true);
  });

  it('sees a killed worker Down within 1 s of the manager reporting it', async () => {
    const m1 = engine.innerClient(`${lab}-manager1`);
    const killedAt = Date.now();
    await engine.fault(lab, 'worker2', 'kill');
    // What the manager itself says, polled as fast as is reasonable.
    const managerSaw = await until(
      'the manager to report worker2 down',
      async () => ((await m1.getNode('worker2').inspect()) as { Status: { State: string } }).Status.State,
      (s) => s === 'down',
      30_000,
      50,
    ).then(() => Date.now());
    await until('the model to show worker2 down', () => node(w.state, 'worker2')?.status, (s) => s === 'down', 5_000, 20);
    const entry = firstEntry(w, killedAt, (e) => e.kind === 'node' && e.change.op === 'update' && e.change.fields.status === 'down');
    expect(entry, 'a timeline entry for worker2 going down').toBeTruthy();
    expect(entry!.text).toBe('worker2 is down');
    const lag = entry!.at - managerSaw;
    console.log(`node down: manager reported it ${managerSaw - killedAt} ms after the kill; model lag ${lag} ms`);
    expect(lag).toBeLessThanOrEqual(1000);
    await engine.fault(lab, 'worker2', 'start');
    await until('worker2 ready again', () => node(w.state, 'worker2')?.status, (s) => s === 'ready', 60_000);
  });

  it('sees a paused worker go down and come back', async () => {
    await engine.fault(lab, 'worker1', 'pause');
    await until('worker1 down while paused', () => node(w.state, 'worker1')?.status, (s) => s === 'down', 30_000);
    await engine.fault(lab, 'worker1', 'unpause');
    await until('worker1 ready', () => node(w.state, 'worker1')?.status, (s) => s === 'ready', 60_000);
  });

  it('sees a drained node lose its tasks to the others', async () => {
    await until('4 web tasks running', () => w.state.tasks.filter((t) => t.service === 'web' && t.state === 'running').length, (n) => n === 4, 60_000);
    await engine.fault(lab, 'worker1', 'drain');
    await until('worker1 drained in the model', () => node(w.state, 'worker1')?.availability, (a) => a === 'drain', 5_000);
    const after = await until(
      'no web task running on worker1, 4 running elsewhere',
      () => w.state.tasks.filter((t) => t.service === 'web' && t.state === 'running'),
      (ts) => ts.length === 4 && ts.every((t) => t.node !== 'worker1'),
      60_000,
    );
    expect(after.every((t) => t.node !== 'worker1')).toBe(true);
    await engine.fault(lab, 'worker1', 'activate');
  });

  it('status --watch prints one JSON object per change', async () => {
    const child = spawn(process.execPath, [cliPath, 'status', lab, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
        buf = buf.slice(nl + 1);
      }
    });
    try {
      await until('the first state', () => lines.length, (n) => n >= 1, 20_000);
      expect(lines[0]).toMatchObject({ quorum: { managers: 1 }, health: 'ok' });
      await engine.fault(lab, 'worker2', 'drain');
      type Line = { nodes: { name: string; availability: string }[] };
      await until('a line showing worker2 drained', () => lines as unknown as Line[], (ls) => ls.some((l) => l.nodes.find((n) => n.name === 'worker2')?.availability === 'drain'), 20_000);
      await engine.fault(lab, 'worker2', 'activate');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode ?? 0).toBe(0);
  });

  it('exports its timeline as JSON with millisecond times', () => {
    const json = JSON.parse(JSON.stringify(w.timeline)) as { capacity: number; entries: TimelineEntry[] };
    expect(json.entries.length).toBeGreaterThan(5);
    expect(json.entries.every((e, i, all) => i === 0 || (e.seq > all[i - 1]!.seq && e.at >= all[i - 1]!.at))).toBe(true);
    expect(Number.isInteger(json.entries[0]!.at)).toBe(true);
  });
});

/**
 * When the raft election that made `container`'s node the leader happened: the last "became leader"
 * line of its daemon log since `since` (earlier rounds of an election can be lost).
 */
async function electedAt(container: string, since: number): Promise<number | undefined> {
  const buf = (await docker.getContainer(container).logs({ stdout: true, stderr: true, since: Math.floor(since / 1000) - 1 })) as unknown as Buffer;
  const times = [...buf.toString('utf8').matchAll(/time="([^"]+)"[^\n]*became leader/g)].map((m) => Date.parse(m[1]!)).filter((t) => t >= since);
  return times.at(-1);
}

describe('a 3-manager lab, watched', () => {
  const lab = 'itest-ha3';
  let w: ClusterWatcher;

  beforeAll(async () => {
    labs.add(lab);
    await engine.create({ name: lab, managers: 3, workers: 0, swarm: { dispatcherHeartbeatSeconds: 1 } });
    w = watch(lab);
    await until('three reachable managers', () => w.state.quorum, (q) => q.managers === 3 && q.reachable === 3, 60_000);
  }, 180_000);

  // A timing measurement of a real election on a shared 2-core machine: one retry, same assertion.
  it('shows the new leader within 1 s of the raft election, while a plain node ls on a follower waits', { retry: 1 }, async () => {
    await until('three reachable managers', () => w.state.quorum, (q) => q.reachable === 3 && q.managers === 3, 90_000);
    const leader = w.state.nodes.find((n) => n.leader)!.name;
    const followers = w.state.nodes.filter((n) => !n.leader).map((n) => n.name);
    const hintsBefore = w.hints;
    const killedAt = Date.now();
    await engine.fault(lab, leader, 'kill');
    try {
      // The naive way: docker node ls on a follower, in a loop, until it shows another leader
      // (asynchronous, so that it does not stall the watcher in this process).
      const naive = (async () => {
        for (;;) {
          const r = await execFileAsync('docker', ['exec', `${lab}-${followers[0]}`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}']).catch(() => ({ stdout: '' }));
          const line = r.stdout.split('\n').find((l) => l.endsWith(' Leader'));
          if (line && !line.startsWith(`${leader} `)) return Date.now();
          if (Date.now() - killedAt > 60_000) return NaN;
        }
      })();
      const newLeader = await until('a new leader in the model', () => w.state.nodes.find((n) => n.leader)?.name, (n) => !!n && n !== leader, 60_000, 20);
      const entry = firstEntry(w, killedAt, (e) => e.kind === 'node' && e.change.op === 'update' && e.change.fields.leader === true);
      expect(entry?.text).toMatch(new RegExp(`^${newLeader} .*is now the leader`));
      const elected = await electedAt(`${lab}-${newLeader}`, killedAt);
      expect(elected, `a "became leader" line in ${newLeader}'s log`).toBeDefined();
      const naiveAt = await naive;
      console.log(`leader change: election ${elected! - killedAt} ms after the kill; model lag ${entry!.at - elected!} ms; naive node ls loop lag ${naiveAt - elected!} ms`);
      expect(entry!.at - elected!).toBeLessThanOrEqual(1000);
      // The followers' logs told the watcher of the election (without that, it asks a hung manager
      // again only every 2 s).
      expect(w.hints).toBeGreaterThan(hintsBefore);
      expect(node(w.state, leader)?.reachability).toBe('unreachable');
      expect(w.state.quorum).toMatchObject({ managers: 3, reachable: 2, lost: false });
    } finally {
      await engine.fault(lab, leader, 'start');
    }
    await until('three reachable managers again', () => w.state.quorum, (q) => q.reachable === 3, 60_000);
  });

  it('reports quorum lost when 2 of 3 managers die, and its recovery', async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (what: string): void => void phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const victims = w.state.nodes.filter((n) => !n.leader).map((n) => n.name).slice(0, 2);
      await Promise.all(victims.map((v) => engine.fault(lab, v, 'kill')));
      phase('killed');
      // First the leader still answers, with two managers unreachable; then it steps down and no
      // manager can answer for the swarm at all.
      await until('quorum lost', () => w.state.quorum, (q) => q.lost && q.reachable === 1, 60_000);
      phase('quorum lost');
      const lost = await until('no leader', () => w.state, (s) => s.health !== 'ok', 60_000);
      phase('no leader');
      expect(lost.quorum.lost).toBe(true);
      expect(lost.message).toMatch(/leader|quorum|answer/);
      expect(w.timeline.entries().some((e) => e.kind === 'health' || e.kind === 'quorum')).toBe(true);
      const cli = await runCliAsync(['status', lab]);
      phase(`status printed (${cli.ms} ms)`);
      expect(cli.status, cli.stderr).toBe(1);
      expect(cli.stdout).toMatch(/QUORUM LOST|UNREACHABLE/);
      // One at a time, as an operator would: the first brings the quorum back with the survivor.
      // Started together, both daemons waited out dockerd's 20 s swarm start-up timeout, and in 2
      // of about 10 CI runs one of them then never answered (Engine 20.10 inside the node; its log
      // stopped in network restore). Should a node's daemon still hang, the engine says so after
      // 90 s with its log, and the node is restarted once, visibly in the printed phases.
      for (const v of victims) {
        try {
          await engine.fault(lab, v, 'start');
        } catch (e) {
          if (!/did not answer within/.test((e as Error).message)) throw e;
          phase(`${v}'s daemon hung, restarting it once`);
          await engine.fault(lab, v, 'kill');
          await engine.fault(lab, v, 'start');
        }
        phase(`${v} started`);
      }
      const back = await until('quorum back', () => w.state, (s) => s.health === 'ok' && !s.quorum.lost && s.quorum.reachable === 3, 90_000);
      phase('quorum back');
      expect(back.nodes.filter((n) => n.leader)).toHaveLength(1);
    } finally {
      console.log(`quorum loss and recovery: ${phases.join(', ')}`);
    }
  }, 600_000); // the sum of its phases' limits, a restart of each node included
});
