/** React bindings for labs and for the live model of one lab's swarm. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { applyChanges, type ClusterState, type TimelineEntry } from '../../../electron/common/cluster.js';
import type { LabSummary } from '../../../electron/common/lab.js';
import { useConnection } from '../hooks.js';
import { rpc } from '../rpc.js';

export interface LabsState {
  labs: LabSummary[];
  error?: string;
  refresh(): void;
}

/** The labs on the engine, re-read every few seconds and after every change the UI makes. */
export function useLabs(): LabsState {
  const connection = useConnection();
  const [labs, setLabs] = useState<LabSummary[]>([]);
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => {
    rpc.lab.list({}).then(
      (l) => {
        setLabs(l);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(() => {
    if (connection.status !== 'connected') return;
    refresh();
    const t = setInterval(refresh, 5000);
    return () => clearInterval(t);
  }, [connection, refresh]);
  return { labs, error, refresh };
}

export interface ClusterView {
  state?: ClusterState;
  timeline: TimelineEntry[];
  error?: string;
}

/** The live model of a lab's swarm: a snapshot, then diffs applied as they arrive. */
export function useCluster(lab: string | undefined, keep = 200): ClusterView {
  const connection = useConnection();
  const [view, setView] = useState<ClusterView>({ timeline: [] });
  const stateRef = useRef<ClusterState | undefined>(undefined);
  useEffect(() => {
    stateRef.current = undefined;
    setView({ timeline: [] });
    if (!lab || connection.status !== 'connected') return;
    const sub = rpc.cluster.onChange(
      { name: lab },
      (p) => {
        const next = p.state ?? (stateRef.current ? applyChanges(stateRef.current, p.changes, p.observedAt) : undefined);
        stateRef.current = next;
        setView((v) => ({ state: next, timeline: [...p.entries.slice().reverse(), ...v.timeline].slice(0, keep) }));
      },
      { onEnd: (e) => e && setView((v) => ({ ...v, error: e.message })) },
    );
    rpc.cluster.timeline({ name: lab }).then(
      (t) => setView((v) => (v.timeline.length ? v : { ...v, timeline: t.entries.slice(-keep).reverse() })),
      () => undefined,
    );
    return () => sub.dispose();
  }, [lab, connection, keep]);
  return view;
}
