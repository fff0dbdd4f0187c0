/**
 * A terminal source over `docker exec` with a TTY through the outer Docker engine: the hijacked
 * stream carries raw pty bytes both ways; pausing the stream stops reading the socket, so the
 * engine (and then the program) blocks. Every process of the session carries the environment
 * variable SWARMLAB_TERM=<session id>, which is how `kill` finds them (an exec has no kill API, and
 * closing the stream leaves the process running).
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { execCapture } from '../lab/engine.js';
import { TerminalError } from './errors.js';
import type { TerminalExit, TerminalSource } from './session.js';

export const SESSION_ENV = 'SWARMLAB_TERM';

/** Starts bash when the image has it, sh otherwise. */
export const PICK_SHELL = 'command -v bash >/dev/null 2>&1 && exec bash || exec sh';

/** A shell script that hangs up every process whose environment holds SESSION_ENV=<id>. */
export function killScript(id: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error(`unsafe session id ${id}`);
  return (
    `for p in /proc/[0-9]*; do ` +
    `if tr '\\000' '\\n' < "$p/environ" 2>/dev/null | grep -qx '${SESSION_ENV}=${id}'; then kill -HUP "\${p#/proc/}" 2>/dev/null; fi; ` +
    `done; true`
  );
}

export interface ExecSourceSpec {
  docker: Docker;
  /** The container the exec runs in (a lab node container). */
  container: string;
  cmd: string[];
  env: string[];
  title: string;
  size: { cols: number; rows: number };
  /** Commands run (in `container`, in order) to end the session's processes. */
  killCommands: string[][];
  /** Explains why the stream ended, given the exec's exit code (null when it has none). */
  describeEnd(code: number | null): Promise<TerminalExit>;
}

export async function openExecSource(spec: ExecSourceSpec): Promise<TerminalSource> {
  const { docker, container } = spec;
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await docker.getContainer(container).exec({
      Cmd: spec.cmd,
      Env: spec.env,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    stream = (await exec.start({ hijack: true, stdin: true, Tty: true } as never)) as Duplex;
  } catch (e) {
    throw new TerminalError(
      'EXEC_FAILED',
      `Could not start a shell in ${container}: ${e instanceof Error ? e.message : String(e)}. Check that the container is running and try again.`,
    );
  }
  const resize = (cols: number, rows: number): void => {
    void exec.resize({ h: rows, w: cols }).catch(() => undefined);
  };
  resize(spec.size.cols, spec.size.rows);

  let exit: TerminalExit | undefined;
  let ending = false;
  const exitListeners: ((e: TerminalExit) => void)[] = [];
  const ended = (): void => {
    if (ending) return;
    ending = true;
    void (async () => {
      let code: number | null = null;
      try {
        const info = await exec.inspect();
        code = info.Running ? null : (info.ExitCode ?? null);
      } catch {
        code = null;
      }
      try {
        exit = await spec.describeEnd(code);
      } catch (e) {
        exit = { code, message: `The session in ${spec.title} ended (${e instanceof Error ? e.message : String(e)}).` };
      }
      for (const l of exitListeners.splice(0)) l(exit);
    })();
  };
  stream.on('end', ended);
  stream.on('close', ended);
  stream.on('error', ended);

  let killing = false;
  return {
    title: spec.title,
    onData: (listener) => {
      stream.on('data', (chunk: Buffer) => listener(chunk));
    },
    onExit: (listener) => {
      if (exit) {
        const e = exit;
        queueMicrotask(() => listener(e));
      } else exitListeners.push(listener);
    },
    write: (data) => {
      if (!ending && stream.writable) stream.write(data);
    },
    resize,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    kill: () => {
      if (killing || ending) return;
      killing = true;
      void (async () => {
        for (const cmd of spec.killCommands) await execCapture(docker, container, cmd).catch(() => undefined);
      })().finally(() => {
        // Whatever survived the hangup, the stream goes; the exit follows from its close.
        setTimeout(() => stream.destroy(), 1_500).unref();
      });
    },
  };
}
