/**
 * The back end behind every window: one RPC server with the handlers of every feature. Electron's
 * MessagePort, the web server's WebSockets and tests' in-memory pipes all connect to it.
 */
import type { AppContract, AppInfo } from '../../common/contracts/app.js';
import { appContract } from '../../common/contracts/app.js';
import type { DoctorReport, PrivilegeMode } from '../../common/doctor.js';
import { createRpcServer, type Handlers, type RpcServer } from '../../common/rpc/server.js';
import { runDoctor, type DoctorDeps } from '../doctor/doctor.js';
import { appVersion } from '../version.js';

export interface BackEndOptions {
  mode: AppInfo['mode'];
  doctorDeps?: DoctorDeps;
  maxMessageBytes?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface BackEnd {
  readonly server: RpcServer;
  readonly info: AppInfo;
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
  };

  const server = createRpcServer(appContract, handlers, { maxMessageBytes: options.maxMessageBytes, log: options.log });
  return {
    server,
    info,
    dispose: () => reportListeners.clear(),
  };
}
