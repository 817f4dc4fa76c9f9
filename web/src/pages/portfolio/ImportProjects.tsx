// Import and export of the portfolio as a CSV file, for the PMO and admins. The file is picked or
// pasted; "Check" sends it as a dry run (POST /v1/projects/import?dryRun=true, text/csv) and shows
// what each row would do: created, updated (which fields), unchanged, or invalid with its problems
// ("row 4, column phase: ..."). "Import" sends the same text for real: every row is written, or
// none while any row is invalid, so a refused file is fixed in the box and checked again. The
// export link downloads the whole portfolio in the same columns, the file to edit and bring back.
import { type ChangeEvent, useId, useState } from 'react';
import { api, asFailure, type ApiFailure, unwrap } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import type { ImportAnswer } from './project-view.js';

const COLUMNS: { name: string; takes: string }[] = [
  {
    name: 'code',
    takes: 'the project’s code, e.g. ERP-2027 (required): a known code updates, a new one creates',
  },
  {
    name: 'version',
    takes: 'the version the row was exported at: a project changed since is not overwritten',
  },
  { name: 'name', takes: 'the project’s name (required for a new project)' },
  { name: 'phase', takes: 'one of the PMO’s phases (required for a new project)' },
  { name: 'manager, sponsor', takes: 'a person’s e-mail as the directory knows them; empty for none' },
  { name: 'budget_amount, budget_currency', takes: 'e.g. 250000.00 and EUR, together; both empty for none' },
  { name: 'start, end', takes: 'dates as YYYY-MM-DD; empty for none' },
  { name: 'health, health_reason', takes: 'green, amber or red, and why' },
  { name: 'tags', takes: 'tags separated by “;”, e.g. finance;erp' },
];

const OUTCOME: Record<ImportAnswer['rows'][number]['outcome'], { text: string; badge: string }> = {
  created: { text: 'Created', badge: 'badge-approved' },
  updated: { text: 'Updated', badge: 'badge-running' },
  unchanged: { text: 'Unchanged', badge: 'badge-cancelled' },
  invalid: { text: 'Invalid', badge: 'badge-rejected' },
};

/** POSTs the CSV text as text/csv: the generated client would send a string as JSON. */
function sendCsv(text: string, dryRun: boolean): Promise<ImportAnswer> {
  return unwrap(
    api.POST('/v1/projects/import', {
      params: { query: { dryRun: dryRun ? 'true' : 'false' } },
      body: text,
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

export function ImportProjects() {
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  /** The last answer and the text it was for: "Import" is offered for the text that was checked. */
  const [answer, setAnswer] = useState<{ text: string; result: ImportAnswer } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
    setAnswer(null);
    setFailure(null);
  };

  const run = async (dryRun: boolean): Promise<void> => {
    setBusy(dryRun ? 'check' : 'import');
    setFailure(null);
    try {
      setAnswer({ text, result: await sendCsv(text, dryRun) });
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(null);
    }
  };

  const checked = answer !== null && answer.text === text && answer.result.dryRun ? answer.result : null;
  const mayImport = checked !== null && checked.counts.invalid === 0;
  return (
    <>
      <section className="card" aria-labelledby={`${id}-export`}>
        <h2 id={`${id}-export`}>Export</h2>
        <p>
          <a className="button" href="/v1/projects/export" download>
            Export all projects (CSV)
          </a>
        </p>
        <p className="field-help">
          The file opens in a spreadsheet; edit it and import it here. Cells a spreadsheet would run as a
          formula start with a <code>&apos;</code>, which the import takes off again.
        </p>
      </section>
      <section className="card portfolio-import" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Import projects (CSV)</h2>
        <p className="field-help" id={`${id}-about`}>
          A header row naming the columns, in any order, then one project per line. A column left out leaves
          that field as it is. Check the file first: nothing is written until you import, and an import writes
          every row or none.
        </p>
        <dl className="portfolio-columns" aria-label="The columns">
          {COLUMNS.map((c) => (
            <div key={c.name}>
              <dt>
                <code>{c.name}</code>
              </dt>
              <dd>{c.takes}</dd>
            </div>
          ))}
        </dl>
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            aria-describedby={`${id}-about`}
            onChange={(e) => void pick(e)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-text`}>Or paste the CSV text</label>
          <textarea
            id={`${id}-text`}
            rows={6}
            spellCheck={false}
            value={text}
            aria-describedby={`${id}-text-help`}
            aria-invalid={failure?.status === 422 || (checked?.counts.invalid ?? 0) > 0 ? true : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setFileName(null);
            }}
          />
          <p className="field-help" id={`${id}-text-help`}>
            {fileName
              ? `The text of ${fileName}; you can correct it here.`
              : 'Picking a file puts its text here.'}
          </p>
        </div>
        <p className="actions">
          <button
            type="button"
            className="button"
            disabled={busy !== null || text.trim() === ''}
            onClick={() => void run(true)}
          >
            {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null || !mayImport}
            aria-describedby={`${id}-import-help`}
            onClick={() => void run(false)}
          >
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </p>
        <p className="field-help" id={`${id}-import-help`}>
          {mayImport
            ? 'The check found no problem: import writes these rows.'
            : 'Import is offered once a check of this text finds no invalid row.'}
        </p>
        <div aria-live="polite">
          {answer !== null && answer.text === text ? (
            <p className={`notice ${answer.result.counts.invalid > 0 ? 'notice-error' : 'notice-ok'}`}>
              {answer.result.dryRun ? 'Checked' : 'Imported'}: {answer.result.message}.
            </p>
          ) : null}
        </div>
        {failure ? <ErrorNotice failure={failure} title="Nothing was imported" /> : null}
        {answer !== null && answer.text === text ? <RowsTable result={answer.result} /> : null}
      </section>
    </>
  );
}

function RowsTable({ result }: { result: ImportAnswer }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table portfolio-rows">
        <caption>{result.dryRun ? 'What each row would do' : 'What each row did'}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Code</th>
            <th scope="col">Outcome</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.row}>
              <th scope="row" data-label="Row">
                {r.row}
              </th>
              <td data-label="Code">{r.code ?? <span className="muted">no valid code</span>}</td>
              <td data-label="Outcome">
                <span className={`badge ${OUTCOME[r.outcome].badge}`}>{OUTCOME[r.outcome].text}</span>
              </td>
              <td data-label="Details">
                {r.problems.length > 0 ? (
                  <ul className="problems">
                    {r.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                ) : r.changes.length > 0 ? (
                  `${r.outcome === 'created' ? 'with' : 'changes'} ${r.changes.join(', ')}`
                ) : (
                  <span className="muted">nothing to change</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
