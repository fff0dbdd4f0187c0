/** The app's version, read once from package.json (the single source of truth). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'swarm-lab') return candidate;
    } catch {
      /* keep climbing */
    }
    dir = dirname(dir);
  }
  throw new Error('Swarm Lab could not find its package.json');
}

export const packageRoot = dirname(findPackageJson());
export const appVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
