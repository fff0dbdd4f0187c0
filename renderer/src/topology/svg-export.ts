/**
 * Exports the graph as SVG from what Cytoscape has laid out and styled: node boxes and task chips as
 * rounded rectangles with their labels, edges as lines, in model coordinates. Written for Swarm
 * Lab's own styles (boxes, chips, edges), not as a general Cytoscape renderer.
 */
import type cytoscape from 'cytoscape';

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
    const dash = e.style('border-style') === 'dashed' ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<rect x="${bb.x1}" y="${bb.y1}" width="${bb.w}" height="${bb.h}" rx="${radius}" fill="${esc(e.style('background-color'))}" fill-opacity="${num(e.style('background-opacity'), 1)}" stroke="${esc(e.style('border-color'))}" stroke-width="${num(e.style('border-width'))}"${dash}/>`,
    );
    const label = e.style('label');
    if (label) {
      const size = num(e.style('font-size'), 12);
      const above = e.style('text-valign') === 'top';
      const x = (bb.x1 + bb.x2) / 2;
      const y = above ? bb.y1 - 4 : (bb.y1 + bb.y2) / 2 + size / 3;
      out.push(`<text x="${x}" y="${y}" font-size="${size}" text-anchor="middle" fill="${esc(e.style('color'))}">${esc(label)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

export function cyToSvg(cy: cytoscape.Core, bg: string): string {
  return graphToSvg(cy.elements().toArray() as unknown as SvgElementLike[], bg);
}
