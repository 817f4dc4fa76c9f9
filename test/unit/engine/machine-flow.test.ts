// The process machine's control flow: input defaults, if/else with explanations, end, rule checks
// and their on-fail modes, notify, wait, cancel, and the steps this slice blocks on explicitly.
import { blockedOn, explain, start, step, validate } from '../../../engine/machine/index.js';
import { Driver, HOUR, MONDAY_9, processOf } from './machine-support.js';

const INPUT = `    requester: person
    risk: "low" | "medium" | "high" = "low"
    budget: money EUR
    window: date optional`;

describe('control flow', () => {
  test('when an input field is missing and has a default, then the default is applied at start', () => {
    const d = new Driver(processOf(INPUT, '  end approved "ok"'), {
      requester: 'rita',
      budget: { amount: 1, currency: 'EUR' },
    });
    expect(d.state.input['risk']).toBe('low');
    expect(d.state.status).toBe('approved');
    expect(d.state.message).toBe('ok');
    expect(d.of('finished')).toEqual([{ kind: 'finished', outcome: 'approved', message: 'ok' }]);
  });

  const branches = `  if request.risk == "high" {
    end rejected "too risky"
  } else if request.budget > 50_000 EUR {
    end cancelled "too costly for {request.requester}"
  } else {
    end approved "fine"
  }`;

  test('when the first condition holds, then its branch runs and the decision says why', () => {
    const d = new Driver(processOf(INPUT, branches), {
      requester: 'rita',
      risk: 'high',
      budget: { amount: 1, currency: 'EUR' },
    });
    expect(d.state.status).toBe('rejected');
    const decision = explain(d.state).find((x) => x.step === 'if_1');
    expect(decision?.text).toBe(
      'if_1: branch 1 taken: the condition on line 15 held because request.risk = "high"',
    );
    expect(decision?.span?.line).toBe(15);
    expect(decision?.reasons?.[0]?.text).toBe('request.risk = "high"');
  });

  test('when an else-if condition holds, then that branch runs with the failed conditions recorded', () => {
    const d = new Driver(processOf(INPUT, branches), {
      requester: 'rita',
      budget: { amount: 80_000, currency: 'EUR' },
    });
    expect(d.state.status).toBe('cancelled');
    expect(d.state.message).toBe('too costly for rita');
    expect(d.texts()).toContain(
      'if_1: branch 2 taken: the condition on line 17 held because request.budget = 80,000 EUR > 50,000 EUR (the condition on line 15 did not hold: request.risk = "low" is not "high")',
    );
  });

  test('when no condition holds, then the else branch runs', () => {
    const d = new Driver(processOf(INPUT, branches), {
      requester: 'rita',
      budget: { amount: 10, currency: 'EUR' },
    });
    expect(d.state.status).toBe('approved');
    expect(d.texts().some((t) => t.startsWith('if_1: else taken: '))).toBe(true);
  });

  test('when the process runs off its last step, then it ends approved', () => {
    const d = new Driver(processOf(INPUT, '  check ok: require request.risk == "low"'), {
      requester: 'r',
      budget: { amount: 1, currency: 'EUR' },
    });
    expect(d.state.status).toBe('approved');
    expect(d.state.results['ok']).toEqual({ passed: true, waived: false, outcome: 'passed' });
  });

  test('when a rule check fails with on fail stop, then the process ends with its outcome and message', () => {
    const policy = processOf(
      INPUT,
      '  check small: require request.budget < 100 EUR else "budget {request.budget} too high"\n  end approved "never"',
    );
    const d = new Driver(policy, { requester: 'r', budget: { amount: 500, currency: 'EUR' } });
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('budget 500 EUR too high');
    expect(d.state.results['small']).toEqual({ passed: false, waived: false, outcome: 'failed' });
  });

  test('when a rule check reads an unset value, then it fails closed', () => {
    const policy = processOf(
      INPUT,
      '  check has_window: require request.window > 2026-01-01 on fail stop cancelled',
    );
    const d = new Driver(policy, { requester: 'r', budget: { amount: 1, currency: 'EUR' } });
    expect(d.state.status).toBe('cancelled');
    expect(d.state.results['has_window']?.['passed']).toBe(false);
  });

  test('when a rule check fails with on fail continue flagged, then it is recorded and the process goes on', () => {
    const policy = processOf(
      INPUT,
      '  check small: require request.budget < 100 EUR on fail continue flagged\n  end approved "went on"',
    );
    const d = new Driver(policy, { requester: 'r', budget: { amount: 500, currency: 'EUR' } });
    expect(d.state.status).toBe('approved');
    expect(d.state.results['small']).toEqual({ passed: false, waived: false, outcome: 'flagged' });
    expect(d.texts().some((t) => t.includes('continued flagged'))).toBe(true);
  });

  test('when a notify step runs, then recipients are resolved and the rendered message is sent', () => {
    const policy = processOf(
      INPUT,
      '  notify heads_up: request.requester, cab: "budget is {request.budget}"',
    );
    const d = new Driver(policy, { requester: 'rita', budget: { amount: 10, currency: 'EUR' } });
    expect(d.of('resolve')).toEqual([
      {
        kind: 'resolve',
        request: 'heads_up#1',
        step: 'heads_up',
        refs: [
          { kind: 'person', person: 'rita' },
          { kind: 'group', group: 'cab' },
        ],
      },
    ]);
    d.resolveAll({ cab: ['bob', 'alice'] });
    expect(d.of('notify')).toEqual([
      { kind: 'notify', step: 'heads_up', recipients: ['alice', 'bob', 'rita'], message: 'budget is 10 EUR' },
    ]);
    expect(d.state.status).toBe('approved');
  });

  test('when a wait for step runs, then a timer is started and its firing continues the process', () => {
    const d = new Driver(processOf(INPUT, '  wait 2h\n  end approved "done"'), {
      requester: 'r',
      budget: { amount: 1, currency: 'EUR' },
    });
    expect(d.of('startTimer')).toEqual([
      { kind: 'startTimer', timer: 'wait_1#1', step: 'wait_1', at: MONDAY_9 + 2 * HOUR, purpose: 'wait' },
    ]);
    expect(blockedOn(d.state)[0]?.text).toBe('wait_1: waiting until Mon 2026-12-07 11:00 Europe/Berlin');
    d.fire('wait');
    expect(d.state.status).toBe('approved');
    expect(d.state.timers).toEqual([]);
  });

  test('when a wait until date has passed, then the process continues at once and records it', () => {
    const d = new Driver(processOf(INPUT, '  wait until request.window\n  end approved "done"'), {
      requester: 'r',
      budget: { amount: 1, currency: 'EUR' },
      window: '2026-01-01',
    });
    expect(d.state.status).toBe('approved');
    expect(d.texts()).toContain('wait_1: 2026-01-01 has passed; continuing at once');
    expect(d.state.results['wait_1']).toEqual({ until: '2026-01-01' });
  });

  test('when a wait until date is in the future, then a timer waits for local midnight of that date', () => {
    const d = new Driver(processOf(INPUT, '  wait until request.window'), {
      requester: 'r',
      budget: { amount: 1, currency: 'EUR' },
      window: '2026-12-09',
    });
    expect(d.of('startTimer')[0]?.at).toBe(Date.UTC(2026, 11, 8, 23, 0));
  });

  test('when an instance is cancelled, then open tasks and timers are closed and it ends cancelled', () => {
    const policy = processOf(
      INPUT,
      '  approve review {\n    by cab\n    within 2 business days on office\n    on timeout reject\n  }',
    );
    const d = new Driver(policy, { requester: 'rita', budget: { amount: 1, currency: 'EUR' } });
    d.resolveAll({ cab: ['alice'] });
    d.send({ kind: 'cancel', at: MONDAY_9 + HOUR, actor: 'pmo', reason: 'project stopped' });
    expect(d.last.filter((c) => c.kind !== 'audit')).toEqual([
      { kind: 'closeTask', task: 'review#1', reason: 'project stopped' },
      { kind: 'cancelTimer', timer: 'review#3' },
      { kind: 'finished', outcome: 'cancelled', message: 'project stopped' },
    ]);
    expect(d.state.status).toBe('cancelled');
    expect(blockedOn(d.state)).toEqual([]);
  });

  test('when an event arrives after the end, then it is refused and the state is unchanged', () => {
    const d = new Driver(processOf(INPUT, '  end approved "ok"'), {
      requester: 'r',
      budget: { amount: 1, currency: 'EUR' },
    });
    const event = { kind: 'cancel', at: MONDAY_9, actor: 'x', reason: 'late' } as const;
    expect(validate(d.state, event)).toEqual({ code: 'ended', message: 'instance i1 has ended approved' });
    const out = step(d.state, event);
    expect(out.state).toBe(d.state);
    expect(out.commands).toEqual([]);
  });

  test('when a decision is logged, then an audit command with a deterministic id carries it', () => {
    const out = start(
      processOf(INPUT, '  end approved "ok"'),
      'p',
      { requester: 'r', budget: { amount: 1, currency: 'EUR' } },
      {
        instanceId: 'inst',
        startedAt: MONDAY_9,
        startedBy: 'rita',
      },
    );
    const audits = out.commands.filter((c) => c.kind === 'audit');
    expect(audits.map((a) => a.id)).toEqual(['inst:1', 'inst:2']);
    expect(out.state.decisions.map((x) => x.text)).toEqual([
      'p started by rita',
      'process ended approved: ok',
    ]);
  });
});
