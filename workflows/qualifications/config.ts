// When people are told that a qualification of theirs runs out: CHARTER_QUALIFICATION_REMINDER_DAYS,
// the lead times in days before a completion's expiry, comma-separated ("30,7", the default: a
// month ahead to book the course, a week ahead as the last call). Read with the rest of the
// worker's configuration (workflows/config.ts), so a bad value stops the worker at start with the
// variable and the entry named, as workflows/notify/config.ts does for delivery.
import { z } from 'zod';

/** A month ahead and a week ahead. */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [30, 7];

/** The longest lead time: a year (and a day, for a leap year) ahead is the most anyone plans a course. */
export const MAX_REMINDER_DAYS = 366;

/**
 * `30,7` to [30, 7]: whole days from 1 to MAX_REMINDER_DAYS, each once, longest first. Zero is
 * refused: a completion is no longer valid on its expiry day, so there is nothing left to remind of.
 */
const reminderDays = z.string().transform((text, ctx): number[] => {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    ctx.addIssue({
      code: 'custom',
      message: 'must list at least one lead time in days, comma-separated (e.g. "30,7")',
    });
    return z.NEVER;
  }
  const days: number[] = [];
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1} ("${entry}")`;
    if (!/^\d+$/.test(entry) || Number(entry) < 1 || Number(entry) > MAX_REMINDER_DAYS) {
      ctx.addIssue({
        code: 'custom',
        message: `${where} must be a whole number of days from 1 to ${MAX_REMINDER_DAYS}`,
      });
    } else if (days.includes(Number(entry))) {
      ctx.addIssue({ code: 'custom', message: `${where} is listed twice` });
    } else {
      days.push(Number(entry));
    }
  });
  return days.sort((a, b) => b - a);
});

export const qualificationSettings = {
  /** Days before a completion expires that its holder is reminded, e.g. `30,7`. */
  CHARTER_QUALIFICATION_REMINDER_DAYS: reminderDays.default([...DEFAULT_REMINDER_DAYS]),
};

/** The parsed qualification settings. */
export type QualificationConfig = z.infer<z.ZodObject<typeof qualificationSettings>>;
