/**
 * The graph is drawn by scene.ts and the chip layer on a canvas of its own; Cytoscape keeps the
 * elements (transparent) for placing, panning, zooming, dragging and hit testing. Yet its renderer
 * still walked every element on every frame to draw it: bounding boxes, texture caches and their
 * upkeep between frames, for nothing to show (profiled: ~1 ms of each update's frame in the
 * 100-node benchmark). `drawNothing` takes its element drawing, and the texture caches it kept,
 * out of one graph's renderer; hit testing does not draw, and Cytoscape's 'render' event, which the
 * graph draws on, still fires.
 *
 * This reaches into Cytoscape's canvas renderer (cytoscape 3.34, pinned in package.json); the
 * browser test of the graph checks that taps, menus and drags still reach their elements.
 */
import type cytoscape from 'cytoscape';

/** The renderer's methods that draw elements onto its canvases (render calls them per layer). */
const DRAWING = ['drawLayeredElements', 'drawCachedElements', 'drawCachedNodes'] as const;

/** The upkeep of its texture caches between frames, by the priorities it runs at (before each frame). */
const CACHE_UPKEEP = ['eleTxrDeq', 'lyrTxrDeq', 'lyrTxrSkip'] as const;

interface CanvasRenderer {
  beforeRenderCallbacks: { fn: unknown; priority: number }[];
  beforeRenderPriorities: Record<string, number>;
  [method: string]: unknown;
}

/**
 * Makes `cy`'s renderer draw no elements, and drops the upkeep of the texture caches that drawing
 * fills (it ran before every frame, and flushed the elements' styles each time: a new collection a
 * frame); returns whether it could (false: a renderer unlike 3.34's, left as it is).
 */
export function drawNothing(cy: cytoscape.Core): boolean {
  const r = (cy as unknown as { renderer(): CanvasRenderer | undefined }).renderer();
  if (!r || !DRAWING.every((m) => typeof r[m] === 'function') || !Array.isArray(r.beforeRenderCallbacks) || !CACHE_UPKEEP.every((p) => typeof r.beforeRenderPriorities?.[p] === 'number')) return false;
  for (const m of DRAWING) r[m] = () => undefined;
  const upkeep = new Set(CACHE_UPKEEP.map((p) => r.beforeRenderPriorities[p]));
  r.beforeRenderCallbacks = r.beforeRenderCallbacks.filter((cb) => !upkeep.has(cb.priority));
  return true;
}
