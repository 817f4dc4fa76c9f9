// A file of completions for the import (POST /v1/qualifications/completions/import) read into
// rows: pure, the text in, each row's completion and its problems out; what needs the store (the
// registry, the directory, what is recorded already) is import.ts's.
//
// The file's frame is every import's (api/csv.ts: the RFC 4180 reader, the problems that stop the
// whole file, a row numbered by the line it starts on with the header as row 1). A header row
// names the columns in any order and case: person, qualification, completedOn (required) and
// evidence. Problems read `row 3, column completedOn: ...`.
import type { z } from 'zod';
import {
  type CsvCells,
  type CsvProblem as FileProblem,
  type CsvRows,
  cellValue,
  readCsvRows,
} from '../csv.js';
import { personId } from '../directory/schemas.js';
import { calendarDay, evidence, qualificationId } from './schemas.js';

export const CSV_COLUMNS = ['person', 'qualification', 'completedOn', 'evidence'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const REQUIRED: readonly CsvColumn[] = ['person', 'qualification', 'completedOn'];

/** Rows one import takes: one transaction writes them all (store/qualifications.ts). */
export const MAX_IMPORT_ROWS = 2000;

/** A problem of the file: at a row (1 is the header) and a column, or at the whole row. */
export type CsvProblem = FileProblem<CsvColumn>;

/** One data row: what its cells give (null where a cell is bad) and its problems. */
export interface CsvRow {
  row: number;
  person: string | null;
  qualification: string | null;
  completedOn: string | null;
  evidence: string | null;
  problems: CsvProblem[];
}

export type CompletionsCsv = CsvRows<CsvColumn, CsvRow>;

export { problemPath, problemText } from '../csv.js';

const unread = (row: number): CsvRow => ({
  row,
  person: null,
  qualification: null,
  completedOn: null,
  evidence: null,
  problems: [],
});

/** One data row's cells, with a problem at each bad one. */
function readRow(row: number, cells: CsvCells<CsvColumn>, today: string): CsvRow {
  const out = unread(row);
  const cell = <T>(schema: z.ZodType<T>, column: CsvColumn): T | null => {
    const problem = (message: string) => out.problems.push({ row, column, message });
    if (REQUIRED.includes(column) && cells.text(column) === '') {
      problem('is required');
      return null;
    }
    return cellValue(schema, cells.text(column), problem) ?? null;
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
 * The rows of a CSV file of completions, each with its problems (a completion repeated from an
 * earlier row among them); or the problems that stop the whole file (no header, unknown or missing
 * columns, no rows, too many, broken quoting between rows).
 */
export function readCompletionsCsv(text: string, today: string): CompletionsCsv {
  const csv = readCsvRows(text, {
    columns: CSV_COLUMNS,
    required: REQUIRED,
    maxRows: MAX_IMPORT_ROWS,
    unread,
    read: (row, cells) => readRow(row, cells, today),
  });
  if (csv.ok) repeatedCompletions(csv.rows);
  return csv;
}
