/**
 * A generic accessible menu at viewport coordinates (x, y): `role="menu"` of `role="menuitem"`
 * buttons; focus goes to the first enabled item; Up/Down (wrapping), Home/End move; Enter/Space
 * choose; Escape, Tab, a click outside or choosing closes it; focus then returns to what had it.
 * Kept inside the viewport. The caller renders it only while open.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './topology.css';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** Shown as a tooltip and to screen readers (e.g. why it is disabled). */
  description?: string;
}

export interface ContextMenuProps {
  items: MenuItem[];
  x: number;
  y: number;
  onClose: () => void;
  /** Accessible name, e.g. "Actions for worker1". */
  label?: string;
  presenter?: boolean;
}

export function ContextMenu({ items, x, y, onClose, label = 'Actions', presenter }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const returnTo = useRef<Element | null>(typeof document !== 'undefined' ? document.activeElement : null);
  const [pos, setPos] = useState({ left: x, top: y });
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  const enabled = (): HTMLButtonElement[] => [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({ left: Math.max(4, Math.min(x, window.innerWidth - r.width - 4)), top: Math.max(4, Math.min(y, window.innerHeight - r.height - 4)) });
  }, [x, y]);

  useEffect(() => {
    const first = enabled()[0];
    if (first) first.focus();
    else ref.current?.focus();
    const outside = (e: PointerEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) closeRef.current();
    };
    const blur = (): void => closeRef.current();
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('blur', blur);
    window.addEventListener('resize', blur);
    const back = returnTo.current;
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('blur', blur);
      window.removeEventListener('resize', blur);
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const list = enabled();
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (n: number): void => {
      e.preventDefault();
      list[(n + list.length) % list.length]?.focus();
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i < 0 ? list.length - 1 : i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <div
      ref={ref}
      className={`topo-menu${presenter ? ' presenter' : ''}`}
      role="menu"
      aria-label={label}
      tabIndex={-1}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.length === 0 && <div className="topo-menu-empty">No actions</div>}
      {items.map((it, i) => (
        <button
          key={`${i}:${it.label}`}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={it.danger ? 'danger' : undefined}
          aria-disabled={it.disabled ? 'true' : undefined}
          title={it.description}
          onClick={() => {
            if (it.disabled) return;
            onClose();
            it.onSelect();
          }}
        >
          {it.label}
          {it.description && <span className="visually-hidden">: {it.description}</span>}
        </button>
      ))}
    </div>
  );
}
