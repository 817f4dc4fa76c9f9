// The portfolio import (POST /v1/projects/import): each row of a CSV file checked the way a
// create or a patch is (the phase one of the PMO's, manager and sponsor active people, dates in
// order, the budget exact), then every row written together, or none.
//
// A row whose code names a project patches it (a new version and a history entry, when anything
// changes); a row with an unknown code creates it (name and phase required). The outcome of each
// row is answered: created, updated, unchanged or invalid, with its problems as `row N, column X:
// message`. All or nothing: while any row is invalid nothing is written, so a file is fixed and
// imported again whole, never half-applied. A dry run answers the same without writing.
//
// Between the check and the write another writer may change a project or take a code; the write
// (one transaction, store/project-import.ts) names the versions the check read, so such a change
// aborts it, nothing is written, and the answer says to check the file again (409).
import type { z } from 'zod';
import type { Store } from '../../store/index.js';
import { changesOf, type FieldsPatch, type ProjectFields } from '../../store/project-model.js';
import {
  type ImportWrite,
  type Project,
  ProjectExistsError,
  ProjectVersionConflictError,
} from '../../store/projects.js';
import { ApiError, type Problem } from '../errors.js';
import { CSV_COLUMNS, type CsvProblem, type CsvRow, problemPath, problemText } from './csv.js';
import { endProblem, type ImportOutcome, type importRowView, type importView } from './schemas.js';

type RowView = z.infer<typeof importRowView>;
type ImportAnswer = z.infer<typeof importView>;

/** What the check found: a view per row, the writes of the valid ones, and every problem. */
export interface ImportCheck {
  rows: RowView[];
  writes: ImportWrite[];
  problems: CsvProblem[];
}

/** What the store knows that a row is checked against, read once for the whole file. */
interface Known {
  phases: string[];
  notActive: Set<string>;
  projects: Map<string, Project>;
}

async function knownFor(store: Store, rows: readonly CsvRow[]): Promise<Known> {
  const people = rows.flatMap((r) =>
    [r.fields.manager, r.fields.sponsor].filter((id): id is string => typeof id === 'string'),
  );
  const codes = rows.flatMap((r) => (r.code === null ? [] : [r.code]));
  const [phases, notActive, projects] = await Promise.all([
    store.projects.phases(),
    store.directoryQueries.notActiveAmong([...new Set(people)]),
    store.projects.getMany(codes),
  ]);
  return { phases, notActive: new Set(notActive), projects };
}

/**
 * Problems of the row's phase and people against what the store knows. A value the project
 * already has is not checked again: a phase the PMO has since retired, or a manager who has left,
 * stays on a project until someone changes it, so a file exported and imported again stays valid.
 */
function storeProblems(r: CsvRow, known: Known, stored: Project | undefined): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const { phase } = r.fields;
  if (phase !== undefined && phase !== stored?.phase && !known.phases.includes(phase)) {
    const message = `${phase} is not a phase of this PMO (the phases are: ${known.phases.join(', ')})`;
    problems.push({ row: r.row, column: 'phase', message });
  }
  for (const column of ['manager', 'sponsor'] as const) {
    const id = r.fields[column];
    if (typeof id === 'string' && id !== stored?.[column] && known.notActive.has(id)) {
      problems.push({ row: r.row, column, message: `${id} is not a known, active person` });
    }
  }
  return problems;
}

/** The problem of the range the project would have: the row's dates over the stored ones. */
function rangeProblem(r: CsvRow, stored: Project | undefined): CsvProblem | null {
  const start = r.fields.start === undefined ? (stored?.start ?? null) : r.fields.start;
  const end = r.fields.end === undefined ? (stored?.end ?? null) : r.fields.end;
  const problem = endProblem(start, end);
  if (problem === null) return null;
  if (r.fields.end === undefined) {
    return { row: r.row, column: 'start', message: `must not be after end (${String(end)})` };
  }
  return { row: r.row, column: 'end', message: problem };
}

/** A new project from a row: name and phase given, the rest as a create defaults them. */
function creation(r: CsvRow, problems: CsvProblem[]): ProjectFields | null {
  const f = r.fields;
  if (r.version !== null) {
    const message = `no project ${String(r.code)} exists to be at a version: leave version empty to create it`;
    problems.push({ row: r.row, column: 'version', message });
  }
  for (const column of ['name', 'phase'] as const) {
    if (f[column] === undefined && !r.problems.some((p) => p.column === column)) {
      problems.push({ row: r.row, column, message: 'is required for a new project' });
    }
  }
  if (f.name === undefined || f.phase === undefined) return null;
  return {
    name: f.name,
    phase: f.phase,
    manager: f.manager ?? null,
    sponsor: f.sponsor ?? null,
    budget: f.budget ?? null,
    start: f.start ?? null,
    end: f.end ?? null,
    health: f.health ?? { status: 'green', reason: null },
    tags: f.tags ?? [],
  };
}

/** Where a problem's column stands among the columns; a problem of the whole row comes first. */
const columnIndex = (p: CsvProblem): number => (p.column === null ? -1 : CSV_COLUMNS.indexOf(p.column));

/** Only the keys the row gives: an absent column is no change. */
const givenFields = (fields: FieldsPatch): FieldsPatch =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

/** Every row checked against the store, in file order. */
export async function checkImport(store: Store, rows: readonly CsvRow[]): Promise<ImportCheck> {
  const known = await knownFor(store, rows);
  const check: ImportCheck = { rows: [], writes: [], problems: [] };
  for (const r of rows) {
    const stored = r.code === null ? undefined : known.projects.get(r.code);
    const problems = [...r.problems, ...storeProblems(r, known, stored)];
    const range = rangeProblem(r, stored);
    if (range !== null) problems.push(range);
    let outcome: ImportOutcome = 'invalid';
    let changes: string[] = [];
    let write: ImportWrite | null = null;
    if (stored !== undefined) {
      if (r.version !== null && r.version !== stored.version) {
        const message = `the project is at version ${stored.version} now, not ${r.version}: export it again, or empty this cell to overwrite the changes since`;
        problems.push({ row: r.row, column: 'version', message });
      }
      const patch = givenFields(r.fields);
      changes = changesOf(stored, patch).changes.map((c) => c.field);
      outcome = changes.length === 0 ? 'unchanged' : 'updated';
      if (changes.length > 0) write = { code: stored.code, version: stored.version, patch };
    } else if (r.code !== null) {
      const fields = creation(r, problems);
      outcome = 'created';
      changes = fields === null ? [] : Object.keys(fields);
      if (fields !== null) write = { code: r.code, create: fields };
    }
    if (problems.length > 0) {
      outcome = 'invalid';
      changes = [];
      write = null;
    }
    // The row's problems in the order of the columns, as the PMO reads the row (sort is stable).
    problems.sort((a, b) => columnIndex(a) - columnIndex(b));
    check.rows.push({ row: r.row, code: r.code, outcome, changes, problems: problems.map(problemText) });
    check.problems.push(...problems);
    if (write !== null) check.writes.push(write);
  }
  return check;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function countsOf(rows: readonly RowView[]): ImportAnswer['counts'] {
  const count = (outcome: ImportOutcome) => rows.filter((r) => r.outcome === outcome).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    invalid: count('invalid'),
  };
}

/** "4 rows: 1 created, 2 updated, 1 unchanged" and what became of them. */
function messageOf(counts: ImportAnswer['counts'], rows: number, dryRun: boolean, written: boolean): string {
  const told = `${plural(rows, 'row')}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.invalid} invalid`;
  if (counts.invalid > 0) {
    return `${told}; nothing ${dryRun ? 'would be' : 'was'} written: an import writes every row or none, so fix the invalid rows and import the file again`;
  }
  if (dryRun) return `${told}; a dry run: nothing was written`;
  return written ? `${told}; every row was written` : `${told}; nothing needed writing`;
}

/** Problems listed in one error answer; the rows of the answer hold them all. */
const MAX_LISTED = 100;

/** The answer of a check (dry run) or an import; 422 when a real import met an invalid row. */
export async function runImport(
  store: Store,
  rows: readonly CsvRow[],
  options: { dryRun: boolean; by: string; at: Date },
): Promise<ImportAnswer> {
  const check = await checkImport(store, rows);
  const counts = countsOf(check.rows);
  if (options.dryRun) {
    return {
      dryRun: true,
      written: false,
      message: messageOf(counts, rows.length, true, false),
      counts,
      rows: check.rows,
    };
  }
  if (counts.invalid > 0) {
    const message = messageOf(counts, rows.length, false, false);
    const problems: Problem[] = check.problems
      .slice(0, MAX_LISTED)
      .map((p) => ({ path: problemPath(p), message: p.message }));
    throw new ApiError(422, 'invalid-csv', message, problems, {
      dryRun: false,
      written: false,
      counts,
      rows: check.rows,
    });
  }
  try {
    await store.projects.importAll(check.writes, options.by, options.at);
  } catch (error) {
    if (error instanceof ProjectExistsError || error instanceof ProjectVersionConflictError) {
      throw new ApiError(
        409,
        'portfolio-changed',
        `project ${error.code} changed while the file was being imported; nothing was imported: check the file again (a dry run shows what changed) and import it`,
        [],
        { project: error.code },
      );
    }
    throw error;
  }
  const written = check.writes.length > 0;
  return {
    dryRun: false,
    written,
    message: messageOf(counts, rows.length, false, written),
    counts,
    rows: check.rows,
  };
}
