// Read-only streams over the ledger and the tasks for the compliance summary and the PMO's
// reports. Each method streams the few fields a report needs through one cursor (a projection, a
// filter its index bounds) and the caller folds them as they arrive, so memory grows with the
// number of groups a report shows, never with the number of events or tasks it reads. No
// collection of its own: the ledger's reads name the indexes of `audit_events` (audit-event.ts,
// queryOf picks one the same way as the ledger's own pages).
import type { Collection, Db, Document, Filter } from 'mongodb';
import { z } from 'zod';
import { COLLECTION as AUDIT, factSchema, INDEX, queryOf } from './audit-event.js';
import type { TaskKind } from './tasks.js';
import { policyRefSchema } from './documents.js';

const TASKS = 'tasks';

/** Ids per `$in` query: small enough for any server's query size, large enough to be few queries. */
const IDS_PER_QUERY = 500;

const policyRef = policyRefSchema.pick({ name: true, version: true });

const ledgerFactSchema = z.object({
  _id: z.string(),
  seq: z.number(),
  at: z.date(),
  type: z.string(),
  instanceId: z.string(),
  project: z.string().nullable(),
  policy: policyRef,
  step: z.string().nullable(),
  text: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  outcome: z.string().nullable(),
  // Absent on events written before facts existed (api/audit/legacy-sentences.ts reads those).
  fact: factSchema.optional(),
});

/** What the reports read of one ledger event (not its hashes: verification is the ledger's job). */
export type LedgerFact = Omit<z.infer<typeof ledgerFactSchema>, '_id'> & { id: string };

const taskFactSchema = z.object({
  _id: z.string(),
  instanceId: z.string(),
  step: z.string(),
  kind: z.enum(['approval', 'attestation', 'waiver']),
  policy: policyRef,
  project: z.string().nullable().default(null),
  status: z.enum(['open', 'closed']),
  openedAt: z.date(),
  dueAt: z.date().nullable().default(null),
  closedAt: z.date().nullable().default(null),
  closeReason: z.string().nullable().default(null),
});

/** What the reports read of one task. */
export interface TaskFact {
  id: string;
  instanceId: string;
  step: string;
  kind: TaskKind;
  policy: { name: string; version: number };
  project: string | null;
  status: 'open' | 'closed';
  openedAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
}

export interface LedgerScope {
  policyName?: string;
  project?: string;
  type?: string;
  /** Inclusive, on the event's `at`. */
  from?: Date;
  /** Exclusive, on the event's `at`. */
  to?: Date;
}

export interface TaskScope {
  policyName?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

const LEDGER_FIELDS = Object.fromEntries(Object.keys(ledgerFactSchema.shape).map((k) => [k, 1]));
const TASK_FIELDS = Object.fromEntries(Object.keys(taskFactSchema.shape).map((k) => [k, 1]));

function window(from: Date | undefined, to: Date | undefined): Document | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from === undefined ? {} : { $gte: from }), ...(to === undefined ? {} : { $lt: to }) };
}

/** A stored document the reports cannot read is skipped, not fatal: `verify` is where it shows. */
function readable<T>(schema: z.ZodType<T>, raw: unknown): T | null {
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export class ReportQueries {
  private readonly audit: Collection<Document>;
  private readonly tasks: Collection<Document>;

  constructor(db: Db) {
    this.audit = db.collection(AUDIT);
    this.tasks = db.collection(TASKS);
  }

  /** Ledger events in scope, in no particular order (callers order by `seq` where it matters). */
  async *ledgerEvents(scope: LedgerScope): AsyncGenerator<LedgerFact> {
    const { filter, hint } = queryOf(scope);
    yield* this.readLedger(filter, hint);
  }

  /**
   * Every event of the given instances at or after `from` (an instance's events follow its start):
   * per slice of ids, one `$in` on the `instance_at_seq` index (hinted: SecantusDB 0.7 scans the
   * collection for an unhinted `$in`).
   */
  async *eventsOfInstances(instanceIds: readonly string[], from?: Date): AsyncGenerator<LedgerFact> {
    for (let i = 0; i < instanceIds.length; i += IDS_PER_QUERY) {
      const filter: Filter<Document> = { instanceId: { $in: instanceIds.slice(i, i + IDS_PER_QUERY) } };
      if (from !== undefined) filter['at'] = { $gte: from };
      yield* this.readLedger(filter, INDEX.instance);
    }
  }

  /** Tasks closed within the window (on `closedAt`). */
  async *closedTasks(scope: TaskScope): AsyncGenerator<TaskFact> {
    const filter: Filter<Document> = { status: 'closed' };
    if (scope.policyName !== undefined) filter['policy.name'] = scope.policyName;
    const closedAt = window(scope.from, scope.to);
    if (closedAt !== undefined) filter['closedAt'] = closedAt;
    yield* this.readTasks(filter, 'tasks_closed_by_time');
  }

  /** Tasks still open (uses the `status, openedAt` index). */
  async *openTasks(scope: { policyName?: string }): AsyncGenerator<TaskFact> {
    const filter: Filter<Document> = { status: 'open' };
    if (scope.policyName !== undefined) filter['policy.name'] = scope.policyName;
    yield* this.readTasks(filter, 'tasks_open_by_age');
  }

  private async *readLedger(filter: Filter<Document>, hint: string): AsyncGenerator<LedgerFact> {
    for await (const raw of this.audit.find(filter, { projection: LEDGER_FIELDS, hint })) {
      const doc = readable(ledgerFactSchema, raw);
      if (doc === null) continue;
      const { _id, ...rest } = doc;
      yield { id: _id, ...rest };
    }
  }

  /** `hint`: an index of the tasks' manifest entry (store/tasks.ts). */
  private async *readTasks(filter: Filter<Document>, hint: string): AsyncGenerator<TaskFact> {
    for await (const raw of this.tasks.find(filter, { projection: TASK_FIELDS, hint })) {
      const doc = readable(taskFactSchema, raw);
      if (doc === null) continue;
      const { _id, ...rest } = doc;
      yield { id: _id, ...rest };
    }
  }
}
