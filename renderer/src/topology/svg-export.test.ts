import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { cyToSvg } from './svg-export.js';

describe('SVG export', () => {
  it('draws boxes, chips, labels and edges of a headless graph', () => {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'background-color': '#123456', 'border-color': '#abcdef', 'border-width': 2, shape: 'round-rectangle', color: '#000000', 'font-size': 12, width: 40, height: 20 } },
        { selector: '.box', style: { 'text-valign': 'top', 'z-index': 10, width: 120, height: 60 } },
        { selector: '.chip', style: { 'text-valign': 'center', 'z-index': 20 } },
        { selector: 'edge', style: { 'line-color': '#999999', width: 1 } },
      ],
      elements: [
        { data: { id: 'task:1', label: 'web.1' }, classes: 'chip', position: { x: 0, y: 0 } },
        { data: { id: 'node:a', label: 'manager1 <leader>' }, classes: 'box', position: { x: 0, y: 0 } },
        { data: { id: 'net', label: 'ingress' }, position: { x: 200, y: 0 } },
        { data: { id: 'e', source: 'node:a', target: 'net' } },
      ],
    });
    const svg = cyToSvg(cy, '#ffffff');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('manager1 &lt;leader&gt;');
    expect(svg).toContain('>web.1</text>');
    expect(svg.match(/<rect /g)?.length).toBe(4); // background + 3 nodes
    expect(svg).toContain('<line ');
    expect(svg).toContain('fill="rgb(18,52,86)"'); // Cytoscape reports computed colours
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // the box is drawn before the chip on it, its label above it; the chip's label inside the chip
    expect(svg.indexOf('manager1 &lt;leader&gt;')).toBeLessThan(svg.indexOf('>web.1<'));
    expect(svg).toMatch(/<text x="0" y="-36"[^>]*>manager1/);
    expect(svg).toMatch(/<text x="0" y="4"[^>]*>web\.1/);
  });
});
