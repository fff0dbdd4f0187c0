/**
 * The terminal dock's keyboard shortcuts, as a pure function of a key event: Ctrl (Cmd on macOS)
 * +Shift+C/V copy and paste, +F find, +=/+- /+0 font size; Ctrl+Shift+T a new local shell,
 * Ctrl+PageUp/PageDown the previous/next tab, Ctrl+` the dock (handled by the app frame; a
 * terminal must let it through).
 */
export type DockAction = 'copy' | 'paste' | 'find' | 'fontUp' | 'fontDown' | 'fontReset' | 'newShell' | 'prevTab' | 'nextTab' | 'toggleDock';

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export const isMacPlatform = (platform: string): boolean => /mac|iphone|ipad/i.test(platform);

export function dockAction(e: KeyLike, mac: boolean): DockAction | undefined {
  if (e.altKey) return undefined;
  const mod = mac ? e.metaKey : e.ctrlKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.ctrlKey && !e.metaKey && (key === '`' || e.code === 'Backquote') && !e.shiftKey) return 'toggleDock';
  if (e.ctrlKey && !e.metaKey) {
    if (key === 'PageUp') return 'prevTab';
    if (key === 'PageDown') return 'nextTab';
  }
  if (!mod) return undefined;
  if (e.shiftKey) {
    if (key === 'c' || e.code === 'KeyC') return 'copy';
    if (key === 'v' || e.code === 'KeyV') return 'paste';
    if (key === 't' || e.code === 'KeyT') return 'newShell';
    if (key === '+') return 'fontUp';
    return undefined;
  }
  if (key === 'f') return 'find';
  if (key === '=' || key === '+') return 'fontUp';
  if (key === '-') return 'fontDown';
  if (key === '0') return 'fontReset';
  return undefined;
}
