// "Import completions (CSV)", for the PMO and admins: a training system's export recorded in one
// go (POST /v1/qualifications/completions/import, text/csv). The file is checked first, a dry
// run that writes nothing, and its rows shown in a table: new, recorded already, or invalid with
// each problem as `row N, column X: ...`. Only a file whose rows are all valid can be recorded,
// and only as it was checked: editing the text asks for a new check. The server checks again on
// import and records every new row or none.
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import {
  type CsvColumn,
  CsvImport,
  CsvProblems,
  type CsvRowColumn,
  CsvRowsTable,
  csvBody,
  OutcomeBadge,
  RowProblemList,
  useCsvImport,
} from '../../components/CsvImport.js';
import { ErrorNotice } from '../../components/states.js';
import { Day, type ImportAnswer } from './show.js';

const COLUMNS: CsvColumn[] = [
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
      ...csvBody(text),
    }),
  );
}

type Row = ImportAnswer['rows'][number];

const OUTCOME: Record<Row['outcome'], { text: string; badge: string }> = {
  new: { text: 'New', badge: 'badge-open' },
  'recorded-already': { text: 'Recorded already', badge: 'badge-done' },
  invalid: { text: 'Invalid', badge: 'badge-rejected' },
};

const NONE = <span className="muted">—</span>;

const ROW_COLUMNS: CsvRowColumn<Row>[] = [
  { label: 'Person', cell: (r) => r.person ?? NONE },
  { label: 'Qualification', cell: (r) => r.qualification ?? NONE },
  { label: 'Completed', cell: (r) => (r.completedOn ? <Day day={r.completedOn} /> : NONE) },
  {
    label: 'Expires',
    cell: (r) =>
      r.expiresOn ? (
        <Day day={r.expiresOn} />
      ) : (
        <span className="muted">{r.outcome === 'invalid' ? '—' : 'never'}</span>
      ),
  },
  {
    label: 'Outcome',
    cell: (r) => (
      <>
        <OutcomeBadge outcome={OUTCOME[r.outcome]} />
        {r.problems.length > 0 ? <RowProblemList problems={r.problems} /> : null}
      </>
    ),
  },
];

export function ImportCompletions({ onImported }: { onImported: () => void }) {
  /** The dry run's answer and the text it checked. */
  const [checked, setChecked] = useState<{ text: string; answer: ImportAnswer } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const csv = useCsvImport<'checking' | 'recording'>({
    forget: () => {
      setChecked(null);
      setDone(null);
    },
    forgetWhenTyped: true,
  });
  const { text, busy, failure } = csv;
  const run = (dryRun: boolean): Promise<void> => {
    setDone(null);
    return csv.run(dryRun ? 'checking' : 'recording', async () => {
      const answer = await send(text, dryRun);
      if (dryRun) setChecked({ text, answer });
      else {
        setChecked(null);
        setDone(answer.message);
        onImported();
      }
    });
  };
  const check = (event: FormEvent): void => {
    event.preventDefault();
    void run(true);
  };

  const current = checked !== null && checked.text === text ? checked.answer : null;
  const recordable = current !== null && current.counts.invalid === 0 && current.counts.new > 0;
  return (
    <CsvImport
      title="Import completions (CSV)"
      className="people-import"
      columnsClassName="people-import-columns"
      about={
        <>
          A header row naming the columns, in any order, then one completion per row. The file is checked
          first and nothing is recorded until every row is valid; a completion recorded before is left as it
          is.
        </>
      }
      columns={COLUMNS}
      example={EXAMPLE}
      csv={csv}
      invalid={failure?.status === 422 || (current !== null && current.counts.invalid > 0)}
      onSubmit={check}
      actions={
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
      }
    >
      <div aria-live="polite" role="status">
        {current ? (
          <p className={`notice ${current.counts.invalid > 0 ? 'notice-warning' : 'notice-ok'}`}>
            {current.message}
          </p>
        ) : null}
        {done ? <p className="notice notice-ok">{done}</p> : null}
      </div>
      {current ? (
        <CsvRowsTable
          caption="What the import would do with each row"
          captionClassName="visually-hidden"
          columns={ROW_COLUMNS}
          rows={current.rows}
        />
      ) : null}
      {failure && failure.problems.length > 0 ? (
        <CsvProblems
          failure={failure}
          title="Nothing was recorded"
          advice="Correct the file in the box above and check it again:"
          place={problemPlace}
        />
      ) : null}
      {failure && failure.problems.length === 0 ? (
        <ErrorNotice failure={failure} title="Nothing was recorded" />
      ) : null}
    </CsvImport>
  );
}
