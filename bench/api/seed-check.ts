// Proof that the seed is what the store writes and reads, so that the benchmark measures the
// store's real documents: `checkShapes` has the store itself write a sample of the seed's inputs
// into a scratch database (TaskStore.open and close, AuditLedger.append) and compares every stored
// document with the one seed.ts builds for the same input; `checkSeed` reads the seeded database
// back through the store's public reads (an inbox page, an audit query page, one chain verified).
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Document, MongoClient } from 'mongodb';
import { openStore, type Store } from '../../store/index.js';
import { auditDoc, chainsOf, type SeedPlan, type SeedWorld, taskDoc, tasksOf } from './seed.js';

const SCRATCH_DB = 'bench_api_shapes';
const DAY_MS = 24 * 3600 * 1000;
/** How many of the seed's first tasks and chains the store writes for comparison. */
const SAMPLE_TASKS = 50;
const SAMPLE_CHAINS = 10;

function firstDifference(label: string, built: Document, stored: Document | undefined): string | null {
  if (stored === undefined) return `${label}: the store wrote nothing`;
  if (isDeepStrictEqual(built, stored)) return null;
  return `${label}: the seed builds ${JSON.stringify(built)}\nthe store wrote ${JSON.stringify(stored)}`;
}

/** Throws unless the store writes exactly what the seed builds, for the first tasks and chains. */
export async function checkShapes(
  mongo: MongoClient,
  plan: SeedPlan,
  world: SeedWorld,
  now: Date,
): Promise<string> {
  const db = mongo.db(SCRATCH_DB);
  await db.dropDatabase();
  try {
    const store = await openStore(db);
    const problems: string[] = [];
    let tasks = 0;
    for (const { task, closed } of tasksOf(plan, world, now)) {
      if (tasks++ === SAMPLE_TASKS) break;
      await store.tasks.open(task);
      if (closed !== null) await store.tasks.close(task.id, closed.reason, closed.at);
      const stored = await db.collection('tasks').findOne({ _id: task.id as never });
      problems.push(firstDifference(`task ${task.id}`, taskDoc(task, closed), stored ?? undefined) ?? '');
    }
    let chains = 0;
    let events = 0;
    for (const chain of chainsOf(plan, world)) {
      if (chains++ === SAMPLE_CHAINS) break;
      await store.audit.append(chain);
      const stored = await db
        .collection('audit_events')
        .find({ chain: chain[0]!.chain }, { sort: { seq: 1 } })
        .toArray();
      let prevHash = '0'.repeat(64);
      chain.forEach((event, i) => {
        const built = auditDoc(event, prevHash);
        problems.push(firstDifference(`audit event ${event.id}`, built, stored[i]) ?? '');
        prevHash = built.hash;
        events++;
      });
      const head = await db.collection('audit_heads').findOne({ _id: chain[0]!.chain as never });
      problems.push(
        firstDifference(
          `audit head ${chain[0]!.chain}`,
          { _id: chain[0]!.chain, seq: chain.length },
          head ?? undefined,
        ) ?? '',
      );
    }
    const found = problems.filter((p) => p !== '');
    if (found.length > 0)
      throw new Error(`seed shape check: ${found.length} differences; first: ${found[0]}`);
    return `seed shape check: ${SAMPLE_TASKS} tasks, ${events} audit events and ${SAMPLE_CHAINS} heads written by the store equal the seed's`;
  } finally {
    await db.dropDatabase();
  }
}

/**
 * Reads the seed back through the store: an inbox page parses (TaskStore's schema), an audit
 * query page parses (the ledger's strict schema) and a chain verifies against its head
 * (AuditLedger.verify). Throws when the seed is not what the store reads.
 */
export async function checkSeed(store: Store, world: SeedWorld): Promise<string> {
  const began = performance.now();
  const inbox = await store.tasks.inbox([world.approvers[0]!], { limit: 50 });
  if (inbox.tasks.length === 0) throw new Error('seed check: the first approver has an empty inbox');
  const report = await store.audit.verify({ chain: 'bench-0000000' });
  if (!report.ok || report.events === 0)
    throw new Error(`seed check: chain bench-0000000 does not verify: ${JSON.stringify(report)}`);
  const page = await store.audit.query(
    { project: world.projects[0]!, from: world.from, to: new Date(world.from.getTime() + 31 * DAY_MS) },
    { limit: 50 },
  );
  if (page.events.length === 0)
    throw new Error(`seed check: no audit events for ${world.projects[0]} in January`);
  return (
    `seed check: inbox of ${world.approvers[0]} has ${inbox.tasks.length} open tasks on its first page; ` +
    `chain bench-0000000 verifies (${report.events} events); the audit page for ${world.projects[0]} in ` +
    `January has ${page.events.length} events (${(performance.now() - began).toFixed(0)} ms)`
  );
}
