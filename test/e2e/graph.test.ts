/**
 * The topology graph at scale in Chromium: the real TopologyGraph (production build of the benchmark
 * page, renderer/bench/graph.html) showing 100 nodes and 3,000 tasks. Zoomed out to fit it is an
 * overview (boxes with task counts, no chips); zoomed in, the boxes in view hold all their chips,
 * each inside its box, and panning brings the chips of the boxes coming into view; a node going down
 * sends its tasks into the other boxes; dragging a box carries its chips along.
 *
 * Cytoscape's state is read through the instance it registers on its container element.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

/** What the benchmark page exposes on its window. */
interface GraphPage {
  graphBench?: { error?: string };
  graphUpdate?(kind: 'node down' | 'one task' | 'scale up' | 'node up', i?: number): void;
  graphState?(): { nodes: { id: string; status: string }[]; tasks: { id: string; nodeId: string | null }[] };
  graphSelect?(id: string | undefined): void;
}

interface Chip {
  id: string;
  box: string;
  x: number;
  y: number;
  visible: boolean;
}
interface Box {
  id: string;
  classes: string;
  overviewLabel: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  rx: number;
  ry: number;
}

/** Boxes and chips as Cytoscape has them (model coordinates; `rx`/`ry` on screen). */
function graph(): Promise<{ zoom: number; boxes: Box[]; chips: Chip[] }> {
  return page.evaluate(() => {
    type Ele = {
      id(): string;
      data(k: string): string;
      classes(): string[];
      position(): { x: number; y: number };
      renderedPosition(): { x: number; y: number };
      visible(): boolean;
      boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number };
    };
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { zoom(): number; nodes(s: string): { map<T>(f: (e: Ele) => T): T[] } } } };
    const cy = el._cyreg.cy;
    return {
      zoom: cy.zoom(),
      boxes: cy.nodes('.swarm-node').map((b) => {
        const bb = b.boundingBox({ includeLabels: false, includeOverlays: false });
        return { id: b.id(), classes: b.classes().join(' '), overviewLabel: b.data('overviewLabel'), ...bb, rx: b.renderedPosition().x, ry: b.renderedPosition().y };
      }),
      chips: cy.nodes('.task').map((c) => ({ id: c.id(), box: c.data('box'), ...c.position(), visible: c.visible() })),
    };
  });
}

/** The task count in a box's overview label ("w3\n30 tasks"), whatever the zoom. */
const taskCount = (b: Box): number => Number(/(\d+) tasks?$/.exec(b.overviewLabel)?.[1] ?? NaN);

/** Boxes on screen (their rendered rectangle meets the canvas) whose chips are not all there. */
async function incompleteBoxesOnScreen(g: { zoom: number; boxes: Box[]; chips: Chip[] }): Promise<string[]> {
  const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
  const onScreen = g.boxes.filter((b) => {
    const [hw, hh] = [((b.x2 - b.x1) / 2) * g.zoom, ((b.y2 - b.y1) / 2) * g.zoom];
    return b.rx + hw >= 0 && b.rx - hw <= canvas.width && b.ry + hh >= 0 && b.ry - hh <= canvas.height;
  });
  expect(onScreen.length).toBeGreaterThan(0);
  return onScreen.filter((b) => g.chips.filter((c) => c.box === b.id).length !== taskCount(b)).map((b) => `${b.id}: ${g.chips.filter((c) => c.box === b.id).length} of ${taskCount(b)}`);
}

/** Moves the view so that box `id` is in the middle. */
async function centreOn(id: string): Promise<void> {
  await page.evaluate((box) => {
    const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { center(e: unknown): void; getElementById(i: string): unknown } } };
    el._cyreg.cy.center(el._cyreg.cy.getElementById(box));
  }, id);
  await page.waitForTimeout(200); // chips follow the view on the next frame
}

/** Pixels with any ink on the canvas the overview's labels are drawn on. */
function labelInk(): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="topology-graph"] canvas.topo-labels') as HTMLCanvasElement;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  });
}

/** Every chip's centre lies inside the box it belongs to. */
function chipsInsideBoxes(g: { boxes: Box[]; chips: Chip[] }): string[] {
  const boxes = new Map(g.boxes.map((b) => [b.id, b]));
  return g.chips.filter((c) => {
    const b = boxes.get(c.box);
    return !b || c.x < b.x1 || c.x > b.x2 || c.y < b.y1 || c.y > b.y2;
  }).map((c) => `${c.id} (${c.box})`);
}

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
    expect(g.chips).toHaveLength(0);
    expect(g.boxes.reduce((n, b) => n + taskCount(b), 0)).toBe(3000);
    expect(await labelInk()).toBeGreaterThan(1000); // the counts are drawn over the graph
    expect(g.boxes.find((b) => b.id === 'node:w10')?.overviewLabel).toBe('w10\n30 tasks');
    expect(g.boxes.find((b) => b.id === 'node:m0')?.overviewLabel).toBe('★ m0\n30 tasks');
  });

  it('shows the chips of the boxes in view, each inside its box, once zoomed in', async () => {
    await page.getByTestId('topology-graph').focus();
    for (let i = 0; i < 12 && (await page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()) > 0; i++) await page.keyboard.press('+');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Zoomed out' }).count()).toBe(0);
    await page.waitForTimeout(200);
    const g = await graph();
    expect(g.chips.length).toBeGreaterThan(0);
    expect(g.chips.length).toBeLessThan(3000); // only the boxes in and near the view
    expect(g.chips.every((c) => c.visible)).toBe(true);
    expect(chipsInsideBoxes(g)).toEqual([]);
    expect(await incompleteBoxesOnScreen(g)).toEqual([]);
    expect(await labelInk()).toBe(0); // the overview's labels are gone with it
  });

  it('brings the chips of the boxes that come into view and drops those of the boxes that leave', async () => {
    const before = await graph();
    const held = new Set(before.chips.map((c) => c.box));
    const far = before.boxes.filter((b) => !held.has(b.id)).sort((a, b) => Math.hypot(b.rx, b.ry) - Math.hypot(a.rx, a.ry))[0]!;
    await centreOn(far.id);
    const after = await graph();
    const heldNow = new Set(after.chips.map((c) => c.box));
    expect(heldNow.has(far.id)).toBe(true);
    expect([...held].filter((id) => heldNow.has(id)).length).toBeLessThan(held.size); // some left with the view
    expect(chipsInsideBoxes(after)).toEqual([]);
    expect(await incompleteBoxesOnScreen(after)).toEqual([]);
  });

  it('brings the box of a task selected elsewhere into view, with the chip marked', async () => {
    const before = await graph();
    const held = new Set(before.chips.map((c) => c.box));
    const far = before.boxes.filter((b) => !held.has(b.id)).sort((a, b) => Math.hypot(b.rx, b.ry) - Math.hypot(a.rx, a.ry))[0]!;
    const taskId = await page.evaluate((box) => (window as unknown as GraphPage).graphState!().tasks.find((t) => `node:${t.nodeId}` === box)!.id, far.id);
    await page.evaluate((id) => (window as unknown as GraphPage).graphSelect!(`task:${id}`), taskId);
    await page.waitForTimeout(600); // a 300 ms glide, then the chips of the boxes now in view
    const after = await graph();
    const box = after.boxes.find((b) => b.id === far.id)!;
    const canvas = (await page.getByTestId('topology-graph').boundingBox())!;
    // in the middle (centred with its label, which sits above the box)
    expect(Math.abs(box.rx - canvas.width / 2)).toBeLessThan(canvas.width * 0.05);
    expect(Math.abs(box.ry - canvas.height / 2)).toBeLessThan(canvas.height * 0.05);
    const marked = await page.evaluate((id) => {
      const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { getElementById(i: string): { hasClass(c: string): boolean; nonempty(): boolean } } } };
      const chip = el._cyreg.cy.getElementById(`task:${id}`);
      return chip.nonempty() && chip.hasClass('sel');
    }, taskId);
    expect(marked).toBe(true);
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
    expect(g.boxes.find((b) => b.id === 'node:w3')?.classes).toContain('status-down');
    expect(g.chips.filter((c) => c.box === 'node:w3')).toEqual([]);
    expect(g.boxes.reduce((n, b) => n + taskCount(b), 0)).toBe(3000);
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
  });
});
