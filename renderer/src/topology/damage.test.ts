import { describe, expect, it } from 'vitest';
import { clipOf, MAX_REGION_RECTS, SceneDamage, simplify } from './damage.js';
import type { Rect } from './drawCtx.js';

interface Item {
  id: string;
  x: number;
  w: number;
  look: string;
}
const rectOf = (i: Item): Rect => ({ x1: i.x - i.w / 2, y1: -10, x2: i.x + i.w / 2, y2: 10 });
const damage = () => new SceneDamage<Item>((a, b) => a.look === b.look);
const item = (id: string, x: number, over: Partial<Item> = {}): Item => ({ id, x, w: 20, look: 'ready', ...over });

describe('SceneDamage', () => {
  it('asks for the whole canvas at first, in another view and after invalidate; then for nothing when nothing changed', () => {
    const d = damage();
    const items = [item('a', 0), item('b', 100)];
    expect(d.next('v1', items, rectOf)).toBeUndefined();
    expect(d.next('v1', items, rectOf)).toEqual([]);
    expect(d.next('v2', items, rectOf)).toBeUndefined();
    expect(d.next('v2', items, rectOf)).toEqual([]);
    d.invalidate();
    expect(d.next('v2', items, rectOf)).toBeUndefined();
  });

  it('gives where an item changed its look, came or went', () => {
    const d = damage();
    d.next('v', [item('a', 0), item('b', 100)], rectOf);
    expect(d.next('v', [item('a', 0), item('b', 100, { look: 'down' })], rectOf)).toEqual([rectOf(item('b', 100))]);
    expect(d.next('v', [item('a', 0), item('b', 100, { look: 'down' })], rectOf)).toEqual([]); // a new object, the same look
    expect(d.next('v', [item('a', 0), item('b', 100, { look: 'down' }), item('c', 200)], rectOf)).toEqual([rectOf(item('c', 200))]);
    expect(d.next('v', [item('b', 100, { look: 'down' }), item('c', 200)], rectOf)).toEqual([rectOf(item('a', 0))]);
    expect(d.next('v', [item('b', 100, { look: 'down' }), item('c', 200)], rectOf)).toEqual([]);
  });

  it('gives one rectangle around a box that grew in place, and both places of one that moved away', () => {
    const d = damage();
    d.next('v', [item('a', 0), item('b', 100)], rectOf);
    expect(d.next('v', [item('a', 0, { w: 60 }), item('b', 100)], rectOf)).toEqual([{ x1: -30, y1: -10, x2: 30, y2: 10 }]);
    expect(d.next('v', [item('a', 0, { w: 60 }), item('b', 500)], rectOf)).toEqual([rectOf(item('b', 100)), rectOf(item('b', 500))]);
  });

  it('asks for the whole canvas when an item moved and edges join items (an edge follows its ends)', () => {
    const d = damage();
    d.next('v', [item('a', 0)], rectOf, true);
    expect(d.next('v', [item('a', 0, { look: 'down' })], rectOf, true)).toHaveLength(1);
    expect(d.next('v', [item('a', 5, { look: 'down' })], rectOf, true)).toBeUndefined();
  });

  it('leaves out an item with nothing to draw (no place yet)', () => {
    const d = damage();
    d.next('v', [item('a', 0)], rectOf);
    expect(d.next('v', [item('a', 0), item('b', 100)], (i) => (i.id === 'b' ? undefined : rectOf(i)))).toEqual([]);
  });
});

describe('simplify', () => {
  const r = (x1: number, x2: number): Rect => ({ x1, y1: 0, x2, y2: 10 });
  it('drops rectangles inside another, and keeps one of equal ones', () => {
    expect(simplify([r(0, 10), r(2, 8), r(20, 30), r(20, 30)])).toEqual([r(0, 10), r(20, 30)]);
  });

  it('turns too many rectangles into the one around them', () => {
    const many = Array.from({ length: MAX_REGION_RECTS + 1 }, (_, i) => r(i * 100, i * 100 + 10));
    expect(simplify(many)).toEqual([r(0, MAX_REGION_RECTS * 100 + 10)]);
    expect(simplify(many.slice(0, MAX_REGION_RECTS))).toHaveLength(MAX_REGION_RECTS);
  });
});

describe('clipOf', () => {
  const view = { zoom: 0.5, pan: { x: 10.25, y: 20.5 } };

  it('clips to whole device pixels around each rectangle, and draws whatever the clip reaches', () => {
    const r = { x1: 100.3, y1: 40.7, x2: 200.1, y2: 90.2 };
    const { device, model, area } = clipOf([r], view, 2, 1000, 800);
    expect(device).toHaveLength(1);
    const d = device[0]!;
    for (const v of [d.x1, d.y1, d.x2, d.y2]) expect(Number.isInteger(v)).toBe(true);
    // the clip holds the rectangle on the canvas (device = (model × zoom + pan) × ratio) …
    expect(d.x1).toBeLessThanOrEqual((r.x1 * 0.5 + 10.25) * 2);
    expect(d.x2).toBeGreaterThanOrEqual((r.x2 * 0.5 + 10.25) * 2);
    expect(d.y1).toBeLessThanOrEqual((r.y1 * 0.5 + 20.5) * 2);
    expect(d.y2).toBeGreaterThanOrEqual((r.y2 * 0.5 + 20.5) * 2);
    // … and what is to be drawn is the clip itself, a little more than the rectangle
    const m = model[0]!;
    expect((m.x1 * 0.5 + 10.25) * 2).toBeCloseTo(d.x1);
    expect((m.y2 * 0.5 + 20.5) * 2).toBeCloseTo(d.y2);
    expect(m.x1).toBeLessThan(r.x1);
    expect(m.x2).toBeGreaterThan(r.x2);
    expect(area).toBe((d.x2 - d.x1) * (d.y2 - d.y1));
  });

  it('leaves out what lies outside the canvas before making the region simple', () => {
    const inView = Array.from({ length: 10 }, (_, i) => ({ x1: i * 60, y1: 0, x2: i * 60 + 20, y2: 20 }));
    const outOfView = Array.from({ length: MAX_REGION_RECTS }, (_, i) => ({ x1: 5000 + i * 60, y1: 0, x2: 5000 + i * 60 + 20, y2: 20 }));
    const { device } = clipOf([...inView, ...outOfView], { zoom: 1, pan: { x: 0, y: 0 } }, 1, 1000, 800);
    expect(device).toHaveLength(10); // not one rectangle around all 42
    expect(device.every((d) => d.x2 <= 1000)).toBe(true);
  });
});
