// The state every check function shares and the one way checks speak. State is passed
// explicitly rather than held in a class, so each check is a plain function. The reporter
// speaks only in catalogued codes and drops exact repeats, because a rule is checked once per
// process that uses it and an input-independent problem in it would otherwise repeat.
import type { Span } from '../ast/types.js';
import type { Diagnostic, Fix, RelatedInfo, Severity } from '../diagnostics/diagnostic.js';
import type { Program, SourceFile } from '../program.js';
import type { CheckCode } from './codes.js';
import type { SemanticModel } from './model.js';

export interface CheckContext {
  program: Program;
  /** Indexed by file number: 0 the policy, then the libraries. */
  files: SourceFile[];
  report: Reporter;
  model: SemanticModel;
}

export function fileOf(ctx: CheckContext, index: number): SourceFile {
  const file = ctx.files[index];
  if (!file) throw new Error(`no file with index ${index}`);
  return file;
}

/** The text under a span of file `index`, for messages that quote the author. */
export function sourceText(ctx: CheckContext, index: number, span: Span): string {
  return fileOf(ctx, index).text.slice(span.offset, span.end);
}

export interface Extra {
  help?: string | undefined;
  fix?: Fix | undefined;
  related?: RelatedInfo[] | undefined;
}

export interface Reporter {
  error(code: CheckCode, file: string, span: Span, message: string, extra?: Extra): void;
  warning(code: CheckCode, file: string, span: Span, message: string, extra?: Extra): void;
  /** How many errors were reported so far; lets a caller tell whether a sub-check was clean. */
  errorCount(): number;
  diagnostics(): Diagnostic[];
}

export function createReporter(): Reporter {
  const collected: Diagnostic[] = [];
  const keys = new Set<string>();
  let errors = 0;
  const add = (
    severity: Severity,
    code: CheckCode,
    file: string,
    span: Span,
    message: string,
    extra?: Extra,
  ) => {
    const key = `${file}:${span.offset}:${span.end}:${code}:${message}`;
    if (keys.has(key)) return;
    keys.add(key);
    if (severity === 'error') errors++;
    const diagnostic: Diagnostic = { code, severity, message, file, span };
    if (extra?.help !== undefined) diagnostic.help = extra.help;
    if (extra?.fix !== undefined) diagnostic.fix = extra.fix;
    if (extra?.related !== undefined && extra.related.length > 0) diagnostic.related = extra.related;
    collected.push(diagnostic);
  };
  return {
    error: (code, file, span, message, extra) => add('error', code, file, span, message, extra),
    warning: (code, file, span, message, extra) => add('warning', code, file, span, message, extra),
    errorCount: () => errors,
    diagnostics: () => [...collected],
  };
}

/** The source text under `span`, shortened so that a message stays one readable sentence. */
export function snippet(text: string, span: Span, max = 40): string {
  const raw = text.slice(span.offset, span.end).replace(/\s+/g, ' ').trim();
  return raw.length <= max ? raw : `${raw.slice(0, max - 1)}…`;
}

/** `a`, `a` and `b`, `a`, `b` and `c`: names in backticks for a message. */
export function listNames(names: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1] ?? ''}`;
}
