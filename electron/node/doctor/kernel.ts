/**
 * Whether the kernel that runs the Docker engine offers IPVS (swarm's routing mesh and VIP load
 * balancing) and NFS (shared volumes). Readable only when the engine runs on this machine's kernel;
 * a remote engine or a VM (Docker Desktop) reports "unknown".
 */
import { existsSync } from 'node:fs';
import { readText } from '../read-text.js';

export type Tristate = 'yes' | 'no' | 'unknown';

export interface KernelFs {
  read(path: string): string | undefined;
  exists(path: string): boolean;
}

/** The real files of this machine. */
export const realKernelFs: KernelFs = { read: readText, exists: existsSync };

function moduleAvailable(fs: KernelFs, release: string, file: string): boolean | undefined {
  if (!fs.exists('/proc/modules')) return false; // a kernel without loadable modules
  const dep = fs.read(`/lib/modules/${release}/modules.dep`);
  const builtin = fs.read(`/lib/modules/${release}/modules.builtin`) ?? '';
  if (dep === undefined) return undefined;
  return dep.includes(`/${file}`) || builtin.includes(`/${file}`);
}

export function detectIpvs(fs: KernelFs, release: string): Tristate {
  if (fs.exists('/proc/net/ip_vs')) return 'yes';
  const m = moduleAvailable(fs, release, 'ip_vs.ko');
  return m === undefined ? 'unknown' : m ? 'yes' : 'no';
}

export function detectNfs(fs: KernelFs, release: string): Tristate {
  const filesystems = fs.read('/proc/filesystems');
  if (filesystems && /\tnfs4?\s*$/m.test(filesystems)) return 'yes';
  const m = moduleAvailable(fs, release, 'nfs.ko');
  return m === undefined ? 'unknown' : m ? 'yes' : 'no';
}
