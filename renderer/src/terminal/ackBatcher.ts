/**
 * AckBatcher: gathers the byte counts of onData payloads xterm has finished writing and sends them
 * to the back end as few acknowledgements as keeps the session flowing: at once when `maxBytes` are
 * pending, otherwise `delayMs` after the first pending byte. The sum of sent acks always equals the
 * sum added (nothing is lost, nothing is acked twice); `dispose` drops what is pending (the
 * subscription it paced is gone).
 */
export interface AckBatcherOptions {
  send(bytes: number): void;
  /** Send at once when this many bytes are pending (default 128 KiB: an eighth of the window, TERMINAL_HIGH_WATER). */
  maxBytes?: number;
  /** Otherwise send this long after the first pending byte (default 8 ms). */
  delayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class AckBatcher {
  private pending = 0;
  private timer: unknown;
  private disposed = false;
  private readonly maxBytes: number;
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: AckBatcherOptions) {
    this.maxBytes = options.maxBytes ?? 128 * 1024;
    this.delayMs = options.delayMs ?? 8;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Bytes added and not yet sent. */
  get unsent(): number {
    return this.pending;
  }

  add(bytes: number): void {
    if (this.disposed || !(bytes > 0)) return;
    this.pending += bytes;
    if (this.pending >= this.maxBytes) this.flush();
    else if (this.timer === undefined) {
      this.timer = this.setTimer(() => {
        this.timer = undefined;
        this.flush();
      }, this.delayMs);
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
    if (this.disposed || this.pending === 0) return;
    const bytes = this.pending;
    this.pending = 0;
    this.options.send(bytes);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.pending = 0;
    this.disposed = true;
  }
}
