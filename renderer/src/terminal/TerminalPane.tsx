/**
 * One terminal in the dock: hosts its controller's xterm element, fits it when it becomes visible,
 * gives the focused one WebGL, and carries the search box (Ctrl/Cmd+F) and the right-click menu
 * (Copy, Paste, Select all, Clear, Find).
 */
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { TerminalController } from './controller.js';
import { activateTab, closeFind, openFind, setNotice, type TerminalTab } from './store.js';

interface PaneProps {
  tab: TerminalTab;
  controller: TerminalController;
  visible: boolean;
  active: boolean;
  findOpen: boolean;
}

export function TerminalPane({ tab, controller, visible, active, findOpen }: PaneProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ x: number; y: number }>();

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    controller.mount(host);
    return () => controller.unmount(host);
  }, [controller]);

  useEffect(() => {
    if (visible) controller.fitSoon();
  }, [visible, controller]);

  useEffect(() => {
    controller.setFocused(visible && active);
    if (visible && active && !findOpen && !menu) controller.focus();
  }, [visible, active, controller, findOpen, menu]);

  return (
    <div
      className={`term-pane ${active ? 'active' : ''}`}
      role="tabpanel"
      id={`term-pane-${tab.id}`}
      aria-labelledby={`term-tab-${tab.id}`}
      hidden={!visible}
      data-testid="terminal-pane"
      data-session={tab.id}
      data-status={tab.status}
      onMouseDown={() => activateTab(tab.id)}
      onContextMenu={(e) => {
        e.preventDefault();
        activateTab(tab.id);
        // fixed to the window, kept inside it
        setMenu({ x: Math.max(0, Math.min(e.clientX, window.innerWidth - 200)), y: Math.max(0, Math.min(e.clientY, window.innerHeight - 190)) });
      }}
    >
      <div className="term-host" ref={hostRef} />
      {findOpen && <SearchBox controller={controller} />}
      {menu && <ContextMenu at={menu} controller={controller} tabId={tab.id} onClose={() => setMenu(undefined)} />}
    </div>
  );
}

function SearchBox({ controller }: { controller: TerminalController }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [results, setResults] = useState<{ index: number; count: number }>();
  useEffect(() => {
    inputRef.current?.focus();
    return controller.onSearchResults(setResults);
  }, [controller]);

  const find = (direction: 'next' | 'previous', value = text): void => {
    const found = controller.find(value, direction);
    if (!found && value) setResults({ index: -1, count: 0 });
  };
  const close = (): void => {
    closeFind();
    controller.focus();
  };
  const onKey = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      find(e.shiftKey ? 'previous' : 'next');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const summary = !text || !results ? '' : results.count === 0 ? 'No results' : results.index < 0 ? `${results.count}+ results` : `${results.index + 1} of ${results.count}`;

  return (
    <div className="term-search" role="search" onMouseDown={(e) => e.stopPropagation()}>
      <input
        ref={inputRef}
        type="search"
        aria-label="Find in terminal"
        placeholder="Find"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          find('next', e.target.value);
        }}
        onKeyDown={onKey}
      />
      <span className="term-search-count" aria-live="polite" data-testid="terminal-search-count">
        {summary}
      </span>
      <button type="button" aria-label="Previous match" title="Previous match (Shift+Enter)" onClick={() => find('previous')}>
        ↑
      </button>
      <button type="button" aria-label="Next match" title="Next match (Enter)" onClick={() => find('next')}>
        ↓
      </button>
      <button type="button" aria-label="Close search" title="Close (Escape)" onClick={close}>
        ×
      </button>
    </div>
  );
}

interface MenuProps {
  at: { x: number; y: number };
  controller: TerminalController;
  tabId: string;
  onClose(): void;
}

function ContextMenu({ at, controller, tabId, onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const hasSelection = controller.term.hasSelection();

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')?.focus();
    const onDown = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', onDown, true);
    return () => window.removeEventListener('mousedown', onDown, true);
  }, [onClose]);

  const run = (action: () => void | Promise<void>): void => {
    onClose();
    void action();
  };
  const items: { label: string; hint: string; disabled?: boolean; action(): void | Promise<void> }[] = [
    {
      label: 'Copy',
      hint: 'Ctrl+Shift+C',
      disabled: !hasSelection,
      action: async () => {
        if (!(await controller.copy())) setNotice({ kind: 'info', text: 'The browser did not allow copying. Select the text and press Ctrl+Shift+C (Cmd+C on macOS).' });
        controller.focus();
      },
    },
    {
      label: 'Paste',
      hint: 'Ctrl+Shift+V',
      action: async () => {
        if (!(await controller.paste())) setNotice({ kind: 'info', text: 'The browser did not allow reading the clipboard. Click into the terminal and press Ctrl+Shift+V (Cmd+V on macOS).' });
      },
    },
    { label: 'Select all', hint: '', action: () => controller.selectAll() },
    {
      label: 'Clear',
      hint: '',
      action: () => {
        controller.clear();
        controller.focus();
      },
    },
    { label: 'Find', hint: 'Ctrl+F', action: () => openFind(tabId) },
  ];

  const onKey = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose();
      controller.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = buttons[(at + (e.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length];
      next?.focus();
    }
  };

  return (
    <div
      ref={ref}
      className="term-menu"
      role="menu"
      aria-label="Terminal"
      style={{ left: at.x, top: at.y }}
      onKeyDown={onKey}
      onMouseDown={(e) => e.stopPropagation()}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button key={item.label} type="button" role="menuitem" disabled={item.disabled} onClick={() => run(item.action)}>
          <span>{item.label}</span>
          {item.hint && <span className="muted small">{item.hint}</span>}
        </button>
      ))}
    </div>
  );
}
