/** `swarm-lab serve`: web mode until interrupted. */
import { join } from 'node:path';
import { createBackEnd } from '../rpc/back-end.js';
import { packageRoot } from '../version.js';
import { isLoopbackHost, startWebServer } from '../web/server.js';
import { openBrowser } from './open-browser.js';

export const rendererDir = (): string => join(packageRoot, 'dist', 'renderer');

export interface ServeOptions {
  port: number;
  host: string;
  allowRemote?: boolean;
  open?: boolean;
}

export async function serveCommand(opts: ServeOptions): Promise<void> {
  const backEnd = createBackEnd({ mode: 'web' });
  const web = await startWebServer({
    backEnd,
    staticDir: rendererDir(),
    host: opts.host,
    port: opts.port,
    allowRemote: opts.allowRemote,
  });
  if (!isLoopbackHost(opts.host)) {
    process.stderr.write(
      `WARNING: Swarm Lab listens on ${opts.host}. Anyone who can reach this address and has the link below can drive your Docker engine, which is root on this machine. Share the link only on networks you trust.\n`,
    );
  }
  process.stdout.write(`Swarm Lab ${backEnd.info.version} is serving at ${web.url}\n`);
  process.stdout.write('Open that link in a browser (it carries the access token). Press Ctrl+C to stop.\n');
  if (opts.open && !openBrowser(web.url)) {
    process.stdout.write('No system browser was found; open the link above by hand.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void web.close().finally(() => {
        backEnd.dispose();
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
