// Seeds the API benchmark's database: open and closed tasks spread over many approvers, and a
// year of audit events over many projects on valid hash chains. Written with insertMany straight
// into the collections, because going through TaskStore.open and AuditLedger.append (one insert
// and, for the ledger, one read per document) would take hours at this size. The documents have
// exactly the shape those repositories write, so the store and the API read them back unchanged;
// `checkSeed` proves that through the store itself before anything is measured. The store's own
// indexes (task-index.ts, audit-index.ts) are bulk-loaded the same way, one digest per key, in the
// state readers leave them in (closed tasks pruned from the inboxes).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Db, Document } from 'mongodb';
import { canonicalJson, sha256Hex } from '../../engine/ir/index.js';
import { AuditIndex, markIndexesCurrent, TaskIndex, type Store } from '../../store/index.js';
import type { IndexedEvent } from '../../store/audit-index.js';
import type { IndexedTask } from '../../store/task-index.js';
import { random } from '../random.js';

export interface SeedPlan {
  scale: number;
  tasks: number;
  approvers: number;
  events: number;
  projects: number;
}

export interface SeedWorld {
  approvers: string[];
  projects: string[];
  /** The ledger's time span: [from, to). */
  from: Date;
  to: Date;
}

const BATCH = 5_000;
/** insertMany calls in flight at once: enough to keep the server busy while we build the next batch. */
const IN_FLIGHT = 2;
const DAY_MS = 24 * 3600 * 1000;
const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');
const GENESIS_HASH = '0'.repeat(64);
const LEDGER_FROM = new Date('2025-01-01T00:00:00Z');
const LEDGER_TO = new Date('2026-01-01T00:00:00Z');
const META = 'bench_meta';

const POLICY = {
  name: 'IT change management',
  version: 3,
  sha256: createHash('sha256').update('bench policy').digest('hex'),
};
const STEPS = ['cab-review', 'security-review', 'budget-approval', 'architecture-review', 'dpo-attestation'];
const PROCESSES = ['standard-change', 'access-request', 'project-gate'];

export function planFor(scale: number): SeedPlan {
  return {
    scale,
    tasks: Math.max(100, Math.round(100_000 * scale)),
    approvers: Math.max(20, Math.round(2_000 * scale)),
    events: Math.max(1_000, Math.round(1_000_000 * scale)),
    projects: 40,
  };
}

export function worldOf(plan: SeedPlan): SeedWorld {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return {
    approvers: Array.from({ length: plan.approvers }, (_, i) => `approver-${pad(i, 4)}@halden.example`),
    projects: Array.from({ length: plan.projects }, (_, i) => `PRJ-${pad(i + 1, 3)}`),
    from: LEDGER_FROM,
    to: LEDGER_TO,
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Batches of documents into one collection, a few insertMany calls in flight, unordered. */
class BatchWriter {
  private batch: Document[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly collection: string,
  ) {}

  async add(doc: Document): Promise<void> {
    this.batch.push(doc);
    if (this.batch.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length > 0) {
      const docs = this.batch;
      this.batch = [];
      const write = this.db
        .collection(this.collection)
        .insertMany(docs, { ordered: false })
        .then(() => {
          this.written += docs.length;
          this.pending.delete(write);
        });
      this.pending.add(write);
    }
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.pending);
  }
}

/**
 * Tasks as TaskStore.open writes them (and TaskStore.close leaves them): each instance has one to
 * three tasks; the first assignee cycles through the approvers so every inbox gets its share, and
 * about a third of the tasks have a second one. About 80% are open.
 */
export async function seedTasks(db: Db, plan: SeedPlan, world: SeedWorld, now: Date): Promise<number> {
  const rand = random(1);
  const writer = new BatchWriter(db, 'tasks');
  const inboxes = new Map<string, IndexedTask[]>();
  const instances = new Map<string, string[]>();
  let made = 0;
  for (let instance = 0; made < plan.tasks; instance++) {
    const instanceId = `bench-${String(instance).padStart(7, '0')}`;
    const project = rand() < 0.9 ? pick(rand, world.projects) : null;
    const process = pick(rand, PROCESSES);
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count && made < plan.tasks; k++, made++) {
      const step = STEPS[(instance + k) % STEPS.length]!;
      const task = `${step}#${k + 1}`;
      const title = step === 'dpo-attestation' ? `attest ${step}: records of processing` : `decide ${step}`;
      const first = world.approvers[made % world.approvers.length]!;
      const second = rand() < 0.3 ? pick(rand, world.approvers) : first;
      const assignees = [...new Set([first, second])];
      const openedAt = new Date(now.getTime() - Math.floor(rand() * 60 * DAY_MS));
      const dueAt =
        rand() < 0.7 ? new Date(openedAt.getTime() + (3 + Math.floor(rand() * 12)) * DAY_MS) : null;
      const closed = rand() < 0.2;
      const closedAt = closed ? new Date(openedAt.getTime() + Math.floor(rand() * 3 * DAY_MS)) : null;
      const id = `${instanceId}/${task}`;
      for (const person of assignees) {
        // The index as TaskStore leaves it once readers have pruned the closed tasks.
        if (!closed)
          inboxes.set(person, [
            ...(inboxes.get(person) ?? []),
            { id, instanceId, openedAt, dueKey: dueAt ?? NO_DEADLINE },
          ]);
        instances.set(person, [...new Set([...(instances.get(person) ?? []), instanceId])]);
      }
      await writer.add({
        _id: id,
        instanceId,
        task,
        step,
        title,
        kind: title.startsWith('attest ') ? 'attestation' : 'approval',
        dueAt,
        openedAt,
        policy: POLICY,
        process,
        project,
        initialAssignees: assignees,
        assignees,
        status: closed ? 'closed' : 'open',
        dueKey: dueAt ?? NO_DEADLINE,
        blockedOn: null,
        closedAt,
        closeReason: closed ? `${step} approved` : null,
      });
    }
  }
  await writer.close();
  await new TaskIndex(db).load(inboxes, instances);
  return writer.written;
}

/**
 * AuditLedger's hash: over the link and the canonical JSON of every other field, `id` for `_id`
 * and `at` as its ISO string (store/audit.ts, hashOf). node:crypto instead of the engine's
 * portable sha256Hex for speed; `seedAudit` checks that both agree before it writes anything.
 */
function hashOf(unhashed: Document & { _id: string; at: Date; prevHash: string }): string {
  const { _id, at, ...rest } = unhashed;
  const text = unhashed.prevHash + canonicalJson({ ...rest, id: _id, at: at.toISOString() });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const span = (line: number) => ({ file: 0, line, col: 3, endLine: line, endCol: 40 });

/**
 * A year of ledger events: one chain per instance (started, decisions and checks, ended), each
 * instance in one project (10% in none), starting anywhere in the year, events minutes to a day apart.
 */
export async function seedAudit(db: Db, plan: SeedPlan, world: SeedWorld): Promise<number> {
  const probe = 'bench ü ✓';
  if (createHash('sha256').update(probe, 'utf8').digest('hex') !== sha256Hex(probe)) {
    throw new Error('node:crypto and the engine disagree on sha256: the seeded chains would not verify');
  }
  const rand = random(2);
  const writer = new BatchWriter(db, 'audit');
  const indexed: IndexedEvent[] = [];
  const yearMs = world.to.getTime() - world.from.getTime();
  let made = 0;
  for (let instance = 0; made < plan.events; instance++) {
    const instanceId = `bench-${String(instance).padStart(7, '0')}`;
    const project = rand() < 0.9 ? pick(rand, world.projects) : null;
    const process = pick(rand, PROCESSES);
    const length = Math.min(6 + Math.floor(rand() * 9), plan.events - made);
    let at = world.from.getTime() + Math.floor(rand() * yearMs * 0.97);
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= length; seq++, made++) {
      const last = seq === length && length > 1;
      const step = seq === 1 || last ? null : STEPS[seq % STEPS.length]!;
      const isDecision = step !== null && seq % 2 === 0;
      const actor = isDecision
        ? pick(rand, world.approvers)
        : seq === 1
          ? 'rita.requester@halden.example'
          : null;
      const unhashed = {
        _id: `${instanceId}:${seq}`,
        chain: instanceId,
        seq,
        at: new Date(at),
        type: seq === 1 ? 'started' : last ? 'ended' : isDecision ? 'decision' : 'check',
        instanceId,
        process,
        project,
        policy: POLICY,
        step,
        text:
          seq === 1
            ? `${process} started`
            : last
              ? 'approved'
              : `${step} ${isDecision ? 'approved' : 'passed'}`,
        actor,
        onBehalfOf: null,
        outcome: last ? 'approved' : null,
        reasons: isDecision
          ? [{ text: `${step} is required for changes of this risk`, span: span(10 + seq) }]
          : [],
        span: step === null ? null : span(10 + seq),
        prevHash,
      };
      const hash = hashOf(unhashed);
      await writer.add({ ...unhashed, hash });
      indexed.push({
        id: unhashed._id,
        at: unhashed.at,
        project,
        policyName: POLICY.name,
        actor,
        outcome: unhashed.outcome,
      });
      prevHash = hash;
      at += 60_000 + Math.floor(rand() * DAY_MS);
    }
  }
  await writer.close();
  await new AuditIndex(db).load(indexed);
  // Both indexes are complete: the next openStore must not rebuild them from a million documents.
  await markIndexesCurrent(db);
  return writer.written;
}

interface SeedMeta extends SeedPlan {
  _id: 'seed';
  complete: boolean;
  at: Date;
}

/** Whether the database already holds a seed of this plan (for BENCH_KEEP_DATA=1). */
export async function seededWith(db: Db, plan: SeedPlan): Promise<boolean> {
  const meta = await db.collection<SeedMeta>(META).findOne({ _id: 'seed' });
  return meta !== null && meta.scale === plan.scale && meta.complete;
}

export async function markSeeded(db: Db, plan: SeedPlan): Promise<void> {
  await db.collection<SeedMeta>(META).insertOne({ _id: 'seed', ...plan, complete: true, at: new Date() });
}

/**
 * Reads the seed back through the store: an inbox page parses (TaskStore's schema) and a sample
 * of chains verifies (AuditLedger.verify). Throws when the seed is not what the store writes.
 */
export async function checkSeed(store: Store, world: SeedWorld): Promise<string> {
  const began = performance.now();
  const inbox = await store.tasks.inbox([world.approvers[0]!], { limit: 500 });
  if (inbox.tasks.length === 0) throw new Error('seed check: the first approver has an empty inbox');
  let chains = 0;
  for (const n of [0]) {
    const report = await store.audit.verify({ chain: `bench-${String(n).padStart(7, '0')}` });
    if (!report.ok) throw new Error(`seed check: chain ${n} does not verify: ${JSON.stringify(report)}`);
    chains += report.chains;
  }
  const page = await store.audit.query(
    { project: world.projects[0]!, from: world.from, to: new Date(world.from.getTime() + 31 * DAY_MS) },
    { limit: 50 },
  );
  return (
    `seed check: inbox of ${world.approvers[0]} has ${inbox.tasks.length} open tasks; ` +
    `${chains} sample chains verify; audit page for ${world.projects[0]} in January has ${page.events.length} events ` +
    `(${(performance.now() - began).toFixed(0)} ms)`
  );
}
