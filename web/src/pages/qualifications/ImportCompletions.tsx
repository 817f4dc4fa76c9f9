// "Import completions (CSV)", for the PMO and admins: a training system's export recorded in one
// go (POST /v1/qualifications/completions/import, text/csv). The file is checked first, a dry
// run that writes nothing, and its rows shown in a table: new, recorded already, or invalid with
// each problem as `row N, column X: ...`. Only a file whose rows are all valid can be recorded,
// and only as it was checked: editing the text asks for a new check. The server checks again on
// import and records every new row or none.
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { type ApiFailure, api, asFailure, unwrap } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { Day, type ImportAnswer } from './show.js';

const COLUMNS: { name: string; takes: string }[] = [
  { name: 'person', takes: 'the person’s e-mail address as the directory knows them (required)' },
  { name: 'qualification', takes: 'the qualification’s id, such as itil-change (required)' },
  { name: 'completedOn', takes: 'the day it was completed, YYYY-MM-DD, today or before (required)' },
  { name: 'evidence', takes: 'a certificate number or a link; may be empty' },
];

const EXAMPLE = `person,qualification,completedOn,evidence
ada.lind@example.com,itil-change,2027-03-15,CERT-20931`;

/** Where a problem is, as the PMO reads the file: "Row 3, column person", "Header row". */
export function problemPlace(path: string): string {
  const row = /^body\.rows\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (row) return row[2] === undefined ? `Row ${row[1]}` : `Row ${row[1]}, column ${row[2]}`;
  if (path === 'body.header') return 'Header row';
  return 'The file';
}

async function send(text: string, dryRun: boolean): Promise<ImportAnswer> {
  return unwrap(
    api.POST('/v1/qualifications/completions/import', {
      params: { query: dryRun ? { dryRun: 'true' } : {} },
      body: text,
      // The generated client would send a string as JSON.
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

const OUTCOME: Record<ImportAnswer['rows'][number]['outcome'], { text: string; badge: string }> = {
  new: { text: 'New', badge: 'badge-open' },
  'recorded-already': { text: 'Recorded already', badge: 'badge-done' },
  invalid: { text: 'Invalid', badge: 'badge-rejected' },
};

export function ImportCompletions({ onImported }: { onImported: () => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState<'checking' | 'recording' | null>(null);
  /** The dry run's answer and the text it checked. */
  const [checked, setChecked] = useState<{ text: string; answer: ImportAnswer } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const edit = (next: string, file: string | null): void => {
    setText(next);
    setFileName(file);
    setChecked(null);
    setDone(null);
    setFailure(null);
  };
  const pick = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (file) edit(await file.text(), file.name);
  };
  const run = async (dryRun: boolean): Promise<void> => {
    setBusy(dryRun ? 'checking' : 'recording');
    setFailure(null);
    setDone(null);
    try {
      const answer = await send(text, dryRun);
      if (dryRun) setChecked({ text, answer });
      else {
        setChecked(null);
        setDone(answer.message);
        onImported();
      }
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(null);
    }
  };
  const check = (event: FormEvent): void => {
    event.preventDefault();
    void run(true);
  };

  const current = checked !== null && checked.text === text ? checked.answer : null;
  const recordable = current !== null && current.counts.invalid === 0 && current.counts.new > 0;
  return (
    <section className="card people-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import completions (CSV)</h2>
      <p className="field-help" id={`${id}-about`}>
        A header row naming the columns, in any order, then one completion per row. The file is checked first
        and nothing is recorded until every row is valid; a completion recorded before is left as it is.
      </p>
      <dl className="people-import-columns" aria-label="The columns">
        {COLUMNS.map((c) => (
          <div key={c.name}>
            <dt>
              <code>{c.name}</code>
            </dt>
            <dd>{c.takes}</dd>
          </div>
        ))}
      </dl>
      <details className="people-import-more">
        <summary>An example file</summary>
        <pre className="people-import-example">{EXAMPLE}</pre>
      </details>
      <form onSubmit={check} noValidate>
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
            aria-invalid={
              failure?.status === 422 || (current !== null && current.counts.invalid > 0) ? true : undefined
            }
            onChange={(e) => edit(e.target.value, null)}
          />
          <p className="field-help" id={`${id}-text-help`}>
            {fileName
              ? `The text of ${fileName}; you can correct it here.`
              : 'Picking a file puts its text here.'}
          </p>
        </div>
        <p className="actions">
          <button type="submit" className="button" disabled={busy !== null || text.trim() === ''}>
            {busy === 'checking' ? 'Checking…' : 'Check the file'}
          </button>
          {recordable ? (
            <button
              type="button"
              className="button button-primary"
              disabled={busy !== null}
              onClick={() => void run(false)}
            >
              {busy === 'recording'
                ? 'Recording…'
                : `Record ${current.counts.new} ${current.counts.new === 1 ? 'completion' : 'completions'}`}
            </button>
          ) : null}
        </p>
      </form>
      <div aria-live="polite" role="status">
        {current ? (
          <p className={`notice ${current.counts.invalid > 0 ? 'notice-warning' : 'notice-ok'}`}>
            {current.message}
          </p>
        ) : null}
        {done ? <p className="notice notice-ok">{done}</p> : null}
      </div>
      {current ? <CheckedRows answer={current} /> : null}
      {failure ? <FileProblems failure={failure} /> : null}
    </section>
  );
}

function CheckedRows({ answer }: { answer: ImportAnswer }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table">
        <caption className="visually-hidden">What the import would do with each row</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Person</th>
            <th scope="col">Qualification</th>
            <th scope="col">Completed</th>
            <th scope="col">Expires</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {answer.rows.map((r) => (
            <tr key={r.row}>
              <th scope="row" data-label="Row">
                {r.row}
              </th>
              <td data-label="Person">{r.person ?? <span className="muted">—</span>}</td>
              <td data-label="Qualification">{r.qualification ?? <span className="muted">—</span>}</td>
              <td data-label="Completed">
                {r.completedOn ? <Day day={r.completedOn} /> : <span className="muted">—</span>}
              </td>
              <td data-label="Expires">
                {r.expiresOn ? (
                  <Day day={r.expiresOn} />
                ) : (
                  <span className="muted">{r.outcome === 'invalid' ? '—' : 'never'}</span>
                )}
              </td>
              <td data-label="Outcome">
                <span className={`badge ${OUTCOME[r.outcome].badge}`}>{OUTCOME[r.outcome].text}</span>
                {r.problems.length > 0 ? (
                  <ul className="problems">
                    {r.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A refusal of the file itself (header, quoting, no rows) or of a real import, problem by problem. */
function FileProblems({ failure }: { failure: ApiFailure }) {
  if (failure.problems.length === 0) return <ErrorNotice failure={failure} title="Nothing was recorded" />;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">Nothing was recorded</p>
      <p>
        {failure.message} <code className="code-tag">{failure.code}</code>. Correct the file in the box above
        and check it again:
      </p>
      <ul className="problems">
        {failure.problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <strong>{problemPlace(p.path)}</strong>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
