/**
 * The back end behind every window: one RPC server with the handlers of every feature. Electron's
 * MessagePort, the web server's WebSockets and tests' in-memory pipes all connect to it.
 */
import { Timeline } from '../../common/cluster.js';
import type { TerminalBatch } from '../../common/terminal.js';
import type { AppContract, AppInfo } from '../../common/contracts/app.js';
import { appContract } from '../../common/contracts/app.js';
import type { DoctorReport, PrivilegeMode } from '../../common/doctor.js';
import { createRpcServer, type Handlers, type RpcServer } from '../../common/rpc/server.js';
import { runDoctor, type DoctorDeps } from '../doctor/doctor.js';
import { ClusterHub } from '../cluster/hub.js';
import { forceUpdateService, logs, removeService, scaleService } from '../cluster/services.js';
import { createTerminalHandlers } from '../terminals/handlers.js';
import { TerminalManager } from '../terminals/manager.js';
import type { LabEngine } from '../lab/engine.js';
import { createLabEngine } from '../lab/index.js';
import { appVersion } from '../version.js';

export interface BackEndOptions {
  mode: AppInfo['mode'];
  doctorDeps?: DoctorDeps;
  /** The lab engine; created for the app's Docker endpoint on first use when absent. */
  labEngine?: LabEngine;
  maxMessageBytes?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface BackEnd {
  readonly server: RpcServer;
  readonly info: AppInfo;
  /**
   * Subscribes `consumer` (web mode's output stream: a negative key, which its acks name) to a terminal
   * session's output, as `terminal.onData` does; throws TERMINAL_NOT_FOUND. Returns the detach.
   */
  attachTerminal(id: string, consumer: number, emit: (batch: TerminalBatch) => void, end: () => void): () => void;
  dispose(): void;
}

export function createBackEnd(options: BackEndOptions): BackEnd {
  const info: AppInfo = {
    name: 'Swarm Lab',
    version: appVersion,
    mode: options.mode,
    platform: `${process.platform}-${process.arch}`,
    node: process.versions.node,
    startedAt: Date.now(),
  };

  const privilegeCache = new Map<string, PrivilegeMode>();
  const reportListeners = new Set<(r: DoctorReport) => void>();
  let latest: DoctorReport | undefined;
  let running: Promise<DoctorReport> | undefined;

  let engine = options.labEngine;
  const labs = (): LabEngine => (engine ??= createLabEngine());
  const ownsEngine = !options.labEngine;
  const clusters = new ClusterHub(labs);
  const terminals = new TerminalManager({ engine: labs });

  const handlers: Handlers<AppContract> = {
    app: {
      info: () => info,
      ping: ({ sentAt }) => ({ sentAt, serverTime: Date.now() }),
    },
    doctor: {
      run: async ({ fresh }, ctx) => {
        if (!fresh && latest && Date.now() - latest.checkedAt < 10_000) return latest;
        if (fresh) privilegeCache.clear();
        // Concurrent callers share one run; the caller that started it receives the progress.
        running ??= runDoctor({ privilegeCache, onCheck: (c) => ctx.progress(c) }, options.doctorDeps).finally(() => {
          running = undefined;
        });
        const report = await running;
        latest = report;
        for (const l of reportListeners) l(report);
        return report;
      },
      onReport: (_params, emit) => {
        if (latest) emit(latest);
        reportListeners.add(emit);
        return () => reportListeners.delete(emit);
      },
    },
    lab: {
      list: () => labs().list(),
      inspect: ({ name }) => labs().inspect(name),
      create: (spec, ctx) => labs().create({ managers: 1, workers: 2, ...spec }, { signal: ctx.signal, onProgress: ctx.progress }),
      stop: ({ name }, ctx) => labs().stop(name, { signal: ctx.signal, onProgress: ctx.progress }),
      start: ({ name }, ctx) => labs().start(name, { signal: ctx.signal, onProgress: ctx.progress }),
      destroy: ({ name }, ctx) => labs().destroy(name, { signal: ctx.signal, onProgress: ctx.progress }),
      addNode: ({ name, role }, ctx) => labs().addNode(name, role, { signal: ctx.signal, onProgress: ctx.progress }),
      removeNode: ({ name, node }, ctx) => labs().removeNode(name, node, { signal: ctx.signal, onProgress: ctx.progress }),
      loadImages: ({ name, images }, ctx) => labs().loadImages(name, images, { signal: ctx.signal, onProgress: ctx.progress }),
      fault: async ({ name, node, action, netem }) => ({ message: await labs().fault(name, node, action, { netem }) }),
    },
    cluster: {
      state: async ({ name }) => {
        const { watcher, release } = await clusters.acquire(name);
        try {
          await watcher.refresh();
          return watcher.state;
        } finally {
          release();
        }
      },
      onChange: async ({ name }, emit) => {
        const { watcher, release } = await clusters.acquire(name);
        emit({ state: watcher.state, changes: [], entries: [], observedAt: watcher.state.observedAt });
        const off = watcher.onChange((changes, state, entries) => emit({ changes, entries, observedAt: state.observedAt }));
        return () => {
          off();
          release();
        };
      },
      scaleService: async ({ name, service, replicas }) => ({ message: await scaleService(labs(), name, service, replicas) }),
      forceUpdateService: async ({ name, service }) => ({ message: await forceUpdateService(labs(), name, service) }),
      removeService: async ({ name, service }) => ({ message: await removeService(labs(), name, service) }),
      logs: async ({ name, service, task, tail }) => ({ text: await logs(labs(), name, { service, task }, tail) }),
      timeline: async ({ name, sinceSeq }) => {
        // The timeline lives with the lab's watcher: while nothing watches the lab there is none to
        // report, and starting a watcher just to answer would only return an empty one.
        await labs().inspect(name); // LAB_NOT_FOUND for a lab that does not exist
        const watcher = clusters.peek(name);
        return watcher ? { capacity: watcher.timeline.capacity, entries: watcher.timeline.entries(sinceSeq) } : { capacity: new Timeline().capacity, entries: [] };
      },
    },
    terminal: createTerminalHandlers(terminals),
    images: {
      list: () => labs().images.list(),
      build: ({ names, force }, ctx) => labs().images.ensure(names, { force, signal: ctx.signal, onProgress: ctx.progress }),
    },
  };

  const server = createRpcServer(appContract, handlers, { maxMessageBytes: options.maxMessageBytes, log: options.log });
  return {
    server,
    info,
    attachTerminal: (id, consumer, emit, end) => terminals.get(id).attach(consumer, emit, end),
    dispose: () => {
      reportListeners.clear();
      clusters.dispose();
      terminals.dispose();
      if (ownsEngine) engine?.dispose();
    },
  };
}
