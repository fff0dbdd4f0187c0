/**
 * `swarm-lab exec`: runs a command in a node container through the Docker engine, streaming its
 * output and returning its exit code. With a terminal on stdin it is interactive (raw mode, resize).
 */
import type { Duplex } from 'node:stream';
import type { LabEngine } from '../lab/engine.js';

export async function execInNode(engine: LabEngine, container: string, command: string[]): Promise<number> {
  const tty = !!process.stdin.isTTY && !!process.stdout.isTTY;
  const exec = await engine.docker.getContainer(container).exec({
    Cmd: command,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: tty,
    Env: tty ? [`TERM=${process.env.TERM ?? 'xterm-256color'}`] : [],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty } as never)) as Duplex;
  const resize = (): void => {
    void exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
  };
  if (tty) {
    process.stdin.setRawMode(true);
    stream.pipe(process.stdout);
    resize();
    process.stdout.on('resize', resize);
  } else {
    engine.docker.modem.demuxStream(stream, process.stdout, process.stderr);
  }
  process.stdin.pipe(stream);
  process.stdin.on('end', () => stream.end());
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
  process.stdin.unpipe(stream);
  process.stdin.pause();
  if (tty) {
    process.stdin.setRawMode(false);
    process.stdout.off('resize', resize);
  }
  const info = await exec.inspect();
  return info.ExitCode ?? 1;
}
