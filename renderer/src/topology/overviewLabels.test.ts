import { describe, expect, it } from 'vitest';
import { drawLabels, fitInside, labelExtent, type LabelBox } from './overviewLabels.js';
import { recorder as canvas } from './testCanvas.js';

function recorder() {
  const ctx = canvas();
  return { ctx, calls: ctx.texts };
}

const look = { fg: '#111111', muted: '#777777', fontFamily: 'sans-serif', fontSize: 39, minScreenPx: 5 };
const box = (over: Partial<LabelBox> = {}): LabelBox => ({ x: 0, y: 0, w: 570, h: 288, text: 'w12\n30 tasks', muted: false, ...over });

describe('fitInside', () => {
  it('fits a label inside a roomy box, as large as the box allows up to three times the base size', () => {
    expect(fitInside(box(), ['w12', '30 tasks'], 39)).toBeCloseTo(88.6, 0); // the height decides: 288 × 0.8 / (2 × 1.3)
    expect(fitInside(box({ w: 5000, h: 5000 }), ['w12', '30 tasks'], 39)).toBe(117);
  });

  it('leaves a label outside a box too small for the base size', () => {
    expect(fitInside(box({ w: 170, h: 48 }), ['w12', '1 task'], 39)).toBeUndefined();
  });
});

describe('drawLabels', () => {
  const view = { zoom: 0.15, pan: { x: 100, y: 50 } };

  it('draws each label centred in its box, muted for the unassigned group', () => {
    const { ctx, calls } = recorder();
    const n = drawLabels(ctx, 1300, 800, 2, view, [box({ x: 1000, y: 500 }), box({ x: 2000, y: 500, text: '◌ not scheduled\n3 tasks', muted: true })], look);
    expect(n).toBe(2);
    expect(ctx.transforms.at(-1)).toEqual([0.3, 0, 0, 0.3, 200, 100]); // device pixels: ratio × zoom, ratio × pan
    expect(calls.map((c) => c.text)).toEqual(['w12', '30 tasks', '◌ not scheduled', '3 tasks']);
    const [a, b] = calls;
    expect(a!.x).toBe(1000);
    expect(a!.baseline).toBe('middle');
    expect((a!.y + b!.y) / 2).toBeCloseTo(500); // the two lines straddle the box's centre
    expect(a!.fill).toBe('#111111');
    expect(calls[2]!.fill).toBe('#777777');
  });

  it('sizes labels in whole device pixels, so boxes of about the same size share one font', () => {
    const { ctx, calls } = recorder();
    const fonts: string[] = [];
    const c = new Proxy(ctx, { set: (t, k, v) => ((k === 'font' && fonts.push(v as string)), Reflect.set(t, k, v)) });
    drawLabels(c, 1300, 800, 2, view, [box({ x: 1000, y: 500 }), box({ x: 2000, y: 500, h: 289 }), box({ x: 3000, y: 500, h: 300 })], look);
    expect(calls).toHaveLength(6);
    // 88.6 units × 0.3 device pixels a unit = 26.6 px → 26 px; 288 and 289 units tall share it, 300 makes 27 px
    const px = fonts.map((f) => Number(/([\d.]+)px/.exec(f)![1]) * 0.3);
    expect(px.map((p) => Math.round(p * 1000) / 1000)).toEqual([26, 27]);
  });

  it('puts the label above a box too small for it, its last line just over the top edge', () => {
    const { ctx, calls } = recorder();
    drawLabels(ctx, 1300, 800, 1, view, [box({ x: 1000, y: 500, w: 170, h: 48, text: 'w3\n1 task' })], look);
    expect(calls[1]!.baseline).toBe('bottom');
    expect(calls[1]!.y).toBe(500 - 24 - 4);
    expect(calls[0]!.y).toBeCloseTo(500 - 24 - 4 - 39 * 1.3);
  });

  it('skips the boxes out of view, and draws nothing when the type would be too small to read', () => {
    const { ctx, calls } = recorder();
    expect(drawLabels(ctx, 1300, 800, 1, view, [box({ x: 1000, y: 500 }), box({ x: 40_000, y: 500 }), box({ x: 1000, y: -9000 })], look)).toBe(1);
    expect(calls).toHaveLength(2);
    // at 0.1 a label inside its box is still 8.9 px tall, one above a small box 3.9 px; at 0.05 neither
    expect(drawLabels(recorder().ctx, 1300, 800, 1, { zoom: 0.1, pan: { x: 0, y: 0 } }, [box(), box({ w: 170, h: 48 })], look)).toBe(1);
    const tiny = recorder();
    expect(drawLabels(tiny.ctx, 1300, 800, 1, { zoom: 0.05, pan: { x: 0, y: 0 } }, [box()], look)).toBe(0);
    expect(tiny.calls).toHaveLength(0);
  });
});

describe('labelExtent', () => {
  const view = { zoom: 0.15, pan: { x: 100, y: 50 } };

  it('is the box for a label inside it', () => {
    expect(labelExtent(box({ x: 1000, y: 500 }), 39)).toEqual({ x1: 715, y1: 356, x2: 1285, y2: 644 });
  });

  it('reaches over every line drawn above a small box, as wide as the longest', () => {
    const small = box({ x: 1000, y: 500, w: 170, h: 48, text: 'not-a-short-name\n1 task' });
    const { ctx, calls } = recorder();
    drawLabels(ctx, 1300, 800, 1, view, [small], look);
    const e = labelExtent(small, 39);
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      const half = (c.text.length * 0.62 * 39) / 2; // bold type's width, about
      expect(e.y1).toBeLessThanOrEqual(c.y - 39); // (set on its bottom)
      expect(e.y2).toBeGreaterThanOrEqual(c.y);
      expect(e.x1).toBeLessThanOrEqual(c.x - half);
      expect(e.x2).toBeGreaterThanOrEqual(c.x + half);
    }
  });

  it('lets a partial redraw draw only the labels meeting its region', () => {
    const { ctx, calls } = recorder();
    const boxes = [box({ x: 1000, y: 500, w: 170, h: 48 }), box({ x: 3000, y: 500 })];
    expect(drawLabels(ctx, 1300, 800, 1, view, boxes, look, [{ x1: 990, y1: 400, x2: 1010, y2: 410 }])).toBe(1); // over the small box, where its label is
    expect(calls.every((c) => c.x === 1000)).toBe(true);
  });
});
