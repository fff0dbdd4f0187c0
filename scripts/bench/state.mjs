#!/usr/bin/env node
// `npm run bench:state`: how far the live cluster model lags behind swarm, next to a naive
// `docker node ls` polling loop measured in the same run, for a worker going down and for a leader
// change; and what the watcher costs at rest for a 5-node lab with 50 tasks (CPU, memory, API
// calls per second, and the dial-stdio processes it keeps in the managers, at rest and at most
// during the election). Writes bench-results/state.json.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => pathToFileURL(join(root, 'dist', 'electron', 'node', p)).href;
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REST_SECONDS = Number(process.env.REST_SECONDS ?? 30);

const { createLabEngine } = await import(dist('lab/index.js'));
const { labManagerSource } = await import(dist('cluster/lab-source.js'));
const { ClusterWatcher } = await import(dist('cluster/watcher.js'));
const { scaleService } = await import(dist('cluster/services.js'));

const engine = createLabEngine();
const lab = 'bench-state';
await engine.destroy(lab);
const [web] = await engine.images.ensure(['node', 'web']).then((r) => r.slice(1));
console.error('creating a 3m2w lab with a 1 s dispatcher heartbeat…');
await engine.create({ name: lab, managers: 3, workers: 2, swarm: { dispatcherHeartbeatSeconds: 1 } });
await engine.loadImages(lab, [web.ref]);
const m1 = engine.innerClient(`${lab}-manager1`);
// Up to 50 replicas ten at a time: 50 containers starting at once on two cores can keep the nodes
// from sending their 1 s heartbeats, and swarm then reschedules tasks for minutes.
await m1.createService({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: web.ref } }, Mode: { Replicated: { Replicas: 10 } }, EndpointSpec: { Mode: 'dnsrr' } });
for (let replicas = 10; ; replicas += 10) {
  const end = Date.now() + 120_000;
  for (;;) {
    const tasks = await m1.listTasks({ filters: JSON.stringify({ service: ['web'], 'desired-state': ['running'] }) });
    if (tasks.filter((t) => t.Status?.State === 'running').length >= replicas) break;
    if (Date.now() > end) throw new Error(`web did not reach ${replicas} running tasks within 120 s`);
    await sleep(500);
  }
  if (replicas === 50) break;
  await scaleService(engine, lab, 'web', replicas + 10);
}

const watcher = new ClusterWatcher(labManagerSource(engine, lab));
watcher.start();
const until = async (ok, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
};
await until(() => watcher.state.tasks.filter((t) => t.state === 'running').length === 50);
console.error('50 tasks running; measuring the watcher at rest…');

/** The `docker system dial-stdio` processes now running in the lab's managers (`docker top`, no exec). */
async function dialStdio() {
  let n = 0;
  for (const c of await engine.docker.listContainers({ filters: { name: [`${lab}-manager`] } })) {
    const top = await engine.docker.getContainer(c.Id).top({ ps_args: '-o pid,args' }).catch(() => ({ Processes: [] }));
    n += (top.Processes ?? []).filter((p) => /docker system dial-stdio/.test(p.join(' '))).length;
  }
  return n;
}
/** Samples dialStdio() until the returned function is called; that resolves to the highest count. */
function peakDialStdio() {
  let peak = 0;
  let on = true;
  const done = (async () => {
    while (on) {
      peak = Math.max(peak, await dialStdio());
      await sleep(250);
    }
    return peak;
  })();
  return () => {
    on = false;
    return done;
  };
}

// ── at rest ──
await sleep(3000);
const calls0 = watcher.calls;
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await sleep(REST_SECONDS * 1000);
const cpu = process.cpuUsage(cpu0);
const wall = Date.now() - t0;
const rest = {
  seconds: wall / 1000,
  cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
  apiCallsPerSecond: Math.round(((watcher.calls - calls0) / (wall / 1000)) * 10) / 10,
  rssMiB: Math.round(process.memoryUsage().rss / 1048576),
  heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
  nodes: watcher.state.nodes.length,
  tasks: watcher.state.tasks.length,
  dialStdioInManagers: await dialStdio(),
};
console.log(`at rest: ${rest.cpuPercent}% of one core, ${rest.apiCallsPerSecond} API calls/s, RSS ${rest.rssMiB} MiB (heap ${rest.heapUsedMiB} MiB), ${rest.nodes} nodes, ${rest.tasks} tasks, ${rest.dialStdioInManagers} dial-stdio processes in the managers`);

/** A naive loop: `docker exec MANAGER docker node ls`, one after another, until `seen(output)`. */
async function naive(manager, seen, since) {
  for (;;) {
    const r = await run('docker', ['exec', `${lab}-${manager}`, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']).catch(() => ({ stdout: '' }));
    if (seen(r.stdout)) return Date.now();
    if (Date.now() - since > 120_000) return NaN;
  }
}
const firstEntry = (after, match) => watcher.timeline.entries().find((e) => e.at >= after && match(e));

// ── node down ──
const killed = Date.now();
await engine.fault(lab, 'worker2', 'kill');
const naiveDown = naive('manager2', (out) => /^worker2 Down/m.test(out), killed);
let managerSaw;
while (!managerSaw) {
  const n = await m1.getNode('worker2').inspect().catch(() => undefined);
  if (n?.Status?.State === 'down') managerSaw = Date.now();
  else await sleep(25);
}
await until(() => firstEntry(killed, (e) => e.kind === 'node' && e.change.fields?.status === 'down'));
const downEntry = firstEntry(killed, (e) => e.kind === 'node' && e.change.fields?.status === 'down');
const nodeDown = { managerReportedMs: managerSaw - killed, modelLagMs: downEntry.at - managerSaw, naiveLagMs: (await naiveDown) - managerSaw };
console.log(`node down: manager reported it ${nodeDown.managerReportedMs} ms after the kill; model lag ${nodeDown.modelLagMs} ms; naive loop lag ${nodeDown.naiveLagMs} ms`);
await engine.fault(lab, 'worker2', 'start');
await until(() => watcher.state.nodes.find((n) => n.name === 'worker2')?.status === 'ready');

// ── leader change ──
const oldLeader = watcher.state.nodes.find((n) => n.leader).name;
const follower = watcher.state.nodes.find((n) => n.role === 'manager' && !n.leader).name;
const stopSampling = peakDialStdio();
const killedLeader = Date.now();
await engine.fault(lab, oldLeader, 'kill');
const naiveLeader = naive(follower, (out) => out.split('\n').some((l) => l.endsWith(' Leader') && !l.startsWith(`${oldLeader} `)), killedLeader);
await until(() => firstEntry(killedLeader, (e) => e.kind === 'node' && e.change.fields?.leader === true));
const leaderEntry = firstEntry(killedLeader, (e) => e.kind === 'node' && e.change.fields?.leader === true);
const newLeader = watcher.state.nodes.find((n) => n.leader).name;
const logs = (await run('docker', ['logs', '--since', String(Math.floor(killedLeader / 1000) - 1), `${lab}-${newLeader}`])).stderr;
const elected = [...logs.matchAll(/time="([^"]+)"[^\n]*became leader/g)].map((m) => Date.parse(m[1])).filter((t) => t >= killedLeader).at(-1);
const naiveLeaderAt = await naiveLeader;
const peakProcesses = await stopSampling();
const leaderChange = {
  electionMs: elected - killedLeader,
  modelLagMs: leaderEntry.at - elected,
  naiveLagMs: naiveLeaderAt - elected,
  naiveSawItMsAfterKill: naiveLeaderAt - killedLeader,
  peakDialStdioInManagers: peakProcesses,
};
console.log(`leader change: election ${leaderChange.electionMs} ms after the kill; model lag ${leaderChange.modelLagMs} ms; naive loop lag ${leaderChange.naiveLagMs} ms; at most ${peakProcesses} dial-stdio processes in the managers`);

watcher.stop();
await engine.destroy(lab);
engine.dispose();
const results = { date: new Date().toISOString(), rest, nodeDown, leaderChange };
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'state.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench-results/state.json');
