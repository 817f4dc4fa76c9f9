// One scheduled run of a monitor: the version of its policy in force at the run's time judges
// every project, opens a finding for each that fails (unless one is live, or waived past the
// day), closes the live findings of those that pass or left its scope, and records the run on
// the monitor's ledger chain. Idempotent per run and project: finding ids and ledger keys are
// named after the run, and the findings store keeps one live finding per (monitor, project), so a
// retried activity or a second worker doing the same run changes nothing twice.
import { Context } from '@temporalio/activity';
import {
  type CompiledMonitor,
  compileMonitor,
  findingDueAt,
  findingZone,
  type ProjectFacts,
  type ProjectHistory,
} from '../../engine/monitor/index.js';
import { localDate } from '../../engine/calendar/index.js';
import type { Fact } from '../../engine/facts/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { PersonRef } from '../../engine/machine/types.js';
import type { Project } from '../../store/projects.js';
import type { Store } from '../../store/index.js';
import type { FindingRecord, FindingsPort } from './findings-port.js';
import { findingEventId, postFindingNoticesMany } from './finding-notices.js';
import { appendFact, findingFacts, monitorChain } from './ledger.js';

/** Projects read, judged and written per round trip: a run over 10,000 projects is 20 pages. */
export const RUN_PAGE = 500;

export interface MonitorRunInput {
  policy: string;
  monitor: string;
  /** The scheduled time of the run (epoch ms): what it judges, whenever it actually runs. */
  runAt: number;
  /** Names what the run writes: the schedule's workflow id (scheduled time included). */
  runId: string;
}

export interface MonitorRunResult {
  status: 'ran' | 'notInForce' | 'noSuchMonitor';
  version: number | null;
  day: string | null;
  judged: number;
  selected: number;
  passed: number;
  failed: number;
  undecided: number;
  waived: number;
  /** Findings this run opened (each gets a workflow that chases it). */
  opened: string[];
  /** Findings this run closed (their workflows are told to stop). */
  closed: string[];
}

export interface RunDeps {
  store: Store;
  findings: FindingsPort;
}

const empty = (status: MonitorRunResult['status'], version: number | null): MonitorRunResult => ({
  status,
  version,
  day: null,
  judged: 0,
  selected: 0,
  passed: 0,
  failed: 0,
  undecided: 0,
  waived: 0,
  opened: [],
  closed: [],
});

export async function runMonitor(deps: RunDeps, input: MonitorRunInput): Promise<MonitorRunResult> {
  const at = new Date(input.runAt);
  const published = await deps.store.policies.newestInEffect(input.policy, at);
  if (published === null) return empty('notInForce', null);
  const compiled = published.compiled;
  if (!compiled.ir.monitors?.some((m) => m.name === input.monitor))
    return empty('noSuchMonitor', published.version);
  const monitor = compileMonitor(compiled, input.monitor);
  const day = monitor.today(input.runAt);
  const histories = await historiesOf(deps.store, input.policy, monitor);
  const result: MonitorRunResult = { ...empty('ran', published.version), day };
  let cursor: string | null = null;
  do {
    const page: { items: Project[]; nextCursor: string | null } = await deps.store.projects.page(
      {},
      cursor,
      RUN_PAGE,
    );
    await judgePage(deps, { input, compiled, monitor, day, histories }, page.items, result);
    cursor = page.nextCursor;
    heartbeat(result.judged);
  } while (cursor !== null);
  await appendFact(deps.store, {
    chain: monitorChain(input.policy, input.monitor),
    key: `run:${input.runId}`,
    at,
    subject: input.runId,
    process: input.monitor,
    project: null,
    policy: policyRef(compiled),
    actor: null,
    fact: {
      kind: 'monitorRun',
      monitor: input.monitor,
      day,
      judged: result.judged,
      selected: result.selected,
      passed: result.passed,
      failed: result.failed,
      undecided: result.undecided,
      opened: result.opened.length,
      closed: result.closed.length,
      waived: result.waived,
    },
  });
  return result;
}

interface RunContext {
  input: MonitorRunInput;
  compiled: CompiledPolicy;
  monitor: CompiledMonitor;
  day: string;
  histories: Map<string, Map<string, Date>>;
}

async function judgePage(
  deps: RunDeps,
  run: RunContext,
  projects: readonly Project[],
  result: MonitorRunResult,
): Promise<void> {
  const { input, monitor, day } = run;
  const failing: {
    project: Project;
    message: string;
    why: string;
    owners: PersonRef[];
    waivers: PersonRef[];
    problems: string[];
  }[] = [];
  const settled: string[] = [];
  for (const project of projects) {
    result.judged++;
    const facts = projectFacts(project);
    const history = historyOf(run, project.code);
    const verdict = monitor.judge(facts, history, day);
    if (verdict.kind === 'notSelected') {
      if (verdict.undecided) result.undecided++;
      else settled.push(project.code);
      continue;
    }
    result.selected++;
    if (verdict.kind === 'passed') {
      result.passed++;
      settled.push(project.code);
      continue;
    }
    result.failed++;
    const owners = monitor.owners(facts, history, day);
    const waivers = monitor.waivers(facts, history, day);
    failing.push({
      project,
      message: verdict.message,
      why: verdict.why,
      owners: owners.refs,
      waivers: waivers.refs,
      problems: owners.problems,
    });
  }
  const at = new Date(input.runAt);
  // Owners and waivers of every failing project of the page on one set of directory reads.
  const resolved = await resolveLists(
    deps.store,
    failing.flatMap((f) => [f.owners, f.waivers]),
    at,
  );
  const dueAt = findingDueAt(monitor, input.runAt);
  // The page's findings in one read and one write, then their ledger facts and notices likewise.
  const outcomes = await deps.findings.openMany(
    failing.map((f, index) => ({
      policy: policyRef(run.compiled),
      monitor: input.monitor,
      project: f.project.code,
      runId: input.runId,
      runAt: at,
      day,
      message: f.message,
      why: f.why,
      health: monitor.ir.health,
      owners: resolved[2 * index]?.people ?? [],
      waivers: resolved[2 * index + 1]?.people ?? [],
      dueAt: dueAt === null ? null : new Date(dueAt),
    })),
  );
  const facts: Told[] = [];
  for (const [index, f] of failing.entries()) {
    const opened = outcomes[index];
    if (opened?.status === 'waived') result.waived++;
    if (opened?.status !== 'opened') continue;
    result.opened.push(opened.finding.id);
    const resolution = resolved[2 * index] ?? { people: [], problems: [] };
    const problems = [
      ...f.problems,
      ...resolution.problems.map((p) => `${describeRef(p.ref)}: ${p.problem}`),
    ];
    const fact: Fact = {
      kind: 'findingOpened',
      monitor: input.monitor,
      project: f.project.code,
      message: f.message,
      why: f.why,
      owners: resolution.people,
      problems,
      dueAt: dueAt === null ? null : { at: dueAt, zone: findingZone(monitor) },
    };
    facts.push({ finding: opened.finding, key: 'opened', fact });
  }
  if (settled.length > 0) {
    const closed = await deps.findings.closePassing({
      policy: input.policy,
      monitor: input.monitor,
      projects: settled,
      runId: input.runId,
      at,
    });
    const key = `closed:${input.runId}`;
    for (const finding of closed) {
      const fact: Fact = { kind: 'findingClosed', monitor: finding.monitor, project: finding.project, day };
      facts.push({ finding, key, fact });
    }
  }
  await tell(deps.store, facts, at);
}

/** A fact of a finding a run opened or closed, under its key on the finding's chain. */
interface Told {
  finding: FindingRecord;
  key: string;
  fact: Fact;
}

/**
 * Writes the facts on their findings' chains, then posts their notices: both in a few round trips
 * for the whole page. Notices are posted whether or not this call wrote the fact (a retried run
 * must still post them); posting is idempotent by notice id.
 */
async function tell(store: Store, facts: readonly Told[], at: Date): Promise<void> {
  if (facts.length === 0) return;
  await findingFacts(
    store,
    facts.map((t) => ({ ...t, at })),
  );
  await postFindingNoticesMany(
    store,
    facts.map((t) => ({ finding: t.finding, fact: t.fact, eventId: findingEventId(t.finding, t.key), at })),
  );
}

/** resolveMany for lists that may be empty (a project without a manager): empty lists resolve to nobody. */
async function resolveLists(store: Store, lists: PersonRef[][], at: Date) {
  const asked = lists.filter((refs) => refs.length > 0);
  const answers = asked.length === 0 ? [] : await store.directory.resolveMany(asked, at);
  let next = 0;
  return lists.map((refs) => (refs.length === 0 ? { people: [], problems: [] } : answers[next++]!));
}

function describeRef(ref: PersonRef): string {
  return ref.kind === 'group'
    ? `group "${ref.group}"`
    : ref.kind === 'person'
      ? `person "${ref.person}"`
      : `manager of ${ref.person}`;
}

/** Per process the monitor reads: the newest approved end per project. */
async function historiesOf(
  store: Store,
  policy: string,
  monitor: CompiledMonitor,
): Promise<Map<string, Map<string, Date>>> {
  const out = new Map<string, Map<string, Date>>();
  for (const process of monitor.processes)
    out.set(process, await store.views.lastApprovedByProject(policy, process));
  return out;
}

function historyOf(run: RunContext, code: string): ProjectHistory {
  const history: Record<string, { lastApproved: string | null }> = {};
  for (const [process, byProject] of run.histories) {
    const ended = byProject.get(code);
    history[process] = {
      lastApproved: ended === undefined ? null : localDate(ended.getTime(), run.monitor.ir.schedule.timezone),
    };
  }
  return history;
}

export function projectFacts(p: Project): ProjectFacts {
  return {
    code: p.code,
    name: p.name,
    phase: p.phase,
    manager: p.manager,
    sponsor: p.sponsor,
    budget: p.budget,
    start: p.start,
    end: p.end,
    health: p.health.status,
    tags: p.tags,
  };
}

const policyRef = (compiled: CompiledPolicy) => ({
  name: compiled.ir.policy.name,
  version: compiled.ir.policy.version,
  sha256: compiled.sha256,
});

/** Long runs tell Temporal they are alive (outside an activity, as in tests, there is nobody to tell). */
function heartbeat(judged: number): void {
  try {
    Context.current().heartbeat(judged);
  } catch {
    // Not inside an activity.
  }
}
