/**
 * The terminal dock's state, as a tiny external store (read with `useTerminalDock`, React's
 * useSyncExternalStore), and the API the rest of the UI uses:
 *
 *   openTerminal(target, title?)  opens a session on the back end, adds a tab, opens the dock
 *   toggleDock() / setDockOpen()  the dock (Ctrl+`)
 *
 * It owns one TerminalController per tab. Whenever the connection to the back end (re)opens, it
 * asks `terminal.list` and re-opens a tab for each session the page had (tab order and titles
 * are kept in sessionStorage, so they survive a reload) and for every other running session.
 * Errors a user can meet are kept in `notice`, in words: what happened and what to do.
 */
import { useSyncExternalStore } from 'react';
import type { TerminalSessionInfo, TerminalTarget } from '../../../electron/common/terminal.js';
import { connectionState, onConnectionState, rpc } from '../rpc.js';
import { TerminalController } from './controller.js';
import { afterClose, clampFont, FONT_DEFAULT, restoreOrder, stepTab, touch, uniqueTitle, type SavedTab } from './layout.js';

export interface TerminalTab {
  id: string;
  title: string;
  target?: TerminalTarget;
  status: 'running' | 'exited';
  /** Why it ended, when it did. */
  exitMessage?: string;
  /** Its output's connection is lost and being opened again (web mode); the session itself runs on. */
  reconnecting?: boolean;
}

export interface DockNotice {
  kind: 'error' | 'info';
  text: string;
}

export interface TerminalDockState {
  dockOpen: boolean;
  tabs: TerminalTab[];
  active?: string;
  /** Most recently used tab ids, most recent first (split view shows the top four). */
  mru: string[];
  split: boolean;
  fontSize: number;
  /** Sessions being opened right now. */
  opening: number;
  /** The tab whose search box is open. */
  findIn?: string;
  notice?: DockNotice;
}

const TABS_KEY = 'swarm-lab.terminal.tabs';
const FONT_KEY = 'swarm-lab.terminal.fontSize';

interface Saved {
  tabs: SavedTab[];
  active?: string;
  split?: boolean;
  dockOpen?: boolean;
}

function readSaved(): Saved {
  try {
    const raw = sessionStorage.getItem(TABS_KEY);
    const v = raw ? (JSON.parse(raw) as Saved) : undefined;
    return v && Array.isArray(v.tabs) ? v : { tabs: [] };
  } catch {
    return { tabs: [] };
  }
}

function readFont(): number {
  try {
    const raw = localStorage.getItem(FONT_KEY);
    return raw ? clampFont(Number(raw)) : FONT_DEFAULT;
  } catch {
    return FONT_DEFAULT;
  }
}

const saved = readSaved();
let state: TerminalDockState = {
  dockOpen: saved.dockOpen ?? false,
  tabs: [],
  mru: [],
  split: saved.split ?? false,
  fontSize: readFont(),
  opening: 0,
};
const listeners = new Set<() => void>();
const controllers = new Map<string, TerminalController>();

function set(patch: Partial<TerminalDockState>): void {
  state = { ...state, ...patch };
  try {
    const keep: Saved = { tabs: state.tabs.map((t) => ({ id: t.id, title: t.title })), active: state.active, split: state.split, dockOpen: state.dockOpen };
    sessionStorage.setItem(TABS_KEY, JSON.stringify(keep));
  } catch {
    /* storage unavailable: nothing survives a reload, everything else works */
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const dockState = (): TerminalDockState => state;

export function useTerminalDock(): TerminalDockState {
  return useSyncExternalStore(subscribe, dockState);
}

export function useDockOpen(): boolean {
  return useSyncExternalStore(subscribe, () => state.dockOpen);
}

export function controllerOf(id: string): TerminalController | undefined {
  return controllers.get(id);
}

// ── the dock ────────────────────────────────────────────────────────────────

export function setDockOpen(open: boolean): void {
  if (open !== state.dockOpen) set({ dockOpen: open });
}

export function toggleDock(): void {
  set({ dockOpen: !state.dockOpen });
}

export function setNotice(notice: DockNotice | undefined): void {
  set({ notice });
}

// ── tabs ────────────────────────────────────────────────────────────────────

function describeTarget(target: TerminalTarget): string {
  switch (target.kind) {
    case 'local':
      return 'a local shell';
    case 'node':
      return `a terminal on ${target.node} (lab ${target.lab})`;
    case 'task':
      return `a terminal in task ${target.taskId.slice(0, 12)} (lab ${target.lab})`;
  }
}

function adviceFor(message: string): string {
  if (connectionState().status !== 'connected' || /not connected|lost the connection/i.test(message)) {
    return 'Swarm Lab is not connected to its back end; wait until the status bar says Connected, then try again.';
  }
  if (/try again|open a new|start|run /i.test(message)) return '';
  return 'Check the Doctor panel, then try again.';
}

/**
 * Opens a terminal on `target` in a new tab and shows the dock. `title` names the tab (default:
 * the back end's title, e.g. the node name). Failures appear in the dock; the promise resolves with
 * the session id, or undefined when opening failed.
 */
export async function openTerminal(target: TerminalTarget, title?: string): Promise<string | undefined> {
  set({ dockOpen: true, opening: state.opening + 1, notice: undefined });
  try {
    const info = await rpc.terminal.open({ target, cols: 80, rows: 24 });
    set({ opening: state.opening - 1 });
    addTab(info, title ?? uniqueTitle(info.title, state.tabs.map((t) => t.title)), true);
    return info.id;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const advice = adviceFor(message);
    set({ opening: state.opening - 1, notice: { kind: 'error', text: `Could not open ${describeTarget(target)}: ${message}${advice ? ` ${advice}` : ''}` } });
    return undefined;
  }
}

/** Opens a shell on the machine running the back end. */
export function openLocalShell(): Promise<string | undefined> {
  return openTerminal({ kind: 'local' });
}

function addTab(info: TerminalSessionInfo, title: string, select: boolean): void {
  if (!controllers.has(info.id)) {
    controllers.set(
      info.id,
      new TerminalController(info.id, state.fontSize, {
        onExit: (exit) => markEnded(info.id, exit.message),
        onLost: (reason) => markEnded(info.id, reason),
        onLink: (live) => set({ tabs: state.tabs.map((t) => (t.id === info.id ? { ...t, reconnecting: !live } : t)) }),
        onFocus: () => activate(info.id),
      }),
    );
  }
  if (state.tabs.some((t) => t.id === info.id)) {
    if (select) activateTab(info.id);
    return;
  }
  const tab: TerminalTab = { id: info.id, title, target: info.target, status: info.state, exitMessage: info.exitMessage ?? undefined };
  const tabs = [...state.tabs, tab];
  if (select || !state.active) set({ tabs, active: info.id, mru: touch(state.mru, info.id) });
  else set({ tabs, mru: [...state.mru, info.id] });
}

function markEnded(id: string, message: string): void {
  set({ tabs: state.tabs.map((t) => (t.id === id ? { ...t, status: 'exited', exitMessage: message, reconnecting: false } : t)) });
}

function activate(id: string): void {
  if (state.active !== id) activateTab(id);
}

export function activateTab(id: string): void {
  if (!state.tabs.some((t) => t.id === id)) return;
  set({ active: id, mru: touch(state.mru, id), findIn: state.findIn && state.findIn !== id ? undefined : state.findIn });
}

export function stepActiveTab(delta: number): void {
  const next = stepTab(
    state.tabs.map((t) => t.id),
    state.active,
    delta,
  );
  if (next) {
    activateTab(next);
    controllers.get(next)?.focus();
  }
}

/**
 * Closes a tab. A running session is killed, after the user confirms (`confirm` defaults to
 * window.confirm); an ended one is just removed. Resolves false when the user kept it.
 */
export async function closeTab(id: string, confirm: (question: string) => boolean = (q) => window.confirm(q)): Promise<boolean> {
  const tab = state.tabs.find((t) => t.id === id);
  if (!tab) return false;
  if (tab.status === 'running' && !confirm(`Close "${tab.title}"? Its shell and anything running in it will be ended.`)) return false;
  const order = state.tabs.map((t) => t.id);
  const next = afterClose(order, state.active, id);
  controllers.get(id)?.dispose();
  controllers.delete(id);
  set({
    tabs: state.tabs.filter((t) => t.id !== id),
    active: next,
    mru: state.mru.filter((x) => x !== id),
    findIn: state.findIn === id ? undefined : state.findIn,
  });
  try {
    await rpc.terminal.kill({ id });
  } catch (e) {
    // an ended session may already be gone; anything else is worth saying
    if (tab.status === 'running') setNotice({ kind: 'error', text: `The session "${tab.title}" may still be running: ${(e as Error).message}` });
  }
  return true;
}

export function toggleSplit(): void {
  set({ split: !state.split });
}

export function openFind(id = state.active): void {
  if (id) set({ findIn: id });
}

export function closeFind(): void {
  if (state.findIn) controllers.get(state.findIn)?.clearSearch();
  set({ findIn: undefined });
}

export function setFontSize(size: number): void {
  const fontSize = clampFont(size);
  try {
    localStorage.setItem(FONT_KEY, String(fontSize));
  } catch {
    /* not persisted */
  }
  for (const c of controllers.values()) c.setFontSize(fontSize);
  set({ fontSize });
}

export function bumpFontSize(delta: number): void {
  setFontSize(delta === 0 ? FONT_DEFAULT : state.fontSize + delta);
}

// ── re-attaching ────────────────────────────────────────────────────────────

let started = false;
let syncing: Promise<void> | undefined;

/** Re-opens tabs for the back end's sessions: at start and whenever the connection comes back. */
function start(): void {
  if (started) return;
  started = true;
  let wasConnected = false;
  const check = (): void => {
    const connected = connectionState().status === 'connected';
    if (connected && !wasConnected) void syncSessions();
    wasConnected = connected;
  };
  onConnectionState(check);
  check();
}

export function syncSessions(): Promise<void> {
  syncing ??= (async () => {
    try {
      const sessions = await rpc.terminal.list({});
      const have = state.tabs.map((t) => ({ id: t.id, title: t.title }));
      const wanted = restoreOrder([...have, ...saved.tabs.filter((s) => !have.some((h) => h.id === s.id))], sessions);
      const byId = new Map(sessions.map((s) => [s.id, s]));
      for (const t of wanted) {
        const info = byId.get(t.id);
        if (info && !state.tabs.some((x) => x.id === t.id)) addTab(info, t.title, false);
      }
      saved.tabs = [];
      const keep = saved.active && state.tabs.some((t) => t.id === saved.active) ? saved.active : state.active;
      if (keep) activateTab(keep);
      saved.active = undefined;
    } catch {
      /* not connected after all: the next connection tries again */
    } finally {
      syncing = undefined;
    }
  })();
  return syncing;
}
