/**
 * The one id scheme shared by the graph, the outline and the context menu:
 * `node:<swarm node id>`, `service:<service id>`, `task:<task id>`, `network:<network id>`.
 * Context-menu targets carry the bare swarm id plus a kind.
 */
export type EntityKindId = 'node' | 'service' | 'task' | 'network';
export interface MenuTarget {
  kind: 'node' | 'service' | 'task';
  /** The bare swarm id (no prefix). */
  id: string;
}

export const selectionId = (kind: EntityKindId, id: string): string => `${kind}:${id}`;

/** `node:abc` → {kind:'node', id:'abc'}; undefined for anything else (groups, edges, garbage). */
export function parseSelectionId(sel: string | undefined): { kind: EntityKindId; id: string } | undefined {
  if (!sel) return undefined;
  const i = sel.indexOf(':');
  if (i <= 0) return undefined;
  const kind = sel.slice(0, i);
  const id = sel.slice(i + 1);
  if (!id || (kind !== 'node' && kind !== 'service' && kind !== 'task' && kind !== 'network')) return undefined;
  return { kind, id };
}

/** The menu target for a selection id, when that kind has a context menu. */
export function menuTargetOf(sel: string | undefined): MenuTarget | undefined {
  const p = parseSelectionId(sel);
  return p && p.kind !== 'network' ? { kind: p.kind, id: p.id } : undefined;
}
