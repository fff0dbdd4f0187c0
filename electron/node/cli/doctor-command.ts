/** `swarm-lab doctor [--json]`: prints the doctor's report; exits 1 when a check failed. */
import type { DoctorCheck, DoctorReport } from '../../common/doctor.js';
import { overallStatus, summarize } from '../../common/doctor.js';
import { runDoctor } from '../doctor/doctor.js';

const MARK: Record<DoctorCheck['status'], string> = { ok: '✔', warn: '!', fail: '✖', skip: '–' };

export function formatReport(report: DoctorReport): string {
  const lines = [`Swarm Lab doctor — ${summarize(report)}`, ''];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.title.padEnd(24)} ${c.summary}`);
    if (c.advice && c.status !== 'ok') lines.push(`  ${' '.repeat(24)} → ${c.advice}`);
  }
  lines.push('', `Checked in ${report.durationMs} ms.`);
  return lines.join('\n');
}

export async function doctorCommand(opts: { json?: boolean }): Promise<void> {
  const report = await runDoctor();
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  process.exitCode = overallStatus(report.checks) === 'fail' ? 1 : 0;
}
