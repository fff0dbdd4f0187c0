import { describe, expect, it } from 'vitest';
import { ChipLayer, type ChipLook, type ChipSpec } from './chipLayer.js';
import { ChipSprites, type PageFactory, type SpriteLook } from './chipSprites.js';
import { CHIP, type Point } from './layout.js';
import { recorder, type Recorder } from './testCanvas.js';

const spec = (id: string, box = 'node:a'): ChipSpec => ({ id: `task:${id}`, box, label: `▶ ${id}`, color: '#112233', textColor: '#ffffff', phase: 'running', serviceId: 'web', slotKey: `web.${id}` });

/** Pages that record what is painted on them, and a scheduler run by hand. */
function harness(budget?: number) {
  const pages: (Recorder & { clearRect(): void })[] = [];
  const factory: PageFactory = (width, height) => {
    const g = Object.assign(recorder(), { clearRect: () => undefined, width, height });
    pages.push(g);
    return { canvas: g as unknown as CanvasImageSource, g };
  };
  let queued: ((budgetMs: () => number) => void) | undefined;
  const sprites = new ChipSprites<ChipSpec>(factory, (fn) => {
    queued = fn;
    return () => (queued = undefined);
  }, budget);
  /** Runs what was scheduled, with `ms` milliseconds to spare each time it asks. */
  const idle = (ms = 50): void => {
    const fn = queued;
    queued = undefined;
    fn?.(() => ms);
  };
  return { sprites, pages, idle, scheduled: () => queued !== undefined };
}

const lookOf = (key: string, painted: string[]): SpriteLook<ChipSpec> => ({ key, s: 1, w: CHIP.w, h: CHIP.h, margin: 3, paint: (_g, s) => void painted.push(s.id) });

describe('ChipSprites', () => {
  it('asks for a sprite of a chip drawn without one, makes it when idle, then hands out its cell', () => {
    const { sprites, pages, idle, scheduled } = harness();
    const painted: string[] = [];
    const [a, b] = [spec('1'), spec('2')];
    sprites.begin(lookOf('k', painted));
    expect(sprites.get(a)).toBeUndefined();
    expect(sprites.get(b)).toBeUndefined();
    sprites.end();
    expect(scheduled()).toBe(true);
    expect(painted).toEqual([]); // nothing made during a draw
    idle();
    expect(painted).toEqual(['task:1', 'task:2']);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.ops.filter((o) => o === 'clip')).toHaveLength(2); // each kept inside its cell
    sprites.begin(lookOf('k', painted));
    const first = { ...sprites.get(a)! };
    const second = { ...sprites.get(b)! };
    sprites.end();
    expect(scheduled()).toBe(false); // nothing more wanted
    expect(first.w).toBe(CHIP.w + 6);
    expect(first.h).toBe(CHIP.h + 6);
    expect([first.x, first.y]).not.toEqual([second.x, second.y]);
    // each sprite was painted at its cell, the chip `margin` in from its corner
    expect(pages[0]!.transforms).toContainEqual([1, 0, 0, 1, first.x + 3, first.y + 3]);
    expect(pages[0]!.transforms).toContainEqual([1, 0, 0, 1, second.x + 3, second.y + 3]);
  });

  it('drops every sprite when the look changes (another zoom, theme or font)', () => {
    const { sprites, idle } = harness();
    const painted: string[] = [];
    sprites.begin(lookOf('zoom 1', painted));
    sprites.get(spec('1'));
    sprites.end();
    idle();
    expect(sprites.size.sprites).toBe(1);
    sprites.begin(lookOf('zoom 2', painted));
    expect(sprites.get(spec('1'))).toBeUndefined();
    expect(sprites.size).toEqual({ sprites: 0, pages: 0, bytes: 0 });
  });

  it('stops when its idle time is up and goes on at the next idle time', () => {
    const { sprites, idle, scheduled } = harness();
    const painted: string[] = [];
    sprites.begin(lookOf('k', painted));
    for (let i = 0; i < 5; i++) sprites.get(spec(String(i)));
    sprites.end();
    idle(0.5); // under a millisecond left: nothing made
    expect(painted).toEqual([]);
    expect(scheduled()).toBe(true);
    idle();
    expect(painted).toHaveLength(5);
  });

  it('keeps within its budget by reusing the cells of the sprites drawn least recently, never those of the last draw', () => {
    // one page of 1024×1024 holds 7 × 34 cells of 138×30
    const { sprites, pages, idle } = harness(1024 * 1024 * 4);
    const painted: string[] = [];
    const look = lookOf('k', painted);
    const specs = Array.from({ length: 300 }, (_, i) => spec(String(i)));
    const draw = (from: number, to: number): number => {
      sprites.begin(look);
      let hits = 0;
      for (const s of specs.slice(from, to)) if (sprites.get(s)) hits++;
      sprites.end();
      return hits;
    };
    draw(0, 200);
    idle();
    expect(sprites.size.sprites).toBe(200);
    expect(draw(0, 200)).toBe(200);
    draw(200, 300); // a hundred more: room made from the oldest, which the last draw did not use
    idle();
    expect(pages).toHaveLength(1);
    expect(sprites.size.sprites).toBeLessThanOrEqual(7 * 34);
    expect(draw(200, 300)).toBe(100);
  });
});

describe('ChipLayer with sprites', () => {
  const look: ChipLook = { fontFamily: 'sans-serif', fontSize: 11, bold: false, scale: 1, fg: '#000000', fail: '#ff0000', accent: '#0000ff', presenter: false, minScreenPx: 5 };
  const at = (id: string): Point | undefined => (id === 'node:a' ? { x: 0.3, y: 0.6 } : undefined);

  it('draws a chip directly until its sprite is made, then copies the sprite to the same whole device pixels', () => {
    const { sprites, idle } = harness();
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1')]]]), 1, at, { now: 0, instant: true, duration: 400 });
    const view = { zoom: 1, pan: { x: 400.25, y: 300.25 } };
    const direct = recorder();
    layer.draw(direct, 800, 600, 1, view, at, look, 0, undefined, sprites);
    expect(direct.ops.filter((o) => o.startsWith('text'))).toHaveLength(1);
    expect(direct.ops.some((o) => o.startsWith('image'))).toBe(false);
    // drawn at its top left corner rounded to a device pixel: 0.3 − 66 + 400.25 → 335, 0.6 − 12 + 300.25 → 289
    expect(direct.transforms).toContainEqual([1, 0, 0, 1, 335, 289]);
    idle();
    const copied = recorder();
    layer.draw(copied, 800, 600, 1, view, at, look, 0, undefined, sprites);
    expect(copied.ops.some((o) => o.startsWith('text') || o.startsWith('roundRect'))).toBe(false);
    const margin = Math.ceil(1.5) + 1;
    expect(copied.ops).toContain(`image @${335 - margin},${289 - margin}`);
  });

  it('copies a run of chips in device pixels with one change of transform', () => {
    const { sprites, idle } = harness();
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1'), spec('2'), spec('3')]]]), 1, at, { now: 0, instant: true, duration: 400 });
    const view = { zoom: 1, pan: { x: 400, y: 300 } };
    layer.draw(recorder(), 800, 600, 1, view, at, look, 0, undefined, sprites);
    idle();
    const ctx = recorder();
    layer.draw(ctx, 800, 600, 1, view, at, look, 0, undefined, sprites);
    expect(ctx.ops.filter((o) => o.startsWith('image'))).toHaveLength(3);
    expect(ctx.transforms.filter((t) => t.join() === '1,0,0,1,0,0')).toHaveLength(1);
  });

  it('draws the selection mark over a copied chip', () => {
    const { sprites, idle } = harness();
    const layer = new ChipLayer();
    layer.update(new Map([['node:a', [spec('1')]]]), 1, at, { now: 0, instant: true, duration: 400 });
    const view = { zoom: 1, pan: { x: 400, y: 300 } };
    layer.draw(recorder(), 800, 600, 1, view, at, look, 0, undefined, sprites);
    idle();
    layer.selected = 'task:1';
    const ctx = recorder();
    layer.draw(ctx, 800, 600, 1, view, at, look, 0, undefined, sprites);
    expect(ctx.ops.some((o) => o.startsWith('image'))).toBe(true);
    expect(ctx.ops).toContain('stroke #0000ff 4');
  });
});
