// The Tests tab: the policy's test file (`<policy>.test.json`, dsl/TESTING.md), pasted or opened
// from disk, kept in the draft; "Run tests" plays every scenario in the page on the simulator and
// shows each result (passed, or failed with the simulator's words and the scenario's place in the
// file), step and branch coverage as numbers, and the points no scenario reached with their lines.
// A file that is not JSON or not the expected shape gets each problem at its path, next to it.
import { type ChangeEvent, useId, useRef } from 'react';
import { ratioText, type TestRun } from './tests-run.js';

interface TestsPanelProps {
  text: string;
  onChange: (text: string) => void;
  onRun: () => void;
  /** Why the tests cannot run now (the draft has errors), or null. */
  blocked: string | null;
  run: TestRun | null;
  /** The policy or the tests changed since the run shown. */
  outdated: boolean;
  /** The file name the test file goes by (`<policy>.test.json`). */
  fileName: string;
}

export function TestsPanel({ text, onChange, onRun, blocked, run, outdated, fileName }: TestsPanelProps) {
  const textId = useId();
  const helpId = useId();
  const problemsId = useId();
  const picker = useRef<HTMLInputElement>(null);
  const problems = run?.kind === 'problems' ? run.problems : [];

  const open = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    if (!file) return;
    void file.text().then(onChange);
    event.target.value = '';
  };

  return (
    <div className="studio-tests">
      <div className="field">
        <label htmlFor={textId}>Test scenarios ({fileName})</label>
        <p id={helpId} className="field-help">
          Paste the JSON of the policy&apos;s test file, or open it from your computer. The format is the one{' '}
          <code>charter test</code> reads. It stays with the draft in this tab and is never published.
        </p>
        <textarea
          id={textId}
          className="studio-tests-text"
          value={text}
          spellCheck={false}
          rows={14}
          aria-describedby={problems.length > 0 ? `${helpId} ${problemsId}` : helpId}
          aria-invalid={problems.length > 0 ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {problems.length > 0 ? (
          <div id={problemsId} className="field-problem" role="alert">
            <p>The test file cannot run:</p>
            <ul className="studio-test-problems">
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path}</code>: {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={() => picker.current?.click()}>
          Open a test file…
        </button>
        {/* Hidden: the button above is what people use; this only opens the system's file chooser. */}
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Test file to open"
          onChange={open}
        />
        <button
          type="button"
          className="button button-primary"
          onClick={onRun}
          disabled={blocked !== null || text.trim() === ''}
        >
          Run tests
        </button>
      </div>
      {blocked !== null ? <p className="field-help">{blocked}</p> : null}
      {run?.kind === 'report' ? <Results run={run} outdated={outdated} /> : null}
    </div>
  );
}

function Results({ run, outdated }: { run: Extract<TestRun, { kind: 'report' }>; outdated: boolean }) {
  const { report } = run;
  const failed = report.scenarios.filter((s) => !s.passed).length;
  const passed = report.scenarios.length - failed;
  return (
    <section className="studio-test-results" aria-label="Test results">
      {outdated ? (
        <p className="notice notice-warning">
          The policy or the tests changed since this run: run them again.
        </p>
      ) : null}
      <p className="studio-test-totals" role="status">
        {passed} passed, {failed} failed. Coverage: steps {ratioText(report.steps)}, branches{' '}
        {ratioText(report.branches)}.
      </p>
      <ul className="studio-scenarios">
        {report.scenarios.map((s) => (
          <li key={s.at} className={s.passed ? 'studio-scenario-passed' : 'studio-scenario-failed'}>
            <span className={s.passed ? 'badge badge-approved' : 'badge badge-rejected'}>
              <span aria-hidden="true">{s.passed ? '✓ ' : '✕ '}</span>
              {s.passed ? 'Passed' : 'Failed'}
            </span>{' '}
            <strong>{s.name}</strong> <code className="studio-scenario-at">{s.at}</code>
            {s.failures.length > 0 ? (
              <ul className="studio-failures">
                {s.failures.map((f, i) => (
                  <li key={i}>
                    <code>{f}</code>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      {report.uncovered.length > 0 ? (
        <details className="studio-uncovered">
          <summary>
            {report.uncovered.length} {report.uncovered.length === 1 ? 'point' : 'points'} not covered
          </summary>
          <ul>
            {report.uncovered.map((p) => (
              <li key={p.key}>
                line {p.span.line}: <code>{p.key}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <p className="notice notice-ok">Every step and branch is covered.</p>
      )}
    </section>
  );
}
