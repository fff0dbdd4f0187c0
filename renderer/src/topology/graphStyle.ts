/**
 * The Cytoscape stylesheet for the topology, from the app's theme colours (CSS variables) and
 * presenter mode (larger type, thicker lines). Status is carried by border colour AND border style
 * AND the glyph in the label; managers are rounded with thick borders, workers square and thin;
 * the leader gets a gold underlay and a ★.
 */
import type cytoscape from 'cytoscape';
import { CHIP } from './layout.js';

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
  dark: boolean;
}

const FALLBACK: ThemeColours = { bg: '#f6f7f9', panel: '#ffffff', fg: '#1b1f24', muted: '#5b6470', border: '#d8dde3', accent: '#1d63ed', ok: '#1a7f37', warn: '#9a6700', fail: '#cf222e', skip: '#6e7781', dark: false };

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
    dark: document.documentElement.dataset.theme === 'dark',
  };
}

export const GRAPH_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** How box labels sit: lines this many font sizes apart, the last this far above the box. */
export const OVERVIEW_LABEL = { lineHeight: 1.3, gap: 4 } as const;
/** The overview's label size, in model units, for a font scale `k` (presenter mode: 1.45). */
export const overviewFontSize = (k: number): number => Math.round(13 * k) * 3;

/** A 1×1 transparent GIF. */
const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/**
 * The graph's stylesheet. In the `overview`, the boxes' labels are drawn over the graph by
 * overviewLabels.ts; `overviewLabelsInGraph` puts them in the graph instead (for exports).
 */
export function graphStyle(t: ThemeColours, presenter: boolean, scale: number, overview = false, overviewLabelsInGraph = false): cytoscape.StylesheetJson {
  const k = presenter ? 1.45 : 1;
  const fs = (n: number): number => Math.round(n * k);
  const status = (cls: string, colour: string, style: 'solid' | 'dashed' | 'dotted', tint: number): cytoscape.StylesheetJsonBlock => ({
    selector: `.swarm-node.status-${cls}`,
    style: { 'border-color': colour, 'border-style': style, 'background-color': colour, 'background-opacity': tint },
  });
  return [
    {
      selector: 'node',
      style: {
        'z-index-compare': 'manual',
        'z-index': 10,
        'font-family': GRAPH_FONT,
        color: t.fg,
        'text-wrap': 'wrap',
        'min-zoomed-font-size': presenter ? 0 : 5,
        // An invisible, already-loaded background image. Without one, Cytoscape (3.34) flips a node's
        // `:backgrounding` state twice in every draw of it and restyles the node and, in a compound
        // graph, its whole box; with 3,000 chips that made every frame take ~600 ms instead of ~80 ms
        // (npm run bench:ui).
        'background-image': BLANK_IMAGE,
        'background-image-opacity': 0,
      },
    },
    {
      selector: '.swarm-node, .group',
      style: {
        shape: 'rectangle',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -OVERVIEW_LABEL.gap,
        'font-size': fs(13),
        'font-weight': 'bold',
        'line-height': OVERVIEW_LABEL.lineHeight,
        'background-color': t.panel,
        'background-opacity': 1,
        'border-width': 2 * k,
        'border-color': t.border,
        // sized by the graph to fit its chip grid (chips are separate nodes drawn on top)
        width: 'data(w)',
        height: 'data(h)',
      },
    },
    { selector: '.swarm-node.manager', style: { shape: 'round-rectangle', 'border-width': 5 * k } },
    status('ready', t.ok, 'solid', 0.06),
    status('down', t.fail, 'dashed', 0.16),
    status('disconnected', t.fail, 'dotted', 0.16),
    status('drain', t.warn, 'dashed', 0.1),
    status('paused', t.warn, 'dotted', 0.1),
    status('unknown', t.skip, 'dashed', 0.1),
    { selector: '.swarm-node.leader', style: { 'underlay-color': '#d4a72c', 'underlay-opacity': 0.55, 'underlay-padding': 6 * k, 'underlay-shape': 'round-rectangle' } },
    { selector: '.group', style: { 'border-style': 'dashed', 'border-color': t.muted, 'background-opacity': 0, color: t.muted } },
    {
      selector: '.task',
      style: {
        shape: 'round-rectangle',
        width: CHIP.w * scale,
        height: CHIP.h * scale,
        label: 'data(label)',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': 'ellipsis',
        'text-max-width': `${(CHIP.w - 10) * scale}px`,
        'font-size': fs(11),
        'font-weight': presenter ? 'bold' : 'normal',
        'background-color': 'data(color)',
        color: 'data(textColor)',
        'border-width': 1,
        'border-color': t.dark ? '#000000' : '#ffffff',
        'transition-property': 'opacity, border-color, border-width',
        'transition-duration': presenter ? 600 : 250,
      },
    },
    { selector: '.task', style: { 'z-index': 20 } },
    { selector: '.task.phase-starting', style: { 'background-opacity': 0.55, 'border-style': 'dashed', 'border-width': 2, 'border-color': t.fg } },
    { selector: '.task.phase-stopping', style: { opacity: 0.45, 'border-style': 'dotted', 'border-width': 2, 'border-color': t.fg } },
    { selector: '.task.phase-failed', style: { 'border-color': t.fail, 'border-width': 3 } },
    {
      selector: '.network',
      style: {
        shape: 'hexagon',
        width: 150 * scale,
        height: 54 * scale,
        label: 'data(label)',
        'text-valign': 'center',
        'font-size': fs(11),
        'background-color': t.panel,
        'border-color': t.accent,
        'border-width': 2 * k,
      },
    },
    { selector: 'edge', style: { 'z-index-compare': 'manual', 'z-index': 1, width: 1.5 * k, 'line-color': t.accent, opacity: 0.45, 'curve-style': 'straight' } },
    { selector: 'edge.ingress', style: { 'line-style': 'dashed' } },
    { selector: '.svc-sel', style: { 'border-color': t.accent, 'border-width': 3 * k, 'border-style': 'solid' } },
    { selector: '.sel', style: { 'overlay-color': t.accent, 'overlay-opacity': 0.18, 'overlay-padding': 4 * k, 'border-color': t.accent, 'border-width': presenter ? 6 : 4 } },
    { selector: '.sel.swarm-node', style: { 'border-style': 'double', 'border-width': 7 * k } },
    ...(overview
      ? ([
          // Large type, so the names and counts stay readable at the zoom that shows a hundred boxes:
          // two short lines made to fit (see overviewLabel), drawn over the graph (overviewLabels.ts)
          // unless an export needs them in it.
          {
            selector: '.swarm-node, .group',
            style: overviewLabelsInGraph ? { label: 'data(overviewLabel)', 'font-size': overviewFontSize(k), 'text-wrap': 'wrap', 'text-max-width': '100000px' } : { label: '' },
          },
        ] satisfies cytoscape.StylesheetJsonBlock[])
      : []),
  ];
}
