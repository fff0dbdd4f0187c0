import { describe, expect, it } from 'vitest';
import { afterClose, clampFont, exitLine, gridShape, restoreOrder, stepTab, touch, uniqueTitle, visibleTabs } from './layout.js';

describe('visibleTabs', () => {
  const order = ['a', 'b', 'c', 'd', 'e', 'f'];
  it('shows only the active tab without split', () => {
    expect(visibleTabs(order, ['c', 'a'], 'c', false)).toEqual(['c']);
  });
  it('shows the active and most recently used tabs, at most four, in tab order', () => {
    expect(visibleTabs(order, ['e', 'b', 'f', 'a', 'c'], 'd', true)).toEqual(['b', 'd', 'e', 'f']);
  });
  it('fills from tab order when the MRU list is short', () => {
    expect(visibleTabs(['a', 'b', 'c'], [], 'c', true)).toEqual(['a', 'b', 'c']);
  });
  it('ignores unknown ids and an unknown active tab', () => {
    expect(visibleTabs(['a', 'b'], ['zz', 'b'], 'a', true)).toEqual(['a', 'b']);
    expect(visibleTabs(['a'], [], 'x', true)).toEqual([]);
  });
});

describe('grid and tabs', () => {
  it('lays out 1–4 terminals', () => {
    expect(gridShape(1)).toEqual({ cols: 1, rows: 1 });
    expect(gridShape(2)).toEqual({ cols: 2, rows: 1 });
    expect(gridShape(3)).toEqual({ cols: 3, rows: 1 });
    expect(gridShape(4)).toEqual({ cols: 2, rows: 2 });
  });
  it('steps through tabs with wrap-around', () => {
    expect(stepTab(['a', 'b', 'c'], 'c', 1)).toBe('a');
    expect(stepTab(['a', 'b', 'c'], 'a', -1)).toBe('c');
    expect(stepTab([], 'a', 1)).toBeUndefined();
    expect(stepTab(['a'], undefined, 1)).toBe('a');
  });
  it('picks the neighbour after closing the active tab', () => {
    expect(afterClose(['a', 'b', 'c'], 'b', 'b')).toBe('c');
    expect(afterClose(['a', 'b', 'c'], 'c', 'c')).toBe('b');
    expect(afterClose(['a', 'b', 'c'], 'a', 'c')).toBe('a');
    expect(afterClose(['a'], 'a', 'a')).toBeUndefined();
  });
  it('keeps an MRU list', () => {
    expect(touch(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b']);
  });
  it('clamps the font size', () => {
    expect(clampFont(2)).toBe(8);
    expect(clampFont(99)).toBe(32);
    expect(clampFont(Number.NaN)).toBe(13);
    expect(clampFont(14.4)).toBe(14);
  });
});

describe('restoreOrder', () => {
  const s = (id: string, createdAt: number, state: 'running' | 'exited' = 'running') => ({ id, title: `T${id}`, state, createdAt });
  it('keeps the saved order and titles, then adds other running sessions by age', () => {
    const out = restoreOrder(
      [
        { id: 'b', title: 'mine b' },
        { id: 'gone', title: 'x' },
        { id: 'a', title: 'mine a' },
      ],
      [s('a', 1), s('b', 2), s('d', 5), s('c', 3), s('e', 4, 'exited')],
    );
    expect(out).toEqual([
      { id: 'b', title: 'mine b' },
      { id: 'a', title: 'mine a' },
      { id: 'c', title: 'Tc' },
      { id: 'd', title: 'Td' },
    ]);
  });
  it('keeps an exited session the page had', () => {
    expect(restoreOrder([{ id: 'e', title: 'E' }], [s('e', 1, 'exited')])).toEqual([{ id: 'e', title: 'E' }]);
  });
});

describe('exitLine', () => {
  it('shows the back end message in brackets without the final period', () => {
    expect(exitLine('manager1 stopped; the session ended.', null)).toBe('\r\n\x1b[2m[manager1 stopped; the session ended]\x1b[0m\r\n');
  });
  it('falls back to the exit code', () => {
    expect(exitLine('', 3)).toContain('[the shell exited with code 3]');
  });
});

describe('uniqueTitle', () => {
  it('numbers a title other tabs already have', () => {
    expect(uniqueTitle('bash', [])).toBe('bash');
    expect(uniqueTitle('bash', ['bash'])).toBe('bash 2');
    expect(uniqueTitle('bash', ['bash', 'bash 2'])).toBe('bash 3');
  });
});
