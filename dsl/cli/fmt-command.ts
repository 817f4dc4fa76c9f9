// `charter fmt [--check] <files|dirs>...`: rewrites policies in the canonical style, or with
// --check only lists the files that would change. Each file that changes (or would) gets a line,
// a file with syntax errors gets its diagnostics and is never rewritten (the author's text is all
// there is), and a last line counts what happened: "1 file already formatted", "2 files
// formatted, 1 already formatted", "1 file needs formatting".
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from '../index.js';
import { renderText } from '../diagnostics/render.js';
import { diskHost, expandCharterFiles, UsageError } from './files.js';
import { EXIT_OK, EXIT_PROBLEMS, type Output } from './language-commands.js';

export interface FmtCounts {
  /** Rewritten, or with --check: would be. */
  changed: number;
  unchanged: number;
  /** Not formatted because they do not parse. */
  broken: number;
}

export function fmtCommand(paths: string[], options: { check: boolean }, io: Output): number {
  const files = expandCharterFiles(paths);
  if (files.length === 0) throw new UsageError('no .charter files found in the given paths');
  const counts: FmtCounts = { changed: 0, unchanged: 0, broken: 0 };
  for (const file of files) {
    const original = readFileSync(file, 'utf8');
    const result = format(original, file);
    if (result.text === null) {
      io.err(
        renderText(result.diagnostics, (f) => diskHost.readFile(f)) +
          `${file}: not formatted (syntax errors)\n`,
      );
      counts.broken++;
    } else if (result.text === original) {
      counts.unchanged++;
    } else {
      counts.changed++;
      if (options.check) io.out(`${file}: needs formatting\n`);
      else {
        writeFileSync(file, result.text);
        io.out(`${file}: formatted\n`);
      }
    }
  }
  io.out(`${fmtSummary(counts, options.check)}\n`);
  const failed = counts.broken > 0 || (options.check && counts.changed > 0);
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}

/**
 * What happened, in the order changed, unchanged, broken; the first count carries the noun and
 * the verb agrees with it: "1 file needs formatting, 2 already formatted".
 */
export function fmtSummary(counts: FmtCounts, check: boolean): string {
  const changed = !check ? 'formatted' : counts.changed === 1 ? 'needs formatting' : 'need formatting';
  const parts: [number, string][] = [
    [counts.changed, changed],
    [counts.unchanged, 'already formatted'],
    [counts.broken, 'not formatted (syntax errors)'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, what], i) => {
      const noun = i > 0 ? '' : count === 1 ? ' file' : ' files';
      return `${count}${noun} ${what}`;
    })
    .join(', ');
}
