// The dashboard projector's arithmetic (issue 18), pure: a batch of ledger events, in leaf order,
// folded into rollup increments, open-task clocks and waivers in force. dashboards.ts reads the
// batch and the clocks it names, calls `foldBatch`, and writes what it answers in one transaction
// conditioned on the projector's position, so that each event is counted exactly once.
//
// What each fact does (the week is the ISO week, UTC, of the event that completes a count):
// - started / ended: an instance started / ended with its outcome, a counter per outcome and
//   project in its policy's cell of the week and of all time (instancesAll), and per policy
//   version (the `versions` figure, for the policy catalogue's instances per version).
// - approvalOpened, checkTaskOpened: a clock starts (`asked` = the people asked); escalated and
//   handedOver add people to it; vote records who voted.
// - approvalTimedOut; checkFailed for a missed attestation; waiverMissed: an SLA breach of the
//   step (once per task), and of every person asked who had not voted by then (a counter per
//   person in the policy's cell of the week and of all time).
// - approvalClosed, attested, checkFailed(noAttestation), waived, waiverMissed: the clock closes;
//   its open-to-close duration goes into the step's cycle-time histogram.
// - checkPassed, checkFailed, waived: the compliance counts of the step.
// - waived with an end date: a waiver in force until then; waiverExpired: no longer.
// - ended: the instance's remaining clocks go (tasks closed by the end are not cycle times).
// - approver load: while a clock is open (opened, not closed), each person holding it (asked, and
//   after a hand-over only those it went to) counts it once in their load cells, by the minute it
//   opened, and as overdue once it timed out. Every change to a clock takes its count out and puts
//   the new one in (`change`), so a batch writes only the net change.
// Cycle times, breaches and checks count into the every-project total and into the event's
// project (the project of the event that completes the count: a clock's close, its breach).
import type { Fact } from '../engine/facts/index.js';
import {
  ALL_TIME,
  bucketOf,
  type Clock,
  clockId,
  type ClockKind,
  counterOf,
  type FoldEvent,
  isoWeekOf,
  LOAD_ANY,
  type LoadChange,
  loadCellId,
  minuteKey,
  outcomeCounter,
  PROJECT_FIGURES,
  type RollupChange,
  type RollupKey,
  rollupId,
  type WaiverDoc,
  waiverId,
} from './dashboard-model.js';

/** What one batch changes. */
export interface FoldResult {
  rollups: RollupChange[];
  /** Clocks to store (by `_id`); those in `deletedClocks` go. */
  clocks: Clock[];
  deletedClocks: string[];
  /** Instances that ended in the batch: their stored clocks go (before `clocks` are written). */
  endedInstances: string[];
  waivers: WaiverDoc[];
  deletedWaivers: string[];
  /** Net changes to the approver-load cells (zero changes left out). */
  load: LoadChange[];
  /** The newest event time in the batch (null for a batch without events). */
  newestAt: Date | null;
}

/** The clock ids the events of a batch may touch: read them before folding. */
export function clockIdsOf(events: readonly FoldEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const touched = clockOf(event.fact);
    if (touched !== null) ids.add(clockId(event.instanceId, touched.kind, touched.step));
  }
  return [...ids];
}

/** The instances that end in a batch: all their stored clocks must be read (their counts go). */
export function endedInstancesOf(events: readonly FoldEvent[]): string[] {
  return [...new Set(events.filter((e) => e.fact?.kind === 'ended').map((e) => e.instanceId))];
}

/** The task a fact is about, for the facts that touch one. */
function clockOf(fact: Fact | undefined): { kind: ClockKind; step: string } | null {
  if (fact === undefined) return null;
  switch (fact.kind) {
    case 'approvalOpened':
    case 'escalated':
    case 'handedOver':
    case 'vote':
    case 'approvalTimedOut':
    case 'approvalClosed':
      return { kind: 'approval', step: fact.step };
    case 'checkTaskOpened':
      return { kind: fact.task, step: fact.step };
    case 'attested':
      return { kind: 'attestation', step: fact.step };
    case 'checkFailed':
      return fact.cause === 'noAttestation' ? { kind: 'attestation', step: fact.step } : null;
    case 'waived':
    case 'waiverMissed':
      return { kind: 'waiver', step: fact.step };
    default:
      return null;
  }
}

/**
 * The batch's rollup changes. A count of a PROJECT_FIGURES figure goes into the every-project
 * total and, when the event names a project, into that project's cell too: both in this batch,
 * so both in the fold's one transaction (dashboard-model.ts says why both are kept).
 */
class Rollups {
  private readonly byId = new Map<string, RollupChange>();

  add(key: RollupKey, counter: string, project: string | null = null): void {
    for (const change of this.cellsOf(key, project)) change.n[counter] = (change.n[counter] ?? 0) + 1;
  }

  duration(key: RollupKey, ms: number, project: string | null): void {
    const bucket = String(bucketOf(ms));
    for (const change of this.cellsOf(key, project)) {
      change.n['closed'] = (change.n['closed'] ?? 0) + 1;
      change.hist[bucket] = (change.hist[bucket] ?? 0) + 1;
      change.sumMs += ms;
      change.maxMs = Math.max(change.maxMs, ms);
    }
  }

  all(): RollupChange[] {
    return [...this.byId.values()];
  }

  private cellsOf(total: RollupKey, project: string | null): RollupChange[] {
    const perProject = project !== null && project !== '' && PROJECT_FIGURES.includes(total.figure);
    return perProject ? [this.at(total), this.at({ ...total, project })] : [this.at(total)];
  }

  private at(key: RollupKey): RollupChange {
    const id = rollupId(key);
    let change = this.byId.get(id);
    if (change === undefined) {
      change = { key, n: {}, hist: {}, sumMs: 0, maxMs: 0 };
      this.byId.set(id, change);
    }
    return change;
  }
}

/** The approver-load cells' net changes of a batch. */
class Load {
  private readonly byId = new Map<string, LoadChange>();

  /** Adds (`sign` 1) or takes out (-1) an open clock for everyone holding it, in each of its scopes. */
  count(c: Clock, sign: 1 | -1): void {
    if (c.openedAt === null) return;
    const minute = minuteKey(c.openedAt);
    const scopes: [string, string][] = [
      [LOAD_ANY, LOAD_ANY],
      [c.policy, LOAD_ANY],
    ];
    if (c.project !== null && c.project !== '') scopes.push([LOAD_ANY, c.project], [c.policy, c.project]);
    for (const person of c.holders ?? c.asked) {
      for (const [policy, project] of scopes) {
        const id = loadCellId(person, policy, project);
        const cell = this.byId.get(id) ?? {
          _id: id,
          person,
          policy,
          project,
          open: 0,
          overdue: 0,
          opened: {},
        };
        cell.open += sign;
        if (c.timedOut) cell.overdue += sign;
        cell.opened[minute] = (cell.opened[minute] ?? 0) + sign;
        this.byId.set(id, cell);
      }
    }
  }

  all(): LoadChange[] {
    const out: LoadChange[] = [];
    for (const cell of this.byId.values()) {
      const opened = Object.fromEntries(Object.entries(cell.opened).filter(([, n]) => n !== 0));
      if (cell.open !== 0 || cell.overdue !== 0 || Object.keys(opened).length > 0)
        out.push({ ...cell, opened });
    }
    return out;
  }
}

/** Whether a clock counts in the load: opened and not yet closed. */
const isOpen = (c: Clock): boolean => c.openedAt !== null && c.closedAt === null;

/**
 * Folds `events` (in leaf order) over `stored`, the clocks `clockIdsOf(events)` named that exist.
 * Deterministic: the same batch over the same clocks answers the same changes.
 */
export function foldBatch(events: readonly FoldEvent[], stored: ReadonlyMap<string, Clock>): FoldResult {
  const rollups = new Rollups();
  const load = new Load();
  /** Every change to a clock: its load count out, the change, its new count in. */
  const change = (c: Clock, mutate: () => void): void => {
    if (c.counted) load.count(c, -1);
    mutate();
    c.counted = isOpen(c);
    if (c.counted) load.count(c, 1);
  };
  const clocks = new Map<string, Clock | null>([...stored].map(([id, c]) => [id, structuredClone(c)]));
  const ended = new Set<string>();
  const waivers = new Map<string, WaiverDoc | null>();
  let newestAt: Date | null = null;

  for (const event of events) {
    if (newestAt === null || event.at.getTime() > newestAt.getTime()) newestAt = event.at;
    const fact = event.fact;
    if (fact === undefined) continue;
    const policy = event.policy.name;
    // Absent only from events read before the version was projected: then not counted per version.
    const version = event.policy.version === undefined ? null : String(event.policy.version);
    const week = isoWeekOf(event.at);
    const of = (figure: RollupKey['figure'], key: string, part = ''): RollupKey => ({
      figure,
      policy,
      key,
      part,
      week,
      project: null,
    });
    const allTime = (figure: RollupKey['figure'], key: string): RollupKey => ({
      ...of(figure, key),
      week: ALL_TIME,
    });
    /** An instance started or ended: in its project, per week and all time; per policy version. */
    const outcome = (counter: string) => {
      rollups.add(of('instances', ''), outcomeCounter(counter, event.project));
      rollups.add(allTime('instancesAll', ''), outcomeCounter(counter, event.project));
      if (version !== null) rollups.add(of('versions', version), counter);
    };
    const touched = clockOf(fact);
    const id = touched === null ? null : clockId(event.instanceId, touched.kind, touched.step);
    const clock = (): Clock => {
      if (touched === null || id === null) throw new Error('a fact without a task has no clock');
      let found = clocks.get(id) ?? null;
      if (found === null) {
        found = {
          _id: id,
          instanceId: event.instanceId,
          policy,
          step: touched.step,
          kind: touched.kind,
          openedAt: null,
          closedAt: null,
          asked: [],
          voted: [],
          timedOut: false,
          project: event.project,
          holders: [],
          counted: false,
        };
        clocks.set(id, found);
      }
      return found;
    };
    /** People asked to act; a hand-over also makes them the only holders of the task. */
    const ask = (people: readonly string[], handOver = false) => {
      const c = clock();
      change(c, () => {
        const holding = handOver ? [] : (c.holders ?? c.asked);
        c.asked = [...new Set([...c.asked, ...people])].sort();
        c.holders = [...new Set([...holding, ...people])].sort();
      });
    };
    const breach = () => {
      const c = clock();
      if (c.timedOut) return;
      change(c, () => {
        c.timedOut = true;
      });
      rollups.add(of('breach', c.step, c.kind), 'breaches', event.project);
      for (const person of c.asked) {
        if (c.voted.includes(person)) continue;
        rollups.add(of('breachBy', ''), counterOf(person), event.project);
        rollups.add(allTime('breachByAll', ''), counterOf(person), event.project);
      }
    };
    const open = () => {
      const c = clock();
      change(c, () => {
        if (c.openedAt === null || event.at.getTime() < c.openedAt.getTime()) c.openedAt = event.at;
      });
      settle(c);
    };
    const close = () => {
      const c = clock();
      change(c, () => {
        if (c.closedAt === null) c.closedAt = event.at;
      });
      settle(c);
    };
    // A clock with both ends is folded into the week of its close and goes.
    const settle = (c: Clock) => {
      if (c.openedAt === null || c.closedAt === null) return;
      const closeWeek = isoWeekOf(c.closedAt);
      const key: RollupKey = {
        figure: 'cycle',
        policy: c.policy,
        key: c.step,
        part: c.kind,
        week: closeWeek,
        project: null,
      };
      rollups.duration(key, Math.max(0, c.closedAt.getTime() - c.openedAt.getTime()), event.project);
      clocks.set(c._id, null);
    };

    switch (fact.kind) {
      case 'started':
        outcome('started');
        break;
      case 'ended':
        outcome(fact.outcome);
        ended.add(event.instanceId);
        for (const [cid, c] of clocks) {
          if (c === null || c.instanceId !== event.instanceId) continue;
          if (c.counted) load.count(c, -1);
          clocks.set(cid, null);
        }
        break;
      case 'approvalOpened':
        ask(fact.eligible);
        open();
        break;
      case 'checkTaskOpened':
        ask(fact.people);
        open();
        break;
      case 'escalated':
        ask(fact.added);
        break;
      case 'handedOver':
        ask(fact.to, true);
        break;
      case 'vote': {
        const c = clock();
        c.voted = [...new Set([...c.voted, fact.actor])].sort();
        break;
      }
      case 'approvalTimedOut':
        breach();
        break;
      case 'approvalClosed':
      case 'attested':
        close();
        break;
      case 'checkPassed':
        rollups.add(of('checks', fact.step), 'passed', event.project);
        break;
      case 'checkFailed':
        rollups.add(of('checks', fact.step), 'failed', event.project);
        if (fact.cause === 'noAttestation') {
          breach();
          close();
        }
        break;
      case 'waived':
        rollups.add(of('checks', fact.step), 'waived', event.project);
        close();
        if (fact.until !== null) {
          waivers.set(waiverId(event.instanceId, fact.step), {
            _id: waiverId(event.instanceId, fact.step),
            instanceId: event.instanceId,
            policy,
            project: event.project,
            step: fact.step,
            actor: fact.actor,
            waivedAt: event.at,
            until: new Date(fact.until.at),
          });
        }
        break;
      case 'waiverMissed':
        ask(fact.people);
        breach();
        close();
        break;
      case 'waiverExpired':
        waivers.set(waiverId(event.instanceId, fact.step), null);
        break;
      default:
        break;
    }
  }

  const kept = [...clocks.values()].filter((c): c is Clock => c !== null);
  return {
    rollups: rollups.all(),
    clocks: kept,
    deletedClocks: [...clocks].filter(([, c]) => c === null).map(([cid]) => cid),
    endedInstances: [...ended],
    waivers: [...waivers.values()].filter((w): w is WaiverDoc => w !== null),
    deletedWaivers: [...waivers].filter(([, w]) => w === null).map(([wid]) => wid),
    load: load.all(),
    newestAt,
  };
}
