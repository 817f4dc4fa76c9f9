// What to do with one claimed delivery, decided from the recipient's profile and preferences and
// the clock: send it now, hold it (outside working hours, in quiet hours, or until a waiver's
// warning day), skip it (a channel the person did not choose, no address), or put it into a digest
// (the person wants one, or the hourly limit is reached). Pure, so every rule has a unit test; the
// deliverer carries the decision out.
//
// The policy's timers are not touched: the engine computes a reminder on the policy's calendar,
// and only its delivery waits for the recipient's working morning, in their zone.
import { formatInstant } from '../../engine/calendar/index.js';
import { deliveryTime, expiryWarningTime, nextDigestTime } from '../../engine/notices/schedule.js';
import type {
  DeliveryChannel,
  DeliveryProfile,
  Notice,
  NotificationPreferences,
} from '../../engine/notices/types.js';

export type Decision =
  | { action: 'send' }
  | { action: 'hold'; until: number; note: string }
  | { action: 'skip'; note: string }
  /** Into the digest sent at `at`; `quota` when it must first pass the hourly limit. */
  | { action: 'digest'; at: number; note: string };

export interface DecideInput {
  channel: DeliveryChannel;
  notice: Notice;
  profile: DeliveryProfile;
  preferences: NotificationPreferences;
  now: number;
  /** How many working days before a waiver expires its warning goes out. */
  waiverWarningDays: number;
  /** Whether this worker can send mail at all (an SMTP server is configured). */
  mailConfigured: boolean;
}

/** The instant in the recipient's zone, the zone named (formatInstant adds it). */
const when = (at: number, profile: DeliveryProfile): string => formatInstant(at, profile.zone);

/** The decision for a single (non-digest) delivery, before the hourly limit is asked. */
export function decide(input: DecideInput): Decision {
  const { channel, notice, profile, preferences, now } = input;
  // Not before it happened (a time-skipping clock runs ahead of the wall clock) ...
  let earliest = Math.max(now, notice.at);
  let reason = 'not before its time';
  if (notice.kind === 'waiverExpiring' && notice.due !== null) {
    // ... nor before the warning day, on every channel: a warning weeks ahead is noise.
    const warnAt = expiryWarningTime(notice.due.at, input.waiverWarningDays, notice.at, profile);
    if (warnAt > earliest) {
      earliest = warnAt;
      reason = `${input.waiverWarningDays} working days before the waiver expires`;
    }
  }
  const held = (until: number, why: string): Decision => ({
    action: 'hold',
    until,
    note: `held until ${when(until, profile)} (${why})`,
  });
  if (channel === 'inapp') return earliest > now ? held(earliest, reason) : { action: 'send' };
  if (!preferences.channels[notice.kind].includes(channel)) {
    return {
      action: 'skip',
      note: `${notice.recipient} does not take ${notice.kind} messages by ${channel}`,
    };
  }
  if (channel === 'email' && profile.email === null) {
    return { action: 'skip', note: `no e-mail address for ${notice.recipient} in the directory` };
  }
  if (channel === 'email' && !input.mailConfigured) {
    return { action: 'skip', note: 'no SMTP server is configured (CHARTER_SMTP_HOST)' };
  }
  if (channel === 'chat' && profile.chat === null) {
    return { action: 'skip', note: `no chat target for ${notice.recipient} in the directory` };
  }
  if (channel === 'email' && preferences.digest) {
    // The digest goes out at a working morning anyway: no hold first, or an evening notice
    // would miss the next morning's digest.
    const at = nextDigestTime(earliest, profile, preferences);
    return { action: 'digest', at, note: `daily digest of ${when(at, profile)}` };
  }
  const sendAt = deliveryTime(earliest, profile, preferences);
  if (sendAt > now) {
    return held(sendAt, sendAt === earliest ? reason : 'outside working hours or in quiet hours');
  }
  return { action: 'send' };
}

/** Where a delivery goes when the hourly limit is reached: the recipient's next digest. */
export function overLimit(
  profile: DeliveryProfile,
  preferences: NotificationPreferences,
  now: number,
  limit: number,
): Decision {
  const at = nextDigestTime(now, profile, preferences);
  return {
    action: 'digest',
    at,
    note: `over ${limit} messages in an hour: in the digest of ${when(at, profile)}`,
  };
}
