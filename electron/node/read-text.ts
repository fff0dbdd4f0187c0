/** Reads a text file, or undefined when it cannot be read (absent, no permission). */
import { readFileSync } from 'node:fs';

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
