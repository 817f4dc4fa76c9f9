// The request and answer shapes of notifications: the in-app list, a person's delivery fields
// (where and when they are reached) and their notification preferences, the failed-delivery
// queue of admins. The field validators here are shared with the CSV import (import.ts), so a
// zone, an address or a working week is accepted or refused the same way by both.
import { z } from 'zod';
import { MAILBOX_MESSAGE, mailboxLimits } from '../directory/schemas.js';
import { CHANNELS, type Channel, NOTICE_KINDS, type NoticeKind } from '../../engine/notices/types.js';
import type { DayName } from '../../engine/ir/types.js';
import { pageQuery } from '../paging.js';

export const DAY_NAMES: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `HH:MM` on the 24-hour clock. */
export const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (24-hour clock)');

/** Whether `value` has `from` and `to` that are both times of day: what comparing them needs. */
function validClockSpan(value: unknown): value is { from: string; to: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { from, to } = value as Record<string, unknown>;
  return clockTime.safeParse(from).success && clockTime.safeParse(to).success;
}

export const emailAddress = z
  .email('expected an e-mail address')
  .max(254)
  .refine(mailboxLimits, MAILBOX_MESSAGE);

/** The zone as Intl spells it (`europe/berlin` becomes `Europe/Berlin`), or undefined if Intl refuses it. */
export function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** An IANA zone: whatever the runtime's Intl accepts, stored as Intl spells it. */
export const zoneName = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => canonicalZone(zone) !== undefined, 'not a time zone (expected e.g. Europe/Berlin)')
  .transform((zone) => canonicalZone(zone) ?? zone);

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Chat webhooks carry the post's content: https only, but plain http to this machine (tests, a relay). */
export const webhookUrl = z
  .url('expected a URL')
  .max(2000)
  // Zod runs this check even when the URL check failed: a text that is no URL must not throw here.
  .refine((text) => {
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url === null) return true;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  }, 'expected an https URL (http only for localhost or 127.0.0.1)');

export const chatTarget = z.strictObject({ format: z.enum(['slack', 'teams']), url: webhookUrl });

export const workingDays = z
  .array(z.enum(DAY_NAMES as [DayName, ...DayName[]]))
  .min(1, 'name at least one working day')
  .max(7)
  .refine((days) => new Set(days).size === days.length, 'each day at most once');

/** Working hours: the days, and one span of the day (`from` before `to`, in the person's zone). */
export const workingHours = z.strictObject({ days: workingDays, from: clockTime, to: clockTime }).superRefine(
  (hours, ctx) => {
    if (validClockSpan(hours) && hours.from >= hours.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  },
  // Also when the days are wrong: every problem of the request in one answer.
  { when: () => true },
);

/** A whole DeliveryProfile: a PUT replaces every field. */
export const deliveryProfile = z.strictObject({
  email: emailAddress.nullable(),
  chat: chatTarget.nullable(),
  zone: zoneName,
  workingHours,
});

const channelList = z
  .array(z.enum(CHANNELS))
  .max(CHANNELS.length)
  .refine((channels) => new Set(channels).size === channels.length, 'each channel at most once');

const isKind = (key: string): key is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(key);

/**
 * The channels of every kind. Loose, then refined: a strict object would report unknown kinds
 * as one problem at `channels`, not at `channels.<kind>` where the client can show it.
 */
const channelsByKind = z
  .looseObject(Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, channelList])))
  .superRefine(
    (channels, ctx) => {
      if (typeof channels !== 'object' || channels === null) return;
      for (const key of Object.keys(channels)) {
        if (!isKind(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `not a kind of notice (one of ${NOTICE_KINDS.join(', ')})`,
          });
        }
      }
    },
    // Also when a kind is missing: every problem of the request in one answer.
    { when: () => true },
  )
  .transform(
    (channels) =>
      Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, channels[kind]])) as Record<NoticeKind, Channel[]>,
  );

const quietHours = z.strictObject({ from: clockTime, to: clockTime }).superRefine((quiet, ctx) => {
  // A span over midnight (22:00 to 07:00) is fine; an empty one is a mistake.
  if (quiet.from === quiet.to)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must differ from from' });
});

export const notificationPreferences = z.strictObject({
  channels: channelsByKind,
  digest: z.boolean(),
  quietHours: quietHours.nullable(),
});

// Answers: what the store holds, described for the OpenAPI document.
const workingHoursView = z.object({
  days: z.array(z.enum(DAY_NAMES as [DayName, ...DayName[]])),
  from: z.string(),
  to: z.string(),
});
export const deliveryProfileView = z.object({
  email: z.string().nullable(),
  chat: z.object({ format: z.enum(['slack', 'teams']), url: z.string() }).nullable(),
  zone: z.string(),
  workingHours: workingHoursView,
});
export const preferencesView = z.object({
  channels: z.object(
    Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, z.array(z.enum(CHANNELS))])) as Record<
      NoticeKind,
      z.ZodArray<z.ZodEnum<{ [C in Channel]: C }>>
    >,
  ),
  digest: z.boolean(),
  quietHours: z.object({ from: z.string(), to: z.string() }).nullable(),
});

/** The in-app list: a page of 20 by default, at most 100; `unread=true` for the unread ones only. */
export const notificationsQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  unread: z.stringbool().optional().describe('true: only the notifications not read yet'),
});

export const MAX_MARKED = 200;

/** Either the ids to mark read, or `all: true`; exactly one of the two. */
export const markReadBody = z
  .strictObject({
    ids: z.array(z.string().min(1).max(500)).max(MAX_MARKED).optional(),
    all: z.literal(true).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.ids === undefined) === (body.all === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or all: true (exactly one)' });
    }
  });

export const notificationView = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  at: z.string().describe('when it happened (ISO 8601)'),
  readAt: z.string().nullable(),
  subject: z.string(),
  headline: z.string(),
  why: z.string().nullable(),
  due: z.string().nullable().describe("when it is due, in the caller's zone and business time"),
  path: z.string().describe('the console page to open (it never acts by itself)'),
  details: z.array(z.object({ label: z.string(), value: z.string() })),
  instanceId: z
    .string()
    .nullable()
    .describe("the instance it is about; null when it is about a monitor's finding"),
  task: z.string().nullable(),
});

/** The failed-delivery queue: which status to list (only failed ones wait for a person). */
export const deliveriesQuery = pageQuery.extend({ status: z.enum(['failed']).default('failed') });

export const failedDeliveryView = z.object({
  id: z.string(),
  channel: z.enum(['inapp', 'email', 'chat']),
  recipient: z.string(),
  kind: z.enum(NOTICE_KINDS).nullable().describe('the kind of its first notice (a digest holds several)'),
  subject: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  failedAt: z.string().nullable(),
  note: z.string().nullable(),
  instanceId: z.string().nullable(),
  path: z
    .string()
    .nullable()
    .describe('the console page its notice links to (an instance, a task or a finding); null for a digest'),
});
