/**
 * The graph's theme colours (read from the app's CSS variables), fonts, and Cytoscape's stylesheet.
 */
import type cytoscape from 'cytoscape';

export interface ThemeColours {
  bg: string;
  panel: string;
  fg: string;
  muted: string;
  border: string;
  accent: string;
  ok: string;
  warn: string;
  fail: string;
  skip: string;
}

const FALLBACK: ThemeColours = { bg: '#f6f7f9', panel: '#ffffff', fg: '#1b1f24', muted: '#5b6470', border: '#d8dde3', accent: '#1d63ed', ok: '#1a7f37', warn: '#9a6700', fail: '#cf222e', skip: '#6e7781' };

/** Reads the theme's CSS variables from an element (falls back to the light theme's values). */
export function readTheme(el: Element): ThemeColours {
  const cs = getComputedStyle(el);
  const v = (name: string, fb: string): string => cs.getPropertyValue(name).trim() || fb;
  return {
    bg: v('--bg', FALLBACK.bg),
    panel: v('--panel', FALLBACK.panel),
    fg: v('--fg', FALLBACK.fg),
    muted: v('--muted', FALLBACK.muted),
    border: v('--border', FALLBACK.border),
    accent: v('--accent', FALLBACK.accent),
    ok: v('--ok', FALLBACK.ok),
    warn: v('--warn', FALLBACK.warn),
    fail: v('--fail', FALLBACK.fail),
    skip: v('--skip', FALLBACK.skip),
  };
}

export const GRAPH_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** How box labels sit: lines this many font sizes apart, the last this far above the box. */
export const OVERVIEW_LABEL = { lineHeight: 1.3, gap: 4 } as const;
/** The overview's label size, in model units, for a font scale `k` (presenter mode: 1.45). */
export const overviewFontSize = (k: number): number => Math.round(13 * k) * 3;

/**
 * Cytoscape's stylesheet: each element's shape and size, which is what its hit testing, dragging
 * and fitting need. Cytoscape draws nothing (every element is transparent and its canvases are
 * hidden): the graph draws boxes, networks and edges itself (scene.ts), with the chips.
 */
export function graphStyle(scale: number): cytoscape.StylesheetJson {
  return [
    { selector: 'node', style: { opacity: 0, label: '', shape: 'rectangle' } },
    // sized by the graph to fit its chip grid
    { selector: '.swarm-node, .group', style: { width: 'data(w)', height: 'data(h)' } },
    { selector: '.swarm-node.manager', style: { shape: 'round-rectangle' } },
    { selector: '.network', style: { shape: 'hexagon', width: 150 * scale, height: 54 * scale } },
    { selector: 'edge', style: { opacity: 0, events: 'no', 'curve-style': 'straight' } },
  ];
}
