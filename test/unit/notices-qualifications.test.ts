// Reminders that a qualification expires (engine/notices/qualifications.ts): the notice planned for
// one completion and lead time (its deterministic id, about no instance), and its words: which
// qualification expires on which day, the last valid day (the registry's boundary rule), that
// approvals requiring it will no longer count the person, the console link, the same calendar day
// whatever the reader's zone, and the digest's count. Notices about instances and findings keep
// their paths.
import { instantOf } from '../../engine/calendar/index.js';
import {
  compose,
  composeDigest,
  type ComposeContext,
  dayWords,
  type DeliveryProfile,
  type Notice,
  NOTICE_KINDS,
  type NoticeQualification,
  noticePath,
  planQualificationReminder,
} from '../../engine/notices/index.js';

const ANN = 'ann.keller@halden.example';
const BERLIN = 'Europe/Berlin';

const itil: NoticeQualification = {
  id: 'itil-change',
  name: 'ITIL change management',
  completedOn: '2026-10-01',
  expiresOn: '2027-10-01',
};

/** The run of Wednesday 1 September 2027, 06:00 UTC: 30 days before the expiry. */
const RUN_AT = Date.UTC(2027, 8, 1, 6, 0);

const profile = (zone: string): DeliveryProfile => ({
  email: ANN,
  chat: null,
  zone,
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
});

const ctxIn = (zone: string): ComposeContext => ({
  profile: profile(zone),
  publicUrl: 'https://charter.example.org/',
  now: instantOf('2027-09-01', '09:00', zone),
});

const reminder = (extra: Partial<Parameters<typeof planQualificationReminder>[0]> = {}): Notice =>
  planQualificationReminder({ qualification: itil, person: ANN, leadDays: 30, at: RUN_AT, ...extra });

describe('the reminder that a qualification expires', () => {
  test('when a reminder is planned, then it is about the qualification, for its holder, under a deterministic id', () => {
    expect(reminder()).toEqual({
      id: `qualification:itil-change:${ANN}:2027-10-01:30/${ANN}`,
      kind: 'qualificationExpiring',
      recipient: ANN,
      onBehalfOf: null,
      at: RUN_AT,
      instance: null,
      qualification: itil,
      task: null,
      step: null,
      due: null,
      cause: { kind: 'qualificationExpiry', leadDays: 30 },
    });
    expect(reminder()).toEqual(reminder());
    // Another lead time, or the renewal's expiry, is another reminder.
    const ids = new Set([
      reminder().id,
      reminder({ leadDays: 7 }).id,
      reminder({ qualification: { ...itil, completedOn: '2027-09-20', expiresOn: '2028-09-20' } }).id,
    ]);
    expect(ids.size).toBe(3);
    expect(NOTICE_KINDS).toContain('qualificationExpiring');
  });

  test('when it is composed, then it names the qualification, the expiry day, the last valid day and what lapses', () => {
    const m = compose(reminder(), ctxIn(BERLIN));
    expect(m).toEqual({
      subject: 'Your ITIL change management qualification expires on 1 Oct 2027',
      headline:
        'Your ITIL change management qualification expires on 1 Oct 2027: it is valid until 30 Sep 2027. ' +
        'Renew it before then to stay qualified.',
      why: 'from 1 Oct 2027 until you complete it again, approvals that require ITIL change management will no longer count you',
      due: null,
      details: [
        { label: 'Qualification', value: 'ITIL change management' },
        { label: 'Completed', value: '1 Oct 2026' },
        { label: 'Valid until', value: '30 Sep 2027' },
      ],
      link: {
        url: 'https://charter.example.org/qualifications/itil-change',
        label: 'Open the qualification',
      },
    });
  });

  test('when readers live in other zones, then they read the same calendar days: a registry day is no instant', () => {
    const words = (zone: string) => compose(reminder(), ctxIn(zone));
    for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'UTC']) {
      expect(words(zone).subject).toBe(words(BERLIN).subject);
      expect(words(zone).details).toEqual(words(BERLIN).details);
    }
  });

  test('when the expiry is on the first of March, then the last valid day is the end of February, leap years too', () => {
    const march = (expiresOn: string) =>
      compose(reminder({ qualification: { ...itil, expiresOn } }), ctxIn(BERLIN)).details.at(-1)?.value;
    expect(march('2027-03-01')).toBe('28 Feb 2027');
    expect(march('2028-03-01')).toBe('29 Feb 2028');
    expect(march('2028-01-01')).toBe('31 Dec 2027');
  });

  test('the console path is the qualification page, its id encoded; other notices keep theirs', () => {
    const odd = reminder({ qualification: { ...itil, id: 'fire warden/level 2' } });
    expect(noticePath(odd)).toBe('/qualifications/fire%20warden%2Flevel%202');
    expect(compose(odd, ctxIn(BERLIN)).link.url).toBe(
      'https://charter.example.org/qualifications/fire%20warden%2Flevel%202',
    );
    const instanceNotice: Notice = {
      ...reminder(),
      kind: 'reminder',
      instance: { id: 'cr-42', process: 'change-request', policy: 'it', project: null, requester: ANN },
      cause: { kind: 'mention', by: ANN, excerpt: 'see above', comment: 'c-1' },
    };
    delete instanceNotice.qualification;
    expect(noticePath(instanceNotice)).toBe('/instances/cr-42');
  });

  test('when reminders are digested with other notices, then the intro counts expiring qualifications', () => {
    const fire: NoticeQualification = {
      id: 'fire-warden',
      name: 'Fire warden',
      completedOn: '2027-08-08',
      expiresOn: '2027-09-08',
    };
    const digest = composeDigest([reminder(), reminder({ qualification: fire, leadDays: 7 })], ctxIn(BERLIN));
    expect(digest.intro).toBe('Since Wed 1 Sep, 08:00 (Europe/Berlin): 2 expiring qualifications.');
    expect(digest.items.map((i) => i.subject)).toEqual([
      'Your ITIL change management qualification expires on 1 Oct 2027',
      'Your Fire warden qualification expires on 8 Sep 2027',
    ]);
  });

  test('a day is written as people read it; a text that is no day is shown as it is', () => {
    expect(dayWords('2027-10-01')).toBe('1 Oct 2027');
    expect(dayWords('2027-12-31')).toBe('31 Dec 2027');
    expect(dayWords('2027-13-01')).toBe('2027-13-01');
    expect(dayWords('soon')).toBe('soon');
  });

  test('when a notice claims a qualification expiry but names no qualification, then compose refuses it by id', () => {
    const broken: Notice = { ...reminder() };
    delete broken.qualification;
    expect(() => compose(broken, ctxIn(BERLIN))).toThrow(
      `notice ${broken.id} is about neither an instance, a finding nor a qualification`,
    );
  });
});
