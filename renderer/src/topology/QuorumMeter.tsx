/**
 * The managers' quorum at a glance: one pip per manager (filled = reachable), the line quorum
 * needs, and the words "3/3 reachable · needs 2 · tolerates 1 failure". Lost quorum is an alert
 * in the fail colour with a ⚠ glyph (never colour alone). `large` for presenter mode.
 */
import type { ClusterState, Quorum } from '../../../electron/common/cluster.js';
import './topology.css';

export interface QuorumMeterProps {
  quorum: Quorum;
  health?: ClusterState['health'];
  large?: boolean;
}

export function quorumText(q: Quorum): string {
  if (q.managers === 0) return 'No managers';
  const tol = `tolerates ${q.tolerates} failure${q.tolerates === 1 ? '' : 's'}`;
  return `${q.reachable}/${q.managers} managers reachable · needs ${q.needed} · ${q.lost ? 'QUORUM LOST' : tol}`;
}

export function QuorumMeter({ quorum: q, health = 'ok', large }: QuorumMeterProps) {
  const lost = q.lost || health === 'noLeader';
  // At risk: quorum holds but one more failure loses it.
  const risk = !lost && q.managers > 0 && q.reachable - 1 < q.needed;
  const tone = lost ? 'lost' : risk ? 'risk' : 'ok';
  const pips = Array.from({ length: q.managers }, (_, i) => i < q.reachable);
  return (
    <div className={`topo-quorum ${tone}${large ? ' large' : ''}`} data-testid="quorum-meter" data-state={tone}>
      <div
        className="topo-quorum-bar"
        role="meter"
        aria-label="Reachable managers"
        aria-valuemin={0}
        aria-valuemax={q.managers}
        aria-valuenow={q.reachable}
        aria-valuetext={quorumText(q)}
      >
        {pips.map((up, i) => (
          <span key={i} className={`pip ${up ? 'up' : 'down'}${i + 1 === q.needed ? ' needed' : ''}`} aria-hidden="true" />
        ))}
      </div>
      <span className="topo-quorum-text" role={lost ? 'alert' : undefined}>
        {lost ? '⚠ ' : risk ? '◐ ' : q.managers ? '✔ ' : ''}
        {quorumText(q)}
        {health === 'noLeader' && !q.lost ? ' · no leader' : ''}
      </span>
    </div>
  );
}
