/**
 * The managers of a practice lab, for the cluster watcher: every manager container that is not
 * stopped, each reached through its own dial-stdio connection. The list is re-read every few
 * seconds, and at once after a round in which every manager failed.
 *
 * Hints: while the watcher runs, the log of every running manager container is followed through
 * the host's engine (no process in the node), and a raft line saying a leader was elected is passed
 * on, so the watcher asks again at once instead of waiting out the requests that hang during an
 * election.
 */
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { LabEngine } from '../lab/engine.js';
import { agentEngineApi, type EngineApi } from './engine-api.js';
import type { ManagerSource } from './watcher.js';

/** What a daemon in a node logs when its swarm has a new leader ("… elected leader … at term 3"). */
export const LEADER_ELECTED = /\b(?:elected leader|became leader)\b/;

/** Calls `onLine` for each whole line of the text written to it, however it is cut. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  const decoder = new StringDecoder('utf8');
  return (chunk) => {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const lines = text.split('\n');
    rest = lines.pop()!.slice(-4096);
    for (const line of lines) onLine(line);
  };
}

export function labManagerSource(engine: LabEngine, lab: string, cacheMs = 3000): ManagerSource {
  let cached: { at: number; key: string; apis: EngineApi[] } | undefined;
  const apis = new Map<string, EngineApi>();
  /** Followed logs, by container; present only while the watcher takes hints. */
  let follows: Map<string, () => void> | undefined;
  let onHint: (() => void) | undefined;

  const follow = (container: string): void => {
    let stream: { destroy(): void } | undefined;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      stream?.destroy();
    };
    follows!.set(container, stop);
    // Ended (the node stopped): the next list of managers follows it again once it runs.
    const forget = (): void => {
      if (follows?.get(container) === stop) follows.delete(container);
    };
    // One line splitter per stream: a node's log is framed as stdout and stderr.
    const sink = (): Writable => {
      const split = lineSplitter((line) => {
        if (LEADER_ELECTED.test(line)) onHint?.();
      });
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          split(chunk);
          done();
        },
      });
    };
    engine.docker
      .getContainer(container)
      .logs({ follow: true, stdout: true, stderr: true, since: Math.floor(Date.now() / 1000) })
      .then((logs) => {
        stream = logs as unknown as { destroy(): void };
        if (stopped) return stream.destroy();
        engine.docker.modem.demuxStream(logs, sink(), sink());
        logs.on('end', forget);
        logs.on('error', forget);
      }, forget);
  };

  return {
    async managers(known) {
      const key = known.join(',');
      if (cached && cached.key === key && Date.now() - cached.at < cacheMs) return cached.apis;
      const summary = await engine.inspect(lab);
      // The swarm's own view of who is a manager wins (promotions); the role label is the start.
      const isManager = (name: string, role: string): boolean => (known.length ? known.includes(name) : role === 'manager');
      const candidates = summary.nodes.filter((n) => n.status !== 'stopped' && isManager(n.name, n.role));
      const list = candidates.map((n) => {
        const agent = engine.innerAgent(n.container);
        let api = apis.get(n.name);
        if (!api || (api as EngineApi & { agent?: unknown }).agent !== agent) {
          api = Object.assign(agentEngineApi(n.name, agent), { agent });
          apis.set(n.name, api);
        }
        return api;
      });
      if (follows) for (const n of candidates) if (n.status === 'running' && !follows.has(n.container)) follow(n.container);
      cached = { at: Date.now(), key, apis: list };
      return list;
    },
    hints(listener) {
      onHint = listener;
      follows = new Map();
      cached = undefined; // the next round starts the follows
      return () => {
        for (const stop of follows?.values() ?? []) stop();
        follows = undefined;
        onHint = undefined;
      };
    },
  };
}
