// Waivers (`on fail require waiver by X within D [valid for V]`) for rule and external checks, and
// reallocation: who may waive, what a waiver lets through, what happens when none comes in time or
// when it expires; and how the capacity service's answer continues or blocks the process.
import { blockedOn, validate } from '../../../engine/machine/index.js';
import { Driver, HOUR, processOf } from './machine-support.js';

const INPUT = `    requester: person
    budget: money EUR
    project: text optional`;
const DAY = 24 * HOUR;

const ruleWaiver = (clauses = '', after = '  end approved "went on"'): Driver => {
  const d = new Driver(
    processOf(
      INPUT,
      `  check small: require request.budget < 100 EUR on fail require waiver by cab within 2 days${clauses}\n${after}`,
    ),
    { requester: 'rita', budget: { amount: 500, currency: 'EUR' } },
  );
  d.resolveAll({ cab: ['bob', 'alice'] });
  return d;
};

const waive = (d: Driver, actor: string, reason = 'accepted risk', onBehalfOf?: string) =>
  d.send({
    kind: 'waive',
    at: d.at + HOUR,
    step: 'small',
    actor,
    reason,
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });

describe('waivers', () => {
  test('when a check fails with a waiver on fail, then a waiver task opens to the approvers with a deadline', () => {
    const d = ruleWaiver();
    expect(d.of('openTask', 'all')).toEqual([
      {
        kind: 'openTask',
        task: 'small#3',
        step: 'small',
        people: ['alice', 'bob'],
        title: 'waive small: check small did not hold: request.budget = 500 EUR is not below 100 EUR',
        taskKind: 'waiver',
      },
    ]);
    expect(d.of('startTimer', 'all')).toEqual([
      { kind: 'startTimer', timer: 'small#1', step: 'small', at: d.at + 2 * DAY, purpose: 'waiverDue' },
    ]);
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state)[0]).toMatchObject({ kind: 'waiver', dueAt: d.at + 2 * DAY });
  });

  test('when someone who is not a waiver approver waives, then it is refused', () => {
    const d = ruleWaiver();
    const event = { kind: 'waive', at: d.at, step: 'small', actor: 'mallory', reason: 'x' } as const;
    expect(validate(d.state, event)?.code).toBe('not-a-waiver-approver');
    const forOther = { ...event, actor: 'mallory', onBehalfOf: 'bob' };
    expect(validate(d.state, forOther)?.code).toBe('not-a-waiver-approver');
  });

  test('when a waiver has no reason, then it is refused', () => {
    const d = ruleWaiver();
    const event = { kind: 'waive', at: d.at, step: 'small', actor: 'bob', reason: '  ' } as const;
    expect(validate(d.state, event)?.code).toBe('reason-required');
  });

  test('when an approver waives, then the check is waived, the task closes and the process goes on', () => {
    const d = ruleWaiver();
    waive(d, 'bob', 'one-off purchase', 'alice');
    expect(d.state.results['small']).toEqual({ passed: false, waived: true, outcome: 'waived' });
    expect(d.of('closeTask', 'all')).toEqual([
      { kind: 'closeTask', task: 'small#3', reason: 'small waived' },
    ]);
    expect(d.of('cancelTimer', 'all')).toEqual([{ kind: 'cancelTimer', timer: 'small#1' }]);
    const decision = d.state.decisions.find((x) => x.text.startsWith('bob on behalf of alice waived small'));
    expect(decision).toMatchObject({ actor: 'bob', onBehalfOf: 'alice' });
    expect(d.state.status).toBe('approved');
  });

  test('when the waiver deadline passes without a waiver, then the failure stands and the process ends rejected', () => {
    const d = ruleWaiver();
    d.fire('waiverDue');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toMatch(/^small: no waiver in time \(check small did not hold/);
    expect(d.state.results['small']).toEqual({ passed: false, waived: false, outcome: 'failed' });
    expect(d.texts()).toContain('small: no waiver in time from alice and bob; the failure stands');
    expect(d.of('closeTask')).toHaveLength(1);
  });

  test('when the waiver approvers cannot be resolved, then it blocks and the deadline still ends it rejected', () => {
    const d = new Driver(
      processOf(
        INPUT,
        '  check small: require request.budget < 100 EUR on fail require waiver by cab within 2 days',
      ),
      { requester: 'rita', budget: { amount: 500, currency: 'EUR' } },
    );
    d.resolveAll({ cab: [] });
    expect(blockedOn(d.state)[0]).toMatchObject({ kind: 'blocked' });
    d.fire('waiverDue');
    expect(d.state.status).toBe('rejected');
  });

  test('when a waiver valid for a period expires, then the check is re-run and must be waived again', () => {
    const d = ruleWaiver(' valid for 1 day', '  wait 10 days\n  end approved "went on"');
    waive(d, 'bob');
    const expiry = d.state.timers.find((t) => t.purpose === 'waiverExpiry');
    expect(expiry?.at).toBe(d.at + DAY);
    d.fire('waiverExpiry');
    expect(d.texts()).toContain('small: waiver expired; re-running the check');
    // The rule still fails: a new waiver is asked for while the process waits on its wait step.
    expect(d.state.results['small']?.['outcome']).toBe('failed');
    d.resolveAll({ cab: ['bob'] });
    expect(blockedOn(d.state).map((b) => b.kind)).toEqual(['timer', 'waiver']);
    d.fire('waiverDue');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toMatch(/^small: no waiver in time/);
  });

  test('when the process reaches its end while an expired waiver is re-asked, then it waits and ends approved only once waived again', () => {
    const d = ruleWaiver(' valid for 1 day', '  wait 1 day\n  end approved "went on"');
    waive(d, 'bob');
    d.fire('waiverExpiry');
    d.resolveAll({ cab: ['bob'] });
    d.fire('wait');
    expect(d.state.status).toBe('running');
    expect(d.texts()).toContain('the process reached its end; it ends once the re-run of small settles');
    expect(blockedOn(d.state).map((b) => b.kind)).toEqual(['waiver']);
    waive(d, 'bob', 'renewed for the migration');
    expect(d.state.status).toBe('approved');
    expect(d.state.message).toBe('went on');
  });

  test('when the process reaches its end and the re-asked waiver never comes, then it ends rejected, not approved', () => {
    const d = ruleWaiver(' valid for 1 day', '  wait 1 day\n  end approved "went on"');
    waive(d, 'bob');
    d.fire('waiverExpiry');
    d.resolveAll({ cab: ['bob'] });
    d.fire('wait');
    d.fire('waiverDue');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toMatch(/^small: no waiver in time/);
  });

  test('when an external check waiver expires, then a new runCheck is emitted and a pass clears it', () => {
    const d = new Driver(
      processOf(
        INPUT,
        '  check scan: external "scanner" on fail require waiver by cab within 2 days valid for 1 day\n  wait 10 days',
      ),
      { requester: 'rita', budget: { amount: 1, currency: 'EUR' } },
    );
    d.send({ kind: 'checkResult', at: d.at, request: 'scan#1', outcome: 'failed', detail: 'old TLS' });
    d.resolveAll({ cab: ['bob'] });
    d.send({ kind: 'waive', at: d.at + HOUR, step: 'scan', actor: 'bob', reason: 'fix planned' });
    expect(d.state.results['scan']?.['outcome']).toBe('waived');
    d.fire('waiverExpiry');
    const rerun = d.of('runCheck');
    expect(rerun).toHaveLength(1);
    d.send({ kind: 'checkResult', at: d.at + HOUR, request: rerun[0]?.request ?? '', outcome: 'passed' });
    expect(d.state.results['scan']).toEqual({ passed: true, waived: false, outcome: 'passed' });
    expect(d.state.rechecks).toEqual([]);
    expect(blockedOn(d.state).map((b) => b.kind)).toEqual(['timer']);
  });

  test('when an instance with an open waiver is cancelled, then the waiver task and its timer close', () => {
    const d = ruleWaiver();
    d.send({ kind: 'cancel', at: d.at + HOUR, actor: 'pmo', reason: 'stopped' });
    expect(d.of('closeTask')).toEqual([{ kind: 'closeTask', task: 'small#3', reason: 'stopped' }]);
    expect(d.of('cancelTimer')).toEqual([{ kind: 'cancelTimer', timer: 'small#1' }]);
    expect(d.state.status).toBe('cancelled');
  });
});

const reallocation = (project?: string): Driver =>
  new Driver(
    processOf(
      INPUT,
      '  reallocate dba: 40 hours of skill "dba" from pool "shared" to project request.project for 2 weeks priority high\n  end approved "done"',
    ),
    { requester: 'rita', budget: { amount: 1, currency: 'EUR' }, ...(project ? { project } : {}) },
  );

describe('reallocation', () => {
  test('when a reallocation is reached, then the capacity service is asked and the instance waits', () => {
    const d = reallocation('apollo');
    expect(d.of('reallocate')).toEqual([
      {
        kind: 'reallocate',
        request: 'dba#1',
        step: 'dba',
        hours: 40,
        skill: 'dba',
        pool: 'shared',
        project: 'apollo',
        period: { amount: 2, unit: 'week', business: false, calendar: null },
        periodMs: 14 * DAY,
        priority: 'high',
      },
    ]);
    expect(blockedOn(d.state)[0]?.kind).toBe('reallocation');
  });

  test('when the hours are allocated, then the results say so and the process goes on', () => {
    const d = reallocation('apollo');
    d.send({
      kind: 'reallocated',
      at: d.at + HOUR,
      request: 'dba#1',
      outcome: 'allocated',
      detail: 'from team b',
    });
    expect(d.state.results['dba']).toEqual({ allocated: true, hours: 40 });
    expect(d.state.status).toBe('approved');
  });

  test('when capacity is insufficient, then the instance blocks with the reason and does not go on', () => {
    const d = reallocation('apollo');
    d.send({
      kind: 'reallocated',
      at: d.at + HOUR,
      request: 'dba#1',
      outcome: 'insufficient',
      detail: '12 of 40 hours free',
    });
    expect(d.state.status).toBe('running');
    expect(d.state.results['dba']).toEqual({ allocated: false, hours: 0 });
    expect(blockedOn(d.state)).toEqual([
      {
        step: 'dba',
        kind: 'blocked',
        text: 'dba is blocked: insufficient capacity: 12 of 40 hours free',
        dueAt: null,
      },
    ]);
  });

  test('when the project is not set, then the reallocation blocks without asking the service', () => {
    const d = reallocation();
    expect(d.of('reallocate')).toEqual([]);
    expect(blockedOn(d.state)[0]?.text).toBe('dba is blocked: the project (request.project) is not set');
  });
});
