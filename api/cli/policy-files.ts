// What `charter publish` uploads: the policy file and every library it uses, read from disk the
// way `charter compile` reads them. Paths are part of the compiled policy (and so of its sha256),
// so they are kept as `charter compile` and `npm start` name them, relative to the working
// directory: publishing the same files from the same place always yields the same version hash.
// Files outside the working directory are keyed relative to their common folder instead, since
// the server accepts no `..` or absolute paths; the server resolves each `use` against those keys
// as the disk host resolved it against the disk, so the upload compiles there as it does here.
import { statSync } from 'node:fs';
import path from 'node:path';
import { diskHost, UsageError } from '../../dsl/cli/files.js';
import { loadProgram } from '../../dsl/program.js';

export interface PolicyUpload {
  entry: string;
  files: Record<string, string>;
}

export function policyUpload(file: string): PolicyUpload {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) throw new UsageError(`no such file: ${file}`);
  if (!stats.isFile()) throw new UsageError(`${file} is not a file: publish takes one .charter policy`);
  const read = new Map<string, string>();
  let entry: string | null = null;
  const recording = {
    readFile(name: string): string | undefined {
      const text = diskHost.readFile(name);
      entry ??= name;
      if (text !== undefined) read.set(name, text);
      return text;
    },
    resolve: (from: string, spec: string): string => diskHost.resolve(from, spec),
  };
  // Parse problems are the server's to report (with the same diagnostics): only the files matter.
  loadProgram(diskHost.resolve(path.join(process.cwd(), 'x'), file), recording);
  const names = [...read.keys()];
  if (entry === null || !read.has(entry)) throw new UsageError(`cannot read ${file}`);
  if (names.every((name) => !name.startsWith('../') && !path.isAbsolute(name))) {
    return { entry, files: Object.fromEntries(read) };
  }
  const root = commonFolder(names.map((name) => path.resolve(name)));
  const key = (name: string): string => path.relative(root, path.resolve(name)).split(path.sep).join('/');
  return { entry: key(entry), files: Object.fromEntries([...read].map(([name, text]) => [key(name), text])) };
}

function commonFolder(files: readonly string[]): string {
  const [first, ...rest] = files.map((f) => path.dirname(f).split(path.sep));
  if (!first) return process.cwd();
  let length = first.length;
  for (const parts of rest) {
    let same = 0;
    while (same < length && parts[same] === first[same]) same += 1;
    length = same;
  }
  return first.slice(0, length).join(path.sep) || path.sep;
}
