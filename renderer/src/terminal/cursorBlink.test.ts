import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CursorBlink } from './cursorBlink.js';

describe('CursorBlink', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (idleStopMs = 10_000) => {
    const shown: boolean[] = [];
    const blink = new CursorBlink({ setVisible: (v) => shown.push(v), intervalMs: 600, idleStopMs, now: () => Date.now() });
    return { blink, shown };
  };

  it('flips the cursor every interval while focused, and stays shown once stopped', () => {
    const { blink, shown } = make();
    blink.start();
    expect(shown).toEqual([]); // starts shown: nothing to change
    vi.advanceTimersByTime(599);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([false]);
    vi.advanceTimersByTime(1200);
    expect(shown).toEqual([false, true, false]);
    blink.stop();
    expect(shown.at(-1)).toBe(true);
    expect(blink.blinking).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([false, true, false, true]);
  });

  it('shows the cursor at once on input or output and restarts the phase', () => {
    const { blink, shown } = make();
    blink.start();
    vi.advanceTimersByTime(600);
    expect(shown).toEqual([false]);
    vi.advanceTimersByTime(300);
    blink.poke();
    expect(shown).toEqual([false, true]);
    vi.advanceTimersByTime(599); // a whole phase shown after the poke, not the 300 ms left of the old one
    expect(shown).toEqual([false, true]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([false, true, false]);
  });

  it('does nothing before start or after stop, whatever is poked', () => {
    const { blink, shown } = make();
    blink.poke();
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([]);
    expect(blink.blinking).toBe(false);
  });

  it('stops ticking, cursor shown, when idle, and blinks again on the next poke', () => {
    const { blink, shown } = make(3000);
    blink.start();
    vi.advanceTimersByTime(10_000);
    expect(shown.at(-1)).toBe(true);
    expect(blink.blinking).toBe(false);
    const flips = shown.length;
    vi.advanceTimersByTime(10_000);
    expect(shown.length).toBe(flips);
    blink.poke();
    vi.advanceTimersByTime(600);
    expect(shown.at(-1)).toBe(false);
    expect(blink.blinking).toBe(true);
  });
});
