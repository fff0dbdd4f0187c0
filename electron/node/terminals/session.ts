/**
 * One terminal session, whatever its source (docker exec, nested exec into a task, local pty): the
 * byte pipeline from the source to every subscriber.
 *
 * Source bytes → Utf8Batcher → (scrollback, each subscriber as `{output, seq}`: bytes, never
 * decoded here; a subscriber that sends text decodes with `batchAsData`). Subscribers
 * acknowledge bytes per connection; above the high-water mark the source AND the batcher pause, so
 * no subscriber ever has more than `high + batchBytes` unacknowledged bytes. A new subscriber first
 * receives the retained scrollback (`replay`). A connection that holds the source paused for `lagMs`
 * while another has caught up (a page in a background tab, a slow machine) is left behind: the others
 * go on, it receives nothing live until it has acknowledged what it was sent, and then starts over
 * from the scrollback, as after a reconnect. When the source ends, pending output is delivered, then
 * a final payload with `exit`, and every subscription ends. Without subscribers, a running session is
 * killed after `detachedMs`.
 */
import type { TerminalBatch, TerminalSessionInfo, TerminalTarget } from '../../common/terminal.js';

const NOTHING = new Uint8Array(0);
import {
  FlowController,
  Scrollback,
  TERMINAL_BATCH_BYTES,
  TERMINAL_BATCH_MS,
  TERMINAL_HIGH_WATER,
  TERMINAL_LOW_WATER,
  TERMINAL_SCROLLBACK_BYTES,
  Utf8Batcher,
} from '../../common/terminal.js';

export interface TerminalExit {
  /** The shell's exit code, or null when it has none (the node stopped, the stream broke). */
  code: number | null;
  /** One sentence the UI shows: what ended and why. */
  message: string;
}

/** What a session needs from the thing that runs the shell. `onExit` fires exactly once. */
export interface TerminalSource {
  readonly title: string;
  /** Each chunk is the listener's to keep: the source never writes to it again. */
  onData(listener: (chunk: Uint8Array) => void): void;
  onExit(listener: (exit: TerminalExit) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Ends the shell and everything it started; `onExit` follows. */
  kill(): void;
}

export interface SessionOptions {
  batchBytes?: number;
  batchMs?: number;
  high?: number;
  low?: number;
  scrollbackBytes?: number;
  /** A running session without subscribers is killed after this long (default 10 minutes). */
  detachedMs?: number;
  /** After exit, output still held by a paused pipeline is forced out after this long. */
  exitGraceMs?: number;
  /** How long one connection may hold the source paused while another has caught up (default 2 s). */
  lagMs?: number;
}

export interface SessionStats {
  bytesIn: number;
  bytesOut: number;
  batches: number;
  maxUnacked: number;
  paused: boolean;
  subscribers: number;
}

interface Subscriber {
  connection: number;
  emit(batch: TerminalBatch): void;
  end(): void;
}

export class TerminalSession {
  readonly createdAt = Date.now();
  private readonly batcher: Utf8Batcher;
  private readonly flow: FlowController<number>;
  private readonly scrollback: Scrollback;
  private readonly subscribers = new Set<Subscriber>();
  private readonly connections = new Map<number, number>();
  private readonly exitListeners = new Set<(exit: TerminalExit) => void>();
  private readonly detachedMs: number;
  private readonly exitGraceMs: number;
  private readonly lagMs: number;
  /** Connections left behind (see the top), with the bytes they have yet to acknowledge. */
  private readonly behind = new Map<number, number>();
  private lagTimer: ReturnType<typeof setTimeout> | undefined;
  private detachTimer: ReturnType<typeof setTimeout> | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingExit: TerminalExit | undefined;
  private exit: TerminalExit | undefined;
  private seq = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private batches = 0;
  private size: { cols: number; rows: number };
  private disposed = false;

  constructor(
    readonly id: string,
    readonly target: TerminalTarget,
    private readonly source: TerminalSource,
    size: { cols: number; rows: number },
    options: SessionOptions = {},
  ) {
    this.size = { ...size };
    this.detachedMs = options.detachedMs ?? 10 * 60_000;
    this.exitGraceMs = options.exitGraceMs ?? 5_000;
    this.lagMs = options.lagMs ?? 2_000;
    this.scrollback = new Scrollback(options.scrollbackBytes ?? TERMINAL_SCROLLBACK_BYTES);
    this.batcher = new Utf8Batcher({
      maxBytes: options.batchBytes ?? TERMINAL_BATCH_BYTES,
      delayMs: options.batchMs ?? TERMINAL_BATCH_MS,
      onBatch: (output) => this.deliver(output),
    });
    this.flow = new FlowController<number>({
      high: options.high ?? TERMINAL_HIGH_WATER,
      low: options.low ?? TERMINAL_LOW_WATER,
      pause: () => {
        this.batcher.pause();
        this.source.pause();
        this.armLagTimer();
      },
      resume: () => {
        this.clearLagTimer();
        this.source.resume();
        this.batcher.resume();
        this.maybeFinish();
      },
    });
    source.onData((chunk) => {
      if (this.disposed || this.pendingExit) return;
      this.bytesIn += chunk.length;
      this.batcher.push(chunk);
    });
    source.onExit((exit) => this.sourceEnded(exit));
    this.armDetachTimer();
  }

  get running(): boolean {
    return !this.exit;
  }

  info(): TerminalSessionInfo {
    return {
      id: this.id,
      kind: this.target.kind,
      target: this.target,
      title: this.source.title,
      cols: this.size.cols,
      rows: this.size.rows,
      state: this.exit ? 'exited' : 'running',
      exitCode: this.exit?.code ?? null,
      exitMessage: this.exit?.message ?? null,
      createdAt: this.createdAt,
    };
  }

  stats(): SessionStats {
    return {
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      batches: this.batches,
      maxUnacked: this.flow.maxUnacked,
      paused: this.flow.paused,
      subscribers: this.subscribers.size,
    };
  }

  onExit(listener: (exit: TerminalExit) => void): () => void {
    if (this.exit) {
      const exit = this.exit;
      queueMicrotask(() => listener(exit));
      return () => {};
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Adds a subscriber: it receives the scrollback now, then live output. `connection` keys its
   * acknowledgements. Returns the function that detaches it.
   */
  attach(connection: number, emit: (batch: TerminalBatch) => void, end: () => void): () => void {
    const sub: Subscriber = { connection, emit, end };
    if (this.exit || this.disposed) {
      const snap = this.scrollback.snapshot();
      if (snap.length) emit({ output: snap, seq: this.seq, replay: true });
      emit({ output: NOTHING, seq: this.seq, exit: this.exit ?? { code: null, message: 'The terminal session was closed.' } });
      end();
      return () => {};
    }
    this.subscribers.add(sub);
    this.connections.set(connection, (this.connections.get(connection) ?? 0) + 1);
    this.clearDetachTimer();
    // (a connection left behind gets its replay when it catches up)
    if (!this.behind.has(connection)) {
      this.flow.add(connection);
      this.replayTo(sub);
      if (this.flow.paused) this.armLagTimer();
    }
    return () => this.detach(sub);
  }

  write(data: string): void {
    if (this.exit || this.pendingExit || this.disposed) return;
    this.source.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.exit || this.disposed) return;
    this.size = { cols, rows };
    this.source.resize(cols, rows);
  }

  ack(connection: number, bytes: number): void {
    const owed = this.behind.get(connection);
    if (owed === undefined) return this.flow.ack(connection, bytes);
    if (!(bytes > 0)) return;
    if (owed > bytes) return void this.behind.set(connection, owed - bytes);
    // caught up with what it was sent: it starts over from the scrollback and is paced again
    this.behind.delete(connection);
    if (this.exit || this.disposed) return;
    this.flow.add(connection);
    for (const s of this.subscribers) if (s.connection === connection) this.replayTo(s);
  }

  /** Ends the shell; the session finishes when the source reports its exit. */
  kill(): void {
    if (this.exit || this.disposed) return;
    this.source.kill();
  }

  /** Frees everything at once: kills a running source, ends subscriptions. */
  dispose(): void {
    if (this.disposed) return;
    if (!this.exit) {
      this.finish({ code: null, message: 'The terminal session was closed.' });
      this.source.kill();
    }
    this.disposed = true;
    this.clearLagTimer();
    this.batcher.dispose();
    this.clearDetachTimer();
    this.exitListeners.clear();
  }

  private deliver(output: Uint8Array): void {
    const bytes = output.length;
    this.seq++;
    this.batches++;
    this.bytesOut += bytes;
    this.scrollback.append(output);
    const batch: TerminalBatch = { output, seq: this.seq };
    for (const s of this.subscribers) if (!this.behind.has(s.connection)) s.emit(batch);
    this.flow.sent(bytes);
  }

  /** The scrollback as a replay to one subscriber, counted as sent to its connection. */
  private replayTo(sub: Subscriber): void {
    const snap = this.scrollback.snapshot();
    sub.emit({ output: snap, seq: this.seq, replay: true });
    this.flow.sentTo(sub.connection, snap.length);
  }

  private armLagTimer(): void {
    if (this.lagTimer || this.connections.size < 2) return;
    this.lagTimer = setTimeout(() => {
      this.lagTimer = undefined;
      this.leaveBehind();
    }, this.lagMs);
    this.lagTimer.unref?.();
  }

  private clearLagTimer(): void {
    if (this.lagTimer) clearTimeout(this.lagTimer);
    this.lagTimer = undefined;
  }

  /**
   * Still paused after `lagMs`: the connections above the low-water mark are left behind, if some
   * other has caught up. When every paced connection is that slow, that is the pace the output is
   * read at, and nobody is left behind (looked at again after another `lagMs`).
   */
  private leaveBehind(): void {
    if (!this.flow.paused || this.exit || this.disposed) return;
    const paced = [...this.connections.keys()].filter((c) => !this.behind.has(c));
    const slow = paced.filter((c) => this.flow.unackedOf(c) > this.flow.low);
    if (!slow.length || slow.length === paced.length) return this.armLagTimer();
    for (const c of slow) {
      this.behind.set(c, this.flow.unackedOf(c));
      this.flow.remove(c); // (resumes the source once the rest are below the low-water mark)
    }
  }

  private detach(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    const left = (this.connections.get(sub.connection) ?? 1) - 1;
    if (left > 0) this.connections.set(sub.connection, left);
    else {
      this.connections.delete(sub.connection);
      this.behind.delete(sub.connection);
      this.flow.remove(sub.connection);
    }
    this.armDetachTimer();
  }

  private armDetachTimer(): void {
    if (this.subscribers.size || this.exit || this.detachTimer) return;
    this.detachTimer = setTimeout(() => {
      this.detachTimer = undefined;
      if (!this.subscribers.size) this.kill();
    }, this.detachedMs);
    this.detachTimer.unref?.();
  }

  private clearDetachTimer(): void {
    if (this.detachTimer) clearTimeout(this.detachTimer);
    this.detachTimer = undefined;
  }

  private sourceEnded(exit: TerminalExit): void {
    if (this.exit || this.pendingExit) return;
    this.pendingExit = exit;
    this.batcher.end();
    if (this.batcher.pending > 0) {
      // A subscriber has not caught up: give it a moment, then deliver regardless.
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        this.batcher.resume();
        this.maybeFinish();
      }, this.exitGraceMs);
      this.graceTimer.unref?.();
    }
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.pendingExit && !this.exit && this.batcher.pending === 0) this.finish(this.pendingExit);
  }

  private finish(exit: TerminalExit): void {
    if (this.exit) return;
    this.exit = exit;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.clearDetachTimer();
    this.clearLagTimer();
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subs) {
      // one left behind sees the end of the output before the exit
      if (this.behind.has(s.connection)) this.replayTo(s);
      s.emit({ output: NOTHING, seq: this.seq, exit });
      s.end();
    }
    const listeners = [...this.exitListeners];
    this.exitListeners.clear();
    for (const l of listeners) l(exit);
  }
}
