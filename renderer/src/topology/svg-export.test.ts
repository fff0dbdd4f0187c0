import { describe, expect, it } from 'vitest';
import type { ThemeColours } from './graphStyle.js';
import type { SceneItem } from './scene.js';
import { graphToSvg, sceneToSvg, svgElement } from './svg-export.js';

const theme: ThemeColours = { bg: '#f6f7f9', panel: '#ffffff', fg: '#1b1f24', muted: '#5b6470', border: '#d8dde3', accent: '#1d63ed', ok: '#1a7f37', warn: '#9a6700', fail: '#cf222e', skip: '#6e7781' };

describe('SVG export', () => {
  it('draws boxes, chips, labels and edges, boxes under their chips', () => {
    const items: SceneItem[] = [
      { id: 'node:a', kind: 'node', classes: 'swarm-node manager leader status-down', label: '★ manager1 <leader>\n✖ down · manager (leader)', w: 120, h: 60 },
      { id: 'network:n', kind: 'network', classes: 'network', label: '⇆ ingress', w: 150, h: 54 },
    ];
    const places: Record<string, { x: number; y: number }> = { 'node:a': { x: 0, y: 0 }, 'network:n': { x: 200, y: 0 } };
    const chip = svgElement({ x1: -20, y1: -10, x2: 20, y2: 10 }, { 'z-index': '20', shape: 'round-rectangle', 'background-color': '#123456', label: 'web.1', 'font-size': '11', 'text-valign': 'center', color: '#ffffff' }, { x: 0, y: 0 });
    const svg = sceneToSvg(items, [{ id: 'e', source: 'node:a', target: 'network:n', ingress: false }], (id) => places[id], theme, 1, [chip]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBe(4); // background, box, network, chip
    expect(svg).toContain('<line x1="0" y1="0" x2="200" y2="0"');
    // the box: its status look (down: red, dashed, tinted), its two-line label above it, escaped
    expect(svg).toContain(`stroke="${theme.fail}" stroke-width="5" stroke-dasharray="6 4"`);
    expect(svg).toContain('fill-opacity="0.16"');
    expect(svg).toContain(`<tspan x="0" y="${-30 - 4 - 13 * 1.3}">★ manager1 &lt;leader&gt;</tspan><tspan x="0" y="-34">✖ down · manager (leader)</tspan>`);
    // the chip after the box it sits on, its label inside it
    expect(svg.indexOf('manager1')).toBeLessThan(svg.indexOf('>web.1<'));
    expect(svg).toMatch(/<text x="0" y="3\.66[0-9]*" font-size="11"[^>]*>web\.1<\/text>/);
    expect(svg).toContain('>⇆ ingress</text>');
  });

  it('gives an empty drawing a valid document', () => {
    expect(graphToSvg([], '#fff')).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  });
});
