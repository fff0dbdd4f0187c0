/**
 * How a swarm node's and a task's condition is shown: one status class per node
 * (ready/down/drain/paused/disconnected/unknown; the node's own status wins over its availability)
 * and a glyph + word for each, so status never rests on colour alone.
 */
import type { ClusterNode, ClusterTask } from '../../../electron/common/cluster.js';

export type NodeStatusClass = 'ready' | 'down' | 'drain' | 'paused' | 'disconnected' | 'unknown';

export function nodeStatusClass(n: Pick<ClusterNode, 'status' | 'availability'>): NodeStatusClass {
  if (n.status === 'down') return 'down';
  if (n.status === 'disconnected') return 'disconnected';
  if (n.status === 'unknown') return 'unknown';
  if (n.availability === 'drain') return 'drain';
  if (n.availability === 'pause') return 'paused';
  return 'ready';
}

export const NODE_STATUS: Record<NodeStatusClass, { glyph: string; word: string }> = {
  ready: { glyph: '✔', word: 'ready' },
  down: { glyph: '✖', word: 'down' },
  drain: { glyph: '⇣', word: 'draining' },
  paused: { glyph: '⏸', word: 'paused' },
  disconnected: { glyph: '⚡', word: 'disconnected' },
  unknown: { glyph: '?', word: 'unknown' },
};

/** Tasks drawn in the graph: the ones that are, or are meant to be, alive (history is left out). */
const LIVE_STATES = new Set(['running', 'starting', 'preparing', 'pending', 'assigned', 'accepted', 'ready', 'new', 'allocated']);
export const isShownTask = (t: Pick<ClusterTask, 'desiredState' | 'state'>): boolean =>
  t.desiredState === 'running' || ['running', 'starting', 'preparing', 'pending', 'assigned'].includes(t.state);

export type TaskPhase = 'running' | 'starting' | 'failed' | 'stopping' | 'other';
export function taskPhase(t: Pick<ClusterTask, 'desiredState' | 'state'>): TaskPhase {
  if (t.state === 'running') return t.desiredState === 'running' ? 'running' : 'stopping';
  if (['failed', 'rejected', 'orphaned'].includes(t.state)) return 'failed';
  if (LIVE_STATES.has(t.state)) return t.desiredState === 'running' ? 'starting' : 'stopping';
  return 'other';
}

export const TASK_GLYPH: Record<TaskPhase, string> = {
  running: '▶',
  starting: '◔',
  failed: '✖',
  stopping: '■',
  other: '·',
};
