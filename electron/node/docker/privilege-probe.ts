/**
 * Finds out, by starting a tiny probe container, whether the engine runs `--privileged` containers or
 * needs the capability fallback. The probe container is always removed.
 */
import type Docker from 'dockerode';
import type { KernelFs } from '../doctor/kernel.js';
import { withTimeout } from './client.js';
import { ensureProbeImage, PROBE_IMAGE, PROBE_LABEL } from './probe-image.js';
import { capabilitiesFromMask, privilegeHostConfig, type PrivilegeMode } from './privileges.js';

/** The capabilities the local engine's daemon may hand out (its bounding set), when readable. */
export function hostCapabilities(fs: KernelFs): string[] | undefined {
  const pid = fs.read('/var/run/docker.pid')?.trim();
  const status = (pid && fs.read(`/proc/${pid}/status`)) || fs.read('/proc/self/status');
  const mask = status?.match(/^CapBnd:\s*([0-9a-f]+)/m)?.[1];
  return mask ? capabilitiesFromMask(mask) : undefined;
}

async function runProbe(docker: Docker, hostConfig: Docker.HostConfig): Promise<void> {
  const container = await docker.createContainer({
    Image: PROBE_IMAGE,
    Cmd: ['/probe'],
    Labels: { [PROBE_LABEL]: '1' },
    NetworkDisabled: true,
    HostConfig: { ...hostConfig, NetworkMode: 'none', Binds: [] },
  });
  try {
    await withTimeout('The probe container', 15_000, container.start());
    const result = (await withTimeout('The probe container', 15_000, container.wait())) as { StatusCode: number };
    if (result.StatusCode !== 0) throw new Error(`the probe exited with code ${result.StatusCode}`);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

export interface PrivilegeProbeResult {
  mode: PrivilegeMode | 'none' | 'unknown';
  /** The host's capabilities, which shape the fallback (undefined when unknown). */
  hostCapabilities?: readonly string[];
  error?: string;
}

export async function detectPrivileges(
  docker: Docker,
  engineArch: string,
  hostCaps: readonly string[] | undefined,
): Promise<PrivilegeProbeResult> {
  try {
    await ensureProbeImage(docker, engineArch);
  } catch (e) {
    return { mode: 'unknown', error: `could not prepare the probe image: ${(e as Error).message}` };
  }
  try {
    await runProbe(docker, privilegeHostConfig('privileged'));
    return { mode: 'privileged', hostCapabilities: hostCaps };
  } catch (privilegedError) {
    try {
      await runProbe(docker, privilegeHostConfig('fallback', hostCaps));
      return { mode: 'fallback', hostCapabilities: hostCaps };
    } catch (fallbackError) {
      return {
        mode: 'none',
        error: `--privileged failed (${(privilegedError as Error).message}); the fallback failed too (${(fallbackError as Error).message})`,
      };
    }
  }
}
