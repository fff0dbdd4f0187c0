/**
 * Shells inside a practice lab: `node` execs into the node container; `task` finds the task through
 * a running manager's API, the node that runs it and its container, then runs `docker exec -it` into
 * that container INSIDE the node container (a nested exec). When the stream ends the session says
 * why: the shell exited, the node stopped, or the task's container stopped.
 */
import type Docker from 'dockerode';
import type { LabNode } from '../../common/lab.js';
import type { TerminalTarget } from '../../common/terminal.js';
import type { LabEngine } from '../lab/engine.js';
import { LabError } from '../lab/errors.js';
import { killScript, openExecSource, PICK_SHELL, SESSION_ENV } from './docker-exec.js';
import { TerminalError } from './errors.js';
import { reconnectingNodeShell } from './reconnecting.js';
import type { TerminalExit, TerminalSource } from './session.js';

type Size = { cols: number; rows: number };
type NodeTarget = Extract<TerminalTarget, { kind: 'node' }>;
type TaskTarget = Extract<TerminalTarget, { kind: 'task' }>;

interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  DesiredState?: string;
  Status?: { State?: string; ContainerStatus?: { ContainerID?: string } };
}

async function labNode(engine: LabEngine, lab: string, node: string): Promise<LabNode> {
  const summary = await engine.inspect(lab);
  const n = summary.nodes.find((x) => x.name === node);
  if (!n) {
    throw new LabError('NODE_NOT_FOUND', `Lab "${lab}" has no node "${node}"; its nodes are ${summary.nodes.map((x) => x.name).join(', ') || 'none'}.`);
  }
  if (n.status !== 'running') {
    throw new TerminalError('NODE_NOT_RUNNING', `${node} of lab "${lab}" is ${n.status}, so no shell can be opened in it. Start it ("swarm-lab fault ${lab} ${node} start") and open the terminal again.`);
  }
  return n;
}

/** Whether a container of the outer engine is running: true, false, or 'gone'. */
async function containerRunning(docker: Docker, container: string): Promise<boolean | 'gone'> {
  try {
    const info = await docker.getContainer(container).inspect();
    // A container being removed may still report Running for a moment: it is gone all the same.
    if (info.State.Status === 'removing' || info.State.Dead) return 'gone';
    return info.State.Running && !info.State.Paused;
  } catch (e) {
    return (e as { statusCode?: number }).statusCode === 404 ? 'gone' : false;
  }
}

/**
 * The container's state once an exec in it ended with `code`. A shell killed by a signal (code null
 * or ≥ 128) may be the first sign of its container stopping, which the engine reports a moment
 * later: look again for up to about 2 s before calling it a plain exit.
 */
async function stateAfterExit(docker: Docker, container: string, code: number | null): Promise<boolean | 'gone'> {
  let state = await containerRunning(docker, container);
  for (let i = 0; state === true && (code === null || code >= 128) && i < 8; i++) {
    await new Promise((r) => setTimeout(r, 250));
    state = await containerRunning(docker, container);
  }
  return state;
}

function nodeEnded(node: string, state: false | 'gone'): TerminalExit {
  return state === 'gone'
    ? { code: null, message: `${node} was removed; the session ended.` }
    : { code: null, message: `${node} stopped; the session ended. Open a new terminal once it runs again.` };
}

export async function openNodeShell(engine: LabEngine, target: NodeTarget, id: string, size: Size): Promise<TerminalSource> {
  const n = await labNode(engine, target.lab, target.node);
  const open = (sz: Size): Promise<TerminalSource> =>
    openExecSource({
      docker: engine.docker,
      container: n.container,
      cmd: ['sh', '-c', PICK_SHELL],
      env: ['TERM=xterm-256color', `${SESSION_ENV}=${id}`],
      title: `${target.node} (${target.lab})`,
      size: sz,
      killCommands: [['sh', '-c', killScript(id)]],
      describeEnd: async (code) => {
        const running = await stateAfterExit(engine.docker, n.container, code);
        if (running !== true) return nodeEnded(target.node, running);
        return { code, message: code === null ? `The shell in ${target.node} ended.` : `The shell in ${target.node} exited with code ${code}.` };
      },
    });
  // A restart of the node (kill/start, stop/start, restart of the host's engine) reconnects the session.
  return reconnectingNodeShell(await open(size), size, { node: target.node, open, state: () => containerRunning(engine.docker, n.container) });
}

/** A running manager's inner Docker API. */
async function managerApi(engine: LabEngine, lab: string): Promise<{ nodes: LabNode[]; api: Docker }> {
  const summary = await engine.inspect(lab);
  const manager = summary.nodes.find((n) => n.role === 'manager' && n.status === 'running');
  if (!manager) {
    throw new TerminalError('NO_MANAGER', `Lab "${lab}" has no running manager to ask where the task runs. Start a manager and try again.`);
  }
  return { nodes: summary.nodes, api: engine.innerClient(manager.container) };
}

/** Finds a task by full ID, ID prefix, or `service.slot` (the running one when several match). */
async function findTask(api: Docker, lab: string, ref: string): Promise<{ task: SwarmTask; name: string }> {
  const [tasks, services] = (await Promise.all([api.listTasks(), api.listServices()])) as [SwarmTask[], { ID: string; Spec?: { Name?: string } }[]];
  const serviceName = new Map(services.map((s) => [s.ID, s.Spec?.Name ?? s.ID.slice(0, 12)]));
  const nameOf = (t: SwarmTask): string => `${serviceName.get(t.ServiceID) ?? t.ServiceID.slice(0, 12)}.${t.Slot ?? t.NodeID?.slice(0, 12) ?? '?'}`;
  let matches = tasks.filter((t) => t.ID === ref);
  if (!matches.length) matches = tasks.filter((t) => t.ID.startsWith(ref) || nameOf(t) === ref);
  const running = matches.filter((t) => t.Status?.State === 'running');
  if (running.length > 1) {
    throw new TerminalError('TASK_NOT_FOUND', `"${ref}" matches ${running.length} running tasks in lab "${lab}" (${running.map((t) => t.ID.slice(0, 12)).join(', ')}); use a longer task ID.`);
  }
  const task = running[0] ?? matches[0];
  if (!task) throw new TerminalError('TASK_NOT_FOUND', `Lab "${lab}" has no task "${ref}". "docker service ps SERVICE" on a manager lists the tasks.`);
  return { task, name: nameOf(task) };
}

export async function openTaskShell(engine: LabEngine, target: TaskTarget, id: string, size: Size): Promise<TerminalSource> {
  const { nodes, api } = await managerApi(engine, target.lab);
  const { task, name } = await findTask(api, target.lab, target.taskId);
  const cid = task.Status?.ContainerStatus?.ContainerID;
  const state = task.Status?.State ?? 'unknown';
  if (state !== 'running' || !cid || !task.NodeID) {
    throw new TerminalError('TASK_NOT_RUNNING', `Task ${name} (${task.ID.slice(0, 12)}) is ${state}, so it has no container to open a shell in. Open a terminal on a running task of the service.`);
  }
  const swarmNode = (await api.getNode(task.NodeID).inspect()) as { Description?: { Hostname?: string } };
  const hostname = swarmNode.Description?.Hostname ?? '';
  const node = nodes.find((n) => n.name === hostname);
  if (!node) throw new TerminalError('TASK_NOT_FOUND', `Task ${name} runs on "${hostname}", which is not a node of lab "${target.lab}".`);
  if (node.status !== 'running') {
    throw new TerminalError('NODE_NOT_RUNNING', `Task ${name} runs on ${node.name}, which is ${node.status}. Start it and open the terminal again.`);
  }
  const inner = engine.innerClient(node.container);
  return openExecSource({
    docker: engine.docker,
    container: node.container,
    cmd: ['docker', 'exec', '-it', '-e', 'TERM=xterm-256color', '-e', `${SESSION_ENV}=${id}`, cid, 'sh', '-c', PICK_SHELL],
    env: ['TERM=xterm-256color', `${SESSION_ENV}=${id}`],
    title: `${name} on ${node.name} (${target.lab})`,
    size,
    killCommands: [
      ['docker', 'exec', cid, 'sh', '-c', killScript(id)],
      ['sh', '-c', killScript(id)],
    ],
    describeEnd: async (code) => {
      const nodeState = await stateAfterExit(engine.docker, node.container, code);
      if (nodeState !== true) return nodeEnded(node.name, nodeState);
      const taskState = await inner.getContainer(cid).inspect().then(
        (c) => c.State.Running,
        () => false,
      );
      if (!taskState) return { code: null, message: `The container of task ${name} stopped; the session ended.` };
      return { code, message: code === null ? `The shell in task ${name} ended.` : `The shell in task ${name} exited with code ${code}.` };
    },
  });
}
