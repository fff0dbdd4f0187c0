/**
 * Which parts of the graph's canvas a frame must draw anew. The graph keeps, for each box and
 * network, what it looked like and what its drawing covered when the canvas was last drawn; a frame
 * compares that with the scene now. A task count changing in the overview, or a box growing by a
 * row of chips, redraws that box and its label, not the window (on this machine the canvas is
 * rasterized on the page's main thread, so a whole redraw costs in proportion to the window).
 */
import { bounds, type Rect, type Viewport } from './drawCtx.js';

/** A region of more rectangles than this is drawn as the one rectangle around them. */
export const MAX_REGION_RECTS = 32;

/** Whether `a` lies wholly inside `b`. */
const inside = (a: Rect, b: Rect): boolean => a.x1 >= b.x1 && a.y1 >= b.y1 && a.x2 <= b.x2 && a.y2 <= b.y2;
const overlap = (a: Rect, b: Rect): boolean => a.x1 <= b.x2 && b.x1 <= a.x2 && a.y1 <= b.y2 && b.y1 <= a.y2;
const sameRect = (a: Rect, b: Rect): boolean => a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;

/**
 * A region to redraw, made cheap to clip to: rectangles inside another are dropped, and more than
 * MAX_REGION_RECTS become the one rectangle around them (a clip of many small rectangles costs more
 * than it saves).
 */
export function simplify(region: readonly Rect[]): Rect[] {
  if (region.length > 4 * MAX_REGION_RECTS) return [bounds(region)]; // (not worth comparing each with each)
  // largest first, so that each is compared with the few kept that may hold it
  const bySize = [...region].sort((a, b) => (b.x2 - b.x1) * (b.y2 - b.y1) - (a.x2 - a.x1) * (a.y2 - a.y1));
  const kept: Rect[] = [];
  for (const r of bySize) if (!kept.some((k) => inside(r, k))) kept.push(r);
  return kept.length <= MAX_REGION_RECTS ? kept : [bounds(kept)];
}

/**
 * A region (model rectangles) as a canvas of `width`×`height` device pixels showing `view` clips to
 * it: `device`, each rectangle in whole device pixels with one more on each side (so rounding cuts
 * nothing), within the canvas and made simple (what lies outside is dropped first); `model`, the
 * same rectangles in model units, which is what must be drawn (whatever the clip reaches is cleared,
 * so it must be drawn again); `area`, the device pixels they cover.
 */
export function clipOf(region: readonly Rect[], view: Viewport, ratio: number, width: number, height: number): { device: Rect[]; model: Rect[]; area: number } {
  const s = ratio * view.zoom;
  const [px, py] = [view.pan.x * ratio, view.pan.y * ratio];
  // (a plain loop: this runs on every frame of an animation, for dozens of rectangles)
  const inView: Rect[] = [];
  for (const r of region) {
    const x1 = Math.max(0, Math.floor(r.x1 * s + px) - 1);
    const y1 = Math.max(0, Math.floor(r.y1 * s + py) - 1);
    const x2 = Math.min(width, Math.ceil(r.x2 * s + px) + 1);
    const y2 = Math.min(height, Math.ceil(r.y2 * s + py) + 1);
    if (x2 > x1 && y2 > y1) inView.push({ x1, y1, x2, y2 });
  }
  const device = simplify(inView);
  return {
    device,
    model: device.map((r) => ({ x1: (r.x1 - px) / s, y1: (r.y1 - py) / s, x2: (r.x2 - px) / s, y2: (r.y2 - py) / s })),
    area: device.reduce((n, r) => n + (r.x2 - r.x1) * (r.y2 - r.y1), 0),
  };
}

export class SceneDamage<T extends { id: string }> {
  /** Each item as last drawn, and the draw (`seen`) that last had it. */
  private drawn = new Map<string, { item: T; rect: Rect; seen: number }>();
  private draws = 0;
  private view: string | undefined;

  /** `sameLook`: whether two versions of an item draw the same where they stand (status, label, size, …). */
  constructor(private readonly sameLook: (a: T, b: T) => boolean) {}

  /** The next frame draws the whole canvas (the theme, the selection or the edges changed). */
  invalidate(): void {
    this.view = undefined;
  }

  /**
   * Records `items` as drawn in `view` (a key of everything that moves the whole drawing: zoom,
   * pan, canvas size, the overview), each covering `extent(item)`, and returns where that differs
   * from the last record: for each item that came, went, moved, resized or changed its look, where
   * it was and where it is. Undefined when the whole canvas is to be drawn: the first draw, another
   * view, after `invalidate`, or (`wholeIfMoved`, when edges join items) when any item moved.
   */
  next(view: string, items: Iterable<T>, extent: (item: T) => Rect | undefined, wholeIfMoved = false): Rect[] | undefined {
    const whole = view !== this.view;
    this.view = view;
    const draw = ++this.draws;
    const out: Rect[] = [];
    let moved = false;
    let count = 0;
    for (const item of items) {
      const rect = extent(item);
      if (!rect) continue;
      count++;
      const before = this.drawn.get(item.id);
      if (!before) {
        this.drawn.set(item.id, { item, rect, seen: draw });
        out.push(rect);
        continue;
      }
      if (!sameRect(before.rect, rect)) {
        moved = true;
        // a box that grew or shrank in place: the one rectangle around both
        if (overlap(before.rect, rect)) out.push(bounds([before.rect, rect]));
        else out.push(before.rect, rect);
      } else if (before.item !== item && !this.sameLook(before.item, item)) out.push(rect);
      before.item = item;
      before.rect = rect;
      before.seen = draw;
    }
    if (count !== this.drawn.size) {
      for (const [id, before] of this.drawn) {
        if (before.seen === draw) continue;
        out.push(before.rect);
        this.drawn.delete(id);
      }
    }
    return whole || (moved && wholeIfMoved) ? undefined : out;
  }
}
