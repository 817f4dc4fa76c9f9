// The formatter: one canonical layout for every policy, so that diffs show changes of meaning
// and never of taste. It works in four stages, each in its own module:
//   1. parse (../parse/): a file with syntax errors is not formatted, its text is not ours to guess;
//   2. layout (build.ts, steps.ts, with expr.ts for expressions and
//      literals): the AST as lines and blocks in canonical order, each piece remembering the
//      source range it was printed from (found with source.ts);
//   3. comments (layout.ts, placeComments): every comment given to exactly one piece by
//      position; this runs after stage 2 because approval clauses and calendar lines move;
//   4. render (layout.ts): indentation, empty lines, and line breaking at 100 columns,
//      each construct breaking in its own shape (break.ts) only when it does not fit.
// Two properties hold and are tested: formatting is idempotent, and the output parses to the
// same AST (spans aside) with the same comments in the same order (except that a comment on an
// approval clause moves with its clause). An internal inconsistency throws: a formatter bug must
// not pass silently as a refusal to format.
import { type Diagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { fileItems } from './build.js';
import { placeComments, render, segment } from './layout.js';
import { SourceText } from './source.js';
import { parse } from '../parse/index.js';

export interface FormatResult {
  /** The formatted text, or null when the source has syntax errors. */
  text: string | null;
  diagnostics: Diagnostic[];
}

export function format(text: string, file: string): FormatResult {
  const { ast, diagnostics } = parse(text, file);
  if (hasErrors(diagnostics)) return { text: null, diagnostics };
  const src = new SourceText(text);
  const items = fileItems(ast, src);
  const end = segment('', text.length, text.length);
  placeComments(items, end, ast.comments, src);
  return { text: render(items, end), diagnostics };
}
