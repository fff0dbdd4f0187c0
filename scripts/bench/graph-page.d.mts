import type { Server } from 'node:http';
export function buildGraphPage(outDir: string): Promise<void>;
export function serveDir(dir: string): Promise<Server>;
