/**
 * The terminal dock: a region labelled "Terminals" under the graph area with a tab per session,
 * a toolbar (new local shell, split view, font size, find) and the terminals themselves — the active
 * one, or in split view up to four side by side / 2×2. Every tab's pane stays mounted while the dock
 * is open (hidden when not shown), so switching never loses a terminal's state.
 *
 * Keyboard: Ctrl+` toggles the dock (the app frame handles it), Ctrl+Shift+T opens a local shell,
 * Ctrl+PageUp/PageDown (and ←/→ in the tab list) switch tabs, Ctrl/Cmd+F finds, Ctrl/Cmd+=/−/0 the
 * font size, Ctrl/Cmd+Shift+C/V copy and paste.
 */
import { useEffect, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useConnection } from '../hooks.js';
import { writeClipboard } from './controller.js';
import { dockAction, isMacPlatform } from './keys.js';
import { FONT_MAX, FONT_MIN, gridShape, visibleTabs } from './layout.js';
import {
  activateTab,
  bumpFontSize,
  closeTab,
  controllerOf,
  dockState,
  openFind,
  openLocalShell,
  setNotice,
  stepActiveTab,
  toggleSplit,
  useTerminalDock,
} from './store.js';
import { TerminalPane } from './TerminalPane.js';

export interface TerminalDockProps {
  open: boolean;
  onToggle(): void;
}

const mac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

/** The dock's shortcuts, on the window: those that act on a terminal only when focus is in the dock. */
function onWindowKey(e: KeyboardEvent): void {
  const action = dockAction(e, mac);
  if (!action || action === 'toggleDock') return; // Ctrl+` is the app frame's
  const state = dockState();
  const inDock = e.target instanceof Element && !!e.target.closest('.terminal-dock');
  const active = state.active ? controllerOf(state.active) : undefined;
  switch (action) {
    case 'newShell':
      e.preventDefault();
      void openLocalShell();
      return;
    case 'prevTab':
    case 'nextTab':
      if (!state.dockOpen || state.tabs.length === 0) return;
      e.preventDefault();
      stepActiveTab(action === 'nextTab' ? 1 : -1);
      return;
  }
  if (!inDock || !active) return;
  switch (action) {
    case 'copy': {
      e.preventDefault();
      const text = active.term.getSelection();
      if (text) void writeClipboard(text);
      return;
    }
    case 'paste':
      // no preventDefault: the browser pastes into xterm's textarea, which needs no clipboard permission
      return;
    case 'find':
      e.preventDefault();
      openFind();
      return;
    case 'fontUp':
    case 'fontDown':
    case 'fontReset':
      e.preventDefault();
      bumpFontSize(action === 'fontUp' ? 1 : action === 'fontDown' ? -1 : 0);
      return;
  }
}

export function TerminalDock({ open, onToggle }: TerminalDockProps) {
  const state = useTerminalDock();
  const order = state.tabs.map((t) => t.id);
  const shown = visibleTabs(order, state.mru, state.active, state.split);
  const grid = gridShape(shown.length);
  const disconnected = useConnection().status !== 'connected';

  useEffect(() => {
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  const onTabKey = (e: ReactKeyboardEvent<HTMLButtonElement>, id: string): void => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const at = order.indexOf(id);
      const next = order[(at + (e.key === 'ArrowRight' ? 1 : -1) + order.length) % order.length];
      if (next) {
        activateTab(next);
        document.getElementById(`term-tab-${next}`)?.focus();
      }
    } else if (e.key === 'Delete') {
      e.preventDefault();
      void closeTab(id);
    }
  };

  return (
    <section className={`terminal-dock ${open ? 'open' : 'closed'}`} aria-label="Terminals" data-testid="terminal-dock">
      <header className="dock-header">
        <button type="button" className="dock-toggle" onClick={onToggle} aria-expanded={open} title="Show or hide the terminal dock (Ctrl+`)">
          {open ? '▾' : '▸'} Terminals{state.tabs.length ? ` (${state.tabs.length})` : ''}
        </button>
        {open && (
          <>
            <div className="term-tabs" role="tablist" aria-label="Terminal sessions">
              {state.tabs.map((t) => {
                const selected = t.id === state.active;
                return (
                  <span key={t.id} className={`term-tab ${selected ? 'selected' : ''} ${t.status}`} role="presentation">
                    <button
                      type="button"
                      role="tab"
                      id={`term-tab-${t.id}`}
                      aria-selected={selected}
                      aria-controls={`term-pane-${t.id}`}
                      tabIndex={selected ? 0 : -1}
                      title={
                        t.status === 'exited' ? `${t.title} — ${t.exitMessage ?? 'ended'}` : t.reconnecting ? `${t.title} — output connection lost, reconnecting; the session runs on and its recent output is replayed` : t.title
                      }
                      onClick={() => {
                        activateTab(t.id);
                        controllerOf(t.id)?.focus();
                      }}
                      onKeyDown={(e) => onTabKey(e, t.id)}
                    >
                      {t.status === 'exited' && <span aria-hidden="true">⏹ </span>}
                      {t.title}
                      {t.status === 'exited' && <span className="visually-hidden"> (ended)</span>}
                      {t.reconnecting && t.status !== 'exited' && (
                        <span className="term-tab-reconnecting">
                          <span aria-hidden="true"> ⟳</span>
                          <span className="visually-hidden"> (reconnecting)</span>
                        </span>
                      )}
                    </button>
                    <button type="button" className="term-tab-close" aria-label={`Close ${t.title}`} title="Close" tabIndex={-1} onClick={() => void closeTab(t.id)}>
                      ×
                    </button>
                  </span>
                );
              })}
              {state.opening > 0 && (
                <span className="term-tab opening muted" role="status">
                  Opening…
                </span>
              )}
            </div>
            <span className="spacer" />
            <div className="term-toolbar" role="toolbar" aria-label="Terminal actions">
              <button type="button" onClick={() => void openLocalShell()} title="Open a shell on the machine running Swarm Lab (Ctrl+Shift+T)">
                + New local shell
              </button>
              <button type="button" aria-pressed={state.split} onClick={toggleSplit} title="Show up to four terminals side by side" disabled={state.tabs.length < 2 && !state.split}>
                Split
              </button>
              <button type="button" aria-label="Smaller text" title="Smaller text (Ctrl+−)" onClick={() => bumpFontSize(-1)} disabled={state.fontSize <= FONT_MIN}>
                A−
              </button>
              <span className="term-font-size small muted" data-testid="terminal-font-size" aria-label={`Font size ${state.fontSize}`}>
                {state.fontSize}px
              </span>
              <button type="button" aria-label="Larger text" title="Larger text (Ctrl+=)" onClick={() => bumpFontSize(1)} disabled={state.fontSize >= FONT_MAX}>
                A+
              </button>
              <button type="button" onClick={() => openFind()} disabled={!state.active} title="Find in the terminal (Ctrl+F)">
                Find
              </button>
            </div>
          </>
        )}
      </header>
      {open && state.notice && (
        <div className={`term-notice ${state.notice.kind}`} role={state.notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{state.notice.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setNotice(undefined)}>
            ×
          </button>
        </div>
      )}
      {open && disconnected && state.tabs.length > 0 && (
        <div className="term-notice info" role="status">
          The connection to the back end is down; the terminals carry on there and reappear here when it returns.
        </div>
      )}
      {open &&
        (state.tabs.length === 0 ? (
          <div className="dock-body muted">
            No terminal sessions. Open a <button type="button" className="link" onClick={() => void openLocalShell()}>local shell</button> (Ctrl+Shift+T); node terminals open here too.
          </div>
        ) : (
          <div className="term-grid" style={{ gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${grid.rows}, minmax(0, 1fr))` }}>
            {state.tabs.map((t) => {
              const controller = controllerOf(t.id);
              if (!controller) return null;
              return (
                <TerminalPane
                  key={t.id}
                  tab={t}
                  controller={controller}
                  visible={shown.includes(t.id)}
                  active={t.id === state.active}
                  findOpen={state.findIn === t.id}
                />
              );
            })}
          </div>
        ))}
    </section>
  );
}
