// The world the monitor benchmark runs in (bench/monitor/main.ts): one published policy with the
// `risk_review_current` monitor the monitor tests publish (test/support/monitors.ts), 10,000 projects,
// approved `risk_review` instance views for some of them, and a directory of their managers.
//
// The shares are chosen so that a run does every kind of work a real one does: most projects are
// out of the monitor's scope (phase not build/test, settled: closePassing asks about them), and of
// the in-scope ones a third passed a review within 30 days and the rest fail (some never reviewed,
// some reviewed too long ago): FAILING of PROJECTS, 10%.
//
// Projects go in with insertMany, in the documents store/project-model.ts reads (zod on read
// parses every one of them in the run): the store's only bulk path, importAll, writes each row
// with its own inserts in one transaction, which would be most of the seeding time here and is
// not under test. Views go through store.views.upsert, the directory through seedFromWorld.
import type { Db } from 'mongodb';
import { type ProjectDoc, PROJECTS } from '../../store/project-model.js';
import type { Store } from '../../store/index.js';
import { publishPolicy, RISK_REVIEW_MONITOR, riskReviewPolicy } from '../../test/support/monitors.js';

export const POLICY = 'Portfolio protocol';
export const MONITOR = RISK_REVIEW_MONITOR;
export const PROJECTS_SEEDED = 10_000;
/** Projects in build or test: the monitor's scope. */
export const IN_SCOPE = 1_500;
/** In scope, with an approved review within the 30 days before the run: they pass. */
export const REVIEWED = 500;
/** In scope and failing: never reviewed, or last reviewed more than 30 days before the run. */
export const FAILING = IN_SCOPE - REVIEWED;
/** Of the failing, those with an approved review that is too old (a history that does not help). */
const STALE = 200;
const MANAGERS = 200;

/** A Monday, 08:00 in Berlin: the schedule's time, and the day every round judges. */
export const RUN_AT = Date.parse('2026-12-07T07:00:00Z');
const RECENT_REVIEW = new Date('2026-11-20T10:00:00Z');
const STALE_REVIEW = new Date('2026-09-01T10:00:00Z');
const SEEDED_AT = new Date('2026-10-01T00:00:00Z');

const OUT_OF_SCOPE_PHASES = ['initiation', 'planning', 'deploy', 'closed'] as const;

export const codeOf = (i: number): string => `PRJ-${String(i).padStart(5, '0')}`;
const managerOf = (i: number): string => `pm${i % MANAGERS}@bench.example`;

/**
 * Which projects are what, spread over the code order so that every page of 500 has its share:
 * of each 20 consecutive projects, 3 are in scope (IN_SCOPE), the first of them passing.
 */
export function roleOf(i: number): 'outOfScope' | 'passing' | 'failing' {
  const slot = i % 20;
  return slot === 0 ? 'passing' : slot < 3 ? 'failing' : 'outOfScope';
}

function projectDoc(i: number): ProjectDoc {
  const role = roleOf(i);
  return {
    _id: codeOf(i),
    name: `Project ${i}`,
    phase:
      role === 'outOfScope' ? OUT_OF_SCOPE_PHASES[i % OUT_OF_SCOPE_PHASES.length]! : i % 2 ? 'build' : 'test',
    manager: managerOf(i),
    sponsor: 'sponsor@bench.example',
    budget: { amount: `${100_000 + i}.00`, currency: 'EUR' },
    start: '2026-01-15',
    end: '2027-06-30',
    health: { status: 'green', reason: null },
    tags: ['bench'],
    version: 1,
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    updatedBy: 'pmo@bench.example',
  };
}

async function reviewed(store: Store, sha256: string, code: string, n: number, endedAt: Date): Promise<void> {
  await store.views.upsert({
    instanceId: `review-${code}-${n}`,
    workflowId: `review-${code}-${n}`,
    policy: { name: POLICY, version: 1, sha256 },
    process: 'risk_review',
    project: code,
    status: 'approved',
    message: null,
    startedAt: new Date(endedAt.getTime() - 86_400_000),
    startedBy: managerOf(Number(code.slice(4))),
    endedAt,
    currentSteps: [],
    blockedOn: [],
    transition: 3,
  });
}

export interface Seeded {
  projects: number;
  views: number;
  failing: number;
}

/** Seeds an empty database opened as `store`; checks the shares it meant to seed. */
export async function seedWorld(db: Db, store: Store): Promise<Seeded> {
  const { sha256 } = await publishPolicy(store, riskReviewPolicy(POLICY, { domain: 'bench.example' }), {
    file: 'protocol.charter',
    by: 'pmo@bench.example',
    at: SEEDED_AT,
  });
  const managers = Array.from({ length: MANAGERS }, (_, i) => managerOf(i));
  await store.directory.seedFromWorld({
    groups: {},
    managers: Object.fromEntries(managers.map((m) => [m, 'head@bench.example'])),
    people: ['dana@bench.example', 'head@bench.example', 'sponsor@bench.example'],
  });

  const docs = Array.from({ length: PROJECTS_SEEDED }, (_, i) => projectDoc(i));
  const projects = db.collection<ProjectDoc>(PROJECTS);
  for (let i = 0; i < docs.length; i += 1_000) await projects.insertMany(docs.slice(i, i + 1_000));

  let views = 0;
  let failing = 0;
  let stale = 0;
  for (let i = 0; i < PROJECTS_SEEDED; i++) {
    const role = roleOf(i);
    if (role === 'passing') {
      // An old review beside the recent one: the run must take the newest.
      await reviewed(store, sha256, codeOf(i), 1, STALE_REVIEW);
      await reviewed(store, sha256, codeOf(i), 2, RECENT_REVIEW);
      views += 2;
    } else if (role === 'failing') {
      failing++;
      if (stale++ < STALE) {
        await reviewed(store, sha256, codeOf(i), 1, STALE_REVIEW);
        views++;
      }
    }
  }
  if (failing !== FAILING || (await projects.countDocuments()) !== PROJECTS_SEEDED)
    throw new Error(`seeded ${failing} failing projects (expected ${FAILING}) of ${PROJECTS_SEEDED}`);
  return { projects: PROJECTS_SEEDED, views, failing };
}
