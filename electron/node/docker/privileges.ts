/**
 * How a docker-in-docker node gets the privileges it needs. `--privileged` first; where the host
 * refuses it (sandboxes, hardened CI: "unable to apply caps: operation not permitted"), a fallback of
 * every capability the host allows, unconfined seccomp/AppArmor and unmasked /proc paths, which runs
 * dockerd and a swarm on such hosts.
 */
import type Docker from 'dockerode';

export type PrivilegeMode = 'privileged' | 'fallback';

/** Linux capabilities in bit order (bit 0 = CHOWN). */
export const ALL_CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
] as const;

/** Parses a CapBnd/CapEff hex mask from /proc/<pid>/status into capability names. */
export function capabilitiesFromMask(hexMask: string): string[] {
  const mask = BigInt(`0x${hexMask.trim()}`);
  return ALL_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/**
 * HostConfig fields for a dind container. Privileged where allowed; otherwise ALL capabilities minus
 * what the host's bounding set lacks, unconfined seccomp and AppArmor, nothing under /proc masked.
 * Both get a private cgroup namespace, in which the node's entrypoint remounts the cgroup
 * hierarchies writable for its own dockerd.
 */
export function privilegeHostConfig(mode: PrivilegeMode, hostCapabilities?: readonly string[]): Docker.HostConfig {
  const common = { CgroupnsMode: 'private' } as Docker.HostConfig;
  if (mode === 'privileged') return { ...common, Privileged: true };
  const drop = hostCapabilities ? ALL_CAPABILITIES.filter((c) => !hostCapabilities.includes(c)) : [];
  return {
    ...common,
    CapAdd: ['ALL'],
    CapDrop: drop,
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'],
    // The CLI's --security-opt systempaths=unconfined: nothing under /proc masked or read-only.
    MaskedPaths: [],
    ReadonlyPaths: [],
  } as Docker.HostConfig;
}
