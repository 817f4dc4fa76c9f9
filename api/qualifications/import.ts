// The completions import (POST /v1/qualifications/completions/import): the rows of a CSV file
// (csv.ts) checked against the store, the registry has the qualification, the person is an active
// one of the directory, a completion recorded already carries the same evidence, then every new
// completion written together, or none. Each row's outcome is answered: new, recorded-already (the
// same completion is there: nothing to do, so a file imported twice records once) or invalid with
// its problems as `row N, column X: message`. A dry run answers the same without writing, with
// invalid rows shown rather than refused, so the console can show the table before the import.
//
// Between the check and the write someone may record one of the file's completions with other
// evidence; the store then writes nothing and the answer says to check the file again (409).
import type { z } from 'zod';
import type { NewCompletion, Store } from '../../store/index.js';
import { ApiError, type Problem } from '../errors.js';
import { CSV_COLUMNS, type CsvProblem, type CsvRow, problemPath, problemText } from './csv.js';
import type { importView } from './schemas.js';

type ImportAnswer = z.infer<typeof importView>;
type RowView = ImportAnswer['rows'][number];

/** Problems listed in one error answer; the rows of the answer hold them all. */
const MAX_LISTED = 100;

/** Where a problem's column stands among the columns; a problem of the whole row comes first. */
const columnIndex = (p: CsvProblem): number => (p.column === null ? -1 : CSV_COLUMNS.indexOf(p.column));

const completionOf = (r: CsvRow): NewCompletion | null =>
  r.person === null || r.qualification === null || r.completedOn === null
    ? null
    : {
        person: r.person,
        qualification: r.qualification,
        completedOn: r.completedOn,
        source: 'import',
        evidence: r.evidence,
      };

/** Problems of the rows' people and qualifications, each cell on its own; read once for the file. */
async function storeProblems(store: Store, rows: readonly CsvRow[]): Promise<Map<number, CsvProblem[]>> {
  const people = rows.flatMap((r) => (r.person === null ? [] : [r.person]));
  const ids = rows.flatMap((r) => (r.qualification === null ? [] : [r.qualification]));
  const [known, notActive] = await Promise.all([
    store.qualifications.getMany(ids),
    store.directoryQueries.notActiveAmong([...new Set(people)]),
  ]);
  const inactive = new Set(notActive);
  const problems = new Map<number, CsvProblem[]>();
  const add = (p: CsvProblem) => problems.set(p.row, [...(problems.get(p.row) ?? []), p]);
  for (const { row, person, qualification } of rows) {
    if (person !== null && inactive.has(person))
      add({ row, column: 'person', message: `${person} is not a known, active person` });
    if (qualification !== null && !known.has(qualification))
      add({ row, column: 'qualification', message: `no qualification ${qualification} in the registry` });
  }
  return problems;
}

/** Every row checked, in file order: a view per row and the completions of the valid ones. */
async function checkImport(
  store: Store,
  rows: readonly CsvRow[],
  by: string,
  at: Date,
): Promise<{ views: RowView[]; valid: NewCompletion[]; problems: CsvProblem[] }> {
  const fromStore = await storeProblems(store, rows);
  const checked = rows.map((r) => ({ r, problems: [...r.problems, ...(fromStore.get(r.row) ?? [])] }));
  const candidates = checked.flatMap(({ r, problems }) => {
    const completion = completionOf(r);
    return problems.length === 0 && completion !== null ? [{ r, completion }] : [];
  });
  const plan = await store.qualifications.planImport(
    candidates.map((c) => c.completion),
    by,
    at,
  );
  const outcomes = new Map(candidates.map((c, i) => [c.r.row, plan[i]]));
  const views: RowView[] = [];
  const valid: NewCompletion[] = [];
  const all: CsvProblem[] = [];
  for (const { r, problems } of checked) {
    const planned = outcomes.get(r.row);
    if (planned?.outcome === 'conflict') {
      const message = `${planned.existing.person} is recorded as having completed it that day with other evidence (${planned.existing.evidence ?? 'none'}); a completion is recorded once`;
      problems.push({ row: r.row, column: 'evidence', message });
    }
    // The row's problems in the order of the columns, as the PMO reads the row (sort is stable).
    problems.sort((a, b) => columnIndex(a) - columnIndex(b));
    all.push(...problems);
    const ok = planned !== undefined && planned.outcome !== 'conflict';
    const completion = completionOf(r);
    if (ok && planned.outcome === 'new' && completion !== null) valid.push(completion);
    views.push({
      row: r.row,
      person: r.person,
      qualification: r.qualification,
      completedOn: r.completedOn,
      evidence: r.evidence,
      expiresOn: ok ? planned.completion.expiresOn : null,
      outcome: ok ? planned.outcome : 'invalid',
      problems: problems.map(problemText),
    });
  }
  return { views, valid, problems: all };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function countsOf(rows: readonly RowView[]): ImportAnswer['counts'] {
  const count = (outcome: RowView['outcome']) => rows.filter((r) => r.outcome === outcome).length;
  return { new: count('new'), recordedAlready: count('recorded-already'), invalid: count('invalid') };
}

/** "3 rows: 2 new, 1 recorded already, 0 invalid" and what became of them. */
function messageOf(counts: ImportAnswer['counts'], rows: number, dryRun: boolean, written: boolean): string {
  const told = `${plural(rows, 'row')}: ${counts.new} new, ${counts.recordedAlready} recorded already, ${counts.invalid} invalid`;
  if (counts.invalid > 0) {
    return `${told}; nothing ${dryRun ? 'would be' : 'was'} recorded: an import records every row or none, so fix the invalid rows and import the file again`;
  }
  if (dryRun) return `${told}; a dry run: nothing was recorded`;
  return written ? `${told}; every new completion was recorded` : `${told}; nothing needed recording`;
}

/** The answer of a check (dry run) or an import; 422 when a real import met an invalid row. */
export async function runImport(
  store: Store,
  rows: readonly CsvRow[],
  options: { dryRun: boolean; by: string; at: Date },
): Promise<ImportAnswer> {
  const check = await checkImport(store, rows, options.by, options.at);
  const counts = countsOf(check.views);
  const answer = (written: boolean): ImportAnswer => ({
    dryRun: options.dryRun,
    written,
    message: messageOf(counts, rows.length, options.dryRun, written),
    counts,
    rows: check.views,
  });
  if (options.dryRun) return answer(false);
  if (counts.invalid > 0) {
    const problems: Problem[] = check.problems
      .slice(0, MAX_LISTED)
      .map((p) => ({ path: problemPath(p), message: p.message }));
    const { message, ...details } = answer(false);
    throw new ApiError(422, 'invalid-csv', message, problems, details);
  }
  if (check.valid.length === 0) return answer(false);
  const outcomes = await store.qualifications.importCompletions(check.valid, options.by, options.at);
  const changed = outcomes.find((o) => o.outcome === 'conflict');
  if (changed !== undefined && changed.outcome === 'conflict') {
    throw new ApiError(
      409,
      'completions-changed',
      `${changed.existing.person}'s completion of ${changed.existing.qualification} on ${changed.existing.completedOn} was recorded with other evidence while the file was being imported; nothing was imported: check the file again (a dry run shows it) and import it`,
      [],
      { completion: changed.existing.id },
    );
  }
  return answer(true);
}
