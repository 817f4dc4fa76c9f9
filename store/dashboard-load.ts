// Approver load (issue 18): open tasks per person, kept by the dashboard projector in
// `dashboard_load` (dashboard-model.ts says what a cell holds, dashboard-fold.ts when it changes),
// so that the figure reads one document per person in scope, however many tasks and events exist.
//
// The cells change only inside the projector's transaction (dashboards.ts), with the position:
// each fact counts once, and a crash leaves cells and position as they were. A batch's net
// change to a cell is one `$inc`; the keys it empties, and the cell once nobody's task is left in
// it, are removed in the same transaction, so the cells hold only what is open.
//
// Scope values: `''` (LOAD_ANY) for every policy or project, not null: SecantusDB 0.7 does not
// bound an index scan by a null equality (the read of the totals then examined every project's
// cells), and it scans the whole collection when a predicate on another field joins the
// equalities, so the read names the two scope fields alone.
import type { AnyBulkWriteOperation, ClientSession, Collection, Db, Document } from 'mongodb';
import { LOAD_ANY, type LoadCell, loadCellSchema, type LoadChange } from './dashboard-model.js';
import { parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';

export const LOAD = 'dashboard_load';

/** A read's scope: absent means every policy (project). */
export interface LoadScope {
  policy?: string | undefined;
  project?: string | undefined;
}

interface CellDoc extends Document {
  _id: string;
}

export class LoadCells {
  private readonly cells: Collection<CellDoc>;

  constructor(db: Db) {
    this.cells = db.collection<CellDoc>(LOAD);
  }

  /**
   * Writes a batch's net changes in the caller's transaction: the increments, then the removal of
   * emptied minutes, then of emptied cells (each kind one command: the driver sends a run of one
   * kind of write together).
   */
  async apply(changes: readonly LoadChange[], session: ClientSession): Promise<void> {
    if (changes.length === 0) return;
    const updates: AnyBulkWriteOperation<CellDoc>[] = [];
    const deletes: AnyBulkWriteOperation<CellDoc>[] = [];
    for (const c of changes) {
      const inc: Record<string, number> = { open: c.open, overdue: c.overdue };
      for (const [minute, by] of Object.entries(c.opened)) inc[`opened.${minute}`] = by;
      updates.push({
        updateOne: {
          filter: { _id: c._id },
          update: { $setOnInsert: { person: c.person, policy: c.policy, project: c.project }, $inc: inc },
          upsert: true,
        },
      });
    }
    for (const c of changes) {
      for (const [minute, by] of Object.entries(c.opened)) {
        if (by >= 0) continue;
        const field = `opened.${minute}`;
        updates.push({
          updateOne: { filter: { _id: c._id, [field]: { $lte: 0 } }, update: { $unset: { [field]: '' } } },
        });
      }
      if (c.open < 0) deletes.push({ deleteOne: { filter: { _id: c._id, open: { $lte: 0 } } } });
    }
    await this.cells.bulkWrite([...updates, ...deletes], { session, ordered: true });
  }

  /** The cells of everyone with open tasks in `scope`, by person: one document per person. */
  async inScope(scope: LoadScope): Promise<LoadCell[]> {
    const raws = await this.cells
      .find(
        { policy: scope.policy ?? LOAD_ANY, project: scope.project ?? LOAD_ANY },
        { sort: { policy: 1, project: 1, person: 1 } },
      )
      .toArray();
    return raws.map((raw) => parseDoc(loadCellSchema, raw, LOAD)).filter((cell) => cell.open > 0);
  }

  /** Drops every cell (in a rebuild's transaction). */
  async clear(session: ClientSession): Promise<void> {
    await this.cells.deleteMany({}, { session });
  }
}

/** This module's collection (store/manifest.ts). */
export const loadCollections: CollectionSpec[] = [
  {
    name: LOAD,
    holds:
      "one person's open tasks in one scope (all, a policy, a project, both): count, overdue, minutes opened",
    // Written by `_id` (an upsert must name the shard key); a read gathers a cell per person.
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'load_scope_person',
        key: { policy: 1, project: 1, person: 1 },
        serves: "approver load: one scope's cells (policy and project equalities, '' for all) by person",
      },
    ],
  },
];
