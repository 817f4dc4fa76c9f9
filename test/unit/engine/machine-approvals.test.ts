// Approvals: resolution through the driver, fail-closed blocking, quorums, veto and early
// rejection, every refusal, delegation, SLA, reminders, escalation and every timeout action.
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { blockedOn, validate } from '../../../engine/machine/index.js';
import { CAB, Driver, processOf } from './machine-support.js';

function approval(clauses: string, after = '  end approved "done"'): CompiledPolicy {
  return processOf(
    '    requester: person\n    sponsor: person optional',
    `  approve review {\n${clauses}\n  }\n${after}`,
  );
}

const CAB_REVIEW = approval(`    by cab
    at least 2 of 3
    any reject rejects
    not request.requester
    within 2 business days on office
    remind every 1 business day
    escalate after 1 business day to group "cio"
    on timeout reject "no CAB decision in time"
    allow delegation`);

/** An open review with alice, bob and carol eligible (rita is the excluded requester). */
function openReview(policy = CAB_REVIEW): Driver {
  const d = new Driver(policy, { requester: 'rita' });
  d.resolveAll(CAB);
  return d;
}

const withoutAudit = (d: Driver) => d.last.filter((c) => c.kind !== 'audit');

describe('approvals', () => {
  test('when an approval opens, then approvers and exclusions are resolved and a task opens for the eligible', () => {
    const d = new Driver(CAB_REVIEW, { requester: 'rita' });
    expect(d.of('resolve')).toEqual([
      { kind: 'resolve', request: 'review#2', step: 'review', refs: [{ kind: 'group', group: 'cab' }] },
      { kind: 'resolve', request: 'review#3', step: 'review', refs: [{ kind: 'person', person: 'rita' }] },
    ]);
    expect(blockedOn(d.state)[0]?.text).toBe('review: resolving approvers');
    d.resolveAll(CAB);
    expect(d.of('openTask')).toEqual([
      {
        kind: 'openTask',
        task: 'review#1',
        step: 'review',
        people: ['alice', 'bob', 'carol'],
        title: 'decide review',
        taskKind: 'approval',
      },
    ]);
    expect(d.texts()).toContain(
      'review open to alice, bob and carol (at least 2 of 3: 2 needed, any reject rejects); not eligible: rita',
    );
  });

  test('when the quorum is met, then the step closes approved with its results and the process goes on', () => {
    const d = openReview();
    d.decide('alice', 'approve');
    expect(d.state.status).toBe('running');
    d.decide('carol', 'approve');
    expect(d.state.results['review']).toEqual({
      approved: true,
      outcome: 'approved',
      approvers: ['alice', 'carol'],
      decided_at: '2026-12-07',
    });
    expect(d.of('closeTask')).toEqual([{ kind: 'closeTask', task: 'review#1', reason: 'review approved' }]);
    expect(d.of('cancelTimer').map((c) => c.timer)).toEqual(['review#4', 'review#5', 'review#6']);
    expect(d.state.status).toBe('approved');
    expect(d.texts()).toContain('review approved: alice and carol approved; 2 approvals were needed');
    expect(d.state.decisions.at(-2)?.fact).toEqual({
      kind: 'approvalClosed',
      step: 'review',
      outcome: 'approved',
      why: { kind: 'quorumMet', approvers: ['alice', 'carol'], needed: 2 },
    });
  });

  test('when an approval is open, then blockedOn says how many approvals are missing, from whom so far and by when', () => {
    const d = openReview();
    d.decide('alice', 'approve');
    expect(blockedOn(d.state)).toEqual([
      {
        step: 'review',
        kind: 'approval',
        text: '1 more approval from review (2 of 3 needed; alice approved); due Wed 2026-12-09 09:00 Europe/Berlin; escalates to group "cio" at Tue 2026-12-08 09:00 Europe/Berlin; then rejected by timeout',
        dueAt: Date.UTC(2026, 11, 9, 8, 0),
      },
    ]);
  });

  test('when the step has a veto, then one rejection rejects the step and ends the process rejected', () => {
    const d = openReview();
    d.decide('alice', 'approve');
    d.decide('bob', 'reject', { reason: 'no backout plan' });
    expect(d.state.results['review']?.['outcome']).toBe('rejected');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('review rejected: rejected by bob (any reject rejects)');
  });

  test('when there is no veto and the quorum can no longer be met, then the step rejects early', () => {
    const d = openReview(approval('    by cab\n    all\n    not request.requester'));
    d.decide('alice', 'reject', { reason: 'no' });
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe(
      'review rejected: it can no longer get the 3 approvals it needs (0 approved, 1 rejected, 2 still to decide)',
    );
  });

  test('when there is no veto and the quorum is still reachable, then a rejection does not close the step', () => {
    const d = openReview(approval('    by cab\n    at least 2\n    not request.requester'));
    d.decide('alice', 'reject', { reason: 'no' });
    expect(d.state.status).toBe('running');
    d.decide('bob', 'approve');
    d.decide('carol', 'approve');
    expect(d.state.results['review']?.['approved']).toBe(true);
  });

  test.each([
    ['any', 1],
    ['all', 4],
    ['majority', 3],
    ['at least 2', 2],
    ['at least 2 of 4', 2],
    ['at least 50%', 2],
    ['at least 60%', 3],
  ])('when the quorum is %s over 4 eligible, then %i approvals are needed', (...[quorum, needed]) => {
    const d = openReview(approval(`    by cab\n    ${quorum}`));
    const waiting = d.state.threads[0]?.waiting;
    expect(waiting?.kind === 'approve' ? waiting.approval.needed : null).toBe(needed);
  });

  test('when at least N of M finds fewer than M eligible, then the step blocks (fail closed) and notifies the first escalation level', () => {
    const d = openReview(
      approval(
        '    by cab\n    at least 2 of 4\n    not request.requester\n    escalate after 1 day to group "cio"',
      ),
    );
    expect(blockedOn(d.state)[0]?.text).toBe(
      'review is blocked: only 3 eligible approvers, at least 4 required; escalates to group "cio" at Tue 2026-12-08 09:00 Europe/Berlin',
    );
    expect(d.of('resolve')).toEqual([
      { kind: 'resolve', request: 'review#5', step: 'review', refs: [{ kind: 'group', group: 'cio' }] },
    ]);
    d.resolveAll({ cio: ['zed'] });
    expect(d.of('notify')).toEqual([
      {
        kind: 'notify',
        step: 'review',
        recipients: ['zed'],
        message: 'review is blocked and needs attention: only 3 eligible approvers, at least 4 required',
      },
    ]);
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'alice', decision: 'approve' }),
    ).toEqual({
      code: 'step-blocked',
      message: 'review is blocked: only 3 eligible approvers, at least 4 required',
    });
  });

  test('when a blocked step escalates, then the escalated people join the eligible and the step opens if the quorum can be met', () => {
    const d = openReview(
      approval(
        '    by cab\n    at least 2 of 4\n    not request.requester\n    escalate after 1 day to group "cio"',
      ),
    );
    d.resolveAll({ cio: ['zed'] });
    d.fire('escalate');
    d.resolveAll({ cio: ['zed'] });
    expect(d.texts()).toContain(
      'review open to alice, bob, carol and zed after escalation (at least 2 of 4: 2 needed)',
    );
    expect(d.of('openTask')).toEqual([
      {
        kind: 'openTask',
        task: 'review#1',
        step: 'review',
        people: ['alice', 'bob', 'carol', 'zed'],
        title: 'decide review',
        taskKind: 'approval',
      },
    ]);
    d.decide('zed', 'approve');
    d.decide('alice', 'approve');
    expect(d.state.status).toBe('approved');
  });

  test('when a blocked step reaches its deadline with on timeout approve, then it is rejected by timeout, never approved', () => {
    const d = new Driver(approval('    by group "nobody-here"\n    within 4h\n    on timeout approve'), {
      requester: 'rita',
    });
    d.resolveAll({});
    d.fire('sla');
    expect(d.state.results['review']).toMatchObject({ approved: false, outcome: 'rejected by timeout' });
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toContain(
      'not approved by timeout because it is blocked: group "nobody-here": unknown group',
    );
  });

  test('when a blocked step reaches its deadline with on timeout reject, then it ends rejected by timeout instead of waiting forever', () => {
    const d = new Driver(approval('    by group "nobody-here"\n    within 4h\n    on timeout reject'), {
      requester: 'rita',
    });
    d.resolveAll({});
    expect(d.state.timers.map((t) => t.purpose)).toEqual(['sla']);
    d.fire('sla');
    expect(d.state.status).toBe('rejected');
  });

  test('when the directory reports a problem, then the step blocks with that reason and never approves', () => {
    const d = new Driver(approval('    by group "nobody-here"'), { requester: 'rita' });
    d.resolveAll({});
    expect(blockedOn(d.state)[0]?.text).toBe('review is blocked: group "nobody-here": unknown group');
    expect(d.state.results['review']).toBeUndefined();
  });

  test('when everyone resolved is excluded, then the step blocks with no eligible approver', () => {
    const d = new Driver(approval('    by group "board"\n    not request.requester'), {
      requester: 'rita',
    });
    d.resolveAll({ board: ['rita'] });
    expect(blockedOn(d.state)[0]?.text).toBe('review is blocked: no eligible approver');
  });

  test('when an approver field is unset, then the step blocks without asking the directory', () => {
    const d = new Driver(approval('    by request.sponsor'), { requester: 'rita' });
    expect(d.of('resolve')).toEqual([]);
    expect(blockedOn(d.state)[0]?.text).toBe('review is blocked: request.sponsor is not set');
  });

  test.each([
    [
      'someone outside the approvers',
      { actor: 'mallory', decision: 'approve' },
      'not-an-approver',
      'mallory is not an approver of review',
    ],
    [
      'the excluded requester',
      { actor: 'rita', decision: 'approve' },
      'excluded',
      'rita may not decide review: excluded by segregation of duties',
    ],
    [
      'the excluded requester as a delegate',
      { actor: 'rita', onBehalfOf: 'bob', decision: 'approve' },
      'excluded',
      'rita may not decide review: excluded by segregation of duties',
    ],
    [
      'a rejection without a reason',
      { actor: 'bob', decision: 'reject' },
      'reason-required',
      'a rejection of review needs a reason',
    ],
    [
      'a change request where not allowed',
      { actor: 'bob', decision: 'requestChanges' },
      'changes-not-allowed',
      'review does not allow requesting changes',
    ],
  ] as const)('when %s decides, then the decision is refused', (...[, decision, code, message]) => {
    const d = openReview();
    const event = { kind: 'decide', at: d.at, step: 'review', ...decision } as const;
    expect(validate(d.state, event)).toEqual({ code, message });
    const before = JSON.stringify(d.state);
    expect(d.send(event)).toEqual([]);
    expect(JSON.stringify(d.state)).toBe(before);
  });

  test('when a person decides twice, then the second decision is refused as already decided', () => {
    const d = openReview();
    d.decide('alice', 'approve');
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'alice', decision: 'approve' }),
    ).toEqual({
      code: 'already-decided',
      message: 'alice has already decided review',
    });
    expect(
      validate(d.state, {
        kind: 'decide',
        at: d.at,
        step: 'review',
        actor: 'bob',
        onBehalfOf: 'alice',
        decision: 'approve',
      })?.code,
    ).toBe('already-decided');
  });

  test('when a decision names a step that is not open, then it is refused', () => {
    const d = openReview();
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'other', actor: 'alice', decision: 'approve' }),
    ).toEqual({
      code: 'step-not-open',
      message: 'other is not open for decisions',
    });
  });

  test('when delegation is not allowed, then a decision on behalf of someone is refused', () => {
    const d = openReview(approval('    by cab'));
    expect(
      validate(d.state, {
        kind: 'decide',
        at: d.at,
        step: 'review',
        actor: 'bob',
        onBehalfOf: 'alice',
        decision: 'approve',
      }),
    ).toEqual({
      code: 'delegation-not-allowed',
      message: 'review does not allow delegation: bob cannot decide for alice',
    });
  });

  test('when delegation is allowed, then the decision records the actor and on whose behalf', () => {
    const d = openReview();
    d.decide('dave', 'approve', { onBehalfOf: 'alice' });
    const decision = d.state.decisions.at(-1);
    expect(decision).toMatchObject({
      text: 'dave on behalf of alice approved review',
      actor: 'dave',
      onBehalfOf: 'alice',
    });
    d.decide('bob', 'approve');
    expect(d.state.results['review']?.['approvers']).toEqual(['alice', 'bob']);
  });

  test('when changes are allowed, then a change request is recorded and does not decide', () => {
    const d = openReview(approval('    by cab\n    allow changes'));
    d.decide('alice', 'requestChanges', { reason: 'add a backout plan' });
    expect(d.texts()).toContain('alice requested changes to review: add a backout plan');
    expect(d.state.status).toBe('running');
    d.decide('alice', 'approve');
    expect(d.state.results['review']?.['approved']).toBe(true);
  });

  test('when someone approved a distinct from step, then they may not decide this one', () => {
    const policy = processOf(
      '    requester: person',
      '  approve first {\n    by cab\n  }\n  approve review {\n    by cab\n    distinct from first\n  }',
    );
    const d = new Driver(policy, { requester: 'rita' });
    d.resolveAll(CAB);
    d.decide('alice', 'approve', { step: 'first' });
    d.resolveAll(CAB);
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'alice', decision: 'approve' }),
    ).toEqual({
      code: 'distinct-from',
      message: 'alice may not decide review: alice approved first',
    });
    expect(d.texts()).toContain('review open to bob, carol and rita (any: 1 needed); not eligible: alice');
  });

  test('when a reminder timer fires, then the undecided are reminded and the timer is re-armed', () => {
    const d = openReview();
    d.decide('alice', 'approve');
    d.fire('remind');
    expect(withoutAudit(d)).toEqual([
      {
        kind: 'notify',
        step: 'review',
        recipients: ['bob', 'carol'],
        message: 'reminder: review awaits your decision; due Wed 2026-12-09 09:00 Europe/Berlin',
      },
      {
        kind: 'startTimer',
        timer: 'review#7',
        step: 'review',
        at: Date.UTC(2026, 11, 9, 8, 0),
        purpose: 'remind',
      },
    ]);
  });

  test('when an escalation timer fires, then its people are resolved, added as deciders and notified', () => {
    const d = openReview();
    d.fire('escalate');
    expect(d.of('resolve')).toEqual([
      { kind: 'resolve', request: 'review#7', step: 'review', refs: [{ kind: 'group', group: 'cio' }] },
    ]);
    d.resolveAll({ cio: ['zed', 'rita'] });
    expect(withoutAudit(d)).toEqual([
      { kind: 'addToTask', task: 'review#1', people: ['zed'] },
      {
        kind: 'notify',
        step: 'review',
        recipients: ['zed'],
        message: 'review has been escalated to you for a decision',
      },
    ]);
    d.decide('zed', 'approve');
    d.decide('bob', 'approve');
    expect(d.state.results['review']?.['approvers']).toEqual(['zed', 'bob']);
  });

  test('when the deadline passes with on timeout reject, then the step is rejected by timeout', () => {
    const d = openReview();
    d.fire('sla');
    expect(d.state.results['review']).toMatchObject({ approved: false, outcome: 'rejected by timeout' });
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('review rejected by timeout: no CAB decision in time');
  });

  test('when the deadline passes with on timeout approve, then it is approved by timeout but .approved stays false', () => {
    const d = openReview(approval('    by cab\n    within 4h\n    on timeout approve'));
    d.fire('sla');
    expect(d.state.results['review']).toMatchObject({ approved: false, outcome: 'approved by timeout' });
    expect(d.state.status).toBe('approved');
    expect(d.state.message).toBe('done');
  });

  test('when the deadline passes with on timeout fail, then the process ends rejected: failed: deadline passed', () => {
    const d = openReview(approval('    by cab\n    within 4h\n    on timeout fail'));
    d.fire('sla');
    expect(d.state.results['review']?.['outcome']).toBe('failed');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('failed: deadline passed');
  });

  test('when the deadline passes with on timeout escalate, then deciders are added and no further deadline is set', () => {
    const d = openReview(approval('    by cab\n    within 4h\n    on timeout escalate to group "cio"'));
    d.fire('sla');
    d.resolveAll({ cio: ['zed'] });
    expect(d.of('addToTask')).toEqual([{ kind: 'addToTask', task: 'review#1', people: ['zed'] }]);
    expect(d.state.timers).toEqual([]);
    expect(blockedOn(d.state)[0]?.text).toBe('1 more approval from review (1 of 5 needed; none yet)');
    d.decide('zed', 'approve');
    expect(d.state.results['review']?.['approved']).toBe(true);
  });

  test('when a timer or answer is unknown, then it is refused', () => {
    const d = openReview();
    expect(validate(d.state, { kind: 'timerFired', at: d.at, timer: 'nope' })).toEqual({
      code: 'unknown-timer',
      message: 'no running timer nope',
    });
    expect(
      validate(d.state, { kind: 'resolved', at: d.at, request: 'review#2', people: [], problems: [] }),
    ).toEqual({
      code: 'unknown-request',
      message: 'no open request review#2',
    });
  });
  test('when an approval still resolving is cancelled, then no task is closed and the instance ends cancelled', () => {
    const d = new Driver(CAB_REVIEW, { requester: 'rita' });
    d.send({ kind: 'cancel', at: d.at, actor: 'pmo', reason: 'withdrawn' });
    expect(withoutAudit(d)).toEqual([{ kind: 'finished', outcome: 'cancelled', message: 'withdrawn' }]);
    expect(
      validate(d.state, { kind: 'resolved', at: d.at, request: 'review#2', people: [], problems: [] })?.code,
    ).toBe('ended');
  });
});
