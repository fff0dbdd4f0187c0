#!/usr/bin/env node
// Builds everything the app runs from: the back end and Electron shell (tsc → dist/electron) and the
// renderer (vite → dist/renderer). Runs on `npm install` (prepare) and `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  const started = Date.now();
  process.stdout.write(`build: ${label}… `);
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write('failed\n');
    process.stderr.write(r.stdout + r.stderr);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (!existsSync(bin('tsc')) || !existsSync(bin('vite'))) {
  console.error('build: the build tools are missing. Run "npm install" (development dependencies included) first.');
  process.exit(1);
}

const tscArgs = ['-p', 'tsconfig.build.json'];
// The Electron shell is typed by the `electron` package. Where that optional package could not be
// installed, the shell is still compiled (it only runs under Electron) but not type-checked.
if (!existsSync(join(root, 'node_modules', 'electron', 'electron.d.ts'))) {
  console.log('build: the electron package is not installed; compiling the desktop shell without type checks.');
  tscArgs.push('--noCheck');
}
run('back end (tsc)', bin('tsc'), tscArgs);
run('user interface (vite)', bin('vite'), ['build', '--logLevel', 'warn']);
