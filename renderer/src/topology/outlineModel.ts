/**
 * The outline's tree (pure): two groups, Nodes → tasks and Services → tasks, built from the same
 * state and filters as the graph (`isShownTask`), with the shared id scheme. Item keys are paths
 * (a task appears under its node and under its service), ids are selection ids. Also the
 * WAI-ARIA tree keyboard model: which item gets focus, what expands or collapses, when to select or
 * open the context menu.
 */
import type { ClusterState } from '../../../electron/common/cluster.js';
import type { MenuTarget } from './ids.js';
import { serviceColour } from './palette.js';
import { NODE_STATUS, TASK_GLYPH, isShownTask, nodeStatusClass, taskPhase } from './status.js';

export interface TreeItem {
  /** Unique path key, e.g. `nodes/node:abc/task:def`. */
  key: string;
  /** Selection id (`node:…`, `service:…`, `task:…`) or a group id (`group:nodes`). */
  id: string;
  label: string;
  level: number;
  menu?: MenuTarget;
  /** Palette colour of a service or task, for a swatch. */
  colour?: string;
  /** Extra classes: node status, leader, task phase. */
  tone?: string;
  children?: TreeItem[];
}

export function buildTree(state: ClusterState): TreeItem[] {
  const shown = state.tasks.filter(isShownTask);
  const byNode = new Map<string, typeof shown>();
  const byService = new Map<string, typeof shown>();
  for (const t of shown) {
    if (t.nodeId) byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t]);
    byService.set(t.serviceId, [...(byService.get(t.serviceId) ?? []), t]);
  }
  const taskItem = (parentKey: string, t: (typeof shown)[number], withNode: boolean): TreeItem => {
    const phase = taskPhase(t);
    return {
      key: `${parentKey}/task:${t.id}`,
      id: `task:${t.id}`,
      label: `${TASK_GLYPH[phase]} ${t.service}.${t.slot ?? t.id.slice(0, 6)}${withNode ? ` on ${t.node ?? 'no node'}` : ''} — ${t.state}`,
      level: 3,
      menu: { kind: 'task', id: t.id },
      colour: serviceColour(t.service).bg,
      tone: `phase-${phase}`,
    };
  };
  const nodes: TreeItem[] = state.nodes.map((n) => {
    const st = nodeStatusClass(n);
    const key = `nodes/node:${n.id}`;
    const tasks = byNode.get(n.id) ?? [];
    return {
      key,
      id: `node:${n.id}`,
      label: `${n.leader ? '★ ' : ''}${n.name} — ${NODE_STATUS[st].glyph} ${NODE_STATUS[st].word} · ${n.role}${n.leader ? ' (leader)' : ''} · ${tasks.length} task${tasks.length === 1 ? '' : 's'}`,
      level: 2,
      menu: { kind: 'node', id: n.id },
      tone: `status-${st}${n.leader ? ' leader' : ''}`,
      children: tasks.map((t) => taskItem(key, t, false)),
    };
  });
  const services: TreeItem[] = state.services.map((s) => {
    const key = `services/service:${s.id}`;
    const tasks = byService.get(s.id) ?? [];
    return {
      key,
      id: `service:${s.id}`,
      label: `${s.name} — ${s.replicas.running}/${s.replicas.desired} running · ${s.mode}${s.stack ? ` · stack ${s.stack}` : ''}`,
      level: 2,
      menu: { kind: 'service', id: s.id },
      colour: serviceColour(s.name).bg,
      children: tasks.map((t) => taskItem(key, t, true)),
    };
  });
  return [
    { key: 'nodes', id: 'group:nodes', label: `Nodes (${nodes.length})`, level: 1, children: nodes },
    { key: 'services', id: 'group:services', label: `Services (${services.length})`, level: 1, children: services },
  ];
}

export interface FlatItem {
  item: TreeItem;
  parentKey?: string;
  /** 1-based position among siblings and their count (aria-posinset/setsize). */
  pos: number;
  size: number;
}

/** The items a user can reach: every root, and children of expanded items. */
export function visibleItems(tree: readonly TreeItem[], expanded: ReadonlySet<string>): FlatItem[] {
  const out: FlatItem[] = [];
  const walk = (items: readonly TreeItem[], parentKey?: string): void => {
    items.forEach((item, i) => {
      out.push({ item, parentKey, pos: i + 1, size: items.length });
      if (item.children?.length && expanded.has(item.key)) walk(item.children, item.key);
    });
  };
  walk(tree);
  return out;
}

/** Keys of the ancestors of the first item with this id (Nodes before Services), or undefined. */
export function pathTo(tree: readonly TreeItem[], id: string): { key: string; ancestors: string[] } | undefined {
  const find = (items: readonly TreeItem[], trail: string[]): { key: string; ancestors: string[] } | undefined => {
    for (const it of items) {
      if (it.id === id) return { key: it.key, ancestors: trail };
      const r = it.children && find(it.children, [...trail, it.key]);
      if (r) return r;
    }
    return undefined;
  };
  return find(tree, []);
}

export interface KeyResult {
  focus?: string;
  expand?: string;
  collapse?: string;
  /** Select the focused item (Enter / Space). */
  select?: boolean;
  /** Open the focused item's context menu (Shift+F10, ContextMenu key). */
  menu?: boolean;
}

/** What a key press does on the focused item; undefined when the tree does not handle the key. */
export function treeKey(ev: { key: string; shiftKey?: boolean }, flat: readonly FlatItem[], focusKey: string | undefined, expanded: ReadonlySet<string>): KeyResult | undefined {
  if (!flat.length) return undefined;
  let i = flat.findIndex((f) => f.item.key === focusKey);
  if (i < 0) i = 0;
  const cur = flat[i]!;
  const hasKids = !!cur.item.children?.length;
  const open = hasKids && expanded.has(cur.item.key);
  switch (ev.key) {
    case 'ArrowDown':
      return { focus: flat[Math.min(flat.length - 1, i + 1)]!.item.key };
    case 'ArrowUp':
      return { focus: flat[Math.max(0, i - 1)]!.item.key };
    case 'Home':
      return { focus: flat[0]!.item.key };
    case 'End':
      return { focus: flat[flat.length - 1]!.item.key };
    case 'ArrowRight':
      if (!hasKids) return {};
      return open ? { focus: flat[i + 1]!.item.key } : { expand: cur.item.key };
    case 'ArrowLeft':
      if (open) return { collapse: cur.item.key };
      return cur.parentKey ? { focus: cur.parentKey } : {};
    case 'Enter':
    case ' ':
      return { select: true };
    case 'ContextMenu':
      return { menu: true };
    case 'F10':
      return ev.shiftKey ? { menu: true } : undefined;
    default:
      return undefined;
  }
}
