/**
 * The centre of the window: the graph area (what the selected engine, lab or cluster holds) and the
 * terminal dock below it.
 */
import type { DoctorReport } from '../../../electron/common/doctor.js';

const YES_NO: Record<string, string> = { yes: 'available', no: 'not available', unknown: 'not checked' };

export function GraphArea({ report }: { report?: DoctorReport }) {
  if (!report) {
    return (
      <section className="graph-area empty" aria-label="Topology">
        <p className="muted">Waiting for the back end…</p>
      </section>
    );
  }
  if (!report.engine) {
    const engineCheck = report.checks.find((c) => c.id === 'engine' || c.id === 'endpoint');
    return (
      <section className="graph-area empty" aria-label="Topology">
        <h2>No Docker engine</h2>
        <p>{engineCheck?.advice ?? 'Swarm Lab could not reach a Docker engine.'}</p>
      </section>
    );
  }
  const e = report.engine;
  return (
    <section className="graph-area" aria-label="Topology">
      <h2>What practice swarms can do on this engine</h2>
      <dl className="facts" data-testid="engine-facts">
        <dt>Engine</dt>
        <dd data-testid="engine-version">Docker {e.version}</dd>
        <dt>Endpoint</dt>
        <dd>{report.endpoint.host}</dd>
        <dt>Host</dt>
        <dd>
          {e.operatingSystem} · {e.arch} · kernel {e.kernel} · cgroup v{e.cgroupVersion}
        </dd>
        <dt>Node privileges</dt>
        <dd>
          {report.privileges === 'privileged'
            ? '--privileged'
            : report.privileges === 'fallback'
              ? 'capability fallback (the host refuses --privileged)'
              : report.privileges === 'none'
                ? 'none: practice swarms cannot start'
                : 'not checked'}
        </dd>
        <dt>Routing mesh (IPVS)</dt>
        <dd>{YES_NO[report.kernel.ipvs]}</dd>
        <dt>NFS volumes</dt>
        <dd>{YES_NO[report.kernel.nfs]}</dd>
      </dl>
    </section>
  );
}
