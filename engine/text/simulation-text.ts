// A simulation as people read it, shared by `charter simulate` / `charter test` (which print it as
// lines) and the studio's scenario builder (which renders it as a list): each timeline entry with
// its local time and mark, then where the instance stands (status, what it is blocked on, the open
// tasks and who they wait for) and who was notified. Times are local to the zone given, without
// the zone's name on every line: whoever shows them says the zone once.
import { formatInstant } from '../calendar/index.js';
import type { Simulation, TimelineEntry } from '../simulate/index.js';

/** A sign per kind of entry, so a timeline reads at a glance in plain text too. */
export const TIMELINE_MARK: Record<TimelineEntry['kind'], string> = {
  decision: ' ',
  task: '☐',
  action: '→',
  refused: '✗',
};

export interface TimelineRow {
  /** `Mon 2026-03-02 09:00`, local to the zone asked for. */
  when: string;
  kind: TimelineEntry['kind'];
  mark: string;
  step: string | null;
  text: string;
}

export interface SimulationText {
  rows: TimelineRow[];
  status: string;
  /** The message the process ended with, or null. */
  message: string | null;
  blockedOn: string[];
  openTasks: { step: string; title: string; assignees: string[] }[];
  notifications: { when: string; step: string; recipients: string[]; message: string }[];
}

/** `at` in `timeZone` without the zone's name. */
export const localTime = (at: number, timeZone: string): string =>
  formatInstant(at, timeZone).replace(` ${timeZone}`, '');

export function simulationText(sim: Simulation, timeZone: string): SimulationText {
  return {
    rows: sim.timeline.map((e) => ({
      when: localTime(e.at, timeZone),
      kind: e.kind,
      mark: TIMELINE_MARK[e.kind],
      step: e.step,
      text: e.text,
    })),
    status: sim.state.status,
    message: sim.state.message || null,
    blockedOn: sim.blockedOn().map((b) => b.text),
    openTasks: sim.openTasks().map((t) => ({ step: t.step, title: t.title, assignees: t.assignees })),
    notifications: sim.notifications.map((n) => ({
      when: localTime(n.at, timeZone),
      step: n.step,
      recipients: n.recipients,
      message: n.message,
    })),
  };
}

/** The same as plain lines, as the command line prints it. */
export function formatTimeline(sim: Simulation, timeZone: string): string[] {
  const text = simulationText(sim, timeZone);
  const lines = text.rows.map((r) => `${r.when} ${r.mark} ${r.text}`);
  lines.push(`status: ${text.status}${text.message ? ` (${text.message})` : ''}`);
  if (text.blockedOn.length > 0) lines.push('blocked on:', ...text.blockedOn.map((b) => `  - ${b}`));
  if (text.openTasks.length > 0)
    lines.push('open tasks:', ...text.openTasks.map((t) => `  - ${t.title} (${t.assignees.join(', ')})`));
  return lines;
}
