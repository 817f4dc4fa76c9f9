// The request and answer shapes of /v1/monitors: the path of one monitor, the bodies of pause,
// resume and backfill, and a monitor as the list shows it (its schedule as the policy declares it,
// the Temporal Schedule's state, its last run from the ledger, its live findings). What a schema
// can check alone is checked here, with field paths; a backfill's days against each other, today
// and the monitor's zone are the route's (operate.ts), since only it knows the monitor and the time.
import { z } from 'zod';
import type { DayName } from '../../engine/ir/types.js';
import { calendarDate } from '../projects/schemas.js';

/** How far back one backfill reaches: a year of runs (a leap year's 366 days) at most. */
export const MAX_BACKFILL_DAYS = 366;
export const MAX_NOTE = 500;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly DayName[];

/** `/monitors/:policy/:monitor`: the policy's name and the monitor's, as the policy writes them. */
export const monitorParams = z.object({
  policy: z.string().min(1).max(200),
  monitor: z
    .string()
    .max(100)
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      'expected a monitor name as the policy writes it (e.g. risk_review_current)',
    ),
});

const note = z.string().trim().max(MAX_NOTE, `at most ${MAX_NOTE} characters`);

export const pauseBody = z.strictObject({
  note: note
    .min(1, 'say why the monitor is paused (for example a quarter-end freeze)')
    .describe('why: kept with the schedule and in the audit ledger (1-500 characters)'),
});

export const resumeBody = z.strictObject({
  note: note.optional().describe('what changed, for the audit ledger'),
});

export const backfillBody = z.strictObject({
  from: calendarDate.describe("the first day to make up, in the monitor's time zone"),
  to: calendarDate.describe(
    `the last day to make up (included): not before \`from\`, at most ${MAX_BACKFILL_DAYS} days in all, not after today`,
  ),
});

const instant = z.string();

export const monitorView = z.object({
  policy: z.object({ name: z.string(), version: z.number().int() }).describe('the version in force now'),
  monitor: z.string(),
  scheduleId: z.string().describe('the Temporal Schedule: `monitor:<policy>:<monitor>`'),
  schedule: z
    .object({
      days: z.array(z.enum(DAYS)),
      time: z.string().describe('HH:MM'),
      timezone: z.string(),
      text: z.string().describe('`mon, thu 08:00 Europe/Berlin`'),
    })
    .describe('when it runs, as the version in force declares it'),
  status: z
    .enum(['active', 'paused', 'not-scheduled'])
    .describe(
      '`not-scheduled`: its Temporal Schedule does not exist yet (made on publish, retire, worker start and daily at 00:05 UTC)',
    ),
  paused: z
    .object({
      note: z.string().nullable(),
      by: z.string().nullable().describe('null when it was paused outside Charter'),
      at: instant.nullable(),
    })
    .nullable()
    .describe('runs missed while paused are not made up; an admin backfills the days that matter'),
  nextRuns: z.array(instant).describe('the next scheduled times; none while paused or not scheduled'),
  recentRuns: z
    .array(z.object({ scheduledAt: instant, startedAt: instant, workflowId: z.string() }))
    .describe('the runs Temporal started lately, newest first'),
  lastRun: z
    .object({
      at: instant.describe('the time it judged (its scheduled time)'),
      day: z.string().describe("the day judged, in the monitor's zone"),
      judged: z.number().int(),
      selected: z.number().int(),
      passed: z.number().int(),
      failed: z.number().int(),
      undecided: z.number().int(),
      opened: z.number().int(),
      closed: z.number().int(),
      waived: z.number().int(),
    })
    .nullable()
    .describe('the newest run recorded on the ledger; null before the first'),
  liveFindings: z.number().int().describe('findings of this monitor open or acknowledged now'),
});
export type MonitorView = z.infer<typeof monitorView>;

export const monitorsView = z.object({ at: instant, items: z.array(monitorView) });

export const requestedView = z.object({
  scheduleId: z.string(),
  requested: z.enum(['run', 'backfill']),
  at: instant,
  from: z.string().nullable().describe('backfill: the first day'),
  to: z.string().nullable().describe('backfill: the last day'),
});
