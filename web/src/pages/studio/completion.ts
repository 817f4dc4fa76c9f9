// Completion in the studio: after `request.` the input fields of the process the cursor is in;
// elsewhere the roles, calendars, rules and processes the open files declare, the steps of the
// current process, and the language's keywords. Names come from the syntax trees of the last
// check (declarations.ts), so what is offered is what the checker will find. Nothing is offered
// inside a string or a comment, where a name means nothing.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { kw } from '../../../../dsl/parse/lexer.js';
import { type DeclarationKind, declarationsOf, type ParsedFile, processAt } from './declarations.js';

const KEYWORDS = Object.keys(kw);

const TYPE_OF: Record<DeclarationKind, string> = {
  role: 'variable',
  calendar: 'namespace',
  rule: 'function',
  process: 'class',
  'input field': 'property',
  step: 'method',
  monitor: 'class',
};

/** True when `before` (the line up to the cursor) ends inside a string or a comment. */
function inStringOrComment(before: string): boolean {
  let inString = false;
  for (let i = 0; i < before.length; i++) {
    const c = before.charAt(i);
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === '#') return true;
  }
  return inString;
}

export interface CompletionHost {
  /** The syntax trees of the last check. */
  parsed: () => readonly ParsedFile[];
  /** The path of the file in the editor. */
  file: () => string;
}

export function charterCompletions(host: CompletionHost) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    if (inStringOrComment(line.text.slice(0, context.pos - line.from))) return null;
    const files = host.parsed();
    const declared = declarationsOf(files);
    const process = processAt(files, host.file(), context.pos);

    const field = context.matchBefore(/\brequest\.\w*$/);
    if (field) {
      const fields = declared.filter(
        (d) => d.kind === 'input field' && (process === null || d.process === process),
      );
      return {
        from: field.from + 'request.'.length,
        options: fields.map((d) => ({
          label: d.name,
          type: 'property',
          detail: `input of ${d.process ?? ''}`,
        })),
        validFor: /^\w*$/,
      };
    }

    const word = context.matchBefore(/\w+$/);
    if (!word && !context.explicit) return null;
    const options: Completion[] = [];
    const seen = new Set<string>();
    for (const d of declared) {
      // Input fields are read as `request.<field>`; steps only within their own process.
      if (d.kind === 'input field') continue;
      if (d.kind === 'step' && d.process !== process) continue;
      if (seen.has(`${d.kind}:${d.name}`)) continue;
      seen.add(`${d.kind}:${d.name}`);
      options.push({ label: d.name, type: TYPE_OF[d.kind], detail: d.kind, boost: 1 });
    }
    for (const keyword of KEYWORDS) options.push({ label: keyword, type: 'keyword' });
    return { from: word?.from ?? context.pos, options, validFor: /^\w*$/ };
  };
}
