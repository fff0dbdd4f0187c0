/**
 * An accessible tree beside the graph (WAI-ARIA tree pattern): `role="tree"` with `role="treeitem"`
 * items carrying aria-level/-expanded/-selected/-setsize/-posinset; groups Nodes → tasks and
 * Services → tasks, the same content and ids as the graph (`node:<id>`, `service:<id>`,
 * `task:<id>`). One item is tabbable (roving tabindex). Keys: Up/Down, Home/End, Left/Right
 * (collapse/parent, expand/first child), Enter/Space select, Shift+F10 or ContextMenu open the
 * item's menu; right-click does too. A selection made elsewhere expands its path and scrolls to it.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactElement } from 'react';
import type { ClusterState } from '../../../electron/common/cluster.js';
import type { MenuTarget } from './ids.js';
import { buildTree, pathTo, treeKey, visibleItems, type TreeItem } from './outlineModel.js';
import './topology.css';

export interface OutlineProps {
  lab?: string;
  state: ClusterState;
  selected?: string;
  onSelect(id?: string): void;
  onContextMenu(target: MenuTarget, x: number, y: number): void;
  presenter?: boolean;
}

const DEFAULT_EXPANDED = ['nodes', 'services'];

export function Outline({ lab, state, selected, onSelect, onContextMenu, presenter }: OutlineProps) {
  const tree = useMemo(() => buildTree(state), [state]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(DEFAULT_EXPANDED));
  const [focusKey, setFocusKey] = useState<string>('nodes');
  const rootRef = useRef<HTMLUListElement>(null);
  const wantFocus = useRef(false);
  const flat = useMemo(() => visibleItems(tree, expanded), [tree, expanded]);
  const flatByKey = useMemo(() => new Map(flat.map((f) => [f.item.key, f])), [flat]);
  // The focused item may disappear (a task ends): fall back to its parent chain, then the first item.
  const focus = flatByKey.has(focusKey) ? focusKey : (() => {
    const parts = focusKey.split('/');
    while (parts.length > 1) {
      parts.pop();
      if (flatByKey.has(parts.join('/'))) return parts.join('/');
    }
    return flat[0]?.item.key ?? '';
  })();

  // A selection from elsewhere (the graph): reveal it.
  useEffect(() => {
    if (!selected) return;
    const p = pathTo(tree, selected);
    if (!p) return;
    setExpanded((prev) => (p.ancestors.every((a) => prev.has(a)) ? prev : new Set([...prev, ...p.ancestors])));
    const inside = rootRef.current?.contains(document.activeElement);
    if (!inside) setFocusKey(p.key);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  useEffect(() => {
    const el = rootRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(focus)}"]`);
    if (!el) return;
    if (wantFocus.current) {
      wantFocus.current = false;
      el.focus();
    }
    if (!rootRef.current?.contains(document.activeElement)) el.scrollIntoView?.({ block: 'nearest' });
  }, [focus, expanded]);

  const toggle = (key: string, open?: boolean): void =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(key)) next.add(key);
      else next.delete(key);
      return next;
    });

  const choose = (item: TreeItem): void => {
    if (item.id.startsWith('group:')) toggle(item.key);
    else onSelect(item.id);
  };

  const openMenu = (item: TreeItem, x?: number, y?: number): void => {
    if (!item.menu) return;
    if (x === undefined || y === undefined) {
      const r = rootRef.current?.querySelector(`[data-key="${CSS.escape(item.key)}"] > .topo-row`)?.getBoundingClientRect();
      x = r ? r.left + Math.min(r.width, 48) : 0;
      y = r ? r.bottom : 0;
    }
    onContextMenu(item.menu, x, y);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const r = treeKey({ key: e.key, shiftKey: e.shiftKey }, flat, focus, expanded);
    if (!r) return;
    e.preventDefault();
    e.stopPropagation();
    const cur = flatByKey.get(focus)?.item;
    if (r.focus) {
      wantFocus.current = true;
      setFocusKey(r.focus);
    }
    if (r.expand) toggle(r.expand, true);
    if (r.collapse) toggle(r.collapse, false);
    if (r.select && cur) choose(cur);
    if (r.menu && cur) openMenu(cur);
  };

  const render = (items: readonly TreeItem[]): ReactElement[] =>
    items.map((item, i) => {
      const kids = !!item.children?.length;
      const open = kids && expanded.has(item.key);
      const isSel = !!selected && item.id === selected;
      return (
        <li
          key={item.key}
          data-key={item.key}
          data-id={item.id}
          role="treeitem"
          aria-level={item.level}
          aria-setsize={items.length}
          aria-posinset={i + 1}
          aria-expanded={kids ? open : undefined}
          aria-selected={item.id.startsWith('group:') ? undefined : isSel}
          tabIndex={item.key === focus ? 0 : -1}
          className={`topo-item level-${item.level}${isSel ? ' selected' : ''}`}
          onFocus={(e) => {
            if (e.target === e.currentTarget && focusKey !== item.key) setFocusKey(item.key);
          }}
        >
          <div
            className={`topo-row ${item.tone ?? ''}`}
            onClick={(e: MouseEvent) => {
              e.stopPropagation();
              setFocusKey(item.key);
              wantFocus.current = true;
              choose(item);
            }}
            onContextMenu={(e: MouseEvent) => {
              e.preventDefault();
              e.stopPropagation();
              if (!item.menu) return;
              setFocusKey(item.key);
              openMenu(item, e.clientX, e.clientY);
            }}
          >
            <span
              className="topo-twisty"
              aria-hidden="true"
              onClick={(e) => {
                if (!kids) return;
                e.stopPropagation();
                toggle(item.key);
              }}
            >
              {kids ? (open ? '▾' : '▸') : ''}
            </span>
            {item.colour && <span className="topo-swatch" style={{ background: item.colour }} aria-hidden="true" />}
            <span className="topo-label">{item.label}</span>
          </div>
          {open && <ul role="group">{render(item.children!)}</ul>}
        </li>
      );
    });

  return (
    <ul ref={rootRef} role="tree" aria-label={lab ? `Outline of ${lab}` : 'Outline'} className={`topo-outline${presenter ? ' presenter' : ''}`} onKeyDown={onKeyDown} data-testid="topology-outline">
      {render(tree)}
    </ul>
  );
}
