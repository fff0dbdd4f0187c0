import { describe, expect, it } from 'vitest';
import { buildTree, pathTo, treeKey, visibleItems } from './outlineModel.js';
import { makeState, manager, node, service, task } from './testState.js';

const state = makeState({
  nodes: [manager('m1', { leader: true }), node('w1', { status: 'down' })],
  services: [service('web', { replicas: { desired: 2, running: 1 } })],
  tasks: [task('t1', 'web', 'm1'), task('t2', 'web', 'w1', { slot: 2, state: 'starting' }), task('old', 'web', 'w1', { state: 'shutdown', desiredState: 'shutdown' })],
});
const tree = buildTree(state);

describe('buildTree', () => {
  it('has Nodes and Services groups with the same ids as the graph', () => {
    expect(tree.map((t) => [t.id, t.label])).toEqual([
      ['group:nodes', 'Nodes (2)'],
      ['group:services', 'Services (1)'],
    ]);
    const [m1, w1] = tree[0]!.children!;
    expect(m1!.id).toBe('node:m1');
    expect(m1!.label).toBe('★ m1 — ✔ ready · manager (leader) · 1 task');
    expect(m1!.menu).toEqual({ kind: 'node', id: 'm1' });
    expect(w1!.label).toContain('✖ down');
    expect(w1!.children!.map((c) => c.id)).toEqual(['task:t2']); // history left out
    const web = tree[1]!.children![0]!;
    expect(web.id).toBe('service:web');
    expect(web.label).toBe('web — 1/2 running · replicated');
    expect(web.children!.map((c) => [c.id, c.label, c.level])).toEqual([
      ['task:t1', '▶ web.1 on m1 — running', 3],
      ['task:t2', '◔ web.2 on w1 — starting', 3],
    ]);
  });
  it('keys are unique even though tasks appear twice', () => {
    const keys: string[] = [];
    const walk = (items: typeof tree) => items.forEach((i) => (keys.push(i.key), i.children && walk(i.children)));
    walk(tree);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('visibleItems / pathTo', () => {
  it('shows children of expanded items only, with positions', () => {
    const flat = visibleItems(tree, new Set(['nodes']));
    expect(flat.map((f) => f.item.key)).toEqual(['nodes', 'nodes/node:m1', 'nodes/node:w1', 'services']);
    expect(flat[2]).toMatchObject({ parentKey: 'nodes', pos: 2, size: 2 });
  });
  it('finds the first path to an id', () => {
    expect(pathTo(tree, 'task:t2')).toEqual({ key: 'nodes/node:w1/task:t2', ancestors: ['nodes', 'nodes/node:w1'] });
    expect(pathTo(tree, 'service:web')).toEqual({ key: 'services/service:web', ancestors: ['services'] });
    expect(pathTo(tree, 'node:nope')).toBeUndefined();
  });
});

describe('treeKey (WAI-ARIA tree pattern)', () => {
  const expanded = new Set(['nodes', 'nodes/node:m1']);
  const flat = visibleItems(tree, expanded);
  // nodes, node:m1, m1/task:t1, node:w1, services
  const cases: [string, { key: string; shiftKey?: boolean }, string, object | undefined][] = [
    ['down moves to next', { key: 'ArrowDown' }, 'nodes', { focus: 'nodes/node:m1' }],
    ['down stops at the end', { key: 'ArrowDown' }, 'services', { focus: 'services' }],
    ['up moves to previous', { key: 'ArrowUp' }, 'nodes/node:w1', { focus: 'nodes/node:m1/task:t1' }],
    ['up stops at the top', { key: 'ArrowUp' }, 'nodes', { focus: 'nodes' }],
    ['home', { key: 'Home' }, 'nodes/node:w1', { focus: 'nodes' }],
    ['end', { key: 'End' }, 'nodes', { focus: 'services' }],
    ['right on collapsed parent expands', { key: 'ArrowRight' }, 'nodes/node:w1', { expand: 'nodes/node:w1' }],
    ['right on expanded parent goes to first child', { key: 'ArrowRight' }, 'nodes/node:m1', { focus: 'nodes/node:m1/task:t1' }],
    ['right on a leaf does nothing', { key: 'ArrowRight' }, 'nodes/node:m1/task:t1', {}],
    ['left on expanded parent collapses', { key: 'ArrowLeft' }, 'nodes/node:m1', { collapse: 'nodes/node:m1' }],
    ['left on a child goes to its parent', { key: 'ArrowLeft' }, 'nodes/node:m1/task:t1', { focus: 'nodes/node:m1' }],
    ['left on a collapsed root does nothing', { key: 'ArrowLeft' }, 'services', {}],
    ['enter selects', { key: 'Enter' }, 'nodes/node:m1', { select: true }],
    ['space selects', { key: ' ' }, 'nodes/node:m1', { select: true }],
    ['shift+F10 opens the menu', { key: 'F10', shiftKey: true }, 'nodes/node:m1', { menu: true }],
    ['F10 alone is not ours', { key: 'F10' }, 'nodes/node:m1', undefined],
    ['ContextMenu key opens the menu', { key: 'ContextMenu' }, 'nodes/node:m1', { menu: true }],
    ['other keys are not ours', { key: 'a' }, 'nodes', undefined],
    ['unknown focus behaves as the first item', { key: 'ArrowDown' }, 'gone', { focus: 'nodes/node:m1' }],
  ];
  for (const [name, ev, focus, expected] of cases) {
    it(name, () => expect(treeKey(ev, flat, focus, expanded)).toEqual(expected));
  }
  it('empty tree handles nothing', () => expect(treeKey({ key: 'ArrowDown' }, [], undefined, expanded)).toBeUndefined());
});
