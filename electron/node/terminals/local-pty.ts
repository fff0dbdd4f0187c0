/**
 * A shell on the back end's own machine through node-pty (loaded on first use, so a machine where
 * the native module did not build still runs every other feature). Output arrives as raw bytes
 * (`encoding: null`) for the UTF-8 safe pipeline; pause/resume stop reading the pty, which blocks
 * the program once the kernel's buffer fills.
 */
import { homedir } from 'node:os';
import { basename } from 'node:path';
import type { IPty } from 'node-pty';
import { TerminalError } from './errors.js';
import type { TerminalExit, TerminalSource } from './session.js';

export interface LocalShellOptions {
  shell?: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The user's login shell: $SHELL on Unix (bash when unset), %COMSPEC% or PowerShell on Windows. */
export function defaultShell(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return env.COMSPEC || 'powershell.exe';
  return env.SHELL || '/bin/bash';
}

type NodePty = typeof import('node-pty');
let loaded: Promise<NodePty> | undefined;

async function loadNodePty(): Promise<NodePty> {
  loaded ??= import('node-pty').then(
    (m) => ((m as { default?: NodePty }).default ?? m) as NodePty,
    (e: unknown) => {
      loaded = undefined;
      throw new TerminalError(
        'PTY_UNAVAILABLE',
        `The local shell needs the native module node-pty, which could not be loaded (${e instanceof Error ? e.message : String(e)}). ` +
          'Run "npm rebuild node-pty" (it needs a C++ compiler and Python); terminals into lab nodes work without it.',
      );
    },
  );
  return loaded;
}

export async function openLocalShell(size: { cols: number; rows: number }, options: LocalShellOptions = {}): Promise<TerminalSource> {
  const pty = await loadNodePty();
  const shell = options.shell ?? defaultShell();
  let proc: IPty;
  try {
    proc = pty.spawn(shell, options.args ?? [], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: options.cwd ?? homedir(),
      env: { ...(options.env ?? process.env), TERM: 'xterm-256color', COLORTERM: 'truecolor' } as Record<string, string>,
      encoding: null,
    });
  } catch (e) {
    throw new TerminalError('PTY_UNAVAILABLE', `Could not start the local shell ${shell}: ${e instanceof Error ? e.message : String(e)}. Set SHELL to a shell that exists.`);
  }
  const exitListeners: ((exit: TerminalExit) => void)[] = [];
  let exited = false;
  proc.onExit(({ exitCode, signal }) => {
    if (exited) return;
    exited = true;
    const message = signal
      ? `The local shell ${basename(shell)} was ended by signal ${signal}.`
      : `The local shell ${basename(shell)} exited with code ${exitCode}.`;
    for (const l of exitListeners) l({ code: signal ? null : exitCode, message });
  });
  return {
    title: basename(shell),
    onData: (listener) => {
      proc.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d, 'utf8') : d));
    },
    onExit: (listener) => exitListeners.push(listener),
    write: (data) => proc.write(data),
    resize: (cols, rows) => {
      if (!exited) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    kill: () => {
      if (exited) return;
      const signal = (name?: string): void => {
        try {
          if (!exited) proc.kill(name);
        } catch {
          /* already gone */
        }
      };
      signal(process.platform === 'win32' ? undefined : 'SIGHUP');
      // A program that ignores the hangup is not allowed to keep the session alive.
      if (process.platform !== 'win32') setTimeout(() => signal('SIGKILL'), 2_000).unref();
    },
  };
}
