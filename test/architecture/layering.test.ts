/**
 * The layering rule, read from the real import graph:
 *   renderer → electron/common ← electron/node ← electron/main (and electron/preload).
 * Only electron/main and electron/preload import 'electron'; electron/common is isomorphic (no
 * Node built-ins, no DOM-only or Node-only packages); no import cycles anywhere.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|cts|mts)$/;
const NODE_ONLY_PACKAGES = new Set(['ws', 'dockerode', 'docker-modem', 'commander', 'tar-stream', 'ssh2', 'node-pty', 'playwright-core']);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(full).isDirectory() ? walk(full) : SOURCE.test(name) ? [full] : [];
  });
}

interface Module {
  file: string;
  layer: 'main' | 'preload' | 'common' | 'node' | 'renderer';
  specifiers: string[];
  localDeps: string[];
}

function layerOf(file: string): Module['layer'] {
  const rel = relative(root, file).split('\\').join('/');
  if (rel.startsWith('renderer/')) return 'renderer';
  const m = rel.match(/^electron\/(main|preload|common|node)\//);
  if (!m) throw new Error(`${rel} is outside the known layers`);
  return m[1] as Module['layer'];
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.cjs$/, '.cts'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => {
    try {
      return statSync(c).isFile() && SOURCE.test(c);
    } catch {
      return false;
    }
  });
}

const files = [...walk(join(root, 'electron')), ...walk(join(root, 'renderer'))];
const modules = new Map<string, Module>(
  files.map((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const specifiers = info.importedFiles.map((f) => f.fileName);
    const localDeps = specifiers.filter((s) => s.startsWith('.')).map((s) => resolveLocal(file, s)).filter((f): f is string => !!f);
    return [file, { file, layer: layerOf(file), specifiers, localDeps }];
  }),
);
const rel = (f: string) => relative(root, f).split('\\').join('/');

/** Which layers each layer may import from. */
const ALLOWED: Record<Module['layer'], Module['layer'][]> = {
  common: ['common'],
  node: ['node', 'common'],
  main: ['main', 'node', 'common'],
  preload: ['preload'],
  renderer: ['renderer', 'common'],
};

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(modules.size).toBeGreaterThan(20);
    expect([...modules.values()].some((m) => m.layer === 'renderer')).toBe(true);
  });

  it('imports across layers only in the allowed direction', () => {
    const violations: string[] = [];
    for (const m of modules.values()) {
      for (const dep of m.localDeps) {
        const target = modules.get(dep);
        if (target && !ALLOWED[m.layer].includes(target.layer)) violations.push(`${rel(m.file)} (${m.layer}) imports ${rel(dep)} (${target.layer})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('imports electron only from electron/main and electron/preload', () => {
    const offenders = [...modules.values()]
      .filter((m) => m.layer !== 'main' && m.layer !== 'preload' && m.specifiers.some((s) => s === 'electron' || s.startsWith('electron/')))
      .map((m) => rel(m.file));
    expect(offenders).toEqual([]);
  });

  it('keeps electron/common and the renderer free of Node built-ins and Node-only packages', () => {
    const offenders: string[] = [];
    for (const m of modules.values()) {
      if (m.layer !== 'common' && m.layer !== 'renderer') continue;
      for (const s of m.specifiers) {
        if (builtins.has(s) || NODE_ONLY_PACKAGES.has(s)) offenders.push(`${rel(m.file)} imports ${s}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const dep of modules.get(file)?.localDeps ?? []) {
        if (state.get(dep) === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map(rel).join(' → '));
        else if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const f of modules.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
