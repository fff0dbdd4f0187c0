/**
 * Which actions apply to a graph/outline target, given the cluster state (pure). Returns
 * descriptors only; the caller executes them by id and must ask for confirmation when
 * `destructive` is set (`confirm` says why). Ids:
 *   node.terminal, node.drain | node.activate, node.promote | node.demote,
 *   node.pause | node.unpause, node.kill | node.start, node.disconnect | node.reconnect,
 *   service.scale, service.forceUpdate, service.logs, service.remove,
 *   task.shell, task.logs.
 * Fault actions (pause/kill/start/disconnect…) exist only for practice labs (`practice`, default
 * true). Swarm's node status cannot tell a paused container from a killed or partitioned one, so
 * without `runtime` a node that is not ready offers every way back (start, unpause, reconnect);
 * with `runtime` (the lab engine's view of the node's container) only the one that applies.
 */
import type { ClusterNode, ClusterState } from '../../../electron/common/cluster.js';
import type { MenuTarget } from './ids.js';

export type ActionId =
  | 'node.terminal'
  | 'node.drain'
  | 'node.activate'
  | 'node.promote'
  | 'node.demote'
  | 'node.pause'
  | 'node.unpause'
  | 'node.kill'
  | 'node.start'
  | 'node.disconnect'
  | 'node.reconnect'
  | 'service.scale'
  | 'service.forceUpdate'
  | 'service.logs'
  | 'service.remove'
  | 'task.shell'
  | 'task.logs';

export interface ActionDescriptor {
  id: ActionId;
  label: string;
  /** The caller confirms before running it. */
  destructive: boolean;
  /** What it will do, for a confirmation dialog: always set when destructive, sometimes as a note otherwise. */
  confirm?: string;
  disabled?: boolean;
  /** Why it is disabled. */
  reason?: string;
}

/** The lab engine's view of a node's container, when known. */
export type NodeRuntime = 'running' | 'paused' | 'stopped' | 'disconnected';

export interface ActionContext {
  /** A practice lab (faults available). Default true. */
  practice?: boolean;
  runtime?: (node: ClusterNode) => NodeRuntime | undefined;
}

const act = (id: ActionId, label: string, extra: Partial<ActionDescriptor> = {}): ActionDescriptor => ({ id, label, destructive: false, ...extra });

/** Whether losing this (reachable) manager loses quorum. */
function losesQuorum(state: ClusterState, n: ClusterNode): boolean {
  if (n.role !== 'manager' || n.reachability !== 'reachable') return false;
  return state.quorum.reachable - 1 < state.quorum.needed;
}

function nodeActions(state: ClusterState, n: ClusterNode, ctx: ActionContext): ActionDescriptor[] {
  const out: ActionDescriptor[] = [act('node.terminal', 'Open terminal', n.status === 'ready' ? {} : { disabled: true, reason: `${n.name} is ${n.status}` })];
  const tasksOn = state.tasks.filter((t) => t.nodeId === n.id && t.desiredState === 'running').length;
  if (n.availability === 'active') out.push(act('node.drain', 'Drain', tasksOn ? { confirm: `Moves ${tasksOn} task${tasksOn === 1 ? '' : 's'} off ${n.name}.` } : {}));
  else out.push(act('node.activate', 'Activate'));

  if (n.role === 'worker') out.push(act('node.promote', 'Promote to manager'));
  else {
    const managers = state.nodes.filter((x) => x.role === 'manager');
    if (managers.length <= 1) out.push(act('node.demote', 'Demote to worker', { destructive: true, disabled: true, reason: 'Swarm refuses to demote its last manager.' }));
    else {
      const after = managers.length - 1;
      const tolerated = Math.floor((after - 1) / 2);
      const lose = tolerated < state.quorum.tolerates || losesQuorum(state, n);
      out.push(
        act('node.demote', 'Demote to worker', lose ? { destructive: true, confirm: `Demoting ${n.name} leaves ${after} manager${after === 1 ? '' : 's'}, tolerating ${tolerated} failure${tolerated === 1 ? '' : 's'}.` } : {}),
      );
    }
  }

  if (ctx.practice === false) return out;
  const rt = ctx.runtime?.(n);
  const quorumNote = losesQuorum(state, n) ? ` ${n.name} is a manager: without it the swarm loses quorum.` : '';
  const up = rt ? rt === 'running' : n.status === 'ready';
  if (up) {
    out.push(act('node.pause', 'Pause', quorumNote ? { destructive: true, confirm: `Pausing freezes ${n.name}.${quorumNote}` } : {}));
    out.push(act('node.kill', 'Kill', { destructive: true, confirm: `Kill ${n.name}'s container; its tasks are rescheduled elsewhere.${quorumNote}` }));
    out.push(act('node.disconnect', 'Disconnect from network', { destructive: true, confirm: `Cut ${n.name} off the lab network (a partition).${quorumNote}` }));
  } else {
    if (!rt || rt === 'paused') out.push(act('node.unpause', 'Unpause'));
    if (!rt || rt === 'stopped') out.push(act('node.start', 'Start'));
    if (!rt || rt === 'disconnected') out.push(act('node.reconnect', 'Reconnect to network'));
  }
  return out;
}

/** The actions for a target; [] when the target is not in the state. */
export function actionsFor(target: MenuTarget, state: ClusterState, ctx: ActionContext = {}): ActionDescriptor[] {
  if (target.kind === 'node') {
    const n = state.nodes.find((x) => x.id === target.id);
    return n ? nodeActions(state, n, ctx) : [];
  }
  if (target.kind === 'service') {
    const s = state.services.find((x) => x.id === target.id);
    if (!s) return [];
    const scalable = s.mode === 'replicated' || s.mode === 'replicated-job';
    return [
      act('service.scale', 'Scale…', scalable ? {} : { disabled: true, reason: `${s.name} is a ${s.mode} service: one task per node.` }),
      act('service.forceUpdate', 'Force update'),
      act('service.logs', 'Logs'),
      act('service.remove', 'Remove', { destructive: true, confirm: `Remove service ${s.name} and its ${s.replicas.running} running task${s.replicas.running === 1 ? '' : 's'}.` }),
    ];
  }
  const t = state.tasks.find((x) => x.id === target.id);
  if (!t) return [];
  const canShell = t.state === 'running' && !!t.containerId && !!t.nodeId;
  return [
    act('task.shell', 'Open shell in container', canShell ? {} : { disabled: true, reason: `The task is ${t.state}${t.containerId ? '' : ' and has no container'}.` }),
    act('task.logs', 'Logs'),
  ];
}
