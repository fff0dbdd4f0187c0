/**
 * IPv4 subnet arithmetic for picking a lab subnet that collides with nothing the host uses.
 */
export interface Cidr {
  base: number; // network address as an unsigned 32-bit integer
  bits: number;
}

export function parseIp(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses "a.b.c.d/n"; the address is masked to its network. */
export function parseCidr(text: string): Cidr | undefined {
  const m = text.trim().match(/^([\d.]+)\/(\d{1,2})$/);
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  return { base: Math.floor(ip / size) * size, bits };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.bits}`;
}

const size = (c: Cidr): number => 2 ** (32 - c.bits);

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** The n-th host address of a subnet (1 = the first usable, usually the gateway). */
export function hostAddress(c: Cidr, n: number): string {
  return formatIp(c.base + n);
}

/**
 * The first /24 from the candidate ranges that overlaps none of `used`. Candidates skip 10.0.0.0/8
 * (swarm's default pool for overlay networks inside the lab) and 172.17.0.0/16 (docker0).
 */
export function pickSubnet(used: readonly string[], candidates: readonly string[] = DEFAULT_LAB_RANGES, prefix = 24): string | undefined {
  const taken = used.map(parseCidr).filter((c): c is Cidr => !!c);
  for (const range of candidates) {
    const r = parseCidr(range);
    if (!r || r.bits > prefix) continue;
    const step = 2 ** (32 - prefix);
    for (let base = r.base; base < r.base + size(r); base += step) {
      const c = { base, bits: prefix };
      if (!taken.some((t) => overlaps(c, t))) return formatCidr(c);
    }
  }
  return undefined;
}

export const DEFAULT_LAB_RANGES = ['172.28.0.0/14', '192.168.200.0/21'];
