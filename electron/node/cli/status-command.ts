/**
 * `swarm-lab status NAME [--json] [--watch]`: the lab's swarm as its managers report it — nodes,
 * services, tasks and quorum — once, or once per change (NDJSON with --json) until interrupted.
 */
import type { Command } from 'commander';
import type { ClusterState } from '../../common/cluster.js';
import { labManagerSource } from '../cluster/lab-source.js';
import { ClusterWatcher } from '../cluster/watcher.js';
import { createLabEngine } from '../lab/index.js';
import { table } from './lab-commands.js';

export function statusText(s: ClusterState): string {
  const q = s.quorum;
  const head =
    s.health === 'ok'
      ? `Swarm read from ${s.source} at ${new Date(s.observedAt).toISOString()}. Quorum: ${q.reachable}/${q.managers} managers reachable, ${q.needed} needed, tolerates ${q.tolerates} failure${q.tolerates === 1 ? '' : 's'}.`
      : `${s.health === 'noLeader' ? 'QUORUM LOST' : 'UNREACHABLE'}: ${s.message} Data below is from ${s.observedAt ? new Date(s.observedAt).toISOString() : 'never'}.`;
  const nodes = [['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ADDRESS', 'ENGINE']];
  for (const n of s.nodes) {
    nodes.push([n.id.slice(0, 12), n.name, n.status, n.availability, n.leader ? 'Leader' : n.role === 'manager' ? (n.reachability ?? '') : '', n.addr, n.engineVersion]);
  }
  const services = [['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS']];
  for (const v of s.services) {
    const ports = v.ports.map((p) => `${p.published ?? '*'}:${p.target}/${p.protocol}${p.mode === 'host' ? ' (host)' : ''}`).join(', ');
    services.push([v.id.slice(0, 12), v.name, v.mode, `${v.replicas.running}/${v.replicas.desired}`, v.image, ports]);
  }
  const tasks = [['TASK', 'NODE', 'DESIRED', 'STATE', 'ERROR']];
  for (const t of s.tasks.filter((x) => x.desiredState === 'running' || x.state === 'running')) {
    tasks.push([`${t.service}.${t.slot ?? t.id.slice(0, 6)}`, t.node ?? '-', t.desiredState, t.state, t.error ?? '']);
  }
  return [head, '', table(nodes), '', s.services.length ? table(services) : 'No services.', ...(tasks.length > 1 ? ['', table(tasks)] : [])].join('\n');
}

/** The JSON shape of `status --json`: the documented fields first, everything else after. */
export function statusJson(s: ClusterState): Record<string, unknown> {
  return {
    nodes: s.nodes.map((n) => ({ id: n.id, name: n.name, role: n.role, status: n.status, availability: n.availability, leader: n.leader, reachability: n.reachability, addr: n.addr, engineVersion: n.engineVersion, labels: n.labels })),
    services: s.services.map((v) => ({ id: v.id, name: v.name, mode: v.mode, replicas: v.replicas, image: v.image, ports: v.ports, endpointMode: v.endpointMode, updateStatus: v.updateStatus, stack: v.stack })),
    tasks: s.tasks.map((t) => ({ id: t.id, service: t.service, slot: t.slot, node: t.node, desiredState: t.desiredState, state: t.state, error: t.error, containerId: t.containerId })),
    quorum: s.quorum,
    health: s.health,
    message: s.message,
    source: s.source,
    observedAt: s.observedAt,
    networks: s.networks,
    secrets: s.secrets.map((x) => x.name),
    configs: s.configs.map((x) => x.name),
    stacks: s.stacks,
  };
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status <name>')
    .description("show a lab's swarm: nodes, services, tasks and quorum, as its managers report them")
    .option('--json', 'print one JSON object (with --watch: one per change, one per line)')
    .option('--watch', 'keep printing on every change until interrupted')
    .action(async (name: string, o: { json?: boolean; watch?: boolean }) => {
      const engine = createLabEngine();
      await engine.inspect(name); // a clear error for an unknown lab
      const watcher = new ClusterWatcher(labManagerSource(engine, name));
      const print = (s: ClusterState): void => {
        process.stdout.write(o.json ? `${JSON.stringify(statusJson(s))}\n` : `${o.watch ? '\n' : ''}${statusText(s)}\n`);
      };
      try {
        await watcher.refresh();
        print(watcher.state);
        if (!o.watch) {
          if (watcher.state.health !== 'ok') process.exitCode = 1;
          return;
        }
        watcher.onChange((_changes, state) => print(state));
        watcher.start();
        await new Promise<void>((resolve) => {
          const stop = (): void => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          process.stdout.once('error', stop); // the reader went away (| head)
        });
      } finally {
        watcher.stop();
        engine.dispose();
      }
    });
}
