// When notices may go out: working hours and quiet hours in the recipient's zone, the morning
// digest, the warning before a waiver runs out and the hourly rate-limit bucket. Real zones, DST
// weeks and instants near local midnight, plus a property over random instants.
import fc from 'fast-check';
import { instantOf, isWorkingTime, NoWorkingTimeError } from '../../engine/calendar/index.js';
import {
  defaultPreferences,
  deliveryTime,
  digestDay,
  expiryWarningTime,
  hourStart,
  nextDigestTime,
  workingCalendar,
} from '../../engine/notices/index.js';
import type { DeliveryProfile, NotificationPreferences } from '../../engine/notices/index.js';

const BERLIN = 'Europe/Berlin';
const berlin = (date: string, time: string): number => instantOf(date, time, BERLIN);

function profile(zone: string, from = '09:00', to = '17:00'): DeliveryProfile {
  return {
    email: 'lea.hofmann@example.org',
    chat: null,
    zone,
    workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from, to },
  };
}

function quiet(from: string, to: string): NotificationPreferences {
  return { ...defaultPreferences(), quietHours: { from, to } };
}

const office = profile(BERLIN);
const anytime = defaultPreferences();

describe('deliveryTime', () => {
  test('when a notice comes Friday after hours, then it goes out Monday 09:00 in the zone', () => {
    // 2026-12-11 is a Friday.
    expect(deliveryTime(berlin('2026-12-11', '18:00'), office, anytime)).toBe(berlin('2026-12-14', '09:00'));
  });

  test('when a notice comes inside working hours, then it goes out at once', () => {
    const at = berlin('2026-12-09', '10:15') + 12_345;
    expect(deliveryTime(at, office, anytime)).toBe(at);
  });

  test('when a notice comes exactly at the end of the working day, then it waits for the next morning', () => {
    expect(deliveryTime(berlin('2026-12-09', '17:00'), office, anytime)).toBe(berlin('2026-12-10', '09:00'));
  });

  test('when quiet hours are 12:00-13:00 and a notice comes at 12:20, then it goes out at 13:00', () => {
    const lunch = quiet('12:00', '13:00');
    expect(deliveryTime(berlin('2026-12-09', '12:20'), office, lunch)).toBe(berlin('2026-12-09', '13:00'));
    expect(deliveryTime(berlin('2026-12-09', '11:59'), office, lunch)).toBe(berlin('2026-12-09', '11:59'));
  });

  test('when quiet hours wrap midnight (22:00-07:00), then an early shift starts receiving at 07:00', () => {
    const early = profile(BERLIN, '06:00', '14:00');
    const nights = quiet('22:00', '07:00');
    expect(deliveryTime(berlin('2026-12-09', '06:30'), early, nights)).toBe(berlin('2026-12-09', '07:00'));
    expect(deliveryTime(berlin('2026-12-08', '23:00'), early, nights)).toBe(berlin('2026-12-09', '07:00'));
    expect(deliveryTime(berlin('2026-12-09', '13:30'), early, nights)).toBe(berlin('2026-12-09', '13:30'));
  });

  test('when quiet hours cover the whole working day, then it throws instead of searching forever', () => {
    expect(() => deliveryTime(berlin('2026-12-09', '10:00'), office, quiet('08:00', '18:00'))).toThrow(
      NoWorkingTimeError,
    );
    expect(() =>
      deliveryTime(0, { ...office, workingHours: { ...office.workingHours, days: [] } }, anytime),
    ).toThrow(NoWorkingTimeError);
  });

  test('when clocks change over the weekend, then Monday 09:00 is local time after the change', () => {
    // Berlin leaves summer time on Sun 2026-10-25 and enters it on Sun 2026-03-29.
    const autumn = deliveryTime(berlin('2026-10-23', '18:00'), office, anytime);
    expect(autumn).toBe(Date.UTC(2026, 9, 26, 8, 0));
    const spring = deliveryTime(berlin('2026-03-27', '18:00'), office, anytime);
    expect(spring).toBe(Date.UTC(2026, 2, 30, 7, 0));
  });

  test('when a profile is in New York, then its hours are New York hours', () => {
    const ny = profile('America/New_York');
    // 15:00 UTC on a Wednesday in December is 10:00 in New York: working time there, not in Tokyo.
    const at = Date.UTC(2026, 11, 9, 15, 0);
    expect(deliveryTime(at, ny, anytime)).toBe(at);
    expect(deliveryTime(at, profile('Asia/Tokyo'), anytime)).toBe(
      instantOf('2026-12-10', '09:00', 'Asia/Tokyo'),
    );
  });
});

describe('nextDigestTime', () => {
  test('when a notice comes Friday evening, then the digest goes Monday 09:00', () => {
    expect(nextDigestTime(berlin('2026-12-11', '18:00'), office, anytime)).toBe(
      berlin('2026-12-14', '09:00'),
    );
  });

  test('when a notice comes before the working day starts, then it joins that morning’s digest', () => {
    expect(nextDigestTime(berlin('2026-12-09', '07:00'), office, anytime)).toBe(
      berlin('2026-12-09', '09:00'),
    );
  });

  test('when a notice comes at or after the day’s start, then it waits for the next working day', () => {
    expect(nextDigestTime(berlin('2026-12-09', '09:00'), office, anytime)).toBe(
      berlin('2026-12-10', '09:00'),
    );
    expect(nextDigestTime(berlin('2026-12-09', '12:30'), office, quiet('12:00', '13:00'))).toBe(
      berlin('2026-12-10', '09:00'),
    );
  });

  test('when quiet hours cover the start of the day, then the digest goes when they end', () => {
    const mornings = quiet('08:00', '10:00');
    expect(nextDigestTime(berlin('2026-12-09', '07:00'), office, mornings)).toBe(
      berlin('2026-12-09', '10:00'),
    );
    expect(nextDigestTime(berlin('2026-12-09', '11:00'), office, mornings)).toBe(
      berlin('2026-12-10', '10:00'),
    );
  });
});

describe('digestDay', () => {
  test('when a delivery is near midnight, then its day is the recipient’s local date', () => {
    const at = Date.UTC(2026, 11, 9, 23, 30);
    expect(digestDay(at, office)).toBe('2026-12-10');
    expect(digestDay(at, profile('America/New_York'))).toBe('2026-12-09');
    expect(digestDay(at, profile('UTC'))).toBe('2026-12-09');
  });
});

describe('expiryWarningTime', () => {
  test('when a waiver expires on Thursday and the warning is 3 days ahead, then it is Monday 09:00', () => {
    const expires = berlin('2026-12-10', '15:00');
    expect(expiryWarningTime(expires, 3, 0, office)).toBe(berlin('2026-12-07', '09:00'));
  });

  test('when the days before the expiry include a weekend, then only working days count', () => {
    // Tue 15 Dec: Mon 14, Fri 11, Thu 10.
    expect(expiryWarningTime(berlin('2026-12-15', '12:00'), 3, 0, office)).toBe(
      berlin('2026-12-10', '09:00'),
    );
    // Expiring on a Sunday: Fri 11 is one working day before.
    expect(expiryWarningTime(berlin('2026-12-13', '00:00'), 1, 0, office)).toBe(
      berlin('2026-12-11', '09:00'),
    );
  });

  test('when the warning time has passed already, then it is `at`', () => {
    const now = berlin('2026-12-09', '11:00');
    expect(expiryWarningTime(berlin('2026-12-10', '15:00'), 3, now, office)).toBe(now);
  });

  test('when days is 0, then it is the start of the expiry’s working day, but never after the expiry', () => {
    expect(expiryWarningTime(berlin('2026-12-10', '15:00'), 0, 0, office)).toBe(
      berlin('2026-12-10', '09:00'),
    );
    const early = berlin('2026-12-10', '08:00');
    expect(expiryWarningTime(early, 0, 0, office)).toBe(early);
  });
});

describe('hourStart and workingCalendar', () => {
  test('when an instant is inside an hour, then its bucket is the start of that UTC hour', () => {
    expect(hourStart(Date.UTC(2026, 11, 9, 10, 37, 12, 345))).toBe(Date.UTC(2026, 11, 9, 10));
    expect(hourStart(Date.UTC(2026, 11, 9, 10))).toBe(Date.UTC(2026, 11, 9, 10));
  });

  test('when the same hours are asked for twice, then the same compiled calendar is returned', () => {
    const cal = workingCalendar(profile(BERLIN));
    expect(workingCalendar(profile(BERLIN))).toBe(cal);
    expect(cal.timeZone).toBe(BERLIN);
    expect(cal.weeklyMinutes).toBe(5 * 8 * 60);
    expect(workingCalendar(profile(BERLIN, '08:00'))).not.toBe(cal);
  });
});

// ---- Property: the result is never early, and it is deliverable ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function localMinutes(at: number, zone: string): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value) % 24;
  return hour * 60 + Number(parts.find((p) => p.type === 'minute')?.value);
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

function isQuiet(at: number, zone: string, prefs: NotificationPreferences): boolean {
  if (prefs.quietHours === null) return false;
  const m = localMinutes(at, zone);
  const from = minutesOf(prefs.quietHours.from);
  const to = minutesOf(prefs.quietHours.to);
  return from <= to ? from <= m && m < to : m >= from || m < to;
}

const CASES: [DeliveryProfile, NotificationPreferences][] = [
  [office, anytime],
  [office, quiet('12:00', '13:00')],
  [profile(BERLIN, '06:00', '14:00'), quiet('22:00', '07:00')],
  [profile('America/New_York', '08:30', '17:30'), quiet('12:30', '13:15')],
  [profile('Asia/Kolkata', '09:30', '18:00'), quiet('17:00', '09:45')],
  [profile('Australia/Lord_Howe', '07:00', '15:00'), anytime],
];

describe('deliveryTime properties', () => {
  test('when any instant is delivered, then the result is not before it and is working, non-quiet time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }),
        ([p, prefs], at) => {
          const sent = deliveryTime(at, p, prefs);
          expect(sent).toBeGreaterThanOrEqual(at);
          expect(isWorkingTime(workingCalendar(p), sent)).toBe(true);
          expect(isQuiet(sent, p.zone, prefs)).toBe(false);
          // Nothing deliverable was skipped: the minute before the result was not deliverable.
          const before = sent - 60_000;
          if (before >= at) {
            const deliverable = isWorkingTime(workingCalendar(p), before) && !isQuiet(before, p.zone, prefs);
            expect(deliverable).toBe(false);
          }
        },
      ),
    );
  });
});
