/**
 * What the graph's drawing (scene.ts, chipLayer.ts, overviewLabels.ts) uses of a canvas's 2D
 * context (unit tests hand in a recorder, testCanvas.ts, instead), and the view it draws.
 */
export type DrawCtx = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'save'
  | 'restore'
  | 'clip'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'closePath'
  | 'rect'
  | 'roundRect'
  | 'fill'
  | 'stroke'
  | 'setLineDash'
  | 'fillText'
  | 'drawImage'
  | 'measureText'
  | 'font'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'globalAlpha'
  | 'textAlign'
  | 'textBaseline'
>;

/** Cytoscape's view: model coordinates × zoom + pan = CSS pixels in the graph. */
export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

/**
 * Sets `ctx` (a canvas of `width`×`height` device pixels, `ratio` of them per CSS pixel) to draw in
 * model coordinates for `view`; returns the model rectangle the canvas shows (that part of it
 * within `within`, for a partial redraw).
 */
export function toModel(ctx: DrawCtx, width: number, height: number, ratio: number, view: Viewport, within?: Rect): { left: number; top: number; right: number; bottom: number } {
  const s = ratio * view.zoom;
  ctx.setTransform(s, 0, 0, s, ratio * view.pan.x, ratio * view.pan.y);
  const left = -view.pan.x / view.zoom;
  const top = -view.pan.y / view.zoom;
  if (!within) return { left, top, right: left + width / s, bottom: top + height / s };
  // a partial redraw: only what meets `within` need be drawn
  return { left: Math.max(left, within.x1), top: Math.max(top, within.y1), right: Math.min(left + width / s, within.x2), bottom: Math.min(top + height / s, within.y2) };
}

/** A rectangle in model coordinates. */
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Whether the rectangle x1,y1–x2,y2 meets any of `region`'s. */
export function meets(region: readonly Rect[], x1: number, y1: number, x2: number, y2: number): boolean {
  for (const r of region) if (x1 <= r.x2 && r.x1 <= x2 && y1 <= r.y2 && r.y1 <= y2) return true;
  return false;
}

/** The rectangle around some rectangles. */
export function bounds(rects: readonly Rect[]): Rect {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rects) [x1, y1, x2, y2] = [Math.min(x1, r.x1), Math.min(y1, r.y1), Math.max(x2, r.x2), Math.max(y2, r.y2)];
  return { x1, y1, x2, y2 };
}

/**
 * Lines of text `step` apart, centred on `x`: `above`, the last line's bottom on `y` and the others
 * stacked over it (a label over a box); `middle`, the block centred on `y` (a label inside one).
 */
export function fillLines(ctx: DrawCtx, lines: readonly string[], x: number, y: number, step: number, place: 'above' | 'middle'): void {
  ctx.textAlign = 'center';
  ctx.textBaseline = place === 'above' ? 'bottom' : 'middle';
  const ys = lineYs(lines.length, y, step, place);
  lines.forEach((line, i) => ctx.fillText(line, x, ys[i]!));
}

/**
 * Generously, what lines of text placed by fillLines cover (model coordinates): each character
 * taken as 0.75 em wide (wider than most, as wide as a symbol), with an em of room on each side.
 */
export function linesRect(lines: readonly string[], x: number, y: number, size: number, step: number, place: 'above' | 'middle'): Rect {
  const half = (Math.max(0, ...lines.map((l) => l.length)) * 0.75 * size) / 2 + size;
  const ys = lineYs(lines.length, y, step, place);
  const [first, last] = [ys[0] ?? y, ys.at(-1) ?? y];
  // 'above' sets each line's bottom on its y, 'middle' its middle
  return place === 'above' ? { x1: x - half, y1: first - 1.25 * size, x2: x + half, y2: last } : { x1: x - half, y1: first - size, x2: x + half, y2: last + size };
}

/** Where `count` lines `step` apart sit (see fillLines): each line's y, top to bottom. */
export function lineYs(count: number, y: number, step: number, place: 'above' | 'middle'): number[] {
  const first = place === 'above' ? y - step * (count - 1) : y - (step * (count - 1)) / 2;
  return Array.from({ length: count }, (_, i) => first + i * step);
}
