/**
 * Subnets a new lab network must not overlap: the host's routes (when the engine runs on this
 * machine) and every Docker network's IPAM subnets.
 */
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { formatIp } from '../../common/cidr.js';

/** Parses /proc/net/route (little-endian hex) into CIDRs, skipping the default route. */
export function routesFromProcNetRoute(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dest = f[1]!;
    const mask = f[7]!;
    if (dest === '00000000') continue;
    const le = (hex: string): number => {
      const n = parseInt(hex, 16);
      return ((n & 0xff) * 2 ** 24) + (((n >>> 8) & 0xff) << 16) + (((n >>> 16) & 0xff) << 8) + ((n >>> 24) & 0xff);
    };
    const maskBits = le(mask).toString(2).replace(/0/g, '').length;
    out.push(`${formatIp(le(dest))}/${maskBits}`);
  }
  return out;
}

export function hostRoutes(): string[] {
  try {
    return routesFromProcNetRoute(readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return [];
  }
}

export async function dockerSubnets(docker: Docker): Promise<{ subnet: string; network: string }[]> {
  const networks = await docker.listNetworks();
  return networks.flatMap((n) =>
    (n.IPAM?.Config ?? []).filter((c) => c.Subnet && !c.Subnet.includes(':')).map((c) => ({ subnet: c.Subnet as string, network: n.Name })),
  );
}
