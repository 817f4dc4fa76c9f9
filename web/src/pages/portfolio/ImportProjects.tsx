// Import and export of the portfolio as a CSV file, for the PMO and admins. The file is picked or
// pasted; "Check" sends it as a dry run (POST /v1/projects/import?dryRun=true, text/csv) and shows
// what each row would do: created, updated (which fields), unchanged, or invalid with its problems
// ("row 4, column phase: ..."). "Import" sends the same text for real: every row is written, or
// none while any row is invalid, so a refused file is fixed in the box and checked again. The
// export link downloads the whole portfolio in the same columns, the file to edit and bring back.
import { useId, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import {
  type CsvColumn,
  CsvImport,
  type CsvRowColumn,
  CsvRowsTable,
  csvBody,
  OutcomeBadge,
  RowProblemList,
  useCsvImport,
} from '../../components/CsvImport.js';
import { ErrorNotice } from '../../components/states.js';
import type { ImportAnswer } from './project-view.js';

const COLUMNS: CsvColumn[] = [
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

type Row = ImportAnswer['rows'][number];

const OUTCOME: Record<Row['outcome'], { text: string; badge: string }> = {
  created: { text: 'Created', badge: 'badge-approved' },
  updated: { text: 'Updated', badge: 'badge-running' },
  unchanged: { text: 'Unchanged', badge: 'badge-cancelled' },
  invalid: { text: 'Invalid', badge: 'badge-rejected' },
};

const ROW_COLUMNS: CsvRowColumn<Row>[] = [
  { label: 'Code', cell: (r) => r.code ?? <span className="muted">no valid code</span> },
  { label: 'Outcome', cell: (r) => <OutcomeBadge outcome={OUTCOME[r.outcome]} /> },
  {
    label: 'Details',
    cell: (r) =>
      r.problems.length > 0 ? (
        <RowProblemList problems={r.problems} />
      ) : r.changes.length > 0 ? (
        `${r.outcome === 'created' ? 'with' : 'changes'} ${r.changes.join(', ')}`
      ) : (
        <span className="muted">nothing to change</span>
      ),
  },
];

function sendCsv(text: string, dryRun: boolean): Promise<ImportAnswer> {
  return unwrap(
    api.POST('/v1/projects/import', {
      params: { query: { dryRun: dryRun ? 'true' : 'false' } },
      ...csvBody(text),
    }),
  );
}

export function ImportProjects() {
  const id = useId();
  /** The last answer and the text it was for: "Import" is offered for the text that was checked. */
  const [answer, setAnswer] = useState<{ text: string; result: ImportAnswer } | null>(null);
  const csv = useCsvImport<'check' | 'import'>({ forget: () => setAnswer(null) });
  const { text, busy, failure } = csv;
  const run = (dryRun: boolean): Promise<void> =>
    csv.run(dryRun ? 'check' : 'import', async () => {
      setAnswer({ text, result: await sendCsv(text, dryRun) });
    });

  const shown = answer !== null && answer.text === text ? answer.result : null;
  const checked = shown?.dryRun ? shown : null;
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
      <CsvImport
        title="Import projects (CSV)"
        className="portfolio-import"
        columnsClassName="portfolio-columns"
        about={
          <>
            A header row naming the columns, in any order, then one project per line. A column left out leaves
            that field as it is. Check the file first: nothing is written until you import, and an import
            writes every row or none.
          </>
        }
        columns={COLUMNS}
        csv={csv}
        invalid={failure?.status === 422 || (checked?.counts.invalid ?? 0) > 0}
        actions={
          <>
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
          </>
        }
      >
        <div aria-live="polite">
          {shown ? (
            <p className={`notice ${shown.counts.invalid > 0 ? 'notice-error' : 'notice-ok'}`}>
              {shown.dryRun ? 'Checked' : 'Imported'}: {shown.message}.
            </p>
          ) : null}
        </div>
        {failure ? <ErrorNotice failure={failure} title="Nothing was imported" /> : null}
        {shown ? (
          <CsvRowsTable
            caption={shown.dryRun ? 'What each row would do' : 'What each row did'}
            className="portfolio-rows"
            columns={ROW_COLUMNS}
            rows={shown.rows}
          />
        ) : null}
      </CsvImport>
    </>
  );
}
