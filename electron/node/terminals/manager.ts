/**
 * TerminalManager: the sessions of one back end, whatever their kind. `open` starts a source for
 * the target (node exec, nested task exec, local pty) and wraps it in a TerminalSession; sessions
 * outlive the connection that opened them (a detached one is killed after 10 minutes), an exited one
 * stays listed — with its scrollback and exit message — for `exitedMs`, and `kill` ends and removes
 * one at once. `dispose` ends them all.
 */
import { randomBytes } from 'node:crypto';
import type { TerminalSessionInfo, TerminalTarget } from '../../common/terminal.js';
import type { LabEngine } from '../lab/engine.js';
import { TerminalError } from './errors.js';
import { openNodeShell, openTaskShell } from './lab-targets.js';
import { openLocalShell, type LocalShellOptions } from './local-pty.js';
import { TerminalSession, type SessionOptions, type TerminalSource } from './session.js';

export type SourceOpener = (target: TerminalTarget, size: { cols: number; rows: number }, id: string) => Promise<TerminalSource>;

export interface TerminalManagerOptions {
  /** The lab engine, asked for on first use of a node or task session. */
  engine?: () => LabEngine;
  /** Replaces how sources are opened (tests). */
  openSource?: SourceOpener;
  local?: LocalShellOptions;
  session?: SessionOptions;
  /** How long an exited session stays listed (default 60 s). */
  exitedMs?: number;
  maxSessions?: number;
}

export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly openSource: SourceOpener;
  private disposed = false;

  constructor(private readonly options: TerminalManagerOptions = {}) {
    this.openSource = options.openSource ?? ((target, size, id) => this.defaultOpen(target, size, id));
  }

  async open(target: TerminalTarget, size: { cols: number; rows: number }): Promise<TerminalSessionInfo> {
    if (this.disposed) throw new TerminalError('TERMINAL_NOT_FOUND', 'The terminal service is shutting down.');
    const max = this.options.maxSessions ?? 64;
    const running = [...this.sessions.values()].filter((s) => s.running).length;
    if (running >= max) {
      throw new TerminalError('TERMINAL_LIMIT', `${running} terminals are already open (the limit is ${max}). Close one and try again.`);
    }
    const id = `term-${randomBytes(6).toString('hex')}`;
    const source = await this.openSource(target, size, id);
    const session = new TerminalSession(id, target, source, size, this.options.session);
    if (this.disposed) {
      session.dispose();
      throw new TerminalError('TERMINAL_NOT_FOUND', 'The terminal service is shutting down.');
    }
    this.sessions.set(id, session);
    session.onExit(() => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.sessions.get(id) === session) this.remove(id);
      }, this.options.exitedMs ?? 60_000);
      timer.unref?.();
      this.timers.add(timer);
    });
    return session.info();
  }

  find(id: string): TerminalSession | undefined {
    return this.sessions.get(id);
  }

  get(id: string): TerminalSession {
    const s = this.sessions.get(id);
    if (!s) throw new TerminalError('TERMINAL_NOT_FOUND', `There is no terminal session ${id}; it ended or was closed. Open a new terminal.`);
    return s;
  }

  list(): TerminalSessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info()).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Ends a session now and forgets it; subscribers receive the exit and their subscription ends. */
  kill(id: string): void {
    this.get(id);
    this.remove(id);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of [...this.sessions.keys()]) this.remove(id);
  }

  private remove(id: string): void {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    s?.dispose();
  }

  private defaultOpen(target: TerminalTarget, size: { cols: number; rows: number }, id: string): Promise<TerminalSource> {
    switch (target.kind) {
      case 'local':
        return openLocalShell(size, this.options.local);
      case 'node':
        return openNodeShell(this.engine(), target, id, size);
      case 'task':
        return openTaskShell(this.engine(), target, id, size);
    }
  }

  private engine(): LabEngine {
    if (!this.options.engine) throw new TerminalError('EXEC_FAILED', 'Lab terminals are not available in this back end (no lab engine).');
    return this.options.engine();
  }
}
