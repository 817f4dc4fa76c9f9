// What the settings forms hold while a person types, and how it becomes the body the API takes:
// a delivery profile (how a person is reached) and notification preferences (what is sent where).
// Drafts keep every field as typed, including the parts a choice hides (the webhook URL while
// "no chat" is picked, quiet hours while "none" is picked), so that changing one's mind, or an
// error from the server, never loses what was typed. The server checks everything; nothing here
// refuses input.
import type { DayName } from '../../../../engine/ir/types.js';
import {
  CHANNELS,
  type Channel,
  DEFAULT_WORKING_HOURS,
  type DeliveryProfile,
  NOTICE_KINDS,
  type NoticeKind,
  type NotificationPreferences,
} from '../../../../engine/notices/types.js';

export const DAYS: readonly { day: DayName; label: string }[] = [
  { day: 'mon', label: 'Monday' },
  { day: 'tue', label: 'Tuesday' },
  { day: 'wed', label: 'Wednesday' },
  { day: 'thu', label: 'Thursday' },
  { day: 'fri', label: 'Friday' },
  { day: 'sat', label: 'Saturday' },
  { day: 'sun', label: 'Sunday' },
];

/** Each kind as the preferences table names it, in NOTICE_KINDS order. */
export const KIND_LABELS: Record<NoticeKind, string> = {
  taskAssigned: 'Task assigned to me',
  reminder: 'Reminder',
  escalation: 'Escalation',
  decision: 'Decision on my request',
  waiverNeeded: 'Check failed: waiver needed',
  waiverExpiring: 'Waiver expiring',
  mention: 'Mention',
  ended: 'Request ended',
  policyMessage: 'Message from a policy step',
  finding: 'Findings about my projects',
  qualificationExpiring: 'Qualifications about to expire',
};

export const CHANNEL_LABELS: Record<Channel, string> = { email: 'Email', chat: 'Chat' };

export type ChatChoice = 'none' | 'slack' | 'teams';

export interface DeliveryDraft {
  email: string;
  chat: ChatChoice;
  chatUrl: string;
  zone: string;
  days: DayName[];
  from: string;
  to: string;
}

/** The browser's zone: what a person setting up their own profile most likely means. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Working hours that were never set read as "any time" (to 24:00, which no form or import can
 * save): the directory has no hours for the person yet.
 */
export const hoursUnset = (profile: DeliveryProfile): boolean => profile.workingHours.to === '24:00';

/**
 * The draft of a saved profile. Hours never set are offered as the suggested office week; a
 * profile never set at all (no hours, zone still UTC) is offered in `suggestedZone` when given.
 */
export function deliveryDraft(profile: DeliveryProfile, suggestedZone: string | null): DeliveryDraft {
  const unset = hoursUnset(profile);
  const hours = unset ? DEFAULT_WORKING_HOURS : profile.workingHours;
  return {
    email: profile.email ?? '',
    chat: profile.chat?.format ?? 'none',
    chatUrl: profile.chat?.url ?? '',
    zone: unset && profile.zone === 'UTC' && suggestedZone !== null ? suggestedZone : profile.zone,
    days: [...hours.days],
    from: hours.from,
    to: hours.to,
  };
}

/** The PUT body of a draft: empty address means no mail, days in week order. */
export function deliveryBody(draft: DeliveryDraft): DeliveryProfile {
  const email = draft.email.trim();
  return {
    email: email === '' ? null : email,
    chat: draft.chat === 'none' ? null : { format: draft.chat, url: draft.chatUrl.trim() },
    zone: draft.zone,
    workingHours: {
      days: DAYS.map((d) => d.day).filter((day) => draft.days.includes(day)),
      from: draft.from,
      to: draft.to,
    },
  };
}

export interface PreferencesDraft {
  channels: Record<NoticeKind, Channel[]>;
  digest: boolean;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
}

/** What the quiet-hours fields suggest before any are set: a lunch break. */
const SUGGESTED_QUIET = { from: '12:00', to: '13:00' };

export function preferencesDraft(preferences: NotificationPreferences): PreferencesDraft {
  return {
    channels: Object.fromEntries(
      NOTICE_KINDS.map((kind) => [kind, [...(preferences.channels[kind] ?? [])]]),
    ) as Record<NoticeKind, Channel[]>,
    digest: preferences.digest,
    quiet: preferences.quietHours !== null,
    quietFrom: preferences.quietHours?.from ?? SUGGESTED_QUIET.from,
    quietTo: preferences.quietHours?.to ?? SUGGESTED_QUIET.to,
  };
}

export function preferencesBody(draft: PreferencesDraft): NotificationPreferences {
  return {
    channels: Object.fromEntries(
      NOTICE_KINDS.map((kind) => [kind, CHANNELS.filter((c) => draft.channels[kind].includes(c))]),
    ) as Record<NoticeKind, Channel[]>,
    digest: draft.digest,
    quietHours: draft.quiet ? { from: draft.quietFrom, to: draft.quietTo } : null,
  };
}

/** `list` with `item` in or out. */
export function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  const without = list.filter((x) => x !== item);
  return on ? [...without, item] : without;
}

/**
 * Every zone the browser knows, UTC first (Chromium's list leaves it out) and the current value
 * kept even when this browser does not know it, so that opening the form never changes it.
 */
export function zoneChoices(current: string): string[] {
  const known = Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC');
  const unknown = current === 'UTC' || known.includes(current) ? [] : [current];
  return ['UTC', ...unknown, ...known];
}
