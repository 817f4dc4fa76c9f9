// What Charter tells people, as data: a notice is one thing that happened, addressed to one person,
// with the fact that makes it true. Notices are planned from the typed facts of a transition
// (plan.ts) or of a monitor's finding (findings.ts), from a comment's @mention or a delegation (the
// API), from a qualification about to expire (qualifications.ts), and rendered for a channel only
// at delivery (compose.ts), in the recipient's zone. Nothing here reads an engine sentence.
//
// Notices are plain JSON: they are stored in the in-app list and in the delivery queue, so a field,
// once written, is never renamed.
import type { Fact, Moment } from '../facts/index.js';
import type { DayName } from '../ir/types.js';

/** Every kind of message a person can receive, in the order the preferences screen lists them. */
export const NOTICE_KINDS = [
  'taskAssigned',
  'reminder',
  'escalation',
  'decision',
  'waiverNeeded',
  'waiverExpiring',
  'mention',
  'ended',
  /** A policy's own `notify` step: the author's message to the people it names. */
  'policyMessage',
  /** A protocol monitor's finding about a project: opened, reminded, escalated, overdue. */
  'finding',
  /** A completion of a qualification the person holds runs out soon (the daily reminder job). */
  'qualificationExpiring',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Channels a person chooses per kind; the in-app list always receives every notice. */
export const CHANNELS = ['email', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Where a notice is delivered: the chosen channels and the console's own list. */
export const DELIVERY_CHANNELS = ['inapp', 'email', 'chat'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The instance a notice is about: enough to say what it is and link to it. */
export interface NoticeInstance {
  id: string;
  process: string;
  policy: string;
  project: string | null;
  requester: string;
}

/**
 * The protocol monitor's finding a notice is about (store/findings.ts): enough to say what was
 * found on which project and to link to it.
 */
export interface NoticeFinding {
  id: string;
  monitor: string;
  policy: string;
  /** The project's code. */
  project: string;
  /** What the monitor found wrong, in the policy author's words (the finding's message). */
  message: string;
}

/**
 * The completion of a qualification a reminder is about (store/qualifications.ts): enough to name
 * the qualification, say when it runs out and link to it. Days are `YYYY-MM-DD`; the completion is
 * valid until and including the day before `expiresOn`.
 */
export interface NoticeQualification {
  /** The registry's slug: `itil-change`. */
  id: string;
  name: string;
  completedOn: string;
  expiresOn: string;
}

/** Why the person is told: a machine fact, something a person did through the API, or a date coming up. */
export type NoticeCause =
  /**
   * `failure`: for a waiver task, the check failure it waives (recorded in an earlier transition,
   * so the planner is handed it).
   */
  | { kind: 'fact'; fact: Fact; failure?: Extract<Fact, { kind: 'checkFailed' }> }
  /** `by` mentioned the recipient in a comment on the task (or the instance). */
  | { kind: 'mention'; by: string; excerpt: string; comment: string }
  /** `by` delegated `from`'s decisions to the recipient until `until` (epoch ms). */
  | {
      kind: 'delegation';
      by: string;
      from: string;
      until: number;
      /** What the delegator wrote to the delegate, if anything. */
      note?: string | null;
    }
  /** The notice's qualification expires `leadDays` days after the reminder's day (its lead time). */
  | { kind: 'qualificationExpiry'; leadDays: number };

export interface Notice {
  /**
   * Deterministic: `<source>/<recipient>`, the source being the audit event id of the fact, or
   * `comment:<id>`, `delegation:<id>`, `qualification:<id>:<person>:<expiresOn>:<leadDays>`. The
   * same notice planned twice (an activity retry) has the same id, so every store of notices keeps
   * it once.
   */
  id: string;
  kind: NoticeKind;
  recipient: string;
  /** The person whose task the recipient holds as a delegate, when that is why they are told. */
  onBehalfOf: string | null;
  /** When it happened (epoch ms). */
  at: number;
  /** The instance it is about; null when it is about a finding or a qualification instead. */
  instance: NoticeInstance | null;
  /**
   * The finding it is about, when a protocol monitor's finding is why the person is told (then
   * `instance`, `task` and `step` are null). Absent from every other notice, so those are stored
   * exactly as before findings had notices.
   */
  finding?: NoticeFinding;
  /**
   * The qualification whose completion runs out, for a `qualificationExpiring` reminder (then
   * `instance`, `task` and `step` are null). Absent from every other notice, like `finding`.
   */
  qualification?: NoticeQualification;
  /** The task to open (`<instance>/<task>`); null links to the instance page. */
  task: string | null;
  step: string | null;
  /** When the task is due, or when a waiver expires; null when nothing is due. */
  due: Moment | null;
  cause: NoticeCause;
}

/** `HH:MM`, 24-hour clock. */
export type ClockTime = string;

/** What the directory knows about reaching a person. */
export interface DeliveryProfile {
  email: string | null;
  chat: { format: 'slack' | 'teams'; url: string } | null;
  /** IANA zone, e.g. `Europe/Berlin`. */
  zone: string;
  workingHours: { days: DayName[]; from: ClockTime; to: ClockTime };
}

/** What a person chose about how they are told. */
export interface NotificationPreferences {
  /** The channels each kind goes to (besides the in-app list). */
  channels: Record<NoticeKind, Channel[]>;
  /** Mail one daily digest, at the start of the working day, instead of single mails. */
  digest: boolean;
  /** Hours without mail or chat inside the working day (a lunch break, a focus block); null: none. */
  quietHours: { from: ClockTime; to: ClockTime } | null;
}

/** The hours the console suggests when someone sets theirs. */
export const DEFAULT_WORKING_HOURS: DeliveryProfile['workingHours'] = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '17:00',
};

/** Every day, all day: what a person without working hours in the directory gets. */
export const ANY_TIME: DeliveryProfile['workingHours'] = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  from: '00:00',
  to: '24:00',
};

/**
 * A person nobody configured: mail to their id when it is an address, at any time. Guessing
 * office hours in a zone we do not know would hold a New Yorker's mail until 04:00 their time;
 * until the directory says when they work, nothing is held.
 */
export function defaultProfile(person: string): DeliveryProfile {
  return {
    email: /^[^@\s]+@[^@\s]+$/.test(person) ? person : null,
    chat: null,
    zone: 'UTC',
    workingHours: ANY_TIME,
  };
}

/** Everything by mail and chat (chat only reaches people with a chat target), no digest, no quiet hours. */
export function defaultPreferences(): NotificationPreferences {
  const channels = Object.fromEntries(NOTICE_KINDS.map((k) => [k, ['email', 'chat']])) as Record<
    NoticeKind,
    Channel[]
  >;
  return { channels, digest: false, quietHours: null };
}

/** A notice rendered for people, channel-neutral: the mail, Slack and Teams formats lay it out. */
export interface ComposedMessage {
  /** One line: what it is about ("Approval needed: cab_review for change-request on Apollo"). */
  subject: string;
  /** What happened, in a sentence. */
  headline: string;
  /** Why, in the engine's words (the rule's explanation, the timeout's message); null if none. */
  why: string | null;
  /** When it is due, in business time in the recipient's zone; null if nothing is due. */
  due: string | null;
  /** Labelled details (process, project, policy, requester, step, on behalf of). */
  details: { label: string; value: string }[];
  /** The console page; opening it never acts: the person confirms there. */
  link: { url: string; label: string };
}
