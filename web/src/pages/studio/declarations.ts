// The names a policy declares, read from the syntax trees of the files being edited: roles,
// calendars, rules, processes, each process's input fields and its steps. Completion offers them
// and hover explains them. They come from the AST (what is written), not from the checker's
// verdict, so a name is known as soon as its declaration parses, even while other lines have
// errors. Each keeps its file and span, so hover can quote the declaration's first line.
import type { ParallelBranch, PolicyFile, Span, Step } from '../../../../dsl/ast/types.js';

export type DeclarationKind = 'role' | 'calendar' | 'rule' | 'process' | 'input field' | 'step' | 'monitor';

export interface Declared {
  name: string;
  kind: DeclarationKind;
  /** The file it is written in (the entry or a library). */
  file: string;
  span: Span;
  /** For input fields and steps: the process they belong to. */
  process?: string;
}

export interface ParsedFile {
  path: string;
  text: string;
  ast: PolicyFile;
}

/** Every step with an id inside `steps`, nested ones (if, parallel) included. */
function stepsIn(steps: readonly Step[]): { name: string; span: Span }[] {
  const found: { name: string; span: Span }[] = [];
  const visit = (list: readonly Step[]): void => {
    for (const step of list) {
      if ('id' in step && step.id !== null) found.push({ name: step.id.name, span: step.span });
      if (step.kind === 'if') {
        for (const branch of step.branches) visit(branch.steps);
        if (step.otherwise) visit(step.otherwise.steps);
      }
      if (step.kind === 'parallel') {
        step.branches.forEach((branch: ParallelBranch) => {
          if (branch.id) found.push({ name: branch.id.name, span: branch.span });
          visit(branch.steps);
        });
      }
    }
  };
  visit(steps);
  return found;
}

/** The declarations of every file, the entry's first. */
export function declarationsOf(files: readonly ParsedFile[]): Declared[] {
  const all: Declared[] = [];
  for (const { path, ast } of files) {
    for (const decl of ast.declarations) {
      if (decl.kind === 'process') {
        all.push({ name: decl.name.name, kind: 'process', file: path, span: decl.span });
        for (const field of decl.input) {
          all.push({
            name: field.name.name,
            kind: 'input field',
            file: path,
            span: field.span,
            process: decl.name.name,
          });
        }
        for (const step of stepsIn(decl.steps)) {
          all.push({ ...step, kind: 'step', file: path, process: decl.name.name });
        }
      } else {
        all.push({ name: decl.name.name, kind: decl.kind, file: path, span: decl.span });
      }
    }
  }
  return all;
}

/** The process whose block contains `offset` in `file`, or null (outside every process). */
export function processAt(files: readonly ParsedFile[], file: string, offset: number): string | null {
  const parsed = files.find((f) => f.path === file);
  const process = parsed?.ast.declarations.find(
    (d) => d.kind === 'process' && d.span.offset <= offset && offset <= d.span.end,
  );
  return process?.name.name ?? null;
}

/** The first line of a declaration, trimmed and shortened, to quote it. */
export function firstLineOf(files: readonly ParsedFile[], declared: Declared): string {
  const text = files.find((f) => f.path === declared.file)?.text ?? '';
  const start = declared.span.offset;
  const lineEnd = text.indexOf('\n', start);
  const line = text.slice(start, lineEnd === -1 ? undefined : lineEnd).trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
