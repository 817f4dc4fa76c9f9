// An approval that requires a qualification, waiting while a qualification lapses, on the
// time-skipping server with the real store and the real API over HTTP. Both places where the
// registry is asked are exercised: the worker, when the escalation a week later resolves its people
// (one of them expired in the meantime, another never held it: neither is added, and the ledger
// says why, per person), and the API, when an approver whose completion expired while the step
// waited tries to approve (refused `not-qualified` with the day it expired, recorded on the
// instance's refused chain). A colleague whose qualification is still valid then approves.
//
// Dates are relative to the server's clock (it starts at the real time): completions made 27 days
// before the start with a validity of one month expire 1 to 4 days after it, inside the 10 days
// skipped; one made the day before stays valid.
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { explainQuery } from '../../workflows/definitions/messages.js';
import type { TimeSkippingCharter } from '../support/time-skipping.js';
import { compiledText, type TimeSkippingApi, useTimeSkippingApi } from '../support/time-skipping-api.js';
import { until } from '../support/until.js';

const POLICY = `policy "Change approval" version 1 effective 2026-01-01
owner "pmo@example.com"
role cab = group "cab"

process change {
  input {
    requester: person
    title: text
  }
  approve cab_review {
    by cab
    not request.requester
    require qualification "itil-change"
    within 14d
    escalate after 7d to group "leads"
    on timeout reject "no CAB decision in 14 days"
  }
  end approved "{request.title} approved"
}
`;

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const LENA = 'lena@example.com';
const LEO = 'leo@example.com';
const RITA = 'rita@example.com';
const DAY_MS = 24 * 3_600_000;

const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

const compiled = (): CompiledPolicy => compiledText('change.charter', POLICY);

describe('a qualification that lapses while an approval waits', () => {
  const started = useTimeSkippingApi(import.meta.url, {
    groups: { cab: [ALICE, BOB, CAROL, RITA], leads: [LENA, LEO] },
    managers: {},
    people: [RITA],
  });
  let charter: TimeSkippingCharter;
  let api: TimeSkippingApi;

  beforeAll(() => {
    charter = started.charter();
    api = started.api();
  });

  const decide = (person: string, taskId: string) =>
    api.post(person, `/tasks/${encodeURIComponent(taskId)}/decide`, { decision: 'approve' });

  test('when the escalation resolves after a qualification lapsed, and when the approver decides after hers did, then both are refused with the day it expired', async () => {
    const { env, store, worker, taskQueue } = charter;
    const start = await env.currentTimeMs();
    const policy = compiled();
    await store.policies.publish({
      compiled: policy,
      sources: [{ path: 'change.charter', text: POLICY }],
      publishedBy: 'pmo@example.com',
      at: new Date(start),
    });
    const at = new Date(start);
    await store.qualifications.create(
      'itil-change',
      { name: 'ITIL change management', description: null, validityMonths: 1 },
      'pmo@example.com',
      at,
    );
    const record = async (person: string, daysBefore: number) =>
      (
        await store.qualifications.record(
          {
            person,
            qualification: 'itil-change',
            completedOn: dayOf(start - daysBefore * DAY_MS),
            source: 'admin',
            evidence: null,
          },
          'pmo@example.com',
          at,
        )
      ).completion.expiresOn ?? '';
    const aliceExpires = await record(ALICE, 27);
    const lenaExpires = await record(LENA, 27);
    await record(BOB, 1);
    // Inside the skipped 10 days, after the start.
    for (const expiry of [aliceExpires, lenaExpires]) {
      expect(expiry > dayOf(start)).toBe(true);
      expect(expiry <= dayOf(start + 5 * DAY_MS)).toBe(true);
    }

    const instanceId = `${taskQueue}-lapse`;
    const taskId = `${instanceId}/cab_review#1`;
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(charterInstance, {
        args: [
          {
            policy,
            process: 'change',
            input: { requester: RITA, title: 'CHG-1' },
            instanceId,
            startedBy: RITA,
          },
        ],
        taskQueue,
        workflowId: instanceId,
      });
      const task = await until(
        'the task',
        () => store.tasks.get(taskId),
        (t) => t?.status === 'open',
      );
      // At the start alice and bob hold it; carol never did; rita is the requester.
      expect(task?.assignees).toEqual([ALICE, BOB]);
      const opened = (await handle.query(explainQuery)).map((d) => d.text);
      expect(opened).toContain(
        `cab_review open to ${ALICE} and ${BOB} (any: 1 needed); not eligible: ${RITA}; not qualified: ${CAROL}: has no qualification itil-change`,
      );

      // Ten days pass: the escalation fires on day 7, after lena's completion expired.
      await env.sleep(10 * DAY_MS);
      const escalated = `cab_review escalated: nobody new to add; not qualified: ${LENA}: qualification itil-change expired ${lenaExpires}; ${LEO}: has no qualification itil-change`;
      await until(
        'the escalation',
        async () => (await handle.query(explainQuery)).map((d) => d.text),
        (texts) => texts.includes(escalated),
      );
      const { events } = await store.audit.query({ instanceId, fact: 'escalated' }, { limit: 10 });
      expect(events.map((e) => e.fact)).toEqual([
        {
          kind: 'escalated',
          step: 'cab_review',
          added: [],
          level: 0,
          unqualified: [
            { person: LENA, qualification: 'itil-change', expiredOn: lenaExpires },
            { person: LEO, qualification: 'itil-change', expiredOn: null },
          ],
        },
      ]);

      // Alice is still assigned, but her qualification expired while the step waited.
      const refused = await decide(ALICE, taskId);
      expect(refused).toMatchObject({
        status: 403,
        body: {
          error: {
            code: 'not-qualified',
            message: `qualification itil-change expired ${aliceExpires}`,
          },
        },
      });
      const attempts = await store.refusals.of(instanceId);
      expect(attempts.map((e) => [e.actor, e.outcome, e.text])).toEqual([
        [ALICE, 'not-qualified', `qualification itil-change expired ${aliceExpires}`],
      ]);
      expect((await store.tasks.get(taskId))?.status).toBe('open');

      const accepted = await decide(BOB, taskId);
      expect(accepted.status).toBe(200);
      return handle.result();
    });

    expect(result).toEqual({ status: 'approved', message: 'CHG-1 approved' });
    expect(await store.audit.verify({ chain: instanceId })).toMatchObject({ ok: true });
  }, 120_000);
});
