// Reminders that a qualification is about to expire: the notice the daily reminder job
// (workflows/qualifications/reminders.ts) posts to a person whose latest completion of a
// qualification runs out one of the configured lead times from the day it runs, and the words of
// that message. Like a finding's notice it is about no instance: it names the qualification, the
// day it expires and what that changes for the person, and links to the qualification's page, so
// it is planned and worded here and compose() hands it over.
//
// The id is `qualification:<id>:<person>:<expiresOn>:<leadDays>/<person>`: one per completion's
// expiry and lead time. A retried activity, or a day looked at twice (the job looks back one day
// to make up a missed run), plans the same id and every store of notices keeps it once; a renewal
// has an expiry of its own and so reminders of its own.
//
// Days are calendar days (`YYYY-MM-DD`), the registry's own unit (store/qualification-model.ts): a
// completion is valid until and including the day before `expiresOn`. They are shown as written,
// not converted to the reader's zone, because a day of the registry is not an instant.
import type { ComposedMessage, Notice, NoticeQualification } from './types.js';

/** One reminder to plan: whose completion of which qualification, and the lead time it is for. */
export interface QualificationReminderInput {
  qualification: NoticeQualification;
  /** The person who completed it, and whom the reminder is for. */
  person: string;
  /** Days before `expiresOn` this reminder is for (CHARTER_QUALIFICATION_REMINDER_DAYS). */
  leadDays: number;
  /** When the reminder job ran (epoch ms). */
  at: number;
}

/** The source part of a reminder's id: the notice id is this, `/`, the person. */
export const qualificationReminderSource = (input: QualificationReminderInput): string =>
  `qualification:${input.qualification.id}:${input.person}:${input.qualification.expiresOn}:${input.leadDays}`;

/** The reminder for the person, with its deterministic id. */
export function planQualificationReminder(input: QualificationReminderInput): Notice {
  return {
    id: `${qualificationReminderSource(input)}/${input.person}`,
    kind: 'qualificationExpiring',
    recipient: input.person,
    onBehalfOf: null,
    at: input.at,
    instance: null,
    qualification: input.qualification,
    task: null,
    step: null,
    // The day is in the headline: a registry day is not an instant to count working hours towards.
    due: null,
    cause: { kind: 'qualificationExpiry', leadDays: input.leadDays },
  };
}

/** The console page of a qualification (the web's qualificationPath). */
export const qualificationPath = (qualification: Pick<NoticeQualification, 'id'>): string =>
  `/qualifications/${encodeURIComponent(qualification.id)}`;

export interface QualificationComposeContext {
  /** The console's base URL without trailing slash (CHARTER_PUBLIC_URL). */
  publicUrl: string;
}

/**
 * A reminder in words: which qualification expires on which day, that approvals requiring it will
 * no longer count the person from then on, and the page to open. The approvals themselves are not
 * listed: which steps require a qualification is the policies' business and changes with them.
 */
export function composeQualification(
  qualification: NoticeQualification,
  ctx: QualificationComposeContext,
): ComposedMessage {
  const { name, completedOn, expiresOn } = qualification;
  const on = dayWords(expiresOn);
  const lastValid = dayWords(dayBefore(expiresOn));
  const yours = `Your ${name} qualification`;
  return {
    subject: `${yours} expires on ${on}`,
    headline: `${yours} expires on ${on}: it is valid until ${lastValid}. Renew it before then to stay qualified.`,
    why: `from ${on} until you complete it again, approvals that require ${name} will no longer count you`,
    due: null,
    details: [
      { label: 'Qualification', value: name },
      { label: 'Completed', value: dayWords(completedOn) },
      { label: 'Valid until', value: lastValid },
    ],
    link: {
      url: `${ctx.publicUrl.replace(/\/+$/, '')}${qualificationPath(qualification)}`,
      label: 'Open the qualification',
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `1 Oct 2027` for `2027-10-01`; a text that is no day is shown as it is rather than failing a delivery. */
export function dayWords(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const month = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  if (match === null || month === undefined) return day;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** The day before a `YYYY-MM-DD` day (the last day a completion is valid). */
function dayBefore(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const before = Date.UTC(year, month - 1, date - 1);
  return Number.isNaN(before) ? day : new Date(before).toISOString().slice(0, 10);
}
