/**
 * ClusterState → the graph's element definitions (pure), and the id-keyed diff between two builds.
 * Boxes, networks and edges become Cytoscape elements (and the scene's items); chips go to the
 * chip layer (`chipSpecOf`), never to Cytoscape.
 *
 * - each swarm node: a box `node:<id>`, classes `swarm-node manager|worker [leader]
 *   status-<ready|down|drain|paused|disconnected|unknown> [unreachable]`; label
 *   "★ name" / "✔ ready · manager (leader)" (glyph + word, never colour alone);
 * - each shown task (`isShownTask`): a chip `task:<id>` inside its node's box (or inside
 *   `group:unassigned` when it has no known node), data `color`/`textColor` from the service
 *   palette, classes `task phase-<running|starting|failed|stopping|other>`;
 * - with `{ networks: true }`: swarm-scoped networks as `network:<id>` and edges
 *   `edge:<netId>:<nodeId>` to every node that is not down (the model carries no per-task
 *   attachments, so a swarm network is drawn as spanning the live nodes).
 * Elements come out in a stable order: boxes in node order, chips in task order (the graph sorts
 * each box's chips by service, slot and id).
 */
import type { ClusterNode, ClusterState, ClusterTask } from '../../../electron/common/cluster.js';
import type { ChipPhase, ChipSpec } from './chipLayer.js';
import { serviceColour } from './palette.js';
import { NODE_STATUS, TASK_GLYPH, isShownTask, nodeStatusClass, taskPhase } from './status.js';

export interface TopoData {
  id: string;
  kind: 'node' | 'task' | 'network' | 'edge' | 'group';
  label: string;
  /** The bare swarm id (nodes, tasks, networks). */
  entityId?: string;
  parent?: string;
  source?: string;
  target?: string;
  /** Chips: the service's palette colour and readable text colour. */
  color?: string;
  textColor?: string;
  serviceId?: string;
  /** Stable sort key of a chip inside its box. */
  order?: string;
  /** `serviceId.slot` of a replicated task: a replacement task in the same slot shares it. */
  slotKey?: string;
  /** Tooltip / accessible description. */
  title?: string;
}

export interface TopoElement {
  group: 'nodes' | 'edges';
  data: TopoData;
  classes: string;
}

export interface ElementOptions {
  networks?: boolean;
}

export const UNASSIGNED = 'group:unassigned';

/** A build split the way the graph uses it: Cytoscape's elements, and the chips per box. */
export interface GraphBuild {
  /** Boxes (nodes, then the unassigned group when needed), then networks and edges. */
  elements: TopoElement[];
  /**
   * Chips by the box holding them, each box's in task order. Built from the build before, a box
   * none of whose tasks changed gets that build's very array.
   */
  chipsByBox: Map<string, TopoElement[]>;
  /** What the next build starts from (see `prev` of buildGraph). */
  readonly index: TaskIndex;
}

/** The tasks a build was made from, and what it made of each. */
interface TaskIndex {
  tasks: readonly ClusterTask[];
  /** By index in `tasks`: the task's chip, or undefined when it is not shown. */
  chips: readonly (TopoElement | undefined)[];
  /** The ids of the nodes that had boxes, in order, and the box of each. */
  nodeIds: readonly string[];
  boxOf: ReadonlyMap<string, string>;
}

/**
 * A mismatch between two task lists beyond this many (per 1,000 tasks, and 32 at least) and a
 * build does the whole pass over the tasks instead of working from the build before.
 */
const MAX_MISMATCHES_PER_1000 = 100;
/** How far ahead a build looks for two task lists to match again after a run of tasks gone or come. */
const LOOK_AHEAD = 8;

/**
 * The graph's elements (this runs on every update). With `prev`, the build of the state before,
 * it works out which boxes' tasks changed and builds only their chip lists: a live state changes
 * by replacing the objects of the tasks that changed, removing and appending (applyChanges), so
 * the two task lists match object for object but for those. The result is the same either way.
 */
export function buildGraph(state: ClusterState, options: ElementOptions = {}, prev?: GraphBuild): GraphBuild {
  const elements: TopoElement[] = [];
  for (const n of state.nodes) {
    let box = nodeCache.get(n);
    if (!box) {
      box = nodeBox(n);
      nodeCache.set(n, box);
    }
    elements.push(box);
  }
  // the box of each node, by its id (one string per node, not one per task), kept while the nodes are
  const sameNodes = !!prev && sameIds(prev.index.nodeIds, state.nodes);
  const nodeIds = sameNodes ? prev.index.nodeIds : state.nodes.map((n) => n.id);
  const boxOf = sameNodes ? prev.index.boxOf : new Map(nodeIds.map((id) => [id, `node:${id}`]));
  const chipOf = (t: ClusterTask): TopoElement | undefined => {
    if (!isShownTask(t)) return undefined;
    const parent = (t.nodeId && boxOf.get(t.nodeId)) || UNASSIGNED;
    let chip = chipCache.get(t);
    if (chip?.data.parent !== parent) {
      chip = taskChip(t, parent);
      chipCache.set(t, chip);
    }
    return chip;
  };
  const grouped = (sameNodes && groupFrom(prev, state.tasks, chipOf)) || groupAll(state.tasks, chipOf);
  const chipsByBox = grouped.byBox;
  if (chipsByBox.has(UNASSIGNED)) {
    elements.push({ group: 'nodes', data: { id: UNASSIGNED, kind: 'group', label: '◌ not scheduled', title: 'Tasks no node runs yet' }, classes: 'group unassigned' });
  }
  if (options.networks) {
    const live = state.nodes.filter((n) => n.status !== 'down');
    for (const net of state.networks.filter((x) => x.scope === 'swarm')) {
      elements.push({
        group: 'nodes',
        data: {
          id: `network:${net.id}`,
          kind: 'network',
          entityId: net.id,
          label: `⇆ ${net.name}${net.subnets.length ? `\n${net.subnets.join(', ')}` : ''}`,
          title: `${net.name} (${net.driver}${net.ingress ? ', ingress' : ''})`,
        },
        classes: `network${net.ingress ? ' ingress' : ''}`,
      });
      for (const n of live) {
        elements.push({
          group: 'edges',
          data: { id: `edge:${net.id}:${n.id}`, kind: 'edge', label: '', source: `network:${net.id}`, target: `node:${n.id}` },
          classes: `net-edge${net.ingress ? ' ingress' : ''}`,
        });
      }
    }
  }
  return { elements, chipsByBox, index: { tasks: state.tasks, chips: grouped.chips, nodeIds, boxOf } };
}

const sameIds = (ids: readonly string[], nodes: readonly { id: string }[]): boolean => ids.length === nodes.length && nodes.every((n, i) => n.id === ids[i]);

interface Grouped {
  byBox: Map<string, TopoElement[]>;
  chips: (TopoElement | undefined)[];
}

/** Adds a chip at the end of its box's list. */
function addChip(byBox: Map<string, TopoElement[]>, chip: TopoElement): void {
  const list = byBox.get(chip.data.parent!);
  if (list) list.push(chip);
  else byBox.set(chip.data.parent!, [chip]);
}

/** Every shown task's chip, grouped by box in task order. */
function groupAll(tasks: readonly ClusterTask[], chipOf: (t: ClusterTask) => TopoElement | undefined): Grouped {
  const byBox = new Map<string, TopoElement[]>();
  const chips = tasks.map(chipOf);
  for (const chip of chips) if (chip) addChip(byBox, chip);
  return { byBox, chips };
}

/**
 * `groupAll`, worked out from the build before (the same nodes had boxes then): the two task lists
 * are walked side by side; a task object in both keeps its chip, and the boxes of the tasks that
 * went, came or changed are the only ones built anew. Undefined when the lists differ too much to
 * be worth it (then everything is grouped anew).
 */
function groupFrom(prev: GraphBuild, tasks: readonly ClusterTask[], chipOf: (t: ClusterTask) => TopoElement | undefined): Grouped | undefined {
  const { tasks: before, chips: chipsBefore } = prev.index;
  const chips = new Array<TopoElement | undefined>(tasks.length);
  const dirty = new Set<string>();
  const gone = (chip: TopoElement | undefined): void => {
    if (chip) dirty.add(chip.data.parent!);
  };
  let misses = 0;
  const maxMisses = Math.max(32, (tasks.length * MAX_MISMATCHES_PER_1000) / 1000);
  let j = 0;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    if (before[j] === t) {
      chips[i] = chipsBefore[j++];
      continue;
    }
    if (++misses > maxMisses) return undefined;
    // tasks gone here (the old list has this task a few further on): their boxes change
    let k = 1;
    while (k <= LOOK_AHEAD && j + k < before.length && before[j + k] !== t) k++;
    if (k <= LOOK_AHEAD && j + k < before.length) {
      for (const end = j + k; j < end; j++) gone(chipsBefore[j]);
      chips[i] = chipsBefore[j++];
      continue;
    }
    // a task came here (the new list has the old one's next task a few further on), or one replaced
    // another (both boxes change)
    k = 1;
    while (k <= LOOK_AHEAD && i + k < tasks.length && tasks[i + k] !== before[j]) k++;
    if (j < before.length && !(k <= LOOK_AHEAD && i + k < tasks.length)) gone(chipsBefore[j++]);
    const chip = chipOf(t);
    chips[i] = chip;
    gone(chip);
  }
  for (; j < before.length; j++) gone(chipsBefore[j]);
  // the boxes none of whose tasks went, came or changed keep their lists; the others are built anew
  const byBox = new Map<string, TopoElement[]>();
  for (const [box, list] of prev.chipsByBox) if (!dirty.has(box)) byBox.set(box, list);
  if (dirty.size === 0) return { byBox, chips };
  for (const chip of chips) if (chip && dirty.has(chip.data.parent!)) addChip(byBox, chip);
  return { byBox, chips };
}

/** Boxes by the node object they were built from (like chips, see chipCache). */
const nodeCache = new WeakMap<ClusterNode, TopoElement>();

function nodeBox(n: ClusterNode): TopoElement {
  const st = nodeStatusClass(n);
  const s = NODE_STATUS[st];
  const classes = ['swarm-node', n.role, `status-${st}`];
  if (n.leader) classes.push('leader');
  if (n.role === 'manager' && n.reachability && n.reachability !== 'reachable') classes.push('unreachable');
  const roleWord = n.role === 'manager' ? (n.leader ? 'manager (leader)' : 'manager') : 'worker';
  return {
    group: 'nodes',
    data: {
      id: `node:${n.id}`,
      kind: 'node',
      entityId: n.id,
      label: `${n.leader ? '★ ' : ''}${n.name}\n${s.glyph} ${s.word} · ${roleWord}`,
      title: `${n.name}: ${roleWord}, ${s.word}${n.addr ? `, ${n.addr}` : ''}`,
    },
    classes: classes.join(' '),
  };
}

/**
 * Chips by the task object they were built from. A live state changes by replacing the objects of
 * the tasks that changed (applyChanges), so an unchanged task gets its very element back: building
 * 3,000 chips costs ~0.3 ms instead of ~4 ms, and the diff sees them as the same at a glance.
 */
const chipCache = new WeakMap<ClusterTask, TopoElement>();

function taskChip(t: ClusterTask, parent: string): TopoElement {
  const phase = taskPhase(t);
  const c = serviceColour(t.service);
  const name = `${t.service}.${t.slot ?? t.id.slice(0, 6)}`;
  return {
    group: 'nodes',
    data: {
      id: `task:${t.id}`,
      kind: 'task',
      entityId: t.id,
      parent,
      label: `${TASK_GLYPH[phase]} ${name}`,
      color: c.bg,
      textColor: c.fg,
      serviceId: t.serviceId,
      ...(t.slot != null ? { slotKey: `${t.serviceId}.${t.slot}` } : {}),
      order: `${t.service}\u0000${String(t.slot ?? 0).padStart(6, '0')}\u0000${t.id}`,
      title: `${name}: ${t.state}${t.desiredState !== 'running' ? ` (should be ${t.desiredState})` : ''}${t.error ? ` — ${t.error}` : ''}`,
    },
    classes: `task phase-${phase}`,
  };
}

/** A chip's order in its box: service, slot, id. */
export const byChipOrder = (x: TopoElement, y: TopoElement): number => (x.data.order! < y.data.order! ? -1 : x.data.order! > y.data.order! ? 1 : 0);

/**
 * A box's chips (`list`, in task order) in chip order. `before`: the box's chips in chip order the
 * last time, when known. An element keeps its order for life, so the chips that stayed keep their
 * order among themselves: when most stayed, only the ones that came are sorted, and each is put in
 * place by binary search. When a worker goes down, ~100 boxes each gain a few chips; sorting each
 * box whole cost up to 2.7 ms of that update in string comparisons of long, alike keys.
 */
export function inChipOrder(list: readonly TopoElement[], before?: readonly TopoElement[]): TopoElement[] {
  if (before?.length) {
    const now = new Set(list);
    const kept = before.filter((e) => now.has(e));
    if (kept.length * 2 >= list.length) {
      const had = new Set(kept);
      const came = list.filter((e) => !had.has(e)).sort(byChipOrder);
      if (!came.length) return kept;
      const out = new Array<TopoElement>(list.length);
      let o = 0;
      let i = 0; // the next of `kept` to copy
      let lo = 0; // where the search for the next that came starts: it follows the one before
      for (const c of came) {
        let hi = kept.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (byChipOrder(kept[mid]!, c) <= 0) lo = mid + 1;
          else hi = mid;
        }
        while (i < lo) out[o++] = kept[i++]!;
        out[o++] = c;
      }
      while (i < kept.length) out[o++] = kept[i++]!;
      return out;
    }
  }
  for (let i = 1; i < list.length; i++) if (byChipOrder(list[i - 1]!, list[i]!) > 0) return list.slice().sort(byChipOrder);
  return list.slice();
}

const specCache = new WeakMap<TopoElement, ChipSpec>();

/** What the chip layer draws of a chip element (the same object for the same element). */
export function chipSpecOf(e: TopoElement): ChipSpec {
  let spec = specCache.get(e);
  if (!spec) {
    const d = e.data;
    const phase = (/(?:^| )phase-(\w+)/.exec(e.classes)?.[1] ?? 'other') as ChipPhase;
    spec = { id: d.id, box: d.parent ?? UNASSIGNED, label: d.label, color: d.color ?? '#888888', textColor: d.textColor ?? '#000000', phase, ...(d.serviceId ? { serviceId: d.serviceId } : {}), ...(d.slotKey ? { slotKey: d.slotKey } : {}) };
    specCache.set(e, spec);
  }
  return spec;
}

export interface ElementDiff {
  added: TopoElement[];
  removed: TopoElement[];
  /** Same id, different data or classes; `prev` is the old definition (its parent tells a move). */
  updated: { prev: TopoElement; next: TopoElement }[];
}

function sameElement(a: TopoElement, b: TopoElement): boolean {
  if (a === b) return true;
  if (a.classes !== b.classes || a.group !== b.group) return false;
  // for…in without allocating key arrays: this runs for every element on every update
  let count = 0;
  for (const k in a.data) {
    if (a.data[k as keyof TopoData] !== b.data[k as keyof TopoData]) return false;
    count++;
  }
  for (const _k in b.data) count--;
  return count === 0;
}

/** What changed between two builds, by element id. Order: as in `next` (added/updated), `prev` (removed). */
export function diffElements(prev: readonly TopoElement[], next: readonly TopoElement[]): ElementDiff {
  const before = new Map(prev.map((e) => [e.data.id, e]));
  const nextIds = new Set<string>();
  const diff: ElementDiff = { added: [], removed: [], updated: [] };
  for (const e of next) {
    nextIds.add(e.data.id);
    const old = before.get(e.data.id);
    if (!old) diff.added.push(e);
    else if (!sameElement(old, e)) diff.updated.push({ prev: old, next: e });
  }
  for (const e of prev) if (!nextIds.has(e.data.id)) diff.removed.push(e);
  return diff;
}
