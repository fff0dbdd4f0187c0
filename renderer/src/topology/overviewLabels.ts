/**
 * The overview's box labels ("w12" over "30 tasks"), drawn on the graph's canvas over the boxes,
 * inside each box and as large as fits, in place of the boxes' own labels and chips. Drawing 100
 * two-line labels with fillText costs well under a millisecond, whatever changed (Cytoscape's label
 * textures, used before, made an update that changed 30 task counts draw in 22–27 ms).
 */
import { bounds, fillLines, linesRect, meets, toModel, type DrawCtx, type Rect, type Viewport } from './drawCtx.js';
import { OVERVIEW_LABEL } from './graphStyle.js';

export interface LabelBox {
  /** Centre and size in model coordinates. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Lines of the label, top to bottom. */
  text: string;
  muted: boolean;
  /** What the label covers, known already (labelExtent's, or larger), for a partial redraw. */
  reach?: Rect;
}

export interface LabelLook {
  fg: string;
  muted: string;
  fontFamily: string;
  /** Model units, like Cytoscape's font-size. */
  fontSize: number;
  /** Labels smaller than this on screen are left out, as Cytoscape's min-zoomed-font-size does. */
  minScreenPx: number;
}

/** A box's label inside it, centred, as large as fits (up to 3× the base size); else undefined. */
export function fitInside(b: LabelBox, lines: readonly string[], base: number): number | undefined {
  const longest = Math.max(1, ...lines.map((l) => l.length));
  const size = Math.min((b.h * 0.8) / (lines.length * OVERVIEW_LABEL.lineHeight), (b.w * 0.9) / (0.62 * longest), base * 3);
  return size >= base ? size : undefined;
}

/** What a box's label covers (model coordinates), generously: inside the box, or above it (see drawLabels). */
export function labelExtent(b: LabelBox, fontSize: number): Rect {
  const lines = b.text.split('\n');
  const inside = fitInside(b, lines, fontSize);
  if (inside !== undefined) return { x1: b.x - b.w / 2, y1: b.y - b.h / 2, x2: b.x + b.w / 2, y2: b.y + b.h / 2 };
  return linesRect(lines, b.x, b.y - b.h / 2 - OVERVIEW_LABEL.gap, fontSize, fontSize * OVERVIEW_LABEL.lineHeight, 'above');
}

/**
 * Draws on `ctx` (a canvas of `width`×`height` device pixels, `ratio` device pixels per CSS pixel)
 * each box's label: inside the box, centred and as large as fits, where the base size fits;
 * else above it at the base size, its last line `OVERVIEW_LABEL.gap` above the box's top edge.
 * Lines are `OVERVIEW_LABEL.lineHeight` font sizes apart. `region`: a partial redraw, only the
 * labels meeting these model rectangles. Returns how many labels it drew.
 */
export function drawLabels(ctx: DrawCtx, width: number, height: number, ratio: number, view: Viewport, boxes: Iterable<LabelBox>, look: LabelLook, region?: readonly Rect[]): number {
  // what is visible, in model coordinates; a label reaches about 8 font sizes either side of its box's centre
  const { left, top, right, bottom } = toModel(ctx, width, height, ratio, view, region && bounds(region));
  const step = look.fontSize * OVERVIEW_LABEL.lineHeight;
  const slack = look.fontSize * 8;
  const s = view.zoom * ratio;
  let lastFont = '';
  let drawn = 0;
  for (const b of boxes) {
    const lines = b.text.split('\n');
    const base = b.y - b.h / 2 - OVERVIEW_LABEL.gap;
    if (base - step * lines.length > bottom || b.y + b.h / 2 < top || b.x + b.w / 2 < left - slack || b.x - b.w / 2 > right + slack) continue;
    if (region) {
      const e = b.reach ?? labelExtent(b, look.fontSize);
      if (!meets(region, e.x1, e.y1, e.x2, e.y2)) continue;
    }
    const inside = fitInside(b, lines, look.fontSize);
    if ((inside ?? look.fontSize) * view.zoom < look.minScreenPx) continue;
    ctx.fillStyle = b.muted ? look.muted : look.fg;
    // in whole device pixels (rounded down, so it still fits): labels then share a few sizes, and
    // the canvas reuses each size's parsed font and drawn glyphs instead of making them per label
    const size = Math.max(1, Math.floor((inside ?? look.fontSize) * s)) / s;
    const font = `bold ${size}px ${look.fontFamily}`;
    if (font !== lastFont) ctx.font = lastFont = font;
    if (inside !== undefined) fillLines(ctx, lines, b.x, b.y, size * OVERVIEW_LABEL.lineHeight, 'middle');
    else fillLines(ctx, lines, b.x, base, step, 'above');
    drawn++;
  }
  return drawn;
}
