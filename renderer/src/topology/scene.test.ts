import { describe, expect, it } from 'vitest';
import type { ThemeColours } from './graphStyle.js';
import type { Point } from './layout.js';
import { cornerRadius, drawScene, itemExtent, lookOf, sceneExtent, type SceneItem } from './scene.js';
import { recorder } from './testCanvas.js';

const theme: ThemeColours = { bg: '#f6f7f9', panel: '#ffffff', fg: '#1b1f24', muted: '#5b6470', border: '#d8dde3', accent: '#1d63ed', ok: '#1a7f37', warn: '#9a6700', fail: '#cf222e', skip: '#6e7781' };
const item = (id: string, classes: string, over: Partial<SceneItem> = {}): SceneItem => ({ id, kind: 'node', classes, label: `${id}\n✔ ready · worker`, w: 200, h: 100, ...over });

describe('lookOf', () => {
  it('carries status by colour, line style and tint; managers round and thick, workers square and thin', () => {
    expect(lookOf(item('w', 'swarm-node worker status-ready'), theme, 1, false)).toMatchObject({ shape: 'rectangle', border: theme.ok, borderStyle: 'solid', borderWidth: 2, fill: theme.ok, fillAlpha: 0.06 });
    expect(lookOf(item('w', 'swarm-node worker status-down'), theme, 1, false)).toMatchObject({ border: theme.fail, borderStyle: 'dashed', fillAlpha: 0.16 });
    expect(lookOf(item('w', 'swarm-node worker status-disconnected'), theme, 1, false)).toMatchObject({ border: theme.fail, borderStyle: 'dotted' });
    expect(lookOf(item('w', 'swarm-node worker status-drain'), theme, 1, false)).toMatchObject({ border: theme.warn, borderStyle: 'dashed' });
    expect(lookOf(item('w', 'swarm-node worker status-paused'), theme, 1, false)).toMatchObject({ border: theme.warn, borderStyle: 'dotted' });
    expect(lookOf(item('w', 'swarm-node worker status-unknown'), theme, 1, false)).toMatchObject({ border: theme.skip, borderStyle: 'dashed' });
    const leader = lookOf(item('m', 'swarm-node manager leader status-ready'), theme, 1.45, false);
    expect(leader).toMatchObject({ shape: 'round-rectangle', borderWidth: 5 * 1.45, underlay: { colour: '#d4a72c', alpha: 0.55, pad: 6 * 1.45 } });
    expect(leader.label).toMatchObject({ size: 19, bold: true, valign: 'top' });
  });

  it('marks the selection with the accent: a halo and a double border on a node', () => {
    expect(lookOf(item('w', 'swarm-node worker status-down'), theme, 1, true)).toMatchObject({ border: theme.accent, borderStyle: 'double', borderWidth: 7, overlay: { colour: theme.accent, alpha: 0.18 } });
  });

  it('draws the unassigned group dashed and muted, and networks as hexagons labelled inside', () => {
    expect(lookOf(item('group:unassigned', 'group unassigned', { kind: 'group' }), theme, 1, false)).toMatchObject({ borderStyle: 'dashed', border: theme.muted, fillAlpha: 0, label: { colour: theme.muted } });
    expect(lookOf(item('network:n', 'network', { kind: 'network', label: '⇆ web' }), theme, 1, false)).toMatchObject({ shape: 'hexagon', border: theme.accent, label: { valign: 'center', size: 11 } });
  });
});

describe('drawScene', () => {
  const places: Record<string, Point> = { 'node:a': { x: 0, y: 0 }, 'node:m': { x: 300, y: 0 }, 'node:far': { x: 5000, y: 0 }, 'network:n': { x: 150, y: 300 } };
  const at = (id: string) => places[id];
  const items = [item('node:a', 'swarm-node worker status-ready'), item('node:m', 'swarm-node manager leader status-ready'), item('node:far', 'swarm-node worker status-ready'), item('network:n', 'network', { kind: 'network', label: '⇆ web', w: 150, h: 54 })];
  const options = { theme, k: 1, fontFamily: 'sans-serif', minScreenPx: 5, boxLabels: true };

  it('draws what is in view: edges under boxes, the leader’s underlay, labels above boxes and inside networks', () => {
    const ctx = recorder();
    drawScene(ctx, 1000, 800, 1, { zoom: 1, pan: { x: 200, y: 200 } }, items, [{ id: 'e', source: 'network:n', target: 'node:a', ingress: false }], at, options);
    expect(ctx.ops[0]).toBe('lineTo'); // the edge first
    expect(ctx.ops).toContain('rect -100,-50,200,100');
    expect(ctx.ops).toContain(`roundRect 200,-50,200,100`);
    expect(ctx.ops).toContain('fill #d4a72c α0.55');
    expect(ctx.ops.some((o) => o.includes('5000') || o.includes('4900'))).toBe(false); // out of view
    const texts = ctx.ops.filter((o) => o.startsWith('text'));
    expect(texts).toContain(`text node:a @0,${-50 - 4 - 13 * 1.3}`);
    expect(texts).toContain('text ✔ ready · worker @0,-54');
    expect(texts).toContain('text ⇆ web @150,300');
  });

  it('leaves the boxes’ labels to the overview, and type too small to read out', () => {
    const overview = recorder();
    drawScene(overview, 1000, 800, 1, { zoom: 1, pan: { x: 200, y: 200 } }, items, [], at, { ...options, boxLabels: false });
    expect(overview.ops.filter((o) => o.startsWith('text')).map((o) => o.split(' @')[0])).toEqual(['text ⇆ web']);
    const tiny = recorder();
    drawScene(tiny, 1000, 800, 1, { zoom: 0.2, pan: { x: 200, y: 200 } }, items, [], at, options);
    expect(tiny.ops.filter((o) => o.startsWith('text'))).toEqual([]);
  });
});

describe('itemExtent', () => {
  it('covers a box with its halos, and its label above it where that is wider than the box', () => {
    const long = item('node:a', 'swarm-node worker status-ready', { label: 'a-rather-long-node-name\n✔ ready · worker', w: 100, h: 50 });
    const e = itemExtent(long, { x: 0, y: 0 }, 1, true);
    const half = (23 * 0.62 * 13) / 2; // the longest line in bold 13-unit type, about
    expect(e.x1).toBeLessThanOrEqual(-half);
    expect(e.x2).toBeGreaterThanOrEqual(half);
    expect(e.y1).toBeLessThanOrEqual(-25 - 4 - 13 * 1.3 - 13); // the first line's top
    expect(e.y2).toBeGreaterThanOrEqual(25 + 6); // the leader's underlay below it
    // in the overview a box's own label is not drawn
    expect(itemExtent(long, { x: 0, y: 0 }, 1, false)).toEqual({ x1: -58, y1: -33, x2: 58, y2: 33 });
  });

  it('lets a partial redraw draw only the items meeting its region', () => {
    const places: Record<string, Point> = { 'node:a': { x: 0, y: 0 }, 'node:m': { x: 300, y: 0 } };
    const ctx = recorder();
    const options = { theme, k: 1, fontFamily: 'sans-serif', minScreenPx: 5, boxLabels: true, region: [{ x1: 380, y1: -10, x2: 390, y2: 10 }] };
    drawScene(ctx, 1000, 800, 1, { zoom: 1, pan: { x: 200, y: 200 } }, [item('node:a', 'swarm-node worker status-ready'), item('node:m', 'swarm-node manager status-ready')], [], (id) => places[id], options);
    expect(ctx.ops).toContain('roundRect 200,-50,200,100');
    expect(ctx.ops).not.toContain('rect -100,-50,200,100');
  });
});

describe('sceneExtent', () => {
  it('covers every item, the labels above boxes and the leader’s underlay', () => {
    const at = (id: string) => ({ 'node:a': { x: 0, y: 0 }, 'node:m': { x: 300, y: 0 } })[id];
    const e = sceneExtent([item('node:a', 'swarm-node worker'), item('node:m', 'swarm-node manager leader')], at, 1, true)!;
    expect(e.x1).toBe(-100);
    expect(e.x2).toBe(406);
    expect(e.y1).toBeCloseTo(-56 - 4 - 2 * 13 * 1.3);
    expect(e.y2).toBe(56);
    expect(sceneExtent([], at, 1, true)).toBeUndefined();
  });

  it('rounds corners as Cytoscape does', () => {
    expect(cornerRadius(200, 100)).toBe(8);
    expect(cornerRadius(20, 12)).toBe(3);
  });
});
