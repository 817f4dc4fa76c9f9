// Notices about protocol monitors' findings (engine/notices/findings.ts): who is told of each fact
// of a finding's life (owners of an opened finding, the people a reminder names, the people an
// escalation added and the owners it went over, owners and added people of an overdue finding),
// the ids that make a retried activity post nothing twice, and the words: the author's message,
// the monitor, the due time in the recipient's own zone, the why, the console link. Notices about
// instances keep their exact shape.
import { instantOf } from '../../engine/calendar/index.js';
import type { Fact, Moment } from '../../engine/facts/index.js';
import {
  compose,
  composeDigest,
  type ComposeContext,
  type DeliveryProfile,
  FINDING_NOTICE_FACTS,
  type FindingNoticeInput,
  type Notice,
  type NoticeFinding,
  noticePath,
  planFindingNotices,
  planNotices,
} from '../../engine/notices/index.js';

const BERLIN = 'Europe/Berlin';
const berlin = (date: string, time: string): number => instantOf(date, time, BERLIN);

const ALICE = 'alice@halden.example';
const BOB = 'bob@halden.example';
const DANA = 'dana@halden.example';

const FINDING_ID = 'Protocol/risk_reviewed/PRJ-1/2026-12-07T07:00:00.000Z';
const EVENT = (key: string) => `finding:${FINDING_ID}#${key}`;

const finding: NoticeFinding = {
  id: FINDING_ID,
  monitor: 'risk_reviewed',
  policy: 'Protocol',
  project: 'PRJ-1',
  message: 'no risk review in the last 30 days',
};

// Due Thursday 10 December 2026, 17:00 in Berlin (the monitor's calendar).
const DUE: Moment = { at: berlin('2026-12-10', '17:00'), zone: BERLIN };
const OPENED_AT = berlin('2026-12-07', '08:00');

const base = { monitor: 'risk_reviewed', project: 'PRJ-1' };
const openedFact = (owners: string[]): Fact => ({
  kind: 'findingOpened',
  ...base,
  message: finding.message,
  why: 'the last approved risk-review of PRJ-1 was on 2026-10-01, more than 30 days before 2026-12-07',
  owners,
  problems: owners.length === 0 ? ['project.manager is empty'] : [],
  dueAt: DUE,
});

function plan(fact: Fact, key: string, extra: Partial<FindingNoticeInput> = {}): Notice[] {
  return planFindingNotices({
    finding,
    owners: [ALICE],
    eventId: EVENT(key),
    at: OPENED_AT,
    fact,
    due: DUE,
    ...extra,
  });
}

const who = (notices: readonly Notice[]) => notices.map((n) => n.recipient);

describe('who is told about a finding', () => {
  test('when a finding opens, then each owner is told once, under the ledger event id, about the finding', () => {
    const notices = plan(openedFact([ALICE, BOB, ALICE]), 'opened');
    expect(who(notices)).toEqual([ALICE, BOB]);
    expect(notices[0]).toEqual({
      id: `${EVENT('opened')}/${ALICE}`,
      kind: 'finding',
      recipient: ALICE,
      onBehalfOf: null,
      at: OPENED_AT,
      instance: null,
      finding,
      task: null,
      step: null,
      due: DUE,
      cause: { kind: 'fact', fact: openedFact([ALICE, BOB, ALICE]) },
    });
  });

  test('when a finding opens without owners, then nobody is told by it: its escalation tells people', () => {
    expect(plan(openedFact([]), 'opened', { owners: [] })).toEqual([]);
  });

  test('when a reminder, an escalation and the due alarm come, then each reaches the people its fact names', () => {
    const reminded: Fact = { kind: 'findingReminded', ...base, people: [ALICE], dueAt: DUE };
    expect(who(plan(reminded, 'remind:1'))).toEqual([ALICE]);

    const escalated: Fact = { kind: 'findingEscalated', ...base, added: [DANA], level: 1, problems: [] };
    const escalation = plan(escalated, 'escalate:1');
    // The added people first (they act now), then the owners (told it went over their heads).
    expect(who(escalation)).toEqual([DANA, ALICE]);
    expect(escalation.map((n) => n.due)).toEqual([DUE, DUE]);

    const nobody: Fact = {
      kind: 'findingEscalated',
      ...base,
      added: [],
      level: 1,
      problems: ['no pmo_lead'],
    };
    expect(who(plan(nobody, 'escalate:1'))).toEqual([ALICE]);

    const overdue: Fact = { kind: 'findingOverdue', ...base, dueAt: DUE, people: [ALICE, DANA] };
    expect(who(plan(overdue, 'overdue'))).toEqual([ALICE, DANA]);
    expect(plan(overdue, 'overdue').map((n) => n.id)).toEqual([
      `${EVENT('overdue')}/${ALICE}`,
      `${EVENT('overdue')}/${DANA}`,
    ]);
  });

  test('when the finding closes or a person acts on it, then nobody is told', () => {
    const quiet: Fact[] = [
      { kind: 'findingClosed', ...base, day: '2026-12-14' },
      { kind: 'findingAcknowledged', ...base, by: ALICE, note: null },
      { kind: 'findingResolved', ...base, by: ALICE, evidence: 'review held' },
      { kind: 'findingWaived', ...base, by: DANA, until: '2027-01-31', reason: 'project paused' },
    ];
    for (const fact of quiet) {
      expect(FINDING_NOTICE_FACTS.has(fact.kind)).toBe(false);
      expect(plan(fact, 'x')).toEqual([]);
    }
  });

  test('when an activity is retried, then it plans the same notices with the same ids', () => {
    const reminded: Fact = { kind: 'findingReminded', ...base, people: [ALICE, DANA], dueAt: DUE };
    expect(plan(reminded, 'remind:2')).toEqual(plan(reminded, 'remind:2'));
  });

  test('notices about instances keep their shape: no finding field is written for them', () => {
    const [notice] = planNotices({
      instance: { id: 'cr-42', process: 'change-request', policy: 'it', project: null, requester: BOB },
      entries: [
        { id: 'cr-42:3', at: OPENED_AT, fact: { kind: 'ended', outcome: 'approved', message: 'ok' } },
      ],
      tasks: [],
      failures: {},
    });
    expect(Object.keys(notice!)).toEqual([
      'id',
      'kind',
      'recipient',
      'onBehalfOf',
      'at',
      'instance',
      'task',
      'step',
      'due',
      'cause',
    ]);
  });
});

const profile = (zone: string): DeliveryProfile => ({
  email: ALICE,
  chat: null,
  zone,
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
});
// Monday 7 December 2026, 09:00 in Berlin.
const ctx: ComposeContext = {
  profile: profile(BERLIN),
  publicUrl: 'https://charter.example.org/',
  now: berlin('2026-12-07', '09:00'),
};

/** The single notice of `fact` for `recipient`. */
function noticeFor(fact: Fact, key: string, recipient: string): Notice {
  const found = plan(fact, key).find((n) => n.recipient === recipient);
  if (found === undefined) throw new Error(`${recipient} is not told of ${fact.kind}`);
  return found;
}

describe('what a finding notice says', () => {
  test('when a finding opens, then its owner reads the message, the monitor, why, and when it is due in their zone', () => {
    const m = compose(noticeFor(openedFact([ALICE]), 'opened', ALICE), ctx);
    expect(m.subject).toBe('Finding on PRJ-1: no risk review in the last 30 days');
    expect(m.headline).toBe(
      'risk_reviewed found a problem on PRJ-1: no risk review in the last 30 days. ' +
        'You own this finding. It is due Thu 10 Dec, 17:00 (Europe/Berlin).',
    );
    expect(m.why).toBe(
      'the last approved risk-review of PRJ-1 was on 2026-10-01, more than 30 days before 2026-12-07',
    );
    expect(m.due).toBe('due in 4 working days, Thu 10 Dec, 17:00 (Europe/Berlin)');
    expect(m.details).toEqual([
      { label: 'Monitor', value: 'risk_reviewed' },
      { label: 'Project', value: 'PRJ-1' },
      { label: 'Policy', value: 'Protocol' },
    ]);
    expect(m.link).toEqual({
      url: `https://charter.example.org/findings/${encodeURIComponent(FINDING_ID)}`,
      label: 'Open the finding',
    });
  });

  test('when the recipient works in New York, then the due time is shown in their zone', () => {
    const m = compose(noticeFor(openedFact([ALICE]), 'opened', ALICE), {
      ...ctx,
      profile: profile('America/New_York'),
    });
    expect(m.headline).toContain('It is due Thu 10 Dec, 11:00 (America/New_York).');
    expect(m.due).toMatch(/^due in \d working days?, Thu 10 Dec, 11:00 \(America\/New_York\)$/);
  });

  test('when a reminder comes, then it says the finding is still open and by when', () => {
    const reminded: Fact = { kind: 'findingReminded', ...base, people: [ALICE], dueAt: DUE };
    const m = compose(noticeFor(reminded, 'remind:1', ALICE), ctx);
    expect(m.subject).toBe('Reminder: finding on PRJ-1: no risk review in the last 30 days');
    expect(m.headline).toBe(
      'Reminder: the finding of risk_reviewed on PRJ-1 is still open and due Thu 10 Dec, 17:00 ' +
        '(Europe/Berlin): no risk review in the last 30 days.',
    );
    expect(m.why).toBeNull();
  });

  test('when a finding is escalated, then the added person reads it is theirs now and the owner whom it went to', () => {
    const escalated: Fact = {
      kind: 'findingEscalated',
      ...base,
      added: [DANA],
      level: 1,
      problems: ['group "pmo" has no members'],
    };
    const toDana = compose(noticeFor(escalated, 'escalate:1', DANA), ctx);
    expect(toDana.subject).toBe('Escalated to you: finding on PRJ-1: no risk review in the last 30 days');
    expect(toDana.headline).toBe(
      'The finding of risk_reviewed on PRJ-1 was escalated to you: no risk review in the last 30 days.',
    );
    expect(toDana.why).toBe(
      'it was still open at level 1 of the monitor\'s escalation ladder; could not reach: group "pmo" has no members',
    );
    expect(toDana.due).toBe('due in 4 working days, Thu 10 Dec, 17:00 (Europe/Berlin)');

    const toAlice = compose(noticeFor(escalated, 'escalate:1', ALICE), ctx);
    expect(toAlice.subject).toBe('Escalated: finding on PRJ-1: no risk review in the last 30 days');
    expect(toAlice.headline).toBe(
      `The finding of risk_reviewed on PRJ-1, which you own, was escalated to ${DANA}: ` +
        'no risk review in the last 30 days.',
    );

    const nobody: Fact = { kind: 'findingEscalated', ...base, added: [], level: 1, problems: [] };
    expect(compose(noticeFor(nobody, 'escalate:1', ALICE), ctx).headline).toBe(
      'The finding of risk_reviewed on PRJ-1, which you own, was escalated, but nobody new could be added: ' +
        'no risk review in the last 30 days.',
    );
  });

  test('when a finding is overdue, then it says since when, in the zone of whoever reads it', () => {
    const overdue: Fact = { kind: 'findingOverdue', ...base, dueAt: DUE, people: [ALICE, DANA] };
    const later = { ...ctx, now: berlin('2026-12-11', '09:00') };
    const m = compose(noticeFor(overdue, 'overdue', DANA), later);
    expect(m.subject).toBe('Overdue: finding on PRJ-1: no risk review in the last 30 days');
    expect(m.headline).toBe(
      'The finding of risk_reviewed on PRJ-1 was due Thu 10 Dec, 17:00 (Europe/Berlin) and is still open: ' +
        'no risk review in the last 30 days.',
    );
    expect(m.due).toBe('overdue since Thu 10 Dec, 17:00 (Europe/Berlin)');
  });

  test('when a finding notice has a fact nobody is told about, then it still reads, from the fact', () => {
    const closed: Fact = { kind: 'findingClosed', ...base, day: '2026-12-14' };
    const notice: Notice = {
      ...noticeFor(openedFact([ALICE]), 'opened', ALICE),
      cause: { kind: 'fact', fact: closed },
    };
    const m = compose(notice, ctx);
    expect(m.subject).toBe('Update: finding on PRJ-1: no risk review in the last 30 days');
    expect(m.headline).toBe('Finding on PRJ-1 (risk_reviewed) closed: the project passed on 2026-12-14.');
  });

  test('a finding notice links to the finding, read back from its stored JSON, and counts in a digest', () => {
    const notice = noticeFor(openedFact([ALICE]), 'opened', ALICE);
    expect(noticePath(notice)).toBe(`/findings/${encodeURIComponent(FINDING_ID)}`);
    const stored = JSON.parse(JSON.stringify(notice)) as Notice;
    expect(compose(stored, ctx)).toEqual(compose(notice, ctx));
    const reminded: Fact = { kind: 'findingReminded', ...base, people: [ALICE], dueAt: DUE };
    const digest = composeDigest([notice, noticeFor(reminded, 'remind:1', ALICE)], ctx);
    expect(digest.intro).toBe('Since Mon 7 Dec, 08:00 (Europe/Berlin): 2 findings.');
  });
});
