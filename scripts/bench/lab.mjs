#!/usr/bin/env node
// `npm run bench:lab`: time to a Ready swarm with `swarm-lab up` against a baseline of raw
// `docker run` + `docker exec … swarm init/join` with the same image and the same privileges, both
// measured in this run; and the memory of idle nodes. Writes bench-results/lab.json.
// Options: RUNS=3 (runs per case).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, sleep } from './figures.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => pathToFileURL(join(root, 'dist', 'electron', 'node', p)).href;
const RUNS = Number(process.env.RUNS ?? 3);
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const tryDocker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });

const { default: Docker } = await import('dockerode');
const { ImageBuilder } = await import(dist('images/images.js'));
const { detectPrivileges, hostCapabilities } = await import(dist('docker/privilege-probe.js'));
const { ALL_CAPABILITIES } = await import(dist('docker/privileges.js'));
const { realKernelFs } = await import(dist('doctor/kernel.js'));

const engine = new Docker();
const images = new ImageBuilder(engine);
const [nodeImage] = await images.ensure(['node'], { onProgress: (p) => console.error(`[images] ${p.message}`) });
const caps = hostCapabilities(realKernelFs);
const priv = await detectPrivileges(engine, (await engine.version()).Arch, caps);
const privFlags = priv.mode === 'privileged'
  ? ['--privileged', '--cgroupns', 'private']
  : ['--cap-add', 'ALL', ...ALL_CAPABILITIES.filter((c) => caps && !caps.includes(c)).flatMap((c) => ['--cap-drop', c]),
     '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined', '--cgroupns', 'private'];

/** The floor: the same nodes with nothing but docker run/exec. */
async function baseline(managers, workers) {
  const net = 'swarmlab-bench-raw';
  const subnet = '172.31.240.0/24';
  const nodes = [...Array.from({ length: managers }, (_, i) => [`manager${i + 1}`, 11 + i]), ...Array.from({ length: workers }, (_, i) => [`worker${i + 1}`, 21 + i])];
  const t0 = Date.now();
  docker('network', 'create', '--subnet', subnet, '--label', 'io.swarmlab.lab=bench-raw', net);
  await Promise.all(nodes.map(([n, ip]) => new Promise((resolve, reject) => {
    const r = spawnSync('docker', ['run', '-d', '--name', `bench-raw-${n}`, '--hostname', n, '--network', net, '--ip', `172.31.240.${ip}`,
      '--label', 'io.swarmlab.lab=bench-raw', '--tmpfs', '/run', '--tmpfs', '/tmp', '-v', `/var/lib/docker`, ...privFlags, nodeImage.ref], { encoding: 'utf8' });
    r.status === 0 ? resolve() : reject(new Error(r.stderr));
  })));
  for (const [n] of nodes) while (tryDocker('exec', `bench-raw-${n}`, 'docker', 'version', '-f', '{{.Server.Version}}').status !== 0) await sleep(50);
  docker('exec', 'bench-raw-manager1', 'docker', 'swarm', 'init', '--advertise-addr', '172.31.240.11');
  const wt = docker('exec', 'bench-raw-manager1', 'docker', 'swarm', 'join-token', '-q', 'worker');
  const mt = docker('exec', 'bench-raw-manager1', 'docker', 'swarm', 'join-token', '-q', 'manager');
  const join = ([n, ip]) => tryDocker('exec', `bench-raw-${n}`, 'docker', 'swarm', 'join', '--advertise-addr', `172.31.240.${ip}`, '--token', n.startsWith('manager') ? mt : wt, '172.31.240.11:2377');
  for (const m of nodes.filter(([n]) => n.startsWith('manager') && n !== 'manager1')) join(m);
  await Promise.all(nodes.filter(([n]) => n.startsWith('worker')).map((w) => new Promise((r) => r(join(w)))));
  while (tryDocker('exec', 'bench-raw-manager1', 'docker', 'node', 'ls', '--format', '{{.Status}}').stdout.split('\n').filter((s) => s === 'Ready').length < nodes.length) await sleep(50);
  const ms = Date.now() - t0;
  for (const [n] of nodes) tryDocker('rm', '-f', '-v', `bench-raw-${n}`);
  tryDocker('network', 'rm', net);
  return ms;
}

function ours(preset) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'swarm-lab.js'), 'up', '--name', 'bench', '--preset', preset], { encoding: 'utf8' });
  const ms = Date.now() - t0;
  if (r.status !== 0) throw new Error(`swarm-lab up failed: ${r.stderr}`);
  return ms;
}

function memory() {
  const out = docker('stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ...docker('ps', '-q', '--filter', 'label=io.swarmlab.lab=bench').split('\n'));
  return Object.fromEntries(out.split('\n').map((l) => {
    const [name, used] = l.split(' ');
    const m = used.match(/([\d.]+)(KiB|MiB|GiB)/);
    const mib = Number(m[1]) * ({ KiB: 1 / 1024, MiB: 1, GiB: 1024 }[m[2]]);
    return [name.replace(/^bench-/, ''), Math.round(mib * 10) / 10];
  }));
}

const results = { date: new Date().toISOString(), privileges: priv.mode, image: nodeImage.ref, runs: RUNS, cases: [] };
for (const [preset, m, w] of [['1m2w', 1, 2], ['3m2w', 3, 2]]) {
  const base = [];
  const app = [];
  let mem;
  for (let i = 0; i < RUNS; i++) {
    base.push(await baseline(m, w));
    app.push(ours(preset));
    if (i === RUNS - 1) {
      await sleep(10_000);
      mem = memory();
    }
    spawnSync(process.execPath, [join(root, 'bin', 'swarm-lab.js'), 'down', 'bench'], { encoding: 'utf8' });
  }
  const c = { preset, baselineMs: median(base), upMs: median(app), ratio: Math.round((median(app) / median(base)) * 100) / 100, baselineRuns: base, upRuns: app, idleMemoryMiB: mem };
  results.cases.push(c);
  console.log(`${preset}: swarm-lab up ${(c.upMs / 1000).toFixed(2)} s vs raw docker ${(c.baselineMs / 1000).toFixed(2)} s = ${c.ratio}× (target ≤ 1.3×); idle node memory ${JSON.stringify(mem)} MiB`);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'lab.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench-results/lab.json');
