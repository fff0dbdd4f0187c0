import { describe, expect, it } from 'vitest';
import { BOX, CHIP, boxSize, chipGrid, loadPositions, overlaps, placeBoxes, savePositions, type Point } from './layout.js';

describe('chipGrid', () => {
  const cases: [number, number, number][] = [
    [0, 0, 0],
    [1, 1, 1],
    [2, 2, 1],
    [4, 2, 2],
    [5, 3, 2],
    [9, 3, 3],
    [30, 4, 8],
  ];
  for (const [count, cols, rows] of cases) {
    it(`${count} chips → ${cols}×${rows}`, () => {
      const g = chipGrid(count);
      expect([g.cols, g.rows, g.offsets.length]).toEqual([cols, rows, count]);
      // centred: offsets are symmetric
      if (count) {
        const xs = g.offsets.map((o) => o.x);
        expect(Math.min(...xs) + Math.max(...xs)).toBeCloseTo(0);
      }
      // no two chips overlap
      for (let i = 0; i < g.offsets.length; i++)
        for (let j = i + 1; j < g.offsets.length; j++)
          expect(overlaps({ ...g.offsets[i]!, w: CHIP.w, h: CHIP.h }, { ...g.offsets[j]!, w: CHIP.w, h: CHIP.h })).toBe(false);
    });
  }
  it('scales', () => {
    expect(chipGrid(4, 2).width).toBe(2 * chipGrid(4).width);
  });
  it('box size has a minimum and grows with chips', () => {
    expect(boxSize(0).w).toBe(BOX.minW);
    expect(boxSize(0).h).toBeGreaterThanOrEqual(BOX.minH);
    expect(boxSize(30).h).toBeGreaterThan(boxSize(4).h);
  });
});

describe('placeBoxes', () => {
  const boxes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `b${i}`, ...boxSize(i % 7) }));
  const noOverlap = (bs: ReturnType<typeof boxes>, pos: Map<string, Point>) => {
    for (let i = 0; i < bs.length; i++)
      for (let j = i + 1; j < bs.length; j++) expect(overlaps({ ...pos.get(bs[i]!.id)!, ...bs[i]! }, { ...pos.get(bs[j]!.id)!, ...bs[j]! }), `${i}/${j}`).toBe(false);
  };

  it('places everything when nothing is known, without overlaps, deterministically', () => {
    const bs = boxes(8);
    const a = placeBoxes(bs, [], new Map());
    expect(a.size).toBe(8);
    noOverlap(bs, a);
    expect(placeBoxes(bs, [], new Map())).toEqual(a);
  });

  it('keeps known positions exactly and places only the new ones', () => {
    const bs = boxes(6);
    const first = placeBoxes(bs.slice(0, 5), [], new Map());
    const next = placeBoxes(bs, [], first);
    for (const [id, p] of first) expect(next.get(id)).toEqual(p);
    expect(next.get('b5')).toBeDefined();
    noOverlap(bs, next);
  });

  it('returns known positions untouched when nothing is new', () => {
    const known = new Map([['b0', { x: 5, y: 7 }]]);
    expect(placeBoxes(boxes(1), [], known)).toEqual(known);
  });

  it('pulls a network towards the nodes it connects', () => {
    const bs = [...boxes(4), { id: 'net', w: 120, h: 40 }];
    const pos = placeBoxes(bs, [{ source: 'net', target: 'b0' }, { source: 'net', target: 'b1' }, { source: 'net', target: 'zzz' }], new Map());
    expect(pos.size).toBe(5);
    noOverlap(bs, pos);
  });

  it('adds a network with edges by fcose, nodes fixed, near the nodes it spans', () => {
    const bs = boxes(6);
    const known = placeBoxes(bs, [], new Map());
    const all = [...bs, { id: 'net', w: 150, h: 54 }];
    const pos = placeBoxes(all, bs.map((b) => ({ source: 'net', target: b.id })), known);
    for (const [id, p] of known) expect(pos.get(id)).toEqual(p);
    noOverlap(all, pos);
    const xs = [...known.values()].map((p) => p.x);
    const ys = [...known.values()].map((p) => p.y);
    const net = pos.get('net')!;
    expect(net.x).toBeGreaterThan(Math.min(...xs) - 600);
    expect(net.x).toBeLessThan(Math.max(...xs) + 600);
    expect(net.y).toBeLessThan(Math.max(...ys) + 600);
  });

  it('handles 100 boxes', () => {
    const bs = boxes(100);
    const pos = placeBoxes(bs, [], new Map());
    expect(pos.size).toBe(100);
    noOverlap(bs, pos);
  });
});

describe('remembered positions', () => {
  const store = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };
  it('round-trips per lab (rounded)', () => {
    const s = store();
    savePositions('lab', new Map([['node:a', { x: 1.4, y: -2.6 }]]), s);
    expect(loadPositions('lab', s)).toEqual(new Map([['node:a', { x: 1, y: -3 }]]));
    expect(loadPositions('other', s)).toEqual(new Map());
    expect([...s.m.keys()]).toEqual(['swarm-lab:topology:lab']);
  });
  it('survives garbage and missing storage', () => {
    const s = store();
    s.setItem('swarm-lab:topology:lab', '{"a":[1,"x"],"b":[2,3],"c":null');
    expect(loadPositions('lab', s)).toEqual(new Map());
    s.setItem('swarm-lab:topology:lab', '{"a":[1,"x"],"b":[2,3]}');
    expect(loadPositions('lab', s)).toEqual(new Map([['b', { x: 2, y: 3 }]]));
    expect(loadPositions('lab', undefined)).toEqual(new Map());
    expect(() => savePositions('lab', new Map(), undefined)).not.toThrow();
  });
});
