/**
 * Pure tab and split logic of the terminal dock: which tabs are visible (the active one alone, or
 * in split view up to four, most recently used first but shown in tab order), the grid they fill,
 * moving between tabs, font size bounds, restoring a saved tab order over the back end's session
 * list, and the line shown when a session ends.
 */

export const MAX_VISIBLE = 4;
export const FONT_MIN = 8;
export const FONT_MAX = 32;
export const FONT_DEFAULT = 13;

/** Tabs to show: `[active]`, or with `split` up to `max` tabs — the active one and the most recently used — in tab order. */
export function visibleTabs(order: readonly string[], mru: readonly string[], active: string | undefined, split: boolean, max = MAX_VISIBLE): string[] {
  if (!active || !order.includes(active)) return [];
  if (!split) return [active];
  const chosen = new Set<string>([active]);
  for (const id of mru) {
    if (chosen.size >= max) break;
    if (order.includes(id)) chosen.add(id);
  }
  for (const id of order) {
    if (chosen.size >= max) break;
    chosen.add(id);
  }
  return order.filter((id) => chosen.has(id));
}

/** The grid `n` visible terminals fill: side by side up to three, 2×2 for four. */
export function gridShape(n: number): { cols: number; rows: number } {
  if (n <= 1) return { cols: 1, rows: 1 };
  if (n === 4) return { cols: 2, rows: 2 };
  return { cols: Math.min(n, 3), rows: Math.ceil(n / 3) };
}

/** The tab `delta` steps from `active`, wrapping around. */
export function stepTab(order: readonly string[], active: string | undefined, delta: number): string | undefined {
  if (order.length === 0) return undefined;
  const at = active ? order.indexOf(active) : -1;
  if (at < 0) return order[0];
  return order[(((at + delta) % order.length) + order.length) % order.length];
}

/** The tab to activate after closing `closed`: its right neighbour, else its left one. */
export function afterClose(order: readonly string[], active: string | undefined, closed: string): string | undefined {
  const rest = order.filter((id) => id !== closed);
  if (active !== closed) return active && rest.includes(active) ? active : rest[0];
  const at = order.indexOf(closed);
  return rest[Math.min(at, rest.length - 1)];
}

/** Moves `id` to the front of the most-recently-used list. */
export function touch(mru: readonly string[], id: string): string[] {
  return [id, ...mru.filter((x) => x !== id)];
}

export function clampFont(size: number): number {
  if (!Number.isFinite(size)) return FONT_DEFAULT;
  return Math.min(FONT_MAX, Math.max(FONT_MIN, Math.round(size)));
}

export interface SavedTab {
  id: string;
  title: string;
}

/**
 * The tabs to re-open from the back end's sessions: sessions the page had (in its saved order,
 * with its titles) first, then other running sessions by creation time. A saved session that no
 * longer exists is dropped; an exited one stays only when the page had it (its output and exit
 * message are still worth showing).
 */
export function restoreOrder(
  saved: readonly SavedTab[],
  sessions: readonly { id: string; title: string; state: 'running' | 'exited'; createdAt: number }[],
): SavedTab[] {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const out: SavedTab[] = [];
  const seen = new Set<string>();
  for (const t of saved) {
    if (byId.has(t.id) && !seen.has(t.id)) {
      out.push(t);
      seen.add(t.id);
    }
  }
  const rest = sessions.filter((s) => !seen.has(s.id) && s.state === 'running').sort((a, b) => a.createdAt - b.createdAt);
  for (const s of rest) out.push({ id: s.id, title: s.title });
  return out;
}

/** The dimmed line written into a terminal when its session ends: `[manager1 stopped; the session ended]`. */
export function exitLine(message: string, code: number | null): string {
  let text = message.trim().replace(/[.\s]+$/, '');
  if (!text) text = code === null ? 'the session ended' : `the shell exited with code ${code}`;
  return `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;
}

/** `title`, or `title 2`, `title 3`… when another tab already has it. */
export function uniqueTitle(title: string, taken: readonly string[]): string {
  if (!taken.includes(title)) return title;
  for (let n = 2; ; n++) if (!taken.includes(`${title} ${n}`)) return `${title} ${n}`;
}
