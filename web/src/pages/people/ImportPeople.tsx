// "Import people (CSV)", for admins on the directory screen: an HR export brought in as people
// with their delivery fields (POST /v1/directory/people/import, Content-Type text/csv). The file
// is picked or pasted; either way its text stays in the box, so after a refusal the admin fixes
// it there and imports again. The server checks every row before it writes anything, and answers
// either how many people were created and updated, or every problem with its line and column
// (`body.rows[3].zone`), which this lists as "Line 3, zone: ...".
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { type CsvColumn, CsvImport, CsvProblems, csvBody, useCsvImport } from '../../components/CsvImport.js';
import { ErrorNotice } from '../../components/states.js';

/** The columns the import reads (api/notifications/import.ts), with what each takes. */
const COLUMNS: CsvColumn[] = [
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

async function importCsv(text: string): Promise<{ created: number; updated: number }> {
  return unwrap(api.POST('/v1/directory/people/import', csvBody(text)));
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function ImportPeople({ onImported }: { onImported: () => void }) {
  const [done, setDone] = useState<string | null>(null);
  // Typing keeps the refusal in view: it lists the lines being corrected.
  const csv = useCsvImport<'importing'>({ forget: () => setDone(null) });
  const { text, busy, failure } = csv;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setDone(null);
    void csv.run('importing', async () => {
      const answer = await importCsv(text);
      setDone(
        `Imported: ${plural(answer.created, 'person', 'people')} created, ${plural(answer.updated, 'person', 'people')} updated.`,
      );
      onImported();
    });
  };

  const rowProblems = failure?.status === 422 && failure.problems.length > 0;
  return (
    <CsvImport
      title="Import people (CSV)"
      className="people-import"
      columnsClassName="people-import-columns"
      about={
        <>
          A header row naming the columns, in any order, then one person per line. A column left out leaves
          that field as it is; an empty manager, email or chat cell clears it. chat_format and chat_url go
          together, and so do the three working_ columns. Every row is checked before anything is written.
        </>
      }
      columns={COLUMNS}
      example={EXAMPLE}
      csv={csv}
      invalid={failure?.status === 422}
      onSubmit={submit}
      actions={
        <p className="actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy !== null || text.trim() === ''}
          >
            {busy !== null ? 'Importing…' : 'Import'}
          </button>
        </p>
      }
    >
      <div aria-live="polite">{done ? <p className="notice notice-ok">{done}</p> : null}</div>
      {failure && rowProblems ? (
        <CsvProblems
          failure={failure}
          title="The file was not imported"
          advice="Correct these lines in the box above and import again:"
          place={problemPlace}
        />
      ) : null}
      {failure && !rowProblems ? <ErrorNotice failure={failure} title="Nothing was imported" /> : null}
    </CsvImport>
  );
}
