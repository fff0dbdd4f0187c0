/** Relative times for the timeline strip: "now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function relativeTime(at: number, now: number): string {
  const s = Math.floor((now - at) / 1000);
  if (s < 2) return 'now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** The latest `limit` entries, newest first (by time, then by order given). */
export function latest<T extends { at: number }>(entries: readonly T[], limit: number): T[] {
  return entries
    .map((e, i) => [e, i] as const)
    .sort((a, b) => b[0].at - a[0].at || b[1] - a[1])
    .slice(0, Math.max(0, limit))
    .map(([e]) => e);
}
