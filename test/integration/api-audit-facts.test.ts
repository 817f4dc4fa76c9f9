// Facts, not sentences: ledger events that carry the machine's typed fact (engine/facts) are
// classified, filtered and exported by their fact. Their sentences here are in German on purpose:
// rewording or translating what people read must not change a compliance report. Events from
// before facts (sentence only) sit in the same ledger, and every chain still verifies.
import type { Fact } from '../../engine/facts/index.js';
import type { AuditEventInput } from '../../store/index.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

const SLOW = 90_000;
const policy = { name: 'emergency-cab', version: 1, sha256: 'e'.repeat(64) };
const moment = { at: Date.parse('2026-03-02T13:00:00Z'), zone: 'Europe/Berlin' };

type Entry = { fact: Fact; text: string; type?: string };

function chain(id: string, entries: Entry[]): AuditEventInput[] {
  const t0 = Date.parse('2026-03-02T09:00:00Z');
  return entries.map((entry, i) => {
    const acting =
      entry.fact.kind === 'vote' || entry.fact.kind === 'waived'
        ? { actor: entry.fact.actor, onBehalfOf: entry.fact.onBehalfOf }
        : { actor: null, onBehalfOf: null };
    return {
      chain: id,
      seq: i + 1,
      id: `${id}:${i + 1}`,
      at: new Date(t0 + i * 60_000),
      type: entry.type ?? (acting.actor ? 'action' : 'decision'),
      instanceId: id,
      process: 'emergency_change',
      project: 'depot',
      policy,
      step: 'step' in entry.fact ? entry.fact.step : null,
      text: entry.text,
      ...acting,
      outcome: entry.fact.kind === 'ended' ? entry.fact.outcome : null,
      reasons: [],
      span: null,
      fact: entry.fact,
    };
  });
}

const started: Entry = {
  type: 'started',
  text: 'Notfalländerung gestartet',
  fact: { kind: 'started', process: 'emergency_change', by: 'ben' },
};

const scenario = [
  chain('f-1', [
    started,
    {
      text: 'Alice bittet um Änderungen',
      fact: {
        kind: 'vote',
        step: 'ecab',
        actor: 'alice',
        onBehalfOf: null,
        vote: 'requestChanges',
        reason: 'x',
      },
    },
    {
      text: 'Keine Entscheidung rechtzeitig; übergeben',
      fact: { kind: 'approvalTimedOut', step: 'ecab', dueAt: moment, action: 'escalate' },
    },
    {
      text: 'an den CIO übergeben',
      fact: { kind: 'handedOver', step: 'ecab', to: ['zed'], level: -1 },
    },
    {
      text: 'Zed genehmigt',
      fact: { kind: 'vote', step: 'ecab', actor: 'zed', onBehalfOf: null, vote: 'approve', reason: null },
    },
    {
      type: 'ended',
      text: 'Prozess genehmigt',
      fact: { kind: 'ended', outcome: 'approved', message: 'ok' },
    },
  ]),
  chain('f-2', [
    started,
    {
      text: 'Prüfung fehlgeschlagen; Ausnahme nötig',
      fact: {
        kind: 'checkFailed',
        step: 'scan',
        cause: 'service',
        because: 'scan failed',
        message: 'scan failed',
        onFail: { action: 'waiver', dueAt: moment },
      },
    },
    {
      text: 'Dave verzichtet für Erin',
      fact: {
        kind: 'waived',
        step: 'scan',
        actor: 'dave',
        onBehalfOf: 'erin',
        reason: 'accepted',
        failure: 'scan failed',
        until: null,
      },
    },
    {
      type: 'ended',
      text: 'Prozess genehmigt',
      fact: { kind: 'ended', outcome: 'approved', message: 'ok' },
    },
  ]),
];

describe('audit by facts', () => {
  let api: ApiHarness;
  let auditor: string;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    for (const events of scenario) await api.store.audit.append(events);
    auditor = await api.tokenFor('ines.auditor@halden.example', ['auditor']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  }, SLOW);

  const get = <T>(path: string) => api.call<T>('GET', path, { token: auditor });

  test(
    'the summary counts votes, waivers, failed checks and timeouts from facts, whatever the sentences say',
    async () => {
      const answer = await get<{ groups: Record<string, unknown>[] }>(
        '/v1/audit/summary?policy=emergency-cab',
      );
      expect(answer.status).toBe(200);
      expect(answer.body.groups).toEqual([
        expect.objectContaining({
          instances: 2,
          ended: { approved: 2, rejected: 0, cancelled: 0 },
          // f-2 approved over a failed (waived) check: compliant; f-1 escalated on timeout.
          failedChecks: 1,
          waivers: 1,
          timeoutOutcomes: { approvedByTimeout: 0, rejectedByTimeout: 0, failed: 0, escalated: 1 },
        }),
      ]);
    },
    SLOW,
  );

  test(
    'events filter by the kind of fact and by step, and carry their fact',
    async () => {
      const votes = await get<{ items: { id: string; fact: Fact }[] }>('/v1/audit/events?fact=vote');
      expect(votes.body.items.map((e) => e.id)).toEqual(['f-1:2', 'f-1:5']);
      expect(votes.body.items[1]?.fact).toEqual({
        kind: 'vote',
        step: 'ecab',
        actor: 'zed',
        onBehalfOf: null,
        vote: 'approve',
        reason: null,
      });
      const scan = await get<{ items: { id: string }[] }>('/v1/audit/events?step=scan&instance=f-2');
      expect(scan.body.items.map((e) => e.id)).toEqual(['f-2:2', 'f-2:3']);
      const bad = await get<{ error: { problems: { path: string }[] } }>('/v1/audit/events?fact=opinion');
      expect(bad.status).toBe(422);
      expect(bad.body.error.problems.map((p) => p.path)).toEqual(['query.fact']);
    },
    SLOW,
  );

  test(
    'the fact is hashed: the chains verify, and a CSV export carries it for offline re-verification',
    async () => {
      const verify = await get<{ ok: boolean; events: number }>('/v1/audit/verify');
      expect(verify.body).toMatchObject({ ok: true, events: 10 });
      const csv = await api.call('GET', '/v1/audit/export?format=csv&instance=f-1', {
        token: auditor,
      });
      const header = csv.text.split('\r\n')[0]?.split(',') ?? [];
      expect(header).toContain('fact');
      expect(csv.text).toContain('""kind"":""handedOver""');
    },
    SLOW,
  );
});
