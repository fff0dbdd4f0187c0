/**
 * The live topology graph: one box per swarm node holding its tasks as chips, optional networks.
 * Contract:
 * - `state` changes are applied incrementally (diffElements → add/remove/update in one cy.batch;
 *   the chip layer updates only the boxes whose chips changed); moved or replaced tasks glide from
 *   their old place, new ones fade in;
 * - box positions stay put: only new boxes are placed (fcose with the known ones fixed), and
 *   positions are remembered per `lab` in localStorage (dragging a box carries its chips and updates them);
 *   a box that grows keeps its top-left corner and the boxes it would cover move aside at once
 *   (makeRoom): no box ever lies over another, not even for the length of a glide;
 * - tapping a box/chip/network calls `onSelect('node:<id>' | 'task:<id>' | 'network:<id>')`, the
 *   background `onSelect(undefined)`; `selected` highlights it (`service:<id>` highlights its chips);
 * - right-click on a box, chip or legend entry calls `onContextMenu({kind, id}, clientX, clientY)`
 *   with the bare swarm id; Shift+F10 / ContextMenu does it for the selection; Escape clears it;
 * - toolbar: zoom to fit, tidy layout (forget positions), export PNG and SVG (the whole graph,
 *   every chip, whatever the zoom); a service legend;
 * - `presenter`: larger type, thicker lines, slower animations;
 * - zoomed out below 10 px of chip height (OVERVIEW_CHIP_PX), each box shows its task count
 *   instead of its chips; a node or task selected elsewhere whose box is out of view is brought
 *   into the middle.
 *
 * Who does what: Cytoscape holds the boxes, networks and edges (placing, panning, zooming,
 * dragging, taps and hit testing) but draws nothing; the graph draws everything on one canvas of
 * its own after each of Cytoscape's frames: boxes and networks (scene.ts), chips (chipLayer.ts),
 * the overview's labels (overviewLabels.ts). Chips are not Cytoscape elements at all; taps on them
 * are found by hit testing. Why: see scene.ts and chipLayer.ts.
 */
import cytoscape from 'cytoscape';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ClusterState } from '../../../electron/common/cluster.js';
import { ChipLayer, type ChipLook, type ChipSpec } from './chipLayer.js';
import { ChipSprites } from './chipSprites.js';
import { clipOf, SceneDamage } from './damage.js';
import { bounds, type Rect } from './drawCtx.js';
import { buildGraph, chipSpecOf, diffElements, inChipOrder, type GraphBuild, type TopoElement } from './elements.js';
import { GRAPH_FONT, graphStyle, overviewFontSize, readTheme, type ThemeColours } from './graphStyle.js';
import { drawLabels, labelExtent, type LabelBox } from './overviewLabels.js';
import { menuTargetOf, type MenuTarget } from './ids.js';
import { BOX, CHIP, boxSize, drawnBoxSize, loadPositions, makeRoom, placeBoxes, savePositions, type Point, type RoomBox } from './layout.js';
import { serviceLegend, type LegendEntry } from './palette.js';
import { quietCytoscapeRenderLoop } from './idleRenderLoop.js';
import { drawNothing } from './cytoscapeDrawsNothing.js';
import { drawScene, itemExtent, sceneExtent, type SceneEdge, type SceneItem } from './scene.js';
import { sceneToSvg } from './svg-export.js';
import './topology.css';

// Cytoscape's renderer asks for a frame 60 times a second for as long as a graph lives; this one asks only while something changes
quietCytoscapeRenderLoop(cytoscape);

export interface TopologyGraphProps {
  lab: string;
  state: ClusterState;
  selected?: string;
  onSelect(id?: string): void;
  onContextMenu(target: MenuTarget, x: number, y: number): void;
  presenter?: boolean;
  showNetworks?: boolean;
}

const NETWORK_SIZE = { w: 150, h: 54 };

/** Placement order of new boxes: managers (leader first), then workers, then the unassigned group; build order within each. */
function placementRanks(els: readonly TopoElement[]): Map<string, number> {
  const ranks = new Map<string, number>();
  els.forEach((e, i) => {
    const c = e.classes ?? '';
    ranks.set(e.data.id, (c.includes('leader') ? 0 : c.includes('manager') ? 1 : c.includes('worker') ? 2 : 3) * 1e6 + i);
  });
  return ranks;
}
const PRESENTER_SCALE = 1.45;
/**
 * Below this many screen pixels of chip height the graph shows boxes only, each with its task count:
 * a chip that small is a coloured speck with no readable text, and the boxes' own labels would be
 * too small to read.
 */
export const OVERVIEW_CHIP_PX = 10;
/** The overview's box label is the node's name, cut to this many characters, over its task count. */
const OVERVIEW_NAME_CHARS = 12;
/** Room around the graph in a fitted view and in exports (model units at scale 1; pixels when fitting). */
const FIT_PAD = 30;
/** An exported PNG's longest side at most (a 100-node graph at 2× would need hundreds of MB). */
const PNG_MAX_SIDE = 8192;

/** The user's wish for less motion (one query, kept: asking anew costs on every update). */
let motionQuery: MediaQueryList | undefined;
function reducedMotion(): boolean {
  if (typeof window === 'undefined' || !window.matchMedia) return false;
  motionQuery ??= window.matchMedia('(prefers-reduced-motion: reduce)');
  return motionQuery.matches;
}

/**
 * Runs `fn` once the next frame is drawn, when the page is idle (within 250 ms of that); returns a
 * cancel. (Idle time can come before the next frame: `fn` would then delay it.)
 */
function afterNextFrame(fn: () => void): () => void {
  let idle = 0;
  const frame = requestAnimationFrame(() => {
    idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 250 }) : (setTimeout(fn, 0) as unknown as number);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    else clearTimeout(idle);
  };
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What the graph's container element carries for the benchmark and the browser tests. */
export interface GraphLayerHandle {
  layer: ChipLayer;
  /** Where a box is now (model coordinates). */
  boxAt(id: string): Point | undefined;
  /** The boxes and networks as drawn (their classes carry role and status). */
  items(): SceneItem[];
  /** Draws of the graph's canvas outside Cytoscape's frames (when only chips changed), and the last one's duration. */
  ownDraws: number;
  lastOwnDrawMs: number;
}

/** How chips look, from the theme and presenter mode. */
function chipLook(t: ThemeColours, presenter: boolean, scale: number): ChipLook {
  return { fontFamily: GRAPH_FONT, fontSize: Math.round(11 * (presenter ? PRESENTER_SCALE : 1)), bold: presenter, scale, fg: t.fg, fail: t.fail, accent: t.accent, presenter, minScreenPx: presenter ? 0 : 5 };
}

/** Where a box is now (model coordinates), or undefined when the graph has no such box. */
function boxPosition(cy: cytoscape.Core, id: string): Point | undefined {
  const b = cy.getElementById(id);
  return b.nonempty() ? (b as cytoscape.NodeSingular).position() : undefined;
}

/** The zoom and pan that fit an extent into a `w`×`h` view with `pad` pixels around it. */
function fitting(extent: Rect, w: number, h: number, pad: number, minZoom: number, maxZoom: number): { zoom: number; pan: Point } {
  const zoom = Math.min(maxZoom, Math.max(minZoom, Math.min((w - 2 * pad) / (extent.x2 - extent.x1), (h - 2 * pad) / (extent.y2 - extent.y1))));
  return { zoom, pan: { x: (w - zoom * (extent.x1 + extent.x2)) / 2, y: (h - zoom * (extent.y1 + extent.y2)) / 2 } };
}

/** The classes Cytoscape's stylesheet uses (graphStyle): shapes and sizes, not looks. */
const CY_CLASSES = new Set(['swarm-node', 'manager', 'group', 'network']);
const cyClasses = (e: TopoElement): string =>
  e.classes
    .split(' ')
    .filter((c) => CY_CLASSES.has(c))
    .join(' ');

/** A box's chips as the last update gave them (`els`), in chip order, and what the chip layer draws of them. */
interface BoxChips {
  els: TopoElement[];
  ordered: TopoElement[];
  specs: ChipSpec[];
}

/** A box or network as the graph draws it, with its label in the overview. */
type DrawnItem = SceneItem & { overviewLabel: string };
/** Whether two versions of a box or network draw the same where they stand. */
const sameLook = (a: DrawnItem, b: DrawnItem): boolean => a.kind === b.kind && a.classes === b.classes && a.label === b.label && a.overviewLabel === b.overviewLabel && a.w === b.w && a.h === b.h;

/** The health banner: what happened (the model's message, or this when it has none), then what the graph shows meanwhile. */
const HEALTH_TEXT: Record<Exclude<ClusterState['health'], 'ok'>, { what: string; shown: string }> = {
  noLeader: { what: 'No leader: quorum is lost.', shown: 'Showing the last state the managers reported.' },
  unreachable: { what: 'No manager answers.', shown: 'Showing the last known state.' },
};

/** What the graph draws besides chips: boxes and networks by id, and the edges. */
interface Scene {
  items: Map<string, DrawnItem>;
  edges: SceneEdge[];
}

export function TopologyGraph({ lab, state, selected, onSelect, onContextMenu, presenter = false, showNetworks = false }: TopologyGraphProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  /** The last update's build: what Cytoscape and the scene hold, and what the next build starts from (see buildGraph). */
  const buildRef = useRef<GraphBuild | undefined>(undefined);
  const anchorsRef = useRef<Map<string, Point>>(new Map());
  const layerRef = useRef<ChipLayer>(new ChipLayer());
  const sceneRef = useRef<Scene>({ items: new Map(), edges: [] });
  /** Per box and network, the element, chip count and scale its scene item was made from. */
  const drawnRef = useRef<Map<string, { el: TopoElement; count: number; scale: number; item: DrawnItem }>>(new Map());
  /** Box sizes Cytoscape is yet to be told (see apply), and how to cancel the callback that will. */
  const sizesRef = useRef<{ pending: Map<string, { w: number; h: number }>; cancel?: () => void }>({ pending: new Map() });
  /** Per box, the chip elements of the last update and what the chip layer was given for them. */
  const specsRef = useRef<Map<string, BoxChips>>(new Map());
  /**
   * Draws what changed on the graph's canvas on the next frame (a frame of Cytoscape's that comes
   * first draws it then); `whole`: all of it (the theme, the selection or the edges changed).
   */
  const drawSoonRef = useRef<(whole?: boolean) => void>(() => undefined);
  const scaleRef = useRef(1);
  const presenterRef = useRef(presenter);
  presenterRef.current = presenter;
  /** Zoomed out so far that chips would be specks: they are hidden and each box counts its tasks. */
  const overviewRef = useRef(false);
  const applyRef = useRef<(forcePlace: boolean) => void>(() => undefined);
  /** Each box's size (unit scale, as drawn) when its place was last settled: what makeRoom grows boxes from. */
  const settledSizesRef = useRef(new Map<string, { w: number; h: number }>());
  /** A box the user just dropped: it keeps that place when the others make room for it. */
  const droppedRef = useRef<string | undefined>(undefined);
  /** Remembers the boxes' places (anchorsRef) for the lab soon: not on the update's path. */
  const rememberPlacesRef = useRef<() => void>(() => undefined);
  /** The view shows the whole graph as last fitted (until the user pans or zooms); the graph is setting the view now. */
  const fittedRef = useRef(false);
  const viewBy = useRef(false);
  const themeRef = useRef<ThemeColours | undefined>(undefined);
  const [overview, setOverview] = useState(false);
  /** Why the last export failed, until the next one succeeds. */
  const [exportError, setExportError] = useState<string>();
  const cb = useRef({ onSelect, onContextMenu, selected });
  cb.current = { onSelect, onContextMenu, selected };
  const [themeTick, setThemeTick] = useState(0);
  const [cyReady, setCyReady] = useState(0);
  const scale = presenter ? PRESENTER_SCALE : 1;

  // ── create / destroy per lab ────────────────────────────────────────────
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    themeRef.current = readTheme(container);
    const cy = cytoscape({
      container,
      elements: [],
      style: graphStyle(scale),
      autounselectify: true,
      boxSelectionEnabled: false,
      minZoom: 0.05,
      maxZoom: 4,
      // Cytoscape draws nothing (see scene.ts): its canvases need no pixels to clear every frame
      pixelRatio: 0.01,
    });
    drawNothing(cy);
    cyRef.current = cy;
    buildRef.current = undefined;
    const layer = new ChipLayer();
    layerRef.current = layer;
    sceneRef.current = { items: new Map(), edges: [] };
    drawnRef.current = new Map();
    specsRef.current = new Map();
    overviewRef.current = false;
    setOverview(false);
    anchorsRef.current = loadPositions(lab);
    settledSizesRef.current = new Map();
    // Places are written to storage a second after they change, once however many updates moved
    // boxes meanwhile (writing them was a part of every update that resized a box), and at once
    // when the graph or the page goes.
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveNow = (): void => {
      if (!saveTimer) return;
      clearTimeout(saveTimer);
      saveTimer = undefined;
      savePositions(lab, anchorsRef.current);
    };
    rememberPlacesRef.current = () => void (saveTimer ??= setTimeout(saveNow, 1000));
    window.addEventListener('pagehide', saveNow);
    const boxAt = (id: string): Point | undefined => boxPosition(cy, id);
    const handle: GraphLayerHandle = { layer, boxAt, items: () => [...sceneRef.current.items.values()], ownDraws: 0, lastOwnDrawMs: 0 };
    (container as unknown as { topoLayer?: GraphLayerHandle }).topoLayer = handle;
    /** The chip under a tap or right-click, if any (chips sit over their boxes). */
    const chipAt = (e: cytoscape.EventObject): ChipSpec | undefined => (overviewRef.current ? undefined : layer.hit(e.position, boxAt, performance.now()));
    cy.on('tap', (e) => {
      const chip = chipAt(e);
      if (chip) return cb.current.onSelect(chip.id);
      if (e.target === cy) return cb.current.onSelect(undefined);
      const d = e.target.data() as { id: string; kind: string };
      cb.current.onSelect(d.kind === 'group' || d.kind === 'edge' ? undefined : d.id);
    });
    cy.on('cxttap', (e) => {
      const chip = chipAt(e);
      const d = e.target === cy ? undefined : (e.target.data() as { kind: string; entityId?: string });
      const target = chip ? { kind: 'task' as const, id: chip.id.slice('task:'.length) } : d?.kind === 'node' && d.entityId ? { kind: 'node' as const, id: d.entityId } : undefined;
      if (!target) return;
      const oe = e.originalEvent as MouseEvent | undefined;
      const rect = container.getBoundingClientRect();
      cb.current.onContextMenu(target, oe?.clientX ?? rect.left + e.renderedPosition.x, oe?.clientY ?? rect.top + e.renderedPosition.y);
    });
    // (a dragged box carries its chips: they are drawn at their box's live position)
    cy.on('dragfree', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      const p = n.position();
      anchorsRef.current.set(n.id(), { x: p.x / scaleRef.current, y: p.y / scaleRef.current });
      rememberPlacesRef.current();
      // the boxes it was dropped onto (or too close to) make room for it
      droppedRef.current = n.id();
      applyRef.current(false);
    });
    // Zooming across the overview's threshold: once a frame at most.
    let viewFrame = 0;
    cy.on('viewport', () => {
      if (!viewBy.current) fittedRef.current = false; // the user's view now, not a fitted one
      if (viewFrame) return;
      viewFrame = requestAnimationFrame(() => {
        viewFrame = 0;
        if (!cy.destroyed() && wantsOverview(cy) !== overviewRef.current) applyRef.current(false);
      });
    });
    // The graph's canvas, over Cytoscape's (which draw nothing and are hidden): drawn after each of
    // Cytoscape's frames (a pan, a zoom, a drag, a change to its elements), and on frames of its
    // own while chips glide or fade, or when only chips changed.
    const canvas = document.createElement('canvas');
    canvas.className = 'topo-layer';
    canvas.setAttribute('aria-hidden', 'true');
    container.appendChild(canvas);
    // opaque: the page need not blend it over what lies under it (the canvas paints the background)
    const ctx = canvas.getContext('2d', { alpha: false });
    let ownFrame = 0;
    /** Bitmaps of the chips in view, copied instead of drawn (see chipSprites.ts). */
    const sprites = new ChipSprites<ChipSpec>();
    /** What the canvas showed when last drawn, to redraw only what changed since. */
    const damage = new SceneDamage<DrawnItem>(sameLook);
    const extents = new Map<string, { item: DrawnItem; x: number; y: number; k: number; overview: boolean; rect: Rect }>();
    const positions = new Map<string, Point | undefined>();
    /**
     * Draws what changed since the last draw (see damage.ts and ChipLayer.region), or all of it when
     * the view changed or the change covers 40 % of the canvas. Returns whether chips are still
     * moving (draw again next frame).
     */
    const draw = (): boolean => {
      const theme = themeRef.current;
      if (!ctx || !theme) return false;
      const ratio = window.devicePixelRatio || 1;
      // Cytoscape's size of the container (kept by cy.resize): reading the element's would make the
      // page lay itself out in the middle of every frame
      const [w, h] = [Math.round(cy.width() * ratio), Math.round(cy.height() * ratio)];
      if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
      const view = { zoom: cy.zoom(), pan: cy.pan() };
      const k = presenterK();
      const overview = overviewRef.current;
      const { items, edges } = sceneRef.current;
      const now = performance.now();
      const labelSize = overviewFontSize(k);
      // each box's position, asked of Cytoscape once per draw (a draw asks up to four times per box,
      // and Cytoscape's position() takes microseconds each time); the map is reused from draw to draw
      const known = positions;
      known.clear();
      const at = (id: string): Point | undefined => {
        if (known.has(id)) return known.get(id);
        const p = boxAt(id);
        known.set(id, p);
        return p;
      };
      /** What drawing a box or network covers now: itself, its label, in the overview the overview's label. */
      const extentAt = (it: DrawnItem, p: Point): Rect => {
        // (as last frame when it looks the same, stands in the same place, in the same mode)
        const known = extents.get(it.id);
        if (known && known.x === p.x && known.y === p.y && known.k === k && known.overview === overview && (known.item === it || sameLook(known.item, it))) return known.rect;
        const r = itemExtent(it, p, k, !overview);
        const rect = overview && it.kind !== 'network' ? bounds([r, labelExtent({ ...p, w: it.w, h: it.h, text: it.overviewLabel, muted: false }, labelSize)]) : r;
        extents.set(it.id, { item: it, x: p.x, y: p.y, k, overview, rect });
        return rect;
      };
      const extent = (it: DrawnItem): Rect | undefined => {
        const p = at(it.id);
        return p && extentAt(it, p);
      };
      const scene = damage.next(`${w}×${h} ${view.zoom} ${view.pan.x},${view.pan.y} ${overview}`, items.values(), extent, edges.length > 0);
      if (extents.size > 2 * items.size + 16) for (const id of extents.keys()) if (!items.has(id)) extents.delete(id); // (boxes gone)
      // (in the overview no chips are drawn: what changed in them shows in the boxes' labels)
      const chips = overview ? [] : layer.region(at, now);
      const region = scene && chips ? clipOf(chips.concat(scene), view, ratio, w, h) : undefined;
      const partial = !!region && region.area < 0.4 * w * h;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      if (partial) {
        ctx.beginPath();
        for (const r of region.device) ctx.rect(r.x1, r.y1, r.x2 - r.x1, r.y2 - r.y1);
        ctx.clip();
      }
      ctx.fillStyle = theme.bg;
      ctx.fillRect(0, 0, w, h);
      const minScreenPx = presenterRef.current ? 0 : 5;
      const clip = partial ? region.model : undefined;
      drawScene(ctx, w, h, ratio, view, items.values(), edges, at, { theme, k, fontFamily: GRAPH_FONT, minScreenPx, selected: cb.current.selected, boxLabels: !overview, ...(clip ? { region: clip, extentOf: (it, p) => extentAt(it as DrawnItem, p) } : {}) });
      let more = false;
      if (overview) {
        const boxes: LabelBox[] = [];
        for (const it of items.values()) {
          const p = it.kind !== 'network' ? at(it.id) : undefined;
          if (p) boxes.push({ ...p, w: it.w, h: it.h, text: it.overviewLabel, muted: it.kind === 'group', ...(clip ? { reach: extentAt(it, p) } : {}) });
        }
        drawLabels(ctx, w, h, ratio, view, boxes, { fg: theme.fg, muted: theme.muted, fontFamily: GRAPH_FONT, fontSize: labelSize, minScreenPx }, clip);
        layer.invalidate(); // the chips are not drawn: the first draw out of the overview draws them all
      } else more = layer.draw(ctx, w, h, ratio, view, at, chipLook(theme, presenterRef.current, scaleRef.current), now, clip, sprites);
      ctx.restore();
      return more;
    };
    const drawOwn = (): void => {
      ownFrame = 0;
      if (cy.destroyed()) return;
      const t0 = performance.now();
      const more = draw();
      handle.ownDraws++;
      handle.lastOwnDrawMs = performance.now() - t0;
      if (more) ownFrame = requestAnimationFrame(drawOwn);
    };
    drawSoonRef.current = (whole = false) => {
      if (whole) {
        layer.invalidate();
        damage.invalidate();
      }
      if (!ownFrame) ownFrame = requestAnimationFrame(drawOwn);
    };
    cy.on('render', () => {
      if (ownFrame) cancelAnimationFrame(ownFrame); // drawn now, with Cytoscape's frame
      ownFrame = 0;
      if (draw()) ownFrame = requestAnimationFrame(drawOwn);
    });
    // a fitted view stays fitted when the graph's room changes (presenter mode, a panel opened)
    const ro =
      typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => {
            cy.resize();
            if (fittedRef.current) fitNow(cy);
          })
        : undefined;
    ro?.observe(container);
    setCyReady((n) => n + 1);
    return () => {
      saveNow();
      window.removeEventListener('pagehide', saveNow);
      rememberPlacesRef.current = () => undefined;
      ro?.disconnect();
      sizesRef.current.cancel?.();
      sizesRef.current = { pending: new Map() };
      if (viewFrame) cancelAnimationFrame(viewFrame);
      if (ownFrame) cancelAnimationFrame(ownFrame);
      drawSoonRef.current = () => undefined;
      sprites.clear();
      canvas.remove();
      delete (container as unknown as { topoLayer?: GraphLayerHandle }).topoLayer;
      cy.destroy();
      cyRef.current = null;
    };
    // presenter/scale are applied by their own effects; the instance lives per lab.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lab]);

  // ── theme changes (data-theme on <html>) and presenter mode: drawn anew ──
  useEffect(() => {
    const mo = new MutationObserver(() => setThemeTick((t) => t + 1));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => mo.disconnect();
  }, []);
  useEffect(() => {
    if (!containerRef.current) return;
    themeRef.current = readTheme(containerRef.current);
    drawSoonRef.current(true);
  }, [presenter, themeTick, cyReady]);

  /** Sets the view as the graph's own doing; `fitted`: the whole graph is in it (kept so on a resize). */
  const setView = (cy: cytoscape.Core, view: { zoom: number; pan: Point }, fitted: boolean): void => {
    viewBy.current = true;
    try {
      cy.viewport(view);
    } finally {
      viewBy.current = false;
    }
    fittedRef.current = fitted;
  };

  /** Tells Cytoscape the boxes' sizes it is yet to be told. */
  const flushSizes = (cy: cytoscape.Core): void => {
    const sizes = sizesRef.current;
    sizes.cancel = undefined;
    if (cy.destroyed()) return;
    cy.batch(() => {
      for (const [id, size] of sizes.pending) {
        const box = cy.getElementById(id);
        if (box.nonempty()) box.data(size);
      }
    });
    sizes.pending.clear();
  };

  /** Presenter mode's factor for type and lines (1 otherwise). */
  const presenterK = (): number => (presenterRef.current ? PRESENTER_SCALE : 1);

  /** Whether the zoom is below the overview threshold (chips would be specks). */
  const wantsOverview = (cy: cytoscape.Core): boolean => CHIP.h * scaleRef.current * cy.zoom() < OVERVIEW_CHIP_PX;
  const setOverviewNow = (on: boolean): void => {
    if (on === overviewRef.current) return;
    overviewRef.current = on;
    setOverview(on);
  };
  /** Everything drawn, in model coordinates (boxes with their labels, networks), padded. */
  const graphExtent = (cy: cytoscape.Core, pad: number): Rect | undefined => {
    const e = sceneExtent(sceneRef.current.items.values(), (id) => boxPosition(cy, id), presenterK(), true);
    return e && { x1: e.x1 - pad, y1: e.y1 - pad, x2: e.x2 + pad, y2: e.y2 + pad };
  };
  /**
   * Fits the whole graph into the view at once. With no room to fit into yet (a hidden panel), the
   * view still counts as fitted: it is fitted when the room comes.
   */
  const fitNow = (cy: cytoscape.Core): void => {
    const extent = graphExtent(cy, 0);
    if (extent && cy.width() > 2 * FIT_PAD && cy.height() > 2 * FIT_PAD) setView(cy, fitting(extent, cy.width(), cy.height(), FIT_PAD, cy.minZoom(), cy.maxZoom()), true);
    else fittedRef.current = true;
  };

  // ── apply the state incrementally ───────────────────────────────────────
  const apply = useCallback(
    (forcePlace: boolean) => {
      const cy = cyRef.current;
      if (!cy) return;
      const before = buildRef.current;
      const build = buildGraph(state, { networks: showNetworks }, before);
      buildRef.current = build;
      const { elements: next, chipsByBox: chipsOf } = build;
      const prev = before?.elements ?? [];
      const first = prev.length === 0;
      const rescale = scaleRef.current !== scale;
      scaleRef.current = scale;
      if (rescale) cy.style(graphStyle(scale));
      // Boxes are sized to their chip grid; the chips are drawn on top of them.
      const boxDims = (id: string): { w: number; h: number } => {
        const d = drawnBoxSize(chipsOf.get(id)?.length ?? 0);
        return { w: d.w * scale, h: d.h * scale };
      };
      const overviewLabel = (e: TopoElement): string => {
        const n = chipsOf.get(e.data.id)?.length ?? 0;
        const name = e.data.label.split('\n')[0]!;
        return `${name.length > OVERVIEW_NAME_CHARS ? `${name.slice(0, OVERVIEW_NAME_CHARS - 1)}…` : name}\n${n === 1 ? '1 task' : `${n} tasks`}`;
      };
      const dims = (e: TopoElement): { w: number; h: number } => (e.data.kind === 'network' ? { w: NETWORK_SIZE.w * scale, h: NETWORK_SIZE.h * scale } : boxDims(e.data.id));
      // Cytoscape gets what its hit testing, dragging and events need: ids, kind, size, shape's classes.
      // A change of status or label is the scene's alone, so Cytoscape has no frame to draw for it.
      const cyData = (e: TopoElement): Record<string, unknown> => {
        const { id, kind, entityId, source, target } = e.data;
        return { id, kind, ...(entityId ? { entityId } : {}), ...(source ? { source, target } : {}), ...(kind === 'node' || kind === 'group' ? boxDims(id) : {}) };
      };

      // place boxes: only the new ones move
      const top = next.filter((e) => e.group === 'nodes');
      const anchors = anchorsRef.current;
      if (forcePlace) anchors.clear();
      /** Whether boxes got places this update (else every box keeps the place it had). */
      let placedNow = forcePlace;
      if (top.some((e) => !anchors.has(e.data.id))) {
        placedNow = true;
        const boxes = top.map((e) => ({ id: e.data.id, ...(e.data.kind === 'network' ? NETWORK_SIZE : boxSize(chipsOf.get(e.data.id)?.length ?? 0)) }));
        // Swarm nodes first (a tidy grid, managers first, beside what is known), then networks by
        // fcose, pulled towards the nodes they span with every node fixed.
        const edges = next.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source!, target: e.data.target! }));
        const isNet = new Set(top.filter((e) => e.data.kind === 'network').map((e) => e.data.id));
        const ranks = placementRanks(top);
        const ordered = boxes.filter((b) => !isNet.has(b.id)).sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)!);
        const nodesPlaced = placeBoxes(ordered, [], anchors);
        const placed = placeBoxes(boxes, edges, nodesPlaced);
        const keep = new Map<string, Point>();
        for (const b of boxes) keep.set(b.id, placed.get(b.id)!);
        anchorsRef.current = keep;
        rememberPlacesRef.current();
      }
      // boxes that grew (or were dropped close to others) make room: none ever overlaps another
      const roomBoxes: RoomBox[] = top.map((e) =>
        e.data.kind === 'network' ? { id: e.data.id, ...NETWORK_SIZE, label: 0 } : { id: e.data.id, ...drawnBoxSize(chipsOf.get(e.data.id)?.length ?? 0), label: BOX.label },
      );
      const room = makeRoom(roomBoxes, anchorsRef.current, forcePlace ? new Map() : settledSizesRef.current, { first: droppedRef.current });
      droppedRef.current = undefined;
      settledSizesRef.current = new Map(roomBoxes.map((b) => [b.id, { w: b.w, h: b.h }]));
      if (room.moved) {
        placedNow = true;
        anchorsRef.current = room.positions;
        rememberPlacesRef.current();
      }
      const anchorsNow = anchorsRef.current;
      const centreOf = (id: string): Point => {
        const a = anchorsNow.get(id)!;
        return { x: a.x * scale, y: a.y * scale };
      };

      // what the scene draws (boxes, networks, edges), from the same elements
      // (a box whose element and chip count are the last update's is the same item: most boxes)
      const items = new Map<string, DrawnItem>();
      const drawnBefore = drawnRef.current;
      const drawnNow = new Map<string, { el: TopoElement; count: number; scale: number; item: DrawnItem }>();
      /** The boxes and networks as they were: the same element, chip count and scale. */
      const unchanged = new Set<string>();
      for (const e of top) {
        const id = e.data.id;
        const count = chipsOf.get(id)?.length ?? 0;
        let known = drawnBefore.get(id);
        if (!known || known.el !== e || known.count !== count || known.scale !== scale) {
          known = { el: e, count, scale, item: { id, kind: e.data.kind as SceneItem['kind'], classes: e.classes, label: e.data.label, ...dims(e), overviewLabel: e.data.kind === 'network' ? '' : overviewLabel(e) } };
        } else unchanged.add(id);
        drawnNow.set(id, known);
        items.set(id, known.item);
      }
      drawnRef.current = drawnNow;
      const edges: SceneEdge[] = next.filter((e) => e.group === 'edges').map((e) => ({ id: e.data.id, source: e.data.source!, target: e.data.target!, ingress: e.classes.includes('ingress') }));
      sceneRef.current = { items, edges };

      const diff = diffElements(prev, next);
      cy.batch(() => {
        if (diff.added.length) {
          cy.add(diff.added.map((e) => ({ group: e.group, data: cyData(e), classes: cyClasses(e), position: { x: 0, y: 0 } })));
        }
        for (const u of diff.updated) {
          const el = cy.getElementById(u.next.data.id);
          if (el.nonempty() && cyClasses(u.prev) !== cyClasses(u.next)) el.classes(cyClasses(u.next));
        }
        for (const e of diff.removed) cy.getElementById(e.data.id).remove();
      });

      // move boxes to their places, and size them to their chips; the view and the chips change at
      // once (no glide, no fade) when the view is fitted anew below, motion is reduced, or the
      // overview shows
      const motion = reducedMotion() ? 0 : presenter ? 1100 : 400;
      const refit = (first && next.length > 0) || forcePlace || rescale;
      const atOnce = refit || motion === 0 || wantsOverview(cy);
      // A box's new size reaches Cytoscape (for its hit testing and dragging) when the page is idle
      // after the update's frame: Cytoscape's frame for 30 resized boxes costs 3–4 ms here and shows
      // nothing (the graph draws each box at its own size), so the update's frame need not wait for it.
      const sizes = sizesRef.current;
      /** Where the boxes that moved were: their chips are drawn from there (see ChipMotion.boxWas). */
      const jumpedFrom = new Map<string, Point>();
      cy.batch(() => {
        for (const e of top) {
          // (a box with the place and chip count it had: nothing to tell Cytoscape; most boxes)
          if (!placedNow && unchanged.has(e.data.id)) continue;
          const box = cy.getElementById(e.data.id) as cytoscape.NodeSingular;
          if (e.data.kind !== 'network') {
            const { w, h } = boxDims(e.data.id);
            if (box.data('w') !== w || box.data('h') !== h) sizes.pending.set(e.data.id, { w, h });
            else sizes.pending.delete(e.data.id);
          }
          const centre = centreOf(e.data.id);
          const cur = box.position();
          if (Math.abs(cur.x - centre.x) < 0.5 && Math.abs(cur.y - centre.y) < 0.5) continue;
          // Boxes jump to their places: a box pushed aside by one that grew (the grown one is at
          // its new size at once) would otherwise lie under it for the length of a glide. Chips
          // that move with a change glide from where they were drawn.
          jumpedFrom.set(e.data.id, { x: cur.x, y: cur.y });
          box.position(centre);
        }
      });

      if (sizes.pending.size && !sizes.cancel) sizes.cancel = afterNextFrame(() => flushSizes(cy));
      if (refit) fitNow(cy);
      else if (fittedRef.current) {
        // a fitted view keeps the whole graph in it: when boxes grew or moved out of it, it zooms out
        // with them (and stays as it is while the graph still fits)
        const extent = sceneExtent(items.values(), (id) => (anchorsNow.has(id) ? centreOf(id) : undefined), presenterK(), true);
        const view = cy.extent();
        if (extent && (extent.x1 < view.x1 || extent.y1 < view.y1 || extent.x2 > view.x2 || extent.y2 > view.y2)) {
          const target = fitting(extent, cy.width(), cy.height(), FIT_PAD, cy.minZoom(), cy.maxZoom());
          if (atOnce) setView(cy, target, true);
          else {
            cy.stop(true, false);
            cy.animate(target, { duration: motion, easing: 'ease-in-out-cubic', complete: () => (fittedRef.current = true) });
          }
        }
      }
      const overviewNow = wantsOverview(cy);
      // (into or out of the overview: drawn anew by this update, not by whichever frame of
      // Cytoscape's happens to come after it)
      const modeChanged = overviewNow !== overviewRef.current;
      setOverviewNow(overviewNow);
      const instant = atOnce || overviewNow;

      // the chips, each box's in order (service, slot, id); a box whose chip elements are the very
      // ones of the last update gets the same array again, and the chip layer skips it (most
      // boxes, most updates)
      const specsBefore = specsRef.current;
      const perBox = new Map<string, BoxChips>();
      const specs = new Map<string, ChipSpec[]>();
      for (const [box, list] of chipsOf) {
        let entry = specsBefore.get(box);
        if (!entry || (entry.els !== list && (entry.els.length !== list.length || entry.els.some((e, i) => e !== list[i])))) {
          const ordered = inChipOrder(list, entry?.ordered);
          entry = { els: list, ordered, specs: ordered.map(chipSpecOf) };
        }
        perBox.set(box, entry);
        specs.set(box, entry.specs);
      }
      specsRef.current = perBox;
      const chipsChanged = layerRef.current.update(specs, scale, (id) => boxPosition(cy, id), { now: performance.now(), instant, duration: motion, ...(jumpedFrom.size ? { boxWas: (id) => jumpedFrom.get(id) } : {}) });
      // What to draw anew: the boxes that moved, resized or changed their look, and the chips that
      // changed, are found when drawing (damage.ts, ChipLayer.region); a network or edge that
      // changed, all of it.
      const changedItems = [...diff.added, ...diff.updated.map((u) => u.next), ...diff.removed];
      const whole = first || rescale || modeChanged || changedItems.some((e) => e.data.kind !== 'node' && e.data.kind !== 'group');
      if (chipsChanged || changedItems.length > 0 || whole) drawSoonRef.current(whole);
    },
    [state, showNetworks, presenter, scale, lab],
  );
  applyRef.current = apply;

  useEffect(() => apply(false), [apply, cyReady]);

  // ── selection highlight: drawn from `selected` (boxes, networks, chips) ────
  useEffect(() => {
    const layer = layerRef.current;
    layer.selected = selected?.startsWith('task:') ? selected : undefined;
    layer.selectedService = selected?.startsWith('service:') ? selected.slice('service:'.length) : undefined;
    drawSoonRef.current(true);
  }, [selected, cyReady]);

  // A node or task selected elsewhere (the outline) whose box is out of view: bring the box into
  // the middle, so the selection is seen.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !selected) return;
    const taskNode = selected.startsWith('task:') ? state.tasks.find((t) => `task:${t.id}` === selected)?.nodeId : undefined;
    const boxId = selected.startsWith('node:') ? selected : taskNode ? `node:${taskNode}` : undefined;
    const box = boxId ? cy.getElementById(boxId) : undefined;
    if (!box || box.empty()) return;
    const bb = box.boundingBox({ includeLabels: false });
    const view = cy.extent();
    if (bb.x2 >= view.x1 && bb.x1 <= view.x2 && bb.y2 >= view.y1 && bb.y1 <= view.y2) return;
    cy.stop(true, false);
    if (reducedMotion()) cy.center(box);
    else cy.animate({ center: { eles: box } }, { duration: presenter ? 700 : 300 });
    // only when the selection changes: the view is the user's between selections
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, cyReady]);

  // ── toolbar ─────────────────────────────────────────────────────────────
  const fit = (): void => {
    const cy = cyRef.current;
    const extent = cy && graphExtent(cy, 0);
    if (!cy || !extent) return;
    const target = fitting(extent, cy.width(), cy.height(), FIT_PAD, cy.minZoom(), cy.maxZoom());
    cy.stop(true, false);
    if (reducedMotion()) setView(cy, target, true);
    else cy.animate(target, { duration: presenter ? 700 : 300, complete: () => (fittedRef.current = true) });
  };
  const tidy = (): void => apply(true);
  /** The whole graph drawn for an export: every box with its label, every chip, on the theme's background. */
  const exportPng = async (): Promise<void> => {
    const cy = cyRef.current;
    const theme = themeRef.current;
    const extent = cy && graphExtent(cy, FIT_PAD);
    if (!cy || !theme || !extent) return;
    const [ew, eh] = [extent.x2 - extent.x1, extent.y2 - extent.y1];
    const k = Math.min(2 * (window.devicePixelRatio || 1), PNG_MAX_SIDE / Math.max(ew, eh));
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [Math.ceil(ew * k), Math.ceil(eh * k)];
    const failed = (): void =>
      setExportError(`The PNG export of "${lab}" failed: the browser could not make a ${canvas.width}×${canvas.height} px image. Try the SVG export, which has no size limit.`);
    const ctx = canvas.getContext('2d');
    if (!ctx) return failed();
    ctx.fillStyle = theme.bg;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const view = { zoom: k, pan: { x: -extent.x1 * k, y: -extent.y1 * k } };
    const boxAt = (id: string): Point | undefined => boxPosition(cy, id);
    const pk = presenterK();
    drawScene(ctx, canvas.width, canvas.height, 1, view, sceneRef.current.items.values(), sceneRef.current.edges, boxAt, { theme, k: pk, fontFamily: GRAPH_FONT, minScreenPx: 0, boxLabels: true });
    layerRef.current.draw(ctx, canvas.width, canvas.height, 1, view, boxAt, { ...chipLook(theme, presenterRef.current, scaleRef.current), minScreenPx: 0 }, performance.now());
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return failed();
    setExportError(undefined);
    download(`${lab}-topology.png`, blob);
  };
  const exportSvg = (): void => {
    const cy = cyRef.current;
    const theme = themeRef.current;
    if (!cy || !theme) return;
    const boxAt = (id: string): Point | undefined => boxPosition(cy, id);
    const pk = presenterK();
    const chips = layerRef.current.svgElements(boxAt, chipLook(theme, presenterRef.current, scaleRef.current), performance.now());
    const svg = sceneToSvg(sceneRef.current.items.values(), sceneRef.current.edges, boxAt, theme, pk, chips);
    setExportError(undefined);
    download(`${lab}-topology.svg`, new Blob([svg], { type: 'image/svg+xml' }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const cy = cyRef.current;
    if (e.key === 'Escape') {
      if (cb.current.selected) {
        e.preventDefault();
        cb.current.onSelect(undefined);
      }
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const t = menuTargetOf(cb.current.selected);
      if (!t || !cy || !containerRef.current) return;
      e.preventDefault();
      const rect = containerRef.current.getBoundingClientRect();
      // the selected chip, box or network (a service's menu opens in the middle)
      const sel = cb.current.selected!;
      const chip = t.kind === 'task' ? layerRef.current.positionOf(sel, (id) => boxPosition(cy, id), performance.now()) : undefined;
      const el = t.kind === 'service' || t.kind === 'task' ? undefined : cy.getElementById(sel);
      const [zoom, pan] = [cy.zoom(), cy.pan()];
      const p = chip ? { x: chip.x * zoom + pan.x, y: chip.y * zoom + pan.y } : el?.nonempty() ? (el as cytoscape.NodeSingular).renderedPosition() : { x: rect.width / 2, y: rect.height / 2 };
      cb.current.onContextMenu(t, rect.left + p.x, rect.top + p.y);
    } else if (cy && (e.key === '+' || e.key === '=')) cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (cy && e.key === '-') cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (e.key === '0') fit();
  };

  // (the services' list keeps its identity while no service changes: most updates are tasks')
  const legend = useMemo(() => serviceLegend(state.services), [state.services]);
  const onLegendSelect = useCallback((id: string | undefined) => cb.current.onSelect(id), []);
  const onLegendMenu = useCallback((target: MenuTarget, x: number, y: number) => cb.current.onContextMenu(target, x, y), []);

  const hintId = `topo-hint-${lab.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <div className={`topo-graph${presenter ? ' presenter' : ''}`}>
      <div className="topo-toolbar" role="toolbar" aria-label="Graph tools">
        <button type="button" onClick={fit} title="Zoom to fit (0)">
          ⤢ Fit
        </button>
        <button type="button" onClick={tidy} title="Forget remembered positions and lay the graph out again">
          ⟲ Tidy layout
        </button>
        <button type="button" onClick={() => void exportPng()}>
          ⇩ PNG
        </button>
        <button type="button" onClick={exportSvg}>
          ⇩ SVG
        </button>
      </div>
      {exportError && (
        <p className="error small topo-export-error" role="alert">
          {exportError}
        </p>
      )}
      {/* The health banner and the overview's hint lie over the graph: in the flow, each would
          resize the graph's canvas as it came and went (the graph shifting by its height, or a
          fitted view zooming, while quorum is lost; the canvas's backing store made anew and
          its next frames slow). */}
      <div className="topo-stage">
        {state.health !== 'ok' && (
          <div className={`topo-banner health-${state.health}`} role="status">
            ⚠ {state.message || HEALTH_TEXT[state.health].what} {HEALTH_TEXT[state.health].shown}
          </div>
        )}
        <div
          ref={containerRef}
          className="topo-canvas"
          tabIndex={0}
          role="group"
          aria-roledescription="topology graph"
          aria-label={`Topology of ${lab}: ${state.nodes.length} nodes, ${state.services.length} services`}
          aria-describedby={hintId}
          data-testid="topology-graph"
          onKeyDown={onKeyDown}
          onContextMenu={(e) => e.preventDefault()}
        />
        {overview && state.nodes.length > 0 && (
          <p className="topo-overview muted" role="status">
            Zoomed out: each node shows its task count. Zoom in (+) to see the tasks.
          </p>
        )}
      </div>
      {state.nodes.length === 0 && <p className="topo-empty muted">{state.message ?? 'No swarm nodes.'}</p>}
      <p id={hintId} className="visually-hidden">
        The outline lists the same nodes, services and tasks. Escape clears the selection; Shift+F10 opens the actions for it; plus and minus zoom; 0 fits.
      </p>
      <Legend entries={legend} selected={selected} onSelect={onLegendSelect} onContextMenu={onLegendMenu} />
    </div>
  );
}

interface LegendProps {
  entries: LegendEntry[];
  selected?: string;
  onSelect(id?: string): void;
  onContextMenu(target: MenuTarget, x: number, y: number): void;
}

/**
 * The service legend: a button per service (selects its chips; right-click for its actions).
 * Memoized: an update that changes tasks only does not render its buttons again.
 */
const Legend = memo(function Legend({ entries, selected, onSelect, onContextMenu }: LegendProps) {
  if (entries.length === 0) return null;
  return (
    <ul className="topo-legend" aria-label="Services">
      {entries.map((l) => (
        <li key={l.serviceId}>
          <button
            type="button"
            aria-pressed={selected === `service:${l.serviceId}`}
            onClick={() => onSelect(selected === `service:${l.serviceId}` ? undefined : `service:${l.serviceId}`)}
            onContextMenu={(e) => {
              e.preventDefault();
              onContextMenu({ kind: 'service', id: l.serviceId }, e.clientX, e.clientY);
            }}
          >
            <span className="topo-swatch" style={{ background: l.colour.bg }} aria-hidden="true" />
            {l.name} <span className="muted">{l.running}/{l.desired}</span>
          </button>
        </li>
      ))}
    </ul>
  );
});
