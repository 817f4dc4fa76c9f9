// The studio's CodeMirror setup: the editing basics (line numbers, history, selection, bracket
// matching, two-space indentation), Charter's colours, the tests' coverage marks, the checker's
// diagnostics as underlines with their help and "did you mean" fixes, completion, hover, and
// Ctrl/Cmd-S to format. Tab indents; Escape then Tab (CodeMirror's tab-focus escape) leaves the
// editor, so a keyboard user is never trapped in it, and the page says so next to the editor.
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentUnit } from '@codemirror/language';
import { type Diagnostic as EditorDiagnostic, linter, lintKeymap } from '@codemirror/lint';
import { EditorState, type Extension, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { charterCompletions, type CompletionHost } from './completion.js';
import { charterHighlighting } from './highlight.js';
import { coverageMarks } from './coverage-marks.js';
import { charterHover } from './hover.js';
import { headline, type Problem } from './problems.js';

/** How long typing must pause before the checker runs (the brief's 150-300 ms). */
export const CHECK_DELAY_MS = 200;

export interface EditorHooks extends CompletionHost {
  /** Checks the text now in the editor; answers the problems of this file. */
  check: (text: string) => readonly Problem[];
  /** The text changed (to keep the draft and its stored copy current). */
  changed: (text: string) => void;
  /** Ctrl/Cmd-S: format and keep. */
  save: () => void;
  /** Accessible name and description ids of the editing area. */
  label: string;
  describedBy: string;
}

function helpNode(problem: Problem): Node {
  const box = document.createElement('div');
  const message = document.createElement('p');
  message.className = 'studio-lint-message';
  message.textContent = headline(problem);
  box.append(message);
  if (problem.help) {
    const help = document.createElement('p');
    help.className = 'studio-lint-help';
    help.textContent = `help: ${problem.help}`;
    box.append(help);
  }
  return box;
}

/** A problem as CodeMirror's lint shows it: underline, message with code, help, and its fix. */
export function editorDiagnostic(problem: Problem): EditorDiagnostic {
  const { fix } = problem;
  return {
    from: problem.from,
    to: problem.to,
    severity: problem.severity,
    source: problem.source === 'server' ? 'server' : 'checker',
    message: `${headline(problem)}${problem.help ? ` (help: ${problem.help})` : ''}`,
    renderMessage: () => helpNode(problem),
    actions:
      fix === null
        ? []
        : [
            {
              name: `Change to ${fix}`,
              apply: (view, from, to) => view.dispatch({ changes: { from, to, insert: fix } }),
            },
          ],
  };
}

export function studioExtensions(hooks: EditorHooks): Extension[] {
  return [
    lineNumbers(),
    coverageMarks(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    bracketMatching(),
    highlightActiveLine(),
    indentUnit.of('  '),
    EditorState.tabSize.of(2),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': hooks.label, 'aria-describedby': hooks.describedBy }),
    charterHighlighting(),
    linter((view) => hooks.check(view.state.doc.toString()).map(editorDiagnostic), { delay: CHECK_DELAY_MS }),
    autocompletion({ override: [charterCompletions(hooks)], icons: false }),
    charterHover(hooks),
    Prec.high(
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            hooks.save();
            return true;
          },
        },
      ]),
    ),
    keymap.of([...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap, indentWithTab]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) hooks.changed(update.state.doc.toString());
    }),
  ];
}
