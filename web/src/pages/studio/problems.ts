// The studio's problems: what the real checker (dsl/, the same code the server runs on publish)
// says about the draft, and what the server answered when it refused one, in one shape that the
// editor underlines and the list under it reads out. A diagnostic's `fix` (data, never parsed
// out of its help) becomes a one-click replacement of the spanned text.
import { checkEntry, memoryHost, parse } from '../../../../dsl/index.js';
import type { Diagnostic } from '../../../../dsl/index.js';
import type { DiagnosticJson } from '../../../../dsl/diagnostics/render.js';
import type { ParsedFile } from './declarations.js';

export interface Problem {
  file: string;
  /** Offsets into the file's text (0-based, end exclusive), clamped to it. */
  from: number;
  to: number;
  line: number;
  col: number;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  help: string | null;
  /** The text that replaces from..to, from the diagnostic's fix; null when none changes anything. */
  fix: string | null;
  /** Who said it: the checker in this page, or the server on a refused publish. */
  source: 'checker' | 'server';
}

export interface CheckedDraft {
  problems: Problem[];
  /** Every open file's syntax tree (partial after syntax errors), the entry first. */
  parsed: ParsedFile[];
}

/** The diagnostics' JSON shape in API answers: the CLI's, from the same renderer. */
export type { DiagnosticJson };

/** The replacement a diagnostic's fix writes over `spanned`, or null when there is none to make. */
function replacementFor(fix: { replacement: string } | undefined, spanned: string): string | null {
  return fix === undefined || fix.replacement === spanned ? null : fix.replacement;
}

function fromChecker(d: Diagnostic, text: string): Problem {
  const from = Math.min(d.span.offset, text.length);
  const to = Math.min(Math.max(d.span.end, from), text.length);
  return {
    file: d.file,
    from,
    to,
    line: d.span.line,
    col: d.span.col,
    code: d.code,
    severity: d.severity,
    message: d.message,
    help: d.help ?? null,
    fix: replacementFor(d.fix, text.slice(from, to)),
    source: 'checker',
  };
}

/**
 * What a check reads of a draft. Only these fields, not draft.ts's Draft, so that this module
 * stays free of the browser storage that draft.ts keeps the draft in (and testable under Node).
 */
export interface DraftTexts {
  entry: string;
  files: Record<string, string>;
}

/** Checks the draft's entry with the files open beside it as its libraries. */
export function checkDraft(draft: DraftTexts): CheckedDraft {
  const outcome = checkEntry(draft.entry, memoryHost(draft.files));
  const problems = outcome.diagnostics.map((d) => fromChecker(d, draft.files[d.file] ?? ''));
  const inProgram = new Map<string, ParsedFile>();
  if (outcome.program) {
    for (const file of [outcome.program.main, ...outcome.program.libraries]) inProgram.set(file.path, file);
  }
  // Files the entry does not use still get names for completion; their problems are the parser's.
  const parsed = Object.entries(draft.files).map(([path, text]): ParsedFile => {
    const known = inProgram.get(path);
    if (known) return known;
    const own = parse(text, path);
    if (path !== draft.entry) problems.push(...own.diagnostics.map((d) => fromChecker(d, text)));
    return { path, text, ast: own.ast };
  });
  parsed.sort((a, b) => Number(b.path === draft.entry) - Number(a.path === draft.entry));
  return { problems, parsed };
}

/** Offset of a 1-based line and column in `text`, clamped to the text. */
function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + Math.max(col - 1, 0), text.length);
}

/** The server's diagnostics on a refused publish, placed in the texts that were sent. */
export function fromServer(diagnostics: readonly DiagnosticJson[], files: Record<string, string>): Problem[] {
  return diagnostics.map((d) => {
    const text = files[d.file] ?? '';
    const from = offsetOf(text, d.line, d.col);
    const to = Math.max(from, offsetOf(text, d.endLine, d.endCol));
    return {
      file: d.file,
      from,
      to,
      line: d.line,
      col: d.col,
      code: d.code,
      severity: d.severity,
      message: d.message,
      help: d.help ?? null,
      fix: replacementFor(d.fix, text.slice(from, to)),
      source: 'server',
    };
  });
}

/** Diagnostics out of an API error body (`error.diagnostics` of a 422 invalid-policy), if any. */
export function diagnosticsInError(body: unknown): DiagnosticJson[] {
  const list = (body as { error?: { diagnostics?: unknown } } | null)?.error?.diagnostics;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (d): d is DiagnosticJson =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as DiagnosticJson).file === 'string' &&
      typeof (d as DiagnosticJson).line === 'number' &&
      typeof (d as DiagnosticJson).message === 'string',
  );
}

export const errorCount = (problems: readonly Problem[]): number =>
  problems.filter((p) => p.severity === 'error').length;

/** "CH3201 unknown role `aprover`", and the help on its own, as the editor and the list show them. */
export const headline = (p: Problem): string => `${p.code}: ${p.message}`;
