import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ContextMenu } from './ContextMenu.js';
import { Outline } from './Outline.js';
import { QuorumMeter, quorumText } from './QuorumMeter.js';
import { TimelineStrip } from './TimelineStrip.js';
import { latest, relativeTime } from './time.js';
import { makeState, manager, node, service, task } from './testState.js';

const noop = () => {};
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('Outline (static render)', () => {
  const state = makeState({
    nodes: [manager('m1', { leader: true }), node('w1')],
    services: [service('web')],
    tasks: [task('t1', 'web', 'w1')],
  });
  const html = renderToStaticMarkup(<Outline lab="lab" state={state} selected="node:w1" onSelect={noop} onContextMenu={noop} />);
  it('is a tree of treeitems with levels, expansion and selection', () => {
    expect(html).toContain('role="tree"');
    expect(html).toContain('aria-label="Outline of lab"');
    // groups + 2 nodes + 1 service; node and service children start collapsed (effects reveal a selection after mount)
    expect(count(html, /role="treeitem"/g)).toBe(5);
    expect(html).toMatch(/data-id="group:nodes"[^>]*aria-level="1"[^>]*aria-expanded="true"/);
    expect(html).toMatch(/data-id="node:w1"[^>]*aria-level="2"[^>]*aria-expanded="false"[^>]*aria-selected="true"/);
    expect(html).toMatch(/data-id="node:m1"[^>]*aria-selected="false"/);
    expect(html).not.toMatch(/data-id="node:m1"[^>]*aria-expanded/); // no tasks: a leaf
    expect(html).toContain('★ m1 — ✔ ready · manager (leader)');
    expect(html).toContain('web — 1/1 running · replicated');
  });
  it('has exactly one tabbable item', () => {
    expect(count(html, /tabindex="0"/gi)).toBe(1);
  });
});

describe('ContextMenu (static render)', () => {
  const html = renderToStaticMarkup(
    <ContextMenu
      x={10}
      y={20}
      label="Actions for w1"
      onClose={noop}
      items={[
        { label: 'Drain', onSelect: noop },
        { label: 'Kill', onSelect: noop, danger: true },
        { label: 'Open terminal', onSelect: noop, disabled: true, description: 'w1 is down' },
      ]}
    />,
  );
  it('is a menu of menuitems', () => {
    expect(html).toContain('role="menu"');
    expect(html).toContain('aria-label="Actions for w1"');
    expect(count(html, /role="menuitem"/g)).toBe(3);
    expect(html).toMatch(/class="danger"[^>]*>Kill/);
    expect(html).toMatch(/aria-disabled="true"[^>]*title="w1 is down"/);
    expect(html).toContain('left:10px;top:20px');
  });
});

describe('QuorumMeter', () => {
  const cases: [string, Parameters<typeof QuorumMeter>[0], string, RegExp][] = [
    ['healthy', { quorum: { managers: 3, reachable: 3, needed: 2, tolerates: 1, lost: false } }, 'ok', /3\/3 managers reachable · needs 2 · tolerates 1 failure/],
    ['at risk', { quorum: { managers: 3, reachable: 2, needed: 2, tolerates: 1, lost: false } }, 'risk', /2\/3 managers reachable/],
    ['lost', { quorum: { managers: 3, reachable: 1, needed: 2, tolerates: 1, lost: true } }, 'lost', /role="alert">⚠ 1\/3 managers reachable · needs 2 · QUORUM LOST/],
    ['no leader', { quorum: { managers: 3, reachable: 3, needed: 2, tolerates: 1, lost: false }, health: 'noLeader' }, 'lost', /no leader/],
    ['single manager', { quorum: { managers: 1, reachable: 1, needed: 1, tolerates: 0, lost: false } }, 'risk', /tolerates 0 failures/],
    ['no managers', { quorum: { managers: 0, reachable: 0, needed: 1, tolerates: 0, lost: false } }, 'ok', /No managers/],
  ];
  for (const [name, props, tone, text] of cases) {
    it(name, () => {
      const html = renderToStaticMarkup(<QuorumMeter {...props} />);
      expect(html).toContain(`data-state="${tone}"`);
      expect(html).toMatch(text);
      expect(html).toContain('role="meter"');
      expect(count(html, /class="pip/g)).toBe(props.quorum.managers);
    });
  }
  it('large variant', () => {
    expect(renderToStaticMarkup(<QuorumMeter quorum={{ managers: 1, reachable: 1, needed: 1, tolerates: 0, lost: false }} large />)).toContain('large');
    expect(quorumText({ managers: 5, reachable: 5, needed: 3, tolerates: 2, lost: false })).toBe('5/5 managers reachable · needs 3 · tolerates 2 failures');
  });
});

describe('TimelineStrip and times', () => {
  it('relative times', () => {
    const cases: [number, string][] = [
      [0, 'now'],
      [1500, 'now'],
      [12_000, '12 s ago'],
      [60_000, '1 min ago'],
      [3_599_000, '59 min ago'],
      [7_200_000, '2 h ago'],
      [3 * 86_400_000, '3 d ago'],
    ];
    for (const [ago, text] of cases) expect(relativeTime(1_000_000_000 - ago, 1_000_000_000)).toBe(text);
  });
  it('latest: newest first, bounded, stable for equal times', () => {
    const e = [
      { at: 1, text: 'a' },
      { at: 3, text: 'b' },
      { at: 3, text: 'c' },
      { at: 2, text: 'd' },
    ];
    expect(latest(e, 3).map((x) => x.text)).toEqual(['c', 'b', 'd']);
    expect(latest(e, 0)).toEqual([]);
  });
  it('renders newest first with aria-live', () => {
    const html = renderToStaticMarkup(
      <TimelineStrip now={100_000} limit={2} entries={[{ at: 40_000, text: 'worker1 is down' }, { at: 90_000, text: 'manager2 is now the leader' }, { at: 10_000, text: 'old' }]} />,
    );
    expect(html).toContain('aria-live="polite"');
    expect(html.indexOf('manager2 is now the leader')).toBeLessThan(html.indexOf('worker1 is down'));
    expect(html).toContain('10 s ago');
    expect(html).toContain('1 min ago');
    expect(html).not.toContain('old');
  });
  it('says when empty', () => {
    expect(renderToStaticMarkup(<TimelineStrip now={0} entries={[]} />)).toContain('No changes yet.');
  });
});
