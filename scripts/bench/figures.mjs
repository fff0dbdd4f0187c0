// Small helpers the benchmark scripts share: rounding, percentiles, and the CPU time a run used.
import { readFileSync } from 'node:fs';

export const MIB = 1024 * 1024;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : NaN;
};
export const median = (xs) => pct(xs, 0.5);
export const summary = (xs) => (xs.length ? { p50: round(pct(xs, 0.5)), p95: round(pct(xs, 0.95)), max: round(Math.max(...xs)), n: xs.length } : { n: 0 });

/** The machine's cores, from /proc/stat. */
export const CORES = readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d/.test(l)).length;
/** CPU seconds a process has used (user + system), from /proc. */
export const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** The whole machine's CPU time so far, busy and in all, in seconds (the first line of /proc/stat). */
export const machineCpu = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: total - (f[3] + f[4]) / 100, total };
};
/** Starts a count of the machine's busy CPU time; its `stop()` gives the cores kept busy on average (2.0: both of two). */
export const coresBusy = () => {
  const a = machineCpu();
  return { stop: () => { const b = machineCpu(); return b.total > a.total ? ((b.busy - a.busy) / (b.total - a.total)) * CORES : NaN; } };
};
