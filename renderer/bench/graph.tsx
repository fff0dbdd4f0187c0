/**
 * The page `npm run bench:ui` drives to time the topology graph: the real TopologyGraph component
 * (production build) with a 100-node / 3,000-task state, then a series of incremental updates of
 * the kinds a live swarm produces. Results go to `window.graphBench` for the script to read.
 * Query: nodes, tasks, updates (per phase; 0: render only), gap (ms between updates); the phases
 * are in PHASES. The browser test drives the same page
 * through `window.graphUpdate` and reads `window.graphState`.
 *
 * Timing per render: `commit` is the synchronous work from the new state to Cytoscape holding it
 * (React, our element diff, the Cytoscape batch, box placement, the chip layer's update); `frame`
 * is the main thread's whole next frame that drew: from the frame's start to the end of its
 * rendering work, which includes rasterizing the canvases' drawing (done after the scripts, when
 * the page is painted); `draw` is the scripts' part of it: Cytoscape's frame (see timeFrames, the
 * chips drawn after it included), or the chip layer's own when only chips changed.
 * `commit + frame` is the main-thread work the change costs, which must fit in a 16 ms frame.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { ClusterState, ClusterTask } from '../../electron/common/cluster.js';
import { computeQuorum } from '../../electron/common/cluster.js';
import { CHIP } from '../src/topology/layout.js';
import { OVERVIEW_CHIP_PX, TopologyGraph, type GraphLayerHandle } from '../src/topology/TopologyGraph.js';
import { bigState, task } from '../src/topology/testState.js';
import '../src/styles.css';

interface CyRenderer {
  redrawCount?: number;
  /** Registers a callback Cytoscape runs at the start of each frame, before drawing (higher priority first). */
  beforeRender(fn: (willDraw: boolean) => void, priority: number): void;
  /** Cytoscape has a draw pending. */
  requestedFrame?: boolean;
}
/**
 * Fitted to the window (at 100 nodes the overview: boxes with task counts); zoomed in just past the
 * overview, where chips show and the most boxes hold them; zoomed in to 100 % on the middle.
 */
const PHASES = ['fitted', 'chips shown', 'zoomed in'] as const;
type Phase = (typeof PHASES)[number];
interface Sample {
  phase: Phase;
  kind: string;
  commitMs: number;
  drawMs: number;
  frameMs: number;
  /** Whole frames of the animation that follows. */
  animationFrameMs: number[];
  /** Draw times of the frames of the animation that follows (tasks gliding, fading in). */
  animationDrawMs: number[];
}
interface Results {
  nodes: number;
  tasks: number;
  first: { commitMs: number; drawMs: number; frameMs: number; readyMs: number };
  /** Cytoscape elements in the graph in each phase (boxes; chips are drawn by the chip layer). */
  elements: Record<string, number>;
  /** Chips drawn in a frame, in each phase (those of the boxes in view). */
  chipsDrawn: Record<string, number>;
  updates: Sample[];
}
declare global {
  interface Window {
    graphBench?: Results | { error: string };
    graphState?: () => ClusterState;
    graphUpdate?: (kind: 'node down' | 'one task' | 'scale up' | 'node up', i?: number) => void;
    /** Shows the state `change` makes of the one shown (`task` makes a running task: id, service id, node id). */
    graphChange?: (change: (state: ClusterState, task: (id: string, serviceId: string, nodeId: string) => ClusterTask) => ClusterState) => void;
    /** Shows the state with this health (and message), as the cluster model would when quorum is lost. */
    graphHealth?: (health: ClusterState['health'], message?: string) => void;
    /** Selects an element as the outline would ('node:<id>', 'task:<id>'). */
    graphSelect?: (id: string | undefined) => void;
    /** What the graph last asked to select (a tap), and the target of the last context menu it asked for. */
    graphTapped?: string | null;
    graphMenu?: { kind: string; id: string };
  }
}

const params = new URLSearchParams(location.search);
const NODES = Number(params.get('nodes') ?? 100);
const TASKS = Number(params.get('tasks') ?? 3000);
const UPDATES = Number(params.get('updates') ?? 60);
const GAP_MS = Number(params.get('gap') ?? 700);
/** ?phases=fitted,zoomed in: only these views (all three when absent). */
const ONLY_PHASES = params.get('phases')?.split(',');

const container = document.getElementById('root')!;
const root = createRoot(container);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Cy {
  renderer(): CyRenderer;
  on(event: 'render', fn: () => void): void;
  zoom(o: { level: number; renderedPosition: { x: number; y: number } }): void;
  width(): number;
  height(): number;
  elements(): { length: number };
}
function graphCy(): Cy {
  // Cytoscape registers itself on its container element.
  const el = container.querySelector('[data-testid="topology-graph"]') as unknown as { _cyreg?: { cy?: Cy } } | null;
  const cy = el?._cyreg?.cy;
  if (!cy) throw new Error('no Cytoscape instance on the page');
  return cy;
}
const renderer = (): CyRenderer => graphCy().renderer();
const layer = (): GraphLayerHandle | undefined => (container.querySelector('[data-testid="topology-graph"]') as unknown as { topoLayer?: GraphLayerHandle }).topoLayer;

/**
 * How long the scripts of Cytoscape's last frame took: from the first of its before-render steps
 * (style and bounds of changed elements) to the end of its draw, the graph's own drawing of its
 * canvas after it included. Cytoscape's own `lastRedrawTime` leaves out the before-render steps.
 */
let frameStart = 0;
let lastFrameMs = 0;
function timeFrames(): void {
  const cy = graphCy();
  cy.renderer().beforeRender((willDraw) => {
    if (willDraw) frameStart = performance.now();
  }, 1e9);
  cy.on('render', () => (lastFrameMs = performance.now() - frameStart));
}

/** How many frames have been drawn so far: Cytoscape's, and the chip layer's own. */
const drawCounts = (r: CyRenderer): [number, number] => [r.redrawCount ?? 0, layer()?.ownDraws ?? 0];

/**
 * The next frame: resolves once its rendering work is done (a message posted from its animation
 * callbacks is handled after it), with the time from the frame's start, or from `since` when that
 * is later. A frame's start is its vsync tick, which can fall while the main thread is still busy
 * with the update's commit: counted from there, the frame would count part of the commit twice.
 */
function frame(since = 0): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame((begin) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now() - Math.max(begin, since));
      ch.port2.postMessage(0);
    }),
  );
}

/** The scripts' draw time of the frame that just drew (Cytoscape's and the chip layer's own), 0 when none did. */
function drawnSince(r: CyRenderer, [cyBefore, ownBefore]: [number, number]): number | undefined {
  const [cyNow, ownNow] = drawCounts(r);
  if (cyNow === cyBefore && ownNow === ownBefore) return undefined;
  return (cyNow > cyBefore ? lastFrameMs : 0) + (ownNow > ownBefore ? (layer()?.lastOwnDrawMs ?? 0) : 0);
}

/**
 * Follows frames until one draws (Cytoscape's, the chip layer's own, or both); resolves with its
 * scripts' draw time and whole frame time; with zeros when two frames pass with nothing drawn or
 * pending (the change touched nothing the graph shows).
 */
async function nextDraw(r: CyRenderer, before: [number, number]): Promise<{ drawMs: number; frameMs: number }> {
  const since = performance.now(); // the commit's end
  const end = since + 5000;
  for (let frames = 0; ; frames++) {
    const frameMs = await frame(since);
    const drawMs = drawnSince(r, before);
    if (drawMs !== undefined) return { drawMs, frameMs };
    if (frames >= 2 && !r.requestedFrame) return { drawMs: 0, frameMs: 0 };
    if (performance.now() > end) throw new Error('the graph did not draw within 5 s');
  }
}

let selected: string | undefined;
function show(state: ClusterState): number {
  const t0 = performance.now();
  flushSync(() =>
    root.render(<TopologyGraph lab="bench" state={state} selected={selected} onSelect={(id) => (window.graphTapped = id ?? null)} onContextMenu={(target) => (window.graphMenu = target)} />),
  );
  return performance.now() - t0;
}

// ── the updates a live swarm produces ─────────────────────────────────────────
let seq = 0;
const withQuorum = (s: ClusterState): ClusterState => ({ ...s, quorum: computeQuorum(s.nodes), observedAt: s.observedAt + 1 });

/** A worker goes down: its tasks are replaced by new ones on the other ready nodes. */
function nodeDown(s: ClusterState, index: number): ClusterState {
  const victim = s.nodes[index]!;
  const others = s.nodes.filter((n) => n.id !== victim.id && n.status === 'ready');
  let k = 0;
  const tasks: ClusterTask[] = s.tasks.map((t) => {
    if (t.nodeId !== victim.id) return t;
    const to = others[k++ % others.length]!;
    return task(`r${++seq}`, t.serviceId, to.id, { slot: t.slot, updatedAt: new Date().toISOString() });
  });
  return withQuorum({ ...s, nodes: s.nodes.map((n) => (n.id === victim.id ? { ...n, status: 'down' as const } : n)), tasks });
}
const nodeUp = (s: ClusterState, index: number): ClusterState => withQuorum({ ...s, nodes: s.nodes.map((n, i) => (i === index ? { ...n, status: 'ready' as const } : n)) });
/** A service scaled up by 30 replicas, spread over the nodes. */
function scaleUp(s: ClusterState, svc: number): ClusterState {
  const id = s.services[svc % s.services.length]!.id;
  const ready = s.nodes.filter((n) => n.status === 'ready');
  const extra = Array.from({ length: 30 }, (_, i) => task(`s${++seq}`, id, ready[(i * 7 + svc) % ready.length]!.id, { slot: 1000 + seq, state: 'starting' }));
  return withQuorum({ ...s, tasks: [...s.tasks, ...extra] });
}
/** One task changes state (the most common event). */
function oneTask(s: ClusterState, i: number): ClusterState {
  const at = (i * 97) % s.tasks.length;
  return withQuorum({ ...s, tasks: s.tasks.map((t, j) => (j === at ? { ...t, state: t.state === 'running' ? 'starting' : 'running' } : t)) });
}

type UpdateKind = 'node down' | 'one task' | 'scale up' | 'node up';
let state: ClusterState;

/** Applies the i-th update of a kind to the shown state; returns the commit time. */
function update(kind: UpdateKind, i: number): number {
  const nodeIndex = 3 + ((Math.floor(i / 4) * 13) % (NODES - 3));
  state = kind === 'node down' ? nodeDown(state, nodeIndex) : kind === 'node up' ? nodeUp(state, nodeIndex) : kind === 'scale up' ? scaleUp(state, i) : oneTask(state, i);
  return show(state);
}

async function run(): Promise<Results> {
  localStorage.clear();
  state = bigState(NODES, TASKS);
  await sleep(100);
  const t0 = performance.now();
  const firstCommit = show(state);
  const r = renderer();
  timeFrames();
  const firstDraw = await nextDraw(r, [0, 0]);
  const first = { commitMs: firstCommit, ...firstDraw, readyMs: performance.now() - t0 };
  await sleep(500);

  // ?profile=1: a driver that exposed `profStart` starts its CPU profile here, after the first render
  const profStart = (window as unknown as { profStart?: () => Promise<void> }).profStart;
  if (params.get('profile') && profStart) await profStart();
  const updates: Sample[] = [];
  const elements: Record<string, number> = {};
  const chipsDrawn: Record<string, number> = {};
  const kinds: UpdateKind[] = ['node down', 'one task', 'scale up', 'node up'];
  const cy = graphCy();
  // Updates are numbered across the views, so that each view's "node down" takes down other nodes
  // than the view before (the same node again would have no tasks left to move: "node up" brings
  // a node back empty).
  let n = 0;
  for (const phase of UPDATES > 0 ? PHASES.filter((p) => !ONLY_PHASES || ONLY_PHASES.includes(p)) : []) {
    if (phase !== 'fitted') {
      const level = phase === 'zoomed in' ? 1 : (OVERVIEW_CHIP_PX * 1.05) / CHIP.h;
      cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      await sleep(500); // the chips of the boxes now in view are added on the next frame
    }
    elements[phase] = cy.elements().length;
    chipsDrawn[phase] = layer()?.layer.lastDrawnChips ?? 0;
    for (let i = 0; i < UPDATES; i++) {
      const kind = kinds[n % kinds.length]!; // (a node taken down is brought back three updates later)
      const before = drawCounts(r);
      performance.mark(`update ${phase}/${kind}`); // (names the update in a trace of the page)
      const commitMs = update(kind, n++);
      const { drawMs, frameMs } = await nextDraw(r, before);
      // follow the animation's frames until the gap ends
      const animationDrawMs: number[] = [];
      const animationFrameMs: number[] = [];
      const end = performance.now() + GAP_MS;
      let seen = drawCounts(r);
      while (performance.now() < end) {
        const ms = await frame();
        const drawn = drawnSince(r, seen);
        if (drawn !== undefined) {
          animationDrawMs.push(drawn);
          animationFrameMs.push(ms);
        }
        seen = drawCounts(r);
      }
      updates.push({ phase, kind, commitMs, drawMs, frameMs, animationDrawMs, animationFrameMs });
    }
  }
  return { nodes: NODES, tasks: TASKS, first, elements, chipsDrawn, updates };
}

// For the browser test of the graph (test/e2e/graph.test.ts): the state shown, and one more update.
window.graphState = () => state;
window.graphUpdate = (kind: UpdateKind, i = 0) => void update(kind, i);
window.graphChange = (change) => {
  state = withQuorum(change(state, task));
  show(state);
};
window.graphHealth = (health, message) => {
  state = { ...state, health, message: message ?? null };
  show(state);
};
window.graphSelect = (id) => {
  selected = id;
  show(state);
};

run().then(
  (r) => (window.graphBench = r),
  (e: unknown) => (window.graphBench = { error: String((e as Error)?.stack ?? e) }),
);
