/**
 * What the graph's drawing (scene.ts, chipLayer.ts, overviewLabels.ts) uses of a canvas's 2D
 * context; unit tests hand in a recorder (testCanvas.ts) instead.
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
