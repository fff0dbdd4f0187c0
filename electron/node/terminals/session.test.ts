import { afterEach, describe, expect, it, vi } from 'vitest';
import { terminalFeature } from '../../common/contracts/terminal.js';
import { createRpcClient } from '../../common/rpc/client.js';
import { defineContract } from '../../common/rpc/contract.js';
import { createRpcServer } from '../../common/rpc/server.js';
import { createMemoryPipe } from '../../common/rpc/transport.js';
import { batchAsData, type TerminalData } from '../../common/terminal.js';
import { createTerminalHandlers } from './handlers.js';
import { TerminalManager } from './manager.js';
import { TerminalSession, type TerminalExit, type TerminalSource } from './session.js';

/** A scriptable source: the test pushes output and ends it; it records what the session asks. */
class FakeSource implements TerminalSource {
  readonly title = 'fake';
  paused = false;
  killed = false;
  written: string[] = [];
  sizes: [number, number][] = [];
  pauses = 0;
  private data?: (c: Uint8Array) => void;
  private exit?: (e: TerminalExit) => void;
  onData(l: (c: Uint8Array) => void): void {
    this.data = l;
  }
  onExit(l: (e: TerminalExit) => void): void {
    this.exit = l;
  }
  write(d: string): void {
    this.written.push(d);
  }
  resize(c: number, r: number): void {
    this.sizes.push([c, r]);
  }
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
  }
  kill(): void {
    this.killed = true;
    this.end({ code: null, message: 'killed' });
  }
  emit(text: string | Uint8Array): void {
    this.data?.(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  }
  end(e: TerminalExit): void {
    this.exit?.(e);
  }
}

const opts = { batchMs: 2, batchBytes: 1024, high: 4096, low: 1024, scrollbackBytes: 2048 };
const target = { kind: 'local' as const };

afterEach(() => vi.useRealTimers());

describe('TerminalSession', () => {
  it('replays the scrollback to a new subscriber, then streams live output with increasing seq', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, opts);
    src.emit('before ');
    vi.advanceTimersByTime(5);
    const got: TerminalData[] = [];
    s.attach(1, (p) => got.push(batchAsData(p)), () => {});
    src.emit('after');
    vi.advanceTimersByTime(5);
    expect(got).toEqual([
      { data: 'before ', seq: 1, bytes: 7, replay: true },
      { data: 'after', seq: 2, bytes: 5 },
    ]);
    s.dispose();
  });

  it('pauses the source above the high-water mark and resumes it after acks', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, opts);
    const got: TerminalData[] = [];
    s.attach(7, (p) => got.push(batchAsData(p)), () => {});
    for (let i = 0; i < 5; i++) src.emit('x'.repeat(1024));
    expect(src.paused).toBe(true);
    expect(s.stats().maxUnacked).toBeLessThanOrEqual(4096 + 1024);
    src.emit('y'.repeat(3000)); // in flight when paused: held, not sent
    vi.advanceTimersByTime(50);
    const sent = got.reduce((n, p) => n + p.bytes, 0);
    expect(sent).toBe(5 * 1024);
    s.ack(7, sent);
    expect(src.paused).toBe(false);
    vi.advanceTimersByTime(50);
    expect(got.reduce((n, p) => n + p.bytes, 0)).toBe(5 * 1024 + 3000);
    s.dispose();
  });

  it('delivers pending output before the exit, then ends subscriptions and keeps the exit for late subscribers', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, opts);
    const got: TerminalData[] = [];
    let ended = 0;
    s.attach(1, (p) => got.push(batchAsData(p)), () => ended++);
    src.emit('bye\r\n');
    src.end({ code: 3, message: 'The shell exited with code 3.' });
    expect(got.map((p) => p.data)).toEqual(['', 'bye\r\n', '']);
    expect(got.at(-1)?.exit).toEqual({ code: 3, message: 'The shell exited with code 3.' });
    expect(ended).toBe(1);
    expect(s.info()).toMatchObject({ state: 'exited', exitCode: 3, exitMessage: 'The shell exited with code 3.' });
    const late: TerminalData[] = [];
    s.attach(2, (p) => late.push(batchAsData(p)), () => ended++);
    expect(late.map((p) => [p.data, !!p.replay, !!p.exit])).toEqual([['bye\r\n', true, false], ['', false, true]]);
    expect(ended).toBe(2);
  });

  it('holds the exit until a slow subscriber has caught up (or the grace period passes)', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, { ...opts, exitGraceMs: 1000 });
    const got: TerminalData[] = [];
    s.attach(1, (p) => got.push(batchAsData(p)), () => {});
    for (let i = 0; i < 6; i++) src.emit('x'.repeat(1024));
    src.end({ code: 0, message: 'done' });
    expect(s.running).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(s.running).toBe(false);
    expect(got.reduce((n, p) => n + p.bytes, 0)).toBe(6 * 1024);
    expect(got.at(-1)?.exit?.message).toBe('done');
  });

  it('kills a session nobody watches after the detached period', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, { ...opts, detachedMs: 10_000 });
    const detach = s.attach(1, () => {}, () => {});
    vi.advanceTimersByTime(20_000);
    expect(src.killed).toBe(false);
    detach();
    vi.advanceTimersByTime(9_999);
    expect(src.killed).toBe(false);
    s.attach(2, () => {}, () => {})();
    vi.advanceTimersByTime(10_000);
    expect(src.killed).toBe(true);
    expect(s.running).toBe(false);
  });

  it('leaves behind a page that stops acknowledging while another keeps up; it starts over from the scrollback once it catches up', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, { ...opts, lagMs: 1000 });
    const fast: TerminalData[] = [];
    const slow: TerminalData[] = [];
    s.attach(1, (p) => fast.push(batchAsData(p)), () => {});
    s.attach(2, (p) => slow.push(batchAsData(p)), () => {});
    const sum = (ps: TerminalData[]) => ps.reduce((n, p) => n + p.bytes, 0);
    for (let i = 0; i < 5; i++) src.emit('x'.repeat(1024));
    expect(src.paused).toBe(true);
    s.ack(1, sum(fast)); // the fast page has written everything; the slow one writes nothing
    vi.advanceTimersByTime(999);
    expect(src.paused).toBe(true);
    vi.advanceTimersByTime(1);
    expect(src.paused).toBe(false); // the slow page no longer holds the source
    src.emit('y'.repeat(1000));
    vi.advanceTimersByTime(5);
    expect(fast.at(-1)).toMatchObject({ data: 'y'.repeat(1000) });
    expect(sum(slow)).toBe(5 * 1024); // nothing live while it is behind
    s.ack(2, 5 * 1024 - 1);
    expect(slow).toHaveLength(6);
    s.ack(2, 1); // caught up with what it was sent: a replay of the scrollback, then live output again
    expect(slow.at(-1)).toMatchObject({ replay: true, bytes: 2048, data: `${'x'.repeat(1048)}${'y'.repeat(1000)}` });
    src.emit('z');
    vi.advanceTimersByTime(5);
    expect(slow.at(-1)).toMatchObject({ data: 'z' });
    expect(fast.at(-1)).toMatchObject({ data: 'z' });
    s.dispose();
  });

  it('leaves nobody behind when every page is slow: that is the pace the output is read at', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, { ...opts, lagMs: 1000 });
    const got: TerminalData[][] = [[], []];
    s.attach(1, (p) => got[0]!.push(batchAsData(p)), () => {});
    s.attach(2, (p) => got[1]!.push(batchAsData(p)), () => {});
    for (let i = 0; i < 5; i++) src.emit('x'.repeat(1024));
    vi.advanceTimersByTime(5000);
    expect(src.paused).toBe(true);
    s.ack(1, 5 * 1024);
    s.ack(2, 5 * 1024);
    expect(src.paused).toBe(false);
    expect(got.map((ps) => ps.filter((p) => p.replay).length)).toEqual([1, 1]); // only the first replay
    s.dispose();
  });

  it('shows a page left behind the end of the output before the exit', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, { ...opts, lagMs: 1000 });
    const slow: TerminalData[] = [];
    s.attach(1, (p) => s.ack(1, p.output.length), () => {});
    s.attach(2, (p) => slow.push(batchAsData(p)), () => {});
    for (let i = 0; i < 5; i++) src.emit('x'.repeat(1024));
    vi.advanceTimersByTime(1000);
    src.emit('the end');
    src.end({ code: 0, message: 'done' });
    vi.advanceTimersByTime(5);
    expect(slow.at(-2)).toMatchObject({ replay: true });
    expect(slow.at(-2)!.data.endsWith('the end')).toBe(true);
    expect(slow.at(-1)?.exit?.message).toBe('done');
  });

  it('a subscriber that leaves without acknowledging no longer holds the source', () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const s = new TerminalSession('t', target, src, { cols: 80, rows: 24 }, opts);
    const detach = s.attach(1, () => {}, () => {});
    for (let i = 0; i < 5; i++) src.emit('x'.repeat(1024));
    expect(src.paused).toBe(true);
    detach();
    expect(src.paused).toBe(false);
    s.dispose();
  });
});

describe('terminal feature over the in-memory transport', () => {
  const contract = defineContract({ terminal: terminalFeature });

  function setup() {
    const sources: FakeSource[] = [];
    const manager = new TerminalManager({
      openSource: async () => {
        const s = new FakeSource();
        sources.push(s);
        return s;
      },
      session: opts,
      exitedMs: 400,
    });
    const server = createRpcServer(contract, { terminal: createTerminalHandlers(manager) }, { log: () => {} });
    const [a, b] = createMemoryPipe();
    server.connect(b);
    const { client, control } = createRpcClient(contract);
    control.attach(a);
    return { manager, server, client, control, sources, a };
  }

  it('opens, writes, resizes, streams with acks, lists and kills', async () => {
    const { manager, client, control, sources, server } = setup();
    const info = await client.terminal.open({ target: { kind: 'local' }, cols: 100, rows: 30 });
    expect(info).toMatchObject({ kind: 'local', title: 'fake', cols: 100, rows: 30, state: 'running', exitCode: null });
    const src = sources[0]!;
    const got: TerminalData[] = [];
    const sub = client.terminal.onData({ id: info.id }, (p) => {
      got.push(p);
      if (p.bytes) void client.terminal.ack({ id: info.id, bytes: p.bytes });
    });
    await client.terminal.write({ id: info.id, data: 'ls\r' });
    await client.terminal.resize({ id: info.id, cols: 120, rows: 40 });
    expect(src.written).toEqual(['ls\r']);
    expect(src.sizes).toEqual([[120, 40]]);
    src.emit('hello 😀');
    await vi.waitFor(() => expect(got.map((p) => p.data).join('')).toBe('hello 😀'));
    expect((await client.terminal.list({})).map((s) => [s.id, s.cols])).toEqual([[info.id, 120]]);
    await client.terminal.kill({ id: info.id });
    expect(await sub.ended).toBeUndefined();
    expect(got.at(-1)?.exit?.message).toBe('The terminal session was closed.');
    expect(src.killed).toBe(true);
    expect(await client.terminal.list({})).toEqual([]);
    await expect(client.terminal.write({ id: info.id, data: 'x' })).rejects.toMatchObject({ code: 'TERMINAL_NOT_FOUND' });
    await expect(client.terminal.onData({ id: info.id }, () => {}).ended).resolves.toMatchObject({ code: 'TERMINAL_NOT_FOUND' });
    control.close();
    manager.dispose();
    await vi.waitFor(() => expect(server.stats()).toEqual({ connections: 0, calls: 0, subscriptions: 0 }));
  });

  it('a session survives the client disconnecting; a new client re-attaches and receives the scrollback', async () => {
    const first = setup();
    const info = await first.client.terminal.open({ target: { kind: 'local' } });
    const src = first.sources[0]!;
    first.client.terminal.onData({ id: info.id }, () => {});
    src.emit('line one\r\n');
    await new Promise((r) => setTimeout(r, 20));
    first.a.vanish();
    src.emit('while away\r\n');
    await new Promise((r) => setTimeout(r, 20));
    const [a2, b2] = createMemoryPipe();
    first.server.connect(b2);
    const { client, control } = createRpcClient(defineContract({ terminal: terminalFeature }));
    control.attach(a2);
    const got: TerminalData[] = [];
    client.terminal.onData({ id: info.id }, (p) => got.push(p));
    await vi.waitFor(() => expect(got[0]).toMatchObject({ data: 'line one\r\nwhile away\r\n', replay: true, seq: 2 }));
    src.end({ code: 0, message: 'The local shell bash exited with code 0.' });
    await vi.waitFor(() => expect(got.at(-1)?.exit?.code).toBe(0));
    expect((await client.terminal.list({}))[0]).toMatchObject({ state: 'exited', exitCode: 0 });
    await vi.waitFor(async () => expect(await client.terminal.list({})).toEqual([]));
    control.close();
    first.manager.dispose();
  });

  it('refuses an invalid target and reports opener errors with their code', async () => {
    const { client, control, manager } = setup();
    await expect(client.terminal.open({ target: { kind: 'ssh' } as never })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    const bare = new TerminalManager();
    await expect(bare.open({ kind: 'node', lab: 'x', node: 'manager1' }, { cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'EXEC_FAILED' });
    control.close();
    manager.dispose();
    bare.dispose();
  });
});
