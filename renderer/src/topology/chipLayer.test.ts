import { describe, expect, it } from 'vitest';
import { ChipLayer, type ChipLook, type ChipSpec } from './chipLayer.js';
import { simplify } from './damage.js';
import { CHIP, chipGrid, type Point } from './layout.js';
import { recorder } from './testCanvas.js';

const spec = (id: string, box: string, over: Partial<ChipSpec> = {}): ChipSpec => ({ id: `task:${id}`, box, label: `▶ ${id}`, color: '#112233', textColor: '#ffffff', phase: 'running', serviceId: 'web', slotKey: `web.${id}`, ...over });
const look: ChipLook = { fontFamily: 'sans-serif', fontSize: 11, bold: false, scale: 1, fg: '#000000', fail: '#ff0000', accent: '#0000ff', presenter: false, minScreenPx: 5 };
const boxes: Record<string, Point> = { 'node:a': { x: 0, y: 0 }, 'node:b': { x: 1000, y: 0 } };
const at = (id: string): Point | undefined => boxes[id];
const still = { now: 0, instant: true, duration: 400 };

const view = (zoom: number, pan = { x: 0, y: 0 }) => ({ zoom, pan });
/** One frame of a 4000×1000 canvas at 100 %, (0, 0) near its top left; true: draw again (a chip is moving). */
const frameOf = (layer: ChipLayer, now = 0): boolean => layer.draw(recorder(), 4000, 1000, 1, view(1, { x: 100, y: 100 }), at, look, now);

describe('ChipLayer', () => {
  it('places chips on their box’s grid, relative to the box, so a moved box carries them', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a'), spec('2', 'node:a'), spec('3', 'node:a')]]]), 1, at, still);
    const grid = chipGrid(3);
    expect(layer.positionOf('task:2', at, 0)).toEqual(grid.offsets[1]);
    const moved = (id: string) => (id === 'node:a' ? { x: 50, y: -20 } : undefined);
    expect(layer.positionOf('task:2', moved, 0)).toEqual({ x: grid.offsets[1]!.x + 50, y: grid.offsets[1]!.y - 20 });
    expect(layer.chips(at, 0)).toHaveLength(3);
  });

  it('leaves a box given the same array alone, and says whether anything changed', () => {
    const layer = new ChipLayer();
    const a = [spec('1', 'node:a')];
    const b = [spec('2', 'node:b')];
    expect(layer.update(new Map([['node:a', a], ['node:b', b]]), 1, at, still)).toBe(true);
    expect(layer.update(new Map([['node:a', a], ['node:b', b]]), 1, at, still)).toBe(false);
    expect(layer.update(new Map([['node:a', a], ['node:b', [...b, spec('3', 'node:b')]]]), 1, at, still)).toBe(true);
    expect(layer.update(new Map([['node:a', a]]), 1, at, still)).toBe(true);
    expect(layer.positionOf('task:2', at, 0)).toBeUndefined();
  });

  it('glides a chip that changes box from where it was, over 1.5 × the duration', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a')]]]), 1, at, still);
    layer.update(new Map([['node:b', [spec('1', 'node:b')]]]), 1, at, { now: 1000, instant: false, duration: 400 });
    expect(layer.positionOf('task:1', at, 1000)).toEqual({ x: 0, y: 0 });
    const mid = layer.positionOf('task:1', at, 1300)!;
    expect(mid.x).toBeCloseTo(500); // eased: half way at half time
    expect(frameOf(layer, 1599)).toBe(true);
    expect(layer.positionOf('task:1', at, 1600)).toEqual({ x: 1000, y: 0 });
    expect(frameOf(layer, 1600)).toBe(false);
  });

  it('does not move the chips of a box that grew around them (its centre moved, its top-left did not), and glides the others from where they were drawn', () => {
    const layer = new ChipLayer();
    const four = ['1', '2', '3', '4'].map((id) => spec(id, 'node:a'));
    layer.update(new Map([['node:a', four]]), 1, at, still); // 2×2
    const drawnAt = (id: string, boxAt: (id: string) => Point | undefined, now: number) => layer.positionOf(`task:${id}`, boxAt, now)!;
    const before = ['1', '2', '3', '4'].map((id) => drawnAt(id, at, 0));
    // a fifth chip: the grid is 3 wide and 2 high now; the box keeps its top-left corner, so its centre moves
    const [g2, g3] = [chipGrid(4), chipGrid(5)];
    const shift = { x: (g3.width - g2.width) / 2, y: (g3.height - g2.height) / 2 };
    const grown = (id: string) => (id === 'node:a' ? shift : at(id));
    layer.update(new Map([['node:a', [...four, spec('5', 'node:a')]]]), 1, grown, { now: 1000, instant: false, duration: 400, boxWas: (id) => (id === 'node:a' ? { x: 0, y: 0 } : undefined) });
    // chip 1 (top left) is where it was, and stays there: no glide
    expect(drawnAt('1', grown, 1000)).toEqual(before[0]);
    expect(drawnAt('1', grown, 1200)).toEqual(before[0]);
    // chip 3 moves from the second row to the first row's third cell, from where it was drawn (not from a place shifted with the box's centre)
    expect(drawnAt('3', grown, 1000)).toEqual(before[2]);
    expect(drawnAt('3', grown, 1400)).toEqual({ x: shift.x + g3.offsets[2]!.x, y: shift.y + g3.offsets[2]!.y });
  });

  it('glides a new task from the chip of the same slot it replaces, and fades in other new chips', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a', { slotKey: 'web.1' })]]]), 1, at, still);
    const motion = { now: 0, instant: false, duration: 400 };
    layer.update(new Map([['node:a', []], ['node:b', [spec('1b', 'node:b', { slotKey: 'web.1' }), spec('9', 'node:b', { slotKey: 'web.9' })]]]), 1, at, motion);
    const grid = chipGrid(2);
    expect(layer.positionOf('task:1b', at, 0)).toEqual({ x: 0, y: 0 }); // where task 1 was
    expect(layer.positionOf('task:9', at, 0)).toEqual({ x: 1000 + grid.offsets[1]!.x, y: grid.offsets[1]!.y }); // in place…
    const ctx = recorder();
    layer.draw(ctx, 4000, 1000, 1, view(1, { x: 100, y: 100 }), at, look, 0);
    expect(ctx.ops.filter((o) => o.startsWith('fill #112233'))).toContain('fill #112233 α0'); // …fading in from nothing
  });

  it('shows the new state at once when told to', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a')]]]), 1, at, still);
    layer.update(new Map([['node:b', [spec('1', 'node:b')]]]), 1, at, { now: 0, instant: true, duration: 400 });
    expect(layer.positionOf('task:1', at, 0)).toEqual({ x: 1000, y: 0 });
    expect(frameOf(layer)).toBe(false); // nothing to animate
  });

  it('finds the chip under a point, and nothing between chips', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a'), spec('2', 'node:a')]]]), 1, at, still);
    const p = layer.positionOf('task:2', at, 0)!;
    expect(layer.hit({ x: p.x + CHIP.w / 2 - 1, y: p.y }, at, 0)?.id).toBe('task:2');
    expect(layer.hit({ x: p.x + CHIP.w / 2 + 2, y: p.y }, at, 0)).toBeUndefined();
    expect(layer.hit({ x: 500, y: 500 }, at, 0)).toBeUndefined();
  });

  it('draws only the boxes in view: rounded chips with their text up close, plain tiles from afar', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a'), spec('2', 'node:a', { phase: 'failed' })]], ['node:b', [spec('3', 'node:b')]]]), 1, at, still);
    const near = recorder();
    layer.draw(near, 800, 600, 1, view(1, { x: 400, y: 300 }), at, look, 0); // node:a in the middle, node:b far right
    expect(layer.lastDrawnBoxes).toEqual(['node:a']);
    expect(layer.lastDrawnChips).toBe(2);
    expect(near.ops.filter((o) => o.startsWith('text')).map((o) => o.split(' @')[0])).toEqual(['text ▶ 1', 'text ▶ 2']);
    expect(near.ops).toContain('stroke #ff0000 3'); // a failed task's border; a running one has none
    expect(near.ops.filter((o) => o.startsWith('stroke'))).toHaveLength(1);
    const far = recorder();
    layer.draw(far, 800, 600, 1, view(0.4, { x: 100, y: 300 }), at, look, 0);
    expect(layer.lastDrawnBoxes).toEqual(['node:a', 'node:b']);
    expect(far.ops.filter((o) => o.startsWith('fillRect'))).toHaveLength(3);
    expect(far.ops.some((o) => o.startsWith('text') || o.startsWith('roundRect'))).toBe(false);
  });

  it('cuts a label too long for its chip with an ellipsis', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a', { label: `▶ ${'x'.repeat(40)}` })]]]), 1, at, still);
    const ctx = recorder();
    layer.draw(ctx, 800, 600, 1, view(1, { x: 400, y: 300 }), at, look, 0);
    const text = ctx.texts[0]!.text;
    expect(text.endsWith('…')).toBe(true);
    expect(text.length * 6).toBeLessThanOrEqual(CHIP.w - 10);
  });

  it('marks the selected chip and the chips of the selected service', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a'), spec('2', 'node:a', { serviceId: 'db' })]]]), 1, at, still);
    layer.selected = 'task:1';
    const ctx = recorder();
    layer.draw(ctx, 800, 600, 1, view(1, { x: 400, y: 300 }), at, look, 0);
    expect(ctx.ops).toContain('fill #0000ff α0.18'); // the halo
    expect(ctx.ops).toContain('stroke #0000ff 4');
    layer.selected = undefined;
    layer.selectedService = 'db';
    const svc = recorder();
    layer.draw(svc, 800, 600, 1, view(1, { x: 400, y: 300 }), at, look, 0);
    expect(svc.ops.filter((o) => o === 'stroke #0000ff 3')).toHaveLength(1);
  });

  it('describes every chip for the SVG export with the look it is drawn with', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a', { phase: 'starting' })]]]), 1, at, still);
    const [el] = layer.svgElements(at, look, 0);
    expect(el!.boundingBox()).toMatchObject({ w: CHIP.w, h: CHIP.h });
    expect(el!.style('background-color')).toBe('#112233');
    expect(el!.style('background-opacity')).toBe('0.55');
    expect(el!.style('border-style')).toBe('dashed');
    expect(el!.style('label')).toBe('▶ 1');
  });

  it('says what the next draw must cover: the boxes whose chips changed, and the chips on the move', () => {
    const layer = new ChipLayer();
    const a = [spec('1', 'node:a')];
    layer.update(new Map([['node:a', a], ['node:b', [spec('2', 'node:b')]]]), 1, at, still);
    expect(layer.region(at, 0)).toBeUndefined(); // never drawn: all of it
    frameOf(layer);
    expect(layer.region(at, 0)).toEqual([]);
    layer.update(new Map([['node:a', a], ['node:b', [spec('2', 'node:b'), spec('3', 'node:b')]]]), 1, at, still);
    const region = layer.region(at, 0)!;
    expect(region.length).toBeGreaterThan(0);
    expect(region.every((r) => r.x1 > 500 && r.x2 < 1500)).toBe(true); // node:b's, not node:a's
    layer.invalidate();
    expect(layer.region(at, 0)).toBeUndefined();
    // a chip gliding from node:a to node:b: where it was drawn last and where it is now
    frameOf(layer);
    layer.update(new Map([['node:a', []], ['node:b', [spec('1', 'node:b'), spec('2', 'node:b'), spec('3', 'node:b')]]]), 1, at, { now: 0, instant: false, duration: 400 });
    frameOf(layer);
    const moving = layer.region(at, 300)!;
    expect(moving.some((r) => r.x1 < 0 && r.x2 > 0)).toBe(true); // drawn last at node:a (0, 0)
    expect(moving.some((r) => r.x1 > 100 && r.x2 < 900)).toBe(true); // now on its way
  });

  it('covers chips shifting about inside their box with the box’s one rectangle, a chip crossing to another box with its own', () => {
    const layer = new ChipLayer();
    const many = (ids: string[], box: string) => ids.map((i) => spec(i, box));
    const ten = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    layer.update(new Map([['node:a', many(ten, 'node:a')], ['node:b', many(['x'], 'node:b')]]), 1, at, still);
    frameOf(layer);
    // task 1 leaves node:a for node:b: the nine after it shift up a place in node:a
    layer.update(new Map([['node:a', many(ten.slice(1), 'node:a')], ['node:b', many(['x', '1'], 'node:b')]]), 1, at, { now: 0, instant: false, duration: 400 });
    expect(frameOf(layer, 100)).toBe(true);
    const region = simplify(layer.region(at, 300)!); // half way, as the graph draws it
    const grid = chipGrid(9);
    const aRect = region.filter((r) => r.x1 < 0 && r.x2 > 0 && r.x2 - r.x1 >= grid.width);
    expect(aRect).toHaveLength(1); // node:a as one rectangle, not nine chips
    expect(region.length).toBeLessThanOrEqual(3); // node:a, node:b and task 1 on its way
    expect(region.some((r) => r.x1 > 100 && r.x2 < 900)).toBe(true); // task 1 between the boxes
  });

  it('draws only what meets a rectangle for a partial redraw, leaving the record of whole draws alone', () => {
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1', 'node:a')]], ['node:b', [spec('2', 'node:b')]]]), 1, at, still);
    layer.draw(recorder(), 4000, 1000, 1, view(1, { x: 100, y: 500 }), at, look, 0);
    expect(layer.lastDrawnBoxes).toEqual(['node:a', 'node:b']);
    const part = recorder();
    layer.draw(part, 4000, 1000, 1, view(1, { x: 100, y: 500 }), at, look, 0, [{ x1: 900, y1: -50, x2: 1100, y2: 50 }]);
    expect(part.texts.map((t) => t.text)).toEqual(['▶ 2']);
    expect(layer.lastDrawnBoxes).toEqual(['node:a', 'node:b']);
  });

  it('gives a rectangle for each box whose chips changed, however many (the graph leaves out those not in view, then makes the region simple)', () => {
    const layer = new ChipLayer();
    const many = (n: number, box: string) => Array.from({ length: n }, (_, i) => spec(`${box}${i}`, box));
    const wide: Record<string, Point> = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`node:${i}`, { x: i * 1000, y: 0 }]));
    const atWide = (id: string) => wide[id];
    layer.update(new Map(Object.keys(wide).map((b) => [b, many(2, b)])), 1, atWide, still);
    layer.draw(recorder(), 4000, 1000, 1, view(1), atWide, look, 0);
    layer.update(new Map(Object.keys(wide).map((b) => [b, many(3, b)])), 1, atWide, still); // every box changed
    const region = layer.region(atWide, 0)!;
    expect(region.length).toBeGreaterThanOrEqual(40);
    for (let i = 0; i < 40; i++) expect(region.some((r) => r.x1 < i * 1000 && r.x2 > i * 1000)).toBe(true);
  });
  it('ends every series of updates where a layer given only the last one stands (300 rounds of random changes)', () => {
    // Chips whose tasks stay are changed in place, not made anew: whatever the series, once the
    // glides are over each task's chip is where a fresh layer puts it, and no chip is left over.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const names = ['node:a', 'node:b', 'node:c'];
    const place: Record<string, Point> = { 'node:a': { x: 0, y: 0 }, 'node:b': { x: 1000, y: 0 }, 'node:c': { x: 0, y: 1000 } };
    const atAll = (id: string): Point | undefined => place[id];
    let boxesNow = new Map<string, ChipSpec[]>(names.map((b) => [b, []]));
    let next = 0;
    const layer = new ChipLayer();
    let now = 0;
    for (let round = 0; round < 300; round++) {
      const all = [...boxesNow.values()].flat();
      const changed = new Map(boxesNow);
      const edit = (box: string, f: (l: ChipSpec[]) => ChipSpec[]): void => void changed.set(box, f([...(changed.get(box) ?? [])]));
      for (let k = rand(4); k >= 0; k--) {
        const op = rand(5);
        const box = names[rand(3)]!;
        if (op === 0 || all.length < 3) edit(box, (l) => [...l, spec(String(next++), box, { slotKey: `web.${rand(20)}` })]);
        else if (op === 1) edit(box, (l) => l.filter((_, i) => i !== rand(l.length + 1)));
        else if (op === 2) {
          // a task moves to another box (same task, new spec)
          const from = names.find((b) => (changed.get(b) ?? []).length > 0)!;
          const list = changed.get(from)!;
          const t = list[rand(list.length)]!;
          edit(from, (l) => l.filter((x) => x !== t));
          edit(box, (l) => [...l, { ...t, box }]);
        } else if (op === 3) edit(box, (l) => l.map((x, i) => (i === rand(l.length) ? { ...x, phase: x.phase === 'running' ? 'starting' : 'running' } : x)));
        else edit(box, (l) => l.reverse());
      }
      boxesNow = changed;
      now += 50 + rand(500);
      layer.update(boxesNow, 1, atAll, { now, instant: rand(10) === 0, duration: 400 });
      if (rand(3) === 0) frameOf(layer, now + rand(700));
      const fresh = new ChipLayer();
      fresh.update(boxesNow, 1, atAll, still);
      const settled = (l: ChipLayer) => l.chips(atAll, now + 10_000).map((c) => `${c.spec.id}@${c.x},${c.y} ${c.spec.phase}`).sort();
      expect(settled(layer), `round ${round}`).toEqual(settled(fresh));
    }
  });
});
