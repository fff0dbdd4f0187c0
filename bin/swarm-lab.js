#!/usr/bin/env node
// Entry point of the swarm-lab command: runs the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/electron/node/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('swarm-lab: the app is not built yet. Run "npm install" (or "npm run build") in the Swarm Lab folder first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
// The command is done; a connection still being torn down must not keep the process alive.
setTimeout(() => process.exit(), 1500).unref();
