/**
 * How a docker-in-docker node gets the privileges it needs. `--privileged` first; where the host
 * refuses it (sandboxes, hardened CI: "unable to apply caps: operation not permitted"), a fallback of
 * explicit capabilities, unconfined seccomp/AppArmor, unmasked /proc paths and a writable cgroup
 * mount, which runs dockerd and a swarm on such hosts.
 */
import type Docker from 'dockerode';

export type PrivilegeMode = 'privileged' | 'fallback';

/** Every capability a dind node may use; the host drops what its bounding set lacks. */
export const DIND_CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
] as const;

/** Parses a CapBnd/CapEff hex mask from /proc/<pid>/status into capability names. */
export function capabilitiesFromMask(hexMask: string): string[] {
  const mask = BigInt(`0x${hexMask.trim()}`);
  // Linux capability numbers, in order.
  const order = [
    'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
    'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
    'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
    'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
    'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
    'CHECKPOINT_RESTORE',
  ];
  return order.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** HostConfig fields for a dind container in the given mode. */
export function privilegeHostConfig(mode: PrivilegeMode, capabilities: readonly string[] = DIND_CAPABILITIES): Docker.HostConfig {
  if (mode === 'privileged') return { Privileged: true };
  return {
    CapAdd: [...capabilities],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'],
    // The CLI's --security-opt systempaths=unconfined: nothing under /proc masked or read-only.
    MaskedPaths: [],
    ReadonlyPaths: [],
    // dind creates device nodes and a cgroup tree of its own for the containers it runs.
    DeviceCgroupRules: ['a *:* rwm'],
    Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  };
}
