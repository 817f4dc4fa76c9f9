// Diagnostics for people (the source line with the span underlined, like rustc and TypeScript's
// baselines) and for tools (flat JSON objects with 1-based positions).
import type { Span } from '../ast.js';
import type { Diagnostic } from './diagnostic.js';

/** Returns the text of a file, or undefined when it is not available (then no excerpt is shown). */
export type SourceLookup = (file: string) => string | undefined;

const TAB_WIDTH = 4;

export function renderText(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup): string {
  return diagnostics.map((d) => renderOne(d, sourceOf)).join('\n');
}

function renderOne(d: Diagnostic, sourceOf: SourceLookup): string {
  const lines = [`${d.severity}[${d.code}]: ${d.message}`, `  --> ${location(d.file, d.span)}`];
  const excerpt = excerptLines(sourceOf(d.file), d.span);
  lines.push(...excerpt);
  if (d.help) lines.push(`   = help: ${d.help}`);
  for (const related of d.related ?? []) {
    lines.push(`   = note: ${related.message}: ${location(related.file, related.span)}`);
  }
  return lines.join('\n') + '\n';
}

export function location(file: string, span: Span): string {
  return `${file}:${span.line}:${span.col}`;
}

/** The span's first line with `~` under the spanned text; a multi-line span is marked to line end. */
function excerptLines(text: string | undefined, span: Span): string[] {
  if (text === undefined) return [];
  const source = lineAt(text, span.line);
  if (source === undefined) return [];
  const startCol = Math.max(1, span.col);
  const endCol = span.endLine === span.line ? Math.max(span.endCol, startCol + 1) : source.length + 1;
  const shown = expandTabs(source);
  const before = expandTabs(source.slice(0, startCol - 1)).length;
  const width = Math.max(1, expandTabs(source.slice(0, endCol - 1)).length - before);
  const gutter = String(span.line).length;
  const pad = ' '.repeat(gutter);
  return [
    `${pad} |`,
    `${span.line} | ${shown}`,
    `${pad} | ${' '.repeat(before)}${'~'.repeat(width)}${span.endLine > span.line ? ' ...' : ''}`,
  ];
}

function lineAt(text: string, line: number): string | undefined {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

function expandTabs(text: string): string {
  return text.replace(/\t/g, ' '.repeat(TAB_WIDTH));
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
