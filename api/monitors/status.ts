// What each monitor in force is doing now, for GET /v1/monitors: every monitor of every policy's
// version in force (the same list reconciling makes schedules for, schedules.ts desiredSchedules),
// with its Temporal Schedule's state, its last run and who paused it from its ledger chain, and
// the number of its live findings. A monitor whose schedule does not exist yet is listed as
// `not-scheduled`, never an error: reconciling makes it on the next publish, retire, worker start
// or daily run.
//
// Reads per monitor, all monitors at once: one describe of the schedule, one read of the monitor's
// ledger chain (its runs and the admins' pauses and resumes: one event per run, so a daily monitor
// adds 365 a year), and its live findings a page at a time (at most one per project).
import { type ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import type { MonitorFact } from '../../engine/facts/monitor-facts.js';
import type { MonitorScheduleIR } from '../../engine/ir/types.js';
import type { AuditEvent } from '../../store/index.js';
import { monitorChain } from '../../workflows/monitors/ledger.js';
import { desiredSchedules } from '../../workflows/monitors/schedules.js';
import type { ApiDeps } from '../deps.js';
import type { MonitorView } from './schemas.js';

/** A monitor of a version in force, and its schedule's id. */
export interface InForce {
  scheduleId: string;
  policy: string;
  monitor: string;
  version: number;
  schedule: MonitorScheduleIR;
}

type RunFact = Extract<MonitorFact, { kind: 'monitorRun' }>;

/** The runs the list shows from Temporal's recent actions (it keeps the last ten). */
const RECENT_RUNS = 5;
/** Live findings read per round trip when counting them. */
const COUNT_PAGE = 500;

const isScheduleNotFound = (error: unknown): boolean =>
  // By name too: jest's vm modules may load @temporalio/client twice, which defeats instanceof.
  error instanceof ScheduleNotFoundError ||
  (error instanceof Error && error.name === 'ScheduleNotFoundError');

/** The schedule's description, or null when it does not exist (not reconciled yet). */
export async function describeSchedule(
  deps: ApiDeps,
  scheduleId: string,
): Promise<ScheduleDescription | null> {
  try {
    return await deps.temporal.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (isScheduleNotFound(error)) return null;
    throw error;
  }
}

/** Every monitor in force at the API's now, by policy name, then monitor. */
export async function monitorsNow(deps: ApiDeps): Promise<MonitorView[]> {
  const desired = await desiredSchedules(deps.store, deps.now());
  const views = await Promise.all(
    desired.map((d) =>
      monitorStatus(deps, { scheduleId: d.id, ...d.args, version: d.version, schedule: d.schedule }),
    ),
  );
  return views.sort(
    (a, b) => a.policy.name.localeCompare(b.policy.name) || a.monitor.localeCompare(b.monitor),
  );
}

/** One monitor as the list shows it. */
export async function monitorStatus(deps: ApiDeps, m: InForce): Promise<MonitorView> {
  const { policy, monitor } = m;
  const [described, chain, liveFindings] = await Promise.all([
    describeSchedule(deps, m.scheduleId),
    deps.store.audit.chainByName(monitorChain(policy, monitor)),
    countLive(deps, policy, monitor),
  ]);
  const { days, time, timezone } = m.schedule;
  const paused = described?.state.paused === true;
  return {
    policy: { name: policy, version: m.version },
    monitor,
    scheduleId: m.scheduleId,
    schedule: { days: [...days], time, timezone, text: `${days.join(', ')} ${time} ${timezone}` },
    status: described === null ? 'not-scheduled' : paused ? 'paused' : 'active',
    paused: paused ? pausedOf(described, chain) : null,
    nextRuns: described === null || paused ? [] : described.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: (described?.info.recentActions ?? [])
      .map((a) => ({
        scheduledAt: a.scheduledAt.toISOString(),
        startedAt: a.takenAt.toISOString(),
        workflowId: a.action.workflow.workflowId,
      }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, RECENT_RUNS),
    lastRun: lastRunOf(chain),
    liveFindings,
  };
}

/** The newest run on the chain (seq order is the order they were written). */
function lastRunOf(chain: readonly AuditEvent[]): MonitorView['lastRun'] {
  for (let i = chain.length - 1; i >= 0; i--) {
    const event = chain[i];
    if (event?.fact?.kind !== 'monitorRun') continue;
    const run: RunFact = event.fact;
    return {
      at: event.at.toISOString(),
      day: run.day,
      judged: run.judged,
      selected: run.selected,
      passed: run.passed,
      failed: run.failed,
      undecided: run.undecided,
      opened: run.opened,
      closed: run.closed,
      waived: run.waived,
    };
  }
  return null;
}

/**
 * Temporal's note, with who paused it and when from the newest pause on the chain, unless a
 * resume came after it (then the schedule was paused again outside Charter: nobody to name).
 */
function pausedOf(described: ScheduleDescription, chain: readonly AuditEvent[]): MonitorView['paused'] {
  const note = described.state.note ?? null;
  for (let i = chain.length - 1; i >= 0; i--) {
    const event = chain[i];
    const kind = event?.fact?.kind;
    if (kind === 'monitorResumed') break;
    if (event !== undefined && event.fact?.kind === 'monitorPaused') {
      return { note, by: event.fact.by, at: event.at.toISOString() };
    }
  }
  return { note, by: null, at: null };
}

/** Open and acknowledged findings of the monitor, counted a page at a time. */
async function countLive(deps: ApiDeps, policy: string, monitor: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: { items: unknown[]; nextCursor: string | null } = await deps.store.findings.page(
      { status: 'live', policy, monitor },
      cursor,
      COUNT_PAGE,
    );
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return count;
}
