#!/usr/bin/env node
// `npm test`: builds (the end-to-end tests drive the built app), checks the types of the whole project (tests included),
// then runs the unit, integration and end-to-end projects, and closes with one plain line:
// "N passed, N failed, N skipped".
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The build compiles the user interface without checking its types (vite), and the back end without
// the tests; check both, tests included, here.
for (const [what, project] of [['back end and tests', root], ['user interface', join(root, 'renderer')]]) {
  process.stdout.write(`test: types of the ${what} (tsc)… `);
  const types = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', project, '--noEmit'], { cwd: root, encoding: 'utf8' });
  if (types.status !== 0) {
    console.log('failed');
    console.log(types.stdout + types.stderr);
    process.exit(types.status ?? 1);
  }
  console.log('done');
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const report = join(root, 'test-results', 'vitest.json');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const r = spawnSync(join(root, 'node_modules', '.bin', 'vitest'), args, { cwd: root, stdio: 'inherit' });

try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  console.log(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('\ntests: the run produced no report');
}
process.exit(r.status ?? 1);
