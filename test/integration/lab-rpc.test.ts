/**
 * The lab section of the RPC contract, end to end over the in-memory transport, against the real
 * engine: progress events, typed errors, and cancellation that rolls a create back.
 */
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { appContract } from '../../electron/common/contracts/app.js';
import { applyChanges, type ClusterState } from '../../electron/common/cluster.js';
import { LABEL, type LabProgress } from '../../electron/common/lab.js';
import { createRpcClient } from '../../electron/common/rpc/client.js';
import { createMemoryPipe } from '../../electron/common/rpc/transport.js';
import { ImageBuilder } from '../../electron/node/images/images.js';
import { LabEngine } from '../../electron/node/lab/engine.js';
import { createBackEnd } from '../../electron/node/rpc/back-end.js';

const docker = new Docker();
const engine = new LabEngine({ docker: new Docker(), images: new ImageBuilder(new Docker()) });
const backEndEngine = () => engine;
const backEnd = createBackEnd({ mode: 'web', labEngine: engine });
const [a, b] = createMemoryPipe();
backEnd.server.connect(b);
const { client, control } = createRpcClient(appContract);
control.attach(a);

const labelled = async (lab: string): Promise<number> =>
  (await docker.listContainers({ all: true, filters: { label: [`${LABEL.lab}=${lab}`] } })).length +
  (await docker.listNetworks({ filters: { label: [`${LABEL.lab}=${lab}`] } })).length;

async function until(ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(async () => {
  for (const name of ['itest-rpc', 'itest-cancel']) await client.lab.destroy({ name }).catch(() => undefined);
  control.close();
  backEnd.dispose();
  engine.dispose();
}, 120_000);

describe('lab over RPC', () => {
  it('creates a lab with progress per node, lists it, faults it and destroys it', async () => {
    const notes: LabProgress[] = [];
    const lab = await client.lab.create({ name: 'itest-rpc', managers: 1, workers: 1 }, { onProgress: (p) => notes.push(p) });
    expect(lab.nodes.map((n) => n.name)).toEqual(['manager1', 'worker1']);
    expect(notes.filter((n) => n.message === 'Docker daemon ready').map((n) => n.node).sort()).toEqual(['manager1', 'worker1']);
    expect(notes.at(-1)?.step).toBe('done');
    expect((await client.lab.list({})).map((l) => l.name)).toContain('itest-rpc');
    const f = await client.lab.fault({ name: 'itest-rpc', node: 'worker1', action: 'drain' });
    expect(f.message).toContain('draining');
    const removed = await client.lab.destroy({ name: 'itest-rpc' });
    expect(removed.containers).toBe(2);
    expect(await labelled('itest-rpc')).toBe(0);
  });

  it('streams the cluster model: a snapshot, then diffs that rebuild the same state', async () => {
    await client.lab.create({ name: 'itest-rpc', managers: 1, workers: 1 });
    // nothing watches the lab yet: an empty timeline, and no watcher started just to say so
    expect(await client.cluster.timeline({ name: 'itest-rpc' })).toEqual({ capacity: 5000, entries: [] });
    await expect(client.cluster.timeline({ name: 'no-such-lab' })).rejects.toMatchObject({ code: 'LAB_NOT_FOUND' });
    let state: ClusterState | undefined;
    const sub = client.cluster.onChange({ name: 'itest-rpc' }, (p) => {
      state = p.state ?? (state && applyChanges(state, p.changes, p.observedAt));
    });
    try {
      await until(() => state?.health === 'ok' && state.nodes.length === 2);
      await client.lab.fault({ name: 'itest-rpc', node: 'worker1', action: 'drain' });
      await until(() => state?.nodes.find((n) => n.name === 'worker1')?.availability === 'drain');
      const fresh = await client.cluster.state({ name: 'itest-rpc' });
      expect(state!.nodes).toEqual(fresh.nodes);
      const timeline = await client.cluster.timeline({ name: 'itest-rpc' });
      expect(timeline.entries.some((e) => e.text === 'worker1 availability drain')).toBe(true);

      // service operations from the workbench's menus
      await client.lab.fault({ name: 'itest-rpc', node: 'worker1', action: 'activate' });
      await client.lab.loadImages({ name: 'itest-rpc', images: ['swarm-lab/web:0.1.0'] });
      const inner = backEndEngine().innerClient('itest-rpc-manager1');
      await inner.createService({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'swarm-lab/web:0.1.0' } }, Mode: { Replicated: { Replicas: 1 } }, EndpointSpec: { Mode: 'dnsrr' } });
      expect((await client.cluster.scaleService({ name: 'itest-rpc', service: 'web', replicas: 2 })).message).toBe('web scaled to 2 replicas');
      await until(() => state?.services.find((s) => s.name === 'web')?.replicas.running === 2, 60_000);
      const before = new Set(state!.tasks.filter((t) => t.service === 'web' && t.state === 'running').map((t) => t.id));
      await client.cluster.forceUpdateService({ name: 'itest-rpc', service: 'web' });
      await until(() => {
        const now = state!.tasks.filter((t) => t.service === 'web' && t.state === 'running');
        return now.length === 2 && now.every((t) => !before.has(t.id));
      }, 60_000);
      const log = await client.cluster.logs({ name: 'itest-rpc', service: 'web', tail: 50 });
      expect(typeof log.text).toBe('string');
      await expect(client.cluster.scaleService({ name: 'itest-rpc', service: 'nope', replicas: 1 })).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND', message: expect.stringContaining('has no service "nope"') });
      await client.cluster.removeService({ name: 'itest-rpc', service: 'web' });
      await until(() => !state?.services.some((s) => s.name === 'web'));
      await expect(client.cluster.state({ name: 'itest-none' })).rejects.toMatchObject({ code: 'LAB_NOT_FOUND' });
    } finally {
      sub.dispose();
      await client.lab.destroy({ name: 'itest-rpc' });
    }
  });

  it('revives engine errors with their code and message', async () => {
    await expect(client.lab.inspect({ name: 'itest-none' })).rejects.toMatchObject({ code: 'LAB_NOT_FOUND', message: expect.stringContaining('itest-none') });
    await expect(client.lab.create({ name: 'Not Valid' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(client.lab.create({ name: 'itest-x', managers: 9 })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('cancelling a create rolls the lab back', async () => {
    const controller = new AbortController();
    const call = client.lab.create(
      { name: 'itest-cancel', managers: 1, workers: 2 },
      { signal: controller.signal, onProgress: (p) => p.message === 'container started' && controller.abort() },
    );
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    const end = Date.now() + 60_000;
    while ((await labelled('itest-cancel')) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 300));
    expect(await labelled('itest-cancel')).toBe(0);
    expect(backEnd.server.stats().calls).toBe(0);
  });
});
