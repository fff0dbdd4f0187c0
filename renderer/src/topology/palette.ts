/**
 * Stable service colours: a service name hashes (FNV-1a) to an index into a fixed palette of
 * colour-blind-aware colours (Okabe–Ito, then Tol), so a service keeps its colour across sessions,
 * machines and re-renders. Each colour carries a readable text colour for labels drawn on it.
 * Colour is never the only carrier: chips also show the service name.
 */
import type { ClusterState } from '../../../electron/common/cluster.js';

export interface PaletteColour {
  bg: string;
  fg: string;
}

export const PALETTE: readonly PaletteColour[] = [
  { bg: '#0072B2', fg: '#ffffff' },
  { bg: '#E69F00', fg: '#000000' },
  { bg: '#009E73', fg: '#000000' },
  { bg: '#CC79A7', fg: '#000000' },
  { bg: '#56B4E9', fg: '#000000' },
  { bg: '#D55E00', fg: '#000000' },
  { bg: '#F0E442', fg: '#000000' },
  { bg: '#332288', fg: '#ffffff' },
  { bg: '#44AA99', fg: '#000000' },
  { bg: '#882255', fg: '#ffffff' },
  { bg: '#DDCC77', fg: '#000000' },
  { bg: '#117733', fg: '#ffffff' },
];

/** 32-bit FNV-1a over UTF-16 code units. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export const paletteIndex = (service: string): number => hashName(service) % PALETTE.length;
export const serviceColour = (service: string): PaletteColour => PALETTE[paletteIndex(service)]!;

export interface LegendEntry {
  serviceId: string;
  name: string;
  stack: string | null;
  colour: PaletteColour;
  index: number;
  running: number;
  desired: number;
}

/** One legend entry per service, in the state's order (by name). */
export function serviceLegend(services: ClusterState['services']): LegendEntry[] {
  return services.map((s) => ({
    serviceId: s.id,
    name: s.name,
    stack: s.stack,
    colour: serviceColour(s.name),
    index: paletteIndex(s.name),
    running: s.replicas.running,
    desired: s.replicas.desired,
  }));
}
