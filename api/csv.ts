// CSV files as the imports read them (people: notifications/import.ts, projects: projects/csv.ts,
// completions: qualifications/csv.ts). Pure: text in, records, rows and problems out.
//
// The file is RFC 4180: fields separated by commas, records by CRLF or LF, fields in double quotes
// may hold commas, line breaks and doubled quotes (`""`). A header row names the columns, in any
// order and any case. A record is numbered by the line it starts on, the header being line 1, so
// that "row 12" is what an editor shows even when a quoted field spans lines, and what a
// spreadsheet shows for a file without line breaks inside cells.
//
// readCsvRows is the frame of a file of rows (projects, completions): the problems that stop the
// whole file (no header, a bad header, no rows, too many), each data row read by the import's own
// reader from its cells by column, and a quoting problem put on the row it starts on. A problem
// sits at a row and a column, or at the whole row; the answer shows it as `row 3, column phase:
// ...` (problemText) and an error answer at `body.rows[3].phase` (problemPath).
import type { z } from 'zod';

/** One record of the file and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A problem of quoting, at the line its record starts on. */
export interface QuotingProblem {
  line: number;
  message: string;
}

/** RFC 4180 records (blank lines skipped), and the problems of quoting. */
export function parseCsv(text: string): { records: CsvRecord[]; problems: QuotingProblem[] } {
  const records: CsvRecord[] = [];
  const problems: QuotingProblem[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (and is now closed)
  let line = 1;
  let start = 1;
  const problem = (message: string) => problems.push({ line: start, message });
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !wasQuoted;
    if (!blank) records.push({ line: start, fields });
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else if (c === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else {
      if (c === '"')
        problem('a quote inside a field that does not start with one (quote the field, double the quote)');
      else if (wasQuoted) problem('text after the closing quote of a field');
      field += c;
    }
  }
  if (quoted) problem('a quoted field is not closed before the end of the file');
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return { records, problems };
}

/** The columns an import reads, those a file must have, and those that only mean something together. */
export interface CsvHeaderSpec<Column extends string> {
  columns: readonly Column[];
  required: readonly Column[];
  together?: readonly (readonly Column[])[];
}

/** The header's columns, matched without regard to case, and what is wrong with it, sentence by sentence. */
export function readCsvHeader<Column extends string>(
  fields: readonly string[],
  spec: CsvHeaderSpec<Column>,
): { columns: Column[]; problems: string[] } {
  const problems: string[] = [];
  const columns: Column[] = [];
  fields.forEach((field, i) => {
    const name = field.trim().toLowerCase();
    const column = spec.columns.find((c) => c.toLowerCase() === name);
    if (column === undefined)
      problems.push(`unknown column "${name}" (column ${i + 1}); the columns are ${spec.columns.join(', ')}`);
    else if (columns.includes(column)) problems.push(`column "${column}" appears more than once`);
    else columns.push(column);
  });
  for (const column of spec.required)
    if (!columns.includes(column)) problems.push(`the column ${column} is required`);
  for (const group of spec.together ?? []) {
    const present = group.filter((c) => columns.includes(c));
    if (present.length > 0 && present.length < group.length) {
      const missing = group.filter((c) => !present.includes(c));
      problems.push(`columns ${group.join(', ')} go together; missing: ${missing.join(', ')}`);
    }
  }
  return { columns, problems };
}

/** The value of a zod schema for one cell's text, or undefined and a problem at the cell. */
export function cellValue<T>(
  schema: z.ZodType<T>,
  text: string,
  problem: (message: string) => void,
): T | undefined {
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  problem(parsed.error.issues[0]?.message ?? 'not valid');
  return undefined;
}

/** A problem of a file of rows: at a row (1 is the header) and a column, or at the whole row. */
export interface CsvProblem<Column extends string> {
  row: number;
  column: Column | null;
  message: string;
}

/** `row 3, column phase: ...`, as the answer lists a problem. */
export const problemText = (p: CsvProblem<string>): string =>
  `row ${p.row}${p.column === null ? '' : `, column ${p.column}`}: ${p.message}`;

/** The same place as a request path, `body.rows[3].phase`, for an error answer's problems. */
export const problemPath = (p: CsvProblem<string>): string =>
  p.row === 1 && p.column === null
    ? 'body.header'
    : `body.rows[${p.row}]${p.column === null ? '' : `.${p.column}`}`;

/** A data row's cells by column, trimmed: `has` says whether the file has the column at all. */
export interface CsvCells<Column extends string> {
  has: (column: Column) => boolean;
  text: (column: Column) => string;
}

/** The file's rows, each with its problems; or the problems that leave no row to read. */
export type CsvRows<Column extends string, Row> =
  { ok: false; problems: CsvProblem<Column>[] } | { ok: true; rows: Row[] };

export interface CsvRowsSpec<Column extends string, Row> extends CsvHeaderSpec<Column> {
  /** Rows one import takes: one transaction writes them all. */
  maxRows: number;
  /** A row with nothing read, for a row whose fields do not match the header's. */
  unread: (row: number) => Row;
  /** A data row read from its cells, with a problem on the row at each bad cell. */
  read: (row: number, cells: CsvCells<Column>) => Row;
}

/**
 * The rows of an import file with each row's problems, or the problems of the file as a whole (no
 * header, a bad header, no rows, too many rows, broken quoting between rows). Quoting problems
 * belong to the row they start on.
 */
export function readCsvRows<
  Column extends string,
  Row extends { row: number; problems: CsvProblem<Column>[] },
>(text: string, spec: CsvRowsSpec<Column, Row>): CsvRows<Column, Row> {
  const refused = (row: number, message: string): CsvRows<Column, Row> => ({
    ok: false,
    problems: [{ row, column: null, message }],
  });
  const parsed = parseCsv(text);
  const [first, ...records] = parsed.records;
  if (first === undefined) return refused(1, 'the file is empty: a header row is required');
  const header = readCsvHeader(first.fields, spec);
  if (header.problems.length > 0) {
    return { ok: false, problems: header.problems.map((message) => ({ row: 1, column: null, message })) };
  }
  if (records.length === 0) return refused(2, 'the file has a header but no rows');
  if (records.length > spec.maxRows) {
    return refused(
      1,
      `the file has ${records.length} rows; an import takes at most ${spec.maxRows}: split it`,
    );
  }
  const rows = records.map((record) => readRecord(record, header.columns, spec));
  for (const quoting of parsed.problems) {
    const row = rows.find((r) => r.row === quoting.line);
    if (row === undefined) return refused(quoting.line, quoting.message);
    row.problems.push({ row: quoting.line, column: null, message: quoting.message });
  }
  return { ok: true, rows };
}

function readRecord<Column extends string, Row extends { problems: CsvProblem<Column>[] }>(
  { line, fields }: CsvRecord,
  header: readonly Column[],
  spec: CsvRowsSpec<Column, Row>,
): Row {
  if (fields.length !== header.length) {
    const row = spec.unread(line);
    row.problems.push({
      row: line,
      column: null,
      message: `has ${fields.length} fields; the header has ${header.length}`,
    });
    return row;
  }
  const value = new Map(header.map((name, i) => [name, (fields[i] ?? '').trim()]));
  return spec.read(line, { has: (column) => value.has(column), text: (column) => value.get(column) ?? '' });
}
