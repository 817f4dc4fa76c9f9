// Hover in the studio: pointing at a name (a role, a calendar, a rule, a step, or an input field
// in `request.<field>`) shows where it is declared, by line (and file, when it is a library's),
// with the declaration's first line quoted. A name declared nowhere shows nothing: the checker's
// underline already says so.
import type { Extension } from '@codemirror/state';
import { type EditorView, hoverTooltip, type Tooltip } from '@codemirror/view';
import type { CompletionHost } from './completion.js';
import { type Declared, declarationsOf, firstLineOf, type ParsedFile, processAt } from './declarations.js';

/** The word under `pos` and whether it follows `request.`, or null when there is none. */
function wordAt(
  view: EditorView,
  pos: number,
): { from: number; to: number; text: string; field: boolean } | null {
  const line = view.state.doc.lineAt(pos);
  const at = pos - line.from;
  let start = at;
  let end = at;
  while (start > 0 && /\w/.test(line.text.charAt(start - 1))) start--;
  while (end < line.text.length && /\w/.test(line.text.charAt(end))) end++;
  if (start === end) return null;
  const field = line.text.slice(0, start).endsWith('request.');
  return { from: line.from + start, to: line.from + end, text: line.text.slice(start, end), field };
}

/** The declaration a name at `pos` refers to: the current process's step or field first. */
export function declarationAt(
  files: readonly ParsedFile[],
  file: string,
  pos: number,
  name: string,
  field: boolean,
): Declared | undefined {
  const process = processAt(files, file, pos);
  const candidates = declarationsOf(files).filter((d) => d.name === name);
  if (field) {
    return candidates.find((d) => d.kind === 'input field' && (process === null || d.process === process));
  }
  return (
    candidates.find((d) => d.kind === 'step' && d.process === process) ??
    candidates.find((d) => d.kind !== 'step' && d.kind !== 'input field')
  );
}

function describe(files: readonly ParsedFile[], file: string, declared: Declared): HTMLElement {
  const box = document.createElement('div');
  box.className = 'studio-hover';
  const title = document.createElement('p');
  const where = declared.file === file ? '' : ` in ${declared.file}`;
  const owner = declared.process ? ` of process ${declared.process}` : '';
  title.textContent = `${declared.kind} ${declared.name}${owner}, declared on line ${declared.span.line}${where}`;
  const quote = document.createElement('code');
  quote.textContent = firstLineOf(files, declared);
  box.append(title, quote);
  return box;
}

export function charterHover(host: CompletionHost): Extension {
  return hoverTooltip((view, pos): Tooltip | null => {
    const word = wordAt(view, pos);
    if (!word) return null;
    const files = host.parsed();
    const declared = declarationAt(files, host.file(), pos, word.text, word.field);
    if (!declared) return null;
    return {
      pos: word.from,
      end: word.to,
      above: true,
      create: () => ({ dom: describe(files, host.file(), declared) }),
    };
  });
}
