// An attestation that grants a qualification (`grants qualification "itil-change" to
// request.trainee`), on the time-skipping server with the real store and the API over HTTP. While
// the registry lacks the qualification the API refuses the attestation (`unknown-qualification`,
// on the refused chain, the task still open); once the PMO adds it, the attestation records the
// trainee's completion (source `attestation`, recorded by the attester, the instance and the
// evidence named), the ledger's `attested` entry says so, and the next step, which requires the
// qualification of the trainee, admits them at once.
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { compiledText, type TimeSkippingApi, useTimeSkippingApi } from '../support/time-skipping-api.js';
import type { TimeSkippingCharter } from '../support/time-skipping.js';
import { until } from '../support/until.js';

const POLICY = `policy "Approver onboarding" version 1 effective 2026-01-01
owner "pmo@example.com"

process onboarding {
  input {
    trainee: person
  }
  check course:
    attest by group "leads" "the trainee passed the ITIL change exam" with evidence
      grants qualification "itil-change" to request.trainee
      within 14d
  approve first_change {
    by request.trainee
    require qualification "itil-change"
    within 14d
    on timeout reject "no first change"
  }
  end approved "{request.trainee} approves changes"
}
`;

const BEN = 'ben@example.com';
const LENA = 'lena@example.com';
const RITA = 'rita@example.com';
const PMO = 'pmo@example.com';

const compiled = (): CompiledPolicy => compiledText('onboarding.charter', POLICY);

describe('an attestation that grants a qualification', () => {
  const started = useTimeSkippingApi(import.meta.url, {
    groups: { leads: [LENA] },
    managers: {},
    people: [BEN, RITA],
  });
  let charter: TimeSkippingCharter;
  let api: TimeSkippingApi;

  beforeAll(() => {
    charter = started.charter();
    api = started.api();
  });

  test('when the registry lacks it the attestation is refused; once added, the attestation records the completion and the trainee may decide', async () => {
    const { env, store, worker, taskQueue } = charter;
    const start = await env.currentTimeMs();
    const policy = compiled();
    await store.policies.publish({
      compiled: policy,
      sources: [{ path: 'onboarding.charter', text: POLICY }],
      publishedBy: PMO,
      at: new Date(start),
    });
    const instanceId = `${taskQueue}-grant`;
    const openTask = (step: string) =>
      until(
        `the open task of ${step}`,
        async () =>
          (await store.tasks.ofInstance(instanceId)).find((t) => t.step === step && t.status === 'open'),
        (t) => t !== undefined,
      ).then((t) => t!);
    let attestTask = '';
    let day = '';
    const attest = () =>
      api.post(LENA, `/tasks/${encodeURIComponent(attestTask)}/attest`, { evidence: 'PeopleCert 4511' });

    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(charterInstance, {
        args: [{ policy, process: 'onboarding', input: { trainee: BEN }, instanceId, startedBy: RITA }],
        taskQueue,
        workflowId: instanceId,
      });
      attestTask = (await openTask('course')).id;

      // No `itil-change` in the registry yet: nothing would be recorded, so nothing is attested.
      expect(await attest()).toMatchObject({
        status: 409,
        body: {
          error: {
            code: 'unknown-qualification',
            message:
              'course grants qualification "itil-change", which is not in the registry; an admin must add it before the attestation can be recorded',
          },
        },
      });
      expect((await store.refusals.of(instanceId)).map((e) => [e.actor, e.outcome])).toEqual([
        [LENA, 'unknown-qualification'],
      ]);
      expect((await store.tasks.get(attestTask))?.status).toBe('open');
      expect(await store.qualifications.completionsOf(BEN)).toEqual([]);

      const added = new Date(await env.currentTimeMs());
      await store.qualifications.create(
        'itil-change',
        { name: 'ITIL change management', description: null, validityMonths: 12 },
        PMO,
        added,
      );
      const attested = await attest();
      expect(attested.status).toBe(200);
      day = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);

      const task = await openTask('first_change');
      expect(task.assignees).toEqual([BEN]);
      const completions = await store.qualifications.completionsOf(BEN);
      expect(completions).toEqual([
        expect.objectContaining({
          person: BEN,
          qualification: 'itil-change',
          completedOn: day,
          source: 'attestation',
          recordedBy: LENA,
          evidence: `${instanceId}/course: PeopleCert 4511`,
        }),
      ]);
      expect(completions[0]?.expiresOn?.slice(0, 4)).toBe(String(Number(day.slice(0, 4)) + 1));

      const decided = await api.post(BEN, `/tasks/${encodeURIComponent(task.id)}/decide`, {
        decision: 'approve',
      });
      expect(decided.status).toBe(200);
      return handle.result();
    });

    expect(result).toEqual({ status: 'approved', message: `${BEN} approves changes` });
    const { events } = await store.audit.query({ instanceId, fact: 'attested' }, { limit: 10 });
    expect(events.map((e) => e.fact)).toEqual([
      expect.objectContaining({
        kind: 'attested',
        actor: LENA,
        evidence: 'PeopleCert 4511',
        grants: { qualification: 'itil-change', people: [BEN], completedOn: day },
      }),
    ]);
    expect(events[0]?.text).toContain(`itil-change recorded for ${BEN}, completed ${day}`);
    expect(await store.audit.verify({ chain: instanceId })).toMatchObject({ ok: true });
  }, 120_000);
});
