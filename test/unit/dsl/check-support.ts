// Test helper for the checker suites: check `main.charter` (and libraries by path) in memory.
// The fixture itself must load cleanly, so a test never passes on a typo in its own policy.
import { check, type CheckResult } from '../../../dsl/check/index.js';
import { type Diagnostic, sortDiagnostics } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type SourceHost } from '../../../dsl/program.js';

export function checked(main: string, libraries: Record<string, string> = {}): CheckResult {
  const files: Record<string, string> = { 'main.charter': main, ...libraries };
  const host: SourceHost = { readFile: (path) => files[path], resolve: (_from, spec) => spec };
  const { program, diagnostics } = loadProgram('main.charter', host);
  if (!program || diagnostics.length > 0) {
    throw new Error(`fixture: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  const result = check(program);
  return { ...result, diagnostics: sortDiagnostics(result.diagnostics) };
}

export const diagnose = (main: string, libraries: Record<string, string> = {}): Diagnostic[] =>
  checked(main, libraries).diagnostics;

/** A policy header (lines 1-2) followed by `lines` from line 3 on. */
export const policyText = (...lines: string[]): string =>
  ['policy "p" version 1 effective 2026-01-01', 'owner "pmo@example.com"', ...lines].join('\n');

/** A policy with `declarations`, then process `p` with `input`, then `steps`, one per line. */
export const processText = (declarations: string[], input: string, steps: string[]): string =>
  policyText(...declarations, 'process p {', `  input { ${input} }`, ...steps.map((l) => `  ${l}`), '}');
