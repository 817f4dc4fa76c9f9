// Loading a policy and the libraries it uses: every file is read through a SourceHost (so the
// front end does no I/O itself) and parsed once, however many files use it. Libraries are kept
// in the order their first `use` is met, reading depth first: that order is the one the compiled
// policy's `sources` list (and every span's file index) follows.
import type { PolicyFile, Span, UseDecl } from './ast/types.js';
import type { CheckCode } from './check/codes.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { parse } from './parse/index.js';

export interface SourceHost {
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** The path of `spec` as written in a `use` of `fromFile`. */
  resolve(fromFile: string, spec: string): string;
}

export interface SourceFile {
  path: string;
  text: string;
  ast: PolicyFile;
}

export interface Program {
  main: SourceFile;
  libraries: SourceFile[];
}

const startOfFile: Span = { offset: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

interface Loader {
  host: SourceHost;
  diagnostics: Diagnostic[];
  /** Every file read so far, by path; undefined marks a path that could not be read. */
  files: Map<string, SourceFile | undefined>;
  libraries: SourceFile[];
  /** The chain of files being loaded, to recognise a use cycle. */
  stack: string[];
}

export function loadProgram(
  entry: string,
  host: SourceHost,
): { program: Program | null; diagnostics: Diagnostic[] } {
  const loader: Loader = { host, diagnostics: [], files: new Map(), libraries: [], stack: [] };
  const main = read(loader, entry);
  if (!main) {
    loader.diagnostics.push({
      code: 'CH3002',
      severity: 'error',
      message: `cannot read \`${entry}\``,
      file: entry,
      span: startOfFile,
    });
    return { program: null, diagnostics: loader.diagnostics };
  }
  loadUses(loader, main);
  return { program: { main, libraries: loader.libraries }, diagnostics: loader.diagnostics };
}

function read(loader: Loader, path: string): SourceFile | undefined {
  if (loader.files.has(path)) return loader.files.get(path);
  const text = loader.host.readFile(path);
  const file = text === undefined ? undefined : parseFile(loader, path, text);
  loader.files.set(path, file);
  return file;
}

function parseFile(loader: Loader, path: string, text: string): SourceFile {
  const { ast, diagnostics } = parse(text, path);
  loader.diagnostics.push(...diagnostics);
  return { path, text, ast };
}

function loadUses(loader: Loader, file: SourceFile): void {
  loader.stack.push(file.path);
  const seen = new Map<string, UseDecl>();
  for (const use of file.ast.uses) {
    const target = loader.host.resolve(file.path, use.path.value);
    const earlier = seen.get(target);
    if (earlier) {
      reportUsedTwice(loader, file, use, earlier);
      continue;
    }
    seen.set(target, use);
    loadUse(loader, file, use, target);
  }
  loader.stack.pop();
}

function loadUse(loader: Loader, from: SourceFile, use: UseDecl, target: string): void {
  const cycleStart = loader.stack.indexOf(target);
  if (cycleStart !== -1) {
    const chain = [...loader.stack.slice(cycleStart), target].map((p) => `\`${p}\``).join(' → ');
    report(loader, from, use.path.span, 'CH3003', `this \`use\` closes a cycle: ${chain}`, {
      help: 'move the declarations both files need into one library that each of them uses',
    });
    return;
  }
  const known = loader.files.has(target);
  const library = read(loader, target);
  if (!library) {
    const lookedFor = target === use.path.value ? '' : ` (looked for \`${target}\`)`;
    report(loader, from, use.path.span, 'CH3002', `cannot find \`${use.path.value}\`${lookedFor}`, {
      help: 'paths in `use` are relative to the file that uses them',
    });
    return;
  }
  if (library.ast.header?.kind !== 'library') {
    report(loader, from, use.path.span, 'CH3004', `\`${use.path.value}\` is not a library`, {
      help: 'only files that start with `library "<name>"` can be used; a policy cannot be imported',
    });
    return;
  }
  // A library used by several files is loaded (and reported on) once.
  if (known) return;
  loader.libraries.push(library);
  loadUses(loader, library);
}

function reportUsedTwice(loader: Loader, file: SourceFile, use: UseDecl, earlier: UseDecl): void {
  loader.diagnostics.push({
    code: 'CH3005',
    severity: 'warning',
    message: `\`${use.path.value}\` is already used by this file`,
    file: file.path,
    span: use.path.span,
    help: 'remove this `use`',
    related: [{ message: 'first used here', file: file.path, span: earlier.path.span }],
  });
}

function report(
  loader: Loader,
  file: SourceFile,
  span: Span,
  code: CheckCode,
  message: string,
  extra: { help: string },
): void {
  loader.diagnostics.push({ code, severity: 'error', message, file: file.path, span, help: extra.help });
}
