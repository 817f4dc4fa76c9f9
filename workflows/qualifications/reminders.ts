// Reminders that a qualification runs out (issue 16): once a day (the Temporal Schedule of
// schedule.ts, 06:00 UTC, running `charterQualificationReminders`) this activity finds, for each
// lead time of CHARTER_QUALIFICATION_REMINDER_DAYS, the latest completions that expire that many
// days after the run's UTC day, leaves out people who renewed, and posts each person a notice
// (engine/notices/qualifications.ts) to the delivery queue: the in-app list, mail and chat, as
// their preferences say, sent by the worker's deliverer (workflows/notify).
//
// Which completions a run reminds of, the rule:
// - For lead time L, a run on UTC day D reminds of the completions expiring on D + L, and also of
//   those expiring on D + L - 1: the ones yesterday's run was due to remind of. A missed day (the
//   worker or Temporal down longer than the schedule's catch-up, a run that failed for good) is
//   so made up by the next day's run, one day late rather than never. When it did run, the day
//   looked at twice costs one read and posts nothing: notice ids are deterministic
//   (`qualification:<id>:<person>:<expiresOn>:<L>/<person>`) and the queue and the in-app list
//   keep each id once. So a person is told once per completion and lead time, however often runs
//   overlap or are retried.
// - The look-back is left out where it would repeat another lead time's day (L - 1 is itself a
//   lead time) or reach the expiry day itself (L = 1): on `expiresOn` the completion is already
//   expired, so there is nothing left to remind of.
// - Only a person's latest completion of a qualification counts: expiringBetween leaves out the
//   ones a later completion superseded. Right before posting, standingOf on the expiry day (the
//   rule approvals use) is asked too, and a person it finds valid then has renewed in time (a
//   renewal recorded after the page was read) and is not reminded.
//
// Cost: per lead time, key-range pages of the expiry index (store/qualification-queries.ts); per
// page, one read of the registry's names that are not known yet, one standingOf find per
// (qualification, expiry day) in it, and one unordered insert of the page's deliveries.
import { planQualificationReminder } from '../../engine/notices/qualifications.js';
import type { Notice } from '../../engine/notices/types.js';
import type { Completion, Store } from '../../store/index.js';
import { dayOf } from '../activities/qualifications.js';
import { DEFAULT_REMINDER_DAYS } from './config.js';

/** Completions read per page of the expiry index. */
export const REMINDER_PAGE_SIZE = 200;

/** What the worker registers; `charterQualificationReminders` imports it by type only. */
export interface QualificationActivities {
  /** Reminds of the completions expiring a lead time after the UTC day of `at` (epoch ms); idempotent. */
  remindExpiringQualifications(input: { at: number }): Promise<ReminderRunResult>;
}

/** The expiry days one lead time's reminders are about, both included. */
export interface ReminderWindow {
  leadDays: number;
  from: string;
  to: string;
}

/** What one run did: small on purpose, since the workflow's history keeps it. */
export interface ReminderRunResult {
  /** The UTC day the run counted from. */
  day: string;
  windows: ReminderWindow[];
  /** Notices posted; those a previous run posted already are counted, and queued nothing new. */
  posted: number;
  /**
   * Completions read in a window whose person holds the qualification on the expiry day after all
   * (renewed after the page was read; earlier renewals never reach the page).
   */
  renewed: number;
}

export interface ReminderDeps {
  store: Pick<Store, 'qualifications' | 'deliveries'>;
  /** The lead times in days (CHARTER_QUALIFICATION_REMINDER_DAYS). */
  reminderDays: readonly number[];
  pageSize?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** `day` (YYYY-MM-DD) plus `days` days. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The expiry days each lead time covers on a run's day, by the rule in the header; longest lead first. */
export function reminderWindows(day: string, reminderDays: readonly number[]): ReminderWindow[] {
  const leads = new Set(reminderDays);
  return [...leads]
    .sort((a, b) => b - a)
    .map((leadDays) => {
      const lookBack = leadDays > 1 && !leads.has(leadDays - 1);
      return {
        leadDays,
        from: addDays(day, lookBack ? leadDays - 1 : leadDays),
        to: addDays(day, leadDays),
      };
    });
}

/** The reminders of one run (see the header): posted to the delivery queue, counted. */
export async function remindExpiringQualifications(
  deps: ReminderDeps,
  input: { at: number },
): Promise<ReminderRunResult> {
  const day = dayOf(input.at);
  const windows = reminderWindows(day, deps.reminderDays);
  const names = new Map<string, string>();
  const result: ReminderRunResult = { day, windows, posted: 0, renewed: 0 };
  for (const window of windows) {
    let cursor: string | null = null;
    do {
      const page = await deps.store.qualifications.expiringBetween(
        window.from,
        window.to,
        cursor,
        deps.pageSize ?? REMINDER_PAGE_SIZE,
      );
      const due = await stillExpiring(deps.store, page.items);
      result.renewed += page.items.length - due.length;
      await learnNames(deps.store, names, due);
      const notices = due.map((c): Notice =>
        planQualificationReminder({
          qualification: {
            id: c.qualification,
            // A qualification gone from the registry is still named, by its id.
            name: names.get(c.qualification) ?? c.qualification,
            completedOn: c.completedOn,
            expiresOn: c.expiresOn,
          },
          person: c.person,
          leadDays: window.leadDays,
          at: input.at,
        }),
      );
      await deps.store.deliveries.post(notices);
      result.posted += notices.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return result;
}

type Expiring = Completion & { expiresOn: string };

/**
 * The completions of `page` whose person does not hold their qualification validly on the
 * expiry day: one standingOf per (qualification, expiry day).
 */
async function stillExpiring(
  store: Pick<Store, 'qualifications'>,
  page: readonly Completion[],
): Promise<Expiring[]> {
  const groups = new Map<string, Expiring[]>();
  for (const c of page) {
    if (c.expiresOn === null) continue;
    const key = `${c.qualification}\n${c.expiresOn}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...c, expiresOn: c.expiresOn }]);
  }
  const due: Expiring[] = [];
  for (const group of groups.values()) {
    const [first] = group;
    if (first === undefined) continue;
    const standing = await store.qualifications.standingOf(
      first.qualification,
      group.map((c) => c.person),
      first.expiresOn,
    );
    due.push(...group.filter((c) => standing.get(c.person)?.status !== 'valid'));
  }
  return due;
}

/** Adds the registry names of `completions`' qualifications that `names` does not hold yet. */
async function learnNames(
  store: Pick<Store, 'qualifications'>,
  names: Map<string, string>,
  completions: readonly Completion[],
): Promise<void> {
  const unknown = [...new Set(completions.map((c) => c.qualification))].filter((id) => !names.has(id));
  if (unknown.length === 0) return;
  for (const [id, entry] of await store.qualifications.getMany(unknown)) names.set(id, entry.name);
}

/** The activities a worker registers, bound to its store and configured lead times. */
export function createQualificationActivities(
  store: Store,
  reminderDays: readonly number[] = DEFAULT_REMINDER_DAYS,
): QualificationActivities {
  return {
    remindExpiringQualifications: (input) => remindExpiringQualifications({ store, reminderDays }, input),
  };
}
