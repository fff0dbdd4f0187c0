/** React bindings for the back-end connection, the doctor and the theme. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { AppInfo } from '../../electron/common/contracts/app.js';
import type { DoctorCheck, DoctorReport } from '../../electron/common/doctor.js';
import { connectionState, onConnectionState, rpc, type ConnectionState } from './rpc.js';

export function useConnection(): ConnectionState {
  return useSyncExternalStore(onConnectionState, connectionState);
}

const isConnected = (s: ConnectionState): boolean => s.status === 'connected';

export function useAppInfo(): AppInfo | undefined {
  const connection = useConnection();
  const [info, setInfo] = useState<AppInfo>();
  useEffect(() => {
    if (!isConnected(connection)) return;
    rpc.app.info({}).then(setInfo, () => undefined);
  }, [connection]);
  return info;
}

/** Round-trip time to the back end, refreshed every few seconds while connected. */
export function useLatency(): number | undefined {
  const connection = useConnection();
  const [ms, setMs] = useState<number>();
  useEffect(() => {
    if (!isConnected(connection)) {
      setMs(undefined);
      return;
    }
    let live = true;
    const tick = (): void => {
      const t0 = performance.now();
      rpc.app.ping({ sentAt: Date.now() }, { timeoutMs: 4000 }).then(
        () => live && setMs(Math.round(performance.now() - t0)),
        () => live && setMs(undefined),
      );
    };
    tick();
    const timer = setInterval(tick, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [connection]);
  return ms;
}

export interface DoctorState {
  report?: DoctorReport;
  /** Checks of the run in progress, as they complete. */
  partial: DoctorCheck[];
  running: boolean;
  error?: string;
  rerun(): void;
}

export function useDoctor(): DoctorState {
  const connection = useConnection();
  const [report, setReport] = useState<DoctorReport>();
  const [partial, setPartial] = useState<DoctorCheck[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();

  const run = useCallback((fresh: boolean) => {
    setRunning(true);
    setPartial([]);
    setError(undefined);
    rpc.doctor
      .run({ fresh }, { onProgress: (c) => setPartial((p) => [...p, c]) })
      .then(setReport, (e: Error) => setError(e.message))
      .finally(() => setRunning(false));
  }, []);

  useEffect(() => {
    if (!isConnected(connection)) return;
    const sub = rpc.doctor.onReport({}, setReport);
    run(false);
    return () => sub.dispose();
  }, [connection, run]);

  return { report, partial, running, error, rerun: () => run(true) };
}

export type ThemeChoice = 'system' | 'light' | 'dark';
const THEME_KEY = 'swarm-lab.theme';

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => {
    const saved = localStorage.getItem(THEME_KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      const dark = choice === 'dark' || (choice === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [choice]);
  const set = (t: ThemeChoice): void => {
    if (t === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, t);
    setChoice(t);
  };
  return [choice, set];
}
