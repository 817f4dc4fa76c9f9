// The report routes over real HTTP, on tasks opened and closed through the task store at known
// instants (the way the machine's activities do, with the machine's close reasons) and on ledger
// decisions appended the way the workflow writes them: exact nearest-rank percentiles, breach rates
// (late closes and timeout reasons), votes per person with delegated ones apart, open tasks by age
// against a fixed clock, the policy and time-window filters, and 401/403/422.
import type { AuditEventInput, NewTask, TaskKind } from '../../store/index.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface Report<T> {
  window?: { from: string | null; to: string | null };
  at?: string;
  items: T[];
}

// Generous: the servers are shared with other suites on 2 cores.
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

type Where = [id: string, policy: PolicyName, step: string, kind: TaskKind];
const closedTask = (
  w: Where,
  openedAt: Date,
  dueIn: number | null,
  after: number,
  reason: string,
): TaskPlan => {
  const [id, policy, step, kind] = w;
  return { id, policy, step, kind, openedAt, dueIn, close: { after, reason } };
};
const openTask = (w: Where, openedAt: Date, dueIn: number | null): TaskPlan => {
  const [id, policy, step, kind] = w;
  return { id, policy, step, kind, openedAt, dueIn };
};
const cab = (id: string): Where => [id, 'change-mgmt', 'cab', 'approval'];
const security = (id: string): Where => [id, 'change-mgmt', 'security-review', 'approval'];
const legal = (id: string): Where => [id, 'vendor-onboarding', 'legal', 'attestation'];

const plans: TaskPlan[] = [
  // change-mgmt/cab: 1h (closed exactly at the window's start, inclusive), 2h, 3h (timed out at
  // its deadline: a breach by reason only), 4h (closed exactly at its deadline: in time), 10h (6h
  // late), and 24h closed exactly at the window's end (exclusive).
  closedTask(cab('cab-1'), at('2026-04-30T23:00:00Z'), 4 * HOUR, HOUR, 'cab approved'),
  closedTask(cab('cab-2'), at('2026-05-10T00:00:00Z'), 4 * HOUR, 2 * HOUR, 'cab rejected'),
  closedTask(cab('cab-3'), at('2026-05-11T00:00:00Z'), 3 * HOUR, 3 * HOUR, 'cab approved by timeout'),
  closedTask(cab('cab-4'), at('2026-05-12T00:00:00Z'), 4 * HOUR, 4 * HOUR, 'cab approved'),
  closedTask(cab('cab-5'), at('2026-05-13T00:00:00Z'), 4 * HOUR, 10 * HOUR, 'cab approved'),
  closedTask(cab('cab-6'), at('2026-05-31T00:00:00Z'), null, DAY, 'cab approved'),
  // change-mgmt/security-review: 30 min in time, 90 min failed by its `on timeout fail`.
  closedTask(security('sec-1'), at('2026-05-05T00:00:00Z'), HOUR, 30 * MIN, 'security-review approved'),
  closedTask(security('sec-2'), at('2026-05-06T00:00:00Z'), HOUR, 90 * MIN, 'security-review failed'),
  // vendor-onboarding/legal (attestations): 2 days in time, 1 day flagged at its deadline, 5 days
  // without a deadline.
  closedTask(legal('legal-1'), at('2026-05-02T00:00:00Z'), 3 * DAY, 2 * DAY, 'legal attested'),
  closedTask(legal('legal-2'), at('2026-05-03T00:00:00Z'), DAY, DAY, 'legal flagged'),
  closedTask(legal('legal-3'), at('2026-05-04T00:00:00Z'), null, 5 * DAY, 'legal attested'),
  // vendor-onboarding/scan (a waiver, April: outside the May window): its deadline ran out.
  closedTask(
    ['scan-1', 'vendor-onboarding', 'scan', 'waiver'],
    at('2026-04-01T00:00:00Z'),
    2 * DAY,
    2 * DAY,
    'scan: no waiver in time',
  ),
  // Still open at NOW; open-5 is due exactly at NOW (not overdue yet).
  openTask(cab('open-1'), ago(2 * HOUR), DAY),
  openTask(cab('open-2'), ago(2 * DAY), 2 * DAY - HOUR),
  openTask(cab('open-3'), ago(DAY), null),
  openTask(security('open-4'), ago(10 * DAY), DAY),
  openTask(legal('open-5'), ago(3 * DAY), 3 * DAY),
  openTask(legal('open-6'), ago(6 * DAY), 5 * DAY),
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
/** A ledger line: an action when it names an actor, else the machine's decision. */
interface Line {
  step?: string;
  actor?: string;
  onBehalfOf?: string;
  text: string;
}

/** One instance's chain: `started`, then `lines` a minute apart from `start` (actions when an actor is named). */
function ledger(id: string, policy: PolicyName, start: string, lines: Line[]): AuditEventInput[] {
  const t0 = Date.parse(start);
  const all: Line[] = [{ text: `${policy} started by rita@halden.example` }, ...lines];
  return all.map((line, i) => ({
    chain: id,
    seq: i + 1,
    id: `${id}:${i + 1}`,
    at: new Date(t0 + i * MIN),
    type: i === 0 ? 'started' : line.actor === undefined ? 'decision' : 'action',
    instanceId: id,
    process: policy,
    project: 'erp-upgrade',
    policy: POLICIES[policy],
    step: line.step ?? null,
    text: line.text,
    actor: line.actor ?? null,
    onBehalfOf: line.onBehalfOf ?? null,
    outcome: null,
    reasons: [],
    span: line.step === undefined ? null : span,
  }));
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

const votes = (approved: number, rejected: number, changesRequested: number) => ({
  approved,
  rejected,
  changesRequested,
});
const none = votes(0, 0, 0);

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
      // (policy, step, closed, breached, breachRate, openOverdue)
      const sla = (policy: PolicyName, step: string, ...n: [number, number, number, number]) => {
        const [closed, breached, breachRate, openOverdue] = n;
        return { policy, step, closed, breached, breachRate, openOverdue };
      };
      // cab: cab-3 (timed out at its deadline) and cab-5 (late); legal: legal-2 (flagged).
      const may = await report(`sla-breaches?${MAY}`);
      expect(may.items).toEqual([
        sla('change-mgmt', 'cab', 5, 2, 0.4, 1),
        sla('change-mgmt', 'security-review', 2, 1, 0.5, 1),
        sla('vendor-onboarding', 'legal', 3, 1, 0.3333, 1),
      ]);
      const vendor = await report('sla-breaches?policy=vendor-onboarding', author);
      expect(vendor.items).toEqual([
        sla('vendor-onboarding', 'legal', 3, 1, 0.3333, 1),
        sla('vendor-onboarding', 'scan', 1, 1, 1, 0),
      ]);
      // Without a window cab-6 (no deadline, in time) counts too.
      const cab = await report('sla-breaches?policy=change-mgmt');
      expect(cab.items).toEqual([
        sla('change-mgmt', 'cab', 6, 2, 0.3333, 1),
        sla('change-mgmt', 'security-review', 2, 1, 0.5, 1),
      ]);
      // A window with nothing closed still shows the groups with overdue open tasks, at rate 0.
      const june = await report('sla-breaches?policy=change-mgmt&from=2026-06-01T00:00:01Z');
      expect(june.items).toEqual([
        sla('change-mgmt', 'cab', 0, 0, 0, 1),
        sla('change-mgmt', 'security-review', 0, 0, 0, 1),
      ]);
    },
    SLOW,
  );

  test(
    'approvals by approver: votes per person, delegated ones apart, in the window and the policy',
    async () => {
      // (person, own votes, votes on behalf of others); the names sort as they are.
      const row = (person: string, own: typeof none, onBehalfOf: typeof none) => ({
        person,
        ...own,
        onBehalfOf,
      });
      const may = await report(`approvals-by-approver?${MAY}`);
      expect(may.items).toEqual([
        row(CAROL, votes(1, 1, 0), votes(1, 0, 0)),
        row(FRANK, votes(0, 1, 0), none),
        row(GRACE, votes(0, 0, 1), votes(0, 1, 1)),
      ]);
      // April adds Carol's approval and Frank's (on behalf of himself: his own vote).
      const all = await report('approvals-by-approver', admin);
      expect(all.items).toEqual([
        row(CAROL, votes(2, 1, 0), votes(1, 0, 0)),
        row(FRANK, votes(1, 1, 0), none),
        row(GRACE, votes(0, 0, 1), votes(0, 1, 1)),
      ]);
      const vendor = await report('approvals-by-approver?policy=vendor-onboarding');
      expect(vendor.items).toEqual([row(CAROL, votes(0, 1, 0), none), row(GRACE, none, votes(0, 1, 1))]);
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
