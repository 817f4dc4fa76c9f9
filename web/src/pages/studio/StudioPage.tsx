// /studio, the author studio's editor (authors, the PMO and admins): write a `.charter` policy
// with the real checker's diagnostics as one types (dsl/ runs in the page, the same code the
// server runs on publish), format it (Ctrl/Cmd-S or the button), and publish it through
// POST /v1/policies after a confirmation. The server decides: its refusal is shown in the editor.
// The draft lives in the page and in sessionStorage (use-draft.ts), so nothing typed is lost.
// Beside the editor, the diagram of the draft (PreviewPanel); in a second tab, its tests, run in
// the page with their coverage shown on the diagram and in the source (TestsPanel); in a third, a
// scenario built in a form and played on the simulator (ScenarioPanel). Library files are added
// and removed beside the entry (LibraryFiles).
import { forceLinting } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { useEffect, useId, useRef, useState } from 'react';
import { format } from '../../../../dsl/index.js';
import { navigate, useLocation } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { CodeEditor } from './CodeEditor.js';
import { headerOf, templateDraft } from './draft.js';
import type { EditorHooks } from './editor-setup.js';
import { LibraryFiles } from './LibraryFiles.js';
import { OpenSource } from './OpenSource.js';
import { PreviewPanel, usePreviewCompile } from './PreviewPanel.js';
import type { TriedRun } from './preview.js';
import { ScenarioPanel } from './scenario/ScenarioPanel.js';
import { StudioTabs, type StudioTab } from './StudioTabs.js';
import { TestsPanel } from './TestsPanel.js';
import { testFileName, useStudioTests } from './use-studio-tests.js';
import { checkDraft, type CheckedDraft, errorCount, fromServer, type Problem } from './problems.js';
import { ProblemList } from './ProblemList.js';
import { dayText, type Published, PublishDialog } from './PublishDialog.js';
import { useDraft } from './use-draft.js';

type Notice = { kind: 'ok' | 'error' | 'warning'; text: string };

interface Refusal {
  problems: Problem[];
  /** The texts that were sent: the server's places hold only while the text is unchanged. */
  sent: Record<string, string>;
}

export function StudioPage() {
  const who = useSignedIn();
  const { query } = useLocation();
  const helpId = useId();
  const publishHelpId = useId();
  const state = useDraft(query, who.person);
  const canPublish = hasRole(who, 'author', 'admin');
  const [checked, setChecked] = useState<(CheckedDraft & { files: Record<string, string> }) | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirming, setConfirming] = useState(false);
  const view = useRef<EditorView | null>(null);
  const refusal = useRef<Refusal | null>(null);
  const parsed = useRef<CheckedDraft['parsed']>([]);
  const pendingGoTo = useRef<Problem | null>(null);
  const [tab, setTab] = useState<StudioTab>('source');
  const tests = useStudioTests(state, view, checked?.files ?? null);
  const preview = usePreviewCompile(checked, state.draft?.entry ?? null);
  // The preview marks the latest of the two runs: the tests' coverage, or what a Try-it run reached.
  const [tried, setTried] = useState<TriedRun | null>(null);
  const runTests = (): void => {
    setTried(null);
    tests.run();
  };

  const activeFile = (): string => state.current()?.active ?? '';

  const check = (text: string): readonly Problem[] => {
    const now = state.current();
    if (!now) return [];
    const draft = { ...now, files: { ...now.files, [now.active]: text } };
    const result = checkDraft(draft);
    const server = refusal.current;
    const serverStill = server && Object.entries(server.sent).every(([p, t]) => draft.files[p] === t);
    if (server && !serverStill) refusal.current = null;
    const problems = [...result.problems, ...(serverStill ? server.problems : [])];
    parsed.current = result.parsed;
    setChecked({ problems, parsed: result.parsed, files: draft.files });
    return problems.filter((p) => p.file === draft.active);
  };

  const formatActive = (): void => {
    const current = view.current;
    const file = activeFile();
    if (!current) return;
    const before = current.state.doc.toString();
    const formatted = format(before, file);
    if (formatted.text === null) {
      const first = formatted.diagnostics.find((d) => d.severity === 'error');
      setNotice({
        kind: 'error',
        text: `Not formatted: the text does not parse${first ? ` (line ${first.span.line}: ${first.code} ${first.message})` : ''}. Fix the syntax errors first.`,
      });
      return;
    }
    if (formatted.text === before) {
      setNotice({ kind: 'ok', text: `${file} is already formatted.` });
      return;
    }
    const head = Math.min(current.state.selection.main.head, formatted.text.length);
    current.dispatch({
      changes: { from: 0, to: before.length, insert: formatted.text },
      selection: { anchor: head },
    });
    setNotice({ kind: 'ok', text: `Formatted ${file}; the draft is kept in this tab.` });
  };

  const hooks: EditorHooks = {
    check,
    changed: (text) => state.edit(activeFile(), text),
    save: formatActive,
    parsed: () => parsed.current,
    file: activeFile,
    label: 'Policy source',
    describedBy: helpId,
  };

  const goTo = (problem: Problem): void => {
    const current = view.current;
    if (!current) return;
    setTab('source');
    if (problem.file !== activeFile()) {
      // Shown first; the effect below selects it once the editor holds that file.
      pendingGoTo.current = problem;
      state.show(problem.file);
      return;
    }
    current.dispatch({ selection: { anchor: problem.from, head: problem.to }, scrollIntoView: true });
    current.focus();
  };

  // After the child editor's own effect has switched files (child effects run first).
  useEffect(() => {
    const problem = pendingGoTo.current;
    if (problem && problem.file === state.draft?.active) {
      pendingGoTo.current = null;
      goTo(problem);
    }
  });

  const fix = (problem: Problem): void => {
    const current = view.current;
    if (!current || problem.fix === null || problem.file !== activeFile()) return goTo(problem);
    // Only while the text is the one checked: otherwise the place may have moved.
    if (current.state.doc.toString() !== checked?.files[problem.file]) return goTo(problem);
    current.dispatch({
      changes: { from: problem.from, to: problem.to, insert: problem.fix },
      selection: { anchor: problem.from + problem.fix.length },
    });
    current.focus();
  };

  const startNew = (): void => {
    if (
      state.edited() &&
      !window.confirm('Replace the text in the editor with the template? What you typed is lost.')
    )
      return;
    navigate('/studio');
    state.start(templateDraft(who.person, new Date()));
    setNotice(null);
  };

  const published = (answer: Published): void => {
    setConfirming(false);
    const { name, version, effective } = answer.policy;
    setNotice({
      kind: 'ok',
      text:
        answer.status === 'unchanged'
          ? `${name} version ${version} was already published with this very text; nothing changed.`
          : `Published ${name} version ${version}, in effect from ${dayText(effective)}. To change it, publish a new version: raise the version number.`,
    });
  };

  const refused = (diagnostics: Parameters<typeof fromServer>[0], sent: Record<string, string>): void => {
    refusal.current = { problems: fromServer(diagnostics, sent), sent };
    // Check again now, so the server's problems are underlined without waiting for a keystroke.
    if (view.current) forceLinting(view.current);
  };

  if (state.failure) {
    return (
      <section className="page studio">
        <h1>Studio</h1>
        <ErrorNotice failure={state.failure} title="Could not open that version" onRetry={state.retry} />
        <button type="button" className="button" onClick={startNew}>
          Start a new policy instead
        </button>
      </section>
    );
  }

  const draft = state.draft;
  const files = draft ? Object.keys(draft.files) : [];
  const errors = checked ? errorCount(checked.problems) : 0;
  const header = draft ? headerOf(state.current() ?? draft) : null;
  const fixFirst = 'Fix the errors in the policy first:';
  const blocked = !canPublish
    ? 'Publishing needs the author or admin role.'
    : checked === null
      ? 'Checking…'
      : errors > 0
        ? `Fix the ${errors === 1 ? 'error' : `${errors} errors`} first.`
        : header === null
          ? 'The entry file needs a `policy "<name>" version <n> effective <date>` header.'
          : null;

  return (
    <section className="page studio">
      <h1>Studio</h1>
      <p className="studio-intro">
        Write a policy; the checker reads it as you type. Publish it when it has no errors.
      </p>
      <OpenSource
        onNew={startNew}
        onOpen={({ name, version }) => {
          if (state.edited() && !window.confirm('Replace the text in the editor? What you typed is lost.'))
            return;
          navigate(`/studio?policy=${encodeURIComponent(name)}&version=${version}`);
        }}
      />
      {draft === null ? (
        <Loading what="the policy's text" />
      ) : (
        <div className="studio-work">
          <div className="studio-toolbar">
            {files.length > 1 ? (
              <nav className="studio-files" aria-label="Open files">
                {files.map((path) => (
                  <button
                    key={path}
                    type="button"
                    className="button button-quiet"
                    aria-current={path === draft.active ? 'true' : undefined}
                    onClick={() => state.show(path)}
                  >
                    {path}
                  </button>
                ))}
              </nav>
            ) : (
              <p className="studio-file">{draft.active}</p>
            )}
            <div className="actions">
              <button type="button" className="button" onClick={formatActive} disabled={tab !== 'source'}>
                Format
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={blocked !== null}
                aria-describedby={publishHelpId}
                onClick={() => setConfirming(true)}
              >
                Publish…
              </button>
            </div>
          </div>
          <LibraryFiles
            files={files}
            entry={draft.entry}
            active={draft.active}
            onAdd={state.addFile}
            onRemove={state.removeFile}
          />
          <p id={publishHelpId} className="field-help studio-publish-help">
            {blocked ?? `Ready to publish ${header?.name ?? ''} version ${header?.version ?? ''}.`}
          </p>
          {notice ? (
            <p className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
            </p>
          ) : null}
          <div className="studio-columns">
            <div className="studio-main">
              <StudioTabs
                tab={tab}
                onTab={setTab}
                testsLabel={`Tests (${testFileName(draft.entry)})`}
                source={
                  <>
                    <CodeEditor
                      docKey={`${state.generation}:${draft.active}`}
                      text={state.current()?.files[draft.active] ?? ''}
                      hooks={hooks}
                      onView={(v) => (view.current = v)}
                    />
                    <p id={helpId} className="field-help">
                      Ctrl+Space completes a name, Ctrl+S (⌘S) formats, Ctrl+Shift+M lists the problems. Tab
                      indents; press Escape, then Tab, to leave the editor.
                    </p>
                  </>
                }
                tests={
                  <TestsPanel
                    text={tests.text}
                    onChange={tests.edit}
                    onRun={runTests}
                    blocked={errors > 0 ? `${fixFirst} the tests run on a policy that checks clean.` : null}
                    run={tests.last}
                    outdated={tests.outdated}
                    fileName={testFileName(draft.entry)}
                  />
                }
                scenario={
                  <ScenarioPanel
                    policy={preview.now}
                    blocked={
                      checked === null
                        ? 'Checking…'
                        : errors > 0
                          ? `${fixFirst} a scenario runs on a policy that checks clean.`
                          : null
                    }
                    startedBy={who.person}
                    tests={{ text: tests.text, edit: tests.edit, fileName: testFileName(draft.entry) }}
                    onRan={setTried}
                  />
                }
              />
              <ProblemList
                problems={checked?.problems ?? []}
                entry={draft.entry}
                checked={checked !== null}
                onGoTo={goTo}
                onFix={fix}
              />
            </div>
            <PreviewPanel
              compiled={preview.lastGood}
              outOfDate={checked !== null && preview.now === null}
              report={tests.report}
              tried={tried}
            />
          </div>
        </div>
      )}
      {confirming && draft && header ? (
        <PublishDialog
          draft={state.current() ?? draft}
          header={header}
          warnings={(checked?.problems.length ?? 0) - errors}
          compiled={preview.now}
          onPublished={published}
          onRefused={refused}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
