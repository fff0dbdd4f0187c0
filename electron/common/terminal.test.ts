import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  encodeTerminalEnd,
  encodeTerminalFrame,
  FlowController,
  Scrollback,
  TerminalFrameDecoder,
  terminalData,
  batchAsData,
  type TerminalBatch,
  terminalSessionInfo,
  terminalTarget,
  Utf8Batcher,
  utf8SafeCut,
} from './terminal.js';

const enc = new TextEncoder();
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A batcher that records what it emits (gathering only, unless `immediateWhenQuiet`). */
function recorder(maxBytes = 64 * 1024, delayMs = 5, immediateWhenQuiet = false) {
  const out: { text: string; bytes: number }[] = [];
  const b = new Utf8Batcher({ maxBytes, delayMs, immediateWhenQuiet, onBatch: (output) => out.push({ text: dec(output), bytes: output.length }) });
  return { b, out, text: () => out.map((o) => o.text).join(''), bytes: () => out.reduce((n, o) => n + o.bytes, 0) };
}

/** A deterministic PRNG, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** No emitted string may start with a lone low surrogate or end with a lone high surrogate or hold U+FFFD it should not. */
function noSplitCharacters(out: { text: string }[]): void {
  for (const { text } of out) {
    expect(text).not.toContain('\uFFFD');
    if (text.length) {
      expect(/^[\uDC00-\uDFFF]/.test(text)).toBe(false);
      expect(/[\uD800-\uDBFF]$/.test(text)).toBe(false);
    }
  }
}

describe('terminal schemas', () => {
  it.each([
    [{ kind: 'node', lab: 'lab', node: 'manager1' }, true],
    [{ kind: 'task', lab: 'lab', taskId: 'abc123' }, true],
    [{ kind: 'local' }, true],
    [{ kind: 'node', lab: 'lab' }, false],
    [{ kind: 'task', lab: '', taskId: 'x' }, false],
    [{ kind: 'ssh' }, false],
  ])('target %j valid: %s', (target, ok) => {
    expect(terminalTarget.safeParse(target).success).toBe(ok);
  });

  it('accepts session info and data payloads', () => {
    expect(
      terminalSessionInfo.parse({
        id: 't1', kind: 'local', target: { kind: 'local' }, title: 'bash', cols: 80, rows: 24,
        state: 'exited', exitCode: 0, exitMessage: 'The shell exited with code 0.', createdAt: 1,
      }).state,
    ).toBe('exited');
    expect(terminalData.parse({ data: 'x', seq: 3, bytes: 1, exit: { code: null, message: 'gone' } }).exit?.code).toBeNull();
  });
});

describe('utf8SafeCut', () => {
  it.each([
    ['ascii', [0x61, 0x62], 1, 1],
    ['before a 2-byte lead', [0x61, 0xc3, 0xa9], 1, 1],
    ['inside a 2-byte char', [0xc3, 0xa9], 1, 0],
    ['after a 2-byte char', [0xc3, 0xa9, 0x61], 2, 2],
    ['inside a 3-byte char at 2', [0xe2, 0x82, 0xac], 2, 0],
    ['end of incomplete 4-byte', [0x61, 0xf0, 0x9f, 0x98], 4, 1],
    ['end of complete 4-byte', [0xf0, 0x9f, 0x98, 0x80], 4, 4],
    ['stray continuations', [0x80, 0x80, 0x80, 0x80, 0x80], 5, 5],
    ['invalid lead 0xff', [0x61, 0xff], 2, 2],
    ['a lead and a stray continuation', [0xe2, 0x82, 0xac, 0x82], 4, 4],
  ])('%s', (_name, bytes, at, expected) => {
    expect(utf8SafeCut(Uint8Array.from(bytes), at)).toBe(expected);
  });
});

describe('Utf8Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const characters: [string, string][] = [
    ['2-byte é', 'é'],
    ['3-byte €', '€'],
    ['3-byte CJK 漢', '漢'],
    ['4-byte 😀', '😀'],
    ['emoji ZWJ family 👩‍👩‍👧', '👩‍👩‍👧'],
    ['flag 🇫🇷', '🇫🇷'],
  ];

  for (const [name, ch] of characters) {
    const text = `a${ch}b${ch}${ch}c`;
    const bytes = enc.encode(text);
    it(`${name}: split at every byte boundary and flushed between the halves`, () => {
      for (let i = 0; i <= bytes.length; i++) {
        const { b, out, text: got, bytes: count } = recorder();
        b.push(bytes.subarray(0, i));
        vi.advanceTimersByTime(10);
        b.push(bytes.subarray(i));
        vi.advanceTimersByTime(10);
        expect(got()).toBe(text);
        expect(count()).toBe(bytes.length);
        noSplitCharacters(out);
      }
    });

    it(`${name}: one byte at a time, flushed after every byte`, () => {
      const { b, out, text: got } = recorder();
      for (const byte of bytes) {
        b.push(Uint8Array.of(byte));
        b.flush();
      }
      expect(got()).toBe(text);
      noSplitCharacters(out);
    });
  }

  it('keeps an incomplete character until its last byte arrives, even across timer flushes', () => {
    const { b, out } = recorder();
    b.push(Uint8Array.of(0x41, 0xf0, 0x9f));
    vi.advanceTimersByTime(50);
    expect(out).toEqual([{ text: 'A', bytes: 1 }]);
    expect(b.pending).toBe(2);
    b.push(Uint8Array.of(0x98, 0x80));
    vi.advanceTimersByTime(50);
    expect(out).toEqual([{ text: 'A', bytes: 1 }, { text: '😀', bytes: 4 }]);
  });

  it.each([
    ['lone continuation', [0x61, 0x80, 0x62], 'a\uFFFDb'],
    ['invalid byte 0xff', [0xff, 0x61], '\uFFFDa'],
    ['truncated 3-byte then ascii', [0xe2, 0x82, 0x61], '\uFFFDa'],
    ['overlong 0xc0 0xaf', [0xc0, 0xaf], '\uFFFD\uFFFD'],
    ['surrogate encoded 0xed 0xa0 0x80', [0xed, 0xa0, 0x80], '\uFFFD\uFFFD\uFFFD'],
  ])('invalid bytes (%s) become U+FFFD and are still counted', (_n, raw, expected) => {
    const bytes = Uint8Array.from(raw);
    for (let i = 0; i <= bytes.length; i++) {
      const { b, text, bytes: count } = recorder();
      b.push(bytes.subarray(0, i));
      vi.advanceTimersByTime(10);
      b.push(bytes.subarray(i));
      b.end();
      expect(text()).toBe(expected);
      expect(count()).toBe(bytes.length);
    }
  });

  it('end() emits an incomplete trailing character as U+FFFD', () => {
    const { b, out } = recorder();
    b.push(Uint8Array.of(0x61, 0xe2, 0x82));
    b.end();
    expect(out.map((o) => o.text).join('')).toBe('a\uFFFD');
    expect(out.reduce((n, o) => n + o.bytes, 0)).toBe(3);
    expect(() => b.push(Uint8Array.of(1))).toThrow();
  });

  it('flushes after the delay, counted from the first pending byte', () => {
    const { b, out } = recorder(1024, 5);
    b.push(enc.encode('ab'));
    vi.advanceTimersByTime(3);
    b.push(enc.encode('cd'));
    vi.advanceTimersByTime(1);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([{ text: 'abcd', bytes: 4 }]);
    vi.advanceTimersByTime(100);
    expect(out).toHaveLength(1);
  });

  it('flushes at once at the size cap, and never emits more than the cap', () => {
    const { b, out } = recorder(16, 1000);
    b.push(enc.encode('0123456789'));
    expect(out).toEqual([]);
    b.push(enc.encode('abcdefghij'));
    expect(out).toEqual([{ text: '0123456789abcdef', bytes: 16 }]);
    b.push(enc.encode('x'.repeat(40)));
    expect(out.map((o) => o.bytes)).toEqual([16, 16, 16]);
    vi.advanceTimersByTime(1000);
    expect(out.map((o) => o.bytes)).toEqual([16, 16, 16, 12]);
    expect(out.map((o) => o.text).join('')).toBe('0123456789abcdefghij' + 'x'.repeat(40));
  });

  it('moves a size-cap cut back to a character boundary', () => {
    const { b, out } = recorder(8, 1000);
    b.push(enc.encode('abcdefg€h')); // € spans bytes 7–9
    expect(out).toEqual([{ text: 'abcdefg', bytes: 7 }]);
    vi.advanceTimersByTime(1000);
    expect(out[1]).toEqual({ text: '€h', bytes: 4 });
  });

  it('emits nothing while paused and everything pending on resume', () => {
    const { b, out } = recorder(8, 5);
    b.pause();
    b.push(enc.encode('0123456789abcdef'));
    vi.advanceTimersByTime(100);
    expect(out).toEqual([]);
    b.end();
    expect(out).toEqual([]);
    b.resume();
    expect(out.map((o) => o.text)).toEqual(['01234567', '89abcdef']);
  });

  it('loses no byte over random chunkings (property)', () => {
    const random = rng(42);
    const alphabet = ['a', 'é', '€', '漢', '😀', '\r\n', '\x1b[31m', '👩‍👩‍👧'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      const len = Math.floor(random() * 300);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const bytes = enc.encode(text);
      const cap = 4 + Math.floor(random() * 60);
      const { b, out, text: got, bytes: count } = recorder(cap, 3);
      let at = 0;
      while (at < bytes.length) {
        const n = 1 + Math.floor(random() * 20);
        b.push(bytes.subarray(at, at + n));
        at += n;
        if (random() < 0.3) vi.advanceTimersByTime(Math.floor(random() * 6));
        if (random() < 0.1) b.pause();
        if (random() < 0.2) b.resume();
      }
      b.resume();
      b.end();
      expect(got()).toBe(text);
      expect(count()).toBe(bytes.length);
      noSplitCharacters(out);
      for (const o of out) {
        expect(o.bytes).toBeLessThanOrEqual(cap);
        expect(enc.encode(o.text).length).toBe(o.bytes);
      }
    }
  });

  it('random bytes, including invalid ones, decode exactly as one TextDecoder pass', () => {
    const random = rng(7);
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256));
      const { b, bytes: count, text } = recorder(4 + Math.floor(random() * 30), 2);
      let at = 0;
      while (at < bytes.length) {
        const n = 1 + Math.floor(random() * 9);
        b.push(bytes.subarray(at, at + n));
        at += n;
        if (random() < 0.4) vi.advanceTimersByTime(3);
      }
      b.end();
      expect(text()).toBe(dec(bytes));
      expect(count()).toBe(bytes.length);
    }
  });

  it('dispose cancels a pending flush', () => {
    const { b, out } = recorder();
    b.push(enc.encode('abc'));
    b.dispose();
    vi.advanceTimersByTime(100);
    expect(out).toEqual([]);
  });

  it('sends the first chunk after a quiet spell at once, and gathers what follows within the delay', () => {
    const { b, out } = recorder(1024, 16, true);
    b.push(enc.encode('a'));
    expect(out).toEqual([{ text: 'a', bytes: 1 }]); // a keystroke's echo does not wait
    vi.advanceTimersByTime(2);
    b.push(enc.encode('b'));
    b.push(enc.encode('c'));
    expect(out).toHaveLength(1); // still busy: gathered
    vi.advanceTimersByTime(16);
    expect(out).toEqual([
      { text: 'a', bytes: 1 },
      { text: 'bc', bytes: 2 },
    ]);
    vi.advanceTimersByTime(40); // quiet again
    b.push(enc.encode('d'));
    expect(out.at(-1)).toEqual({ text: 'd', bytes: 1 });
  });

  it('under a steady stream emits about one batch per delay, not one per chunk', () => {
    const { b, out, bytes } = recorder(1 << 20, 16, true);
    for (let ms = 0; ms < 1000; ms++) {
      b.push(enc.encode('x'.repeat(100)));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(16);
    expect(bytes()).toBe(100_000);
    expect(out.length).toBeLessThanOrEqual(1000 / 16 + 2);
  });

  it('concatenates many small chunks into one batch', () => {
    const { b, out } = recorder(1024, 5);
    const parts = Array.from({ length: 100 }, (_, i) => enc.encode(String(i % 10)));
    for (const p of parts) b.push(p);
    vi.advanceTimersByTime(5);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toBe(dec(concat(parts)));
  });
});

describe('FlowController', () => {
  function flow(high = 100, low = 20) {
    const events: string[] = [];
    const f = new FlowController<string>({ high, low, pause: () => events.push('pause'), resume: () => events.push('resume') });
    return { f, events };
  }

  it.each<[string, [op: 'sent' | 'ack' | 'add' | 'remove' | 'sentTo', who: string, bytes: number][], string[], boolean]>([
    ['stays open at the high-water mark', [['add', 'a', 0], ['sent', '', 100]], [], false],
    ['pauses above it', [['add', 'a', 0], ['sent', '', 101]], ['pause'], true],
    ['stays paused between the marks', [['add', 'a', 0], ['sent', '', 150], ['ack', 'a', 100]], ['pause'], true],
    ['resumes at the low-water mark', [['add', 'a', 0], ['sent', '', 150], ['ack', 'a', 130]], ['pause', 'resume'], false],
    ['pauses once however much more is sent', [['add', 'a', 0], ['sent', '', 150], ['sent', '', 50], ['sent', '', 50]], ['pause'], true],
    ['without consumers never pauses', [['sent', '', 1000]], [], false],
    ['the slowest consumer decides', [['add', 'a', 0], ['add', 'b', 0], ['sent', '', 150], ['ack', 'a', 150]], ['pause'], true],
    ['both caught up: resume', [['add', 'a', 0], ['add', 'b', 0], ['sent', '', 150], ['ack', 'a', 150], ['ack', 'b', 140]], ['pause', 'resume'], false],
    ['a slow consumer leaving resumes the source', [['add', 'a', 0], ['add', 'b', 0], ['sent', '', 150], ['ack', 'a', 150], ['remove', 'b', 0]], ['pause', 'resume'], false],
    ['a replay counts for its consumer only', [['add', 'a', 0], ['add', 'b', 0], ['sentTo', 'b', 120]], ['pause'], true],
    ['over-acknowledging clamps at zero', [['add', 'a', 0], ['ack', 'a', 500], ['sent', '', 100]], [], false],
    ['acks from unknown consumers are ignored', [['add', 'a', 0], ['sent', '', 150], ['ack', 'x', 150]], ['pause'], true],
    ['pause, resume, pause again', [['add', 'a', 0], ['sent', '', 101], ['ack', 'a', 101], ['sent', '', 101]], ['pause', 'resume', 'pause'], true],
  ])('%s', (_name, ops, expected, paused) => {
    const { f, events } = flow();
    for (const [op, who, bytes] of ops) {
      if (op === 'sent') f.sent(bytes);
      else if (op === 'sentTo') f.sentTo(who, bytes);
      else if (op === 'ack') f.ack(who, bytes);
      else if (op === 'add') f.add(who);
      else f.remove(who);
    }
    expect(events).toEqual(expected);
    expect(f.paused).toBe(paused);
  });

  it('rejects marks in the wrong order', () => {
    expect(() => new FlowController({ high: 10, low: 10, pause: () => {}, resume: () => {} })).toThrow();
  });

  it('a paced source never runs more than one batch past the high-water mark and loses nothing (property)', () => {
    vi.useFakeTimers();
    try {
      const random = rng(3);
      const HIGH = 4096;
      const CAP = 512;
      const total = 200_000;
      let produced = 0;
      let sourcePaused = false;
      let received = 0;
      let acked = 0;
      const inFlight: number[] = [];
      const batcher: Utf8Batcher = new Utf8Batcher({
        maxBytes: CAP,
        delayMs: 2,
        onBatch: ({ length: bytes }) => {
          inFlight.push(bytes);
          received += bytes;
          f.sent(bytes);
        },
      });
      const f: FlowController<string> = new FlowController<string>({
        high: HIGH,
        low: 1024,
        pause: () => {
          sourcePaused = true;
          batcher.pause();
        },
        resume: () => {
          sourcePaused = false;
          batcher.resume();
        },
      });
      f.add('ui');
      while (acked < total) {
        if (!sourcePaused && produced < total) {
          const n = Math.min(total - produced, 1 + Math.floor(random() * 300));
          batcher.push(new Uint8Array(n).fill(0x78));
          produced += n;
          if (produced === total) batcher.end();
        }
        if (random() < 0.3) vi.advanceTimersByTime(1);
        if (inFlight.length && random() < 0.2) {
          const n = inFlight.shift()!;
          acked += n;
          f.ack('ui', n);
        }
        if (!inFlight.length && produced === total && received === total) break;
      }
      while (inFlight.length) f.ack('ui', inFlight.shift()!);
      expect(received).toBe(total);
      expect(f.maxUnacked).toBeGreaterThan(HIGH - CAP);
      expect(f.maxUnacked).toBeLessThanOrEqual(HIGH + CAP);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Scrollback', () => {
  const text = (s: Scrollback) => dec(s.snapshot());

  it('keeps everything under the limit', () => {
    const s = new Scrollback(100);
    s.append(enc.encode('hello '));
    s.append(enc.encode('world'));
    expect(text(s)).toBe('hello world');
    expect(s.bytes).toBe(11);
  });

  it('trims from the front to the limit, whole parts first', () => {
    const s = new Scrollback(10);
    for (const part of ['aaaa', 'bbbb', 'cccc']) s.append(enc.encode(part));
    expect(text(s)).toBe('aabbbbcccc');
    expect(s.bytes).toBe(10);
  });

  it('never splits a character when trimming', () => {
    const s = new Scrollback(9);
    s.append(enc.encode('😀😀😀'));
    expect(text(s)).toBe('😀😀');
    expect(s.bytes).toBe(8);
    const t = new Scrollback(4);
    t.append(enc.encode('é'));
    t.append(enc.encode('😀é')); // trimming 3 bytes lands inside the emoji: all of it goes
    expect(text(t)).toBe('é');
    expect(t.bytes).toBe(2);
  });

  it('never writes to what it was given, and its snapshot does not change with later output', () => {
    const s = new Scrollback(6);
    const first = enc.encode('abcd');
    s.append(first);
    const before = s.snapshot();
    s.append(enc.encode('efgh'));
    expect(dec(before)).toBe('abcd');
    expect(dec(first)).toBe('abcd');
    expect(text(s)).toBe('cdefgh');
  });

  it('stays bounded and a few parts under a long stream of small output', () => {
    const s = new Scrollback(1000);
    for (let i = 0; i < 1000; i++) s.append(enc.encode(`line ${i} é😀\r\n`));
    expect(s.bytes).toBeLessThanOrEqual(1000);
    expect(s.bytes).toBeGreaterThan(950);
    expect((s as unknown as { parts: unknown[] }).parts.length).toBeLessThanOrEqual(65);
    const all = text(s);
    expect(all.endsWith('line 999 é😀\r\n')).toBe(true);
    expect(all).not.toContain('\uFFFD');
    expect(enc.encode(all).length).toBe(s.bytes);
  });
});

describe('batchAsData', () => {
  it('decodes a batch for subscribers that take text, invalid bytes as U+FFFD, keeping the rest of the payload', () => {
    const batch: TerminalBatch = { output: Uint8Array.of(0x61, 0xff, 0xc3, 0xa9), seq: 2, replay: true };
    expect(batchAsData(batch)).toEqual({ data: 'a\uFFFDé', seq: 2, bytes: 4, replay: true });
    expect(batchAsData({ output: new Uint8Array(0), seq: 3 })).toEqual({ data: '', seq: 3, bytes: 0 });
  });

  it('decodes each batch anew, also when the same bytes come again in another batch', () => {
    const a = enc.encode('one');
    expect(batchAsData({ output: a, seq: 1 }).data).toBe('one');
    expect(batchAsData({ output: a, seq: 1 }).data).toBe('one');
    expect(batchAsData({ output: enc.encode('two'), seq: 2 }).data).toBe('two');
  });
});

describe('the output stream of web mode', () => {
  const payloads = [
    { data: 'scrollback\r\n$ ', seq: 3, bytes: 14, replay: true },
    { data: 'naïve ✓ 𝄞 done\r\n', seq: 4, bytes: 22 },
    { data: '', seq: 4, bytes: 0 },
    { data: 'x'.repeat(70_000), seq: 5, bytes: 70_000 },
    { data: '', seq: 5, bytes: 0, exit: { code: 3, message: 'The shell exited with code 3.' } },
  ];
  // two sessions' output interleaved on one stream, as a page's stream carries all its terminals
  const frames = payloads.flatMap((p, i) => [{ id: 'one', p }, ...(i % 2 ? [{ id: 'two', p: { ...p, seq: p.seq + 10 } }] : [])]);
  /** Payload `p` (its data as text) as session `id`'s frame, in one piece. */
  const frameOf = (id: string, { data, ...p }: (typeof payloads)[number]) => concat(encodeTerminalFrame(id, { ...p, output: enc.encode(data) }));
  const stream = concat([...frames.map(({ id, p }) => frameOf(id, p)), encodeTerminalEnd('two')]);
  const expected = [...frames.map(({ id, p }) => ({ ...p, id })), { id: 'two', data: '', seq: 0, bytes: 0, end: true }];
  const asText = (p: { data: Uint8Array }) => ({ ...p, data: dec(p.data) });

  it('gives back every frame, whole and naming its session, however the stream is cut', () => {
    for (const size of [1, 7, 8, 9, 1000, 65536, stream.length]) {
      const decoder = new TerminalFrameDecoder();
      const out = [];
      for (let at = 0; at < stream.length; at += size) out.push(...decoder.push(stream.subarray(at, at + size)));
      expect(out.map(asText), `cut every ${size} bytes`).toEqual(expected);
      expect(decoder.pending).toBe(0);
    }
  });

  it('gives back every frame however the stream is cut and however many chunks wait', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 50; round++) {
      const decoder = new TerminalFrameDecoder();
      const out = [];
      let at = 0;
      while (at < stream.length) {
        // a few chunks of random sizes, pushed one by one, with a frame's end anywhere among them
        const size = 1 + Math.floor(random() * (random() < 0.5 ? 16 : 400));
        out.push(...decoder.push(stream.subarray(at, at + size)));
        at += size;
      }
      expect(out.map(asText), `round ${round}`).toEqual(expected);
      expect(decoder.pending).toBe(0);
    }
  });

  it('sends the output as it is, not copied', () => {
    const invalid = new Uint8Array([0x61, 0xff, 0x62]); // would decode to "a\uFFFDb"; xterm sees the bytes themselves
    const pieces = encodeTerminalFrame('one', { output: invalid, seq: 1 });
    expect(pieces[1]).toBe(invalid);
    const [out] = new TerminalFrameDecoder().push(concat(pieces));
    expect([...out!.data]).toEqual([0x61, 0xff, 0x62]);
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new TerminalFrameDecoder();
    const frame = frameOf('one', payloads[1]!);
    expect(decoder.push(frame.subarray(0, frame.length - 1))).toEqual([]);
    expect(decoder.pending).toBe(frame.length - 1);
    expect(decoder.push(frame.subarray(frame.length - 1)).map(asText)).toEqual([{ ...payloads[1], id: 'one' }]);
  });

  it('refuses a header that is not a payload, or names no session', () => {
    for (const head of [{ id: 'one', seq: -1, bytes: 0 }, { seq: 1, bytes: 0 }]) {
      const header = enc.encode(JSON.stringify(head));
      const frame = new Uint8Array(8 + header.length);
      new DataView(frame.buffer).setUint32(0, header.length);
      frame.set(header, 8);
      expect(() => new TerminalFrameDecoder().push(frame), JSON.stringify(head)).toThrow();
    }
  });
});
