// Facts of protocol monitors: a run and an admin's operation of its schedule (pause, resume, run
// now, backfill; on the chain `monitor:<policy>/<monitor>`) and the life of a finding (on the chain
// `finding:<id>`), written by the run and finding activities and by the API when a person acts. Kept apart from the machine's facts (types.ts unions them in) because no
// process step produces them; their sentences are here too, beside their shapes.

/** An instant with the zone it is shown in (types.ts's Moment, which unions these facts in). */
interface Moment {
  at: number;
  zone: string;
}

export type MonitorFact =
  /** One scheduled run: how many projects it judged and what came of it. */
  | {
      kind: 'monitorRun';
      monitor: string;
      /** The day judged, `YYYY-MM-DD` in the monitor's zone. */
      day: string;
      judged: number;
      selected: number;
      passed: number;
      failed: number;
      /** Left out because `where` could not be decided for them (a field it reads was empty). */
      undecided: number;
      opened: number;
      closed: number;
      /** Failing projects whose finding is waived until after this day. */
      waived: number;
    }
  /** A run found the project failing and nothing live: a finding opens. */
  | {
      kind: 'findingOpened';
      monitor: string;
      project: string;
      message: string;
      why: string;
      owners: string[];
      /** Why owners are missing (an empty `project.manager`): fail closed, the ladder is called at once. */
      problems: string[];
      dueAt: Moment | null;
    }
  /** A later run found the project passing. */
  | { kind: 'findingClosed'; monitor: string; project: string; day: string }
  | { kind: 'findingReminded'; monitor: string; project: string; people: string[]; dueAt: Moment | null }
  | {
      kind: 'findingEscalated';
      monitor: string;
      project: string;
      added: string[];
      level: number;
      problems: string[];
    }
  | { kind: 'findingOverdue'; monitor: string; project: string; dueAt: Moment; people: string[] }
  | { kind: 'findingAcknowledged'; monitor: string; project: string; by: string; note: string | null }
  | { kind: 'findingResolved'; monitor: string; project: string; by: string; evidence: string }
  | { kind: 'findingWaived'; monitor: string; project: string; by: string; until: string; reason: string }
  // An admin operating the monitor's schedule (API, on the monitor's chain): runs it would have
  // made while paused are not made up, so the pause and its reason are the record of why.
  | { kind: 'monitorPaused'; monitor: string; by: string; note: string }
  | { kind: 'monitorResumed'; monitor: string; by: string; note: string | null }
  /** A run asked for outside the schedule: it judges the moment it starts. */
  | { kind: 'monitorRunRequested'; monitor: string; by: string }
  /** Runs asked for the scheduled times of past days, `from` to `to` (both included, monitor's zone). */
  | { kind: 'monitorBackfillRequested'; monitor: string; by: string; from: string; to: string };

export const MONITOR_FACT_KINDS: Record<MonitorFact['kind'], true> = {
  monitorRun: true,
  findingOpened: true,
  findingClosed: true,
  findingReminded: true,
  findingEscalated: true,
  findingOverdue: true,
  findingAcknowledged: true,
  findingResolved: true,
  findingWaived: true,
  monitorPaused: true,
  monitorResumed: true,
  monitorRunRequested: true,
  monitorBackfillRequested: true,
};

const list = (people: readonly string[]): string =>
  people.length <= 1
    ? (people[0] ?? 'nobody')
    : `${people.slice(0, -1).join(', ')} and ${people.at(-1) ?? ''}`;

/** The sentence of a monitor fact; `show` renders a moment in its zone. */
export function monitorSentence(fact: MonitorFact, show: (m: Moment) => string): string {
  switch (fact.kind) {
    case 'monitorRun':
      return (
        `${fact.monitor} judged ${fact.judged} projects for ${fact.day}: ${fact.selected} in scope, ` +
        `${fact.passed} passed, ${fact.failed} failed (${fact.opened} findings opened, ${fact.waived} waived), ` +
        `${fact.closed} findings closed` +
        (fact.undecided > 0 ? `; ${fact.undecided} left out because their scope could not be decided` : '')
      );
    case 'findingOpened': {
      const owners =
        fact.owners.length > 0 ? `owned by ${list(fact.owners)}` : `no owner (${fact.problems.join('; ')})`;
      const due = fact.dueAt ? `, due ${show(fact.dueAt)}` : '';
      return `finding on ${fact.project} (${fact.monitor}): ${fact.message}; ${owners}${due}`;
    }
    case 'findingClosed':
      return `finding on ${fact.project} (${fact.monitor}) closed: the project passed on ${fact.day}`;
    case 'findingReminded':
      return `reminded ${list(fact.people)} of the finding on ${fact.project} (${fact.monitor})${fact.dueAt ? `, due ${show(fact.dueAt)}` : ''}`;
    case 'findingEscalated':
      return (
        `finding on ${fact.project} (${fact.monitor}) escalated (level ${fact.level}) to ${list(fact.added)}` +
        (fact.problems.length > 0 ? `; could not reach: ${fact.problems.join('; ')}` : '')
      );
    case 'findingOverdue':
      return `finding on ${fact.project} (${fact.monitor}) is overdue since ${show(fact.dueAt)}; owners ${list(fact.people)}`;
    case 'findingAcknowledged':
      return `${fact.by} acknowledged the finding on ${fact.project} (${fact.monitor})${fact.note ? `: ${fact.note}` : ''}`;
    case 'findingResolved':
      return `${fact.by} resolved the finding on ${fact.project} (${fact.monitor}): ${fact.evidence}`;
    case 'findingWaived':
      return `${fact.by} waived the finding on ${fact.project} (${fact.monitor}) until ${fact.until}: ${fact.reason}`;
    case 'monitorPaused':
      return `${fact.by} paused monitor ${fact.monitor}: ${fact.note}`;
    case 'monitorResumed':
      return `${fact.by} resumed monitor ${fact.monitor}${fact.note ? `: ${fact.note}` : ''}`;
    case 'monitorRunRequested':
      return `${fact.by} asked monitor ${fact.monitor} to run now`;
    case 'monitorBackfillRequested':
      return `${fact.by} asked monitor ${fact.monitor} to make up its runs from ${fact.from} to ${fact.to}`;
  }
}
