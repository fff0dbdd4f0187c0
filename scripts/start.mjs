#!/usr/bin/env node
// `npm start`: the desktop app when the Electron runtime can be had; otherwise one line saying why,
// then web mode (the system browser opens when there is one; the URL is printed in any case).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

if (!existsSync(join(root, 'dist', 'electron', 'node', 'cli', 'main.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

/** The Electron executable's path, downloading it on first use; or why it cannot be had. */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const tryPath = () => {
    try {
      const p = require('electron');
      return typeof p === 'string' && existsSync(p) ? p : undefined;
    } catch {
      return undefined;
    }
  };
  let path = tryPath();
  if (path) return { path };
  if (process.env.SWARM_LAB_NO_ELECTRON_DOWNLOAD) return { why: 'SWARM_LAB_NO_ELECTRON_DOWNLOAD is set' };
  console.log('Downloading the Electron runtime (first start only)…');
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { cwd: pkgDir, encoding: 'utf8', timeout: 180_000 });
  path = tryPath();
  if (path) return { path };
  const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed? ?out/i.test(l));
  return { why: `the Electron runtime could not be downloaded${detail ? ` (${detail.trim().slice(0, 160)})` : ''}` };
}

const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
if (electron.path && hasDisplay) {
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = electron.path ? 'there is no display for a desktop window' : electron.why;
  console.log(`Swarm Lab cannot open the desktop app here (${why}); starting web mode instead.`);
  const child = spawn(process.execPath, [join(root, 'bin', 'swarm-lab.js'), 'serve', '--open', ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
