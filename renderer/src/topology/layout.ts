/**
 * Where things go (pure apart from a throwaway headless Cytoscape): chips sit in a grid inside
 * their node's box, in a stable order; boxes (and network nodes) are placed by fcose with every
 * already-known position fixed, so only new boxes move and a layout stays stable across updates.
 * Coordinates are in unit scale (presenter mode multiplies them), so remembered positions survive a
 * change of mode. `loadPositions`/`savePositions` remember them per lab in localStorage.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

export interface Point {
  x: number;
  y: number;
}

export const CHIP = { w: 132, h: 24, gap: 6, maxCols: 4 } as const;
/** Room a box needs around its chip grid: padding, plus its two-line label on top; an empty box's height. */
export const BOX = { pad: 12, label: 40, minW: 170, minH: 60, gap: 60, emptyH: 48 } as const;

export interface Grid {
  readonly cols: number;
  readonly rows: number;
  /** Offsets of each chip's centre from the grid's centre, in order. */
  readonly offsets: readonly Readonly<Point>[];
  readonly width: number;
  readonly height: number;
}

/** Grids by count and scale: a box's is asked for several times an update, and most boxes' counts stay put. */
const grids = new Map<string, Grid>();

/** A near-square grid of `count` chips, at most `CHIP.maxCols` wide (shared: not to be changed). */
export function chipGrid(count: number, scale = 1): Grid {
  const key = `${count}:${scale}`;
  let grid = grids.get(key);
  if (!grid) {
    if (grids.size > 2000) grids.clear();
    grid = layOut(count, scale);
    grids.set(key, grid);
  }
  return grid;
}

function layOut(count: number, scale: number): Grid {
  const cols = count === 0 ? 0 : Math.min(CHIP.maxCols, Math.ceil(Math.sqrt(count)));
  const rows = cols ? Math.ceil(count / cols) : 0;
  const w = CHIP.w * scale;
  const h = CHIP.h * scale;
  const g = CHIP.gap * scale;
  const width = cols ? cols * w + (cols - 1) * g : 0;
  const height = rows ? rows * h + (rows - 1) * g : 0;
  const offsets: Point[] = [];
  for (let i = 0; i < count; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols);
    offsets.push({ x: -width / 2 + w / 2 + c * (w + g), y: -height / 2 + h / 2 + r * (h + g) });
  }
  return { cols, rows, offsets, width, height };
}

/** The outer size of a box holding `count` chips, in unit scale. */
export function boxSize(count: number): { w: number; h: number } {
  const g = chipGrid(count);
  return { w: Math.max(BOX.minW, g.width + 2 * BOX.pad), h: Math.max(BOX.minH, g.height + 2 * BOX.pad + BOX.label) };
}

/** The box drawn around `count` chips (its label above not included), in unit scale. */
export function drawnBoxSize(count: number): { w: number; h: number } {
  const g = chipGrid(count);
  return g.cols ? { w: Math.max(BOX.minW, g.width + 2 * BOX.pad), h: g.height + 2 * BOX.pad } : { w: BOX.minW, h: BOX.emptyH };
}

export interface Box {
  id: string;
  w: number;
  h: number;
}

let registered = false;
function ensureFcose(): void {
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
}

/**
 * Room left below each row of seeded boxes besides the gap: two rows of chips. Tasks rescheduled
 * onto a node (a worker went down) or a service scaled up make its box a row taller now and then;
 * a box may grow by three rows (this and half the gap) before it pushes the boxes below it
 * (makeRoom), each push moving a column of the graph (its cost: docs/BENCHMARKS.md).
 */
export const GROWTH_ROOM = 2 * (CHIP.h + CHIP.gap);

/** Seeds new boxes in rows below whatever is known (or from the origin), in the given order, GROWTH_ROOM below each row. */
function seed(boxes: readonly Box[], known: ReadonlyMap<string, Point>): Map<string, Point> {
  const out = new Map<string, Point>();
  let top = 0;
  let left = 0;
  const placed = boxes.filter((b) => known.has(b.id));
  if (placed.length) {
    top = Math.max(...placed.map((b) => known.get(b.id)!.y + b.h / 2)) + BOX.gap + GROWTH_ROOM;
    left = Math.min(...placed.map((b) => known.get(b.id)!.x - b.w / 2));
  }
  const fresh = boxes.filter((b) => !known.has(b.id));
  const cols = Math.max(1, Math.ceil(Math.sqrt(fresh.length * 1.5)));
  const cellW = Math.max(0, ...fresh.map((b) => b.w)) + BOX.gap;
  let rowH = 0;
  fresh.forEach((b, i) => {
    const c = i % cols;
    if (c === 0 && i > 0) {
      top += rowH + BOX.gap + GROWTH_ROOM;
      rowH = 0;
    }
    rowH = Math.max(rowH, b.h);
    out.set(b.id, { x: left + c * cellW + b.w / 2, y: top + b.h / 2 });
  });
  return out;
}

/**
 * Positions (centres) for every box. Known ones are returned unchanged; new ones are seeded on a
 * grid (in the given order) below the known ones; when edges touch them, fcose (randomize: false,
 * known boxes fixed) refines the seed so networks sit near the nodes they span. Overlaps left are
 * resolved by moving new boxes to the nearest free spot. Deterministic for the same input.
 */
export function placeBoxes(boxes: readonly Box[], edges: readonly { source: string; target: string }[], known: ReadonlyMap<string, Point>): Map<string, Point> {
  const result = new Map<string, Point>();
  for (const b of boxes) {
    const p = known.get(b.id);
    if (p) result.set(b.id, p);
  }
  if (result.size === boxes.length) return result;
  const seeded = seed(boxes, known);
  const ids = new Set(boxes.map((b) => b.id));
  // fcose needs something to move and something to relate: with one fresh box and no edges, the seed is the answer.
  const usefulEdges = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  // Without edges there is nothing for fcose to improve on the seed grid (it would only blur it).
  if (boxes.length < 2 || usefulEdges.length === 0) {
    for (const [id, p] of seeded) result.set(id, p);
    return settle(boxes, result, known);
  }
  ensureFcose();
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    elements: [
      ...boxes.map((b) => ({ group: 'nodes' as const, data: { id: b.id, w: b.w, h: b.h }, position: { ...(known.get(b.id) ?? seeded.get(b.id)!) } })),
      ...usefulEdges.map((e, i) => ({ group: 'edges' as const, data: { id: `e${i}`, source: e.source, target: e.target } })),
    ],
    style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)', shape: 'rectangle' } }],
  });
  try {
    const fixed = boxes.filter((b) => known.has(b.id)).map((b) => ({ nodeId: b.id, position: { ...known.get(b.id)! } }));
    cy.layout({
      name: 'fcose',
      quality: 'proof',
      randomize: false,
      animate: false,
      fit: false,
      nodeDimensionsIncludeLabels: false,
      nodeSeparation: BOX.gap,
      idealEdgeLength: 160,
      nodeRepulsion: 30000,
      gravity: 0.15,
      numIter: 1500,
      tile: false,
      ...(fixed.length ? { fixedNodeConstraint: fixed } : {}),
    } as cytoscape.LayoutOptions).run();
    for (const b of boxes) if (!result.has(b.id)) result.set(b.id, { ...cy.getElementById(b.id).position() });
  } finally {
    cy.destroy();
  }
  return settle(boxes, result, known);
}

/** fcose does not promise no overlap: moves each new box that overlaps a settled one to the nearest free spot. */
function settle(boxes: readonly Box[], pos: Map<string, Point>, known: ReadonlyMap<string, Point>): Map<string, Point> {
  const margin = BOX.gap / 4;
  const settled: (Point & Box)[] = boxes.filter((b) => known.has(b.id)).map((b) => ({ ...b, ...pos.get(b.id)! }));
  const free = (c: Point & Box): boolean => settled.every((o) => !overlaps(c, o, margin));
  const step = 20;
  for (const b of boxes) {
    if (known.has(b.id)) continue;
    const p = pos.get(b.id)!;
    let spot: Point = p;
    if (!free({ ...b, ...p })) {
      search: for (let r = 1; r < 2000; r++) {
        for (let i = -r; i <= r; i++) {
          for (const [dx, dy] of [[i, -r], [i, r], [-r, i], [r, i]] as const) {
            const c = { x: p.x + dx * step, y: p.y + dy * step };
            if (free({ ...b, ...c })) {
              spot = c;
              break search;
            }
          }
        }
      }
    }
    pos.set(b.id, spot);
    settled.push({ ...b, ...spot });
  }
  return pos;
}

/** True when two centred boxes overlap (with a margin). */
export function overlaps(a: Point & { w: number; h: number }, b: Point & { w: number; h: number }, margin = 0): boolean {
  return Math.abs(a.x - b.x) * 2 < a.w + b.w + 2 * margin && Math.abs(a.y - b.y) * 2 < a.h + b.h + 2 * margin;
}

// ── remembered positions ───────────────────────────────────────────────────

const KEY = (lab: string): string => `swarm-lab:topology:${lab}`;

export function loadPositions(lab: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Map<string, Point> {
  try {
    const raw = storage?.getItem(KEY(lab));
    if (!raw) return new Map();
    const obj = JSON.parse(raw) as Record<string, unknown>;
    const out = new Map<string, Point>();
    for (const [id, v] of Object.entries(obj)) {
      if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0]) && Number.isFinite(v[1])) out.set(id, { x: v[0], y: v[1] });
    }
    return out;
  } catch {
    return new Map();
  }
}

export function savePositions(lab: string, positions: ReadonlyMap<string, Point>, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    const obj: Record<string, [number, number]> = {};
    for (const [id, p] of positions) obj[id] = [Math.round(p.x), Math.round(p.y)];
    storage?.setItem(KEY(lab), JSON.stringify(obj));
  } catch {
    /* storage full or denied: positions are a convenience */
  }
}

// ── room for boxes that grew ───────────────────────────────────────────────

/** A box as drawn (centre at its position), with `label` units of its label above it. */
export interface RoomBox extends Box {
  label: number;
}

/**
 * Makes room after boxes changed size (a service scaled up, tasks moved off a node that went down):
 * - a box whose size changed since `before` keeps its top-left corner: it grows to the right and
 *   downwards, so its name stays where it was and its chips do not shift;
 * - then each box that comes closer than `gap` to another is moved away from it, right when its place
 *   lies more beside that box's place than below it (a row stays a row), else down, until none does
 *   (places: where both were before any was pushed). Boxes are visited from the top-left (`first`
 *   before all others: a box the user just dropped stays where it was dropped), so a box is only
 *   pushed by boxes above or left of it, and nothing moves left or up: a box that did not need to
 *   move keeps its place.
 * Space a box leaves when it shrinks stays (Tidy layout closes it). Positions are centres; returns
 * the new ones, whether any moved, and the boxes whose size changed.
 */
export function makeRoom(
  boxes: readonly RoomBox[],
  at: ReadonlyMap<string, Point>,
  before: ReadonlyMap<string, { w: number; h: number }>,
  options: { gap?: number; first?: string } = {},
): { positions: Map<string, Point>; moved: boolean; resized: Set<string> } {
  const gap = options.gap ?? BOX.gap / 2;
  const positions = new Map(at);
  const resized = new Set<string>();
  let moved = false;
  // the rectangles each box needs, label included
  const rects: { id: string; x1: number; y1: number; x2: number; y2: number; home: Point }[] = [];
  for (const b of boxes) {
    let p = at.get(b.id);
    if (!p) continue;
    const was = before.get(b.id);
    if (was && (was.w !== b.w || was.h !== b.h)) {
      resized.add(b.id);
      p = { x: p.x + (b.w - was.w) / 2, y: p.y + (b.h - was.h) / 2 };
      positions.set(b.id, p);
      moved = true;
    }
    rects.push({ id: b.id, x1: p.x - b.w / 2, y1: p.y - b.h / 2 - b.label, x2: p.x + b.w / 2, y2: p.y + b.h / 2, home: p });
  }
  const rank = (r: (typeof rects)[number]): number => (r.id === options.first ? -Infinity : r.x1 + r.y1);
  rects.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const settled: typeof rects = [];
  for (const r of rects) {
    let dx = 0;
    let dy = 0;
    for (let guard = 0; guard <= 4 * rects.length; guard++) {
      const hit = settled.find((o) => r.x1 + dx < o.x2 + gap && o.x1 < r.x2 + dx + gap && r.y1 + dy < o.y2 + gap && o.y1 < r.y2 + dy + gap);
      if (!hit) break;
      const right = hit.x2 + gap - (r.x1 + dx);
      const down = hit.y2 + gap - (r.y1 + dy);
      // how far beside and below the other's place its place lies, each against their sizes
      const beside = r.home.x - hit.home.x;
      const below = r.home.y - hit.home.y;
      const across = beside / (r.x2 - r.x1 + hit.x2 - hit.x1);
      const along = below / (r.y2 - r.y1 + hit.y2 - hit.y1);
      const sideways = beside > 0 || below > 0 ? beside > 0 && (below <= 0 || across >= along) : right <= down;
      if (sideways) dx += right;
      else dy += down;
    }
    if (dx || dy) {
      const p = positions.get(r.id)!;
      positions.set(r.id, { x: p.x + dx, y: p.y + dy });
      Object.assign(r, { x1: r.x1 + dx, x2: r.x2 + dx, y1: r.y1 + dy, y2: r.y2 + dy });
      moved = true;
    }
    settled.push(r);
  }
  return { positions, moved, resized };
}
