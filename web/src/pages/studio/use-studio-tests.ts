// The Tests tab's state: the test file's text (kept in the draft, so in sessionStorage), the last
// run with the texts it ran on (so the page can say when the policy or the tests changed since),
// and the editor's coverage marks, which follow the file shown. A run compiles the draft as it is
// now; a draft with errors cannot run, and the page says why.
import type { EditorView } from '@codemirror/view';
import { type RefObject, useEffect, useState } from 'react';
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import { showUncovered } from './coverage-marks.js';
import type { DraftState } from './use-draft.js';
import { compileDraft } from './preview.js';
import { runTests, type TestReport, type TestRun, uncoveredLines } from './tests-run.js';

interface LastRun {
  run: TestRun;
  compiled: CompiledPolicy;
  /** The policy's files and the test file as they were when it ran. */
  files: string;
  tests: string;
}

export interface StudioTests {
  text: string;
  edit: (text: string) => void;
  run: () => void;
  last: TestRun | null;
  /** The coverage to show on the diagram, or null before a run (or after a refused file). */
  report: TestReport | null;
  outdated: boolean;
}

/** `<name>.test.json` beside `policy.charter`, as `charter test` pairs them. */
export const testFileName = (entry: string): string => entry.replace(/\.charter$/, '') + '.test.json';

export function useStudioTests(
  state: DraftState,
  view: RefObject<EditorView | null>,
  files: Record<string, string> | null,
): StudioTests {
  const [text, setText] = useState(() => state.current()?.tests ?? '');
  const [last, setLast] = useState<LastRun | null>(null);

  // Another draft (new, opened, reloaded): its own tests, no run yet.
  useEffect(() => {
    setText(state.current()?.tests ?? '');
    setLast(null);
  }, [state.generation]);

  const edit = (next: string): void => {
    setText(next);
    state.editTests(next);
  };

  const run = (): void => {
    const draft = state.current();
    if (!draft) return;
    const compiled = compileDraft(draft);
    if (compiled === null) return;
    let outcome: TestRun;
    try {
      outcome = runTests(compiled, text);
    } catch (error) {
      // A simulator fault is reported like a bad file, not as a blank page.
      outcome = {
        kind: 'problems',
        problems: [{ path: '(top level)', message: `the simulator stopped: ${(error as Error).message}` }],
      };
    }
    setLast({ run: outcome, compiled, files: JSON.stringify(draft.files), tests: text });
  };

  // The marks of the file shown; after the editor has switched documents (child effects run first).
  const active = state.draft?.active ?? '';
  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const lines =
      last?.run.kind === 'report' ? uncoveredLines(last.compiled, last.run.report, active) : new Map();
    showUncovered(current, lines);
  }, [last, active, state.generation]);

  return {
    text,
    edit,
    run,
    last: last?.run ?? null,
    report: last?.run.kind === 'report' ? last.run.report : null,
    outdated:
      last !== null && (files === null || JSON.stringify(files) !== last.files || text !== last.tests),
  };
}
