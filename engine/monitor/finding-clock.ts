// When a finding's workflow acts: the due time, reminders before it and the escalation ladder,
// all counted from the run that opened the finding, on the monitor's calendars (business time
// like an approval's). Pure and deterministic: the finding workflow computes the same list on
// every replay, and the simulator the same list as production.
//
// Reminders repeat every `remind every` until the finding is due (at most MAX_REMINDERS without a
// due time), and not at all once someone acknowledged it; escalation levels and the due notice
// come whatever happens, until the finding is resolved, waived or closed by a passing run. A
// finding opened without owners (`owner project.manager` on a project without one) calls the
// first ladder level at once: fail closed, somebody must be told.
import { after } from '../machine/compiled.js';
import type { CompiledMonitor } from './evaluate.js';

export const MAX_REMINDERS = 10;

export type FindingAlarm =
  | { kind: 'remind'; n: number; at: number }
  | { kind: 'escalate'; level: number; at: number }
  | { kind: 'due'; at: number };

/** What the workflow does and when, earliest first; alarms at one instant in ladder order. */
export function findingAlarms(
  monitor: CompiledMonitor,
  openedAt: number,
  ownerless: boolean,
): FindingAlarm[] {
  const { ir, machine } = monitor;
  const alarms: FindingAlarm[] = [];
  const dueAt = ir.due ? after(machine, ir.due, openedAt) : null;
  if (dueAt !== null) alarms.push({ kind: 'due', at: dueAt });
  if (ir.remindEvery) {
    let at = after(machine, ir.remindEvery, openedAt);
    for (let n = 1; n <= MAX_REMINDERS && (dueAt === null || at < dueAt); n++) {
      alarms.push({ kind: 'remind', n, at });
      at = after(machine, ir.remindEvery, at);
    }
  }
  ir.escalations.forEach((level, index) => {
    const at = index === 0 && ownerless ? openedAt : after(machine, level.after, openedAt);
    alarms.push({ kind: 'escalate', level: index + 1, at });
  });
  const order = { escalate: 0, due: 1, remind: 2 } as const;
  return alarms.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind] || rank(a) - rank(b));
}

const rank = (a: FindingAlarm): number => (a.kind === 'remind' ? a.n : a.kind === 'escalate' ? a.level : 0);

/** The due time alone (the run stores it on the finding). */
export function findingDueAt(monitor: CompiledMonitor, openedAt: number): number | null {
  return monitor.ir.due ? after(monitor.machine, monitor.ir.due, openedAt) : null;
}

/** The zone a finding's times are shown in: its due duration's calendar, else the schedule's. */
export function findingZone(monitor: CompiledMonitor): string {
  const calendar = monitor.ir.due?.calendar ?? monitor.ir.schedule.calendar;
  return (
    monitor.machine.ir.calendars.find((c) => c.name === calendar)?.timezone ?? monitor.ir.schedule.timezone
  );
}
