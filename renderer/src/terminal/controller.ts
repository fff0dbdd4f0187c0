/**
 * TerminalController: one xterm.js terminal bound to one back-end session, living as long as its tab
 * (not as long as a React component: panes mount and unmount it as the dock, the tabs and the split
 * change).
 *
 * - Output: subscribes to the session's output (output.ts: `terminal.onData`, or web mode's output
 *   stream); each payload is written with `term.write(data, cb)` and its `bytes` acknowledged after
 *   the callback, batched by AckBatcher. A replay (first payload of
 *   every (re)subscription, e.g. after the connection came back) resets the terminal first; acks of
 *   an older subscription are dropped. The final payload's `exit` is written as a dimmed line.
 * - Input, size: xterm's onData → `terminal.write`; a ResizeObserver fits the terminal (FitAddon)
 *   and the new size goes to `terminal.resize`.
 * - Addons: search, web links (opened with window.open … noopener), and WebGL only while focused
 *   (`setFocused`) and only where a GPU draws it, falling back silently to the DOM renderer.
 * - Cursor blink: xterm's own with WebGL; with the DOM renderer, CursorBlink's class flip instead of
 *   xterm's CSS animation, which costs a frame of the whole page 60 times a second.
 * - Text: a `swarm-lab:terminal-text` CustomEvent dispatched on the pane's element fills
 *   `detail.text` with the buffer's last `detail.lines` lines (default: the whole buffer), whatever
 *   the renderer — for tests and automation, without anything global.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { rpc } from '../rpc.js';
import { AckBatcher } from './ackBatcher.js';
import { subscribeOutput, type TerminalOutput } from './output.js';
import { CursorBlink } from './cursorBlink.js';
import { dockAction, isMacPlatform } from './keys.js';
import { exitLine } from './layout.js';
import { currentXtermTheme, onThemeChange } from './theme.js';

export interface ControllerHooks {
  /** The session ended (its exit message is already written into the terminal). */
  onExit(exit: { code: number | null; message: string }): void;
  /** The subscription ended without an exit: the session is gone (killed elsewhere, expired). */
  onLost(reason: string): void;
  /** The output's connection was lost and is being opened again (false), or is back (true). */
  onLink(live: boolean): void;
  /** The terminal got keyboard focus. */
  onFocus(): void;
}

export interface SearchResults {
  index: number;
  count: number;
}

const FONT_FAMILY = "ui-monospace, 'SFMono-Regular', Menlo, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const mac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);
let webglUnavailable = false;
/** Dispatch on a terminal's element (or inside it) to read its text; see the module comment. */
export const TEXT_EVENT = 'swarm-lab:terminal-text';

export class TerminalController {
  readonly term: Terminal;
  /** The element xterm renders into; panes move it between their hosts. */
  readonly wrapper: HTMLDivElement;
  private readonly fitAddon = new FitAddon();
  private readonly search = new SearchAddon({ highlightLimit: 500 });
  private readonly acks: AckBatcher;
  private readonly blink: CursorBlink;
  private readonly resizeObserver: ResizeObserver;
  private readonly cleanups: (() => void)[] = [];
  private readonly searchListeners = new Set<(r: SearchResults) => void>();
  private output: TerminalOutput | undefined;
  private webgl: WebglAddon | undefined;
  private opened = false;
  private disposed = false;
  private generation = 0;
  private exited = false;
  private fitFrame = 0;
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private sentSize = { cols: 0, rows: 0 };

  constructor(
    readonly id: string,
    fontSize: number,
    private readonly hooks: ControllerHooks,
  ) {
    this.term = new Terminal({
      fontFamily: FONT_FAMILY,
      fontSize,
      scrollback: 5000,
      cursorBlink: false, // blinks through CursorBlink, or xterm's WebGL renderer (setFocused)
      theme: currentXtermTheme(),
      allowProposedApi: true, // search decorations
      macOptionIsMeta: true,
    });
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener')));
    this.wrapper = document.createElement('div');
    this.wrapper.className = 'term-xterm';
    this.wrapper.dataset.renderer = 'dom';
    this.blink = new CursorBlink({ setVisible: (visible) => this.wrapper.classList.toggle('term-cursor-off', !visible) });
    this.acks = new AckBatcher({
      send: (bytes) => this.output?.ack(bytes),
    });
    this.term.attachCustomKeyEventHandler((e) => dockAction(e, mac) === undefined); // the dock's shortcuts bubble to its window listener
    this.cleanups.push(
      disposeOf(
        this.term.onData((data) => {
          this.blink.poke();
          this.send(data);
        }),
      ),
      disposeOf(this.term.onWriteParsed(() => this.blink.poke())),
      disposeOf(this.term.onResize(() => this.scheduleResizeRpc())),
      disposeOf(this.search.onDidChangeResults((r) => this.searchListeners.forEach((l) => l({ index: r.resultIndex, count: r.resultCount })))),
      onThemeChange((theme) => (this.term.options.theme = theme)),
    );
    const onTextRequest = (e: Event): void => {
      const detail = (e as CustomEvent<{ lines?: number; text?: string }>).detail;
      if (detail && typeof detail === 'object') detail.text = this.bufferText(detail.lines);
    };
    this.wrapper.addEventListener(TEXT_EVENT, onTextRequest);
    this.cleanups.push(() => this.wrapper.removeEventListener(TEXT_EVENT, onTextRequest));
    this.resizeObserver = new ResizeObserver(() => this.fitSoon());
    this.resizeObserver.observe(this.wrapper);
    this.subscribe();
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Shows the terminal in `host` (opening xterm on first use). */
  mount(host: HTMLElement): void {
    if (this.disposed) return;
    if (this.wrapper.parentElement !== host) host.appendChild(this.wrapper);
    if (!this.opened && this.wrapper.isConnected) {
      this.term.open(this.wrapper);
      this.opened = true;
      const textarea = this.term.textarea;
      if (textarea) {
        const onFocus = (): void => {
          if (!this.webgl) this.blink.start();
          this.hooks.onFocus();
        };
        const onBlur = (): void => this.blink.stop();
        textarea.addEventListener('focus', onFocus);
        textarea.addEventListener('blur', onBlur);
        this.cleanups.push(() => {
          textarea.removeEventListener('focus', onFocus);
          textarea.removeEventListener('blur', onBlur);
        });
      }
    }
    this.fitSoon();
  }

  unmount(host: HTMLElement): void {
    if (this.wrapper.parentElement === host) host.removeChild(this.wrapper);
    this.setFocused(false);
  }

  /** Fits the terminal to its element on the next frame (when it has a size). */
  fitSoon(): void {
    if (this.fitFrame || this.disposed) return;
    this.fitFrame = requestAnimationFrame(() => {
      this.fitFrame = 0;
      this.fit();
    });
  }

  fit(): void {
    if (!this.opened || this.disposed || !this.wrapper.isConnected) return;
    if (this.wrapper.clientWidth < 20 || this.wrapper.clientHeight < 10) return; // hidden
    const dims = this.fitAddon.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return;
    const cols = Math.max(2, dims.cols);
    const rows = Math.max(1, dims.rows);
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
    else this.scheduleResizeRpc();
  }

  focus(): void {
    this.term.focus();
  }

  setFontSize(size: number): void {
    if (this.term.options.fontSize === size) return;
    this.term.options.fontSize = size;
    this.fitSoon();
  }

  /** The focused terminal renders with WebGL where the browser allows it; the others with the DOM. */
  setFocused(focused: boolean): void {
    if (focused && !this.webgl && this.opened && !this.disposed && hardwareWebgl()) {
      try {
        const addon = new WebglAddon();
        addon.onContextLoss(() => this.dropWebgl());
        this.term.loadAddon(addon);
        this.webgl = addon;
        this.wrapper.dataset.renderer = 'webgl';
        this.blink.stop();
        this.term.options.cursorBlink = true;
      } catch {
        webglUnavailable = true; // no WebGL2 here: stay with the DOM renderer, quietly
      }
    } else if (!focused) this.dropWebgl();
  }

  find(text: string, direction: 'next' | 'previous', options: ISearchOptions = {}): boolean {
    const opts: ISearchOptions = {
      ...options,
      decorations: {
        matchBackground: '#f2cc60',
        matchOverviewRuler: '#f2cc60',
        activeMatchBackground: '#ff9632',
        activeMatchColorOverviewRuler: '#ff9632',
      },
    };
    if (!text) {
      this.search.clearDecorations();
      this.searchListeners.forEach((l) => l({ index: -1, count: 0 }));
      return false;
    }
    return direction === 'next' ? this.search.findNext(text, { ...opts, incremental: true }) : this.search.findPrevious(text, opts);
  }

  clearSearch(): void {
    this.search.clearDecorations();
  }

  onSearchResults(listener: (r: SearchResults) => void): () => void {
    this.searchListeners.add(listener);
    return () => this.searchListeners.delete(listener);
  }

  /** Copies the selection; resolves false when there is none or the browser refused. */
  async copy(): Promise<boolean> {
    const text = this.term.getSelection();
    if (!text) return false;
    return writeClipboard(text);
  }

  /** Pastes the clipboard (bracketed paste when the shell asked for it); false when the browser refused. */
  async paste(): Promise<boolean> {
    try {
      const text = await navigator.clipboard.readText();
      if (text) this.term.paste(text);
      return true;
    } catch {
      return false;
    } finally {
      this.focus();
    }
  }

  /** The last `lines` lines of the buffer (scrollback and screen), trailing blanks trimmed. */
  bufferText(lines = Number.POSITIVE_INFINITY): string {
    const buffer = this.term.buffer.active;
    const end = buffer.length;
    const out: string[] = [];
    for (let i = Math.max(0, end - lines); i < end; i++) {
      const line = buffer.getLine(i);
      if (!line) continue;
      if (line.isWrapped && out.length) out[out.length - 1] += line.translateToString(true);
      else out.push(line.translateToString(true));
    }
    return out.join('\n').replace(/\s+$/, '');
  }

  selectAll(): void {
    this.term.selectAll();
  }

  clear(): void {
    this.term.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.blink.stop();
    this.output?.dispose();
    this.acks.dispose();
    this.resizeObserver.disconnect();
    if (this.fitFrame) cancelAnimationFrame(this.fitFrame);
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    for (const c of this.cleanups) c();
    this.dropWebgl();
    this.term.dispose();
    this.wrapper.remove();
  }

  private subscribe(): void {
    this.output = subscribeOutput(
      this.id,
      (payload) => {
        if (this.disposed) return;
        if (payload.replay) {
          // a new subscription (first attach, or the connection came back): start over from the scrollback
          this.generation++;
          this.acks.flush();
          this.term.write('\x1bc');
        }
        const gen = this.generation;
        if (payload.data.length) {
          this.term.write(payload.data, () => {
            if (gen === this.generation) this.acks.add(payload.bytes);
          });
        } else if (payload.bytes) this.acks.add(payload.bytes);
        if (payload.exit) {
          this.exited = true;
          this.acks.flush();
          this.term.write(exitLine(payload.exit.message, payload.exit.code));
          this.hooks.onExit(payload.exit);
        }
      },
      (error) => {
        if (this.disposed || this.exited) return;
        this.exited = true;
        const reason = error?.message ?? 'The terminal session ended.';
        this.term.write(exitLine(reason, null));
        this.hooks.onLost(reason);
      },
      (live) => {
        if (!this.disposed && !this.exited) this.hooks.onLink(live);
      },
    );
  }

  private send(data: string): void {
    if (this.exited) return;
    rpc.terminal.write({ id: this.id, data }).catch(() => undefined);
  }

  private scheduleResizeRpc(): void {
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = undefined;
      const { cols, rows } = this.term;
      if (this.exited || (cols === this.sentSize.cols && rows === this.sentSize.rows)) return;
      this.sentSize = { cols, rows };
      rpc.terminal.resize({ id: this.id, cols, rows }).catch(() => {
        this.sentSize = { cols: 0, rows: 0 }; // try again on the next fit
      });
    }, 60);
  }

  private dropWebgl(): void {
    const addon = this.webgl;
    this.webgl = undefined;
    this.wrapper.dataset.renderer = 'dom';
    if (addon && !this.disposed) {
      this.term.options.cursorBlink = false;
      if (this.term.textarea && document.activeElement === this.term.textarea) this.blink.start();
    }
    try {
      addon?.dispose();
    } catch {
      /* already gone with its context */
    }
  }
}

let webglChecked: boolean | undefined;

/**
 * Whether WebGL2 is there and drawn by a GPU. A software rasteriser (SwiftShader, llvmpipe) draws
 * xterm's glyph atlas far slower than the DOM renderer, so it counts as no WebGL. Asked once.
 */
function hardwareWebgl(): boolean {
  if (webglUnavailable) return false;
  if (webglChecked !== undefined) return webglChecked;
  webglChecked = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
      webglChecked = !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    webglChecked = false;
  }
  return webglChecked;
}

function disposeOf(d: { dispose(): void }): () => void {
  return () => d.dispose();
}

/** navigator.clipboard where allowed, else the legacy copy command on a scratch textarea. */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const scratch = document.createElement('textarea');
    scratch.value = text;
    scratch.style.position = 'fixed';
    scratch.style.opacity = '0';
    document.body.appendChild(scratch);
    scratch.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      scratch.remove();
    }
  }
}
