// What My requests and the start chooser read out of API answers: an approver's standing request
// for changes (from the timeline's facts, or the frozen sentences of events from before facts)
// and the policy version a new request starts under (as the store's newestInEffect picks it).
import { changesRequestedOf, type TimelineEvent } from '../../../web/src/pages/requests/changes-requested.js';
import { type PolicyVersion, policyChoices } from '../../../web/src/pages/start/policies-in-effect.js';

let seq = 0;
const event = (e: Partial<TimelineEvent> & { text: string }): TimelineEvent => ({
  seq: (seq += 1),
  at: `2026-03-0${Math.min(seq, 9)}T10:00:00.000Z`,
  type: 'action',
  step: 'cab',
  actor: null,
  onBehalfOf: null,
  ...e,
});

describe('changes requested in a timeline', () => {
  test('when an approver asked for changes, then the step, the approver and the reason are read', () => {
    const found = changesRequestedOf([
      event({ type: 'started', step: null, text: 'started' }),
      event({ actor: 'grace', text: 'grace requested changes to cab: add a rollback plan' }),
    ]);
    expect(found).toEqual([
      expect.objectContaining({ step: 'cab', by: 'grace', actor: 'grace', reason: 'add a rollback plan' }),
    ]);
  });

  test('when a delegate asked on behalf of an approver, then the approver is the one who asked', () => {
    const found = changesRequestedOf([
      event({
        actor: 'grace',
        onBehalfOf: 'frank',
        text: 'grace on behalf of frank requested changes to cab',
      }),
    ]);
    expect(found).toEqual([expect.objectContaining({ by: 'frank', actor: 'grace', reason: null })]);
  });

  test('when the same approver voted later, or the step closed, then the request for changes is settled', () => {
    expect(
      changesRequestedOf([
        event({ actor: 'grace', text: 'grace requested changes to cab: add a rollback plan' }),
        event({ actor: 'grace', text: 'grace approved cab' }),
      ]),
    ).toEqual([]);
    expect(
      changesRequestedOf([
        event({ actor: 'grace', text: 'grace requested changes to cab: add a rollback plan' }),
        event({ type: 'decision', text: 'cab approved: quorum met (2 of 2 needed)' }),
      ]),
    ).toEqual([]);
  });

  test('when events carry facts, then the facts are read and the sentences are not', () => {
    const vote = (actor: string, kind: 'approve' | 'requestChanges', reason: string | null) => ({
      kind: 'vote' as const,
      step: 'cab',
      actor,
      onBehalfOf: actor === 'grace' ? 'frank' : null,
      vote: kind,
      reason,
    });
    // Sentences reworded (or translated) change nothing: only the facts count.
    const asked = event({
      actor: 'grace',
      text: 'Grace bittet um Änderungen',
      fact: vote('grace', 'requestChanges', 'rollback'),
    });
    expect(changesRequestedOf([asked])).toEqual([
      expect.objectContaining({ step: 'cab', by: 'frank', actor: 'grace', reason: 'rollback' }),
    ]);
    const closed = {
      kind: 'approvalClosed' as const,
      step: 'cab',
      outcome: 'approved' as const,
      why: { kind: 'quorumMet' as const, approvers: ['ivan'], needed: 1 },
    };
    expect(changesRequestedOf([asked, event({ type: 'decision', text: '…', fact: closed })])).toEqual([]);
    expect(
      changesRequestedOf([
        asked,
        event({ actor: 'ivan', text: 'ivan approved', fact: vote('ivan', 'approve', null) }),
      ]),
    ).toHaveLength(1);
  });

  test('when a step merely starts with the same letters, then it is not mistaken for the asked one', () => {
    expect(
      changesRequestedOf([
        event({ step: 'cab', actor: 'grace', text: 'grace requested changes to cabinet: x' }),
      ]),
    ).toEqual([]);
  });
});

const version = (name: string, v: number, effective: string): PolicyVersion => ({
  name,
  version: v,
  effective,
  owner: null,
  processes: ['p'],
  publishedBy: 'pmo',
  publishedAt: '2026-01-01T00:00:00.000Z',
});

describe('the version a request starts under', () => {
  test('when versions take effect on different days, then the highest one in effect today is chosen', () => {
    const [choice] = policyChoices(
      [version('A', 1, '2026-01-01'), version('A', 3, '2026-09-01'), version('A', 2, '2026-02-01')],
      '2026-03-01',
    );
    expect(choice?.inEffect?.version).toBe(2);
    expect(choice?.upcoming?.version).toBe(3);
  });

  test('when no version has taken effect, then nothing is startable and the first one is upcoming', () => {
    const [choice] = policyChoices([version('B', 1, '2027-01-01')], '2026-03-01');
    expect(choice).toMatchObject({ inEffect: null, upcoming: { version: 1 } });
  });

  test('when the newest version in effect is retired, then the one before it is what requests start under', () => {
    const retired = { at: '2026-02-15T10:00:00.000Z', by: 'petra', reason: 'wrong approvers' };
    const [choice] = policyChoices(
      [version('C', 1, '2026-01-01'), { ...version('C', 2, '2026-02-01'), retired }],
      '2026-03-01',
    );
    expect(choice?.inEffect?.version).toBe(1);
    const [none] = policyChoices([{ ...version('D', 1, '2026-01-01'), retired }], '2026-03-01');
    expect(none).toMatchObject({ inEffect: null, upcoming: null });
  });
});
