/**
 * The managers of a practice lab, for the cluster watcher: every manager container that is not
 * stopped, each reached through its own dial-stdio connection. The list is re-read every few
 * seconds, and at once after a round in which every manager failed.
 */
import type { LabEngine } from '../lab/engine.js';
import { agentEngineApi, type EngineApi } from './engine-api.js';
import type { ManagerSource } from './watcher.js';

export function labManagerSource(engine: LabEngine, lab: string, cacheMs = 3000): ManagerSource {
  let cached: { at: number; key: string; apis: EngineApi[] } | undefined;
  const apis = new Map<string, EngineApi>();
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
      cached = { at: Date.now(), key, apis: list };
      return list;
    },
  };
}
