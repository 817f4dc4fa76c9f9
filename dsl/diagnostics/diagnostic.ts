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
  related?: RelatedInfo[];
}

/** Position order, so output reads top to bottom; ties keep their phase order (stable sort). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.span.offset - b.span.offset || a.span.end - b.span.end,
  );
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');
