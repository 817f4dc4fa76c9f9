// Notices in words: each kind rendered from hand-built facts shaped as the machine records them,
// checked for the words a person acts on (who, what, why, when in their own zone), the console
// links, the digest's summary and the generic message for a cause that does not fit its kind.
import { instantOf } from '../../engine/calendar/index.js';
import type { Fact, Moment } from '../../engine/facts/index.js';
import { compose, composeDigest, NOTICE_KINDS, noticePath } from '../../engine/notices/index.js';
import type {
  ComposeContext,
  DeliveryProfile,
  Notice,
  NoticeCause,
  NoticeKind,
} from '../../engine/notices/index.js';

const BERLIN = 'Europe/Berlin';
const berlin = (date: string, time: string): number => instantOf(date, time, BERLIN);

const LEA = 'lea.hofmann@example.org';
const MAX = 'max.weber@example.org';
const ANA = 'ana.silva@example.org';
const TOM = 'tom.berg@example.org';

const profile: DeliveryProfile = {
  email: MAX,
  chat: null,
  zone: BERLIN,
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
};
// Monday 7 December 2026, 09:00 in Berlin.
const ctx: ComposeContext = {
  profile,
  publicUrl: 'https://charter.example.org',
  now: berlin('2026-12-07', '09:00'),
};

// A deadline recorded in the policy's calendar zone (UTC): 08:00 UTC is 09:00 in Berlin in winter.
const WED_0800_UTC: Moment = { at: Date.UTC(2026, 11, 9, 8, 0), zone: 'UTC' };

function notice(kind: NoticeKind, cause: NoticeCause, extra: Partial<Notice> = {}): Notice {
  return {
    id: `cr-42:7/${MAX}`,
    kind,
    recipient: MAX,
    onBehalfOf: null,
    at: berlin('2026-12-07', '08:30'),
    instance: {
      id: 'cr-42',
      process: 'change-request',
      policy: 'it-change',
      project: 'Apollo',
      requester: LEA,
    },
    task: 'cr-42/cab_review#1',
    step: 'cab_review',
    due: null,
    cause,
    ...extra,
  };
}

const fact = (f: Fact): NoticeCause => ({ kind: 'fact', fact: f });

const opened: Fact = {
  kind: 'approvalOpened',
  step: 'cab_review',
  eligible: [MAX, ANA, TOM],
  needed: 2,
  quorum: 'at least 2 of 3',
  veto: false,
  barred: [LEA],
  afterEscalation: false,
  task: 'approval',
};

describe('task assigned', () => {
  test('when an approval opens, then the message says what is asked, by whom, on which quorum and when', () => {
    const m = compose(notice('taskAssigned', fact(opened), { due: WED_0800_UTC }), ctx);
    expect(m.subject).toBe('Approval needed: cab_review on change-request for project Apollo');
    expect(m.headline).toBe(
      `Your approval is needed on cab_review of change-request for project Apollo, requested by ${LEA}: ` +
        '2 of 3 must approve (at least 2 of 3).',
    );
    expect(m.why).toBeNull();
    expect(m.due).toBe('due in 2 working days, Wed 9 Dec, 09:00 (Europe/Berlin)');
    expect(m.link).toEqual({
      url: 'https://charter.example.org/tasks/cr-42%2Fcab_review%231',
      label: 'Open the task',
    });
    expect(m.details).toEqual([
      { label: 'Process', value: 'change-request' },
      { label: 'Project', value: 'Apollo' },
      { label: 'Policy', value: 'it-change' },
      { label: 'Requested by', value: LEA },
      { label: 'Step', value: 'cab_review' },
    ]);
  });

  test('when a delegate receives the task, then it says for whom they decide and lists it last', () => {
    const m = compose(notice('taskAssigned', fact(opened), { recipient: ANA, onBehalfOf: TOM }), ctx);
    expect(m.headline).toContain(`You decide on behalf of ${TOM}, who delegated their decisions to you.`);
    expect(m.details.at(-1)).toEqual({ label: 'On behalf of', value: TOM });
  });

  test('when the approval opened after an escalation with a veto, then both are said', () => {
    const m = compose(notice('taskAssigned', fact({ ...opened, veto: true, afterEscalation: true })), ctx);
    expect(m.headline).toContain('2 of 3 must approve (at least 2 of 3); any reject rejects.');
    expect(m.why).toBe('you were added when cab_review was escalated');
  });

  test('when an attestation opens, then the statement is quoted and its deadline is the fact’s', () => {
    const attest: Fact = {
      kind: 'attestationOpened',
      step: 'dpo_attest',
      statement: 'personal data is processed only in the EU',
      dueAt: { at: berlin('2026-12-07', '12:00'), zone: BERLIN },
    };
    const m = compose(notice('taskAssigned', fact(attest), { step: 'dpo_attest' }), ctx);
    expect(m.subject).toBe('Attestation needed: dpo_attest on change-request for project Apollo');
    expect(m.headline).toContain('"personal data is processed only in the EU"');
    expect(m.due).toBe('due in 3 working hours, Mon 7 Dec, 12:00 (Europe/Berlin)');
  });

  test('when decisions are delegated, then it says who delegated whose decisions until when', () => {
    const until = berlin('2026-12-18', '17:00');
    const m = compose(notice('taskAssigned', { kind: 'delegation', by: ANA, from: TOM, until }), ctx);
    expect(m.subject).toBe('Delegated to you: cab_review on change-request for project Apollo');
    expect(m.headline).toBe(
      `${ANA} delegated ${TOM}'s decisions to you until Fri 18 Dec, 17:00 (Europe/Berlin). ` +
        `You can now decide cab_review of change-request for project Apollo, requested by ${LEA}, on their behalf.`,
    );
  });
});

describe('reminders and escalations', () => {
  test('when a reminder is due, then it names the step and the due time in the recipient’s zone', () => {
    const reminded: Fact = { kind: 'reminded', step: 'cab_review', people: [MAX], dueAt: WED_0800_UTC };
    const m = compose(notice('reminder', fact(reminded)), ctx);
    expect(m.subject).toBe('Reminder: cab_review on change-request for project Apollo');
    expect(m.headline).toBe(
      `Reminder: cab_review of change-request for project Apollo, requested by ${LEA}, ` +
        'is due Wed 9 Dec, 09:00 (Europe/Berlin).',
    );
    expect(m.due).toBe('due in 2 working days, Wed 9 Dec, 09:00 (Europe/Berlin)');
  });

  test('when an approval is escalated to the recipient, then it says to whom and which level', () => {
    const escalated: Fact = { kind: 'escalated', step: 'cab_review', added: [ANA, MAX], level: 1 };
    const m = compose(notice('escalation', fact(escalated)), ctx);
    expect(m.subject).toBe('Escalated: cab_review on change-request for project Apollo');
    expect(m.headline).toBe(
      `cab_review of change-request for project Apollo, requested by ${LEA}, was escalated to you and ${ANA}.`,
    );
    expect(m.why).toBe('nobody had decided yet at level 2 of the escalation ladder');
  });

  test('when the requester learns of an escalation on timeout, then it reads as their request', () => {
    const escalated: Fact = { kind: 'escalated', step: 'cab_review', added: [ANA], level: -1 };
    const m = compose(notice('escalation', fact(escalated), { recipient: LEA, task: null }), ctx);
    expect(m.headline).toBe(
      `cab_review of your request change-request for project Apollo was escalated to ${ANA}.`,
    );
    expect(m.why).toBe('nobody decided by the deadline, and the policy escalates on timeout');
    expect(m.link).toEqual({ url: 'https://charter.example.org/instances/cr-42', label: 'Open the request' });
  });

  test('when an approval is handed over, then it says that earlier decisions no longer count', () => {
    const handedOver: Fact = { kind: 'handedOver', step: 'cab_review', to: [MAX], level: 0 };
    const m = compose(notice('escalation', fact(handedOver)), ctx);
    expect(m.headline).toContain(
      'was handed over to you: the first decision of the new decider decides the step',
    );
    expect(m.headline).toContain('decisions made before no longer count');
    expect(m.why).toBe('nobody had decided yet at level 1 of the escalation ladder');
  });

  test('when an approval timed out with escalate, then it says nobody decided by the deadline', () => {
    const timedOut: Fact = {
      kind: 'approvalTimedOut',
      step: 'cab_review',
      dueAt: WED_0800_UTC,
      action: 'escalate',
    };
    const m = compose(notice('escalation', fact(timedOut)), { ...ctx, now: berlin('2026-12-09', '10:00') });
    expect(m.headline).toContain('by Wed 9 Dec, 09:00 (Europe/Berlin); it is being escalated.');
    expect(m.why).toBe(
      'nobody decided by Wed 9 Dec, 09:00 (Europe/Berlin), and the policy says: on timeout escalate',
    );
  });
});

describe('decisions, waivers, mentions and ends', () => {
  test("when a policy's notify step sends a message, then the author's words are the headline", () => {
    const sent: Fact = {
      kind: 'notified',
      step: 'inform_ops',
      recipients: [MAX],
      message: 'Change window for Apollo starts Friday 22:00; expect the VPN to drop',
    };
    const m = compose(notice('policyMessage', fact(sent), { task: null, step: 'inform_ops' }), ctx);
    expect(m.subject).toBe('inform_ops on change-request for project Apollo');
    expect(m.headline).toBe('Change window for Apollo starts Friday 22:00; expect the VPN to drop');
    expect(m.why).toBe("the policy's inform_ops step sends this to you");
    expect(m.link.url).toBe(`${ctx.publicUrl}/instances/cr-42`);
  });

  test('when an approval closes on its quorum, then outcome and approvers come from the fact', () => {
    const closed: Fact = {
      kind: 'approvalClosed',
      step: 'cab_review',
      outcome: 'approved',
      why: { kind: 'quorumMet', approvers: [MAX, ANA], needed: 2 },
    };
    const m = compose(notice('decision', fact(closed), { recipient: LEA, task: null }), ctx);
    expect(m.subject).toBe('Approved: cab_review on change-request for project Apollo');
    expect(m.headline).toBe('cab_review of your request change-request for project Apollo was approved.');
    expect(m.why).toBe(`${MAX} and ${ANA} approved; 2 approvals were needed`);
    expect(m.due).toBeNull();
  });

  test('when an approval is vetoed or times out, then why says by whom or the timeout message', () => {
    const vetoed: Fact = {
      kind: 'approvalClosed',
      step: 'cab_review',
      outcome: 'rejected',
      why: { kind: 'vetoed', by: [TOM] },
    };
    expect(compose(notice('decision', fact(vetoed)), ctx).why).toBe(
      `rejected by ${TOM} (any reject rejects)`,
    );
    const timeout: Fact = {
      kind: 'approvalClosed',
      step: 'cab_review',
      outcome: 'rejected by timeout',
      why: {
        kind: 'timeout',
        action: 'reject',
        message: 'no decision by Wed 2026-12-09 09:00 UTC',
        blocked: null,
      },
    };
    const m = compose(notice('decision', fact(timeout)), ctx);
    expect(m.subject).toBe('Rejected by timeout: cab_review on change-request for project Apollo');
    expect(m.why).toBe('no decision by Wed 2026-12-09 09:00 UTC');
  });

  const failed: Extract<Fact, { kind: 'checkFailed' }> = {
    kind: 'checkFailed',
    step: 'security_scan',
    cause: 'service',
    because: 'scanner reported 2 critical findings',
    message: 'the release has unresolved critical vulnerabilities',
    onFail: { action: 'waiver', dueAt: { at: berlin('2026-12-07', '12:00'), zone: BERLIN } },
  };

  test('when a waiver task opens after a failed check, then it says which check failed, why and by when', () => {
    const cause: NoticeCause = {
      kind: 'fact',
      fact: { kind: 'checkTaskOpened', step: 'security_scan', people: [MAX], task: 'waiver' },
      failure: failed,
    };
    const m = compose(notice('waiverNeeded', cause, { step: 'security_scan' }), ctx);
    expect(m.subject).toBe('Waiver needed: security_scan failed on change-request for project Apollo');
    expect(m.headline).toContain('The check security_scan failed on change-request for project Apollo');
    expect(m.why).toBe(
      'the release has unresolved critical vulnerabilities (scanner reported 2 critical findings)',
    );
    expect(m.due).toBe('due in 3 working hours, Mon 7 Dec, 12:00 (Europe/Berlin)');
  });

  test('when the check failure itself is the cause, then the same waiver message results', () => {
    const m = compose(notice('waiverNeeded', fact(failed), { step: 'security_scan' }), ctx);
    expect(m.why).toBe(
      'the release has unresolved critical vulnerabilities (scanner reported 2 critical findings)',
    );
    expect(m.due).toBe('due in 3 working hours, Mon 7 Dec, 12:00 (Europe/Berlin)');
  });

  test('when a waiver is about to expire, then it says when, who waived it and why', () => {
    const until: Moment = { at: berlin('2026-12-10', '09:00'), zone: BERLIN };
    const waived: Fact = {
      kind: 'waived',
      step: 'security_scan',
      actor: ANA,
      onBehalfOf: null,
      reason: 'fix scheduled for the next sprint',
      failure: 'the release has unresolved critical vulnerabilities',
      until,
    };
    const m = compose(notice('waiverExpiring', fact(waived), { task: null, due: until }), ctx);
    expect(m.subject).toBe('Waiver expiring: security_scan on change-request for project Apollo');
    expect(m.headline).toContain(
      'The waiver for security_scan on change-request for project Apollo expires Thu 10 Dec',
    );
    expect(m.why).toBe(
      `${ANA} waived it: fix scheduled for the next sprint (the failure: the release has unresolved critical vulnerabilities)`,
    );
    expect(m.due).toBe('expires in 3 working days, Thu 10 Dec, 09:00 (Europe/Berlin)');
    expect(
      compose(notice('waiverExpiring', fact(waived), { due: until }), { ...ctx, now: until.at + 1 }).due,
    ).toBe('expired Thu 10 Dec, 09:00 (Europe/Berlin)');
  });

  test('when someone mentions the recipient, then the excerpt is the why', () => {
    const cause: NoticeCause = {
      kind: 'mention',
      by: ANA,
      excerpt: '@max can you check the rollback plan?',
      comment: 'c-9',
    };
    const m = compose(notice('mention', cause), ctx);
    expect(m.subject).toBe(`${ANA} mentioned you on cab_review of change-request for project Apollo`);
    expect(m.why).toBe('@max can you check the rollback plan?');
  });

  test('when the process ends, then the outcome is in the subject and the message is the why', () => {
    const ended: Fact = { kind: 'ended', outcome: 'approved', message: 'all approvals and checks passed' };
    const m = compose(
      notice('ended', fact(ended), {
        recipient: LEA,
        task: null,
        step: null,
        instance: { ...notice('ended', fact(ended)).instance!, id: 'cr 42/b' },
      }),
      ctx,
    );
    expect(m.subject).toBe('change-request for project Apollo ended: approved');
    expect(m.headline).toBe('Your request change-request for project Apollo ended: approved.');
    expect(m.why).toBe('all approvals and checks passed');
    expect(m.link.url).toBe('https://charter.example.org/instances/cr%2042%2Fb');
    expect(m.details.map((d) => d.label)).toEqual(['Process', 'Project', 'Policy', 'Requested by']);
  });
});

describe('due times', () => {
  const at = (time: string): Moment => ({ at: berlin('2026-12-07', time), zone: BERLIN });
  const due = (moment: Moment, c: ComposeContext = ctx): string | null =>
    compose(notice('taskAssigned', fact(opened), { due: moment }), c).due;

  test('when a deadline has passed, then it is overdue since then', () => {
    expect(due(at('08:00'))).toBe('overdue since Mon 7 Dec, 08:00 (Europe/Berlin)');
  });

  test('when a deadline falls outside working hours, then no working time is promised', () => {
    expect(
      due(
        { at: berlin('2026-12-12', '10:00'), zone: BERLIN },
        { ...ctx, now: berlin('2026-12-11', '18:00') },
      ),
    ).toBe('due before your next working hours, Sat 12 Dec, 10:00 (Europe/Berlin)');
  });

  test('when the recipient is in New York, then the same deadline shows in New York time and hours', () => {
    const ny = { ...ctx, profile: { ...profile, zone: 'America/New_York' } };
    // Mon 03:00 in New York; Wed 9 Dec 08:00 UTC is 03:00 there: two full working days away.
    expect(due(WED_0800_UTC, ny)).toBe('due in 2 working days, Wed 9 Dec, 03:00 (America/New_York)');
  });

  test('when a deadline is less than an hour away or next year, then minutes or the year show', () => {
    expect(due(at('09:40'))).toBe('due in 40 working minutes, Mon 7 Dec, 09:40 (Europe/Berlin)');
    const next = { at: berlin('2027-01-05', '09:00'), zone: BERLIN };
    expect(due(next)).toMatch(/^due in \d+ working days, Tue 5 Jan 2027, 09:00 \(Europe\/Berlin\)$/);
  });
});

describe('odd causes and the digest', () => {
  const started: Fact = { kind: 'started', process: 'change-request', by: LEA };

  test('when a fact does not fit its kind, then a generic message renders the fact’s sentence', () => {
    const m = compose(notice('decision', fact(started), { step: null }), ctx);
    expect(m.subject).toBe('Update: change-request for project Apollo');
    expect(m.headline).toBe(`change-request for project Apollo: change-request started by ${LEA}.`);
    const stop = compose(notice('waiverNeeded', fact({ kind: 'waiverExpired', step: 'security_scan' })), ctx);
    expect(stop.subject).toBe('Update: security_scan on change-request for project Apollo');
  });

  test('when every kind meets every fact shape used here, then each composes without throwing', () => {
    const facts: Fact[] = [
      opened,
      started,
      { kind: 'reminded', step: 's', people: [], dueAt: null },
      { kind: 'escalated', step: 's', added: [], level: 0 },
      { kind: 'approvalTimedOut', step: 's', dueAt: null, action: 'reject' },
      { kind: 'waived', step: 's', actor: ANA, onBehalfOf: TOM, reason: 'r', failure: 'f', until: null },
      { kind: 'checkTaskOpened', step: 's', people: [MAX], task: 'attestation' },
      { kind: 'cancelled', by: LEA, reason: 'budget withdrawn' },
    ];
    for (const kind of NOTICE_KINDS) {
      for (const f of facts) {
        const m = compose(notice(kind, fact(f)), ctx);
        expect(m.subject.length).toBeGreaterThan(0);
        expect(m.headline.length).toBeGreaterThan(0);
      }
    }
  });

  test('when notices since Friday are digested, then the subject and intro summarise them', () => {
    const friday = berlin('2026-12-04', '16:30');
    const notices = [
      notice('taskAssigned', fact(opened), { at: friday }),
      notice('mention', { kind: 'mention', by: ANA, excerpt: 'see above', comment: 'c-1' }),
      notice('taskAssigned', fact({ ...opened, step: 'budget_ok' }), { step: 'budget_ok' }),
    ];
    const digest = composeDigest(notices, ctx);
    expect(digest.subject).toBe('Charter: 3 updates since Friday');
    expect(digest.intro).toBe('Since Fri 4 Dec, 16:30 (Europe/Berlin): 2 new tasks and 1 mention.');
    expect(digest.items.map((i) => i.subject)).toEqual(notices.map((n) => compose(n, ctx).subject));
    expect(composeDigest(notices.slice(1), ctx).subject).toBe('Charter: 2 updates today');
    expect(composeDigest([], ctx).items).toEqual([]);
  });

  test('the console path encodes task and instance ids', () => {
    expect(noticePath(notice('reminder', fact(started), { task: 'a/b c' }))).toBe('/tasks/a%2Fb%20c');
    expect(noticePath(notice('reminder', fact(started), { task: null }))).toBe('/instances/cr-42');
  });
});
