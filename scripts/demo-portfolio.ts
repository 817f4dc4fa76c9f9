// The `npm start` demo's portfolio and training records, so that a fresh clone shows projects,
// the findings the shipped protocol monitors open on them, and a CAB whose ITIL qualifications
// decide who may approve (policies/training-onboarding.charter). Written only where missing: a
// second start changes nothing, and what people changed in the demo stays.
import type { Store } from '../store/index.js';

const DAY_MS = 86_400_000;
const day = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

const PROJECTS = [
  {
    code: 'PRJ-5120',
    name: 'Customs e-filing',
    phase: 'build',
    manager: 'rita.sommer@halden.example',
    sponsor: 'henrik.larsen@halden.example',
    budget: { amount: '480000', currency: 'EUR' },
    start: day(-120),
    end: day(90),
    tags: ['regulatory'],
  },
  {
    code: 'PRJ-4980',
    name: 'Intranet redesign',
    phase: 'test',
    manager: 'ben.ortiz@halden.example',
    sponsor: null,
    budget: { amount: '95000', currency: 'EUR' },
    start: day(-200),
    end: day(30),
    tags: [],
  },
  {
    code: 'PRJ-5300',
    name: 'Warehouse scanners',
    phase: 'planning',
    manager: 'rita.sommer@halden.example',
    sponsor: 'sofia.marin@halden.example',
    budget: { amount: '210000', currency: 'EUR' },
    start: day(14),
    end: day(240),
    tags: ['operations'],
  },
  {
    code: 'PRJ-6001',
    name: 'Payroll cut-over',
    phase: 'deploy',
    manager: 'ben.ortiz@halden.example',
    sponsor: 'rafael.mendes@halden.example',
    budget: { amount: '160000', currency: 'EUR' },
    start: day(-300),
    end: day(-6),
    tags: ['finance'],
  },
] as const;

/** CAB members and when they passed the ITIL course; 400 days ago is expired after 12 months. */
const ITIL_COMPLETIONS: readonly [string, number][] = [
  ['alice.meyer@halden.example', -60],
  ['bob.schulz@halden.example', -200],
  ['carol.nguyen@halden.example', -400],
  ['erin.walsh@halden.example', -30],
];

export async function seedPortfolio(store: Store, by: string, log: (line: string) => void): Promise<void> {
  const at = new Date();
  let created = 0;
  for (const { code, ...fields } of PROJECTS) {
    if ((await store.projects.get(code)) !== null) continue;
    await store.projects.create(
      code,
      { ...fields, tags: [...fields.tags], health: { status: 'green', reason: null } },
      by,
      at,
    );
    created += 1;
  }
  if ((await store.qualifications.get('itil-change')) === null) {
    await store.qualifications.create(
      'itil-change',
      {
        name: 'ITIL change management',
        description: 'ITIL 4 change enablement, the course every CAB approver passes every year',
        validityMonths: 12,
      },
      by,
      at,
    );
  }
  for (const [person, offset] of ITIL_COMPLETIONS) {
    // Once per person: a later start (another day) must not renew the demo's expired member.
    if ((await store.qualifications.completionsOf(person)).length > 0) continue;
    await store.qualifications.record(
      {
        person,
        qualification: 'itil-change',
        completedOn: day(offset),
        source: 'admin',
        evidence: 'course roster',
      },
      by,
      at,
    );
  }
  log(
    `  portfolio: ${created} demo projects created, ITIL completions of ${ITIL_COMPLETIONS.length} CAB members recorded`,
  );
}
