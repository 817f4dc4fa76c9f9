// A portfolio import written all together or not at all (ProjectStore.importAll): the projects a
// CSV file creates and the ones it patches, each with its history entry, in one transaction.
//
// Invariants and what guards them (the same as one create or one patch in projects.ts, for many):
// - A code names one project: a create inserts under `_id` = code; a code taken since the caller
//   checked the file is a duplicate key, which aborts the transaction (ProjectExistsError).
// - A patch applies to the version the caller read: the project is read in the transaction and
//   updated with `{_id, version}` in the filter (+1); a project that moved past that version since
//   the check aborts the transaction (ProjectVersionConflictError), so the file's rows are never
//   applied over changes nobody reviewed. A writer that commits in between makes the transaction's
//   write conflict; the driver runs it again (withTransaction) and the re-read sees the new version.
// - One history entry per version, `_id` = `<code>:<version>`, inserted beside the write that took
//   the version; a patch that changes nothing (the project already reads as the row says) writes
//   neither.
// The transaction's size is bounded by the import's own limits (api/projects/csv.ts: rows per file).
import type { ClientSession, Collection, Db } from 'mongodb';
import { inTransaction, isDuplicateKey } from './documents.js';
import {
  CHANGES,
  type ChangeDoc,
  changeDocOf,
  changesOf,
  creationChanges,
  type FieldsPatch,
  type Project,
  type ProjectDoc,
  ProjectExistsError,
  type ProjectFields,
  ProjectNotFoundError,
  PROJECTS,
  ProjectVersionConflictError,
  toProject,
} from './project-model.js';

/** One row of an import: a new project, or a patch of the version the caller read. */
export type ImportWrite =
  { code: string; create: ProjectFields } | { code: string; version: number; patch: FieldsPatch };

interface Collections {
  projects: Collection<ProjectDoc>;
  changes: Collection<ChangeDoc>;
  session: ClientSession;
}

async function createOne(
  c: Collections,
  code: string,
  fields: ProjectFields,
  by: string,
  at: Date,
): Promise<Project> {
  const doc: ProjectDoc = { _id: code, ...fields, version: 1, createdAt: at, updatedAt: at, updatedBy: by };
  try {
    await c.projects.insertOne(doc, { session: c.session });
  } catch (error) {
    if (isDuplicateKey(error)) throw new ProjectExistsError(code);
    throw error;
  }
  await c.changes.insertOne(changeDocOf(code, 1, at, by, creationChanges(fields)), { session: c.session });
  return toProject(doc);
}

/** The patched project, or null when the patch changes nothing of the stored version. */
async function patchOne(
  c: Collections,
  write: { code: string; version: number; patch: FieldsPatch },
  by: string,
  at: Date,
): Promise<Project | null> {
  const raw = await c.projects.findOne({ _id: write.code }, { session: c.session });
  if (raw === null) throw new ProjectNotFoundError(write.code);
  const current = toProject(raw);
  if (current.version !== write.version) {
    throw new ProjectVersionConflictError(write.code, write.version, current.version);
  }
  const { changes, set } = changesOf(current, write.patch);
  if (changes.length === 0) return null;
  const version = current.version + 1;
  const after = await c.projects.findOneAndUpdate(
    { _id: write.code, version: current.version },
    { $set: { ...set, version, updatedAt: at, updatedBy: by } },
    { returnDocument: 'after', session: c.session },
  );
  // Read at this version inside the transaction: only a concurrent writer can have moved it, and
  // that is the transaction's write conflict, not a quiet miss; guarded all the same.
  if (after === null) throw new ProjectVersionConflictError(write.code, write.version, write.version + 1);
  await c.changes.insertOne(changeDocOf(write.code, version, at, by, changes), { session: c.session });
  return toProject(after);
}

/**
 * Applies every write in one transaction, in the order given, and answers the projects as they
 * are after it (a patch that changed nothing is left out). Checked fields only: the store's
 * `importAll` parses them first.
 */
export async function applyImport(
  db: Db,
  writes: readonly ImportWrite[],
  by: string,
  at: Date,
): Promise<Project[]> {
  if (writes.length === 0) return [];
  return inTransaction(db, async (session) => {
    const c: Collections = {
      projects: db.collection<ProjectDoc>(PROJECTS),
      changes: db.collection<ChangeDoc>(CHANGES),
      session,
    };
    const written: Project[] = [];
    for (const write of writes) {
      const project =
        'create' in write
          ? await createOne(c, write.code, write.create, by, at)
          : await patchOne(c, write, by, at);
      if (project !== null) written.push(project);
    }
    return written;
  });
}
