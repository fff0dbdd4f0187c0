/**
 * The topology graph at scale in Chromium: the real TopologyGraph (production build of the benchmark
 * page, renderer/bench/graph.html) showing 100 nodes and 3,000 tasks. Zoomed out to fit it is an
 * overview (boxes with task counts, no chips); zoomed in, the boxes in view are drawn with all their
 * chips, each inside its box, and panning draws the chips of the boxes coming into view; a click and
 * a right-click on a chip reach its task; a node going down sends its tasks into the other boxes;
 * dragging a box carries its chips along; exports hold the whole graph.
 *
 * Cytoscape's state (the boxes) is read through the instance it registers on its container element,
 * the chips through the chip layer the graph puts on it (`topoLayer`), and what was drawn from the
 * graph's canvas.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphPage, serveDir } from '../../scripts/bench/graph-page.mjs';
import { launchChromium } from '../support/browser.js';

let browser: Browser;
let page: Page;
let server: Server;
const outDir = mkdtempSync(join(tmpdir(), 'swarm-lab-graph-page-'));

/** The changes the benchmark page can make to the state it shows. */
type UpdateKind = 'node down' | 'one task' | 'scale up' | 'node up';
/** What the benchmark page exposes on its window. */
interface GraphPage {
  graphBench?: { error?: string };
  graphUpdate?(kind: UpdateKind, i?: number): void;
  graphChange?(change: (state: { tasks: unknown[]; services: { id: string }[]; nodes: { id: string }[] }, task: (id: string, serviceId: string, nodeId: string) => unknown) => unknown): void;
  graphState?(): { nodes: { id: string; status: string }[]; tasks: { id: string; nodeId: string | null; desiredState: string }[] };
  graphSelect?(id: string | undefined): void;
  graphHealth?(health: 'ok' | 'noLeader' | 'unreachable', message?: string): void;
  graphTapped?: string | null;
  graphMenu?: { kind: string; id: string };
}

interface Chip {
  id: string;
  box: string;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
}
interface Box {
  id: string;
  classes: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  rx: number;
  ry: number;
}
interface Graph {
  zoom: number;
  pan: { x: number; y: number };
  boxes: Box[];
  chips: Chip[];
  /** The boxes whose chips the last frame drew, how many chips it drew, and the chip marked as selected. */
  drawnBoxes: string[];
  drawnChips: number;
  selected?: string;
}

/** Boxes as Cytoscape holds them (model coordinates; `rx`/`ry` on screen) with the classes they are drawn with, and chips as the chip layer has them. */
function graph(): Promise<Graph> {
  return page.evaluate(() => {
    type Ele = {
      id(): string;
      renderedPosition(): { x: number; y: number };
      boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number };
    };
    type Spec = { id: string; box: string; color: string };
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as {
      _cyreg: { cy: { zoom(): number; pan(): { x: number; y: number }; nodes(s: string): { map<T>(f: (e: Ele) => T): T[] } } };
      topoLayer: {
        boxAt(id: string): unknown;
        items(): { id: string; classes: string }[];
        layer: { chips(at: unknown, now: number): { spec: Spec; x: number; y: number; w: number; h: number }[]; lastDrawnBoxes: string[]; lastDrawnChips: number; selected?: string };
      };
    };
    const cy = el._cyreg.cy;
    const { layer, boxAt } = el.topoLayer;
    const looks = new Map(el.topoLayer.items().map((i) => [i.id, i.classes]));
    return {
      zoom: cy.zoom(),
      pan: cy.pan(),
      boxes: cy.nodes('.swarm-node').map((b) => ({ id: b.id(), classes: looks.get(b.id()) ?? '', ...b.boundingBox({ includeLabels: false, includeOverlays: false }), rx: b.renderedPosition().x, ry: b.renderedPosition().y })),
      chips: layer.chips(boxAt, performance.now()).map((c) => ({ id: c.spec.id, box: c.spec.box, color: c.spec.color, x: c.x, y: c.y, w: c.w, h: c.h })),
      drawnBoxes: [...layer.lastDrawnBoxes],
      drawnChips: layer.lastDrawnChips,
      selected: layer.selected,
    };
  });
}

/** Tasks per node in the state the page shows (what each box must hold). */
async function tasksPerBox(): Promise<Map<string, number>> {
  const tasks = await page.evaluate(() => (window as unknown as GraphPage).graphState!().tasks.filter((t) => t.desiredState === 'running').map((t) => t.nodeId));
  const out = new Map<string, number>();
  for (const n of tasks) out.set(`node:${n}`, (out.get(`node:${n}`) ?? 0) + 1);
  return out;
}

/** Boxes on screen (their rendered rectangle meets the canvas). */
async function boxesOnScreen(g: Graph): Promise<Box[]> {
  const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
  return g.boxes.filter((b) => {
    const [hw, hh] = [((b.x2 - b.x1) / 2) * g.zoom, ((b.y2 - b.y1) / 2) * g.zoom];
    return b.rx + hw >= 0 && b.rx - hw <= canvas.width && b.ry + hh >= 0 && b.ry - hh <= canvas.height;
  });
}

/**
 * Boxes on screen whose chips were not all drawn, or do not number the node's tasks. (A box whose
 * padding alone shows at the canvas's edge, none of its chips, need not have been drawn.)
 */
async function incompleteBoxesOnScreen(g: Graph): Promise<string[]> {
  const onScreen = await boxesOnScreen(g);
  expect(onScreen.length).toBeGreaterThan(0);
  const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
  const chipOnScreen = (c: Chip): boolean => {
    const [x, y, hw, hh] = [c.x * g.zoom + g.pan.x, c.y * g.zoom + g.pan.y, (c.w / 2) * g.zoom, (c.h / 2) * g.zoom];
    return x + hw >= 0 && x - hw <= canvas.width && y + hh >= 0 && y - hh <= canvas.height;
  };
  const want = await tasksPerBox();
  const drawn = new Set(g.drawnBoxes);
  const showsChips = (id: string): boolean => g.chips.some((c) => c.box === id && chipOnScreen(c));
  return onScreen.filter((b) => (!drawn.has(b.id) && showsChips(b.id)) || g.chips.filter((c) => c.box === b.id).length !== (want.get(b.id) ?? 0)).map((b) => `${b.id}: ${drawn.has(b.id) ? 'drawn' : 'not drawn'}, ${g.chips.filter((c) => c.box === b.id).length} of ${want.get(b.id) ?? 0}`);
}

/** Moves the view so that box `id` is in the middle. */
async function centreOn(id: string): Promise<void> {
  await page.evaluate((box) => {
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { center(e: unknown): void; getElementById(i: string): unknown } } };
    el._cyreg.cy.center(el._cyreg.cy.getElementById(box));
  }, id);
  await page.waitForTimeout(200); // drawn on the next frame
}

/** The colours of the graph canvas's pixels at points given in model coordinates, as #rrggbb. */
function pixelsAt(points: { x: number; y: number }[]): Promise<string[]> {
  return page.evaluate((pts) => {
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { zoom(): number; pan(): { x: number; y: number } } } };
    const c = document.querySelector('[data-testid="topology-graph"] canvas.topo-layer') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    const [zoom, pan] = [el._cyreg.cy.zoom(), el._cyreg.cy.pan()];
    const ratio = c.width / c.clientWidth;
    return pts.map((p) => {
      const d = ctx.getImageData(Math.round((p.x * zoom + pan.x) * ratio), Math.round((p.y * zoom + pan.y) * ratio), 1, 1).data;
      return `#${[d[0]!, d[1]!, d[2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    });
  }, points);
}

/** Pixels much darker than the page's light background inside a box's rectangle on screen: its label's ink. */
function darkPixelsIn(b: Box, zoom: number): Promise<number> {
  return page.evaluate(
    ({ b, zoom }) => {
      const c = document.querySelector('[data-testid="topology-graph"] canvas.topo-layer') as HTMLCanvasElement;
      const ratio = c.width / c.clientWidth;
      const [w, h] = [(b.x2 - b.x1) * zoom * ratio, (b.y2 - b.y1) * zoom * ratio];
      const px = c.getContext('2d')!.getImageData(Math.round(b.rx * ratio - w / 2), Math.round(b.ry * ratio - h / 2), Math.max(1, Math.round(w)), Math.max(1, Math.round(h))).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i]! + px[i + 1]! + px[i + 2]! < 200) n++;
      return n;
    },
    { b, zoom },
  );
}

/** Every chip's centre lies inside the box it belongs to. */
function chipsInsideBoxes(g: { boxes: Box[]; chips: Chip[] }): string[] {
  const boxes = new Map(g.boxes.map((b) => [b.id, b]));
  return g.chips.filter((c) => {
    const b = boxes.get(c.box);
    return !b || c.x < b.x1 || c.x > b.x2 || c.y < b.y1 || c.y > b.y2;
  }).map((c) => `${c.id} (${c.box})`);
}

/** Where a model point is on the page, for the mouse. */
async function onPage(g: Graph, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
  return { x: canvas.x + p.x * g.zoom + g.pan.x, y: canvas.y + p.y * g.zoom + g.pan.y };
}

/**
 * Compares the canvas as the graph has drawn it (in part, frame by frame) with a whole redraw:
 * counts the pixels the whole redraw changes (`stale`: by more than anti-aliasing can; `edges`: a
 * little), and lists the boxes whose size Cytoscape (hit testing, dragging) has not been told.
 * `partial`: the graph's own draws since `drawsBefore`.
 *
 * Shapes drawn under a clip are anti-aliased a little differently (up to ~35 levels at a rounded
 * corner's pixels, measured), so a partial redraw leaves some edge pixels unlike a whole one's.
 * Something left stale differs more (text, a chip on the background) or over a whole area (a box's
 * tint).
 */
function staleness(drawsBefore: number): Promise<{ partial: number; stale: number; edges: number; at?: string; unsized: string[] }> {
  return page.evaluate(async (partialBefore) => {
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as {
      topoLayer: { ownDraws: number; items(): { id: string; kind: string; w: number; h: number }[] };
      _cyreg: { cy: { getElementById(id: string): { data(k: string): number } } };
    };
    const unsized = el.topoLayer
      .items()
      .filter((i) => i.kind !== 'network')
      .filter((i) => el._cyreg.cy.getElementById(i.id).data('w') !== i.w || el._cyreg.cy.getElementById(i.id).data('h') !== i.h)
      .map((i) => i.id);
    const c = document.querySelector('[data-testid="topology-graph"] canvas.topo-layer') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    const before = ctx.getImageData(0, 0, c.width, c.height).data;
    const draws = el.topoLayer.ownDraws;
    // a change to the page's style makes the graph read its theme again and draw everything
    document.documentElement.style.setProperty('--graph-test-redraw', String(draws));
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    for (let i = 0; i < 20 && el.topoLayer.ownDraws === draws; i++) await frame();
    if (el.topoLayer.ownDraws === draws) throw new Error('the graph did not draw again');
    const after = ctx.getImageData(0, 0, c.width, c.height).data;
    let [stale, edges] = [0, 0];
    let at: string | undefined;
    for (let i = 0; i < after.length; i += 4) {
      const d = Math.max(Math.abs(after[i]! - before[i]!), Math.abs(after[i + 1]! - before[i + 1]!), Math.abs(after[i + 2]! - before[i + 2]!));
      if (d <= 8) continue;
      if (d <= 60) edges++;
      else stale++;
      at ??= `${(i / 4) % c.width},${Math.floor(i / 4 / c.width)}`;
    }
    return { partial: draws - partialBefore, stale, edges, ...(at ? { at } : {}), unsized };
  }, drawsBefore);
}

/** The graph's own draws so far. */
const ownDraws = (): Promise<number> => page.evaluate(() => (document.querySelector('[data-testid="topology-graph"]') as unknown as { topoLayer: { ownDraws: number } }).topoLayer.ownDraws);

const near = (a: string, b: string, tolerance = 12): boolean => [1, 3, 5].every((i) => Math.abs(parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16)) <= tolerance);

beforeAll(async () => {
  await buildGraphPage(outDir);
  server = await serveDir(outDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 860 } });
  const port = (server.address() as { port: number }).port;
  await page.goto(`http://127.0.0.1:${port}/bench/graph.html?nodes=100&tasks=3000&updates=0`);
  await page.waitForFunction(() => (window as unknown as GraphPage).graphBench, undefined, { timeout: 120_000 });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  rmSync(outDir, { recursive: true, force: true });
});

describe('topology graph with 100 nodes and 3,000 tasks', () => {
  it('fits as an overview: boxes with their task counts, no chips', async () => {
    expect(await page.evaluate(() => (window as unknown as GraphPage).graphBench?.error)).toBeUndefined();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()).toBe(1);
    const g = await graph();
    expect(g.boxes).toHaveLength(100);
    expect(g.chips).toHaveLength(3000); // held by the chip layer…
    expect(g.drawnChips).toBe(0); // …and none drawn
    // each box's name and task count are drawn inside it, in the text colour
    const w10 = g.boxes.find((b) => b.id === 'node:w10')!;
    expect(await darkPixelsIn(w10, g.zoom)).toBeGreaterThan(100);
  });

  it('shows lost quorum in a banner over the graph, which neither moves nor resizes', async () => {
    const look = () =>
      page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('canvas.topo-layer')!;
        const r = c.getBoundingClientRect();
        return { size: `${c.width}×${c.height}`, top: r.top };
      });
    const before = await look();
    const banner = page.getByRole('status').filter({ hasText: 'No leader' });
    // (the watcher's message when quorum is lost, and a detail)
    await page.evaluate(() => (window as unknown as GraphPage).graphHealth!('noLeader', 'The swarm has no leader: too few managers are reachable (quorum is lost). manager1: connection refused.'));
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.textContent()).toContain('quorum is lost');
    expect(await banner.textContent()).toContain('manager1: connection refused.');
    // what happened, said once, then what the graph shows meanwhile
    expect((await banner.textContent())?.match(/no leader/gi)).toHaveLength(1);
    expect(await banner.textContent()).toMatch(/connection refused\. Showing the last state the managers reported\.$/);
    expect(await look()).toEqual(before);
    await page.evaluate(() => (window as unknown as GraphPage).graphHealth!('ok'));
    await expect.poll(() => banner.count()).toBe(0);
    expect(await look()).toEqual(before);
  });

  it('draws the chips of the boxes in view, each inside its box in its service colour, once zoomed in', async () => {
    await page.getByTestId('topology-graph').focus();
    const canvasSize = () => page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('canvas.topo-layer')].map((c) => `${c.width}×${c.height}`));
    const overviewSize = await canvasSize();
    // one step at a time, each seen through (the overview's note goes a frame or two after the zoom),
    // so that the zoom lands the same wherever the machine's load is
    for (let i = 0; i < 12 && (await page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()) > 0; i++) {
      await page.keyboard.press('+');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
    }
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()).toBe(0);
    await page.waitForTimeout(200);
    // the overview's note lies over the graph: its going does not resize the graph's canvas
    expect(await canvasSize()).toEqual(overviewSize);
    const g = await graph();
    expect(g.drawnChips).toBeGreaterThan(0);
    expect(g.drawnChips).toBeLessThan(3000); // only the boxes in view
    expect(chipsInsideBoxes(g)).toEqual([]);
    expect(await incompleteBoxesOnScreen(g)).toEqual([]);
    // the pixels: a chip's left end (clear of its text) is its service's colour
    const drawn = new Set(g.drawnBoxes);
    const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
    const sample = g.chips.filter((c) => drawn.has(c.box)).filter((c) => {
      const [x, y] = [c.x * g.zoom + g.pan.x, c.y * g.zoom + g.pan.y];
      return x > 20 && y > 20 && x < canvas.width - 20 && y < canvas.height - 20;
    }).slice(0, 20);
    expect(sample.length).toBeGreaterThan(5);
    const colours = await pixelsAt(sample.map((c) => ({ x: c.x - c.w / 2 + 3, y: c.y })));
    expect(sample.filter((c, i) => !near(colours[i]!, c.color)).map((c, i) => `${c.id}: ${colours[i]} not ${c.color}`)).toEqual([]);
  });

  it('draws the chips of the boxes that come into view and leaves out those of the boxes that leave', async () => {
    const before = await graph();
    const drawn = new Set(before.drawnBoxes);
    const far = before.boxes.filter((b) => !drawn.has(b.id)).sort((a, b) => Math.hypot(b.rx, b.ry) - Math.hypot(a.rx, a.ry))[0]!;
    await centreOn(far.id);
    const after = await graph();
    const drawnNow = new Set(after.drawnBoxes);
    expect(drawnNow.has(far.id)).toBe(true);
    expect([...drawn].filter((id) => drawnNow.has(id)).length).toBeLessThan(drawn.size); // some left with the view
    expect(await incompleteBoxesOnScreen(after)).toEqual([]);
  });

  it('selects a task by a click on its chip, and asks for its menu on a right-click', async () => {
    const g = await graph();
    const drawn = new Set(g.drawnBoxes);
    const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
    // a chip of a box wholly on screen (its edge is clicked below)
    const whole = new Set(g.boxes.filter((b) => b.x1 * g.zoom + g.pan.x > 10 && b.y1 * g.zoom + g.pan.y > 10 && b.x2 * g.zoom + g.pan.x < canvas.width - 10 && b.y2 * g.zoom + g.pan.y < canvas.height - 10).map((b) => b.id));
    const chip = g.chips.find((c) => drawn.has(c.box) && whole.has(c.box))!;
    expect(chip).toBeDefined();
    const at = await onPage(g, chip);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.evaluate(() => (window as unknown as GraphPage).graphTapped)).toBe(chip.id);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    await expect.poll(() => page.evaluate(() => (window as unknown as GraphPage).graphMenu)).toEqual({ kind: 'task', id: chip.id.slice('task:'.length) });
    // the box around it, between chips: the node
    const box = g.boxes.find((b) => b.id === chip.box)!;
    const edge = await onPage(g, { x: box.x1 + 5, y: (box.y1 + box.y2) / 2 });
    await page.mouse.click(edge.x, edge.y, { button: 'right' });
    await expect.poll(() => page.evaluate(() => (window as unknown as GraphPage).graphMenu)).toEqual({ kind: 'node', id: box.id.slice('node:'.length) });
  });

  it('brings the box of a task selected elsewhere into view, with the chip marked', async () => {
    const before = await graph();
    const drawn = new Set(before.drawnBoxes);
    const far = before.boxes.filter((b) => !drawn.has(b.id)).sort((a, b) => Math.hypot(b.rx, b.ry) - Math.hypot(a.rx, a.ry))[0]!;
    const taskId = await page.evaluate((box) => (window as unknown as GraphPage).graphState!().tasks.find((t) => `node:${t.nodeId}` === box)!.id, far.id);
    await page.evaluate((id) => (window as unknown as GraphPage).graphSelect!(`task:${id}`), taskId);
    await page.waitForTimeout(600); // a 300 ms glide
    const after = await graph();
    const box = after.boxes.find((b) => b.id === far.id)!;
    const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
    // in the middle (centred with its label, which sits above the box)
    expect(Math.abs(box.rx - canvas.width / 2)).toBeLessThan(canvas.width * 0.05);
    expect(Math.abs(box.ry - canvas.height / 2)).toBeLessThan(canvas.height * 0.05);
    expect(after.selected).toBe(`task:${taskId}`);
    expect(after.drawnBoxes).toContain(far.id);
    // the mark: the halo just outside the chip is tinted, unlike the same spot beside an unmarked chip
    const chip = after.chips.find((c) => c.id === `task:${taskId}`)!;
    const other = after.chips.find((c) => c.box === far.id && c.id !== chip.id)!;
    const [marked, plain] = await pixelsAt([{ x: chip.x, y: chip.y - chip.h / 2 - 2 }, { x: other.x, y: other.y - other.h / 2 - 2 }]);
    expect(marked).not.toBe(plain);
    await page.evaluate(() => (window as unknown as GraphPage).graphSelect!(undefined));
  });

  it('moves the tasks of a node that goes down into the other boxes', async () => {
    await centreOn('node:w3'); // the node the first "node down" update takes down
    expect((await graph()).chips.filter((c) => c.box === 'node:w3')).toHaveLength(30);
    await page.evaluate(() => (window as unknown as GraphPage).graphUpdate!('node down', 0));
    const down = await page.evaluate(() => (window as unknown as GraphPage).graphState!().nodes.find((n) => n.status === 'down')!.id);
    expect(down).toBe('w3');
    await page.waitForTimeout(1000); // the chips glide for 600 ms
    const g = await graph();
    const w3 = g.boxes.find((b) => b.id === 'node:w3')!;
    expect(w3.classes).toContain('status-down');
    // drawn so: inside its edge (clear of chips) a red tint, where a ready box has a green one
    const ready = (await boxesOnScreen(g)).filter((b) => b.classes.includes('status-ready') && !b.classes.includes('leader')).sort((a, b) => Math.hypot(a.rx - w3.rx, a.ry - w3.ry) - Math.hypot(b.rx - w3.rx, b.ry - w3.ry))[0]!;
    const [downTint, readyTint] = await pixelsAt([{ x: w3.x1 + 6, y: (w3.y1 + w3.y2) / 2 }, { x: ready.x1 + 6, y: (ready.y1 + ready.y2) / 2 }]);
    const rgb = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    expect(rgb(downTint!)[0]).toBeGreaterThan(rgb(downTint!)[1]! + 10);
    expect(rgb(readyTint!)[1]).toBeGreaterThan(rgb(readyTint!)[0]!);
    expect(g.chips.filter((c) => c.box === 'node:w3')).toEqual([]);
    expect(g.chips).toHaveLength(3000);
    expect(chipsInsideBoxes(g)).toEqual([]);
    expect(await incompleteBoxesOnScreen(g)).toEqual([]);
  });

  it('carries its chips along when a box is dragged', async () => {
    const before = await graph();
    const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
    // the box nearest the middle of the view, grabbed in the empty last cell of its 4-wide chip grid
    const mid = { x: canvas.width / 2, y: canvas.height / 2 };
    const count = (id: string): number => before.chips.filter((c) => c.box === id).length;
    const box = before.boxes
      .filter((b) => count(b.id) % 4 !== 0)
      .sort((a, b) => Math.hypot(a.rx - mid.x, a.ry - mid.y) - Math.hypot(b.rx - mid.x, b.ry - mid.y))[0]!;
    const cell = { x: (box.x2 - box.x1) / 2 - 12 - 66, y: (box.y2 - box.y1) / 2 - 12 - 12 }; // from the centre: padding 12, chip 132×24
    const grab = { x: canvas.x + box.rx + cell.x * before.zoom, y: canvas.y + box.ry + cell.y * before.zoom };
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(grab.x + 12 * i, grab.y + 6 * i);
    await page.mouse.up();
    const after = await graph();
    const moved = after.boxes.find((b) => b.id === box.id)!;
    expect(moved.x1 - box.x1).toBeCloseTo(120 / before.zoom, -1);
    expect(moved.y1 - box.y1).toBeCloseTo(60 / before.zoom, -1);
    const mine = after.chips.filter((c) => c.box === box.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(chipsInsideBoxes(after)).toEqual([]);
    // and the pixels moved with it, none left behind (the box now lies over its neighbours)
    const [colour] = await pixelsAt([{ x: mine[0]!.x - mine[0]!.w / 2 + 3, y: mine[0]!.y }]);
    expect(near(colour!, mine[0]!.color)).toBe(true);
    await page.waitForTimeout(100); // the drag's last frame
    const drawn = await staleness(0);
    expect(drawn, JSON.stringify(drawn)).toMatchObject({ stale: 0, unsized: [] });
    expect(drawn.edges).toBeLessThan(200);
  });

  it('draws the same after redrawing only what changed as a whole redraw draws, zoomed in and in the overview; Cytoscape learns every new box size', async () => {
    /** Runs updates, lets their glides end, and compares the canvas with a whole redraw. */
    const staleAfter = async (updates: [UpdateKind, number][]): ReturnType<typeof staleness> => {
      const before = await ownDraws();
      for (const [kind, i] of updates) {
        await page.evaluate(([k, n]) => (window as unknown as GraphPage).graphUpdate!(k, n), [kind, i] as const);
        await page.waitForTimeout(150); // the next update lands while chips still glide
      }
      await page.waitForTimeout(1200);
      return staleness(before);
    };
    const updates: [UpdateKind, number][] = [
      ['scale up', 2],
      ['one task', 5],
      ['node down', 8],
      ['one task', 9],
      ['scale up', 6],
      ['node up', 8],
    ];
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { zoom(o: object): void; center(e: unknown): void; getElementById(i: string): unknown } } };
      el._cyreg.cy.zoom({ level: 1, renderedPosition: { x: 0, y: 0 } });
      el._cyreg.cy.center(el._cyreg.cy.getElementById('node:w12'));
    });
    const zoomedIn = await staleAfter(updates);
    expect(zoomedIn.partial).toBeGreaterThan(10); // the glides drew frames of their own
    expect(zoomedIn).toMatchObject({ stale: 0, unsized: [] });
    expect(zoomedIn.edges).toBeLessThan(200);
    await page.getByTestId('topology-graph').focus();
    await page.keyboard.press('0'); // fit: the overview
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()).toBe(1);
    const overview = await staleAfter(updates.map(([k, i]) => [k, i + 16]));
    expect(overview).toMatchObject({ stale: 0, unsized: [] });
    expect(overview.edges).toBeLessThan(200);
  });

  it('asks for no animation frames while nothing changes, and draws again when something does', async () => {
    // from here on, count the page's requests for animation frames (Cytoscape's, the graph's, anyone's)
    const frames = () =>
      page.evaluate(() => {
        const w = window as unknown as { framesAsked?: number };
        if (w.framesAsked === undefined) {
          w.framesAsked = 0;
          const ask = window.requestAnimationFrame.bind(window);
          window.requestAnimationFrame = (fn) => {
            w.framesAsked!++;
            return ask(fn);
          };
        }
        return w.framesAsked;
      });
    const draws = () =>
      page.evaluate(() => {
        const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { renderer(): { redrawCount?: number } } } };
        return el._cyreg.cy.renderer().redrawCount ?? 0;
      });
    const quiet = async () => {
      await expect
        .poll(
          async () => {
            const before = await frames();
            await page.waitForTimeout(700);
            return (await frames()) - before;
          },
          { timeout: 15_000 },
        )
        .toBe(0);
    };
    await frames();
    await quiet(); // (what moved in the tests before comes to rest)
    const drawn = await draws();
    await page.evaluate(() => (window as unknown as GraphPage).graphUpdate!('node down', 400));
    await expect.poll(draws).toBeGreaterThan(drawn);
    await quiet();
    await page.evaluate(() => (window as unknown as GraphPage).graphUpdate!('node up', 400));
    await quiet();
  });

  it("has Cytoscape draw no element of its own (the graph's canvas shows them all), and still draw its frames", async () => {
    const counts = () =>
      page.evaluate(() => {
        const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { renderer(): Record<string, unknown> & { redrawCount?: number } } } };
        const r = el._cyreg.cy.renderer();
        const w = window as unknown as { elementsDrawn?: number };
        if (w.elementsDrawn === undefined) {
          // every way Cytoscape's canvas renderer draws an element goes through these
          w.elementsDrawn = 0;
          for (const m of ['drawCachedElement', 'drawElement', 'drawNode']) {
            const f = r[m] as (...a: unknown[]) => unknown;
            r[m] = function (this: unknown, ...a: unknown[]) {
              w.elementsDrawn!++;
              return f.apply(this, a);
            };
          }
        }
        const priorities = r.beforeRenderPriorities as Record<string, number>;
        const upkeep = (r.beforeRenderCallbacks as { priority: number }[]).filter((c) => [priorities.eleTxrDeq, priorities.lyrTxrDeq, priorities.lyrTxrSkip].includes(c.priority)).length;
        return { elements: w.elementsDrawn, frames: r.redrawCount ?? 0, upkeep };
      });
    const before = await counts();
    await page.evaluate(() => (window as unknown as GraphPage).graphUpdate!('node down', 450));
    await expect.poll(async () => (await counts()).frames).toBeGreaterThan(before.frames);
    await page.waitForTimeout(600); // (the chips gliding, the boxes' new sizes)
    await page.evaluate(() => (window as unknown as GraphPage).graphUpdate!('node up', 450));
    await page.waitForTimeout(600);
    expect(await counts()).toMatchObject({ elements: 0, upkeep: 0 }); // (nor the upkeep of its texture caches before each frame)
  });

  it('exports the whole graph, every chip included, as PNG and SVG', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '⇩ PNG' }).click()]);
    const pngBytes = readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
    expect(pngBytes.readUInt32BE(16)).toBeGreaterThan(2000); // width: the whole graph, not the view
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '⇩ SVG' }).click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    expect(svg.suggestedFilename()).toBe('bench-topology.svg');
    expect(text).toMatch(/^<svg xmlns/);
    expect(text).toContain('>★ m0</tspan>');
    expect(text.match(/>▶ svc\d+\.\d+</g)?.length ?? 0).toBeGreaterThan(2500); // the running chips of all 100 boxes
  });

  it('says so when the browser cannot make the PNG, and what to do instead', async () => {
    // a browser refusing an image that large hands toBlob no blob
    await page.evaluate(() => {
      const proto = HTMLCanvasElement.prototype as unknown as { toBlob(cb: (b: Blob | null) => void): void; realToBlob?: unknown };
      proto.realToBlob = proto.toBlob;
      proto.toBlob = (cb) => cb(null);
    });
    try {
      await page.getByRole('button', { name: '⇩ PNG' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^The PNG export of "bench" failed: the browser could not make a \d+×\d+ px image\. Try the SVG export/);
    } finally {
      await page.evaluate(() => {
        const proto = HTMLCanvasElement.prototype as unknown as { toBlob: unknown; realToBlob?: unknown };
        proto.toBlob = proto.realToBlob;
      });
    }
    // the next export that works clears it
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '⇩ SVG' }).click()]);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  });
});

describe('topology graph of a small lab whose boxes grow', () => {
  let small: Page;
  beforeAll(async () => {
    small = await browser.newPage({ viewport: { width: 900, height: 600 } });
    const port = (server.address() as { port: number }).port;
    // three empty nodes side by side, as a lab is before its first service
    await small.goto(`http://127.0.0.1:${port}/bench/graph.html?nodes=3&tasks=0&updates=0`);
    await small.waitForFunction(() => (window as unknown as GraphPage).graphBench, undefined, { timeout: 60_000 });
  }, 90_000);
  afterAll(() => small?.close());

  /** The boxes as drawn (model coordinates, label above not included), and the view. */
  const boxes = () =>
    small.evaluate(() => {
      const el = document.querySelector('[data-testid="topology-graph"]') as unknown as {
        _cyreg: { cy: { extent(): { x1: number; y1: number; x2: number; y2: number }; nodes(s: string): { map<T>(f: (e: { id(): string; position(): { x: number; y: number } }) => T): T[] } } };
        topoLayer: { items(): { id: string; w: number; h: number }[] };
      };
      const cy = el._cyreg.cy;
      const size = new Map(el.topoLayer.items().map((i) => [i.id, i]));
      const list = cy.nodes('.swarm-node').map((b) => {
        const { x, y } = b.position();
        const { w, h } = size.get(b.id())!;
        return { id: b.id(), x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2 };
      });
      return { list: list.sort((a, b) => a.x1 - b.x1), view: cy.extent() };
    });

  it('moves a box pushed aside by one that grew in the same frame, so that none lies over another meanwhile', async () => {
    const fresh = await browser.newPage({ viewport: { width: 900, height: 600 } });
    try {
      await fresh.goto(small.url());
      await fresh.waitForFunction(() => (window as unknown as GraphPage).graphBench, undefined, { timeout: 60_000 });
      const at = () =>
        fresh.evaluate(() => {
          const el = document.querySelector('[data-testid="topology-graph"]') as unknown as {
            _cyreg: { cy: { nodes(s: string): { map<T>(f: (e: { id(): string; position(): { x: number } }) => T): T[] } } };
            topoLayer: { items(): { id: string; w: number }[] };
          };
          const w = new Map(el.topoLayer.items().map((i) => [i.id, i.w]));
          return el._cyreg.cy.nodes('.swarm-node').map((b) => ({ id: b.id(), x1: b.position().x - w.get(b.id())! / 2, x2: b.position().x + w.get(b.id())! / 2 })).sort((a, b) => a.x1 - b.x1);
        });
      const before = await at();
      // the first node gets two tasks: its box grows to two chips' width, more than the gap beside it
      await fresh.evaluate(() =>
        (window as unknown as GraphPage).graphChange!((s, task) => ({ ...s, tasks: [...s.tasks, task('t1', s.services[0]!.id, s.nodes[0]!.id), task('t2', s.services[0]!.id, s.nodes[0]!.id)] })),
      );
      await fresh.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const next = await at();
      expect(next[0]!.x2 - next[0]!.x1).toBeGreaterThan(before[0]!.x2 - before[0]!.x1 + 100);
      for (let i = 1; i < next.length; i++) expect(next[i]!.x1 - next[i - 1]!.x2, `the gap before ${next[i]!.id}, in the next frame`).toBeGreaterThanOrEqual(29.5);
      expect(next[1]!.x2 - next[1]!.x1).toBe(before[1]!.x2 - before[1]!.x1); // (pushed, not grown)
    } finally {
      await fresh.close();
    }
  });

  it('grows boxes to the right and down, pushes the ones beside them aside so none overlaps, and keeps them all in the fitted view', async () => {
    const before = await boxes();
    expect(before.list.map((b) => b.id)).toEqual(['node:m0', 'node:m1', 'node:m2']);
    await small.evaluate(() => (window as unknown as GraphPage).graphUpdate!('scale up', 0)); // 10 tasks on each
    // in the very next frame no box lies over another: the pushed ones are in their places already
    await small.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const next = await boxes();
    for (let i = 1; i < next.list.length; i++) expect(next.list[i]!.x1 - next.list[i - 1]!.x2, `the gap before ${next.list[i]!.id}, in the next frame`).toBeGreaterThanOrEqual(29.5);
    await small.waitForTimeout(1200); // the view glides for 400 ms
    const after = await boxes();
    expect(after.list.map((b) => b.id)).toEqual(['node:m0', 'node:m1', 'node:m2']); // still in that order
    for (const [i, b] of after.list.entries()) {
      expect(b.x2 - b.x1).toBeGreaterThan(before.list[i]!.x2 - before.list[i]!.x1 + 300); // 4 chips wide now
      expect(b.x1).toBeGreaterThanOrEqual(before.list[i]!.x1 - 0.5); // nothing moved left or up
      expect(b.y1).toBeCloseTo(before.list[i]!.y1, 0); // one row still, its names where they were
    }
    expect(after.list[0]!.x1).toBeCloseTo(before.list[0]!.x1, 0);
    for (let i = 1; i < after.list.length; i++) expect(after.list[i]!.x1 - after.list[i - 1]!.x2, `the gap before ${after.list[i]!.id}`).toBeGreaterThanOrEqual(29.5);
    // the view was fitted: it zoomed out so that every box is in it
    for (const b of after.list) {
      expect(b.x1).toBeGreaterThanOrEqual(after.view.x1);
      expect(b.x2).toBeLessThanOrEqual(after.view.x2);
      expect(b.y1).toBeGreaterThanOrEqual(after.view.y1);
      expect(b.y2).toBeLessThanOrEqual(after.view.y2);
    }
  });
});
