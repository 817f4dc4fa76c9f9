// Diagnostics for people (the source line with the span underlined, like rustc and TypeScript's
// baselines) and for tools (flat JSON objects with 1-based positions). The text layout keeps one
// gutter per diagnostic, as wide as its line number, so that the `|` of the excerpt, the `=` of
// help and notes and the `-->` of the location line up whatever the number of digits.
import type { Span } from '../ast/types.js';
import type { Diagnostic } from './diagnostic.js';
import { excerpt } from './excerpt.js';

/** Returns the text of a file, or undefined when it is not available (then no excerpt is shown). */
export type SourceLookup = (file: string) => string | undefined;

/**
 * Text in backticks longer than this (a 100,000-character name, say) is shortened in the middle
 * in the text output; the JSON keeps it whole.
 */
const MAX_QUOTED = 120;

export function renderText(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup): string {
  return diagnostics.map((d) => renderOne(d, sourceOf)).join('\n');
}

function renderOne(d: Diagnostic, sourceOf: SourceLookup): string {
  const gutter = ' '.repeat(String(d.span.line).length);
  const lines = [
    `${d.severity}[${d.code}]: ${shorten(d.message)}`,
    `${gutter}--> ${location(d.file, d.span)}`,
  ];
  lines.push(...excerptLines(sourceOf(d.file), d.span, gutter));
  if (d.help) lines.push(`${gutter} = help: ${shorten(d.help)}`);
  for (const related of d.related ?? []) {
    lines.push(`${gutter} = note: ${shorten(related.message)}: ${location(related.file, related.span)}`);
  }
  return lines.join('\n') + '\n';
}

export function location(file: string, span: Span): string {
  return `${file}:${span.line}:${span.col}`;
}

/** The span's first line with `~` under the spanned text; a multi-line span is marked to line end. */
function excerptLines(text: string | undefined, span: Span, gutter: string): string[] {
  if (text === undefined) return [];
  const source = lineAt(text, span.line);
  if (source === undefined) return [];
  const start = Math.max(0, span.col - 1);
  const continues = span.endLine > span.line;
  const end = continues ? source.length : Math.max(span.endCol - 1, start);
  const shown = excerpt(source, start, end, continues);
  return [`${gutter} |`, `${span.line} | ${shown.source}`, `${gutter} | ${shown.marks}`];
}

/** Line `line` (1-based) of `text`; `\r\n`, `\n` and a lone `\r` end lines, as the lexer counts. */
function lineAt(text: string, line: number): string | undefined {
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  for (let current = 1; current < line; current++) {
    const found = breaks.exec(text);
    if (found === null) return undefined;
    start = found.index + found[0].length;
  }
  const next = breaks.exec(text);
  return text.slice(start, next === null ? text.length : next.index);
}

/** Backticked text longer than MAX_QUOTED cut in the middle: both ends of a path say most. */
function shorten(text: string): string {
  const keep = (MAX_QUOTED - 3) / 2;
  return text.replace(/`([^`]*)`/g, (quoted, inner: string) =>
    inner.length > MAX_QUOTED
      ? `\`${inner.slice(0, Math.ceil(keep))}...${inner.slice(inner.length - Math.floor(keep))}\``
      : quoted,
  );
}

/** One object per diagnostic, stable field order, for `charter check --format json`. */
export interface DiagnosticJson {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  help?: string;
  fix?: { replacement: string };
  related?: { message: string; file: string; line: number; col: number }[];
}

export function toJson(d: Diagnostic): DiagnosticJson {
  const json: DiagnosticJson = {
    file: d.file,
    line: d.span.line,
    col: d.span.col,
    endLine: d.span.endLine,
    endCol: d.span.endCol,
    code: d.code,
    severity: d.severity,
    message: d.message,
  };
  if (d.help) json.help = d.help;
  if (d.fix) json.fix = { replacement: d.fix.replacement };
  if (d.related?.length) {
    json.related = d.related.map((r) => ({
      message: r.message,
      file: r.file,
      line: r.span.line,
      col: r.span.col,
    }));
  }
  return json;
}

/** "2 errors and 1 warning in 3 files", or "no problems in 3 files". */
export function summarize(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = `${fileCount} ${fileCount === 1 ? 'file' : 'files'}`;
  if (errors + warnings === 0) return `no problems in ${files}`;
  const parts = [];
  if (errors) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
  if (warnings) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return `${parts.join(' and ')} in ${files}`;
}
