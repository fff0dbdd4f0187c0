/**
 * Terminal sessions: what a session targets, what the UI is told about it, and the pure parts of the
 * one byte pipeline every session uses (DESIGN.md §5):
 *
 * - `Utf8Batcher` gathers raw output chunks and emits them as batches of bytes after a few
 *   milliseconds or at a size cap, never splitting a UTF-8 character across two batches, so each
 *   decodes on its own; the batches' sizes add up to the bytes pushed. The output stays bytes all the
 *   way to web mode's xterm: it is decoded only for a subscriber that takes text (`batchAsData`),
 *   once per batch.
 * - `FlowController` counts bytes sent to each consumer and not yet acknowledged (the renderer acks
 *   after xterm's write callback); it pauses the source above a high-water mark and resumes it once
 *   every consumer is below the low-water mark.
 * - `Scrollback` keeps the last output bytes of a session, bounded, for a renderer that re-attaches.
 *
 * Isomorphic: no Node built-ins, no DOM.
 */
import { z } from 'zod';

/**
 * While output keeps coming it is gathered and emitted this often (after a quiet spell the first chunk
 * leaves at once, so echo is not delayed). One batch per frame keeps a flood to a few messages per
 * frame; `npm run bench:ui` measured 5.7 MiB/s through the app with 5 ms / 64 KiB batches and a
 * 256/64 KiB window, 8 MiB/s with these batches and a 1 MiB / 512 KiB window over the WebSocket.
 */
export const TERMINAL_BATCH_MS = 16;
/** One emitted batch holds at most this many source bytes. */
export const TERMINAL_BATCH_BYTES = 256 * 1024;
/**
 * The source pauses when a consumer has more than this many unacknowledged bytes… Fed by web mode's
 * output stream, xterm writes 1 MiB in ~60 ms on a slow machine, about what it takes the source to
 * answer a resume (acks, the pty, a 16 ms batch): a 1 MiB / 512 KiB window left xterm waiting
 * (10.4–12.4 MiB/s through the app), this one keeps it fed (13.6–13.9 MiB/s). Still a fraction of a
 * second of output: Ctrl+C stops a flood promptly.
 */
export const TERMINAL_HIGH_WATER = 2 * 1024 * 1024;
/** …and resumes when every consumer is at or below this many. */
export const TERMINAL_LOW_WATER = 1024 * 1024;
/** A session retains at most this many bytes of output for re-attaching. */
export const TERMINAL_SCROLLBACK_BYTES = 256 * 1024;

const labName = z.string().min(1).max(64);

export const terminalTarget = z.discriminatedUnion('kind', [
  /** A shell in a practice lab node (docker exec into the node container). */
  z.object({ kind: z.literal('node'), lab: labName, node: z.string().min(1).max(64) }),
  /** A shell in a swarm task's container, on whichever lab node runs it. */
  z.object({ kind: z.literal('task'), lab: labName, taskId: z.string().min(1).max(128) }),
  /** A shell on the machine running the back end. */
  z.object({ kind: z.literal('local') }),
]);
export type TerminalTarget = z.infer<typeof terminalTarget>;
export type TerminalKind = TerminalTarget['kind'];

export const terminalSize = {
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
};

export const terminalSessionInfo = z.object({
  id: z.string(),
  kind: z.enum(['node', 'task', 'local']),
  target: terminalTarget,
  title: z.string(),
  cols: terminalSize.cols,
  rows: terminalSize.rows,
  state: z.enum(['running', 'exited']),
  /** The shell's exit code; null while running, or when the session ended without one (node stopped). */
  exitCode: z.number().int().nullable(),
  /** Why the session ended, in words the UI can show ("manager1 stopped; the session ended."). */
  exitMessage: z.string().nullable(),
  createdAt: z.number(),
});
export type TerminalSessionInfo = z.infer<typeof terminalSessionInfo>;

/** One delivery of the onData event. */
export const terminalData = z.object({
  data: z.string(),
  /** Sequence number of the last batch this payload includes (the replay carries the latest one). */
  seq: z.number().int().nonnegative(),
  /** What to acknowledge once xterm has written `data`. */
  bytes: z.number().int().nonnegative(),
  /** True for the first payload of a subscription: the retained scrollback, not new output. */
  replay: z.boolean().optional(),
  /** Present on the last payload: the session ended (the subscription ends right after). */
  exit: z.object({ code: z.number().int().nullable(), message: z.string() }).optional(),
});
export type TerminalData = z.infer<typeof terminalData>;

/** A delivery as a session makes it: TerminalData with its output as the UTF-8 bytes the source gave (`bytes` is their count). */
export type TerminalBatch = Omit<TerminalData, 'data' | 'bytes'> & { output: Uint8Array };

const textDecoder = new TextDecoder();
/** The last batch turned into text: a session hands the same batch to every subscriber in turn. */
let lastDecoded: { output: Uint8Array; text: string } | undefined;

/**
 * A batch as `terminal.onData` sends it, its output decoded to text (decoded once however many
 * subscribers ask in a row; bytes that are not UTF-8 become U+FFFD).
 */
export function batchAsData(batch: TerminalBatch): TerminalData {
  const { output, ...rest } = batch;
  if (lastDecoded?.output !== output) lastDecoded = { output, text: output.length ? textDecoder.decode(output) : '' };
  return { ...rest, data: lastDecoded.text, bytes: output.length };
}

// ── UTF-8 batching ──────────────────────────────────────────────────────────

/** `parts` joined into one array of `size` bytes (their total); a single part is returned as it is. */
function joinBytes(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Length of the UTF-8 sequence a lead byte starts: 1 for ASCII, 2–4 for leads, 0 for anything else. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * The largest cut point ≤ `at` that does not split a UTF-8 sequence which starts before it and is
 * still (possibly) well-formed. Cutting before a non-continuation byte never changes how a WHATWG
 * decoder reads the bytes, so decoding the pieces separately equals decoding them together.
 */
export function utf8SafeCut(bytes: Uint8Array, at: number): number {
  let i = at - 1;
  let back = 0;
  while (i >= 0 && back < 3 && ((bytes[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return at;
  const need = sequenceLength(bytes[i] ?? 0);
  return need > 1 && at - i < need ? i : at;
}

export interface Utf8BatcherOptions {
  /** Receives each batch of bytes (a view of its own, which the batcher never writes to again). */
  onBatch(output: Uint8Array): void;
  maxBytes?: number;
  delayMs?: number;
  /**
   * When no batch went out in the last `delayMs`, emit a new chunk at once instead of waiting
   * (default true): a keystroke's echo leaves without delay, while a flood is still gathered into
   * one batch per `delayMs`.
   */
  immediateWhenQuiet?: boolean;
}

/**
 * Accumulates byte chunks; emits a batch `delayMs` after the first pending byte, or at once when
 * `maxBytes` are pending, or at once when the output had been quiet for `delayMs` (see
 * `immediateWhenQuiet`). An incomplete character at the end waits for its remaining bytes. While
 * paused nothing is emitted (bytes keep accumulating); `resume` flushes what is pending.
 */
export class Utf8Batcher {
  private readonly maxBytes: number;
  private readonly delayMs: number;
  private readonly onBatch: (output: Uint8Array) => void;
  private chunks: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private held = false;
  private ended = false;
  private readonly immediateWhenQuiet: boolean;
  private lastEmitAt = -Infinity;

  constructor(options: Utf8BatcherOptions) {
    this.maxBytes = Math.max(4, options.maxBytes ?? TERMINAL_BATCH_BYTES);
    this.delayMs = options.delayMs ?? TERMINAL_BATCH_MS;
    this.onBatch = options.onBatch;
    this.immediateWhenQuiet = options.immediateWhenQuiet ?? true;
  }

  /** Bytes received and not yet emitted (including an incomplete trailing character). */
  get pending(): number {
    return this.pendingBytes;
  }

  get paused(): boolean {
    return this.held;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('Utf8Batcher: push after end');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.held) return;
    if (this.pendingBytes >= this.maxBytes) this.drain(false, true);
    else if (this.immediateWhenQuiet && this.timer === undefined && Date.now() - this.lastEmitAt >= this.delayMs) this.drain(false);
    else this.schedule();
  }

  /** Stops emitting until `resume`. */
  pause(): void {
    this.held = true;
    this.clearTimer();
  }

  resume(): void {
    if (!this.held) return;
    this.held = false;
    this.drain(this.ended);
  }

  /** Emits everything pending now, except an incomplete trailing character. */
  flush(): void {
    if (!this.held) this.drain(false);
  }

  /** The source ended: everything pending is emitted (an incomplete tail as U+FFFD), now or on resume. */
  end(): void {
    this.ended = true;
    if (!this.held) this.drain(true);
  }

  dispose(): void {
    this.clearTimer();
    this.chunks = [];
    this.pendingBytes = 0;
    this.ended = true;
  }

  private schedule(): void {
    if (this.timer === undefined && this.pendingBytes > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain(false);
      }, this.delayMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Emits batches of at most maxBytes until only an incomplete tail is left (or nothing, when final);
   * with `fullOnly`, only full-size batches, leaving the rest for the timer.
   */
  private drain(final: boolean, fullOnly = false): void {
    this.clearTimer();
    if (this.pendingBytes === 0) return;
    let buf = this.take();
    while (buf.length > 0 && !this.held && (!fullOnly || buf.length >= this.maxBytes)) {
      const limit = Math.min(buf.length, this.maxBytes);
      let cut = final && limit === buf.length ? limit : utf8SafeCut(buf, limit);
      if (cut === 0) {
        if (limit < buf.length) cut = limit; // cannot happen with maxBytes ≥ 4; never loop forever
        else break; // only an incomplete character is pending: wait for the rest
      }
      const piece = buf.subarray(0, cut);
      buf = buf.subarray(cut);
      this.pendingBytes -= cut;
      this.lastEmitAt = Date.now();
      this.onBatch(piece);
    }
    this.chunks = buf.length ? [buf] : [];
    if (this.pendingBytes > 0 && !this.held && !this.ended) this.schedule();
  }

  private take(): Uint8Array {
    const all = joinBytes(this.chunks, this.pendingBytes);
    this.chunks = [all];
    return all;
  }
}

// ── flow control ────────────────────────────────────────────────────────────

export interface FlowControllerOptions {
  high?: number;
  low?: number;
  pause(): void;
  resume(): void;
}

/**
 * Unacknowledged bytes per consumer. `pause()` is called when any consumer goes above `high`,
 * `resume()` when every consumer is at or below `low` (or has gone). With no consumer the source
 * runs freely (output then only fills the scrollback).
 */
export class FlowController<K = unknown> {
  readonly high: number;
  readonly low: number;
  private readonly unacked = new Map<K, number>();
  private readonly onPause: () => void;
  private readonly onResume: () => void;
  private isPaused = false;
  private peak = 0;

  constructor(options: FlowControllerOptions) {
    this.high = options.high ?? TERMINAL_HIGH_WATER;
    this.low = options.low ?? TERMINAL_LOW_WATER;
    if (!(this.low >= 0 && this.low < this.high)) throw new Error('FlowController: need 0 ≤ low < high');
    this.onPause = options.pause;
    this.onResume = options.resume;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** The highest unacknowledged count any consumer reached. */
  get maxUnacked(): number {
    return this.peak;
  }

  unackedOf(consumer: K): number {
    return this.unacked.get(consumer) ?? 0;
  }

  /** The largest unacknowledged count right now. */
  get worst(): number {
    let worst = 0;
    for (const n of this.unacked.values()) worst = Math.max(worst, n);
    return worst;
  }

  add(consumer: K): void {
    if (!this.unacked.has(consumer)) this.unacked.set(consumer, 0);
  }

  remove(consumer: K): void {
    if (this.unacked.delete(consumer)) this.update();
  }

  /** Bytes sent to every consumer. */
  sent(bytes: number): void {
    for (const k of this.unacked.keys()) this.bump(k, bytes);
    this.update();
  }

  /** Bytes sent to one consumer (a scrollback replay). */
  sentTo(consumer: K, bytes: number): void {
    if (!this.unacked.has(consumer)) return;
    this.bump(consumer, bytes);
    this.update();
  }

  ack(consumer: K, bytes: number): void {
    const n = this.unacked.get(consumer);
    if (n === undefined || !(bytes > 0)) return;
    this.unacked.set(consumer, Math.max(0, n - bytes));
    this.update();
  }

  private bump(k: K, bytes: number): void {
    const n = (this.unacked.get(k) ?? 0) + bytes;
    this.unacked.set(k, n);
    if (n > this.peak) this.peak = n;
  }

  private update(): void {
    const worst = this.worst;
    if (!this.isPaused && worst > this.high) {
      this.isPaused = true;
      this.onPause();
    } else if (this.isPaused && worst <= this.low) {
      this.isPaused = false;
      this.onResume();
    }
  }
}

// ── scrollback ──────────────────────────────────────────────────────────────

const encoder = new TextEncoder();

/** The last output of a session, at most `limit` bytes, trimmed from the front at a character's start. */
export class Scrollback {
  /** Views of batches as they came (batches are never written to again), oldest first. */
  private parts: Uint8Array[] = [];
  private total = 0;

  constructor(readonly limit: number = TERMINAL_SCROLLBACK_BYTES) {}

  get bytes(): number {
    return this.total;
  }

  append(output: Uint8Array): void {
    if (!output.length) return;
    this.parts.push(output);
    this.total += output.length;
    while (this.total > this.limit && this.parts.length) {
      const first = this.parts[0]!;
      let cut = this.total - this.limit;
      while (cut < first.length && (first[cut]! & 0xc0) === 0x80) cut++; // not inside a character (none spans two batches)
      if (cut >= first.length) {
        this.parts.shift();
        this.total -= first.length;
      } else {
        this.parts[0] = first.subarray(cut);
        this.total -= cut;
      }
    }
    // many small parts (echoes, prompts) are joined, so the scrollback stays a few objects
    if (this.parts.length > 64) this.parts = [this.snapshot()];
  }

  /** Everything retained, as one array of bytes. */
  snapshot(): Uint8Array {
    const all = joinBytes(this.parts, this.total);
    this.parts = all.length ? [all] : [];
    return all;
  }
}

// ── web mode's output stream ────────────────────────────────────────────────

/**
 * In web mode terminals' output comes over a streamed HTTP response, not over the RPC WebSocket:
 * measured in Chromium on a 2-core machine, a WebSocket delivered a flood to xterm at 10–11 MiB/s
 * with xterm idle, waiting for data, a third of the time, while a streamed response kept it fed
 * (15–20 MiB/s, as fast as xterm.write straight from memory).
 *
 * A page opens one stream (GET TERMINAL_STREAM_PATH) for all its terminals: a browser keeps at most six
 * HTTP/1.1 connections to a server, so a stream per terminal would leave a seventh terminal (and any
 * other request) waiting for good. The response's TERMINAL_STREAM_KEY_HEADER names the stream; the page
 * then attaches each terminal session to it (POST TERMINAL_STREAM_PATH?stream=…&id=…; DELETE detaches).
 * Each `terminal.onData` payload of an attached session is one frame naming the session, starting with
 * its replay; an `end` frame says the session's output is over (after its exit payload, or it is
 * gone). Acks name the stream (`terminal.ack`'s `stream`).
 */
export const TERMINAL_STREAM_PATH = '/terminal-output';
export const TERMINAL_STREAM_KEY_HEADER = 'x-swarm-lab-stream';

/** A frame's header: a payload of `terminal.onData` without its data, and the session it belongs to. */
const terminalStreamHeader = terminalData.omit({ data: true }).extend({
  id: z.string().min(1),
  /** The session's output is over: nothing more comes for it on this stream. */
  end: z.literal(true).optional(),
});

/** A frame of the output stream: as TerminalData, its output as UTF-8 bytes, naming its session. */
export type TerminalStreamPayload = z.infer<typeof terminalStreamHeader> & { data: Uint8Array };

const FRAME_HEAD = 8;

/**
 * A batch of session `id` as a frame, in two pieces to be written one after the other: the head
 * (header length and output length, u32 big-endian, then the header as JSON), and the output itself,
 * not copied.
 */
export function encodeTerminalFrame(id: string, batch: TerminalBatch): [Uint8Array, Uint8Array] {
  const { output, ...rest } = batch;
  return [frameHead({ ...rest, bytes: output.length, id }, output.length), output];
}

/** The frame that ends session `id`'s output on a stream. */
export function encodeTerminalEnd(id: string): Uint8Array {
  return frameHead({ id, seq: 0, bytes: 0, end: true }, 0);
}

function frameHead(head: Omit<TerminalStreamPayload, 'data'>, bodyLength: number): Uint8Array {
  const header = encoder.encode(JSON.stringify(head));
  const frame = new Uint8Array(FRAME_HEAD + header.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, header.length);
  view.setUint32(4, bodyLength);
  frame.set(header, FRAME_HEAD);
  return frame;
}

/** Turns the stream's chunks, however they were cut, back into payloads. */
export class TerminalFrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): TerminalStreamPayload[] {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out: TerminalStreamPayload[] = [];
    for (;;) {
      if (this.buffered < FRAME_HEAD) break;
      const head = this.peek(FRAME_HEAD);
      const view = new DataView(head.buffer, head.byteOffset, FRAME_HEAD);
      const [headerLength, dataLength] = [view.getUint32(0), view.getUint32(4)];
      if (this.buffered < FRAME_HEAD + headerLength + dataLength) break;
      const frame = this.take(FRAME_HEAD + headerLength + dataLength);
      const header = terminalStreamHeader.parse(JSON.parse(this.decoder.decode(frame.subarray(FRAME_HEAD, FRAME_HEAD + headerLength))));
      out.push({ ...header, data: frame.subarray(FRAME_HEAD + headerLength) });
    }
    return out;
  }

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  /** The first `n` buffered bytes, joined into the first chunk when they span several. */
  private peek(n: number): Uint8Array {
    this.gather(n);
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Uint8Array {
    this.gather(n);
    const first = this.chunks[0]!;
    const frame = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return frame;
  }

  /**
   * Joins the leading chunks that hold the first `n` bytes into one, and only those: the frames
   * after them that lie whole in one chunk are handed on as they are, not copied.
   */
  private gather(n: number): void {
    if (this.chunks[0]!.length >= n) return;
    let count = 0;
    let size = 0;
    while (size < n) size += this.chunks[count++]!.length;
    this.chunks.splice(0, count, joinBytes(this.chunks.slice(0, count), size));
  }
}
