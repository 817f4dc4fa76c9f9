// The parts every CSV import of the console shares (portfolio projects, qualification completions,
// directory people): a card that names the columns the server reads, takes the file picked or the
// text pasted into one box (where it stays, so a refused file is corrected there and sent again),
// the refusal listed problem by problem with its place in the file, and a table of what each row
// would do or did. Each page configures them: its endpoint, columns, buttons and row cells. The
// text travels as text/csv (csvBody), which the server parses and checks row by row.
import { type ChangeEvent, type FormEvent, type ReactNode, useId, useState } from 'react';
import { type ApiFailure, asFailure } from '../api-client/client.js';

/** A column the import reads, with what it takes in the words of the people who fill it in. */
export interface CsvColumn {
  name: string;
  takes: string;
}

/** A request's CSV body for the generated client, which would send a string as JSON. */
export function csvBody(text: string) {
  return {
    body: text,
    bodySerializer: (body: string) => body,
    headers: { 'Content-Type': 'text/csv' },
  };
}

/**
 * The box's text, the file it came from, and the send's busy state and refusal. A new file
 * forgets the last answer (`forget`, and the refusal); typing forgets it only with
 * `forgetWhenTyped`: a page that keeps its refusal in view while the file is corrected leaves it
 * unset.
 */
export function useCsvImport<Kind extends string>({
  forget,
  forgetWhenTyped = false,
}: {
  forget: () => void;
  forgetWhenTyped?: boolean;
}) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState<Kind | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
    setFailure(null);
    forget();
  };
  const type = (next: string): void => {
    setText(next);
    setFileName(null);
    if (!forgetWhenTyped) return;
    setFailure(null);
    forget();
  };
  /** Runs `send` as `kind` (which the buttons show while busy); a refusal lands in `failure`. */
  const run = async (kind: Kind, send: () => Promise<void>): Promise<void> => {
    setBusy(kind);
    setFailure(null);
    try {
      await send();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(null);
    }
  };
  return { text, fileName, busy, failure, pick, type, run };
}

export type CsvImportState = ReturnType<typeof useCsvImport<string>>;

interface CsvImportProps {
  /** The section's heading, which also names it as a region. */
  title: string;
  /** The page's classes for the card and for the list of columns. */
  className: string;
  columnsClassName: string;
  /** What the file holds and what sending it does. */
  about: ReactNode;
  columns: readonly CsvColumn[];
  /** A small file to copy, shown folded under the columns. */
  example?: string;
  csv: Pick<CsvImportState, 'text' | 'fileName' | 'pick' | 'type'>;
  /** Whether the text as it stands was refused, or holds invalid rows. */
  invalid: boolean;
  /** Given, the box and the buttons form a form that submits here (Enter on a button sends it). */
  onSubmit?: (event: FormEvent) => void;
  /** The buttons (and any line under them), after the box. */
  actions: ReactNode;
  /** The answer: status lines, the refusal, the rows. */
  children: ReactNode;
}

/** The import card: its heading, the columns, the file picker and the box, the page's buttons. */
export function CsvImport(props: CsvImportProps) {
  const { title, className, columnsClassName, about, columns, example, onSubmit, actions, children } = props;
  const id = useId();
  const fields = (
    <>
      <CsvTextFields id={id} csv={props.csv} invalid={props.invalid} />
      {actions}
    </>
  );
  return (
    <section className={`card ${className}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="field-help" id={`${id}-about`}>
        {about}
      </p>
      <dl className={columnsClassName} aria-label="The columns">
        {columns.map((c) => (
          <div key={c.name}>
            <dt>
              <code>{c.name}</code>
            </dt>
            <dd>{c.takes}</dd>
          </div>
        ))}
      </dl>
      {example !== undefined ? (
        <details className="people-import-more">
          <summary>An example file</summary>
          <pre className="people-import-example">{example}</pre>
        </details>
      ) : null}
      {onSubmit ? (
        <form onSubmit={onSubmit} noValidate>
          {fields}
        </form>
      ) : (
        fields
      )}
      {children}
    </section>
  );
}

function CsvTextFields({ id, csv, invalid }: { id: string; csv: CsvImportProps['csv']; invalid: boolean }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`${id}-about`}
          onChange={(e) => void csv.pick(e)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Or paste the CSV text</label>
        <textarea
          id={`${id}-text`}
          rows={6}
          spellCheck={false}
          value={csv.text}
          aria-describedby={`${id}-text-help`}
          aria-invalid={invalid ? true : undefined}
          onChange={(e) => csv.type(e.target.value)}
        />
        <p className="field-help" id={`${id}-text-help`}>
          {csv.fileName
            ? `The text of ${csv.fileName}; you can correct it here.`
            : 'Picking a file puts its text here.'}
        </p>
      </div>
    </>
  );
}

/** A refusal of the file whose problems name their place in it ("Row 3, column person"). */
export function CsvProblems({
  failure,
  title,
  advice,
  place,
}: {
  failure: ApiFailure;
  title: string;
  /** What to do next, after the API's sentence: "Correct the file in the box above ...:". */
  advice: string;
  /** Where a problem's path points, in the file's words. */
  place: (path: string) => string;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>
        {failure.message} <code className="code-tag">{failure.code}</code>. {advice}
      </p>
      <ul className="problems">
        {failure.problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <strong>{place(p.path)}</strong>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A column of the rows table: its heading (also each cell's label when the table stacks). */
export interface CsvRowColumn<Row> {
  label: string;
  cell: (row: Row) => ReactNode;
}

/** What each row of the file would do or did: its number, then the page's columns. */
export function CsvRowsTable<Row extends { row: number }>({
  caption,
  captionClassName,
  className,
  columns,
  rows,
}: {
  caption: string;
  captionClassName?: string;
  className?: string;
  columns: readonly CsvRowColumn<Row>[];
  rows: readonly Row[];
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `data stack-table ${className}` : 'data stack-table'}>
        <caption className={captionClassName}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row}>
              <th scope="row" data-label="Row">
                {r.row}
              </th>
              {columns.map((c) => (
                <td key={c.label} data-label={c.label}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A row's outcome as a badge whose class carries its colour; the text says it too. */
export function OutcomeBadge({ outcome }: { outcome: { text: string; badge: string } }) {
  return <span className={`badge ${outcome.badge}`}>{outcome.text}</span>;
}

/** A row's problems, each a sentence with the row and column in it. */
export function RowProblemList({ problems }: { problems: readonly string[] }) {
  return (
    <ul className="problems">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}
