import { describe, expect, it } from 'vitest';
import { formatCidr, hostAddress, overlaps, parseCidr, pickSubnet } from './cidr.js';

describe('cidr', () => {
  it.each([
    ['172.28.0.0/24', '172.28.0.0/24'],
    ['172.28.0.9/24', '172.28.0.0/24'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('parses %s', (text, expected) => expect(formatCidr(parseCidr(text)!)).toBe(expected));

  it.each(['172.28.0.0', '300.1.1.1/24', '1.2.3.4/33', 'a.b.c.d/8', '1.2.3/24', ''])('refuses %s', (text) =>
    expect(parseCidr(text)).toBeUndefined(),
  );

  it.each([
    ['172.28.0.0/24', '172.28.0.128/25', true],
    ['172.28.0.0/24', '172.28.1.0/24', false],
    ['10.0.0.0/8', '10.200.3.0/24', true],
    ['0.0.0.0/0', '192.168.1.0/24', true],
  ])('%s overlaps %s: %s', (a, b, expected) => expect(overlaps(parseCidr(a)!, parseCidr(b)!)).toBe(expected));

  it('picks the first free /24', () => {
    expect(pickSubnet([])).toBe('172.28.0.0/24');
    expect(pickSubnet(['172.28.0.0/24', '172.28.1.0/24'])).toBe('172.28.2.0/24');
    expect(pickSubnet(['172.28.0.0/16'])).toBe('172.29.0.0/24');
  });

  it('falls back to the next range, and gives up when everything is taken', () => {
    expect(pickSubnet(['172.16.0.0/12'])).toBe('192.168.200.0/24');
    expect(pickSubnet(['0.0.0.0/0'])).toBeUndefined();
  });

  it('gives host addresses', () => {
    expect(hostAddress(parseCidr('172.28.3.0/24')!, 1)).toBe('172.28.3.1');
    expect(hostAddress(parseCidr('172.28.3.0/24')!, 11)).toBe('172.28.3.11');
  });
});
