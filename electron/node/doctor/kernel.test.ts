import { describe, expect, it } from 'vitest';
import { detectIpvs, detectNfs, type KernelFs } from './kernel.js';

const fsOf = (files: Record<string, string>): KernelFs => ({
  read: (p) => files[p],
  exists: (p) => p in files,
});
const R = '6.1.0-18-amd64';

describe('kernel feature detection', () => {
  it.each([
    ['loaded ip_vs', { '/proc/net/ip_vs': '' }, 'yes'],
    ['no module support at all', {}, 'no'],
    ['loadable module listed', { '/proc/modules': '', [`/lib/modules/${R}/modules.dep`]: 'kernel/net/netfilter/ipvs/ip_vs.ko: x\n' }, 'yes'],
    ['built in', { '/proc/modules': '', [`/lib/modules/${R}/modules.dep`]: '', [`/lib/modules/${R}/modules.builtin`]: 'kernel/net/netfilter/ipvs/ip_vs.ko\n' }, 'yes'],
    ['modules but not this one', { '/proc/modules': '', [`/lib/modules/${R}/modules.dep`]: 'kernel/fs/ext4/ext4.ko:\n' }, 'no'],
    ['modules folder unreadable', { '/proc/modules': '' }, 'unknown'],
  ] as const)('IPVS: %s', (_name, files, expected) => {
    expect(detectIpvs(fsOf(files), R)).toBe(expected);
  });

  it.each([
    ['registered filesystem', { '/proc/filesystems': 'nodev\tproc\nnodev\tnfs4\n' }, 'yes'],
    ['nfsd is not the client', { '/proc/filesystems': 'nodev\tnfsd\n' }, 'no'],
    ['loadable client module', { '/proc/filesystems': 'ext4\n', '/proc/modules': '', [`/lib/modules/${R}/modules.dep`]: 'kernel/fs/nfs/nfs.ko: x\n' }, 'yes'],
  ] as const)('NFS: %s', (_name, files, expected) => {
    expect(detectNfs(fsOf(files), R)).toBe(expected);
  });
});
