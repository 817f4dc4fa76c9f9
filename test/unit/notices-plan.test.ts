// Who is told what after a transition (engine/notices/plan.ts): each notice-bearing fact against the
// people it must reach and the task and due date it must carry, the escalation that also opens a
// blocked step (one notice per added person, not two), the delegates' copies, and the ids that make
// a retried activity plan the same notices again.
import type { Fact, Moment } from '../../engine/facts/index.js';
import {
  type CheckFailedFact,
  type FactEntry,
  NOTICE_FACTS,
  type PlanInput,
  type TaskRef,
  needsFailure,
  planNotices,
  withDelegates,
} from '../../engine/notices/plan.js';
import type { Notice, NoticeInstance } from '../../engine/notices/types.js';

const INSTANCE_ID = 'inst-7f3a';
const REQUESTER = 'maria.schmidt@example.com';
const AT = Date.parse('2026-03-04T10:15:00+01:00');

const instance: NoticeInstance = {
  id: INSTANCE_ID,
  process: 'change-request',
  policy: 'change-management',
  project: 'Apollo',
  requester: REQUESTER,
};

const berlin = (iso: string): Moment => ({ at: Date.parse(iso), zone: 'Europe/Berlin' });
const CAB_DUE = berlin('2026-03-06T17:00:00+01:00');

/** An open task of `step`, stored as `<instance>/<task>`. */
const taskOf = (task: string, step: string, due: Moment | null = CAB_DUE, open = true): TaskRef => ({
  id: `${INSTANCE_ID}/${task}`,
  step,
  open,
  due,
});

/** The transition's decision log: ledger ids `<instance>:<seq>` from `seq`, a second apart. */
function entries(facts: readonly Fact[], seq = 12): FactEntry[] {
  return facts.map((fact, i) => ({ id: `${INSTANCE_ID}:${seq + i}`, at: AT + i * 1000, fact }));
}

function plan(facts: readonly Fact[], extra: Partial<PlanInput> = {}): Notice[] {
  return planNotices({ instance, entries: entries(facts), tasks: [], failures: {}, ...extra });
}

const approvalOpened = (
  step: string,
  eligible: string[],
  barred: string[] = [],
  afterEscalation = false,
): Fact => ({
  kind: 'approvalOpened',
  step,
  eligible,
  needed: 1,
  quorum: 'at least 1 of 3',
  veto: false,
  barred,
  afterEscalation,
  task: 'approval',
});

const securityFailure = (onFail: CheckFailedFact['onFail']): CheckFailedFact => ({
  kind: 'checkFailed',
  step: 'security_scan',
  cause: 'service',
  because: 'two critical findings',
  message: 'the security scan found critical issues',
  onFail,
});

const who = (notices: readonly Notice[]): string[] => notices.map((n) => `${n.kind} ${n.recipient}`);

describe('approval tasks', () => {
  test('when an approval opens, then the eligible who are not barred are told, with the open task and its due', () => {
    const fact = approvalOpened(
      'cab_review',
      ['lena.fischer@example.com', REQUESTER, 'tom.becker@example.com'],
      [REQUESTER],
    );
    // The open task wins over closed ones of the step wherever they stand in the list.
    const notices = plan([fact], {
      tasks: [
        taskOf('t1', 'cab_review', berlin('2026-03-02T09:00:00+01:00'), false),
        taskOf('t2', 'cab_review'),
        taskOf('t9', 'cab_review', berlin('2026-03-03T09:00:00+01:00'), false),
        taskOf('t3', 'budget_review'),
      ],
    });

    expect(notices).toEqual([
      {
        id: `${INSTANCE_ID}:12/lena.fischer@example.com`,
        kind: 'taskAssigned',
        recipient: 'lena.fischer@example.com',
        onBehalfOf: null,
        at: AT,
        instance,
        task: `${INSTANCE_ID}/t2`,
        step: 'cab_review',
        due: CAB_DUE,
        cause: { kind: 'fact', fact },
      },
      expect.objectContaining({ recipient: 'tom.becker@example.com', task: `${INSTANCE_ID}/t2` }),
    ]);
  });

  test('when the step has no open task, then the notice links to its latest task', () => {
    const closedDue = berlin('2026-03-03T12:00:00+01:00');
    const notices = plan([approvalOpened('cab_review', ['lena.fischer@example.com'])], {
      tasks: [taskOf('t1', 'cab_review', null, false), taskOf('t4', 'cab_review', closedDue, false)],
    });

    expect(notices.map((n) => [n.task, n.due])).toEqual([[`${INSTANCE_ID}/t4`, closedDue]]);
  });

  test('when an attestation task opens, then its people are told of a task, without a failure', () => {
    const fact: Fact = {
      kind: 'checkTaskOpened',
      step: 'dpia_signed',
      people: ['olga.novak@example.com', 'raj.patel@example.com'],
      task: 'attestation',
    };
    const notices = plan([fact], {
      tasks: [taskOf('t3', 'dpia_signed')],
      failures: { dpia_signed: { ...securityFailure({ action: 'continue' }), step: 'dpia_signed' } },
    });

    expect(who(notices)).toEqual([
      'taskAssigned olga.novak@example.com',
      'taskAssigned raj.patel@example.com',
    ]);
    expect(notices[0]).toMatchObject({
      task: `${INSTANCE_ID}/t3`,
      due: CAB_DUE,
      cause: { kind: 'fact', fact },
    });
    expect(notices[0]?.cause).not.toHaveProperty('failure');
  });

  test('when a waiver task opens, then its people are told with the failure it waives and its waiver due', () => {
    const waiverDue = berlin('2026-03-11T17:00:00+01:00');
    const failure = securityFailure({ action: 'waiver', dueAt: waiverDue });
    const fact: Fact = {
      kind: 'checkTaskOpened',
      step: 'security_scan',
      people: ['ciso@example.com'],
      task: 'waiver',
    };
    const notices = plan([fact], {
      tasks: [taskOf('t5', 'security_scan')],
      failures: { security_scan: failure },
    });

    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'waiverNeeded',
      recipient: 'ciso@example.com',
      task: `${INSTANCE_ID}/t5`,
      step: 'security_scan',
      due: waiverDue,
      cause: { kind: 'fact', fact, failure },
    });
  });

  test('when the failure of a waiver task is not known, then the task is still told, due as its task', () => {
    const fact: Fact = {
      kind: 'checkTaskOpened',
      step: 'security_scan',
      people: ['ciso@example.com'],
      task: 'waiver',
    };
    const [notice] = plan([fact], {
      tasks: [taskOf('t5', 'security_scan')],
      failures: {
        license_scan: securityFailure({ action: 'waiver', dueAt: berlin('2026-04-01T17:00:00+02:00') }),
      },
    });

    expect(notice).toMatchObject({ kind: 'waiverNeeded', due: CAB_DUE });
    expect(notice?.cause).toEqual({ kind: 'fact', fact });
  });

  test('needsFailure is true for a waiver task only', () => {
    const opened = (task: 'attestation' | 'waiver'): Fact => ({
      kind: 'checkTaskOpened',
      step: 's',
      people: [],
      task,
    });
    expect(needsFailure(opened('waiver'))).toBe(true);
    expect(needsFailure(opened('attestation'))).toBe(false);
    expect(needsFailure(securityFailure({ action: 'continue' }))).toBe(false);
  });
});

describe('reminders, escalations and hand-overs', () => {
  test("when people are reminded, then they are told with the reminder's due, else the task's", () => {
    const dueAt = berlin('2026-03-05T12:00:00+01:00');
    const tasks = [taskOf('t2', 'cab_review')];
    const withDue = plan(
      [{ kind: 'reminded', step: 'cab_review', people: ['lena.fischer@example.com'], dueAt }],
      {
        tasks,
      },
    );
    const withoutDue = plan(
      [{ kind: 'reminded', step: 'cab_review', people: ['lena.fischer@example.com'], dueAt: null }],
      { tasks },
    );

    expect(withDue).toEqual([
      expect.objectContaining({
        kind: 'reminder',
        recipient: 'lena.fischer@example.com',
        task: `${INSTANCE_ID}/t2`,
        due: dueAt,
      }),
    ]);
    expect(withoutDue[0]?.due).toEqual(CAB_DUE);
  });

  test('when a step is escalated, then the added people get the task and the requester learns it once', () => {
    const fact: Fact = {
      kind: 'escalated',
      step: 'cab_review',
      added: ['head.of.it@example.com', 'cto@example.com'],
      level: 0,
    };
    const notices = plan([fact], { tasks: [taskOf('t2', 'cab_review')] });

    expect(notices.map((n) => [n.kind, n.recipient, n.task, n.id])).toEqual([
      [
        'escalation',
        'head.of.it@example.com',
        `${INSTANCE_ID}/t2`,
        `${INSTANCE_ID}:12/head.of.it@example.com`,
      ],
      ['escalation', 'cto@example.com', `${INSTANCE_ID}/t2`, `${INSTANCE_ID}:12/cto@example.com`],
      ['escalation', REQUESTER, null, `${INSTANCE_ID}:12/${REQUESTER}`],
    ]);
    expect(notices.every((n) => n.due === CAB_DUE)).toBe(true);
  });

  test('when the requester is among the added, then they get one notice, with the task', () => {
    const notices = plan(
      [{ kind: 'escalated', step: 'cab_review', added: [REQUESTER, 'cto@example.com'], level: -1 }],
      {
        tasks: [taskOf('t2', 'cab_review')],
      },
    );

    expect(notices.filter((n) => n.recipient === REQUESTER)).toEqual([
      expect.objectContaining({ kind: 'escalation', task: `${INSTANCE_ID}/t2` }),
    ]);
    expect(notices).toHaveLength(2);
  });

  test('when a step is handed over, then the new deciders and the requester are told', () => {
    const notices = plan(
      [{ kind: 'handedOver', step: 'cab_review', to: ['deputy.cio@example.com'], level: 1 }],
      {
        tasks: [taskOf('t2', 'cab_review')],
      },
    );

    expect(notices.map((n) => [n.kind, n.recipient, n.task])).toEqual([
      ['escalation', 'deputy.cio@example.com', `${INSTANCE_ID}/t2`],
      ['escalation', REQUESTER, null],
    ]);
  });

  test('when an escalation opens a blocked step, then the added are told once and the rest of the pool still gets the task', () => {
    const added = ['head.of.it@example.com'];
    const notices = plan(
      [
        { kind: 'escalated', step: 'cab_review', added, level: 0 },
        approvalOpened('cab_review', ['lena.fischer@example.com', ...added], [], true),
        approvalOpened('budget_review', ['head.of.it@example.com']),
      ],
      { tasks: [taskOf('t2', 'cab_review'), taskOf('t6', 'budget_review')] },
    );

    expect(notices.map((n) => `${n.kind} ${n.step ?? ''} ${n.recipient}`)).toEqual([
      'escalation cab_review head.of.it@example.com',
      `escalation cab_review ${REQUESTER}`,
      'taskAssigned cab_review lena.fischer@example.com',
      'taskAssigned budget_review head.of.it@example.com',
    ]);
  });

  test('when the requester may approve a step an escalation opens, then they still get the task', () => {
    const notices = plan(
      [
        { kind: 'escalated', step: 'cab_review', added: ['head.of.it@example.com'], level: 0 },
        approvalOpened('cab_review', [REQUESTER, 'head.of.it@example.com'], [], true),
      ],
      { tasks: [taskOf('t2', 'cab_review')] },
    );

    const toRequester = notices.filter((n) => n.recipient === REQUESTER);
    expect(toRequester.map((n) => `${n.kind} ${n.task ?? 'no task'}`)).toEqual([
      'escalation no task',
      `taskAssigned ${INSTANCE_ID}/t2`,
    ]);
  });
});

describe('outcomes and waivers', () => {
  test('when an approval closes or the process ends, then the requester is told, without a task', () => {
    const closed: Fact = {
      kind: 'approvalClosed',
      step: 'cab_review',
      outcome: 'approved',
      why: { kind: 'quorumMet', approvers: ['lena.fischer@example.com'], needed: 1 },
    };
    const ended: Fact = { kind: 'ended', outcome: 'approved', message: 'change approved' };
    const notices = plan([closed, ended], { tasks: [taskOf('t2', 'cab_review')] });

    expect(notices.map((n) => [n.kind, n.recipient, n.task, n.step, n.due, n.id])).toEqual([
      ['decision', REQUESTER, null, 'cab_review', null, `${INSTANCE_ID}:12/${REQUESTER}`],
      ['ended', REQUESTER, null, null, null, `${INSTANCE_ID}:13/${REQUESTER}`],
    ]);
  });

  const waived = (actor: string, until: Moment | null, onBehalfOf: string | null = null): Fact => ({
    kind: 'waived',
    step: 'security_scan',
    actor,
    onBehalfOf,
    reason: 'compensating control: WAF rule 4711',
    failure: 'the security scan found critical issues',
    until,
  });
  const UNTIL = berlin('2026-06-30T17:00:00+02:00');

  test('when a waiver with an end is granted, then the requester and the waiver holder are warned, due at its end', () => {
    const notices = plan([waived('ciso@example.com', UNTIL)]);

    expect(notices.map((n) => [n.kind, n.recipient, n.due, n.task])).toEqual([
      ['waiverExpiring', REQUESTER, UNTIL, null],
      ['waiverExpiring', 'ciso@example.com', UNTIL, null],
    ]);
  });

  test('when the requester granted the waiver, then they are warned once', () => {
    expect(who(plan([waived(REQUESTER, UNTIL)]))).toEqual([`waiverExpiring ${REQUESTER}`]);
  });

  test('when a delegate granted the waiver, then the person they stood in for is warned', () => {
    expect(who(plan([waived('deputy.ciso@example.com', UNTIL, 'ciso@example.com')]))).toEqual([
      `waiverExpiring ${REQUESTER}`,
      'waiverExpiring ciso@example.com',
    ]);
  });

  test('when a waiver has no end, then nobody is told', () => {
    expect(plan([waived('ciso@example.com', null)])).toEqual([]);
  });
});

describe('facts and ids', () => {
  test('facts outside NOTICE_FACTS give no notice', () => {
    const quiet: Fact[] = [
      { kind: 'started', process: 'change-request', by: REQUESTER },
      {
        kind: 'vote',
        step: 'cab_review',
        actor: 'lena.fischer@example.com',
        onBehalfOf: null,
        vote: 'approve',
        reason: null,
      },
      { kind: 'waiverMissed', step: 'security_scan', people: ['ciso@example.com'] },
      securityFailure({ action: 'stop', outcome: 'rejected' }),
    ];

    expect(quiet.some((f) => NOTICE_FACTS.has(f.kind))).toBe(false);
    expect(plan(quiet, { tasks: [taskOf('t2', 'cab_review')] })).toEqual([]);
    // The same log with one notice-bearing fact among them: only that one is planned.
    expect(who(plan([...quiet, { kind: 'ended', outcome: 'rejected', message: 'scan failed' }]))).toEqual([
      `ended ${REQUESTER}`,
    ]);
  });

  test("a policy's notify step reaches the people it names with the author's message, without a task", () => {
    const notices = plan([
      {
        kind: 'notified',
        step: 'inform_ops',
        recipients: ['ops@example.com', 'noc@example.com', 'ops@example.com'],
        message: 'Change window starts at 22:00',
      },
    ]);

    expect(notices.map((n) => `${n.kind} ${n.recipient} ${n.task ?? 'no task'}`)).toEqual([
      'policyMessage ops@example.com no task',
      'policyMessage noc@example.com no task',
    ]);
    expect(withDelegates(notices, [{ from: 'ops@example.com', to: 'deputy@example.com' }])).toHaveLength(2);
  });

  test('ids are `<entry id>/<recipient>`, each person once per fact, and planning twice gives the same notices', () => {
    const input: PlanInput = {
      instance,
      entries: entries(
        [
          approvalOpened('cab_review', [
            'lena.fischer@example.com',
            'lena.fischer@example.com',
            'tom.becker@example.com',
          ]),
          { kind: 'reminded', step: 'cab_review', people: ['lena.fischer@example.com'], dueAt: null },
        ],
        40,
      ),
      tasks: [taskOf('t2', 'cab_review')],
      failures: {},
    };
    const first = planNotices(input);

    expect(first.map((n) => n.id)).toEqual([
      `${INSTANCE_ID}:40/lena.fischer@example.com`,
      `${INSTANCE_ID}:40/tom.becker@example.com`,
      `${INSTANCE_ID}:41/lena.fischer@example.com`,
    ]);
    expect(first.map((n) => n.at)).toEqual([AT, AT, AT + 1000]);
    expect(planNotices(input)).toEqual(first);
    expect(JSON.stringify(planNotices(structuredClone(input)))).toBe(JSON.stringify(first));
  });
});

describe('withDelegates', () => {
  const DELEGATIONS = [{ from: 'lena.fischer@example.com', to: 'jonas.weber@example.com' }];
  const planned = (facts: Fact[]): Notice[] =>
    plan(facts, { tasks: [taskOf('t2', 'cab_review'), taskOf('t5', 'security_scan')] });

  test('when a recipient of a task has a delegate, then the delegate gets a copy on their behalf', () => {
    const notices = planned([
      approvalOpened('cab_review', ['lena.fischer@example.com', 'tom.becker@example.com']),
    ]);
    const out = withDelegates(notices, DELEGATIONS);

    expect(out.slice(0, notices.length)).toEqual(notices);
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual({
      ...notices[0],
      id: `${INSTANCE_ID}:12/jonas.weber@example.com`,
      recipient: 'jonas.weber@example.com',
      onBehalfOf: 'lena.fischer@example.com',
    });
  });

  test('when a person has two delegates, then both get a copy', () => {
    const out = withDelegates(
      planned([{ kind: 'reminded', step: 'cab_review', people: ['lena.fischer@example.com'], dueAt: null }]),
      [...DELEGATIONS, { from: 'lena.fischer@example.com', to: 'sara.klein@example.com' }],
    );

    expect(out.map((n) => [n.recipient, n.onBehalfOf])).toEqual([
      ['lena.fischer@example.com', null],
      ['jonas.weber@example.com', 'lena.fischer@example.com'],
      ['sara.klein@example.com', 'lena.fischer@example.com'],
    ]);
  });

  test('when the delegate is told in their own right, then they get no copy', () => {
    const notices = planned([
      approvalOpened('cab_review', ['lena.fischer@example.com', 'jonas.weber@example.com']),
    ]);
    const out = withDelegates(notices, DELEGATIONS);

    expect(out).toEqual(notices);
  });

  test('notices that ask nothing of the delegator, or have no task, are not copied', () => {
    const notices = planned([
      { kind: 'escalated', step: 'cab_review', added: ['cto@example.com'], level: 0 },
      {
        kind: 'approvalClosed',
        step: 'cab_review',
        outcome: 'rejected',
        why: { kind: 'vetoed', by: ['cto@example.com'] },
      },
      { kind: 'ended', outcome: 'rejected', message: 'vetoed' },
    ]);
    const out = withDelegates(notices, [
      { from: REQUESTER, to: 'assistant@example.com' },
      { from: 'cto@example.com', to: 'deputy.cto@example.com' },
    ]);

    // The requester's escalation notice has no task; the decision and the end ask nothing.
    expect(out.slice(notices.length).map((n) => [n.kind, n.recipient, n.onBehalfOf, n.id])).toEqual([
      ['escalation', 'deputy.cto@example.com', 'cto@example.com', `${INSTANCE_ID}:12/deputy.cto@example.com`],
    ]);
  });

  test('with no delegations, then the notices come back as they are, in a new array', () => {
    const notices = planned([approvalOpened('cab_review', ['lena.fischer@example.com'])]);
    const out = withDelegates(notices, []);

    expect(out).toEqual(notices);
    expect(out).not.toBe(notices);
  });
});
