import { describe, expect, it } from 'vitest';
import { IDLE_AFTER_MS, startQuietLoop, type FrameScheduler, type LoopRenderer } from './idleRenderLoop.js';

/** Frames 16 ms apart, run by `tick`; `asked` counts the frames asked for. */
function frames(): FrameScheduler & { tick(ms?: number): void; pending: number; asked: number; time: number } {
  let queue: ((t: number) => void)[] = [];
  const s = {
    time: 0,
    asked: 0,
    get pending() {
      return queue.length;
    },
    request(fn: (t: number) => void) {
      s.asked++;
      queue.push(fn);
    },
    now: () => s.time,
    /** Runs the frames asked for within the next `ms` (one per 16 ms). */
    tick(ms = 16) {
      for (const end = s.time + ms; s.time < end; ) {
        s.time += 16;
        const run = queue;
        queue = [];
        for (const fn of run) fn(s.time);
      }
    },
  };
  return s;
}

function renderer() {
  const pool: unknown[] = [];
  const calls: string[] = [];
  let batching = false;
  const r: LoopRenderer & { calls: string[]; setBatching(b: boolean): void; pool: unknown[] } = {
    calls,
    pool,
    setBatching: (b) => (batching = b),
    cy: {
      batching: () => batching,
      addToAnimationPool: (eles) => void pool.push(eles),
      _private: {
        aniEles: {
          get length() {
            return pool.length;
          },
        },
      },
    },
    beforeRenderCallbacks: [{ fn: (willDraw) => calls.push(willDraw ? 'before-draw' : 'tick') }],
    render: () => void calls.push('render'),
    redraw() {
      r.requestedFrame = true;
      r.wakeRenderLoop?.();
    },
    startRenderLoop: () => undefined,
  };
  return r;
}

describe('the quiet render loop', () => {
  it('draws what was asked for, ticks a while after, then asks for no more frames until the next redraw', () => {
    const f = frames();
    const r = renderer();
    r.requestedFrame = true;
    startQuietLoop(r, f);
    f.tick();
    expect(r.calls).toEqual(['before-draw', 'render']);
    expect(r.redrawCount).toBe(1);
    expect(r.requestedFrame).toBe(false);
    f.tick(IDLE_AFTER_MS + 100);
    expect(r.calls.filter((c) => c === 'render')).toHaveLength(1);
    expect(r.calls.filter((c) => c === 'tick').length).toBeGreaterThan(IDLE_AFTER_MS / 16 - 3); // the before-render steps kept their ticks
    expect(f.pending).toBe(0);
    const asked = f.asked;
    f.tick(5000);
    expect(f.asked).toBe(asked); // idle: no frames at all

    r.redraw();
    expect(f.pending).toBe(1);
    f.tick();
    expect(r.calls.filter((c) => c === 'render')).toHaveLength(2);
    r.redraw();
    r.redraw(); // two requests in one frame: one frame, one render
    expect(f.pending).toBe(1);
    f.tick();
    expect(r.calls.filter((c) => c === 'render')).toHaveLength(3);
  });

  it('keeps frames coming while an animation runs, and wakes when one starts', () => {
    const f = frames();
    const r = renderer();
    startQuietLoop(r, f);
    f.tick(IDLE_AFTER_MS + 100);
    expect(f.pending).toBe(0);
    r.cy.addToAnimationPool(['box']);
    expect(f.pending).toBe(1);
    f.tick(3000);
    expect(f.pending).toBe(1); // still animating
    r.pool.length = 0; // the animation ended
    f.tick(IDLE_AFTER_MS + 100);
    expect(f.pending).toBe(0);
  });

  it('renders nothing while a batch is open, and stops for good once destroyed', () => {
    const f = frames();
    const r = renderer();
    r.setBatching(true);
    r.redraw();
    startQuietLoop(r, f);
    f.tick(100);
    expect(r.calls).not.toContain('render');
    expect(f.pending).toBe(1); // the request stands
    r.setBatching(false);
    f.tick();
    expect(r.calls).toContain('render');
    r.destroyed = true;
    r.redraw();
    f.tick(1000);
    expect(f.pending).toBe(0);
    expect(r.calls.filter((c) => c === 'render')).toHaveLength(1);
  });
});
