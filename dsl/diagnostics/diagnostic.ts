// One diagnostic shape for every phase (lexer, parser, builder, checker, compiler, CLI).
// Codes are stable and never reused: CH1xxx syntax, CH2xxx structure and literals, CH3xxx names,
// CH4xxx types, CH5xxx flow and policy logic. Messages follow one style: a single sentence,
// lowercase start, no final period, user text in backticks; help goes in its own field.
import type { Span } from '../ast/types.js';

export type Severity = 'error' | 'warning';

export interface RelatedInfo {
  message: string;
  file: string;
  span: Span;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** The path of the file as given to the front end (relative paths stay relative). */
  file: string;
  span: Span;
  help?: string;
  /** Present only when replacing exactly `span` with it yields correct text (an LSP quick fix). */
  fix?: Fix;
  related?: RelatedInfo[];
}

/** Text that replaces the diagnostic's own span: data, so no tool parses it back out of `help`. */
export interface Fix {
  replacement: string;
}

/** A "did you mean" as help for people and, where it applies, as a fix for tools. */
export interface Suggestion {
  help: string | undefined;
  fix: Fix | undefined;
}

/**
 * "did you mean `candidate`" and the fix that writes `replacement` (the candidate itself unless
 * given) over the span. A caller whose span is not exactly what the suggestion replaces uses only
 * `.help`: a wrong fix is worse than none. Nothing when there is no candidate.
 */
export function meant(candidate: string | undefined, replacement?: string): Suggestion {
  if (candidate === undefined) return { help: undefined, fix: undefined };
  return { help: `did you mean \`${candidate}\``, fix: { replacement: replacement ?? candidate } };
}

/** Position order, so output reads top to bottom; ties keep their phase order (stable sort). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.span.offset - b.span.offset || a.span.end - b.span.end,
  );
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');
