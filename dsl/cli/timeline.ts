// A simulation as people read it: one line per entry with the local time, the step, and what
// happened, then where the instance stands.
import { formatInstant } from '../../engine/calendar/index.js';
import type { Simulation } from '../../engine/simulate/index.js';

const MARK: Record<string, string> = {
  decision: ' ',
  task: '☐',
  action: '→',
  refused: '✗',
};

export function formatTimeline(sim: Simulation, timeZone: string): string[] {
  const lines = sim.timeline.map(
    (e) => `${formatInstant(e.at, timeZone).replace(` ${timeZone}`, '')} ${MARK[e.kind] ?? ' '} ${e.text}`,
  );
  lines.push(`status: ${sim.state.status}${sim.state.message ? ` (${sim.state.message})` : ''}`);
  const blocked = sim.blockedOn();
  if (blocked.length > 0) lines.push('blocked on:', ...blocked.map((b) => `  - ${b.text}`));
  const open = sim.openTasks();
  if (open.length > 0)
    lines.push('open tasks:', ...open.map((t) => `  - ${t.title} (${t.assignees.join(', ')})`));
  return lines;
}
