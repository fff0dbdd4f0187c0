/**
 * Lab commands of the CLI: up, ls, inspect, down, stop, start, node add/rm, exec, fault, load,
 * images build/ls. Progress goes to stderr, results to stdout (JSON with --json).
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { faultAction, PRESETS, type LabProgress, type LabSpecInput, type LabSummary, type PresetName } from '../../common/lab.js';
import { formatBytes } from '../../common/doctor.js';
import { RpcError } from '../../common/rpc/protocol.js';
import { IMAGE_NAMES, type ImageName } from '../images/images.js';
import type { LabEngine } from '../lab/engine.js';
import { createLabEngine } from '../lab/index.js';
import { execInNode } from './exec-node.js';
import { plural } from '../../common/plural.js';

const int = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number of ${what}`);
  return n;
};

/** Progress lines on stderr, so that stdout carries only the result (and stays valid JSON). */
function progressPrinter(): (p: LabProgress) => void {
  return (p) => {
    const t = `[${(p.elapsedMs / 1000).toFixed(1).padStart(5)} s]`;
    const frac = p.fraction !== undefined && p.fraction < 1 ? ` ${Math.round(p.fraction * 100)}%` : '';
    process.stderr.write(`${t} ${p.node ? `${p.node}: ` : ''}${p.message}${frac}\n`);
  };
}

/** Runs an engine operation with Ctrl+C wired to cancellation, and the engine disposed after. */
async function withEngine<T>(work: (engine: LabEngine, signal: AbortSignal) => Promise<T>): Promise<T> {
  const engine = createLabEngine();
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\nCancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await work(engine, controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    engine.dispose();
  }
}

function readSpecFile(path: string): LabSpecInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RpcError('USAGE', `Cannot read the lab spec ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as LabSpecInput;
  } catch (e) {
    throw new RpcError('USAGE', `The lab spec ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export function nodeTable(lab: LabSummary): string {
  const rows = [['NODE', 'ROLE', 'STATUS', 'ADDRESS', 'CONTAINER']];
  for (const n of lab.nodes) rows.push([n.name, n.role, n.disconnected ? `${n.status} (disconnected)` : n.status, n.address ?? '-', n.container]);
  return table(rows);
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('   ')).join('\n');
}

export function registerLabCommands(program: Command): void {
  program
    .command('up')
    .description('create a practice swarm and wait until every node is Ready')
    .option('-n, --name <name>', 'lab name', 'lab')
    .addOption(new Option('-p, --preset <preset>', 'node counts').choices(Object.keys(PRESETS)))
    .option('--managers <n>', 'number of managers (1–7)', int('managers'))
    .option('--workers <n>', 'number of workers (0–20)', int('workers'))
    .option('--no-init', 'leave "docker swarm init" to the learner')
    .option('--image <image>', 'node image (default: Swarm Lab\'s own, built when missing)')
    .option('--subnet <cidr>', 'lab network subnet (default: a free one)')
    .option('--heartbeat <seconds>', 'swarm dispatcher heartbeat (shorter: faster failure detection)', int('seconds'))
    .option('--sshd', 'start an SSH server in every node')
    .option('--load <images...>', 'host images to load into every node, also into nodes added later (web, registry and nfs name the lesson images)')
    .option('--spec <file>', 'a JSON lab spec (per-node labels, memory, second interface, registries…); flags given override it')
    .option('--json', 'print the lab as JSON')
    .action(async (o: { name: string; preset?: PresetName; managers?: number; workers?: number; init: boolean; image?: string; subnet?: string; heartbeat?: number; sshd?: boolean; load?: string[]; spec?: string; json?: boolean }, cmd: Command) => {
      if (o.preset && (o.managers !== undefined || o.workers !== undefined)) {
        throw new RpcError('USAGE', '--preset cannot be combined with --managers/--workers.');
      }
      const base: Partial<LabSpecInput> = o.spec ? readSpecFile(o.spec) : {};
      const explicit = (flag: string): boolean => cmd.getOptionValueSource(flag) === 'cli';
      const counts =
        o.managers !== undefined || o.workers !== undefined
          ? { managers: o.managers ?? 1, workers: o.workers ?? 0 }
          : o.preset || base.managers === undefined
            ? PRESETS[o.preset ?? '1m2w']
            : { managers: base.managers, workers: base.workers ?? 0 };
      const started = Date.now();
      const lab = await withEngine((engine, signal) =>
        engine.create(
          {
            ...base,
            name: explicit('name') || !base.name ? o.name : base.name,
            ...counts,
            init: explicit('init') || base.init === undefined ? o.init : base.init,
            ...(o.image ? { image: o.image } : {}),
            ...(o.subnet ? { subnet: o.subnet } : {}),
            ...(o.heartbeat ? { swarm: { ...base.swarm, dispatcherHeartbeatSeconds: o.heartbeat } } : {}),
            sshd: !!o.sshd || !!base.sshd,
            ...(o.load ? { images: [...(base.images ?? []), ...o.load] } : {}),
          },
          { signal, onProgress: progressPrinter() },
        ),
      );
      const elapsed = ((Date.now() - started) / 1000).toFixed(1);
      if (o.json) process.stdout.write(`${JSON.stringify({ ...lab, elapsedSeconds: Number(elapsed) }, null, 2)}\n`);
      else {
        const m = lab.nodes.filter((n) => n.role === 'manager').length;
        process.stdout.write(`Lab ${lab.name} is ready in ${elapsed} s: ${m} manager${m === 1 ? '' : 's'}, ${lab.nodes.length - m} worker${lab.nodes.length - m === 1 ? '' : 's'} on ${lab.subnet}${o.init ? '' : ' (swarm not initialised)'}.\n${nodeTable(lab)}\n`);
      }
    });

  program
    .command('ls')
    .description('list labs')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const labs = await withEngine((e) => e.list());
      if (o.json) process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
      else if (!labs.length) process.stdout.write('No labs. Create one with "swarm-lab up".\n');
      else {
        const rows = [['NAME', 'STATE', 'NODES', 'SUBNET', 'PRIVILEGES']];
        for (const l of labs) {
          const running = l.nodes.filter((n) => n.status === 'running').length;
          rows.push([l.name, l.state, `${running}/${l.nodes.length} running`, l.subnet ?? '-', l.privileges ?? '-']);
        }
        process.stdout.write(`${table(rows)}\n`);
      }
    });

  program
    .command('inspect <name>')
    .description('show a lab and its nodes')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const lab = await withEngine((e) => e.inspect(name));
      process.stdout.write(o.json ? `${JSON.stringify(lab, null, 2)}\n` : `Lab ${lab.name}: ${lab.state}, subnet ${lab.subnet ?? '-'}, image ${lab.image ?? '-'}, nodes run ${lab.privileges ?? '?'}\n${nodeTable(lab)}\n`);
    });

  program
    .command('down <name>')
    .description('destroy a lab: every container, network and volume labelled with it')
    .action(async (name: string) => {
      const r = await withEngine((e, signal) => e.destroy(name, { signal, onProgress: progressPrinter() }));
      process.stdout.write(
        r.containers + r.networks + r.volumes === 0
          ? `There is no lab named "${name}"; nothing to remove.\n`
          : `Lab ${name} is gone: removed ${plural(r.containers, 'container')}, ${plural(r.networks, 'network')}, ${plural(r.volumes, 'volume')}.\n`,
      );
    });

  program
    .command('stop <name>')
    .description('stop every node of a lab (its swarm state is kept)')
    .action(async (name: string) => {
      const lab = await withEngine((e, signal) => e.stop(name, { signal, onProgress: progressPrinter() }));
      process.stdout.write(`Lab ${lab.name} is ${lab.state}.\n`);
    });

  program
    .command('start <name>')
    .description('start a stopped lab and wait until its nodes are Ready')
    .action(async (name: string) => {
      const lab = await withEngine((e, signal) => e.start(name, { signal, onProgress: progressPrinter() }));
      process.stdout.write(`Lab ${lab.name} is ${lab.state}.\n${nodeTable(lab)}\n`);
    });

  const node = program.command('node').description('add or remove lab nodes');
  node
    .command('add <name>')
    .description('add a node to a running lab; it joins the swarm with the right token')
    .addOption(new Option('--role <role>', 'role of the new node').choices(['manager', 'worker']).default('worker'))
    .action(async (name: string, o: { role: 'manager' | 'worker' }) => {
      const lab = await withEngine((e, signal) => e.addNode(name, o.role, { signal, onProgress: progressPrinter() }));
      process.stdout.write(`${nodeTable(lab)}\n`);
    });
  node
    .command('rm <name> <node>')
    .description('remove a node: it leaves the swarm cleanly, then its container goes')
    .action(async (name: string, nodeName: string) => {
      const lab = await withEngine((e, signal) => e.removeNode(name, nodeName, { signal, onProgress: progressPrinter() }));
      process.stdout.write(`${nodeTable(lab)}\n`);
    });

  program
    .command('exec <name> <node> <command...>')
    .description('run a command in a lab node (interactive with a TTY when stdin is one); use -- before the command')
    .passThroughOptions()
    .action(async (name: string, nodeName: string, command: string[]) => {
      process.exitCode = await withEngine(async (e) => {
        const { node: n } = await e.inspect(name).then((lab) => {
          const found = lab.nodes.find((x) => x.name === nodeName);
          if (!found) throw new RpcError('NODE_NOT_FOUND', `Lab "${name}" has no node "${nodeName}"; its nodes are ${lab.nodes.map((x) => x.name).join(', ')}.`);
          return { node: found };
        });
        return execInNode(e, n.container, command[0] === '--' ? command.slice(1) : command);
      });
    });

  program
    .command('fault <name> <node> <action>')
    .description(`inject a fault: ${faultAction.options.join(', ')}`)
    .option('--delay <ms>', 'netem: added latency', int('milliseconds'))
    .option('--jitter <ms>', 'netem: latency variation', int('milliseconds'))
    .option('--loss <percent>', 'netem: packet loss', Number)
    .option('--clear', 'netem: remove delay and loss')
    .action(async (name: string, nodeName: string, action: string, o: { delay?: number; jitter?: number; loss?: number; clear?: boolean }) => {
      const parsed = faultAction.safeParse(action);
      if (!parsed.success) throw new RpcError('USAGE', `Unknown fault "${action}"; choose one of ${faultAction.options.join(', ')}.`);
      const message = await withEngine((e) =>
        e.fault(name, nodeName, parsed.data, { netem: { delayMs: o.delay, jitterMs: o.jitter, lossPercent: o.loss, clear: o.clear } }),
      );
      process.stdout.write(`${message}.\n`);
    });

  program
    .command('load <name> <images...>')
    .description('copy images from the host into every node of a lab (skips nodes that have them; web, registry and nfs name the lesson images)')
    .action(async (name: string, images: string[]) => {
      const r = await withEngine((e, signal) => e.loadImages(name, images, { signal, onProgress: progressPrinter() }));
      const loaded = r.filter((x) => x.loaded).length;
      process.stdout.write(`Loaded ${loaded} image copies; ${r.length - loaded} were already present.\n`);
    });

  const images = program.command('images').description('the images labs use');
  images
    .command('build [names...]')
    .description(`build the lab images (${IMAGE_NAMES.join(', ')}); default: node, web, registry`)
    .option('--force', 'rebuild images that already exist')
    .action(async (names: string[], o: { force?: boolean }) => {
      const wanted = (names.length ? names : ['node', 'web', 'registry']) as ImageName[];
      const bad = wanted.filter((n) => !IMAGE_NAMES.includes(n));
      if (bad.length) throw new RpcError('USAGE', `Unknown image ${bad.join(', ')}; choose from ${IMAGE_NAMES.join(', ')}.`);
      const started = Date.now();
      const r = await withEngine((e, signal) =>
        e.images.ensure(wanted, {
          force: !!o.force,
          signal,
          onProgress: (p) => process.stderr.write(`[${(p.elapsedMs / 1000).toFixed(1).padStart(5)} s] ${p.image}: ${p.message}\n`),
        }),
      );
      process.stdout.write(`${r.map((s) => `${s.ref}  ${formatBytes(s.sizeBytes ?? 0)}`).join('\n')}\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    });
  images
    .command('ls')
    .description('show which lab images are present')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withEngine((e) => e.images.list());
      if (o.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const rows = [['IMAGE', 'PRESENT', 'SIZE', 'BUILT BY', 'CREATED']];
        for (const s of list) rows.push([s.ref, s.present ? 'yes' : 'no', s.sizeBytes ? formatBytes(s.sizeBytes) : '-', s.build ?? '-', s.created?.slice(0, 19).replace('T', ' ') ?? '-']);
        process.stdout.write(`${table(rows)}\n`);
      }
    });
}
