// `/metrics` over real HTTP with the real runtime: only admins, auditors and the PMO read it; it
// is Prometheus's text format; requests count by route template (never by raw path), Updates
// the API sent are timed, and the installation's figures follow what happened: an open task, then
// none, the instance started and approved in the fold, the ledger's events.
import { growAndSign } from '../../workflows/ledger/signer.js';
import { purchasePolicy } from '../support/purchase-policy.js';
import { type ApiHarness, startApiHarness } from '../support/api.js';
import { until } from '../support/until.js';

const POLICY = 'metrics-purchase';
const RITA = 'rita@halden.example';
const MARK = 'mark@halden.example';

let api: ApiHarness;
let auditor: string;

beforeAll(async () => {
  api = await startApiHarness(import.meta.url);
  await api.store.directory.seedFromWorld({ groups: {}, managers: { [RITA]: MARK }, people: [RITA, MARK] });
  await api.publish(purchasePolicy(POLICY), 'purchase.charter');
  auditor = await api.tokenFor('audit@halden.example', ['auditor']);
}, 90_000);

afterAll(async () => {
  await api?.close();
});

/** One sample's value from the text format: `name{labels} value`; null when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

const scrape = async (): Promise<string> => {
  const answer = await api.call('GET', '/metrics', { token: auditor });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return answer.text;
};

test('when /metrics is asked without a token or by a requester, then 401 and 403 in the error shape', async () => {
  const requester = await api.tokenFor(RITA, ['requester']);

  const none = await api.call<{ error: { code: string } }>('GET', '/metrics');
  const refused = await api.call<{ error: { code: string } }>('GET', '/metrics', { token: requester });

  expect(none.status).toBe(401);
  expect(none.body.error.code).toBe('unauthorized');
  expect(refused.status).toBe(403);
});

test('when an instance is started, decided and folded, then requests, the Update, the open task and the outcome show', async () => {
  const rita = await api.tokenFor(RITA, ['requester']);
  const mark = await api.tokenFor(MARK, ['approver']);
  const started = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
    token: rita,
    body: {
      policy: POLICY,
      process: 'purchase',
      input: { requester: RITA, item: 'laptop', budget: '900 EUR' },
    },
  });
  expect(started.status).toBe(201);
  const inbox = await until(
    "the task in Mark's inbox",
    () => api.call<{ items: { id: string }[] }>('GET', '/v1/tasks/inbox', { token: mark }),
    (answer) => answer.body.items.length > 0,
  );
  const task = inbox.body.items[0]!;
  const open = await scrape();
  expect(sample(open, 'charter_tasks_open')).toBe(1);

  const decided = await api.call('POST', `/v1/tasks/${encodeURIComponent(task.id)}/decide`, {
    token: mark,
    body: { decision: 'approve' },
  });
  expect(decided.status).toBe(200);
  await until(
    'the task closed',
    () => api.store.tasks.get(task.id),
    (t) => t?.status === 'closed',
  );
  await growAndSign(api.store, null, () => new Date());
  await api.store.dashboards.foldAll(() => new Date());
  // The installation's figures are read at most every 10 s: wait out the first read.
  const after = await until(
    'no open task in /metrics',
    scrape,
    (text) => sample(text, 'charter_tasks_open') === 0,
    20_000,
  );

  expect(
    sample(after, 'charter_http_requests_total', { method: 'POST', route: '/v1/instances', status: '201' }),
  ).toBe(1);
  expect(sample(after, 'charter_http_requests_total', { route: '/v1/tasks/:id/decide', status: '200' })).toBe(
    1,
  );
  expect(after).not.toContain(task.id);
  expect(
    sample(after, 'charter_workflow_update_duration_seconds_count', { update: 'decide', result: 'answered' }),
  ).toBe(1);
  expect(
    sample(after, 'charter_workflow_starts_total', { workflow: 'charterInstance', result: 'started' }),
  ).toBe(1);
  expect(sample(after, 'charter_instances_total', { policy: POLICY, outcome: 'started' })).toBe(1);
  expect(sample(after, 'charter_instances_total', { policy: POLICY, outcome: 'approved' })).toBe(1);
  expect(sample(after, 'charter_ledger_events_total')).toBeGreaterThanOrEqual(5);
  expect(sample(after, 'charter_outbox_pending')).toBe(0);
  expect(sample(after, 'nodejs_eventloop_lag_seconds')).not.toBeNull();
}, 120_000);
