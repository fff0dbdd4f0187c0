/**
 * How the graph's boxes, networks and edges look, and their drawing on the graph's own canvas.
 *
 * Cytoscape holds these elements for placing, dragging, tapping and hit testing, but draws none of
 * them (they are transparent there and its canvases are hidden): on this machine's CPU-drawn page, a
 * frame in which Cytoscape drew 100 boxes cost 6–10 ms of main thread, of which the drawing itself
 * was a small part; the rest was its per-element bookkeeping and one more full-window canvas to
 * rasterize and composite (npm run bench:ui). Drawn here, with the chips, the whole graph is one
 * canvas and a frame costs a few milliseconds.
 *
 * `lookOf` is the one description of a box's look: the canvas, the PNG and the SVG export use it.
 * Status is carried by border colour AND border style AND the glyph in the label; managers are
 * rounded with thick borders, workers square and thin; the leader gets a gold underlay and a ★.
 */
import { bounds, fillLines, linesRect, meets, toModel, type DrawCtx, type Rect, type Viewport } from './drawCtx.js';
import type { ThemeColours } from './graphStyle.js';
import { OVERVIEW_LABEL } from './graphStyle.js';
import type { Point } from './layout.js';

export type Shape = 'rectangle' | 'round-rectangle' | 'hexagon';
export type LineStyle = 'solid' | 'dashed' | 'dotted' | 'double';

/** A box (swarm node or the unassigned group) or a network, as the graph holds it. */
export interface SceneItem {
  id: string;
  kind: 'node' | 'group' | 'network';
  /** The element's classes: role, status, leader, ingress. */
  classes: string;
  label: string;
  w: number;
  h: number;
}

export interface SceneEdge {
  id: string;
  source: string;
  target: string;
  ingress: boolean;
}

export interface ItemLook {
  shape: Shape;
  fill: string;
  fillAlpha: number;
  border: string;
  borderWidth: number;
  borderStyle: LineStyle;
  /** The leader's gold halo. */
  underlay?: { colour: string; alpha: number; pad: number };
  /** The selection's tinted halo. */
  overlay?: { colour: string; alpha: number; pad: number };
  label: { text: string; size: number; colour: string; bold: boolean; valign: 'top' | 'center' };
}

export interface EdgeLook {
  colour: string;
  width: number;
  alpha: number;
  dashed: boolean;
}

const STATUS: Record<string, { colour: keyof ThemeColours; style: LineStyle; tint: number }> = {
  ready: { colour: 'ok', style: 'solid', tint: 0.06 },
  down: { colour: 'fail', style: 'dashed', tint: 0.16 },
  disconnected: { colour: 'fail', style: 'dotted', tint: 0.16 },
  drain: { colour: 'warn', style: 'dashed', tint: 0.1 },
  paused: { colour: 'warn', style: 'dotted', tint: 0.1 },
  unknown: { colour: 'skip', style: 'dashed', tint: 0.1 },
};

/** Font size of box labels (model units) for presenter mode's factor `k`. */
export const boxFontSize = (k: number): number => Math.round(13 * k);
/** Font size of network labels. */
export const networkFontSize = (k: number): number => Math.round(11 * k);

/** How an item looks, from its classes, the theme and presenter mode (`k`: 1.45 there, else 1). */
export function lookOf(item: SceneItem, t: ThemeColours, k: number, selected: boolean): ItemLook {
  const cls = ` ${item.classes} `;
  const has = (c: string): boolean => cls.includes(` ${c} `);
  if (item.kind === 'network') {
    return {
      shape: 'hexagon',
      fill: t.panel,
      fillAlpha: 1,
      border: t.accent,
      borderWidth: selected ? (k > 1 ? 6 : 4) : 2 * k,
      borderStyle: 'solid',
      ...(selected ? { overlay: { colour: t.accent, alpha: 0.18, pad: 4 * k } } : {}),
      label: { text: item.label, size: networkFontSize(k), colour: t.fg, bold: false, valign: 'center' },
    };
  }
  const look: ItemLook = {
    shape: has('manager') ? 'round-rectangle' : 'rectangle',
    fill: t.panel,
    fillAlpha: 1,
    border: t.border,
    borderWidth: (has('manager') ? 5 : 2) * k,
    borderStyle: 'solid',
    label: { text: item.label, size: boxFontSize(k), colour: t.fg, bold: true, valign: 'top' },
  };
  if (item.kind === 'group') Object.assign(look, { borderStyle: 'dashed', border: t.muted, fillAlpha: 0, label: { ...look.label, colour: t.muted } });
  else {
    const st = STATUS[/(?:^| )status-(\w+)/.exec(item.classes)?.[1] ?? 'unknown'] ?? STATUS.unknown!;
    Object.assign(look, { border: t[st.colour], borderStyle: st.style, fill: t[st.colour], fillAlpha: st.tint });
    if (has('leader')) look.underlay = { colour: '#d4a72c', alpha: 0.55, pad: 6 * k };
  }
  if (selected) Object.assign(look, { border: t.accent, borderStyle: item.kind === 'node' ? 'double' : 'solid', borderWidth: item.kind === 'node' ? 7 * k : k > 1 ? 6 : 4, overlay: { colour: t.accent, alpha: 0.18, pad: 4 * k } });
  return look;
}

export function edgeLookOf(e: SceneEdge, t: ThemeColours, k: number): EdgeLook {
  return { colour: t.accent, width: 1.5 * k, alpha: 0.45, dashed: e.ingress };
}

/** Corner radius of a rounded box (as Cytoscape rounds its round-rectangles). */
export const cornerRadius = (w: number, h: number): number => Math.min(w / 4, h / 4, 8);

function outline(ctx: DrawCtx, shape: Shape, x: number, y: number, w: number, h: number): void {
  ctx.beginPath();
  if (shape === 'hexagon') {
    ctx.moveTo(x - w / 2, y);
    ctx.lineTo(x - w / 4, y - h / 2);
    ctx.lineTo(x + w / 4, y - h / 2);
    ctx.lineTo(x + w / 2, y);
    ctx.lineTo(x + w / 4, y + h / 2);
    ctx.lineTo(x - w / 4, y + h / 2);
    ctx.closePath();
  } else if (shape === 'round-rectangle') ctx.roundRect(x - w / 2, y - h / 2, w, h, cornerRadius(w, h));
  else ctx.rect(x - w / 2, y - h / 2, w, h);
}

function dash(ctx: DrawCtx, style: LineStyle, width: number): void {
  ctx.setLineDash(style === 'dashed' ? [3 * width, 2 * width] : style === 'dotted' ? [width, width] : []);
}

export interface SceneOptions {
  theme: ThemeColours;
  /** Presenter mode's factor (1.45), else 1. */
  k: number;
  fontFamily: string;
  /** Labels smaller than this on screen are left out. */
  minScreenPx: number;
  /** The selected element's id (`node:…`, `network:…`). */
  selected?: string;
  /** In the overview the boxes' own labels give way to the overview's (drawn by overviewLabels.ts). */
  boxLabels: boolean;
  /** A partial redraw: only what meets these model rectangles. */
  region?: readonly Rect[];
  /** What an item's drawing covers, for `region` (itemExtent's, known already or larger). */
  extentOf?: (item: SceneItem, p: Point) => Rect;
}

/**
 * Draws the edges, networks and boxes in view (`view`, on a canvas of `width`×`height` device
 * pixels, `ratio` per CSS pixel; the caller clears it), each where Cytoscape has it now (`at`).
 */
export function drawScene(ctx: DrawCtx, width: number, height: number, ratio: number, view: Viewport, items: Iterable<SceneItem>, edges: Iterable<SceneEdge>, at: (id: string) => Point | undefined, o: SceneOptions): void {
  const { left, top, right, bottom } = toModel(ctx, width, height, ratio, view, o.region && bounds(o.region));
  for (const e of edges) {
    const a = at(e.source);
    const b = at(e.target);
    if (!a || !b || (Math.max(a.x, b.x) < left || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) < top || Math.min(a.y, b.y) > bottom)) continue;
    const l = edgeLookOf(e, o.theme, o.k);
    ctx.globalAlpha = l.alpha;
    ctx.strokeStyle = l.colour;
    ctx.lineWidth = l.width;
    ctx.setLineDash(l.dashed ? [6, 3] : []);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  const labelled: { item: SceneItem; p: Point; look: ItemLook }[] = [];
  for (const item of items) {
    const p = at(item.id);
    if (!p) continue;
    // a label above a box reaches 3 lines of type above it
    const slack = item.kind === 'network' ? 0 : boxFontSize(o.k) * 4;
    if (p.x + item.w / 2 < left || p.x - item.w / 2 > right || p.y + item.h / 2 < top || p.y - item.h / 2 - slack > bottom) continue;
    if (o.region) {
      const e = o.extentOf ? o.extentOf(item, p) : itemExtent(item, p, o.k, o.boxLabels);
      if (!meets(o.region, e.x1, e.y1, e.x2, e.y2)) continue;
    }
    const look = lookOf(item, o.theme, o.k, o.selected === item.id);
    drawItem(ctx, item, p, look);
    labelled.push({ item, p, look });
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  for (const { item, p, look } of labelled) {
    if (item.kind !== 'network' && !o.boxLabels) continue;
    if (look.label.size * view.zoom < o.minScreenPx || !look.label.text) continue;
    drawLabel(ctx, look, p, item.h, o.fontFamily);
  }
}

/** One box or network: underlay, fill, border, selection halo. */
export function drawItem(ctx: DrawCtx, item: SceneItem, p: Point, look: ItemLook): void {
  const { w, h } = item;
  if (look.underlay) {
    const u = look.underlay;
    ctx.globalAlpha = u.alpha;
    ctx.fillStyle = u.colour;
    outline(ctx, 'round-rectangle', p.x, p.y, w + 2 * u.pad, h + 2 * u.pad);
    ctx.fill();
  }
  if (look.overlay) {
    const v = look.overlay;
    ctx.globalAlpha = v.alpha;
    ctx.fillStyle = v.colour;
    outline(ctx, look.shape === 'hexagon' ? 'hexagon' : 'round-rectangle', p.x, p.y, w + 2 * v.pad, h + 2 * v.pad);
    ctx.fill();
  }
  outline(ctx, look.shape, p.x, p.y, w, h);
  if (look.fillAlpha > 0) {
    ctx.globalAlpha = look.fillAlpha;
    ctx.fillStyle = look.fill;
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = look.border;
  if (look.borderStyle === 'double') {
    // two lines, each a third of the width, at the outer and inner thirds
    const third = look.borderWidth / 3;
    ctx.lineWidth = third;
    ctx.setLineDash([]);
    outline(ctx, look.shape, p.x, p.y, w + 2 * third, h + 2 * third);
    ctx.stroke();
    outline(ctx, look.shape, p.x, p.y, w - 2 * third, h - 2 * third);
    ctx.stroke();
    return;
  }
  ctx.lineWidth = look.borderWidth;
  dash(ctx, look.borderStyle, look.borderWidth);
  ctx.stroke();
}

/** An item's label: above a box (its last line `OVERVIEW_LABEL.gap` above the top edge), inside a network. */
export function drawLabel(ctx: DrawCtx, look: ItemLook, p: Point, h: number, fontFamily: string): void {
  const l = look.label;
  const lines = l.text.split('\n');
  const step = l.size * OVERVIEW_LABEL.lineHeight;
  ctx.font = `${l.bold ? 'bold ' : ''}${l.size}px ${fontFamily}`;
  ctx.fillStyle = l.colour;
  if (l.valign === 'top') fillLines(ctx, lines, p.x, p.y - h / 2 - OVERVIEW_LABEL.gap, step, 'above');
  else fillLines(ctx, lines, p.x, p.y, step, 'middle');
}

/**
 * What drawing an item may cover (model coordinates), generously, for redrawing part of the canvas:
 * the item with its halos and border, and its label (above a box when `boxLabels`, inside a
 * network, where either may be wider than the item).
 */
export function itemExtent(item: SceneItem, p: Point, k: number, boxLabels: boolean): Rect {
  const pad = 8 * k; // the leader's underlay (6), the selection's halo (4) and its border (7 wide, half outside)
  const r = { x1: p.x - item.w / 2 - pad, y1: p.y - item.h / 2 - pad, x2: p.x + item.w / 2 + pad, y2: p.y + item.h / 2 + pad };
  if (item.kind !== 'network' && !boxLabels) return r;
  const lines = item.label.split('\n');
  const size = item.kind === 'network' ? networkFontSize(k) : boxFontSize(k);
  const l = item.kind === 'network' ? linesRect(lines, p.x, p.y, size, size * OVERVIEW_LABEL.lineHeight, 'middle') : linesRect(lines, p.x, p.y - item.h / 2 - OVERVIEW_LABEL.gap, size, size * OVERVIEW_LABEL.lineHeight, 'above');
  return { x1: Math.min(r.x1, l.x1), y1: Math.min(r.y1, l.y1), x2: Math.max(r.x2, l.x2), y2: Math.max(r.y2, l.y2) };
}

/**
 * The extent of everything drawn (model coordinates): items with the labels above boxes, for an
 * export's canvas. Undefined with nothing to draw.
 */
export function sceneExtent(items: Iterable<SceneItem>, at: (id: string) => Point | undefined, k: number, boxLabels: boolean): Rect | undefined {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const item of items) {
    const p = at(item.id);
    if (!p) continue;
    const above = item.kind !== 'network' && boxLabels ? OVERVIEW_LABEL.gap + boxFontSize(k) * OVERVIEW_LABEL.lineHeight * item.label.split('\n').length : 0;
    const pad = item.kind === 'node' && item.classes.includes('leader') ? 6 * k : 0;
    x1 = Math.min(x1, p.x - item.w / 2 - pad);
    x2 = Math.max(x2, p.x + item.w / 2 + pad);
    y1 = Math.min(y1, p.y - item.h / 2 - pad - above);
    y2 = Math.max(y2, p.y + item.h / 2 + pad);
  }
  return Number.isFinite(x1) ? { x1, y1, x2, y2 } : undefined;
}
