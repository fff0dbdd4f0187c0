/**
 * Service and task operations on a lab's swarm, through whichever manager answers: scale, force an
 * update, remove, and read logs (of a service, or of one task).
 */
import type Docker from 'dockerode';
import { LabError } from '../lab/errors.js';
import type { LabEngine } from '../lab/engine.js';

async function manager(engine: LabEngine, lab: string): Promise<Docker> {
  return (await engine.reachableManager(lab)).docker;
}

async function findService(m: Docker, lab: string, service: string): Promise<{ ID: string; Version: { Index: number }; Spec: Record<string, unknown> }> {
  const services = (await m.listServices()) as unknown as { ID: string; Version: { Index: number }; Spec: { Name: string } & Record<string, unknown> }[];
  const s = services.find((x) => x.Spec.Name === service || x.ID === service || x.ID.startsWith(service));
  if (!s) throw new LabError('SERVICE_NOT_FOUND', `Lab "${lab}" has no service "${service}"; its services are ${services.map((x) => x.Spec.Name).join(', ') || 'none'}.`);
  return s;
}

export async function scaleService(engine: LabEngine, lab: string, service: string, replicas: number): Promise<string> {
  const m = await manager(engine, lab);
  const s = await findService(m, lab, service);
  const mode = s.Spec.Mode as { Replicated?: unknown } | undefined;
  if (!mode?.Replicated) throw new LabError('INVALID_SPEC', `Service "${service}" is not replicated (global services run one task per node), so it cannot be scaled.`);
  await m.getService(s.ID).update({ version: s.Version.Index, ...s.Spec, Mode: { Replicated: { Replicas: replicas } } });
  return `${service} scaled to ${replicas} replica${replicas === 1 ? '' : 's'}`;
}

export async function forceUpdateService(engine: LabEngine, lab: string, service: string): Promise<string> {
  const m = await manager(engine, lab);
  const s = await findService(m, lab, service);
  const template = (s.Spec.TaskTemplate ?? {}) as { ForceUpdate?: number };
  await m.getService(s.ID).update({ version: s.Version.Index, ...s.Spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 } });
  return `${service} is being updated: every task is replaced`;
}

export async function removeService(engine: LabEngine, lab: string, service: string): Promise<string> {
  const m = await manager(engine, lab);
  const s = await findService(m, lab, service);
  await m.getService(s.ID).remove();
  return `${service} was removed`;
}

/** Strips Docker's 8-byte stream headers from a non-TTY log buffer. */
export function demuxLogs(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString('utf8');
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : out;
}

export async function logs(engine: LabEngine, lab: string, target: { service?: string; task?: string }, tail: number): Promise<string> {
  const m = await manager(engine, lab);
  const opts = { stdout: true, stderr: true, tail, timestamps: false, follow: false } as const;
  if (target.task) {
    const task = m.getTask(target.task) as unknown as { logs(o: typeof opts): Promise<Buffer> };
    const buf = await task.logs(opts);
    return demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
  }
  if (!target.service) throw new LabError('INVALID_SPEC', 'Name a service or a task to read logs from.');
  const s = await findService(m, lab, target.service);
  const buf = (await m.getService(s.ID).logs(opts)) as unknown as Buffer;
  return demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
}
