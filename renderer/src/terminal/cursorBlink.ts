/**
 * CursorBlink: the blinking cursor of a terminal drawn by xterm's DOM renderer, done by flipping a
 * class twice a second instead of with xterm's CSS animation.
 *
 * xterm animates the DOM renderer's cursor with a `step-end` CSS animation of its colours. Chromium
 * runs such an animation on the main thread and produces a frame for it 60 times a second — style,
 * layout and paint of the page — for as long as a terminal has focus (measured with 20 keys typed
 * over 3.3 s: 201 frames and 639 ms of main-thread work with it, 27 frames and 254 ms without). A
 * flip every `intervalMs` costs two small restyles a second.
 *
 * Like xterm's own blink: the cursor shows at once and the blink restarts on input and output
 * (`poke`); it only blinks while the terminal has focus; after `idleStopMs` without input or output
 * it stays shown and the timer stops.
 */
export interface CursorBlinkOptions {
  /** Shows or hides the cursor (the controller toggles a class on the terminal's element). */
  setVisible(visible: boolean): void;
  /** One phase, shown or hidden (default 600 ms, as xterm). */
  intervalMs?: number;
  /** Stop blinking, cursor shown, after this long without `poke` (default 5 minutes). */
  idleStopMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class CursorBlink {
  private running = false;
  private visible = true;
  private timer: unknown;
  private lastPoke = 0;
  private readonly intervalMs: number;
  private readonly idleStopMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: CursorBlinkOptions) {
    this.intervalMs = options.intervalMs ?? 600;
    this.idleStopMs = options.idleStopMs ?? 5 * 60_000;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get blinking(): boolean {
    return this.running && this.timer !== undefined;
  }

  /** The terminal got focus: blink, starting shown. */
  start(): void {
    this.running = true;
    this.poke();
  }

  /** The terminal lost focus (or another renderer blinks it): shown, no timer. */
  stop(): void {
    this.running = false;
    this.cancel();
    this.show(true);
  }

  /** Input or output: show the cursor now and restart the blink's phase. */
  poke(): void {
    if (!this.running) return;
    this.lastPoke = this.now();
    this.show(true);
    this.cancel();
    this.schedule();
  }

  private schedule(): void {
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      if (!this.running) return;
      if (this.now() - this.lastPoke >= this.idleStopMs) {
        this.show(true); // idle: stay shown, stop ticking until the next poke
        return;
      }
      this.show(!this.visible);
      this.schedule();
    }, this.intervalMs);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }

  private show(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.options.setVisible(visible);
  }
}
