// A file of completions for the import (POST /v1/qualifications/completions/import) read into
// rows: pure, the text in, each row's completion and its problems out; what needs the store (the
// registry, the directory, what is recorded already) is import.ts's.
//
// The RFC 4180 reader is the people import's (api/notifications/import.ts). A header row names
// the columns in any order and case: person, qualification, completedOn (required) and evidence.
// A row is numbered by the line it starts on, the header being row 1, as the people and project
// imports count: what an editor shows, and what a spreadsheet shows for a file without line
// breaks inside cells. Problems read `row 3, column completedOn: ...`.
import type { z } from 'zod';
import { parseCsv } from '../notifications/import.js';
import { personId } from '../directory/schemas.js';
import { calendarDay, evidence, qualificationId } from './schemas.js';

export const CSV_COLUMNS = ['person', 'qualification', 'completedOn', 'evidence'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const REQUIRED: readonly CsvColumn[] = ['person', 'qualification', 'completedOn'];

/** Rows one import takes: one transaction writes them all (store/qualifications.ts). */
export const MAX_IMPORT_ROWS = 2000;

/** A problem of the file: at a row (1 is the header) and a column, or at the whole row. */
export interface CsvProblem {
  row: number;
  column: CsvColumn | null;
  message: string;
}

/** One data row: what its cells give (null where a cell is bad) and its problems. */
export interface CsvRow {
  row: number;
  person: string | null;
  qualification: string | null;
  completedOn: string | null;
  evidence: string | null;
  problems: CsvProblem[];
}

export type CompletionsCsv = { ok: false; problems: CsvProblem[] } | { ok: true; rows: CsvRow[] };

/** `row 3, column completedOn: ...`, as the answer lists a problem. */
export const problemText = (p: CsvProblem): string =>
  `row ${p.row}${p.column === null ? '' : `, column ${p.column}`}: ${p.message}`;

/** The same place as a request path, `body.rows[3].completedOn`, for an error answer's problems. */
export const problemPath = (p: CsvProblem): string =>
  p.row === 1 && p.column === null
    ? 'body.header'
    : `body.rows[${p.row}]${p.column === null ? '' : `.${p.column}`}`;

/** The header's columns, matched without regard to case; problems at row 1. */
function readHeader(fields: readonly string[]): { columns: CsvColumn[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const at = (message: string) => problems.push({ row: 1, column: null, message });
  const names = fields.map((f) => f.trim().toLowerCase());
  const columns: CsvColumn[] = [];
  names.forEach((name, i) => {
    const column = CSV_COLUMNS.find((c) => c.toLowerCase() === name);
    if (column === undefined)
      at(`unknown column "${name}" (column ${i + 1}); the columns are ${CSV_COLUMNS.join(', ')}`);
    else if (columns.includes(column)) at(`column "${column}" appears more than once`);
    else columns.push(column);
  });
  for (const column of REQUIRED) if (!columns.includes(column)) at(`the column ${column} is required`);
  return { columns, problems };
}

/** One data row's cells, with a problem at each bad one. */
function readRow(row: number, cells: readonly string[], header: readonly CsvColumn[], today: string): CsvRow {
  const out: CsvRow = {
    row,
    person: null,
    qualification: null,
    completedOn: null,
    evidence: null,
    problems: [],
  };
  if (cells.length !== header.length) {
    const message = `has ${cells.length} fields; the header has ${header.length}`;
    return { ...out, problems: [{ row, column: null, message }] };
  }
  const value = new Map(header.map((name, i) => [name, (cells[i] ?? '').trim()]));
  const text = (column: CsvColumn) => value.get(column) ?? '';
  const cell = <T>(schema: z.ZodType<T>, column: CsvColumn): T | null => {
    if (REQUIRED.includes(column) && text(column) === '') {
      out.problems.push({ row, column, message: 'is required' });
      return null;
    }
    const parsed = schema.safeParse(text(column));
    if (parsed.success) return parsed.data;
    out.problems.push({ row, column, message: parsed.error.issues[0]?.message ?? 'not valid' });
    return null;
  };
  out.person = cell(personId, 'person');
  out.qualification = cell(qualificationId, 'qualification');
  out.completedOn = cell(calendarDay, 'completedOn');
  if (out.completedOn !== null && out.completedOn > today) {
    out.problems.push({
      row,
      column: 'completedOn',
      message: `is after today (${today}): record it once done`,
    });
    out.completedOn = null;
  }
  out.evidence = cell(evidence, 'evidence');
  return out;
}

/** The same (person, qualification, day) twice: a problem at each later row. */
function repeatedCompletions(rows: readonly CsvRow[]): void {
  const first = new Map<string, number>();
  for (const r of rows) {
    if (r.person === null || r.qualification === null || r.completedOn === null) continue;
    const key = `${r.qualification}\n${r.completedOn}\n${r.person}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, r.row);
    else
      r.problems.push({
        row: r.row,
        column: 'completedOn',
        message: `the same completion as row ${earlier} (person, qualification and day)`,
      });
  }
}

/**
 * The rows of a CSV file of completions, each with its problems; or the problems that stop the
 * whole file (no header, unknown or missing columns, no rows, too many, broken quoting between rows).
 */
export function readCompletionsCsv(text: string, today: string): CompletionsCsv {
  const parsed = parseCsv(text);
  const [first, ...records] = parsed.records;
  if (first === undefined) {
    return {
      ok: false,
      problems: [{ row: 1, column: null, message: 'the file is empty: a header row is required' }],
    };
  }
  const header = readHeader(first.fields);
  if (header.problems.length > 0) return { ok: false, problems: header.problems };
  if (records.length === 0) {
    return { ok: false, problems: [{ row: 2, column: null, message: 'the file has a header but no rows' }] };
  }
  if (records.length > MAX_IMPORT_ROWS) {
    const message = `the file has ${records.length} rows; an import takes at most ${MAX_IMPORT_ROWS}: split it`;
    return { ok: false, problems: [{ row: 1, column: null, message }] };
  }
  const rows = records.map((record) => readRow(record.line, record.fields, header.columns, today));
  for (const quoting of parsed.problems) {
    const row = rows.find((r) => r.row === quoting.line);
    if (row === undefined)
      return { ok: false, problems: [{ row: quoting.line, column: null, message: quoting.message }] };
    row.problems.push({ row: quoting.line, column: null, message: quoting.message });
  }
  repeatedCompletions(rows);
  return { ok: true, rows };
}
