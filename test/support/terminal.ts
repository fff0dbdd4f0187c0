/**
 * The terminal dock as a browser test sees it: the active terminal's text, read from xterm's buffer
 * through the dock's `swarm-lab:terminal-text` event (the screen may be drawn by WebGL), and a line
 * typed into it.
 */
import type { Page } from 'playwright-core';

/** The active terminal pane. */
export const activePane = (page: Page) => page.locator('[data-testid="terminal-pane"]:not([hidden]).active');

/** The last `lines` lines of the active terminal's buffer (wrapped lines joined); '' when none is open. */
export async function terminalText(page: Page, lines = 200): Promise<string> {
  const el = activePane(page).locator('.term-xterm');
  if ((await el.count()) !== 1) return '';
  return el
    .evaluate((node, n) => {
      const detail: { lines: number; text?: string } = { lines: n };
      node.dispatchEvent(new CustomEvent('swarm-lab:terminal-text', { detail }));
      return detail.text ?? '';
    }, lines)
    .catch(() => '');
}

/** Types `line` into the active terminal and presses Enter. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await activePane(page).locator('.xterm-screen').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}
