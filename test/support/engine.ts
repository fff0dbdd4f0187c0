/** Helpers for tests that drive the real Docker engine and the real CLI. */
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cliPath = join(repoRoot, 'bin', 'swarm-lab.js');

/** The engine the tests use: the default socket unless DOCKER_HOST says otherwise. */
export function docker(): Docker {
  return new Docker();
}

/** Runs the CLI without blocking this process (its watchers and timers keep running meanwhile). */
export function runCliAsync(args: string[], timeoutMs = 60_000): Promise<{ status: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ status: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env, timeout: timeoutMs });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export { startServe } from '../../scripts/lib/harness.mjs';

/** Containers carrying one of our labels: a test must leave none behind. */
export async function labelledContainers(label: string): Promise<number> {
  return (await docker().listContainers({ all: true, filters: { label: [label] } })).length;
}
