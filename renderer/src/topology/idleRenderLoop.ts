/**
 * Cytoscape's canvas renderer asks for an animation frame every frame for as long as the graph
 * lives, whether anything changed or not. Measured in this project's Chromium, a page doing nothing
 * else with such a loop spends ~3 % of a core on its main thread (31 ms a second), and the
 * compositor makes a frame 60 times a second: a workbench left open keeps a laptop busy.
 *
 * `quietCytoscapeRenderLoop` replaces the canvas renderer's loop with one that does the same work
 * frame by frame (Cytoscape's before-render steps, then its render when one was asked for) but
 * stops asking for frames once nothing is pending, and starts again when Cytoscape asks for a
 * redraw (every change, pan, zoom and drag does) or starts an animation. It keeps ticking for
 * IDLE_AFTER_MS after the last busy frame, so that work Cytoscape spreads over frames (its texture
 * caches) finishes as before.
 *
 * This reaches into Cytoscape's renderer (the fields its own loop uses); the version is pinned in
 * package.json, and `idleRenderLoop.test.ts` and the browser test of the graph check the behaviour.
 */
import type cytoscape from 'cytoscape';

/** Frames go on this long after the last one that drew, or had an animation or a request. */
export const IDLE_AFTER_MS = 500;

/** The fields of Cytoscape's renderer that its render loop uses (cytoscape 3.34, BaseRenderer). */
export interface LoopRenderer {
  cy: LoopCore;
  destroyed?: boolean;
  renderLoopStarted?: boolean;
  requestedFrame?: boolean;
  skipFrame?: boolean;
  renderOptions?: unknown;
  beforeRenderCallbacks: { fn(willDraw: boolean, now: number): void }[];
  render(options: unknown): void;
  redraw(options?: unknown): void;
  startRenderLoop(): void;
  lastDrawTime?: number;
  lastRedrawTime?: number;
  averageRedrawTime?: number;
  redrawCount?: number;
  redrawTotalTime?: number;
  /** Asks for a frame if none is coming (set by the quiet loop). */
  wakeRenderLoop?: () => void;
}

interface LoopCore {
  batching(): boolean;
  addToAnimationPool(eles: unknown): void;
  _private: { aniEles: { length: number } };
}

export interface FrameScheduler {
  request(fn: (time: number) => void): void;
  now(): number;
}

const browserFrames: FrameScheduler = {
  request: (fn) => void requestAnimationFrame(fn),
  now: () => performance.now(),
};

/** One frame of Cytoscape's loop, as its own does it; returns whether the frame was busy. */
function renderFrame(r: LoopRenderer, requestTime: number, now: () => number): boolean {
  const cy = r.cy;
  let drew = false;
  if (cy.batching()) {
    // (as Cytoscape's own loop: nothing while a batch is open; its end asks for a redraw)
  } else if (r.requestedFrame && !r.skipFrame) {
    for (const cb of r.beforeRenderCallbacks) cb.fn(true, requestTime);
    const start = now();
    r.render(r.renderOptions);
    const end = (r.lastDrawTime = now());
    const duration = end - start;
    r.averageRedrawTime = r.averageRedrawTime === undefined ? duration : r.averageRedrawTime / 2 + duration / 2;
    r.redrawCount = (r.redrawCount ?? 0) + 1;
    r.redrawTotalTime = (r.redrawTotalTime ?? 0) + duration;
    r.lastRedrawTime = duration;
    r.requestedFrame = false;
    drew = true;
  } else {
    for (const cb of r.beforeRenderCallbacks) cb.fn(false, requestTime);
  }
  r.skipFrame = false;
  return drew || !!r.requestedFrame || cy._private.aniEles.length > 0;
}

/** Starts the quiet loop on renderer `r` (in place of Cytoscape's `startRenderLoop`). */
export function startQuietLoop(r: LoopRenderer, frames: FrameScheduler = browserFrames): void {
  if (r.renderLoopStarted) return;
  r.renderLoopStarted = true;
  let scheduled = false;
  let busyAt = frames.now();
  const frame = (time: number): void => {
    scheduled = false;
    if (r.destroyed) return;
    if (renderFrame(r, time, frames.now)) busyAt = frames.now();
    if (r.requestedFrame || frames.now() - busyAt < IDLE_AFTER_MS) wake();
  };
  const wake = (): void => {
    if (scheduled || r.destroyed) return;
    scheduled = true;
    frames.request(frame);
  };
  r.wakeRenderLoop = () => {
    busyAt = frames.now();
    wake();
  };
  // an animation started on any element (cy.animate, ele.animate) enters the pool here
  const cy = r.cy;
  const addToPool = cy.addToAnimationPool.bind(cy);
  cy.addToAnimationPool = (eles) => {
    addToPool(eles);
    r.wakeRenderLoop?.();
  };
  wake();
}

let installed = false;

/**
 * Puts the quiet loop into Cytoscape's canvas renderer, for every graph made after the call.
 * Idempotent. Does nothing (Cytoscape keeps its own loop) when the renderer is not as expected.
 */
export function quietCytoscapeRenderLoop(lib: typeof cytoscape): void {
  if (installed) return;
  installed = true;
  const Renderer = (lib as unknown as (type: string, name: string) => { prototype?: Partial<LoopRenderer> } | undefined)('renderer', 'canvas');
  const proto = Renderer?.prototype;
  if (!proto || typeof proto.startRenderLoop !== 'function' || typeof proto.redraw !== 'function' || typeof proto.render !== 'function') return;
  const redraw = proto.redraw;
  proto.startRenderLoop = function (this: LoopRenderer) {
    startQuietLoop(this);
  };
  proto.redraw = function (this: LoopRenderer, options?: unknown) {
    redraw.call(this, options);
    this.wakeRenderLoop?.();
  };
}
