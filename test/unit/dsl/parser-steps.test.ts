// The parser on every step form and approval clause of LANGUAGE.md, with the spans they keep.
import type { ApproveStep, CheckStep, PolicyFile, Span, Step } from '../../../dsl/ast/types.js';
import { parse } from '../../../dsl/parse/index.js';

const covered = (text: string, span: Span): string => text.slice(span.offset, span.end);

function parseClean(text: string): PolicyFile {
  const { ast, diagnostics } = parse(text, 'steps.charter');
  expect(diagnostics).toEqual([]);
  return ast;
}

/** The steps of `process p { <body> }`, and the full text for span checks. */
function steps(body: string): { steps: Step[]; text: string } {
  const text = `process p {\n${body}\n}`;
  const process = parseClean(text).declarations[0];
  if (process?.kind !== 'process') throw new Error('no process');
  return { steps: process.steps, text };
}

function one<K extends Step['kind']>(
  body: string,
  kind: K,
): { step: Extract<Step, { kind: K }>; text: string } {
  const { steps: all, text } = steps(body);
  const [step] = all;
  if (all.length !== 1 || step?.kind !== kind) throw new Error(`expected one ${kind} step`);
  return { step: step as Extract<Step, { kind: K }>, text };
}

describe('approve', () => {
  const approve = (clauses: string): { step: ApproveStep; text: string } =>
    one(`approve review {\n${clauses}\n}`, 'approve');

  test('when every clause is present, then each lands in its field with its span', () => {
    const { step, text } = approve(`by cab, manager of request.requester
at least 2 of 3
any reject rejects
not request.requester
distinct from first, second
within 2 business days on office
remind every 1 business day
escalate after 2 business days to it_director
escalate after 3 days to group "cio"
on timeout reject "too late"
allow delegation
allow changes`);

    expect(step.id.name).toBe('review');
    expect(step.by.map((b) => b.kind)).toEqual(['role', 'managerOf']);
    expect(step.quorum).toMatchObject({ kind: 'atLeast', count: { value: 2 }, of: { value: 3 } });
    expect(covered(text, step.veto!)).toBe('any reject rejects');
    expect(step.exclude).toMatchObject([{ kind: 'path' }]);
    expect(step.distinctFrom.map((d) => d.name)).toEqual(['first', 'second']);
    expect(step.within).toMatchObject({
      duration: { amount: 2, unit: 'day', business: true, calendar: { name: 'office' } },
    });
    expect(covered(text, step.within!.span)).toBe('within 2 business days on office');
    expect(step.remindEvery).toMatchObject({ amount: 1, unit: 'day', business: true, calendar: null });
    expect(step.escalations.map((e) => [e.after.amount, e.to[0]?.kind])).toEqual([
      [2, 'role'],
      [3, 'group'],
    ]);
    expect(step.onTimeout).toMatchObject({ kind: 'reject', message: { parts: ['too late'] } });
    expect(covered(text, step.allowDelegation!)).toBe('allow delegation');
    expect(covered(text, step.allowChanges!)).toBe('allow changes');
  });

  test.each([
    ['any', { kind: 'any' }],
    ['all', { kind: 'all' }],
    ['majority', { kind: 'majority' }],
    ['at least 2', { kind: 'atLeast', count: { value: 2 }, of: null }],
    ['at least 60%', { kind: 'percent', percent: { value: 60 } }],
  ])('when the quorum is `%s`, then it is built', (source, expected) => {
    const { step, text } = approve(`by cab\n${source}`);

    expect(step.quorum).toMatchObject(expected);
    expect(covered(text, step.quorum!.span)).toBe(source);
  });

  test('when `within` is followed by `on timeout`, then `on` is not taken for a calendar', () => {
    const { step } = approve('by cab\nwithin 48h\non timeout escalate to it_director');

    expect(step.within).toMatchObject({ duration: { amount: 48, unit: 'hour', calendar: null } });
    expect(step.onTimeout).toMatchObject({
      kind: 'escalate',
      to: [{ kind: 'role', name: { name: 'it_director' } }],
    });
  });

  test('when reminders and escalations name calendars, then each duration keeps its own with its span', () => {
    const { step, text } = approve(
      'by cab\nwithin 2 business days on berlin\nremind every 4 business hours on plant\n' +
        'escalate after 1 business day on plant to it_director\non timeout reject',
    );

    const within = step.within!.duration;
    expect(covered(text, within.span)).toBe('2 business days');
    expect(covered(text, within.calendar!.span)).toBe('berlin');
    expect(covered(text, step.within!.span)).toBe('within 2 business days on berlin');
    expect(covered(text, step.remindEvery!.span)).toBe('4 business hours');
    expect(step.remindEvery?.calendar?.name).toBe('plant');
    expect(covered(text, step.remindEvery!.calendar!.span)).toBe('plant');
    const [escalation] = step.escalations;
    expect(covered(text, escalation!.after.span)).toBe('1 business day');
    expect(covered(text, escalation!.after.calendar!.span)).toBe('plant');
    expect(covered(text, escalation!.span)).toBe('escalate after 1 business day on plant to it_director');
    expect(escalation?.to).toMatchObject([{ kind: 'role', name: { name: 'it_director' } }]);
    expect(step.onTimeout).toMatchObject({ kind: 'reject' });
  });

  test('when `remind every` is followed by `on timeout`, then `on` is not taken for a calendar', () => {
    const { step } = approve('by cab\nremind every 1 business day\non timeout approve');

    expect(step.remindEvery).toMatchObject({ amount: 1, calendar: null });
    expect(step.onTimeout).toMatchObject({ kind: 'approve' });
  });

  test('when ladder levels escalate and hand over, then each keeps its kind, order and span', () => {
    const { step, text } = approve(
      'by cab\nwithin 3 business days on office\nescalate after 1 business day to it_director\n' +
        'hand over after 2 business days on plant to cio, group "cio-office"\nescalate after 3 days to ceo',
    );

    expect(step.escalations.map((e) => [e.after.amount, e.handover, e.to.length])).toEqual([
      [1, false, 1],
      [2, true, 2],
      [3, false, 1],
    ]);
    const handover = step.escalations[1]!;
    expect(covered(text, handover.span)).toBe(
      'hand over after 2 business days on plant to cio, group "cio-office"',
    );
    expect(handover.after.calendar?.name).toBe('plant');
    expect(handover.to).toMatchObject([
      { kind: 'role', name: { name: 'cio' } },
      { kind: 'group', id: { value: 'cio-office' } },
    ]);
  });

  test.each([
    ['escalate', false],
    ['hand over', true],
  ] as const)(
    'when the timeout action is `%s to`, then it keeps its people and handover %s',
    (verb, handover) => {
      const { step, text } = approve(`by cab\nwithin 4h\non timeout ${verb} to cio, request.sponsor`);

      expect(step.onTimeout).toMatchObject({
        kind: 'escalate',
        handover,
        to: [{ kind: 'role' }, { kind: 'path' }],
      });
      expect(covered(text, step.onTimeout!.span)).toBe(`${verb} to cio, request.sponsor`);
    },
  );

  test.each(['approve', 'fail'] as const)(
    'when the timeout action is `%s`, then it has no message unless given',
    (action) => {
      const { step } = approve(`by cab\non timeout ${action}`);

      expect(step.onTimeout).toMatchObject({ kind: action, message: null });
    },
  );
});

describe('checks', () => {
  const check = (source: string): { step: CheckStep; text: string } => one(source, 'check');

  test('when a rule check has a message, then condition and message are kept', () => {
    const { step, text } = check('check ok: require request.a > 1 else "too small"');

    expect(step.id.name).toBe('ok');
    expect(step.check).toMatchObject({ kind: 'require', message: { parts: ['too small'] } });
    expect(covered(text, step.check.span)).toBe('require request.a > 1 else "too small"');
    expect(step.onFail).toBeNull();
  });

  test('when an external check has timeout and retry, then both are kept', () => {
    const { step } = check('check scan: external "scanner" timeout 2h retry 3');

    expect(step.check).toMatchObject({
      kind: 'external',
      service: { value: 'scanner' },
      timeout: { amount: 2 },
      retry: { value: 3 },
    });
  });

  test('when an attestation has evidence and a deadline, then both are kept', () => {
    const { step } = check('check lic: attest by security "reviewed" with evidence within 3 days');

    expect(step.check).toMatchObject({
      kind: 'attest',
      by: [{ kind: 'role' }],
      statement: { value: 'reviewed' },
      evidence: true,
      within: { amount: 3, unit: 'day' },
    });
  });

  test.each([
    ['on fail stop', { kind: 'stop', outcome: 'rejected', message: null }],
    ['on fail stop cancelled "gone"', { kind: 'stop', outcome: 'cancelled', message: { parts: ['gone'] } }],
    ['on fail continue flagged', { kind: 'continue' }],
    [
      'on fail require waiver by security within 5 days valid for 90 days',
      { kind: 'waiver', within: { amount: 5 }, validFor: { amount: 90 } },
    ],
  ])('when the check says `%s`, then the failure policy is built', (source, expected) => {
    const { step, text } = check(`check c: require true ${source}`);

    expect(step.onFail).toMatchObject(expected);
    expect(covered(text, step.onFail!.span)).toBe(source);
  });
});

describe('calendars after clause durations', () => {
  const check = (source: string): { step: CheckStep; text: string } => one(source, 'check');

  test('when an external check names a calendar for its timeout, then the calendar is kept and `retry` follows', () => {
    const { step, text } = check('check scan: external "scanner" timeout 4 business hours on plant retry 2');

    expect(step.check).toMatchObject({
      kind: 'external',
      timeout: { amount: 4, unit: 'hour', business: true, calendar: { name: 'plant' } },
      retry: { value: 2 },
    });
    expect(covered(text, step.check.span)).toBe(
      'external "scanner" timeout 4 business hours on plant retry 2',
    );
  });

  test('when an attestation names a calendar and `on fail` follows, then the check span ends at the calendar', () => {
    const { step, text } = check(
      'check lic: attest by security "reviewed" within 3 business days on berlin on fail continue flagged',
    );

    expect(step.check).toMatchObject({ kind: 'attest', within: { calendar: { name: 'berlin' } } });
    expect(covered(text, step.check.span)).toBe(
      'attest by security "reviewed" within 3 business days on berlin',
    );
    expect(step.onFail).toMatchObject({ kind: 'continue' });
  });

  test('when an attestation deadline is followed by `on fail`, then `on` is not taken for a calendar', () => {
    const { step } = check('check lic: attest by security "reviewed" within 3 days on fail stop');

    expect(step.check).toMatchObject({ kind: 'attest', within: { amount: 3, calendar: null } });
    expect(step.onFail).toMatchObject({ kind: 'stop' });
  });

  test('when a waiver names calendars for both durations, then each keeps its own with its span', () => {
    const source =
      'on fail require waiver by security within 1 business day on berlin valid for 90 days on plant';
    const { step, text } = check(`check c: require true ${source}`);

    const waiver = step.onFail;
    if (waiver?.kind !== 'waiver') throw new Error('expected a waiver');
    expect(covered(text, waiver.within.span)).toBe('1 business day');
    expect(covered(text, waiver.within.calendar!.span)).toBe('berlin');
    expect(covered(text, waiver.validFor!.span)).toBe('90 days');
    expect(covered(text, waiver.validFor!.calendar!.span)).toBe('plant');
    expect(covered(text, waiver.span)).toBe(source);
  });

  test('when a wait and a reallocation name calendars, then the durations keep them', () => {
    const { steps: all, text } = steps(
      'wait 2 business days on berlin\n' +
        'reallocate 8 hours of skill "dba" from pool "ops" to project request.p for 5 business days on plant priority low',
    );

    const [wait, reallocate] = all;
    if (wait?.kind !== 'wait' || wait.wait.kind !== 'for' || reallocate?.kind !== 'reallocate')
      throw new Error('expected a wait and a reallocation');
    expect(covered(text, wait.wait.duration.span)).toBe('2 business days');
    expect(covered(text, wait.wait.duration.calendar!.span)).toBe('berlin');
    expect(covered(text, wait.span)).toBe('wait 2 business days on berlin');
    expect(reallocate.period).toMatchObject({ amount: 5, calendar: { name: 'plant' } });
    expect(covered(text, reallocate.period.calendar!.span)).toBe('plant');
    expect(reallocate.priority?.value).toBe('low');
  });
});

describe('other steps', () => {
  test('when a reallocation is complete, then every part is kept', () => {
    const { step, text } = one(
      'reallocate cover: 40 hours of skill "dba" from pool "shared" to project request.project for 2 weeks priority high',
      'reallocate',
    );

    expect(step).toMatchObject({
      id: { name: 'cover' },
      hours: { value: 40 },
      skill: { value: 'dba' },
      pool: { value: 'shared' },
      project: { kind: 'path' },
      period: { amount: 2, unit: 'week' },
      priority: { value: 'high' },
    });
    expect(covered(text, step.span)).toMatch(/^reallocate cover: 40 hours .* priority high$/);
  });

  test('when a notify names its step, then the id and the recipients are told apart', () => {
    const { step } = one('notify heads_up: request.requester, cab: "hello"', 'notify');

    expect(step.id?.name).toBe('heads_up');
    expect(step.recipients.map((r) => r.kind)).toEqual(['path', 'role']);
  });

  test('when a notify has no id, then the recipients come first', () => {
    const { step } = one('notify cab: "hello"', 'notify');

    expect(step.id).toBeNull();
    expect(step.recipients).toMatchObject([{ kind: 'role', name: { name: 'cab' } }]);
  });

  test('when waits are for a duration and until a date, then both forms are built', () => {
    const { steps: all } = steps('wait 3 days\nwait later: until request.window + 2d');

    expect(all).toMatchObject([
      { kind: 'wait', id: null, wait: { kind: 'for', duration: { amount: 3, unit: 'day' } } },
      { kind: 'wait', id: { name: 'later' }, wait: { kind: 'until', date: { kind: 'binary', op: '+' } } },
    ]);
  });

  test('when an if has else-if branches and an else, then each branch keeps its steps and span', () => {
    const { step, text } = one(
      'if a { end approved } else if b { end rejected } else if c { } else { end cancelled "no" }',
      'if',
    );

    expect(step.branches.map((b) => [covered(text, b.condition.span), b.steps.length])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 0],
    ]);
    expect(covered(text, step.branches[1]!.span)).toBe('else if b { end rejected }');
    expect(step.otherwise?.steps).toMatchObject([
      { kind: 'end', outcome: 'cancelled', message: { parts: ['no'] } },
    ]);
    expect(covered(text, step.otherwise!.span)).toBe('else { end cancelled "no" }');
  });

  test('when a parallel mixes single steps and named branches, then each becomes one branch', () => {
    const { step, text } = one(
      'parallel on failure finish others { check a: require true branch b { wait 1h notify cab: "x" } }',
      'parallel',
    );

    expect(step.onFailure?.value).toBe('finish');
    expect(covered(text, step.onFailure!.span)).toBe('on failure finish others');
    expect(step.branches.map((b) => [b.id?.name ?? null, b.steps.map((s) => s.kind)])).toEqual([
      [null, ['check']],
      ['b', ['wait', 'notify']],
    ]);
  });

  test('when a parallel declares no failure policy, then it is null', () => {
    expect(one('parallel { end approved }', 'parallel').step.onFailure).toBeNull();
  });

  test.each(['approved', 'rejected', 'cancelled'] as const)(
    'when a process ends `%s`, then the outcome is kept',
    (outcome) => {
      expect(one(`end ${outcome}`, 'end').step).toMatchObject({ outcome, message: null });
    },
  );
});
