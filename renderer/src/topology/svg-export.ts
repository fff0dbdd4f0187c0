/**
 * Exports the graph as SVG: boxes, networks and task chips as (rounded) rectangles with their
 * labels, edges as lines, in model coordinates. Works on anything shaped like a Cytoscape element
 * (`SvgElementLike`): the graph's boxes and chips are described in those terms by `sceneToSvg` and
 * the chip layer, with the looks they are drawn with.
 */
import { lineYs } from './drawCtx.js';
import { OVERVIEW_LABEL, type ThemeColours } from './graphStyle.js';
import type { Point } from './layout.js';
import { boxFontSize, edgeLookOf, lookOf, networkFontSize, type SceneEdge, type SceneItem } from './scene.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const num = (v: unknown, fallback = 0): number => {
  const n = parseFloat(String(v));
  return Number.isFinite(n) ? n : fallback;
};

export interface SvgElementLike {
  isNode(): boolean;
  boundingBox(opts?: object): { x1: number; y1: number; x2: number; y2: number; w: number; h: number };
  style(name: string): string;
  source?(): SvgElementLike;
  target?(): SvgElementLike;
  position?(): { x: number; y: number };
  visible?(): boolean;
}

export function graphToSvg(elements: SvgElementLike[], bg: string, padding = 20): string {
  const visible = elements.filter((e) => e.visible?.() !== false);
  const boxes = visible.filter((e) => e.isNode()).map((e) => ({ e, bb: e.boundingBox({ includeLabels: false, includeOverlays: false }) }));
  if (!boxes.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`;
  const x1 = Math.min(...boxes.map((b) => b.bb.x1)) - padding;
  const y1 = Math.min(...boxes.map((b) => b.bb.y1)) - padding - 16;
  const x2 = Math.max(...boxes.map((b) => b.bb.x2)) + padding;
  const y2 = Math.max(...boxes.map((b) => b.bb.y2)) + padding;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(x2 - x1)}" height="${Math.ceil(y2 - y1)}" viewBox="${x1} ${y1} ${x2 - x1} ${y2 - y1}" font-family="system-ui, sans-serif">`,
    `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="${esc(bg)}"/>`,
  ];
  for (const edge of visible.filter((e) => !e.isNode())) {
    const a = edge.source?.().position?.();
    const b = edge.target?.().position?.();
    if (a && b) out.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${esc(edge.style('line-color'))}" stroke-width="${num(edge.style('width'), 1)}"/>`);
  }
  // In the graph's drawing order (z-index: node boxes under their chips).
  boxes.sort((p, q) => num(p.e.style('z-index')) - num(q.e.style('z-index')));
  for (const { e, bb } of boxes) {
    const radius = e.style('shape').includes('round') ? 6 : 0;
    const dash = e.style('border-style') === 'dashed' ? ' stroke-dasharray="6 4"' : e.style('border-style') === 'dotted' ? ' stroke-dasharray="2 2"' : '';
    out.push(
      `<rect x="${bb.x1}" y="${bb.y1}" width="${bb.w}" height="${bb.h}" rx="${radius}" fill="${esc(e.style('background-color'))}" fill-opacity="${num(e.style('background-opacity'), 1)}" stroke="${esc(e.style('border-color'))}" stroke-width="${num(e.style('border-width'))}"${dash}/>`,
    );
    const label = e.style('label');
    if (label) {
      const size = num(e.style('font-size'), 12);
      const above = e.style('text-valign') === 'top';
      const x = (bb.x1 + bb.x2) / 2;
      const y = above ? bb.y1 - 4 : (bb.y1 + bb.y2) / 2 + size / 3;
      // several lines: stacked upwards from the last above a box, centred on the middle inside one
      const lines = label.split('\n');
      const ys = lineYs(lines.length, y, size * OVERVIEW_LABEL.lineHeight, above ? 'above' : 'middle');
      const text = lines.length === 1 ? esc(label) : lines.map((l, i) => `<tspan x="${x}" y="${ys[i]}">${esc(l)}</tspan>`).join('');
      out.push(`<text x="${x}" y="${ys[0]}" font-size="${size}" text-anchor="middle" fill="${esc(e.style('color'))}">${text}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}


/** A drawn-by-us element in the export's terms: its box, its style properties by Cytoscape's names. */
export function svgElement(bb: { x1: number; y1: number; x2: number; y2: number }, styles: Record<string, string>, position: Point): SvgElementLike {
  const box = { ...bb, w: bb.x2 - bb.x1, h: bb.y2 - bb.y1 };
  return { isNode: () => true, boundingBox: () => box, style: (name) => styles[name] ?? '', position: () => position };
}

/** The graph as the canvas shows it (boxes, networks, edges from scene.ts; `chips` from the chip layer) as SVG. */
export function sceneToSvg(items: Iterable<SceneItem>, edges: Iterable<SceneEdge>, at: (id: string) => Point | undefined, theme: ThemeColours, k: number, chips: readonly SvgElementLike[]): string {
  const els: SvgElementLike[] = [];
  const byId = new Map<string, SvgElementLike>();
  for (const item of items) {
    const p = at(item.id);
    if (!p) continue;
    const look = lookOf(item, theme, k, false);
    const el = svgElement({ x1: p.x - item.w / 2, y1: p.y - item.h / 2, x2: p.x + item.w / 2, y2: p.y + item.h / 2 }, {
      'z-index': '10',
      shape: look.shape,
      'background-color': look.fill,
      'background-opacity': String(look.fillAlpha),
      'border-color': look.border,
      'border-width': String(look.borderWidth),
      'border-style': look.borderStyle,
      label: look.label.text,
      'font-size': String(item.kind === 'network' ? networkFontSize(k) : boxFontSize(k)),
      'text-valign': look.label.valign,
      color: look.label.colour,
    }, p);
    byId.set(item.id, el);
    els.push(el);
  }
  for (const e of edges) {
    const [a, b] = [byId.get(e.source), byId.get(e.target)];
    if (!a || !b) continue;
    const l = edgeLookOf(e, theme, k);
    els.push({ isNode: () => false, boundingBox: () => ({ x1: 0, y1: 0, x2: 0, y2: 0, w: 0, h: 0 }), style: (n) => (n === 'line-color' ? l.colour : n === 'width' ? String(l.width) : ''), source: () => a, target: () => b });
  }
  return graphToSvg([...els, ...chips], theme.bg);
}
