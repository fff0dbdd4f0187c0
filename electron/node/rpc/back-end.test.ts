import { afterEach, describe, expect, it } from 'vitest';
import { appContract } from '../../common/contracts/app.js';
import type { DoctorCheck, DoctorReport } from '../../common/doctor.js';
import { createRpcClient } from '../../common/rpc/client.js';
import { createMemoryPipe } from '../../common/rpc/transport.js';
import type { DoctorDeps } from '../doctor/doctor.js';
import { createBackEnd } from './back-end.js';

// An engine that is not there: the doctor's logic runs for real, the socket answers ENOENT.
const absentEngine: DoctorDeps = {
  resolveEndpoint: () => ({ host: 'unix:///nonexistent/docker.sock', source: 'default', reason: 'test', tls: false }),
  connect: () =>
    ({
      ping: () => Promise.reject(Object.assign(new Error('connect ENOENT /nonexistent/docker.sock'), { code: 'ENOENT' })),
    }) as never,
  kernelFs: { read: () => undefined, exists: () => false },
  hostKernelRelease: 'test',
  statfs: () => undefined,
};

describe('back end over the in-memory transport', () => {
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  function connect() {
    const backEnd = createBackEnd({ mode: 'web', doctorDeps: absentEngine });
    const [a, b] = createMemoryPipe();
    backEnd.server.connect(b);
    const { client, control } = createRpcClient(appContract);
    control.attach(a);
    closers.push(() => control.close(), () => backEnd.dispose());
    return { client, backEnd };
  }

  it('answers app.info and app.ping', async () => {
    const { client } = connect();
    const info = await client.app.info({});
    expect(info).toMatchObject({ name: 'Swarm Lab', mode: 'web', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const pong = await client.app.ping({ sentAt: 123 });
    expect(pong.sentAt).toBe(123);
    expect(pong.serverTime).toBeGreaterThan(0);
  });

  it('runs the doctor with progress, explains an absent engine, and publishes the report', async () => {
    const { client } = connect();
    const published: DoctorReport[] = [];
    client.doctor.onReport({}, (r) => published.push(r));
    const progress: DoctorCheck[] = [];
    const report = await client.doctor.run({ fresh: true }, { onProgress: (c) => progress.push(c) });
    expect(progress.map((c) => c.id)).toEqual(report.checks.map((c) => c.id));
    const engine = report.checks.find((c) => c.id === 'engine');
    expect(engine).toMatchObject({ status: 'fail' });
    expect(engine?.advice).toMatch(/No Docker engine listens at unix:\/\/\/nonexistent\/docker.sock.*Start it/);
    expect(report.engine).toBeNull();
    await expect.poll(() => published.length).toBe(1);
  });
});
