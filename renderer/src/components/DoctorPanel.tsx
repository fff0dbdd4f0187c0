/** The doctor's report: one row per check, with what a failure means and what to do. */
import type { DoctorCheck } from '../../../electron/common/doctor.js';
import { formatBytes, overallStatus } from '../../../electron/common/doctor.js';
import type { DoctorState } from '../hooks.js';

const LABEL: Record<DoctorCheck['status'], string> = { ok: 'OK', warn: 'Warning', fail: 'Problem', skip: 'Not checked' };

export function CheckRow({ check }: { check: DoctorCheck }) {
  return (
    <li className={`check check-${check.status}`} data-check={check.id}>
      <span className="check-badge" aria-label={LABEL[check.status]} title={LABEL[check.status]} />
      <div>
        <div className="check-title">{check.title}</div>
        <div className="check-summary">{check.summary}</div>
        {check.advice && check.status !== 'ok' && <div className="check-advice">{check.advice}</div>}
      </div>
    </li>
  );
}

export function DoctorPanel({ doctor }: { doctor: DoctorState }) {
  const { report, partial, running, error } = doctor;
  const checks = running ? partial : (report?.checks ?? []);
  const status = report ? overallStatus(report.checks) : undefined;
  return (
    <section className="panel doctor" aria-labelledby="doctor-title">
      <header className="panel-header">
        <h2 id="doctor-title">Doctor</h2>
        <button type="button" onClick={doctor.rerun} disabled={running} title="Run every check again (Ctrl+Shift+D)">
          {running ? 'Checking…' : 'Check again'}
        </button>
      </header>
      {error && <p className="error" role="alert">The doctor could not run: {error}</p>}
      {status && !running && (
        <p className={`doctor-verdict verdict-${status}`}>
          {status === 'ok'
            ? 'This engine is ready for practice swarms.'
            : status === 'warn'
              ? 'Practice swarms work here, with the limits below.'
              : 'Practice swarms cannot run until the problems below are fixed.'}
        </p>
      )}
      <ul className="checks" aria-busy={running}>
        {checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </ul>
      {report?.disk && !running && (
        <p className="muted small">
          Images live in {report.disk.path} ({formatBytes(report.disk.freeBytes)} free). Checked in {report.durationMs} ms.
        </p>
      )}
    </section>
  );
}
