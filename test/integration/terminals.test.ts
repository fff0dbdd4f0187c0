/**
 * Terminals end to end over the in-memory RPC transport: a real local pty (echo, resize, kill, a
 * 5 MB flood with a slow and a fast acknowledging client), a shell in a real practice lab node, and
 * a shell in a swarm task's container on the node that runs it. The lab is removed afterwards and
 * nothing labelled io.swarmlab.lab may remain.
 */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalFeature } from '../../electron/common/contracts/terminal.js';
import { LABEL } from '../../electron/common/lab.js';
import { createRpcClient } from '../../electron/common/rpc/client.js';
import { defineContract } from '../../electron/common/rpc/contract.js';
import { createRpcServer } from '../../electron/common/rpc/server.js';
import { createMemoryPipe } from '../../electron/common/rpc/transport.js';
import { TERMINAL_BATCH_BYTES, TERMINAL_HIGH_WATER, type TerminalData, type TerminalTarget } from '../../electron/common/terminal.js';
import { ImageBuilder } from '../../electron/node/images/images.js';
import { execCapture, LabEngine } from '../../electron/node/lab/engine.js';
import { createTerminalHandlers } from '../../electron/node/terminals/handlers.js';
import { TerminalManager } from '../../electron/node/terminals/manager.js';
import { until } from '../support/until.js';

const LAB = 'itest-term';
const docker = new Docker();
const images = new ImageBuilder(docker);
const engine = new LabEngine({ docker, images });
const manager = new TerminalManager({ engine: () => engine });
const contract = defineContract({ terminal: terminalFeature });
const server = createRpcServer(contract, { terminal: createTerminalHandlers(manager) });
const [clientEnd, serverEnd] = createMemoryPipe();
server.connect(serverEnd);
const { client, control } = createRpcClient(contract);
control.attach(clientEnd);
let labCreated = false;

async function labelled(): Promise<number> {
  const label = [`${LABEL.lab}=${LAB}`];
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters: { label } }),
    docker.listNetworks({ filters: { label } }),
    docker.listVolumes({ filters: { label } }),
  ]);
  return c.length + n.length + (v.Volumes ?? []).length;
}

/** Opens a session and subscribes: output accumulates in `text`; `ackDelayMs` paces acknowledgements. */
async function openTerminal(target: TerminalTarget, options: { ackDelayMs?: number; onPayload?: (p: TerminalData) => void } = {}) {
  const info = await client.terminal.open({ target, cols: 100, rows: 30 });
  const state = { text: '', bytes: 0, payloads: 0, exit: undefined as TerminalData['exit'], ackedBytes: 0 };
  const queue: number[] = [];
  let acking = false;
  const pump = (): void => {
    if (acking) return;
    const n = queue.shift();
    if (n === undefined) return;
    acking = true;
    setTimeout(() => {
      state.ackedBytes += n;
      void client.terminal.ack({ id: info.id, bytes: n }).finally(() => {
        acking = false;
        pump();
      });
    }, options.ackDelayMs);
  };
  const sub = client.terminal.onData({ id: info.id }, (p) => {
    state.payloads++;
    state.bytes += p.bytes;
    state.text += p.data;
    options.onPayload?.(p);
    if (p.exit) state.exit = p.exit;
    if (p.bytes === 0) return;
    if (options.ackDelayMs === undefined) void client.terminal.ack({ id: info.id, bytes: p.bytes });
    else {
      queue.push(p.bytes);
      pump();
    }
  });
  const waitFor = (needle: string | RegExp, ms = 30_000): Promise<string> =>
    until(`output matching ${String(needle)}`, () => state.text, (t) => (typeof needle === 'string' ? t.includes(needle) : needle.test(t)), ms);
  return { info, state, sub, waitFor, write: (data: string) => client.terminal.write({ id: info.id, data }) };
}

/** Whether a process in `container` (a node, or a task container inside one) carries the session's marker. */
async function markerProcesses(nodeContainer: string, id: string, taskContainer?: string): Promise<number> {
  const script = `n=0; for p in /proc/[0-9]*; do tr '\\000' '\\n' < "$p/environ" 2>/dev/null | grep -qx 'SWARMLAB_TERM=${id}' && n=$((n+1)); done; echo "count=$n"`;
  const cmd = taskContainer ? ['docker', 'exec', taskContainer, 'sh', '-c', script] : ['sh', '-c', script];
  const r = await execCapture(docker, nodeContainer, cmd);
  const m = r.output.match(/count=(\d+)/);
  if (!m) throw new Error(`could not count processes: ${r.output}`);
  return Number(m[1]);
}

afterAll(async () => {
  control.close();
  manager.dispose();
  if (labCreated) await engine.destroy(LAB).catch(() => undefined);
  engine.dispose();
  expect(await labelled()).toBe(0);
}, 180_000);

describe('a local pty over RPC', () => {
  it('echoes, resizes and is killed', async () => {
    const t = await openTerminal({ kind: 'local' });
    expect(t.info).toMatchObject({ kind: 'local', state: 'running', cols: 100, rows: 30 });
    await t.write('echo hi-$((1+1))\r');
    await t.waitFor('hi-2');
    await client.terminal.resize({ id: t.info.id, cols: 132, rows: 43 });
    await t.write('stty size\r');
    await t.waitFor('43 132');
    expect((await client.terminal.list({})).find((s) => s.id === t.info.id)).toMatchObject({ cols: 132, rows: 43, state: 'running' });
    await client.terminal.kill({ id: t.info.id });
    expect(await t.sub.ended).toBeUndefined();
    expect(t.state.exit?.message).toBe('The terminal session was closed.');
    expect((await client.terminal.list({})).some((s) => s.id === t.info.id)).toBe(false);
  });

  it('reports the exit code when the shell exits by itself', async () => {
    const t = await openTerminal({ kind: 'local' });
    await t.write('exit 7\r');
    await t.sub.ended;
    expect(t.state.exit).toMatchObject({ code: 7, message: expect.stringContaining('exited with code 7') });
    expect((await client.terminal.list({})).find((s) => s.id === t.info.id)).toMatchObject({ state: 'exited', exitCode: 7 });
  });

  const FLOOD = 5_000_000;
  const floodCommand = `printf '%s\\n' BE''GIN; head -c ${FLOOD} /dev/zero | tr '\\0' x; printf '\\n%s\\n' EN''D\r`;

  async function flood(ackDelayMs: number | undefined) {
    let started = 0;
    let finished = 0;
    const t = await openTerminal({ kind: 'local' }, {
      ackDelayMs,
      onPayload: (p) => {
        if (!started && p.data.includes('BEGIN\r\n')) started = Date.now();
        if (p.data.includes('END\r\n')) finished = Date.now();
      },
    });
    await t.write(floodCommand);
    const text = await t.waitFor(/\r\nEND\r\n/, 90_000);
    const seconds = (finished - started) / 1000;
    const begin = text.indexOf('BEGIN\r\n') + 'BEGIN\r\n'.length;
    const end = text.indexOf('\r\nEND\r\n', begin);
    const body = text.slice(begin, end);
    const stats = manager.get(t.info.id).stats();
    await client.terminal.kill({ id: t.info.id });
    return { body, seconds, stats, t };
  }

  it('loses no byte of a 5 MB flood to a slowly acknowledging client, and stays under the high-water mark', async () => {
    const { body, seconds, stats } = await flood(40); // acks slower than a batch interval: the window fills
    expect(body.length).toBe(FLOOD);
    expect(/^x*$/.test(body)).toBe(true);
    expect(stats.maxUnacked).toBeLessThanOrEqual(TERMINAL_HIGH_WATER + TERMINAL_BATCH_BYTES);
    expect(stats.maxUnacked).toBeGreaterThan(TERMINAL_HIGH_WATER - TERMINAL_BATCH_BYTES); // the brake was really used
    console.log(`[flood slow-ack] ${(FLOOD / 1e6 / seconds).toFixed(1)} MB/s, max unacked ${stats.maxUnacked} B, ${stats.batches} batches`);
  });

  it('streams a 5 MB flood to a client that acknowledges at once', async () => {
    const { body, seconds, stats } = await flood(undefined);
    expect(body.length).toBe(FLOOD);
    expect(stats.maxUnacked).toBeLessThanOrEqual(TERMINAL_HIGH_WATER + TERMINAL_BATCH_BYTES);
    console.log(`[flood fast-ack] ${(FLOOD / 1e6 / seconds).toFixed(1)} MB/s, max unacked ${stats.maxUnacked} B, ${stats.batches} batches`);
  });
});

describe('shells in a practice lab', () => {
  beforeAll(async () => {
    await images.ensure(['node', 'web']);
    labCreated = true;
    await engine.create({ name: LAB, managers: 1, workers: 0 });
  }, 300_000);

  it('a node session runs docker node ls on manager1, and kill ends its processes', async () => {
    const t = await openTerminal({ kind: 'node', lab: LAB, node: 'manager1' });
    expect(t.info.title).toBe(`manager1 (${LAB})`);
    await t.write('docker node ls\r');
    const text = await t.waitFor(/manager1.*Leader/);
    expect(text).toContain('manager1');
    expect(text).toContain('Leader');
    await t.write('sleep 1000\r');
    await until('sleep running with the marker', () => markerProcesses(`${LAB}-manager1`, t.info.id), (n) => n >= 2);
    await client.terminal.kill({ id: t.info.id });
    await t.sub.ended;
    await until('no process left of the session', () => markerProcesses(`${LAB}-manager1`, t.info.id), (n) => n === 0, 10_000);
  });

  it('refuses a node that does not exist, naming it', async () => {
    await expect(client.terminal.open({ target: { kind: 'node', lab: LAB, node: 'worker9' } })).rejects.toMatchObject({
      code: 'NODE_NOT_FOUND',
      message: expect.stringContaining('worker9'),
    });
    await expect(client.terminal.open({ target: { kind: 'task', lab: LAB, taskId: 'nosuchtask' } })).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
  });

  it("a task session opens a shell in the task's container", async () => {
    await engine.loadImages(LAB, ['swarm-lab/web:0.1.0']);
    const api = engine.innerClient(`${LAB}-manager1`);
    await api.createService({
      Name: 'web',
      TaskTemplate: { ContainerSpec: { Image: 'swarm-lab/web:0.1.0' } },
      Mode: { Replicated: { Replicas: 1 } },
    } as never);
    type Task = { ID: string; Status: { State: string; ContainerStatus?: { ContainerID?: string } } };
    const tasks = (await until(
      'the web task running',
      () => api.listTasks({ filters: { service: ['web'] } }) as Promise<Task[]>,
      (ts) => ts.some((x) => x.Status.State === 'running' && !!x.Status.ContainerStatus?.ContainerID),
      60_000,
    ));
    const task = tasks.find((x) => x.Status.State === 'running')!;
    const cid = task.Status.ContainerStatus!.ContainerID!;
    const t = await openTerminal({ kind: 'task', lab: LAB, taskId: task.ID });
    expect(t.info.title).toBe(`web.1 on manager1 (${LAB})`);
    await t.write('hostname\r');
    await t.waitFor(`\r\n${cid.slice(0, 12)}\r\n`);
    await client.terminal.kill({ id: t.info.id });
    await t.sub.ended;
    await until('no process left in the task container', () => markerProcesses(`${LAB}-manager1`, t.info.id, cid), (n) => n === 0, 10_000);
    await until('no docker exec client left in the node', () => markerProcesses(`${LAB}-manager1`, t.info.id), (n) => n === 0, 10_000);

    // by service.slot, too
    const bySlot = await openTerminal({ kind: 'task', lab: LAB, taskId: 'web.1' });
    await bySlot.write('hostname\r');
    await bySlot.waitFor(cid.slice(0, 12));
    await client.terminal.kill({ id: bySlot.info.id });
  });

  it('says so when the node stops under a session, and reconnects when it runs again', async () => {
    const t = await openTerminal({ kind: 'node', lab: LAB, node: 'manager1' });
    await t.write('echo ready\r');
    await t.waitFor('ready');
    await engine.fault(LAB, 'manager1', 'kill');
    await t.waitFor('[manager1 stopped; this terminal reconnects when it runs again]');
    expect((await client.terminal.list({})).find((s) => s.id === t.info.id)).toMatchObject({ state: 'running' });
    await engine.fault(LAB, 'manager1', 'start');
    await t.waitFor('[reconnected to manager1]', 60_000);
    await t.write('echo back-$((40+2))\r');
    await t.waitFor('back-42');
    expect(t.state.text).toContain('ready'); // the same session, its scrollback kept
    await client.terminal.kill({ id: t.info.id });
    expect(await t.sub.ended).toBeUndefined();
  });

  it('ends a node session for good when the node is removed', async () => {
    const t = await openTerminal({ kind: 'node', lab: LAB, node: 'manager1' });
    await t.write('echo ready\r');
    await t.waitFor('ready');
    await docker.getContainer(`${LAB}-manager1`).remove({ force: true });
    const ended = await t.sub.ended;
    expect({ ended, exit: t.state.exit, output: t.state.text.slice(-300) }).toMatchObject({ ended: undefined, exit: { message: 'manager1 was removed; the session ended.' } });
  });
});
