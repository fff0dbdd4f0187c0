import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitZeroElf, normalizeArch } from './probe-image.js';
import { capabilitiesFromMask, privilegeHostConfig } from './privileges.js';

describe('probe executable', () => {
  it.each(['x86_64', 'aarch64'])('is a well-formed ELF64 for %s', (arch) => {
    const elf = exitZeroElf(arch);
    expect(elf.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(elf.readUInt16LE(18)).toBe(arch === 'x86_64' ? 0x3e : 0xb7);
    expect(Number(elf.readBigUInt64LE(96))).toBe(elf.length); // the load segment covers the file
    expect(elf.length).toBeLessThan(160);
  });

  it('runs and exits 0 on this machine', (ctx) => {
    const arch = normalizeArch(process.arch);
    if (process.platform !== 'linux' || !arch) {
      ctx.skip('only Linux on x86_64 or aarch64 can execute the probe directly');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    try {
      const file = join(dir, 'probe');
      writeFileSync(file, exitZeroElf(arch));
      chmodSync(file, 0o755);
      expect(() => execFileSync(file)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an architecture it has no code for', () => {
    expect(() => exitZeroElf('s390x')).toThrow(/no build for the s390x/);
  });
});

describe('privileges', () => {
  it('reads capability masks', () => {
    expect(capabilitiesFromMask('0000000000000001')).toEqual(['CHOWN']);
    const caps = capabilitiesFromMask('000001fffeffffff');
    expect(caps).not.toContain('SYS_RESOURCE');
    expect(caps).toContain('SYS_ADMIN');
    expect(caps).toContain('NET_ADMIN');
  });
  it('drops from ALL exactly what the host withholds', () => {
    const host = capabilitiesFromMask('000001fffeffffff');
    const hc = privilegeHostConfig('fallback', host);
    expect(hc.Privileged).toBeUndefined();
    expect(hc.CapAdd).toEqual(['ALL']);
    expect(hc.CapDrop).toEqual(['SYS_RESOURCE']);
    expect(hc.SecurityOpt).toContain('seccomp=unconfined');
    expect(privilegeHostConfig('fallback', undefined).CapDrop).toEqual([]);
  });
  it('uses a private cgroup namespace in both modes', () => {
    expect(privilegeHostConfig('privileged')).toMatchObject({ Privileged: true, CgroupnsMode: 'private' });
    expect(privilegeHostConfig('fallback')).toMatchObject({ CgroupnsMode: 'private' });
  });
});
