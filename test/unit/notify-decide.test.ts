// What the deliverer does with one claimed delivery (workflows/notify/decide.ts): send it inside the
// recipient's working hours, hold it outside them or in quiet hours (in the recipient's zone, across
// weekends and DST), skip a channel the person did not choose or cannot be reached on, hold a
// waiver's warning until its warning day, and put mail into the digest for people who asked for one
// or who are over the hourly limit. Instants are written with their UTC offset, so every expected
// time is stated independently of the calendar code under test.
import type { Moment } from '../../engine/facts/index.js';
import {
  type DeliveryProfile,
  DEFAULT_WORKING_HOURS,
  type Notice,
  type NotificationPreferences,
  defaultPreferences,
} from '../../engine/notices/types.js';
import { type DecideInput, decide, overLimit } from '../../workflows/notify/decide.js';

const RECIPIENT = 'lena.fischer@example.com';
/** Wednesday morning in Berlin (CET, UTC+1). */
const WED_1015 = Date.parse('2026-03-04T10:15:00+01:00');

const berlin: DeliveryProfile = {
  email: RECIPIENT,
  chat: { format: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  zone: 'Europe/Berlin',
  workingHours: DEFAULT_WORKING_HOURS,
};
const newYork: DeliveryProfile = { ...berlin, zone: 'America/New_York' };

function noticeAt(at: number, extra: Partial<Notice> = {}): Notice {
  return {
    id: `inst-7f3a:12/${RECIPIENT}`,
    kind: 'taskAssigned',
    recipient: RECIPIENT,
    onBehalfOf: null,
    at,
    instance: {
      id: 'inst-7f3a',
      process: 'change-request',
      policy: 'change-management',
      project: 'Apollo',
      requester: 'maria.schmidt@example.com',
    },
    task: 'inst-7f3a/t2',
    step: 'cab_review',
    due: { at: Date.parse('2026-03-06T17:00:00+01:00'), zone: 'Europe/Berlin' },
    cause: {
      kind: 'fact',
      fact: { kind: 'reminded', step: 'cab_review', people: [RECIPIENT], dueAt: null },
    },
    ...extra,
  };
}

/** A delivery of a notice that happened at `now`, on `channel`, to a Berlin office worker. */
function input(now: number, extra: Partial<DecideInput> = {}): DecideInput {
  return {
    channel: 'email',
    notice: noticeAt(now),
    profile: berlin,
    preferences: defaultPreferences(),
    now,
    waiverWarningDays: 3,
    mailConfigured: true,
    ...extra,
  };
}

const prefs = (change: Partial<NotificationPreferences>): NotificationPreferences => ({
  ...defaultPreferences(),
  ...change,
});

describe('working hours and quiet hours', () => {
  test('when it is inside working hours, then mail and chat are sent now', () => {
    expect(decide(input(WED_1015))).toEqual({ action: 'send' });
    expect(decide(input(WED_1015, { channel: 'chat' }))).toEqual({ action: 'send' });
  });

  test('when it is Friday 18:00 in Berlin, then it is held until Monday 09:00 in Berlin', () => {
    const friday = Date.parse('2026-03-06T18:00:00+01:00');
    const decision = decide(input(friday));

    expect(decision).toEqual({
      action: 'hold',
      until: Date.parse('2026-03-09T09:00:00+01:00'),
      note: expect.stringContaining('Mon 2026-03-09 09:00 Europe/Berlin') as string,
    });
    expect(decision.action === 'hold' && decision.note).toMatch(/^held until .*outside working hours/);
  });

  test('when it is Friday evening in New York, then it waits for Monday 09:00 there, after the clocks went forward', () => {
    // The US moves to daylight time on Sunday 2026-03-08: Friday is UTC-5, Monday UTC-4.
    const friday = Date.parse('2026-03-06T17:30:00-05:00');
    const decision = decide(input(friday, { profile: newYork, channel: 'chat' }));

    expect(decision).toMatchObject({ action: 'hold', until: Date.parse('2026-03-09T09:00:00-04:00') });
    // 16:30 in New York is 22:30 in Berlin: only the recipient's own zone counts.
    const afternoon = Date.parse('2026-03-06T16:30:00-05:00');
    expect(decide(input(afternoon, { profile: newYork }))).toEqual({ action: 'send' });
    expect(decide(input(afternoon, { profile: berlin }))).toMatchObject({
      action: 'hold',
      until: Date.parse('2026-03-09T09:00:00+01:00'),
    });
  });

  test('when it is in quiet hours, then it is held until they end', () => {
    const lunch = prefs({ quietHours: { from: '12:00', to: '13:00' } });
    const noon = Date.parse('2026-03-04T12:20:00+01:00');

    expect(decide(input(noon, { preferences: lunch }))).toMatchObject({
      action: 'hold',
      until: Date.parse('2026-03-04T13:00:00+01:00'),
      note: expect.stringContaining('in quiet hours') as string,
    });
    expect(decide(input(noon))).toEqual({ action: 'send' });
    expect(decide(input(Date.parse('2026-03-04T13:00:00+01:00'), { preferences: lunch }))).toEqual({
      action: 'send',
    });
  });

  test('when quiet hours wrap midnight and overlap early working hours, then it waits for their end', () => {
    const early: DeliveryProfile = { ...berlin, workingHours: { ...DEFAULT_WORKING_HOURS, from: '06:00' } };
    const night = prefs({ quietHours: { from: '22:00', to: '07:00' } });
    const dawn = Date.parse('2026-03-04T06:30:00+01:00');

    expect(decide(input(dawn, { profile: early, preferences: night }))).toMatchObject({
      action: 'hold',
      until: Date.parse('2026-03-04T07:00:00+01:00'),
    });
    expect(decide(input(dawn, { profile: early }))).toEqual({ action: 'send' });
  });
});

describe('channels and addresses', () => {
  test('when the person did not choose the channel for the kind, then it is skipped', () => {
    const chatOnly = prefs({ channels: { ...defaultPreferences().channels, taskAssigned: ['chat'] } });

    expect(decide(input(WED_1015, { preferences: chatOnly }))).toEqual({
      action: 'skip',
      note: `${RECIPIENT} does not take taskAssigned messages by email`,
    });
    expect(decide(input(WED_1015, { preferences: chatOnly, channel: 'chat' }))).toEqual({ action: 'send' });
  });

  test('when the directory has no e-mail address, then mail is skipped but chat is sent', () => {
    const noMail = { ...berlin, email: null };

    expect(decide(input(WED_1015, { profile: noMail }))).toEqual({
      action: 'skip',
      note: `no e-mail address for ${RECIPIENT} in the directory`,
    });
    expect(decide(input(WED_1015, { profile: noMail, channel: 'chat' }))).toEqual({ action: 'send' });
  });

  test('when no mail server is configured, then mail is skipped even outside working hours', () => {
    const saturday = Date.parse('2026-03-07T11:00:00+01:00');

    expect(decide(input(WED_1015, { mailConfigured: false }))).toMatchObject({
      action: 'skip',
      note: expect.stringContaining('SMTP') as string,
    });
    expect(decide(input(saturday, { mailConfigured: false }))).toMatchObject({ action: 'skip' });
    expect(decide(input(WED_1015, { mailConfigured: false, channel: 'chat' }))).toEqual({ action: 'send' });
  });

  test('when the person has no chat target, then chat is skipped', () => {
    expect(decide(input(WED_1015, { channel: 'chat', profile: { ...berlin, chat: null } }))).toEqual({
      action: 'skip',
      note: `no chat target for ${RECIPIENT} in the directory`,
    });
  });

  test('the in-app list receives every notice at once, whatever the hour, channels or addresses', () => {
    const saturdayNight = Date.parse('2026-03-07T03:00:00+01:00');
    const nothingChosen = prefs({
      channels: { ...defaultPreferences().channels, taskAssigned: [] },
      quietHours: { from: '00:00', to: '08:00' },
      digest: true,
    });
    const unreachable = { ...berlin, email: null, chat: null };

    expect(
      decide(
        input(saturdayNight, {
          channel: 'inapp',
          preferences: nothingChosen,
          profile: unreachable,
          mailConfigured: false,
        }),
      ),
    ).toEqual({ action: 'send' });
    // The same delivery by mail is skipped: the in-app answer is not the default for every channel.
    expect(decide(input(saturdayNight, { preferences: nothingChosen }))).toMatchObject({ action: 'skip' });
  });
});

describe("a waiver's warning", () => {
  const WAIVED_AT = Date.parse('2026-03-04T10:15:00+01:00');
  /** Expires Thursday 2026-06-25 17:00 in Berlin (CEST, UTC+2). */
  const EXPIRES: Moment = { at: Date.parse('2026-06-25T17:00:00+02:00'), zone: 'Europe/Berlin' };
  const WARNING_DAY = Date.parse('2026-06-22T09:00:00+02:00');
  const expiring = (due: Moment, at = WAIVED_AT): Notice =>
    noticeAt(at, { kind: 'waiverExpiring', task: null, due });

  test('when a waiver runs out in months, then every channel, the in-app list too, waits for three working days before', () => {
    for (const channel of ['inapp', 'email', 'chat'] as const) {
      expect(decide(input(WAIVED_AT, { channel, notice: expiring(EXPIRES) }))).toEqual({
        action: 'hold',
        until: WARNING_DAY,
        note: expect.stringContaining('Mon 2026-06-22 09:00 Europe/Berlin') as string,
      });
    }
  });

  test('when the warning day has come, then it is sent', () => {
    const notice = expiring(EXPIRES);
    expect(decide(input(WARNING_DAY, { channel: 'inapp', notice }))).toEqual({ action: 'send' });
    expect(decide(input(WARNING_DAY + 60_000, { notice }))).toEqual({ action: 'send' });
  });

  test('when the expiry is on a Monday, then the working days before it skip the weekend', () => {
    const monday: Moment = { at: Date.parse('2026-06-29T12:00:00+02:00'), zone: 'Europe/Berlin' };

    expect(decide(input(WAIVED_AT, { channel: 'inapp', notice: expiring(monday) }))).toMatchObject({
      action: 'hold',
      until: Date.parse('2026-06-24T09:00:00+02:00'),
    });
    expect(
      decide(input(WAIVED_AT, { channel: 'inapp', notice: expiring(monday), waiverWarningDays: 1 })),
    ).toMatchObject({ until: Date.parse('2026-06-26T09:00:00+02:00') });
  });

  test('when the waiver runs out sooner than the warning days, then it is told at once', () => {
    const tuesday = Date.parse('2026-06-23T10:00:00+02:00');

    expect(decide(input(tuesday, { channel: 'inapp', notice: expiring(EXPIRES, tuesday) }))).toEqual({
      action: 'send',
    });
    expect(decide(input(tuesday, { notice: expiring(EXPIRES, tuesday) }))).toEqual({ action: 'send' });
  });
});

describe('digests and the hourly limit', () => {
  const daily = prefs({ digest: true });

  test('when the person wants a digest, then mail goes into the next working morning digest, chat is sent', () => {
    expect(decide(input(WED_1015, { preferences: daily }))).toEqual({
      action: 'digest',
      at: Date.parse('2026-03-05T09:00:00+01:00'),
      note: expect.stringContaining('Thu 2026-03-05 09:00 Europe/Berlin') as string,
    });
    expect(decide(input(WED_1015, { preferences: daily, channel: 'chat' }))).toEqual({ action: 'send' });
    expect(decide(input(WED_1015, { preferences: daily, channel: 'inapp' }))).toEqual({ action: 'send' });
  });

  test("when Friday's mail is for a digest, then the digest is Monday's", () => {
    const friday = Date.parse('2026-03-06T15:00:00+01:00');

    expect(decide(input(friday, { preferences: daily }))).toMatchObject({
      action: 'digest',
      at: Date.parse('2026-03-09T09:00:00+01:00'),
    });
  });

  test("when a digest reader's mail arrives in the evening, then it joins the next morning's digest", () => {
    const wednesdayEvening = Date.parse('2026-03-04T19:30:00+01:00');
    const thursdayEarly = Date.parse('2026-03-05T07:10:00+01:00');

    expect(decide(input(wednesdayEvening, { preferences: daily }))).toMatchObject({
      action: 'digest',
      at: Date.parse('2026-03-05T09:00:00+01:00'),
    });
    expect(decide(input(thursdayEarly, { preferences: daily }))).toMatchObject({
      action: 'digest',
      at: Date.parse('2026-03-05T09:00:00+01:00'),
    });
  });

  test('when a notice is dated after now, then the note says it waits for its time, not for a warning day', () => {
    const later = Date.parse('2026-03-04T11:00:00+01:00');
    const decision = decide(input(WED_1015, { notice: noticeAt(later) }));

    expect(decision).toMatchObject({ action: 'hold', until: later });
    expect(decision.action === 'hold' ? decision.note : '').toMatch(/\(not before its time\)$/);
  });

  test('when the hourly limit is reached, then the delivery goes to the next digest', () => {
    expect(overLimit(berlin, defaultPreferences(), WED_1015, 20)).toEqual({
      action: 'digest',
      at: Date.parse('2026-03-05T09:00:00+01:00'),
      note: expect.stringMatching(
        /^over 20 messages in an hour: .*Thu 2026-03-05 09:00 Europe\/Berlin/,
      ) as string,
    });
    // The digest is the first instant outside quiet hours, in the recipient's own zone.
    const lateStart = prefs({ quietHours: { from: '09:00', to: '10:00' } });
    const fridayNewYork = Date.parse('2026-03-06T14:00:00-05:00');
    expect(overLimit(newYork, lateStart, fridayNewYork, 20)).toMatchObject({
      at: Date.parse('2026-03-09T10:00:00-04:00'),
    });
  });
});

describe('a notice from later than now', () => {
  // A time-skipping test clock can plan a notice whose time is ahead of the worker's clock.
  test('when its time is outside working hours, then it is held relative to its own time', () => {
    const now = Date.parse('2026-03-06T10:00:00+01:00');
    const notice = noticeAt(Date.parse('2026-03-06T18:00:00+01:00'));

    expect(decide(input(now, { notice }))).toMatchObject({
      action: 'hold',
      until: Date.parse('2026-03-09T09:00:00+01:00'),
    });
  });

  test('when its time is inside working hours, then it is held until that time, on every channel', () => {
    const now = Date.parse('2026-03-04T10:00:00+01:00');
    const notice = noticeAt(Date.parse('2026-03-04T11:00:00+01:00'));

    for (const channel of ['inapp', 'email', 'chat'] as const) {
      expect(decide(input(now, { notice, channel }))).toMatchObject({
        action: 'hold',
        until: Date.parse('2026-03-04T11:00:00+01:00'),
      });
    }
  });
});
