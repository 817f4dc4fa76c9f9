// Every MongoDB repository of Charter, opened on one database with its indexes in place. The
// worker and the API get a Store and never see a Mongo type beyond it.
import type { Db } from 'mongodb';
import { ApiTokens, IdempotencyRecords } from './access.js';
import { AuditLedger } from './audit.js';
import { CapacityStore } from './capacity.js';
import { CommentStore } from './comments.js';
import { Directory } from './directory.js';
import { DirectoryQueries } from './directory-queries.js';
import { InstanceViews } from './instances.js';
import { Outbox } from './outbox.js';
import { PeopleCapacity } from './people-capacity.js';
import { PolicyStore } from './policies.js';
import { RefusalLog } from './refusals.js';
import { ReportQueries } from './reports.js';
import { TaskStore } from './tasks.js';

/** A repository that keeps indexes creates them at start-up. */
interface Indexed {
  ensureIndexes?: () => Promise<void>;
}

export interface Store {
  policies: PolicyStore;
  audit: AuditLedger;
  tasks: TaskStore;
  views: InstanceViews;
  outbox: Outbox;
  directory: Directory;
  /** Pages of people, groups and delegations, a person's groups and absence: the API's reads. */
  directoryQueries: DirectoryQueries;
  capacity: CapacityStore;
  /** People as capacity holders (pool `@people`, skill = person id) over the same ledger. */
  peopleCapacity: PeopleCapacity;
  tokens: ApiTokens;
  idempotency: IdempotencyRecords;
  comments: CommentStore;
  refusals: RefusalLog;
  /** Read-only aggregate queries for reports and the compliance summary (no indexes of its own). */
  reports: ReportQueries;
}

/** The repositories over `db`, after creating their indexes (idempotent, so every start does it). */
export async function openStore(db: Db): Promise<Store> {
  const store: Store = {
    policies: new PolicyStore(db),
    audit: new AuditLedger(db),
    tasks: new TaskStore(db),
    views: new InstanceViews(db),
    outbox: new Outbox(db),
    directory: new Directory(db),
    directoryQueries: new DirectoryQueries(db),
    capacity: new CapacityStore(db),
    peopleCapacity: new PeopleCapacity(new CapacityStore(db)),
    tokens: new ApiTokens(db),
    idempotency: new IdempotencyRecords(db),
    comments: new CommentStore(db),
    refusals: new RefusalLog(db),
    reports: new ReportQueries(db),
  };
  // Every repository that keeps indexes creates them (idempotent); read-only query sets have none.
  for (const repository of Object.values(store as unknown as Record<string, Indexed>)) {
    await repository.ensureIndexes?.();
  }
  await rebuildOnce(db, INDEX_REBUILDS[0], () => store.tasks.rebuildIndex());
  await rebuildOnce(db, INDEX_REBUILDS[1], () => store.audit.rebuildIndex());
  return store;
}

/**
 * Our own indexes (keyed lists, task-index.ts and audit-index.ts), each built once per database;
 * v2 of the audit index added the policy, actor and every-event keys beside the project's, v3 put a
 * person's events in monthly buckets, v4 added the outcome's.
 */
const INDEX_REBUILDS = ['task-index-v1', 'audit-index-v4'] as const;
const MARKERS = 'store_migrations';

interface MarkerDoc {
  _id: string;
  at: Date;
  count: number | null;
}

/**
 * Lists data written before an index existed, once; the marker goes in after the rebuild, so a
 * start that dies half-way rebuilds again (adding entries twice is harmless: they are deduplicated).
 */
async function rebuildOnce(db: Db, name: string, rebuild: () => Promise<number>): Promise<void> {
  const markers = db.collection<MarkerDoc>(MARKERS);
  if ((await markers.findOne({ _id: name })) !== null) return;
  const count = await rebuild();
  await markers.replaceOne({ _id: name }, { at: new Date(), count }, { upsert: true });
}

/** For a bulk load that wrote the indexes itself (a benchmark's seed): no rebuild on the next open. */
export async function markIndexesCurrent(db: Db): Promise<void> {
  for (const name of INDEX_REBUILDS) {
    await db
      .collection<MarkerDoc>(MARKERS)
      .replaceOne({ _id: name }, { at: new Date(), count: null }, { upsert: true });
  }
}

export { mongoClient } from './client.js';
export type { ClientOptions } from './client.js';
export { ApiTokens, IdempotencyRecords, ROLES } from './access.js';
export type { ApiToken, IdempotencyRecord, Role } from './access.js';
export { AuditLedger, MissingLinkError } from './audit.js';
export type { AuditEvent, AuditEventInput, AuditFilter, VerifyReport } from './audit.js';
export { CapacityStore, isoWeekOf, isoWeeksFrom } from './capacity.js';
export type { Reallocation, ReallocationResult } from './capacity.js';
export { CommentStore } from './comments.js';
export type { NewComment, TaskComment } from './comments.js';
export { Directory } from './directory.js';
export { DirectoryQueries } from './directory-queries.js';
export type { Absence, Delegation, KeyPage } from './directory-queries.js';
export { InstanceViews } from './instances.js';
export type { InstanceView } from './instances.js';
export { Outbox } from './outbox.js';
export type { OutboxItem, OutboxMessage } from './outbox.js';
export { PolicyConflictError, PolicyStore } from './policies.js';
export type { PolicySummary, PublishedPolicy } from './policies.js';
export { RefusalLog, refusedChainOf } from './refusals.js';
export { ReportQueries } from './reports.js';
export type { LedgerFact, TaskFact } from './reports.js';
export type { RefusedAttempt } from './refusals.js';
export { TaskStore } from './tasks.js';
export { AuditIndex } from './audit-index.js';
export { TaskIndex } from './task-index.js';
export type { NewTask, Task, TaskKind } from './tasks.js';
