/**
 * The workbench end to end, in Chromium against `swarm-lab serve` and a real lab: create a 1m2w lab
 * from the UI (the web image loaded into its nodes), see its nodes in the outline and the graph, open
 * manager1's terminal from the context menu, read `docker node ls` from it and run a service of the
 * web image, load the registry image into it from the labs panel, kill worker1 from the menu and
 * watch it go down, then destroy the lab from the UI. Screenshots of the graph, the terminal dock and presenter mode go to
 * test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../electron/common/lab.js';
import { ImageBuilder, imageRef } from '../../electron/node/images/images.js';
import { launchChromium } from '../support/browser.js';
import { repoRoot, runCli, startServe } from '../support/engine.js';
import { terminalText, typeLine } from '../support/terminal.js';

const LAB = 'e2e-wb';
const shots = join(repoRoot, 'test-results');
const docker = new Docker();
let browser: Browser;
let page: Page;
let serve: Awaited<ReturnType<typeof startServe>>;

const outlineItem = (name: string) =>
  page.locator('[data-testid="topology-outline"] [role="treeitem"][aria-level="2"]').filter({ has: page.locator(':scope > .topo-row', { hasText: name }) });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  await new ImageBuilder(docker).ensure(['node', 'web', 'registry']);
  runCli(['down', LAB]);
  browser = await launchChromium();
  serve = await startServe();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  runCli(['down', LAB]);
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.lab}=${LAB}`] } });
  expect(left).toEqual([]);
}, 120_000);

describe('the workbench', () => {
  it('creates a 1m2w lab from the UI and shows its nodes in the outline and the graph', async () => {
    await page.goto(serve.url);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('Connected');
    const form = page.getByRole('form', { name: 'Create a lab' });
    await form.getByLabel('Name').fill(LAB);
    await form.getByRole('button', { name: 'Create lab' }).click();
    // progress per node while it works
    await expect.poll(() => page.locator('.progress-notes').textContent(), { timeout: 30_000 }).toMatch(/manager1/);
    for (const n of ['manager1', 'worker1', 'worker2']) {
      await expect.poll(() => outlineItem(n).count(), { timeout: 90_000 }).toBe(1);
    }
    await expect.poll(() => page.getByTestId('topology-graph').getAttribute('aria-label'), { timeout: 30_000 }).toContain('3 nodes');
    await expect.poll(() => page.getByTestId('quorum-meter').getAttribute('data-state'), { timeout: 30_000 }).not.toBe('lost');
    expect(new URL(page.url()).hash).toBe(`#lab=${LAB}`);
    await page.screenshot({ path: join(shots, 'workbench-graph.png') });
  });

  it("opens manager1's terminal from the context menu and runs docker node ls", async () => {
    await outlineItem('manager1').locator('.topo-row').first().click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Open terminal' }).click();
    await expect.poll(() => page.locator('[data-testid="terminal-pane"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => terminalText(page), { timeout: 20_000 }).toMatch(/manager1:.*[#$]/);
    await typeLine(page, 'docker node ls');
    await expect.poll(() => terminalText(page), { timeout: 20_000 }).toMatch(/manager1\s+Ready\s+Active\s+Leader/);
    const text = await terminalText(page);
    expect(text).toMatch(/worker1\s+Ready/);
    expect(text).toMatch(/worker2\s+Ready/);
    await page.screenshot({ path: join(shots, 'workbench-terminal.png') });
  });

  it('runs a service of the web image the lab loaded into its nodes (they cannot pull)', async () => {
    await typeLine(page, `docker service create -d --name web --replicas 3 ${imageRef('web')}`);
    await expect.poll(() => outlineItem('web').textContent(), { timeout: 60_000 }).toMatch(/web — 3\/3 running/);
  });

  it('loads the registry image into every node of the running lab from the labs panel', async () => {
    await page.locator(`.lab-item[data-lab="${LAB}"]`).getByRole('button', { name: 'Load images…' }).click();
    const dialog = page.getByRole('alertdialog', { name: `Load images into ${LAB}` });
    await dialog.getByRole('checkbox', { name: /registry/ }).check();
    await dialog.getByRole('button', { name: 'Load into 3 nodes' }).click();
    await expect.poll(() => page.locator('.labs [role="status"].done').textContent(), { timeout: 120_000 }).toBe(`${LAB}: ${imageRef('registry')} loaded into 3 nodes.`);
    const inspect = runCli(['exec', LAB, 'worker2', '--', 'docker', 'image', 'inspect', '--format', '{{.Id}}', imageRef('registry')]);
    expect(inspect.status, inspect.stderr).toBe(0);
  });

  it('kills worker1 from the menu (after confirming) and shows it down in the outline', async () => {
    await outlineItem('worker1').locator('.topo-row').first().click({ button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: /^Kill/ }).click();
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.textContent()).toContain('worker1');
    await dialog.getByRole('button', { name: /^Kill worker1/ }).click();
    // the default 5 s heartbeat: swarm marks it down after about 15 s
    await expect.poll(() => outlineItem('worker1').textContent(), { timeout: 60_000 }).toMatch(/down/i);
    await expect.poll(() => page.locator('.topo-timeline, [aria-live="polite"]').first().textContent(), { timeout: 10_000 }).toMatch(/worker1/);
  });

  it('switches to presenter mode', async () => {
    const graphWidth = () => page.getByTestId('topology-graph').evaluate((el) => el.clientWidth);
    const widthBefore = await graphWidth();
    await page.getByRole('button', { name: 'Presenter' }).click();
    await expect.poll(() => page.locator('.frame').getAttribute('class')).toContain('presenter-mode');
    // the side panel closes, and the graph takes its room
    await expect.poll(() => page.locator('.side-panel').count()).toBe(0);
    await expect.poll(graphWidth).toBeGreaterThan(widthBefore + 300);
    // the graph, fitted before, is fitted again to the room presenter mode leaves it: every box in view
    const outside = (): Promise<string[]> =>
      page.evaluate(() => {
        const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { clientWidth: number; clientHeight: number; _cyreg: { cy: { nodes(s: string): { map<T>(f: (n: { id(): string; renderedBoundingBox(o: object): { x1: number; y1: number; x2: number; y2: number } }) => T): T[] } } } };
        return el._cyreg.cy.nodes('.swarm-node').map((n) => ({ id: n.id(), bb: n.renderedBoundingBox({ includeLabels: false }) })).filter(({ bb }) => bb.x1 < 0 || bb.y1 < 0 || bb.x2 > el.clientWidth || bb.y2 > el.clientHeight).map(({ id }) => id);
      });
    await expect.poll(outside).toEqual([]);
    await page.screenshot({ path: join(shots, 'workbench-presenter.png') });
    await page.getByRole('button', { name: 'Presenter' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Practice labs' }).count()).toBe(1); // the labs panel is back
  });

  it('keeps every box where it was across a page reload (places are remembered per lab)', async () => {
    const places = () =>
      page.evaluate(() => {
        const el = document.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg: { cy: { nodes(s: string): { map<T>(f: (n: { id(): string; position(): { x: number; y: number } }) => T): T[] } } } };
        return Object.fromEntries(el._cyreg.cy.nodes('.swarm-node').map((n) => [n.id(), [Math.round(n.position().x), Math.round(n.position().y)]]));
      });
    // drag one box down by 120 px: a place the layout would not give it again
    const graphEl = page.getByTestId('topology-graph');
    const at = await graphEl.evaluate((el) => {
      const cy = (el as unknown as { _cyreg: { cy: { nodes(s: string): { last(): { renderedPosition(): { x: number; y: number } } } } } })._cyreg.cy;
      const r = el.getBoundingClientRect();
      const p = cy.nodes('.swarm-node').last().renderedPosition();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    const dragged = await places();
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(at.x, at.y + 20 * i);
    await page.mouse.up();
    await expect.poll(async () => JSON.stringify(await places())).not.toBe(JSON.stringify(dragged));
    const before = await places();
    expect(Object.keys(before)).toHaveLength(3);
    await page.reload(); // (at once: what was not written yet is written as the page goes)
    await expect.poll(() => page.getByTestId('topology-graph').getAttribute('aria-label'), { timeout: 30_000 }).toContain('3 nodes');
    await expect.poll(places, { timeout: 10_000 }).toEqual(before);
  });

  it('destroys the lab from the UI after a confirmation naming it', async () => {
    const item = page.locator(`.lab-item[data-lab="${LAB}"]`);
    await item.getByRole('button', { name: 'Destroy…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: `Destroy ${LAB}` }).click();
    await expect.poll(() => item.count(), { timeout: 60_000 }).toBe(0);
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.lab}=${LAB}`] } });
    expect(left).toEqual([]);
  });
});
