/**
 * The doctor against the real Docker engine: through the CLI (text and --json) and over RPC on a
 * real WebSocket, agreeing with what the engine itself reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { appContract } from '../../electron/common/contracts/app.js';
import { doctorReport, type DoctorReport } from '../../electron/common/doctor.js';
import { createRpcClient } from '../../electron/common/rpc/client.js';
import { webSocketTransport } from '../../electron/common/rpc/transport.js';
import { docker, labelledContainers, runCli, startServe } from '../support/engine.js';

let engineVersion: string;
let engineArch: string;

beforeAll(async () => {
  const v = await docker().version();
  engineVersion = v.Version;
  engineArch = v.Arch;
});

describe('doctor on the real engine', () => {
  let report: DoctorReport;

  it('prints a JSON report that matches the engine', () => {
    const r = runCli(['doctor', '--json']);
    report = doctorReport.parse(JSON.parse(r.stdout));
    expect(report.engine?.version).toBe(engineVersion);
    expect(report.engine?.arch).toBe(engineArch);
    expect(report.checks.find((c) => c.id === 'engine')?.status).toBe('ok');
    // exit code: 1 exactly when a check failed
    expect(r.status).toBe(report.checks.some((c) => c.status === 'fail') ? 1 : 0);
  });

  it('finds out how lab nodes get their privileges, by starting a real container', () => {
    expect(['privileged', 'fallback']).toContain(report.privileges);
    const check = report.checks.find((c) => c.id === 'privileges');
    expect(check?.status).toBe(report.privileges === 'privileged' ? 'ok' : 'warn');
  });

  it('reports the kernel features and explains the missing ones', () => {
    for (const id of ['ipvs', 'nfs']) {
      const c = report.checks.find((x) => x.id === id)!;
      if (c.status !== 'ok') expect(c.advice).toBeTruthy();
    }
    expect(report.kernel.ipvs).not.toBe('unknown'); // the test engine runs on this machine's kernel
    expect(report.disk?.freeBytes).toBeGreaterThan(0);
  });

  it('leaves no probe container behind', async () => {
    expect(await labelledContainers('io.swarmlab.probe')).toBe(0);
  });

  it('prints a readable report', () => {
    const r = runCli(['doctor']);
    expect(r.stdout).toContain(`Docker ${engineVersion}`);
    expect(r.stdout).toMatch(/Privileged containers/);
  });

  it('explains an engine that is not there, and exits 1', () => {
    const r = runCli(['doctor'], { ...process.env, DOCKER_HOST: 'unix:///tmp/swarm-lab-no-such.sock' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('No Docker engine listens at unix:///tmp/swarm-lab-no-such.sock');
  });
});

describe('doctor over RPC from swarm-lab serve', () => {
  let serve: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    serve = await startServe();
  });
  afterAll(async () => {
    await serve.stop();
  });

  it('runs with progress and returns the engine version', async () => {
    const token = new URL(serve.url).searchParams.get('token')!;
    const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/rpc`, { headers: { origin: serve.origin, cookie: `swarmlab_token=${token}` } });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const { client, control } = createRpcClient(appContract);
    control.attach(webSocketTransport(ws as never));
    const progress: string[] = [];
    const r = await client.doctor.run({ fresh: true }, { onProgress: (c) => progress.push(c.id) });
    expect(r.engine?.version).toBe(engineVersion);
    expect(progress).toEqual(r.checks.map((c) => c.id));
    control.close();
  });
});
