import { describe, expect, it } from 'vitest';
import { BOX, CHIP, GROWTH_ROOM, boxSize, chipGrid, drawnBoxSize, loadPositions, makeRoom, overlaps, placeBoxes, savePositions, type Point, type RoomBox } from './layout.js';

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

describe('makeRoom', () => {
  const GAP = BOX.gap / 2;
  const box = (id: string, chips: number): RoomBox => ({ id, ...drawnBoxSize(chips), label: BOX.label });
  /** Top-left corners (label included), rounded. */
  const corner = (b: RoomBox, p: Point): Point => ({ x: Math.round(p.x - b.w / 2), y: Math.round(p.y - b.h / 2 - b.label) });
  const apart = (bs: RoomBox[], pos: ReadonlyMap<string, Point>): void => {
    const r = (b: RoomBox) => ({ x: pos.get(b.id)!.x, y: pos.get(b.id)!.y - b.label / 2, w: b.w, h: b.h + b.label });
    for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) expect(overlaps(r(bs[i]!), r(bs[j]!), GAP / 2 - 0.01), `${bs[i]!.id} and ${bs[j]!.id}`).toBe(false);
  };
  /** A fresh lab's three empty boxes in a row, as placeBoxes puts them. */
  const row = (): { before: RoomBox[]; at: Map<string, Point> } => {
    const before = ['m1', 'w1', 'w2'].map((id) => box(id, 0));
    return { before, at: placeBoxes(before, [], new Map()) };
  };
  const sizes = (bs: RoomBox[]) => new Map(bs.map((b) => [b.id, { w: b.w, h: b.h }]));

  it('leaves boxes that kept their size and have room where they are', () => {
    const { before, at } = row();
    const r = makeRoom(before, at, sizes(before));
    expect(r.moved).toBe(false);
    expect(r.positions).toEqual(at);
    expect(r.resized.size).toBe(0);
  });

  it.each([
    [2, 'a service of 6 replicas, 2 on each'],
    [10, '30 replicas: each box wider than two of the spaces it had'],
  ])('grows boxes from their top-left corner and pushes the ones beside them right, in order, on the same row (%i chips each: %s)', (chips) => {
    const { before, at } = row();
    const after = ['m1', 'w1', 'w2'].map((id) => box(id, chips));
    expect(after[0]!.w).toBeGreaterThan(before[0]!.w + BOX.gap); // wider than the space between them
    const r = makeRoom(after, at, sizes(before));
    expect(r.moved).toBe(true);
    expect([...r.resized].sort()).toEqual(['m1', 'w1', 'w2']);
    apart(after, r.positions);
    expect(corner(after[0]!, r.positions.get('m1')!)).toEqual(corner(before[0]!, at.get('m1')!)); // the first one stays put
    const ys = after.map((b) => corner(b, r.positions.get(b.id)!).y);
    expect(new Set(ys).size).toBe(1); // still one row
    const xs = after.map((b) => r.positions.get(b.id)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs); // in the same order
    // just far enough: the gap between neighbours is the least gap
    expect(Math.round(corner(after[1]!, r.positions.get('w1')!).x - (r.positions.get('m1')!.x + after[0]!.w / 2))).toBe(GAP);
  });

  it('pushes nothing when the boxes of a seeded grid grow by three rows of chips, and pushes the boxes below at the fourth (GROWTH_ROOM)', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `n${i}`);
    const at = placeBoxes(
      ids.map((id) => ({ id, ...boxSize(30) })),
      [],
      new Map(),
    );
    const was = ids.map((id) => box(id, 30));
    const rows = (chips: number): number => chipGrid(chips).rows;
    expect([rows(30), rows(42), rows(46)]).toEqual([8, 11, 12]);
    /** The boxes whose top-left corner moved: those pushed (a grown box keeps its corner). */
    const pushed = (chips: number): string[] => {
      const after = ids.map((id) => box(id, chips));
      const r = makeRoom(after, at, sizes(was));
      apart(after, r.positions);
      return ids.filter((id, i) => {
        const [a, b] = [corner(after[i]!, r.positions.get(id)!), corner(was[i]!, at.get(id)!)];
        return a.x !== b.x || a.y !== b.y;
      });
    };
    expect(pushed(42)).toEqual([]);
    expect(pushed(46)).toEqual(ids.slice(5)); // the rows below the first
    expect(GROWTH_ROOM).toBe(2 * (CHIP.h + CHIP.gap));
  });

  it('pushes the box below down, not aside, when a box grows taller', () => {
    const top = box('m1', 1);
    const below = box('w1', 1);
    const at = new Map([
      ['m1', { x: 0, y: 0 }],
      ['w1', { x: 0, y: top.h / 2 + BOX.gap + below.label + below.h / 2 }],
    ]);
    const grown = box('m1', 9); // three rows of chips
    const r = makeRoom([grown, below], at, sizes([top, below]));
    expect(r.positions.get('w1')!.x).toBe(0);
    expect(r.positions.get('w1')!.y).toBeGreaterThan(at.get('w1')!.y);
    apart([grown, below], r.positions);
  });

  it('keeps the top-left corner of a box that shrinks and moves nothing else', () => {
    const { at } = row();
    const big = ['m1', 'w1', 'w2'].map((id) => box(id, 4));
    const spread = makeRoom(big, at, sizes(['m1', 'w1', 'w2'].map((id) => box(id, 0)))).positions;
    const small = [box('m1', 1), big[1]!, big[2]!];
    const r = makeRoom(small, spread, sizes(big));
    expect(corner(small[0]!, r.positions.get('m1')!)).toEqual(corner(big[0]!, spread.get('m1')!));
    expect(r.positions.get('w1')).toEqual(spread.get('w1'));
    expect(r.positions.get('w2')).toEqual(spread.get('w2'));
  });

  it('leaves a box the user just dropped where it was dropped, and moves the one it covers', () => {
    const a = box('a', 1);
    const b = box('b', 1);
    const at = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 40, y: 20 }], // dropped onto a
    ]);
    const r = makeRoom([a, b], at, sizes([a, b]), { first: 'b' });
    expect(r.positions.get('b')).toEqual({ x: 40, y: 20 });
    expect(r.positions.get('a')).not.toEqual({ x: 0, y: 0 });
    apart([a, b], r.positions);
  });

  it('never leaves boxes closer than the gap, nor moves any left or up, whatever grew (random labs)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 40; round++) {
      const n = 2 + Math.floor(random() * 12);
      const ids = Array.from({ length: n }, (_, i) => `n${i}`);
      const before = ids.map((id) => box(id, Math.floor(random() * 6)));
      const at = placeBoxes(before, [], new Map());
      const after = ids.map((id) => box(id, Math.floor(random() * 30)));
      const r = makeRoom(after, at, sizes(before));
      apart(after, r.positions);
      after.forEach((b, i) => {
        const was = corner(before[i]!, at.get(b.id)!);
        const now = corner(b, r.positions.get(b.id)!);
        expect(now.x, `${b.id} in round ${round}`).toBeGreaterThanOrEqual(was.x);
        expect(now.y, `${b.id} in round ${round}`).toBeGreaterThanOrEqual(was.y);
      });
      expect(makeRoom(after, r.positions, sizes(after)).moved).toBe(false); // settled: a second pass moves nothing
    }
  });
});
