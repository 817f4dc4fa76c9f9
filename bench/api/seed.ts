// Seeds the API benchmark's database: open and closed tasks spread over many approvers, and a
// year of audit events over many projects on valid hash chains with their heads. Written with
// insertMany straight into the collections, because going through TaskStore.open and
// AuditLedger.append (a command or three per document) would take hours at this size. The
// documents are built by `taskDoc` and `auditDoc` in exactly the shape those repositories write:
// seed-check.ts proves it before anything is seeded (the same inputs written by the store into a
// scratch database compare equal) and after (the store's own reads return seeded rows).
import { createHash } from 'node:crypto';
import type { Db, Document } from 'mongodb';
import { canonicalJson } from '../../engine/ir/index.js';
import type { AuditEventInput } from '../../store/index.js';
import type { NewTask } from '../../store/index.js';
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
const instanceIdOf = (n: number) => `bench-${String(n).padStart(7, '0')}`;

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

/** How a seeded task was closed (null: it is open). */
export interface TaskClose {
  reason: string;
  at: Date;
}

/** The document TaskStore.open writes for `t`, as TaskStore.close leaves it when `closed` is set. */
export function taskDoc(t: NewTask, closed: TaskClose | null): Document {
  const { id, assignees, ...rest } = t;
  return {
    _id: id,
    ...rest,
    assignees: [...new Set(assignees)],
    status: closed === null ? 'open' : 'closed',
    dueKey: t.dueAt ?? NO_DEADLINE,
    blockedOn: null,
    closedAt: closed?.at ?? null,
    closeReason: closed?.reason ?? null,
  };
}

/**
 * The tasks of `plan`, in the order they are seeded: each instance has one to three tasks; the
 * first assignee cycles through the approvers so every inbox gets its share, and about a third of
 * the tasks have a second one. About 80% are open.
 */
export function* tasksOf(
  plan: SeedPlan,
  world: SeedWorld,
  now: Date,
): Generator<{ task: NewTask; closed: TaskClose | null }> {
  const rand = random(1);
  let made = 0;
  for (let instance = 0; made < plan.tasks; instance++) {
    const instanceId = instanceIdOf(instance);
    const project = rand() < 0.9 ? pick(rand, world.projects) : null;
    const process = pick(rand, PROCESSES);
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count && made < plan.tasks; k++, made++) {
      const step = STEPS[(instance + k) % STEPS.length]!;
      const title = step === 'dpo-attestation' ? `attest ${step}: records of processing` : `decide ${step}`;
      const first = world.approvers[made % world.approvers.length]!;
      const second = rand() < 0.3 ? pick(rand, world.approvers) : first;
      const openedAt = new Date(now.getTime() - Math.floor(rand() * 60 * DAY_MS));
      const dueAt =
        rand() < 0.7 ? new Date(openedAt.getTime() + (3 + Math.floor(rand() * 12)) * DAY_MS) : null;
      const closed = rand() < 0.2;
      const task = `${step}#${k + 1}`;
      yield {
        task: {
          id: `${instanceId}/${task}`,
          instanceId,
          task,
          step,
          title,
          kind: title.startsWith('attest ') ? 'attestation' : 'approval',
          assignees: [first, second],
          dueAt,
          openedAt,
          policy: POLICY,
          process,
          project,
        },
        closed: closed
          ? { reason: `${step} approved`, at: new Date(openedAt.getTime() + Math.floor(rand() * 3 * DAY_MS)) }
          : null,
      };
    }
  }
}

export async function seedTasks(db: Db, plan: SeedPlan, world: SeedWorld, now: Date): Promise<number> {
  const writer = new BatchWriter(db, 'tasks');
  for (const { task, closed } of tasksOf(plan, world, now)) await writer.add(taskDoc(task, closed));
  await writer.close();
  return writer.written;
}

/**
 * The document AuditLedger.append stores for `event` linked to `prevHash`: toDoc and hashOf of
 * store/audit-event.ts, with node:crypto's sha256 for the engine's portable one (the seed check
 * compares the two on the same events).
 */
export function auditDoc(event: AuditEventInput, prevHash: string): Document & { hash: string } {
  const { id, inputSha256, ...rest } = event;
  const unhashed = { _id: id, ...rest, ...(inputSha256 == null ? {} : { inputSha256 }), prevHash };
  const { _id, at, ...hashed } = unhashed;
  const text = prevHash + canonicalJson({ ...hashed, id: _id, at: at.toISOString() });
  return { ...unhashed, hash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

const span = (line: number) => ({ file: 0, line, col: 3, endLine: line, endCol: 40 });

/**
 * A year of ledger chains in the order they are seeded: one chain per instance (started, decisions
 * and checks, ended), each instance in one project (10% in none), starting anywhere in the year,
 * events minutes to a day apart. The `started` event carries its input's hash, as the ledger's do.
 */
export function* chainsOf(plan: SeedPlan, world: SeedWorld): Generator<AuditEventInput[]> {
  const rand = random(2);
  const yearMs = world.to.getTime() - world.from.getTime();
  let made = 0;
  for (let instance = 0; made < plan.events; instance++) {
    const instanceId = instanceIdOf(instance);
    const project = rand() < 0.9 ? pick(rand, world.projects) : null;
    const process = pick(rand, PROCESSES);
    const length = Math.min(6 + Math.floor(rand() * 9), plan.events - made);
    let at = world.from.getTime() + Math.floor(rand() * yearMs * 0.97);
    const chain: AuditEventInput[] = [];
    for (let seq = 1; seq <= length; seq++, made++) {
      const last = seq === length && length > 1;
      const step = seq === 1 || last ? null : STEPS[seq % STEPS.length]!;
      const isDecision = step !== null && seq % 2 === 0;
      const actor = isDecision
        ? pick(rand, world.approvers)
        : seq === 1
          ? 'rita.requester@halden.example'
          : null;
      chain.push({
        chain: instanceId,
        seq,
        id: `${instanceId}:${seq}`,
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
        ...(seq === 1
          ? { inputSha256: createHash('sha256').update(`input of ${instanceId}`).digest('hex') }
          : {}),
      });
      at += 60_000 + Math.floor(rand() * DAY_MS);
    }
    yield chain;
  }
}

/** The ledger's events, linked, and each chain's head (`audit_heads`: its highest seq). */
export const seedAudit = (db: Db, plan: SeedPlan, world: SeedWorld): Promise<number> =>
  seedChains(db, chainsOf(plan, world));

/** Writes each chain's events linked by hash, and its head; answers how many events. */
export async function seedChains(db: Db, chains: Iterable<AuditEventInput[]>): Promise<number> {
  const events = new BatchWriter(db, 'audit_events');
  const heads = new BatchWriter(db, 'audit_heads');
  for (const chain of chains) {
    let prevHash = GENESIS_HASH;
    for (const event of chain) {
      const doc = auditDoc(event, prevHash);
      await events.add(doc);
      prevHash = doc.hash;
    }
    await heads.add({ _id: chain[0]!.chain, seq: chain.length });
  }
  await Promise.all([events.close(), heads.close()]);
  return events.written;
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
