import { describe, expect, it } from 'vitest';
import { routesFromProcNetRoute } from './host-networks.js';

describe('host routes', () => {
  it('reads /proc/net/route', () => {
    const text = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
      'eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
      'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    ].join('\n');
    expect(routesFromProcNetRoute(text)).toEqual(['192.168.2.0/24', '172.17.0.0/16']);
  });
});
