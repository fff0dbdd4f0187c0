/**
 * xterm colours for the app's light and dark themes (they follow `<html data-theme>`, which
 * hooks.ts sets), and a subscription to theme changes.
 */
import type { ITheme } from '@xterm/xterm';

const light: ITheme = {
  background: '#ffffff',
  foreground: '#1b1f24',
  cursor: '#1d63ed',
  cursorAccent: '#ffffff',
  selectionBackground: '#b6cdf7',
  black: '#1b1f24',
  red: '#cf222e',
  green: '#1a7f37',
  yellow: '#9a6700',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#116329',
  brightYellow: '#7d4e00',
  brightBlue: '#0969da',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

const dark: ITheme = {
  background: '#1f232a',
  foreground: '#e6e8eb',
  cursor: '#5b9cff',
  cursorAccent: '#1f232a',
  selectionBackground: '#3a5a8c',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc',
};

export function currentXtermTheme(): ITheme {
  return document.documentElement.dataset.theme === 'dark' ? dark : light;
}

/** Calls `listener` with the new xterm theme whenever the app theme changes. */
export function onThemeChange(listener: (theme: ITheme) => void): () => void {
  const observer = new MutationObserver(() => listener(currentXtermTheme()));
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
