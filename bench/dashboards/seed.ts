// The dashboard benchmark's ledger: bench:api's sizes and world (bench/api/seed.ts planFor and
// worldOf: 1,000,000 events over 40 projects and 2,000 approvers at scale 1, and its 100,000
// tasks), but each event carrying its typed fact, as the worker writes them since typed facts
// exist: without facts the projector would fold nothing and the dashboards would be empty. One
// instance: started; two to four steps, each an approval (opened, votes, closed; one in ten times
// out first) or a check (passed, failed, or failed and waived until a date); ended. One in twelve
// started in the last two weeks and still waits on its first approval. Written with
// insertMany by bench/api's seedChains (its document builder, chains linked by hash); the
// tree and the rollups are then built by the real signer and projector code (main.ts).
import type { Db } from 'mongodb';
import type { Fact } from '../../engine/facts/index.js';
import type { AuditEventInput } from '../../store/index.js';
import { type SeedPlan, type SeedWorld, seedChains } from '../api/seed.js';
import { random } from '../random.js';

const POLICIES = [
  { name: 'IT change management', version: 3, sha256: 'c'.repeat(64), steps: ['cab', 'security', 'scan'] },
  { name: 'Vendor onboarding', version: 2, sha256: 'a'.repeat(64), steps: ['legal', 'dpo', 'finance'] },
  { name: 'Project gate', version: 1, sha256: 'b'.repeat(64), steps: ['sponsor', 'architecture', 'budget'] },
];
/** Steps whose name ends a check rather than an approval. */
const CHECKS = new Set(['scan', 'dpo', 'budget']);
const MINUTE = 60_000;
/** Instances still waiting on their first approval. */
const IN_FLIGHT = 0.08;
const DAY = 24 * 60 * MINUTE;

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** An approval opened to `eligible`, one of whom is enough. */
const approvalOpened = (step: string, eligible: string[]): Fact => ({
  kind: 'approvalOpened',
  step,
  eligible,
  needed: 1,
  quorum: 'any',
  veto: false,
  barred: [],
  afterEscalation: false,
  task: 'approval',
});

/** The facts of one step, each with its offset in ms from the step's start. */
function stepFacts(rand: () => number, step: string, world: SeedWorld, at: number): [number, Fact][] {
  if (CHECKS.has(step)) {
    const roll = rand();
    if (roll < 0.8)
      return [[0, { kind: 'checkPassed', step, source: 'rule', because: 'ok', evidence: null }]];
    const failed: Fact = {
      kind: 'checkFailed',
      step,
      cause: 'rule',
      because: 'out of policy',
      message: 'out of policy',
      onFail:
        roll < 0.95
          ? { action: 'stop', outcome: 'rejected' }
          : { action: 'waiver', dueAt: { at: at + 3 * DAY, zone: 'UTC' } },
    };
    if (roll < 0.95) return [[0, failed]];
    const approver = pick(rand, world.approvers);
    return [
      [0, failed],
      [0, { kind: 'checkTaskOpened', step, people: [approver], task: 'waiver' }],
      [
        DAY,
        {
          kind: 'waived',
          step,
          actor: approver,
          onBehalfOf: null,
          reason: 'accepted for this release',
          failure: 'out of policy',
          until: { at: at + (20 + Math.floor(rand() * 60)) * DAY, zone: 'UTC' },
        },
      ],
    ];
  }
  const eligible = [pick(rand, world.approvers), pick(rand, world.approvers)];
  const took = MINUTE + Math.floor(rand() * 3 * DAY);
  const facts: [number, Fact][] = [[0, approvalOpened(step, eligible)]];
  if (rand() < 0.1) {
    facts.push([took, { kind: 'approvalTimedOut', step, dueAt: null, action: 'reject' }]);
    facts.push([
      took,
      {
        kind: 'approvalClosed',
        step,
        outcome: 'rejected by timeout',
        why: { kind: 'timeout', action: 'reject', message: 'no decision', blocked: null },
      },
    ]);
    return facts;
  }
  const actor = eligible[0]!;
  facts.push([took, { kind: 'vote', step, actor, onBehalfOf: null, vote: 'approve', reason: null }]);
  facts.push([
    took,
    {
      kind: 'approvalClosed',
      step,
      outcome: 'approved',
      why: { kind: 'quorumMet', approvers: [actor], needed: 1 },
    },
  ]);
  return facts;
}

/** One instance's chain, its events in seq order. */
function chainOf(rand: () => number, n: number, world: SeedWorld): AuditEventInput[] {
  const policy = pick(rand, POLICIES);
  const id = `dash-${String(n).padStart(7, '0')}`;
  const project = rand() < 0.9 ? pick(rand, world.projects) : null;
  const span = world.to.getTime() - world.from.getTime();
  let at = world.from.getTime() + Math.floor(rand() * span * 0.97);
  if (rand() < IN_FLIGHT) {
    // Started in the last two weeks and waiting on its first approval (escalated past its SLA one
    // time in four): open tasks for approver load, and no end.
    at = world.to.getTime() - Math.floor(rand() * 14 * DAY);
    const step = policy.steps[0]!;
    const waiting: [number, Fact][] = [
      [at, { kind: 'started', process: 'request', by: 'rita@halden.example' }],
      [at + MINUTE, approvalOpened(step, [pick(rand, world.approvers), pick(rand, world.approvers)])],
    ];
    if (rand() < 0.25)
      waiting.push([at + 2 * DAY, { kind: 'approvalTimedOut', step, dueAt: null, action: 'escalate' }]);
    return eventsOf(id, project, policy, waiting);
  }
  const facts: [number, Fact][] = [[at, { kind: 'started', process: 'request', by: 'rita@halden.example' }]];
  const steps = policy.steps.slice(0, 2 + Math.floor(rand() * 2));
  for (const step of steps) {
    at += MINUTE + Math.floor(rand() * DAY);
    for (const [offset, fact] of stepFacts(rand, step, world, at)) facts.push([at + offset, fact]);
    at = facts[facts.length - 1]![0];
  }
  const rejected = facts.some(
    ([, f]) => f.kind === 'approvalTimedOut' || (f.kind === 'checkFailed' && f.onFail.action === 'stop'),
  );
  const outcome = rejected ? 'rejected' : 'approved';
  facts.push([at + MINUTE, { kind: 'ended', outcome, message: outcome }]);
  return eventsOf(id, project, policy, facts);
}

/** A chain's events from its facts, in order. */
function eventsOf(
  id: string,
  project: string | null,
  policy: (typeof POLICIES)[number],
  facts: [number, Fact][],
): AuditEventInput[] {
  return facts.map(([time, fact], i) => ({
    chain: id,
    seq: i + 1,
    id: `${id}:${i + 1}`,
    at: new Date(time),
    type: fact.kind === 'started' ? 'started' : fact.kind === 'ended' ? 'ended' : 'decision',
    instanceId: id,
    process: 'request',
    project,
    policy: { name: policy.name, version: policy.version, sha256: policy.sha256 },
    step: 'step' in fact ? fact.step : null,
    text: fact.kind,
    actor: 'actor' in fact ? fact.actor : null,
    onBehalfOf: null,
    outcome: fact.kind === 'ended' ? fact.outcome : null,
    reasons: [],
    span: null,
    fact,
  }));
}

/** About `plan.events` events in whole chains, in the order they are seeded. */
function* chainsOf(plan: SeedPlan, world: SeedWorld): Generator<AuditEventInput[]> {
  const rand = random(18);
  let made = 0;
  for (let n = 0; made < plan.events; n++) {
    const chain = chainOf(rand, n, world);
    made += chain.length;
    yield chain;
  }
}

/** Writes about `plan.events` events (whole chains) and each chain's head; answers how many. */
export const seedFactLedger = (db: Db, plan: SeedPlan, world: SeedWorld): Promise<number> =>
  seedChains(db, chainsOf(plan, world));
