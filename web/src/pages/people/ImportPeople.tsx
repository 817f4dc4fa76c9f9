// "Import people (CSV)", for admins on the directory screen: an HR export brought in as people
// with their delivery fields (POST /v1/directory/people/import, Content-Type text/csv). The file
// is picked or pasted; either way its text stays in the box, so after a refusal the admin fixes
// it there and imports again. The server checks every row before it writes anything, and answers
// either how many people were created and updated, or every problem with its line and column
// (`body.rows[3].zone`), which this lists as "Line 3, zone: ...".
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { type ApiFailure, api, asFailure, unwrap } from '../../api-client/client.js';
import type { FieldProblem } from '../../api-client/failure.js';
import { ErrorNotice } from '../../components/states.js';

/** The columns the import reads (api/notifications/import.ts), with what each takes. */
const COLUMNS: { name: string; takes: string }[] = [
  { name: 'id', takes: 'the person’s e-mail address as the directory knows them (required)' },
  { name: 'name', takes: 'their full name' },
  { name: 'manager', takes: 'their manager’s id; empty for none' },
  { name: 'email', takes: 'where mail goes; empty for no mail' },
  { name: 'chat_format', takes: 'slack or teams; empty for no chat' },
  { name: 'chat_url', takes: 'the chat’s incoming-webhook URL (https)' },
  { name: 'zone', takes: 'a time zone such as Europe/Berlin' },
  { name: 'working_days', takes: 'mon-fri, or days such as mon,tue,thu' },
  { name: 'working_from', takes: 'start of the working day, HH:MM' },
  { name: 'working_to', takes: 'end of the working day, HH:MM' },
];

const EXAMPLE = `id,name,manager,email,zone,working_days,working_from,working_to
ada.lind@example.com,Ada Lind,,ada.lind@example.com,Europe/Oslo,mon-fri,08:00,16:00`;

/** Where a problem is, as the admin reads the file: "Line 3, zone", "Header row". */
export function problemPlace(path: string): string {
  const row = /^body\.rows\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (row) return row[2] === undefined ? `Line ${row[1]}` : `Line ${row[1]}, ${row[2]}`;
  if (path === 'body.header') return 'Header row';
  if (path === 'body.rows' || path === 'body' || path === '') return 'The file';
  return path;
}

/** POSTs the CSV text as text/csv: the generated client would send a string as JSON. */
async function importCsv(text: string): Promise<{ created: number; updated: number }> {
  return unwrap(
    api.POST('/v1/directory/people/import', {
      body: text,
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function ImportPeople({ onImported }: { onImported: () => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
    setDone(null);
    setFailure(null);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setDone(null);
    setFailure(null);
    try {
      const answer = await importCsv(text);
      setDone(
        `Imported: ${plural(answer.created, 'person', 'people')} created, ${plural(answer.updated, 'person', 'people')} updated.`,
      );
      onImported();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const rowProblems = failure?.status === 422 ? failure.problems : [];
  return (
    <section className="card people-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import people (CSV)</h2>
      <p className="field-help" id={`${id}-about`}>
        A header row naming the columns, in any order, then one person per line. A column left out leaves that
        field as it is; an empty manager, email or chat cell clears it. chat_format and chat_url go together,
        and so do the three working_ columns. Every row is checked before anything is written.
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
      <form onSubmit={(e) => void submit(e)} noValidate>
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
            aria-invalid={failure?.status === 422 ? true : undefined}
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
          <button type="submit" className="button button-primary" disabled={busy || text.trim() === ''}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </p>
      </form>
      <div aria-live="polite">{done ? <p className="notice notice-ok">{done}</p> : null}</div>
      {failure && rowProblems.length > 0 ? <RowProblems failure={failure} problems={rowProblems} /> : null}
      {failure && rowProblems.length === 0 ? (
        <ErrorNotice failure={failure} title="Nothing was imported" />
      ) : null}
    </section>
  );
}

function RowProblems({ failure, problems }: { failure: ApiFailure; problems: readonly FieldProblem[] }) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">The file was not imported</p>
      <p>
        {failure.message} <code className="code-tag">{failure.code}</code>. Correct these lines in the box
        above and import again:
      </p>
      <ul className="problems people-import-problems">
        {problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <strong>{problemPlace(p.path)}</strong>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
