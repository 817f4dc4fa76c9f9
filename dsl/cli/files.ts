// File-system access for the language commands: expanding arguments to `.charter` files and a
// SourceHost that reads from disk. Paths are shown relative to the working directory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceHost } from '../program.js';

export class UsageError extends Error {}

/** Files as given; directories searched recursively for `*.charter`; sorted, without repeats. */
export function expandCharterFiles(args: readonly string[]): string[] {
  const found = new Set<string>();
  for (const arg of args) {
    let stats;
    try {
      stats = statSync(arg);
    } catch {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
    if (stats.isDirectory()) walk(arg, found);
    else found.add(display(arg));
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else if (entry.name.endsWith('.charter')) found.add(display(full));
  }
}

/** Relative to the working directory when inside it, with forward slashes on every platform. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  const shown = relative.startsWith('..') ? path.resolve(file) : relative;
  return shown.split(path.sep).join('/');
}

export const diskHost: SourceHost = {
  readFile(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve(from, spec) {
    return display(path.resolve(path.dirname(from), spec));
  },
};
