// The CLI as tests drive it: a fresh temp folder per test, files written into it, and `run`
// called as the executable would, with its output captured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../../dsl/cli/main.js';

export interface TempFolder {
  readonly dir: string;
  write(name: string, text: string): string;
}

/** A temp folder created before and removed after each test of the calling suite. */
export function useTempFolder(prefix: string): TempFolder {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
  };
}

export function charter(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
