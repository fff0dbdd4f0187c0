/**
 * The latest `limit` timeline entries `{at, text}`, newest first, each with a relative time
 * ("12 s ago", refreshed every few seconds) and the exact time as a tooltip. The list is
 * aria-live="polite" so screen readers hear new entries. `large` for presenter mode.
 */
import { useEffect, useState } from 'react';
import { latest, relativeTime } from './time.js';
import './topology.css';

export interface TimelineStripEntry {
  at: number;
  text: string;
  seq?: number;
}

export interface TimelineStripProps {
  entries: readonly TimelineStripEntry[];
  limit?: number;
  large?: boolean;
  /** For tests and snapshots; otherwise the clock, ticking. */
  now?: number;
}

export function TimelineStrip({ entries, limit = 8, large, now }: TimelineStripProps) {
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    if (now !== undefined) return;
    const t = setInterval(() => setClock(Date.now()), 5000);
    return () => clearInterval(t);
  }, [now]);
  const at = now ?? clock;
  const shown = latest(entries, limit);
  return (
    <section className={`topo-timeline${large ? ' large' : ''}`} aria-label="Recent changes">
      <ol aria-live="polite" aria-relevant="additions" data-testid="timeline-strip">
        {shown.length === 0 && <li className="muted">No changes yet.</li>}
        {shown.map((e, i) => (
          <li key={e.seq ?? `${e.at}:${i}:${e.text}`}>
            <time dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toLocaleTimeString()}>
              {relativeTime(e.at, at)}
            </time>{' '}
            <span>{e.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
