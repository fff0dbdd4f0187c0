/**
 * The live topology graph: Cytoscape, one box per swarm node holding its tasks as chips, optional
 * networks. Contract:
 * - `state` changes are applied incrementally (diffElements → add/remove/move/update in one
 *   cy.batch); moved or replaced tasks glide from their old place, new ones fade in;
 * - box positions stay put: only new boxes are placed (fcose with the known ones fixed), and
 *   positions are remembered per `lab` in localStorage (dragging a box carries its chips and updates them);
 * - tapping a box/chip/network calls `onSelect('node:<id>' | 'task:<id>' | 'network:<id>')`, the
 *   background `onSelect(undefined)`; `selected` highlights it (`service:<id>` highlights its chips);
 * - right-click on a box, chip or legend entry calls `onContextMenu({kind, id}, clientX, clientY)`
 *   with the bare swarm id; Shift+F10 / ContextMenu does it for the selection; Escape clears it;
 * - toolbar: zoom to fit, tidy layout (forget positions), export PNG and SVG; a service legend;
 * - `presenter`: larger type, thicker lines, slower animations;
 * - zoomed out below 10 px of chip height (OVERVIEW_CHIP_PX), each box shows its task count
 *   instead of its chips; chips are Cytoscape elements only for the boxes in or near the view (see
 *   `apply`); a node or task selected elsewhere whose box is out of view is brought into the middle.
 */
import cytoscape from 'cytoscape';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ClusterState } from '../../../electron/common/cluster.js';
import { arrivals, buildElements, diffElements, type TopoElement } from './elements.js';
import { cyToSvg } from './svg-export.js';
import { GRAPH_FONT, graphStyle, overviewFontSize, readTheme, type ThemeColours } from './graphStyle.js';
import { drawLabels, type LabelBox } from './overviewLabels.js';
import { menuTargetOf, type MenuTarget } from './ids.js';
import { BOX, CHIP, boxSize, boxesInView, chipGrid, loadPositions, placeBoxes, savePositions, type Point } from './layout.js';
import { serviceLegend } from './palette.js';
import { isShownTask } from './status.js';
import './topology.css';


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
 * a chip that small is a coloured speck with no readable text, and the zoom that shows them shows
 * so many boxes that their chips cost more to draw than they tell (a CPU-drawn frame of 3,000 chips
 * takes ~60 ms, one of the 100 boxes alone ~3 ms; npm run bench:ui).
 */
export const OVERVIEW_CHIP_PX = 10;
/** Chips are kept for the boxes within this fraction of the view's size beyond its edges. */
const VIEW_MARGIN = 0.1;
/** The overview's box label is the node's name, cut to this many characters, over its task count. */
const OVERVIEW_NAME_CHARS = 12;

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
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

const HEALTH_TEXT: Record<ClusterState['health'], string> = {
  ok: '',
  noLeader: '⚠ No leader: quorum is lost. Showing the last state the managers reported.',
  unreachable: '⚠ No manager answers. Showing the last known state.',
};

export function TopologyGraph({ lab, state, selected, onSelect, onContextMenu, presenter = false, showNetworks = false }: TopologyGraphProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const prevRef = useRef<TopoElement[]>([]);
  const anchorsRef = useRef<Map<string, Point>>(new Map());
  /** Per box, the place and chips the last update laid out (see the placement loop). */
  const placedRef = useRef<Map<string, string>>(new Map());
  const scaleRef = useRef(1);
  const presenterRef = useRef(presenter);
  presenterRef.current = presenter;
  /** Zoomed out so far that chips would be specks: they are hidden and each box counts its tasks. */
  const overviewRef = useRef(false);
  /** The boxes whose chips are in the graph (see apply), and whether an export wants every chip. */
  const liveRef = useRef<Set<string>>(new Set());
  const allChipsRef = useRef(false);
  const applyRef = useRef<(forcePlace: boolean) => void>(() => undefined);
  const themeRef = useRef<ThemeColours | undefined>(undefined);
  const [overview, setOverview] = useState(false);
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
      style: graphStyle(themeRef.current, presenter, scale),
      autounselectify: true,
      boxSelectionEnabled: false,
      minZoom: 0.05,
      maxZoom: 4,
    });
    cyRef.current = cy;
    prevRef.current = [];
    placedRef.current = new Map();
    liveRef.current = new Set();
    overviewRef.current = false;
    setOverview(false);
    anchorsRef.current = loadPositions(lab);
    cy.on('tap', (e) => {
      if (e.target === cy) cb.current.onSelect(undefined);
    });
    cy.on('tap', 'node', (e) => {
      const d = e.target.data() as { id: string; kind: string };
      cb.current.onSelect(d.kind === 'group' ? undefined : d.id);
    });
    cy.on('cxttap', 'node', (e) => {
      const d = e.target.data() as { id: string; kind: string; entityId?: string };
      const oe = e.originalEvent as MouseEvent | undefined;
      if ((d.kind === 'node' || d.kind === 'task') && d.entityId) {
        const rect = container.getBoundingClientRect();
        cb.current.onContextMenu({ kind: d.kind, id: d.entityId }, oe?.clientX ?? rect.left + e.renderedPosition.x, oe?.clientY ?? rect.top + e.renderedPosition.y);
      }
    });
    // A box carries its chips along when dragged.
    let carried: { start: Point; chips: { el: cytoscape.NodeSingular; from: Point }[] } | undefined;
    cy.on('grab', 'node.swarm-node, node.group', (e) => {
      const box = e.target as cytoscape.NodeSingular;
      const chips = cy.nodes('.task').filter((n) => n.data('box') === box.id());
      chips.stop(true, true);
      carried = { start: { ...box.position() }, chips: chips.map((el) => ({ el: el as cytoscape.NodeSingular, from: { ...(el as cytoscape.NodeSingular).position() } })) };
    });
    cy.on('drag', 'node.swarm-node, node.group', (e) => {
      if (!carried) return;
      const p = (e.target as cytoscape.NodeSingular).position();
      const dx = p.x - carried.start.x;
      const dy = p.y - carried.start.y;
      cy.batch(() => carried!.chips.forEach((c) => c.el.position({ x: c.from.x + dx, y: c.from.y + dy })));
    });
    cy.on('free', 'node', () => (carried = undefined));
    cy.on('dragfree', 'node', (e) => {
      const n = e.target as cytoscape.NodeSingular;
      if (n.hasClass('task')) return;
      const p = n.position();
      anchorsRef.current.set(n.id(), { x: p.x / scaleRef.current, y: p.y / scaleRef.current });
      savePositions(lab, anchorsRef.current);
    });
    // Panning and zooming: once a frame at most, enter or leave the overview and add or drop the
    // chips of boxes coming into or leaving the view.
    let viewFrame = 0;
    cy.on('viewport', () => {
      if (viewFrame) return;
      viewFrame = requestAnimationFrame(() => {
        viewFrame = 0;
        if (cy.destroyed()) return;
        const overviewNow = wantsOverview(cy);
        if (overviewNow !== overviewRef.current) return applyRef.current(false);
        if (overviewNow) return;
        const boxes = cy.nodes('.swarm-node, .group').map((b) => ({ id: b.id(), ...b.position(), w: b.data('w') as number, h: b.data('h') as number }));
        const live = boxesInView(boxes, cy.extent(), VIEW_MARGIN);
        const before = liveRef.current;
        if (live.size !== before.size || [...live].some((id) => !before.has(id))) applyRef.current(false);
      });
    });
    // The overview's labels, drawn after each of Cytoscape's frames (see overviewLabels.ts).
    const labels = document.createElement('canvas');
    labels.className = 'topo-labels';
    labels.setAttribute('aria-hidden', 'true');
    container.appendChild(labels);
    let labelsDrawn = false;
    cy.on('render', () => {
      if (!overviewRef.current) {
        const ctx = labelsDrawn ? labels.getContext('2d') : null;
        ctx?.setTransform(1, 0, 0, 1, 0, 0);
        ctx?.clearRect(0, 0, labels.width, labels.height);
        labelsDrawn = false;
        return;
      }
      const ctx = labels.getContext('2d');
      const theme = themeRef.current;
      if (!ctx || !theme) return;
      const ratio = window.devicePixelRatio || 1;
      const [w, h] = [Math.round(container.clientWidth * ratio), Math.round(container.clientHeight * ratio)];
      if (labels.width !== w || labels.height !== h) [labels.width, labels.height] = [w, h];
      const boxes: LabelBox[] = cy.nodes('.swarm-node, .group').map((b) => ({ ...b.position(), w: b.data('w') as number, h: b.data('h') as number, text: (b.data('overviewLabel') as string) ?? '', muted: b.hasClass('group') }));
      const k = presenterRef.current ? PRESENTER_SCALE : 1;
      drawLabels(ctx, w, h, ratio, { zoom: cy.zoom(), pan: cy.pan() }, boxes, { fg: theme.fg, muted: theme.muted, fontFamily: GRAPH_FONT, fontSize: overviewFontSize(k), minScreenPx: presenterRef.current ? 0 : 5 });
      labelsDrawn = true;
    });
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => cy.resize()) : undefined;
    ro?.observe(container);
    setCyReady((n) => n + 1);
    return () => {
      ro?.disconnect();
      if (viewFrame) cancelAnimationFrame(viewFrame);
      labels.remove();
      cy.destroy();
      cyRef.current = null;
    };
    // presenter/scale are applied by their own effects; the instance lives per lab.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lab]);

  // ── theme changes (data-theme on <html>) ────────────────────────────────
  useEffect(() => {
    const mo = new MutationObserver(() => setThemeTick((t) => t + 1));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => mo.disconnect();
  }, []);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !containerRef.current) return;
    themeRef.current = readTheme(containerRef.current);
    cy.style(graphStyle(themeRef.current, presenter, scale, overviewRef.current));
  }, [presenter, scale, themeTick, cyReady]);

  /** Whether the zoom is below the overview threshold (chips would be specks). */
  const wantsOverview = (cy: cytoscape.Core): boolean => CHIP.h * scaleRef.current * cy.zoom() < OVERVIEW_CHIP_PX;
  /** The stylesheet for the current theme, mode and overview (the theme as last read from the page). */
  const restyle = (cy: cytoscape.Core, overviewLabelsInGraph = false): void => {
    if (themeRef.current) cy.style(graphStyle(themeRef.current, presenterRef.current, scaleRef.current, overviewRef.current, overviewLabelsInGraph));
  };
  /** Enters or leaves the overview (restyling what is in the graph once). */
  const setOverviewStyle = (cy: cytoscape.Core, on: boolean): void => {
    if (on === overviewRef.current) return;
    overviewRef.current = on;
    setOverview(on);
    restyle(cy);
  };

  /** The selection's highlight on what the graph holds (chips come and go with the view). */
  const markSelection = (cy: cytoscape.Core): void => {
    const selected = cb.current.selected;
    cy.batch(() => {
      cy.$('.sel').removeClass('sel');
      cy.$('.svc-sel').removeClass('svc-sel');
      if (selected?.startsWith('service:')) {
        const sid = selected.slice('service:'.length);
        cy.nodes('.task').filter((n) => n.data('serviceId') === sid).addClass('svc-sel');
      } else if (selected) cy.getElementById(selected).addClass('sel');
    });
  };

  // ── apply the state incrementally ───────────────────────────────────────
  // Chips exist as Cytoscape elements only for the boxes in (or near) the view, and for none in the
  // overview: Cytoscape's cost per update and per frame grows with the elements it holds (a frame
  // of 3,100 nodes ~60 ms on a CPU-drawn canvas), while a screen shows a few dozen boxes at most
  // at a zoom where chips can be read. Panning and zooming add and drop chips (see the viewport
  // listener); exports take every chip.
  const apply = useCallback(
    (forcePlace: boolean) => {
      const cy = cyRef.current;
      if (!cy) return;
      const all = buildElements(state, { networks: showNetworks });
      const prev = prevRef.current;
      const first = prev.length === 0;
      const rescale = scaleRef.current !== scale;
      scaleRef.current = scale;
      // Boxes are plain nodes sized to their chip grid, and chips plain nodes drawn on top of them:
      // Cytoscape's compound nodes cost several times more per change and per frame at 3,000 chips.
      const chipsOf = new Map<string, TopoElement[]>();
      for (const e of all) {
        if (e.data.kind !== 'task' || !e.data.parent) continue;
        const list = chipsOf.get(e.data.parent);
        if (list) list.push(e);
        else chipsOf.set(e.data.parent, [e]);
      }
      const boxDims = (id: string): { w: number; h: number } => {
        const grid = chipGrid(chipsOf.get(id)?.length ?? 0, scale);
        return grid.cols ? { w: Math.max(BOX.minW * scale, grid.width + 2 * BOX.pad * scale), h: grid.height + 2 * BOX.pad * scale } : { w: BOX.minW * scale, h: 48 * scale };
      };
      const overviewLabel = (e: TopoElement): string => {
        const n = chipsOf.get(e.data.id)?.length ?? 0;
        const name = e.data.label.split('\n')[0]!;
        return `${name.length > OVERVIEW_NAME_CHARS ? `${name.slice(0, OVERVIEW_NAME_CHARS - 1)}…` : name}\n${n === 1 ? '1 task' : `${n} tasks`}`;
      };
      const cyData = (e: TopoElement): Record<string, unknown> => {
        const { parent, ...data } = e.data;
        if (e.data.kind === 'task') return { ...data, box: parent };
        return e.data.kind === 'node' || e.data.kind === 'group' ? { ...data, ...boxDims(e.data.id), overviewLabel: overviewLabel(e) } : data;
      };

      // place boxes: only the new ones move
      const top = all.filter((e) => e.group === 'nodes' && !e.data.parent);
      const anchors = anchorsRef.current;
      if (forcePlace) anchors.clear();
      const boxes = top.map((e) => ({ id: e.data.id, ...(e.data.kind === 'network' ? NETWORK_SIZE : boxSize(chipsOf.get(e.data.id)?.length ?? 0)) }));
      if (boxes.some((b) => !anchors.has(b.id))) {
        // Swarm nodes first (a tidy grid, managers first, beside what is known), then networks by
        // fcose, pulled towards the nodes they span with every node fixed.
        const edges = all.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source!, target: e.data.target! }));
        const isNet = new Set(top.filter((e) => e.data.kind === 'network').map((e) => e.data.id));
        const ranks = placementRanks(top);
        const ordered = boxes.filter((b) => !isNet.has(b.id)).sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)!);
        const nodesPlaced = placeBoxes(ordered, [], anchors);
        const placed = placeBoxes(boxes, edges, nodesPlaced);
        const keep = new Map<string, Point>();
        for (const b of boxes) keep.set(b.id, placed.get(b.id)!);
        anchorsRef.current = keep;
        savePositions(lab, keep);
      }
      const anchorsNow = anchorsRef.current;
      const centreOf = (id: string): Point => {
        const a = anchorsNow.get(id)!;
        return { x: a.x * scale, y: a.y * scale };
      };

      if ((first && all.length) || forcePlace || rescale) {
        // Fit from the boxes' known places and sizes: cy.fit would style every element to measure it.
        const extent = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
        for (const e of top) {
          const c = centreOf(e.data.id);
          const { w, h } = e.data.kind === 'network' ? { w: NETWORK_SIZE.w * scale, h: NETWORK_SIZE.h * scale } : boxDims(e.data.id);
          extent.x1 = Math.min(extent.x1, c.x - w / 2);
          extent.x2 = Math.max(extent.x2, c.x + w / 2);
          extent.y1 = Math.min(extent.y1, c.y - h / 2 - BOX.label * scale); // the label above the box
          extent.y2 = Math.max(extent.y2, c.y + h / 2);
        }
        const pad = 30;
        if (Number.isFinite(extent.x1) && cy.width() > 2 * pad && cy.height() > 2 * pad) {
          const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min((cy.width() - 2 * pad) / (extent.x2 - extent.x1), (cy.height() - 2 * pad) / (extent.y2 - extent.y1))));
          cy.viewport({ zoom, pan: { x: (cy.width() - zoom * (extent.x1 + extent.x2)) / 2, y: (cy.height() - zoom * (extent.y1 + extent.y2)) / 2 } });
        } else cy.fit(undefined, pad);
      }

      // which boxes keep chips: none in the overview, every one for an export, else those in view
      const overviewNow = wantsOverview(cy);
      if (!overviewNow) setOverviewStyle(cy, false); // restyle before adding chips, not after
      const chipBoxes = top.filter((e) => e.data.kind !== 'network').map((e) => ({ id: e.data.id, ...centreOf(e.data.id), ...boxDims(e.data.id) }));
      const live = overviewNow ? new Set<string>() : allChipsRef.current ? new Set(chipBoxes.map((b) => b.id)) : boxesInView(chipBoxes, cy.extent(), VIEW_MARGIN);
      const liveBefore = liveRef.current;
      liveRef.current = live;
      const next = all.filter((e) => e.data.kind !== 'task' || live.has(e.data.parent!));

      const diff = diffElements(prev, next);
      const from = arrivals(prev, diff);
      // Where arriving chips come from: the chip they replace (same slot), or their own old place when re-parented.
      const origin = new Map<string, Point>();
      for (const [to, f] of from) {
        const el = cy.getElementById(f);
        if (el.nonempty()) origin.set(to, { ...(el as cytoscape.NodeSingular).position() });
      }
      const added = new Set(diff.added.map((e) => e.data.id));
      for (const u of diff.updated) {
        if (u.next.data.kind !== 'task' || u.prev.data.parent === u.next.data.parent) continue;
        const el = cy.getElementById(u.next.data.id);
        if (el.nonempty()) origin.set(u.next.data.id, { ...(el as cytoscape.NodeSingular).position() });
        added.add(u.next.data.id);
      }
      cy.batch(() => {
        if (diff.added.length) {
          cy.add(
            diff.added.map((e) => ({
              group: e.group,
              data: cyData(e),
              classes: e.classes,
              grabbable: e.data.kind !== 'task',
              position: { x: 0, y: 0 },
            })),
          );
        }
        for (const u of diff.updated) {
          const el = cy.getElementById(u.next.data.id);
          if (el.empty()) continue;
          const { id: _id, source: _s, target: _t, ...rest } = cyData(u.next);
          el.data(rest);
          const gone = Object.keys(u.prev.data).filter((k) => k !== 'parent' && !(k in u.next.data));
          if (gone.length) el.removeData(gone.join(' '));
          el.classes(u.next.classes);
        }
        for (const e of diff.removed) cy.getElementById(e.data.id).remove();
      });
      prevRef.current = next;

      // move things to their places
      const motion = reducedMotion() ? 0 : presenter ? 1100 : 400;
      const instant = first || rescale || forcePlace || motion === 0 || overviewNow;
      const moveTo = (el: cytoscape.NodeSingular, p: Point): void => {
        const cur = el.position();
        if (Math.abs(cur.x - p.x) < 0.5 && Math.abs(cur.y - p.y) < 0.5) return;
        if (instant) el.position(p);
        else {
          el.stop(true, false);
          el.animate({ position: p }, { duration: motion, easing: 'ease-in-out-cubic' });
        }
      };
      const placedBefore = placedRef.current;
      const placedNow = new Map<string, string>();
      placedRef.current = placedNow;
      cy.batch(() => {
        for (const e of top) {
          const centre = centreOf(e.data.id);
          const box = cy.getElementById(e.data.id) as cytoscape.NodeSingular;
          if (e.data.kind !== 'network') {
            const { w, h } = boxDims(e.data.id);
            const label = overviewLabel(e);
            if (box.data('w') !== w || box.data('h') !== h || box.data('overviewLabel') !== label) box.data({ w, h, overviewLabel: label });
          }
          if (added.has(e.data.id)) box.position(centre);
          else moveTo(box, centre);
          if (!live.has(e.data.id)) continue;
          // A box whose place and chips are as they were needs no chip work (most boxes, most updates).
          const placed = `${centre.x},${centre.y}|${chipsOf.get(e.data.id)?.map((c) => c.data.id).join(' ') ?? ''}`;
          placedNow.set(e.data.id, placed);
          if (!first && !rescale && !forcePlace && placedBefore.get(e.data.id) === placed && !chipsOf.get(e.data.id)?.some((c) => added.has(c.data.id))) continue;
          const chips = (chipsOf.get(e.data.id) ?? []).slice().sort((x, y) => (x.data.order! < y.data.order! ? -1 : x.data.order! > y.data.order! ? 1 : 0));
          if (!chips.length) continue;
          const grid = chipGrid(chips.length, scale);
          // a box that just came into view shows its chips in place: nobody saw them arrive
          const appear = instant || !liveBefore.has(e.data.id);
          chips.forEach((c, i) => {
            const el = cy.getElementById(c.data.id) as cytoscape.NodeSingular;
            const o = grid.offsets[i]!;
            const target = { x: centre.x + o.x, y: centre.y + o.y };
            if (!added.has(c.data.id)) return moveTo(el, target);
            const start = origin.get(c.data.id);
            el.stop(true, false);
            if (start && !appear) {
              // glide from where the task was (its own old box, or the chip it replaces on a dead node)
              el.position(start);
              el.animate({ position: target }, { duration: motion * 1.5, easing: 'ease-in-out-cubic' });
            } else if (!appear) {
              el.position(target);
              el.style('opacity', 0);
              el.animate({ style: { opacity: 1 } }, { duration: motion, complete: () => el.removeStyle('opacity') });
            } else el.position(target);
          });
        }
      });
      if (overviewNow) setOverviewStyle(cy, true); // restyle after dropping the chips
      // chips added, and elements whose classes the update replaced, need the selection's mark again
      if ((diff.added.length || diff.updated.length) && cb.current.selected) markSelection(cy);
    },
    [state, showNetworks, presenter, scale, lab],
  );
  applyRef.current = apply;

  useEffect(() => apply(false), [apply, cyReady]);

  // ── selection highlight ─────────────────────────────────────────────────
  // (after an update, apply marks what it added or changed)
  useEffect(() => {
    const cy = cyRef.current;
    if (cy) markSelection(cy);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, cyReady]);

  // A node or task selected elsewhere (the outline) whose box is out of view: bring the box into
  // the middle, so the selection is seen (and, zoomed in, the task's chip exists to show it).
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
    if (!cy) return;
    if (reducedMotion()) cy.fit(undefined, 30);
    else cy.animate({ fit: { eles: cy.elements(), padding: 30 } }, { duration: presenter ? 700 : 300 });
  };
  const tidy = (): void => apply(true);
  const bg = (): string => themeRef.current?.bg ?? '#ffffff';
  /** Runs `fn` with the chips of every box in the graph (not just those in view), then drops them again. */
  const withEveryChip = <T,>(fn: (cy: cytoscape.Core) => T): T | undefined => {
    const cy = cyRef.current;
    if (!cy) return undefined;
    allChipsRef.current = true;
    try {
      apply(false);
      if (overviewRef.current) restyle(cy, true); // the overview's labels, into Cytoscape's own style
      return fn(cy);
    } finally {
      if (overviewRef.current) restyle(cy);
      allChipsRef.current = false;
      apply(false);
    }
  };
  const exportPng = (): void => {
    const blob = withEveryChip((cy) => cy.png({ full: true, bg: bg(), output: 'blob', scale: 2 }));
    if (blob) download(`${lab}-topology.png`, blob);
  };
  const exportSvg = (): void => {
    const svg = withEveryChip((cy) => cyToSvg(cy, bg()));
    if (svg) download(`${lab}-topology.svg`, new Blob([svg], { type: 'image/svg+xml' }));
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
      const el = t.kind === 'service' ? cy.nodes('.svc-sel').first() : cy.getElementById(cb.current.selected!);
      const p = el.nonempty() ? (el as cytoscape.NodeSingular).renderedPosition() : { x: rect.width / 2, y: rect.height / 2 };
      cb.current.onContextMenu(t, rect.left + p.x, rect.top + p.y);
    } else if (cy && (e.key === '+' || e.key === '=')) cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (cy && e.key === '-') cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (e.key === '0') fit();
  };

  const legend = useMemo(() => {
    const shown = new Map<string, number>();
    for (const t of state.tasks) if (isShownTask(t)) shown.set(t.serviceId, (shown.get(t.serviceId) ?? 0) + 1);
    return serviceLegend(state, (id) => shown.get(id) ?? 0);
  }, [state]);

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
        <button type="button" onClick={exportPng}>
          ⇩ PNG
        </button>
        <button type="button" onClick={exportSvg}>
          ⇩ SVG
        </button>
      </div>
      {state.health !== 'ok' && (
        <div className={`topo-banner health-${state.health}`} role="status">
          {HEALTH_TEXT[state.health]}
          {state.message ? ` ${state.message}` : ''}
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
      {state.nodes.length === 0 && <p className="topo-empty muted">{state.message ?? 'No swarm nodes.'}</p>}
      {overview && state.nodes.length > 0 && (
        <p className="topo-overview muted" role="status">
          Zoomed out: each node shows its task count. Zoom in (+) to see the tasks.
        </p>
      )}
      <p id={hintId} className="visually-hidden">
        The outline lists the same nodes, services and tasks. Escape clears the selection; Shift+F10 opens the actions for it; plus and minus zoom; 0 fits.
      </p>
      {legend.length > 0 && (
        <ul className="topo-legend" aria-label="Services">
          {legend.map((l) => (
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
      )}
    </div>
  );
}
