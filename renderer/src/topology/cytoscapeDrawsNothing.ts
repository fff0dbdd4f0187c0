/**
 * The graph is drawn by scene.ts and the chip layer on a canvas of its own; Cytoscape keeps the
 * elements (transparent) for placing, panning, zooming, dragging and hit testing. Yet its renderer
 * still walked every element on every frame to draw it: bounding boxes, texture caches and their
 * upkeep between frames, for nothing to show (profiled: ~1 ms of each update's frame in the
 * 100-node benchmark). `drawNothing` takes its element drawing out of one graph's renderer; hit
 * testing does not draw, and Cytoscape's 'render' event, which the graph draws on, still fires.
 *
 * This reaches into Cytoscape's canvas renderer (cytoscape 3.34, pinned in package.json); the
 * browser test of the graph checks that taps, menus and drags still reach their elements.
 */
import type cytoscape from 'cytoscape';

/** The renderer's methods that draw elements onto its canvases (render calls them per layer). */
const DRAWING = ['drawLayeredElements', 'drawCachedElements', 'drawCachedNodes'] as const;

/** Makes `cy`'s renderer draw no elements; returns whether it could (false: a renderer unlike 3.34's, left as it is). */
export function drawNothing(cy: cytoscape.Core): boolean {
  const r = (cy as unknown as { renderer(): Record<string, unknown> | undefined }).renderer();
  if (!r || !DRAWING.every((m) => typeof r[m] === 'function')) return false;
  for (const m of DRAWING) r[m] = () => undefined;
  return true;
}
