import { describe, expect, it } from 'vitest';
import { AckBatcher } from './ackBatcher.js';

function fakeTimers() {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    setTimer: (fn: () => void) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimer: (h: unknown) => void timers.delete(h as number),
    fire() {
      const all = [...timers.values()];
      timers.clear();
      for (const f of all) f();
    },
    get count() {
      return timers.size;
    },
  };
}

describe('AckBatcher', () => {
  it('sends small acks together after the delay', () => {
    const t = fakeTimers();
    const sent: number[] = [];
    const b = new AckBatcher({ send: (n) => sent.push(n), ...t });
    b.add(100);
    b.add(200);
    expect(sent).toEqual([]);
    expect(t.count).toBe(1);
    t.fire();
    expect(sent).toEqual([300]);
    expect(b.unsent).toBe(0);
  });

  it('sends at once at the size cap and cancels the timer', () => {
    const t = fakeTimers();
    const sent: number[] = [];
    const b = new AckBatcher({ send: (n) => sent.push(n), maxBytes: 1000, ...t });
    b.add(400);
    b.add(700);
    expect(sent).toEqual([1100]);
    expect(t.count).toBe(0);
  });

  it('never loses or duplicates bytes over many payloads', () => {
    const t = fakeTimers();
    let total = 0;
    const b = new AckBatcher({ send: (n) => (total += n), maxBytes: 4096, ...t });
    let added = 0;
    for (let i = 0; i < 1000; i++) {
      const n = (i * 7919) % 5000;
      b.add(n);
      added += n;
      if (i % 13 === 0) t.fire();
    }
    b.flush();
    expect(total).toBe(added);
  });

  it('ignores zero and drops pending bytes on dispose', () => {
    const t = fakeTimers();
    const sent: number[] = [];
    const b = new AckBatcher({ send: (n) => sent.push(n), ...t });
    b.add(0);
    expect(t.count).toBe(0);
    b.add(5);
    b.dispose();
    t.fire();
    b.add(5);
    b.flush();
    expect(sent).toEqual([]);
  });
});
