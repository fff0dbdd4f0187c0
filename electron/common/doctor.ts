/**
 * The doctor's report: which Docker endpoint the app uses and why, what that engine can do for a
 * practice swarm, and for each check what a failure means for the user and what to do about it.
 */
import { z } from 'zod';

export const checkStatus = z.enum(['ok', 'warn', 'fail', 'skip']);
export type CheckStatus = z.infer<typeof checkStatus>;

export const doctorCheck = z.object({
  id: z.string(),
  title: z.string(),
  status: checkStatus,
  /** One line: what was found. */
  summary: z.string(),
  /** What it means for the user and what to do; present whenever status is not ok. */
  advice: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof doctorCheck>;

export const endpointSource = z.enum(['DOCKER_HOST', 'DOCKER_CONTEXT', 'context', 'default']);

export const dockerEndpoint = z.object({
  /** As Docker writes it: unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host, npipe://… */
  host: z.string(),
  source: endpointSource,
  contextName: z.string().optional(),
  /** A sentence saying why this endpoint was chosen. */
  reason: z.string(),
  tls: z.boolean(),
});
export type DockerEndpoint = z.infer<typeof dockerEndpoint>;

export const privilegeMode = z.enum(['privileged', 'fallback', 'none', 'unknown']);
export type PrivilegeMode = z.infer<typeof privilegeMode>;

export const tristate = z.enum(['yes', 'no', 'unknown']);

export const doctorReport = z.object({
  checkedAt: z.number(),
  durationMs: z.number(),
  endpoint: dockerEndpoint,
  engine: z
    .object({
      version: z.string(),
      apiVersion: z.string(),
      os: z.string(),
      arch: z.string(),
      kernel: z.string(),
      operatingSystem: z.string(),
      cgroupVersion: z.string(),
      storageDriver: z.string(),
      rootDir: z.string(),
      local: z.boolean(),
    })
    .nullable(),
  privileges: privilegeMode,
  kernel: z.object({ ipvs: tristate, nfs: tristate }),
  disk: z.object({ path: z.string(), freeBytes: z.number(), totalBytes: z.number() }).nullable(),
  checks: z.array(doctorCheck),
});
export type DoctorReport = z.infer<typeof doctorReport>;

/** The worst status among the checks decides the report's overall state. */
export function overallStatus(checks: readonly DoctorCheck[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'ok';
}

/** A one-line summary for a status bar: "Docker 20.10.24 · 2 warnings". */
export function summarize(report: DoctorReport): string {
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  const head = report.engine ? `Docker ${report.engine.version}` : 'Docker not reachable';
  const parts = [head];
  if (fails) parts.push(`${fails} problem${fails > 1 ? 's' : ''}`);
  if (warns) parts.push(`${warns} warning${warns > 1 ? 's' : ''}`);
  if (!fails && !warns) parts.push('all checks passed');
  return parts.join(' · ');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
