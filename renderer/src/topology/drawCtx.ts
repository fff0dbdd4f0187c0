/**
 * What the graph's drawing (scene.ts, chipLayer.ts, overviewLabels.ts) uses of a canvas's 2D
 * context (unit tests hand in a recorder, testCanvas.ts, instead), and the view it draws.
 */
export type DrawCtx = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
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
 * model coordinates for `view`; returns the model rectangle the canvas shows.
 */
export function toModel(ctx: DrawCtx, width: number, height: number, ratio: number, view: Viewport): { left: number; top: number; right: number; bottom: number } {
  const s = ratio * view.zoom;
  ctx.setTransform(s, 0, 0, s, ratio * view.pan.x, ratio * view.pan.y);
  const left = -view.pan.x / view.zoom;
  const top = -view.pan.y / view.zoom;
  return { left, top, right: left + width / s, bottom: top + height / s };
}
