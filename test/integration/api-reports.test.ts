// The report routes over real HTTP, on tasks opened and closed through the task store at known
// instants (the way the machine's activities do, with the machine's close reasons) and on ledger
// decisions appended the way the workflow writes them: exact nearest-rank percentiles, breach rates
// (late closes and timeout reasons), votes per person with delegated ones apart, open tasks by age
// against a fixed clock, the policy and time-window filters, and 401/403/422.
import type { AuditEventInput, NewTask, TaskKind } from '../../engine/store/index.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface Report<T> {
  window?: { from: string | null; to: string | null };
  at?: string;
  items: T[];
}

// FerretDB answers in ~0.1 s per operation; every task close re-reads its facts.
const SLOW = 90_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const MAY = 'from=2026-05-01T00:00:00.000Z&to=2026-06-01T00:00:00.000Z';

const POLICIES = {
  'change-mgmt': { name: 'change-mgmt', version: 3, sha256: 'c'.repeat(64) },
  'vendor-onboarding': { name: 'vendor-onboarding', version: 1, sha256: 'a'.repeat(64) },
} as const;
type PolicyName = keyof typeof POLICIES;

interface TaskPlan {
  id: string;
  policy: PolicyName;
  step: string;
  kind: TaskKind;
  openedAt: Date;
  /** Deadline after opening (ms); null: no deadline. */
  dueIn: number | null;
  /** Open for this long, then closed with `reason`; absent: still open. */
  close?: { after: number; reason: string };
}

const at = (iso: string) => new Date(iso);
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const closed = (after: number, reason: string) => ({ after, reason });

const plans: TaskPlan[] = [
  // change-mgmt/cab: 1h (closed exactly at the window's start, inclusive), 2h, 3h (timed out at
  // its deadline: a breach by reason only), 4h (closed exactly at its deadline: in time), 10h (6h
  // late), and 24h closed exactly at the window's end (exclusive).
  {
    id: 'cab-1',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-04-30T23:00:00Z'),
    dueIn: 4 * HOUR,
    close: closed(HOUR, 'cab approved'),
  },
  {
    id: 'cab-2',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-05-10T00:00:00Z'),
    dueIn: 4 * HOUR,
    close: closed(2 * HOUR, 'cab rejected'),
  },
  {
    id: 'cab-3',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-05-11T00:00:00Z'),
    dueIn: 3 * HOUR,
    close: closed(3 * HOUR, 'cab approved by timeout'),
  },
  {
    id: 'cab-4',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-05-12T00:00:00Z'),
    dueIn: 4 * HOUR,
    close: closed(4 * HOUR, 'cab approved'),
  },
  {
    id: 'cab-5',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-05-13T00:00:00Z'),
    dueIn: 4 * HOUR,
    close: closed(10 * HOUR, 'cab approved'),
  },
  {
    id: 'cab-6',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: at('2026-05-31T00:00:00Z'),
    dueIn: null,
    close: closed(DAY, 'cab approved'),
  },
  // change-mgmt/security-review: 30 min in time, 90 min failed by its `on timeout fail`.
  {
    id: 'sec-1',
    policy: 'change-mgmt',
    step: 'security-review',
    kind: 'approval',
    openedAt: at('2026-05-05T00:00:00Z'),
    dueIn: HOUR,
    close: closed(30 * MIN, 'security-review approved'),
  },
  {
    id: 'sec-2',
    policy: 'change-mgmt',
    step: 'security-review',
    kind: 'approval',
    openedAt: at('2026-05-06T00:00:00Z'),
    dueIn: HOUR,
    close: closed(90 * MIN, 'security-review failed'),
  },
  // vendor-onboarding/legal (attestations): 2 days in time, 1 day flagged at its deadline, 5 days
  // without a deadline.
  {
    id: 'legal-1',
    policy: 'vendor-onboarding',
    step: 'legal',
    kind: 'attestation',
    openedAt: at('2026-05-02T00:00:00Z'),
    dueIn: 3 * DAY,
    close: closed(2 * DAY, 'legal attested'),
  },
  {
    id: 'legal-2',
    policy: 'vendor-onboarding',
    step: 'legal',
    kind: 'attestation',
    openedAt: at('2026-05-03T00:00:00Z'),
    dueIn: DAY,
    close: closed(DAY, 'legal flagged'),
  },
  {
    id: 'legal-3',
    policy: 'vendor-onboarding',
    step: 'legal',
    kind: 'attestation',
    openedAt: at('2026-05-04T00:00:00Z'),
    dueIn: null,
    close: closed(5 * DAY, 'legal attested'),
  },
  // vendor-onboarding/scan (a waiver, April: outside the May window): its deadline ran out.
  {
    id: 'scan-1',
    policy: 'vendor-onboarding',
    step: 'scan',
    kind: 'waiver',
    openedAt: at('2026-04-01T00:00:00Z'),
    dueIn: 2 * DAY,
    close: closed(2 * DAY, 'scan: no waiver in time'),
  },
  // Still open at NOW.
  { id: 'open-1', policy: 'change-mgmt', step: 'cab', kind: 'approval', openedAt: ago(2 * HOUR), dueIn: DAY },
  {
    id: 'open-2',
    policy: 'change-mgmt',
    step: 'cab',
    kind: 'approval',
    openedAt: ago(2 * DAY),
    dueIn: 2 * DAY - HOUR,
  },
  { id: 'open-3', policy: 'change-mgmt', step: 'cab', kind: 'approval', openedAt: ago(DAY), dueIn: null },
  {
    id: 'open-4',
    policy: 'change-mgmt',
    step: 'security-review',
    kind: 'approval',
    openedAt: ago(10 * DAY),
    dueIn: DAY,
  },
  // Due exactly at NOW: not overdue yet.
  {
    id: 'open-5',
    policy: 'vendor-onboarding',
    step: 'legal',
    kind: 'attestation',
    openedAt: ago(3 * DAY),
    dueIn: 3 * DAY,
  },
  {
    id: 'open-6',
    policy: 'vendor-onboarding',
    step: 'legal',
    kind: 'attestation',
    openedAt: ago(6 * DAY),
    dueIn: 5 * DAY,
  },
];

function newTask(plan: TaskPlan): NewTask {
  return {
    id: `i-${plan.id}/${plan.step}`,
    instanceId: `i-${plan.id}`,
    task: plan.step,
    step: plan.step,
    title: `${plan.step} of ${plan.id}`,
    kind: plan.kind,
    assignees: ['carol.approver@halden.example'],
    dueAt: plan.dueIn === null ? null : new Date(plan.openedAt.getTime() + plan.dueIn),
    openedAt: plan.openedAt,
    policy: POLICIES[plan.policy],
    process: plan.policy,
    project: 'erp-upgrade',
  };
}

const span = { file: 0, line: 4, col: 3, endLine: 4, endCol: 30 };
type Vote =
  { step: string; actor: string; onBehalfOf?: string; text: string } | { step: string; text: string };

/** One instance's chain: `started`, then `lines` a minute apart from `start` (actions when an actor is named). */
function ledger(id: string, policy: PolicyName, start: string, lines: Vote[]): AuditEventInput[] {
  const t0 = Date.parse(start);
  const all = [{ text: `${policy} started by rita@halden.example` }, ...lines];
  return all.map((line, i) => {
    const actor = 'actor' in line ? line.actor : null;
    return {
      chain: id,
      seq: i + 1,
      id: `${id}:${i + 1}`,
      at: new Date(t0 + i * MIN),
      type: i === 0 ? 'started' : actor === null ? 'decision' : 'action',
      instanceId: id,
      process: policy,
      project: 'erp-upgrade',
      policy: POLICIES[policy],
      step: 'step' in line ? line.step : null,
      text: line.text,
      actor,
      onBehalfOf: 'onBehalfOf' in line ? (line.onBehalfOf ?? null) : null,
      outcome: null,
      reasons: [],
      span: 'step' in line ? span : null,
    };
  });
}

const CAROL = 'carol@halden.example';
const DAVE = 'dave@halden.example';
const FRANK = 'frank@halden.example';
const GRACE = 'grace@halden.example';

const decisions: AuditEventInput[][] = [
  ledger('i-votes-1', 'change-mgmt', '2026-05-10T09:00:00Z', [
    { step: 'cab', actor: CAROL, text: `${CAROL} approved cab: fine` },
    { step: 'cab', actor: GRACE, text: `${GRACE} requested changes to cab: add a rollback plan` },
    { step: 'cab', actor: CAROL, onBehalfOf: DAVE, text: `${CAROL} on behalf of ${DAVE} approved cab` },
    { step: 'cab', actor: FRANK, text: `${FRANK} rejected cab: too risky` },
    // Neither is a vote: a waiver, and the step's own decision.
    { step: 'cab', actor: DAVE, text: `${DAVE} waived cab until Mon 6 Jul: accepted` },
    { step: 'cab', text: 'cab rejected: rejected by frank@halden.example (any reject rejects)' },
  ]),
  ledger('i-votes-2', 'vendor-onboarding', '2026-05-12T09:00:00Z', [
    { step: 'legal', actor: CAROL, text: `${CAROL} rejected legal: no DPA` },
    {
      step: 'legal',
      actor: GRACE,
      onBehalfOf: FRANK,
      text: `${GRACE} on behalf of ${FRANK} requested changes to legal: sign the DPA`,
    },
    { step: 'legal', actor: GRACE, onBehalfOf: FRANK, text: `${GRACE} on behalf of ${FRANK} rejected legal` },
  ]),
  // April: outside the May window. Frank "on behalf of" himself is his own vote.
  ledger('i-votes-3', 'change-mgmt', '2026-04-20T09:00:00Z', [
    { step: 'cab', actor: CAROL, text: `${CAROL} approved cab` },
    { step: 'cab', actor: FRANK, onBehalfOf: FRANK, text: `${FRANK} approved cab` },
  ]),
];

const none = { approved: 0, rejected: 0, changesRequested: 0 };

describe('report routes', () => {
  let api: ApiHarness;
  let author: string;
  let auditor: string;
  let admin: string;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    // The app reads deps.now() per request: open-task ages and "overdue" are against this clock.
    api.deps.now = () => new Date(NOW);
    for (const plan of plans) {
      await api.store.tasks.open(newTask(plan));
      if (plan.close !== undefined) {
        const closedAt = new Date(plan.openedAt.getTime() + plan.close.after);
        await api.store.tasks.close(newTask(plan).id, plan.close.reason, closedAt);
      }
    }
    for (const events of decisions) await api.store.audit.append(events);
    author = await api.tokenFor('alice.author@halden.example', ['author']);
    auditor = await api.tokenFor('ines.auditor@halden.example', ['auditor']);
    admin = await api.tokenFor('adam.admin@halden.example', ['admin']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  }, SLOW);

  async function report<T>(path: string, token = auditor): Promise<Report<T>> {
    const answer = await api.call<Report<T>>('GET', `/v1/reports/${path}`, { token });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  }

  test(
    'cycle time: nearest-rank p50 and p90 and the max per policy and step, in the window',
    async () => {
      const may = await report(`cycle-time?${MAY}`, author);
      expect(may.window).toEqual({ from: '2026-05-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' });
      expect(may.items).toEqual([
        { policy: 'change-mgmt', step: 'cab', count: 5, p50Ms: 3 * HOUR, p90Ms: 10 * HOUR, maxMs: 10 * HOUR },
        {
          policy: 'change-mgmt',
          step: 'security-review',
          count: 2,
          p50Ms: 30 * MIN,
          p90Ms: 90 * MIN,
          maxMs: 90 * MIN,
        },
        {
          policy: 'vendor-onboarding',
          step: 'legal',
          count: 3,
          p50Ms: 2 * DAY,
          p90Ms: 5 * DAY,
          maxMs: 5 * DAY,
        },
      ]);

      const all = await report('cycle-time');
      expect(all.window).toEqual({ from: null, to: null });
      expect(all.items).toEqual([
        { policy: 'change-mgmt', step: 'cab', count: 6, p50Ms: 3 * HOUR, p90Ms: DAY, maxMs: DAY },
        expect.objectContaining({ step: 'security-review', count: 2 }),
        expect.objectContaining({ step: 'legal', count: 3 }),
        {
          policy: 'vendor-onboarding',
          step: 'scan',
          count: 1,
          p50Ms: 2 * DAY,
          p90Ms: 2 * DAY,
          maxMs: 2 * DAY,
        },
      ]);

      // Only `to`: what change-mgmt closed before May 10 (cab-1 and both security reviews).
      const early = await report('cycle-time?policy=change-mgmt&to=2026-05-10T00:00:00%2B00:00', admin);
      expect(early.window).toEqual({ from: null, to: '2026-05-10T00:00:00.000Z' });
      expect(early.items).toEqual([
        { policy: 'change-mgmt', step: 'cab', count: 1, p50Ms: HOUR, p90Ms: HOUR, maxMs: HOUR },
        expect.objectContaining({ step: 'security-review', count: 2 }),
      ]);
      expect((await report('cycle-time?policy=no-such-policy')).items).toEqual([]);
    },
    SLOW,
  );

  test(
    'SLA breaches: late closes and timeout reasons, the rate, and open tasks already overdue',
    async () => {
      const may = await report(`sla-breaches?${MAY}`);
      expect(may.items).toEqual([
        { policy: 'change-mgmt', step: 'cab', closed: 5, breached: 2, breachRate: 0.4, openOverdue: 1 },
        {
          policy: 'change-mgmt',
          step: 'security-review',
          closed: 2,
          breached: 1,
          breachRate: 0.5,
          openOverdue: 1,
        },
        {
          policy: 'vendor-onboarding',
          step: 'legal',
          closed: 3,
          breached: 1,
          breachRate: 0.3333,
          openOverdue: 1,
        },
      ]);

      const vendor = await report('sla-breaches?policy=vendor-onboarding', author);
      expect(vendor.items).toEqual([
        {
          policy: 'vendor-onboarding',
          step: 'legal',
          closed: 3,
          breached: 1,
          breachRate: 0.3333,
          openOverdue: 1,
        },
        { policy: 'vendor-onboarding', step: 'scan', closed: 1, breached: 1, breachRate: 1, openOverdue: 0 },
      ]);

      // A window with nothing closed still shows the groups with overdue open tasks, at rate 0.
      const june = await report('sla-breaches?policy=change-mgmt&from=2026-06-01T00:00:01Z');
      expect(june.items).toEqual([
        { policy: 'change-mgmt', step: 'cab', closed: 0, breached: 0, breachRate: 0, openOverdue: 1 },
        {
          policy: 'change-mgmt',
          step: 'security-review',
          closed: 0,
          breached: 0,
          breachRate: 0,
          openOverdue: 1,
        },
      ]);
    },
    SLOW,
  );

  test(
    'approvals by approver: votes per person, delegated ones apart, in the window and the policy',
    async () => {
      const may = await report(`approvals-by-approver?${MAY}`);
      expect(may.items).toEqual([
        {
          person: CAROL,
          approved: 1,
          rejected: 1,
          changesRequested: 0,
          onBehalfOf: { ...none, approved: 1 },
        },
        { person: FRANK, approved: 0, rejected: 1, changesRequested: 0, onBehalfOf: none },
        {
          person: GRACE,
          approved: 0,
          rejected: 0,
          changesRequested: 1,
          onBehalfOf: { approved: 0, rejected: 1, changesRequested: 1 },
        },
      ]);

      const all = await report('approvals-by-approver', admin);
      expect(all.items).toEqual([
        {
          person: CAROL,
          approved: 2,
          rejected: 1,
          changesRequested: 0,
          onBehalfOf: { ...none, approved: 1 },
        },
        { person: FRANK, approved: 1, rejected: 1, changesRequested: 0, onBehalfOf: none },
        expect.objectContaining({ person: GRACE, changesRequested: 1 }),
      ]);

      const vendor = await report('approvals-by-approver?policy=vendor-onboarding');
      expect(vendor.items).toEqual([
        { person: CAROL, approved: 0, rejected: 1, changesRequested: 0, onBehalfOf: none },
        {
          person: GRACE,
          approved: 0,
          rejected: 0,
          changesRequested: 0,
          onBehalfOf: { approved: 0, rejected: 1, changesRequested: 1 },
        },
      ]);
    },
    SLOW,
  );

  test(
    'open tasks by age: buckets and overdue per policy, against the clock of the request',
    async () => {
      const open = await report('open-tasks-by-age');
      expect(open.at).toBe(NOW.toISOString());
      expect(open.items).toEqual([
        // open-3 is exactly one day old: 1-3d, not <1d.
        { policy: 'change-mgmt', total: 4, overdue: 2, byAge: { '<1d': 1, '1-3d': 2, '3-7d': 0, '>7d': 1 } },
        // open-5 is exactly three days old (3-7d) and due exactly now (not overdue).
        {
          policy: 'vendor-onboarding',
          total: 2,
          overdue: 1,
          byAge: { '<1d': 0, '1-3d': 0, '3-7d': 2, '>7d': 0 },
        },
      ]);

      const vendor = await report('open-tasks-by-age?policy=vendor-onboarding', author);
      expect(vendor.items).toEqual([open.items[1]]);

      // A day later everything is a day older, and open-5 and open-1 are overdue too.
      api.deps.now = () => new Date(NOW.getTime() + DAY);
      try {
        const later = await report('open-tasks-by-age');
        expect(later.items).toEqual([
          {
            policy: 'change-mgmt',
            total: 4,
            overdue: 3,
            byAge: { '<1d': 0, '1-3d': 2, '3-7d': 1, '>7d': 1 },
          },
          {
            policy: 'vendor-onboarding',
            total: 2,
            overdue: 2,
            byAge: { '<1d': 0, '1-3d': 0, '3-7d': 1, '>7d': 1 },
          },
        ]);
      } finally {
        api.deps.now = () => new Date(NOW);
      }
    },
    SLOW,
  );

  test(
    'authors, auditors and admins only; bad queries are 422 with the field path',
    async () => {
      const paths = ['cycle-time', 'sla-breaches', 'approvals-by-approver', 'open-tasks-by-age'];
      for (const roles of [['approver'], ['requester'], ['approver', 'requester']] as const) {
        const token = await api.tokenFor('someone@halden.example', [...roles]);
        for (const path of paths) {
          const answer = await api.call<ErrorAnswer>('GET', `/v1/reports/${path}`, { token });
          expect([path, roles, answer.status, answer.body.error.code]).toEqual([
            path,
            roles,
            403,
            'forbidden',
          ]);
        }
      }
      for (const path of paths) {
        const answer = await api.call<ErrorAnswer>('GET', `/v1/reports/${path}`);
        expect([path, answer.status]).toEqual([path, 401]);
        const bogus = await api.call<ErrorAnswer>('GET', `/v1/reports/${path}`, { token: 'not-a-token' });
        expect([path, bogus.status]).toEqual([path, 401]);
      }

      const problems = async (query: string) => {
        const answer = await api.call<ErrorAnswer>('GET', `/v1/reports/${query}`, { token: auditor });
        expect([query, answer.status, answer.body.error.code]).toEqual([query, 422, 'invalid-request']);
        return answer.body.error.problems?.map((p) => p.path);
      };
      for (const path of ['cycle-time', 'sla-breaches', 'approvals-by-approver']) {
        expect(await problems(`${path}?from=2026-06-01T00:00:00Z&to=2026-05-01T00:00:00Z`)).toEqual([
          'query.to',
        ]);
        expect(await problems(`${path}?from=2026-05-01T00:00:00Z&to=2026-05-01T00:00:00Z`)).toEqual([
          'query.to',
        ]);
        expect(await problems(`${path}?from=last-week`)).toEqual(['query.from']);
        expect(await problems(`${path}?polcy=change-mgmt`)).toEqual(['query']);
        expect(await problems(`${path}?policy=a&policy=b`)).toEqual(['query.policy']);
        expect(await problems(`${path}?policy=${'p'.repeat(600)}`)).toEqual(['query.policy']);
      }
      // The age report has no window: `from` is an unknown parameter there.
      expect(await problems('open-tasks-by-age?from=2026-05-01T00:00:00Z')).toEqual(['query']);
      expect(await problems('open-tasks-by-age?policy=')).toEqual(['query.policy']);
    },
    SLOW,
  );
});
