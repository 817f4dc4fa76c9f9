// `charter check` and `charter compile` (`charter fmt` has its own module). Each returns its exit
// code: 0 clean, 1 problems found, 2 usage errors.
import { writeFileSync } from 'node:fs';
import { checkEntry, compileEntry } from '../index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { renderText, summarize, toJson } from '../diagnostics/render.js';
import { diskHost, expandCharterFiles, UsageError } from './files.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

const sourceOf = (file: string) => diskHost.readFile(file);

/** After this many, the first problems are what matters; a garbage file would bury them. */
const MAX_SHOWN_PER_FILE = 20;

function capPerFile(diagnostics: Diagnostic[], limit: number) {
  const perFile = new Map<string, number>();
  const hidden = new Map<string, number>();
  const shown = diagnostics.filter((d) => {
    const count = (perFile.get(d.file) ?? 0) + 1;
    perFile.set(d.file, count);
    if (count <= limit) return true;
    hidden.set(d.file, (hidden.get(d.file) ?? 0) + 1);
    return false;
  });
  return { shown, hidden };
}

export function checkCommand(paths: string[], options: { json: boolean }, io: Output): number {
  const files = expandCharterFiles(paths);
  if (files.length === 0) throw new UsageError('no .charter files found in the given paths');
  // Policies that use the same library would report its problems once per policy: keep one.
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    for (const d of checkEntry(file, diskHost).diagnostics) {
      const key = `${d.file}:${d.span.offset}:${d.span.end}:${d.code}:${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        diagnostics.push(d);
      }
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  if (options.json) {
    io.out(JSON.stringify({ files, diagnostics: sorted.map(toJson) }, null, 2) + '\n');
  } else {
    const { shown, hidden } = capPerFile(sorted, MAX_SHOWN_PER_FILE);
    if (shown.length > 0) io.out(renderText(shown, sourceOf) + '\n');
    for (const [file, count] of hidden) {
      io.out(`${count} more in ${file} not shown (--format json lists all)\n`);
    }
    io.out(summarize(sorted, files.length) + '\n');
  }
  return hasErrors(sorted) ? EXIT_PROBLEMS : EXIT_OK;
}

export function compileCommand(file: string, options: { output: string | undefined }, io: Output): number {
  const [entry] = expandCharterFiles([file]);
  if (!entry) throw new UsageError(`not a .charter file: ${file}`);
  const { compiled, diagnostics } = compileEntry(entry, diskHost);
  if (diagnostics.length > 0) io.err(renderText(diagnostics, sourceOf) + '\n');
  if (!compiled) {
    io.err(`${summarize(diagnostics, 1)}: not compiled\n`);
    return EXIT_PROBLEMS;
  }
  const json = JSON.stringify(compiled, null, 2) + '\n';
  if (options.output) {
    writeFileSync(options.output, json);
    io.err(`compiled ${entry} to ${options.output} (sha256 ${compiled.sha256})\n`);
  } else {
    io.out(json);
  }
  return EXIT_OK;
}
