// A monitor on the virtual clock: every scheduled run between two days, judged exactly as the
// activity judges it (engine/monitor), with findings opened, kept, closed and chased by the same
// alarms as in production (findingAlarms). No Temporal, no store: a year of weekly runs over a
// portfolio takes milliseconds, so `charter test` can cover what a monitor does over time.
//
// The world is given as data: projects (and dated changes to them), approved instances of the
// policy's processes per project and day, people resolving findings on a day, and the directory
// (groups, managers) owners and ladders resolve through. Projects are judged as they stand on the
// run's day; a finding resolved by a person is gone, and the next failing run opens a new one.
import { instantOf, localDate } from '../calendar/index.js';
import { compileMonitor, type FindingAlarm, findingAlarms, type ProjectFacts } from '../monitor/index.js';
import type { CompiledPolicy, DayName } from '../ir/types.js';
import type { PersonRef } from '../machine/types.js';

export interface MonitorWorld {
  projects: ProjectFacts[];
  /** Changes to projects from a day on (`set` replaces the fields it names). */
  changes: { on: string; project: string; set: Partial<ProjectFacts> }[];
  /** Approved instances: the process, the project and the day they ended approved. */
  approvals: { process: string; project: string; on: string }[];
  /** A person resolves the project's live finding on that day (before that day's run). */
  resolutions: { on: string; project: string }[];
  groups: Readonly<Record<string, readonly string[]>>;
  managers: Readonly<Record<string, string>>;
}

export interface SimulatedFinding {
  project: string;
  openedOn: string;
  message: string;
  owners: string[];
  /** `closed` by a passing run, `resolved` by a person, `open` at the end of the period. */
  end: { kind: 'closed' | 'resolved'; on: string } | { kind: 'open' };
  /** What its chase did while it lived: alarms in order, with the day (in the monitor's zone). */
  alarms: { kind: FindingAlarm['kind']; on: string; level?: number; people?: string[] }[];
}

export interface MonitorRun {
  day: string;
  judged: number;
  failed: string[];
  opened: string[];
  closed: string[];
}

export interface MonitorSimulation {
  runs: MonitorRun[];
  findings: SimulatedFinding[];
}

const WEEKDAYS: readonly DayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

/** Every run from `from` to `to` (days, inclusive, in the monitor's zone). */
export function simulateMonitor(
  policy: CompiledPolicy,
  name: string,
  world: MonitorWorld,
  from: string,
  to: string,
): MonitorSimulation {
  const monitor = compileMonitor(policy, name);
  const { days, time, timezone } = monitor.ir.schedule;
  const runs: MonitorRun[] = [];
  const findings: SimulatedFinding[] = [];
  const live = new Map<string, { finding: SimulatedFinding; openedAt: number; added: string[] }>();
  const closeLive = (code: string, end: SimulatedFinding['end'], at: number) => {
    const entry = live.get(code);
    if (!entry) return;
    entry.finding.end = end;
    entry.finding.alarms = chase(entry, at);
    live.delete(code);
  };
  const chase = (entry: { finding: SimulatedFinding; openedAt: number; added: string[] }, until: number) => {
    const out: SimulatedFinding['alarms'] = [];
    for (const alarm of findingAlarms(monitor, entry.openedAt, entry.finding.owners.length === 0)) {
      if (alarm.at >= until) break;
      const on = localDate(alarm.at, timezone);
      if (alarm.kind === 'escalate') {
        const expanded = monitor.escalationOf(alarm.level, projectOn(world, entry.finding.project, on));
        const people = resolve(world, expanded.refs).filter((p) => !entry.finding.owners.includes(p));
        entry.added.push(...people);
        out.push({ kind: 'escalate', on, level: alarm.level, people });
      } else out.push({ kind: alarm.kind, on });
    }
    return out;
  };
  for (let day = from; day <= to; day = nextDay(day)) {
    const weekday = WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()];
    const at = instantOf(day, time, timezone);
    for (const r of world.resolutions.filter((x) => x.on === day))
      closeLive(r.project, { kind: 'resolved', on: day }, at);
    if (weekday === undefined || !days.includes(weekday)) continue;
    const run: MonitorRun = { day, judged: 0, failed: [], opened: [], closed: [] };
    for (const base of world.projects) {
      const project = projectOn(world, base.code, day);
      const history = historyOn(world, monitor.processes, project.code, day);
      const verdict = monitor.judge(project, history, day);
      run.judged++;
      if (verdict.kind !== 'failed') {
        const settled = verdict.kind === 'passed' || !verdict.undecided;
        if (settled && live.has(project.code)) {
          closeLive(project.code, { kind: 'closed', on: day }, at);
          run.closed.push(project.code);
        }
        continue;
      }
      run.failed.push(project.code);
      if (live.has(project.code)) continue;
      const owners = resolve(world, monitor.owners(project, history, day).refs);
      const finding: SimulatedFinding = {
        project: project.code,
        openedOn: day,
        message: verdict.message,
        owners,
        end: { kind: 'open' },
        alarms: [],
      };
      findings.push(finding);
      live.set(project.code, { finding, openedAt: at, added: [] });
      run.opened.push(project.code);
    }
    runs.push(run);
  }
  const end = instantOf(nextDay(to), '00:00', timezone);
  for (const entry of live.values()) entry.finding.alarms = chase(entry, end);
  return { runs, findings };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The project as it stands on `day`: its changes up to that day applied in order. */
function projectOn(world: MonitorWorld, code: string, day: string): ProjectFacts {
  const base = world.projects.find((p) => p.code === code);
  if (!base) throw new RangeError(`no project ${code} in the world`);
  return world.changes
    .filter((c) => c.project === code && c.on <= day)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
    .reduce<ProjectFacts>((p, c) => ({ ...p, ...c.set, code }), base);
}

function historyOn(world: MonitorWorld, processes: readonly string[], code: string, day: string) {
  const history: Record<string, { lastApproved: string | null }> = {};
  for (const process of processes) {
    const days = world.approvals
      .filter((a) => a.process === process && a.project === code && a.on <= day)
      .map((a) => a.on);
    history[process] = { lastApproved: days.length === 0 ? null : days.reduce((a, b) => (a > b ? a : b)) };
  }
  return history;
}

/** People from references, through the world's directory; unknown groups and managers give nobody. */
function resolve(world: MonitorWorld, refs: readonly PersonRef[]): string[] {
  const people = refs.flatMap((ref) =>
    ref.kind === 'person'
      ? [ref.person]
      : ref.kind === 'group'
        ? [...(world.groups[ref.group] ?? [])]
        : [world.managers[ref.person] ?? ''].filter((p) => p !== ''),
  );
  return [...new Set(people)].sort();
}
