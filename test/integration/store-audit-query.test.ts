// AuditLedger's queries against a real MongoDB-wire server: every filter served by one find on
// one index, key-range pages that return each event once in (at, seq, id) order, cursors no other list
// accepts, and the refused chain's racing writers, whose events a query by instance includes.
import { auditCollections, type AuditFilter, AuditLedger } from '../../store/audit.js';
import { encodeCursor, InvalidCursorError } from '../../store/paging.js';
import { RefusalLog } from '../../store/refusals.js';
import { ReportQueries } from '../../store/reports.js';
import { expectIndexedReads } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';
import { chain, policy, t0 } from './fixtures/audit-chains.js';

describe('AuditLedger queries', () => {
  const { client, db } = useStoreDatabase(import.meta.url, auditCollections);
  let ledger: AuditLedger;

  beforeAll(() => {
    ledger = new AuditLedger(db());
  });

  describe('query', () => {
    beforeAll(async () => {
      // Three instances, interleaved in time, with ties on `at` inside and across chains.
      await ledger.append(chain('page-a', 23, 'crm-rollout'));
      await ledger.append(chain('page-b', 17, 'crm-rollout'));
      await ledger.append(chain('page-c', 9, 'dc-move'));
    });

    const key = (e: { at: Date; seq: number; id: string }) =>
      `${e.at.toISOString()} ${String(e.seq).padStart(3, '0')} ${e.id}`;

    test('when every page is followed, then each event comes exactly once in (at, seq, id) order', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await ledger.query(
          { project: 'crm-rollout' },
          after === undefined ? { limit: 7 } : { after, limit: 7 },
        );
        seen.push(...page.events.map(key));
        after = page.next ?? undefined;
        pages++;
      } while (after !== undefined);

      expect(pages).toBe(6); // 40 events, 7 a page
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
      expect(seen).toEqual([...seen].sort());
    });

    test('when two events of one chain share an instant, then they come in seq order, :9 before :10', async () => {
      // Sorted by id text, `page-a:10` came first: an instance's end before the decision that ended it.
      const { events } = await ledger.query({ instanceId: 'page-a' }, { limit: 100 });
      const ids = events.map((e) => e.id);

      expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `page-a:${i + 1}`));
      expect(events[8]!.at).toEqual(events[9]!.at);
    });

    test('when the last page is exactly full, then next is null', async () => {
      const page = await ledger.query({ instanceId: 'page-c' }, { limit: 9 });

      expect(page.events).toHaveLength(9);
      expect(page.next).toBeNull();
    });

    test('when filtered by project, actor and time window, then only matching events come back', async () => {
      const from = new Date(t0 + 5 * 60_000);
      const to = new Date(t0 + 12 * 60_000);

      const { events } = await ledger.query(
        { project: 'crm-rollout', actor: 'carol', from, to },
        { limit: 100 },
      );

      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(e.project).toBe('crm-rollout');
        expect(e.actor).toBe('carol');
        expect(e.at.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(e.at.getTime()).toBeLessThan(to.getTime());
      }
      // Carol acts on every third seq: 6 and 9 fall in minutes [5, 12); seq 12 is at the excluded end.
      expect(events.map((e) => e.id)).toEqual(['page-a:6', 'page-b:6', 'page-a:9', 'page-b:9']);
    });

    test('when filtered by policy, type and outcome, then the equality filters combine', async () => {
      const { events } = await ledger.query(
        {
          policyName: 'change-mgmt',
          policyVersion: 3,
          type: 'decision',
          outcome: 'approved',
          instanceId: 'page-c',
        },
        { limit: 100 },
      );

      expect(events.map((e) => e.id)).toEqual(['page-c:4', 'page-c:8']);
    });

    test('when a cursor was not issued by the ledger, then the query is refused', async () => {
      const garbled = ledger.query({}, { after: 'not-a-cursor', limit: 5 });
      await expect(garbled).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(garbled).rejects.toThrow(/cursor/);
      await expect(ledger.query({}, { limit: 0 })).rejects.toThrow(/limit/);
    });

    test('when a cursor comes from another list, then InvalidCursorError', async () => {
      const foreign = encodeCursor('task_inbox', [new Date(t0), 'page-a:3']);

      await expect(ledger.query({}, { after: foreign, limit: 5 })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    const from = new Date(t0 + 5 * 60_000);
    test.each<[string, AuditFilter, string]>([
      ['instance', { instanceId: 'page-a', actor: 'carol' }, 'instance_at_seq'],
      ['project', { project: 'crm-rollout', outcome: 'approved' }, 'project_at_seq'],
      ['actor', { actor: 'carol', type: 'decision' }, 'actor_at_seq'],
      ['outcome', { outcome: 'approved', policyName: 'change-mgmt' }, 'outcome_at_seq'],
      ['type', { type: 'started', policyName: 'change-mgmt' }, 'type_at_seq'],
      ['policy', { policyName: 'change-mgmt', policyVersion: 3, from }, 'policy_at_seq'],
      ['nothing but a period', { from, to: new Date(t0 + 9 * 60_000) }, 'at_seq_id'],
      ['nothing', {}, 'at_seq_id'],
    ])('when queried by %s, then one find on its index serves it', async (_, filter, index) => {
      const { result, plans } = await expectIndexedReads(client(), db(), () =>
        ledger.query(filter, { limit: 5 }),
      );

      expect(result.events.length).toBeGreaterThan(0);
      expect(plans).toHaveLength(1);
      expect(plans[0]).toContain(`IXSCAN(${index})`);
    });

    test('when a page follows a cursor, then it is one find on the same index', async () => {
      const first = await ledger.query({ project: 'crm-rollout' }, { limit: 7 });

      const { result, plans } = await expectIndexedReads(client(), db(), () =>
        ledger.query({ project: 'crm-rollout' }, { after: first.next!, limit: 7 }),
      );

      expect(result.events[0]!.at.getTime()).toBeGreaterThanOrEqual(first.events.at(-1)!.at.getTime());
      expect(plans).toEqual([expect.stringContaining('IXSCAN(project_at_seq)')]);
    });
  });

  test("when a report streams the ledger, then each of its reads is a find on one of the ledger's indexes", async () => {
    const reports = new ReportQueries(db());
    const from = new Date(t0);

    const { result, plans } = await expectIndexedReads(client(), db(), async () => {
      const started: string[] = [];
      for await (const event of reports.ledgerEvents({ type: 'started', project: 'crm-rollout', from })) {
        started.push(event.instanceId);
      }
      const events: string[] = [];
      for await (const event of reports.eventsOfInstances(started, from)) events.push(event.id);
      return { started: started.sort(), events: events.length };
    });

    expect(result).toEqual({ started: ['page-a', 'page-b'], events: 23 + 17 });
    expect(plans).toEqual([
      expect.stringContaining('IXSCAN(project_at_seq)'),
      expect.stringContaining('IXSCAN(instance_at_seq)'),
    ]);
  });

  describe('refused attempts', () => {
    const attempt = (actor: string) => ({
      instanceId: 'refused-i',
      process: 'change-request',
      project: 'erp-upgrade',
      policy,
      step: 'cab-approval',
      actor,
      onBehalfOf: null,
      code: 'excluded',
      message: `${actor} may not approve their own request`,
      at: new Date(t0),
    });

    test('when five refusals race on one instance, then they take seqs 1 to 5 and the chain verifies', async () => {
      const refusals = new RefusalLog(db());
      const actors = ['ann', 'ben', 'cat', 'dan', 'eve'];

      await Promise.all(actors.map((actor) => refusals.record(attempt(actor))));

      const chain = await refusals.of('refused-i');
      expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(chain.map((e) => e.actor).sort()).toEqual(actors);
      expect(await ledger.verify({ chain: 'refused-i/refused' })).toEqual({ ok: true, chains: 1, events: 5 });
    });

    test("when an instance is queried, then its refused chain's events come with its own", async () => {
      await ledger.append(chain('refused-i', 2));

      const { events } = await ledger.query({ instanceId: 'refused-i' }, { limit: 50 });

      expect(events.map((e) => e.chain).sort()).toEqual([
        'refused-i',
        'refused-i',
        ...Array<string>(5).fill('refused-i/refused'),
      ]);
    });

    test('when a refusal is recorded or listed, then its reads are one indexed find each', async () => {
      const refusals = new RefusalLog(db());

      const { plans } = await expectIndexedReads(client(), db(), async () => {
        await refusals.record(attempt('fay'));
        return refusals.of('refused-i');
      });

      expect(plans.filter((p) => p.includes('IXSCAN(chain_seq)'))).toHaveLength(2);
    });
  });
});
