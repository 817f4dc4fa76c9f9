// What the monitors screen shows of a monitor, as the API answers it (/v1/monitors): the types
// from the generated client, the words for its state (always a word with its colour, never the
// colour alone), when it runs in words ("Mondays and Thursdays at 08:00, Europe/Berlin"), its
// last run in one line, and the findings list it links to.
import type { paths } from '../../api-client/client.js';
import { dayText, instantText } from '../findings/finding-view.js';

export type MonitorsAnswer = paths['/v1/monitors']['get']['responses']['200']['content']['application/json'];
export type Monitor = MonitorsAnswer['items'][number];
export type MonitorStatus = Monitor['status'];
type Day = Monitor['schedule']['days'][number];

export const STATUS: Record<MonitorStatus, { text: string; badge: string }> = {
  active: { text: 'Active', badge: 'badge-passed' },
  paused: { text: 'Paused', badge: 'badge-pending' },
  'not-scheduled': { text: 'Not scheduled yet', badge: 'badge-skipped' },
};

const DAY_NAMES: Record<Day, string> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/** "Mondays and Thursdays at 08:00", or "Every day at 07:30" for all seven. */
export function whenText(schedule: Monitor['schedule']): string {
  const days = schedule.days.length === 7 ? 'Every day' : listed(schedule.days.map((d) => DAY_NAMES[d]));
  return `${days} at ${schedule.time}`;
}

/** "judged 120 projects: 3 failed, 2 opened, 1 closed". */
export function runText(run: NonNullable<Monitor['lastRun']>): string {
  const projects = `${run.judged} ${run.judged === 1 ? 'project' : 'projects'}`;
  return `judged ${projects}: ${run.failed} failed, ${run.opened} opened, ${run.closed} closed`;
}

/** The last run's day in words, or null before the first run. */
export const lastRunDay = (m: Monitor): string | null => (m.lastRun === null ? null : dayText(m.lastRun.day));

/** An instant in the monitor's own zone, as its schedule reads: "Mon, Dec 7, 08:00". */
function inZone(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }).format(at);
  } catch {
    // A zone this browser does not know: the browser's own.
    return instantText(iso);
  }
}

/** The next run in words, or why there is none. */
export function nextRunText(m: Monitor): string {
  if (m.status === 'paused') return 'none while paused';
  if (m.status === 'not-scheduled') return 'none until it is scheduled';
  const next = m.nextRuns[0];
  return next === undefined ? 'none' : inZone(next, m.schedule.timezone);
}

/** The findings list narrowed to this monitor's live findings. */
export const findingsPath = (m: Pick<Monitor, 'monitor' | 'policy'>): string =>
  `/findings?${new URLSearchParams({ status: 'live', monitor: m.monitor, policy: m.policy.name }).toString()}`;

/** "monitor risk_review_current of Protocol", for buttons and dialogs. */
export const monitorLabel = (m: Pick<Monitor, 'monitor' | 'policy'>): string =>
  `${m.monitor} of ${m.policy.name}`;
