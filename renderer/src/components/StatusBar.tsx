/** Bottom bar: back-end connection state, round trip, the doctor's one-line summary, version. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../electron/common/contracts/app.js';
import { overallStatus, summarize } from '../../../electron/common/doctor.js';
import type { DoctorState } from '../hooks.js';
import type { ConnectionState } from '../rpc.js';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function connectionText(c: ConnectionState, now: number): string {
  switch (c.status) {
    case 'connecting':
      return 'Connecting to the back end…';
    case 'connected':
      return 'Connected';
    case 'reconnecting': {
      const s = Math.max(0, Math.ceil((c.retryAt - now) / 1000));
      return `Connection lost (${c.reason}); retrying${s > 0 ? ` in ${s} s` : '…'}`;
    }
    case 'unauthorised':
      return 'Not authorised: open the link that "swarm-lab serve" printed';
  }
}

export function StatusBar(props: {
  connection: ConnectionState;
  latency?: number;
  doctor: DoctorState;
  info?: AppInfo;
  onOpenDoctor(): void;
}) {
  const { connection, latency, doctor, info } = props;
  const now = useNow(connection.status === 'reconnecting');
  const status = doctor.report ? overallStatus(doctor.report.checks) : undefined;
  return (
    <footer className="status-bar" role="status">
      <span className={`conn conn-${connection.status}`} data-testid="connection">
        <span className="dot" aria-hidden="true" />
        {connectionText(connection, now)}
        {connection.status === 'connected' && latency !== undefined && <span className="muted"> · {latency} ms</span>}
      </span>
      <button type="button" className={`doctor-summary verdict-${status ?? 'none'}`} onClick={props.onOpenDoctor} data-testid="doctor-summary">
        {doctor.running && !doctor.report ? 'Checking the Docker engine…' : doctor.report ? summarize(doctor.report) : 'Doctor not run yet'}
      </button>
      <span className="spacer" />
      {info && (
        <span className="muted">
          Swarm Lab {info.version} · {info.mode === 'web' ? 'web mode' : 'desktop'}
        </span>
      )}
    </footer>
  );
}
