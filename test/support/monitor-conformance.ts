// A policy test file's `monitorTests` played against the real system: the portfolio in the store,
// its changes, approved reviews and people's resolutions written on their days, each scheduled
// run started as the Temporal Schedule starts it (the monitor-run workflow, its id ending in the
// scheduled time), and the findings it opens chased by their own workflows while the
// time-skipping server moves the days on. What happened is then read back from the store and the
// ledger in the simulator's shape (engine/simulate/monitor-simulation.ts), so the test can hold
// both to the author's expectations and to each other.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compileEntry } from '../../dsl/index.js';
import { diskHost } from '../../dsl/cli/files.js';
import { policyFileOf, readTestFile } from '../../dsl/cli/scenario-files.js';
import { instantOf, localDate } from '../../engine/calendar/index.js';
import type { CompiledPolicy, DayName } from '../../engine/ir/types.js';
import type {
  MonitorSimulation,
  MonitorTest,
  SimulatedFinding,
  WorldInput,
} from '../../engine/simulate/index.js';
import type { ProjectFields, Store } from '../../store/index.js';
import { findingChanged, findingWorkflowId } from '../../workflows/definitions/monitor-messages.js';
import { findingChain, monitorChain } from '../../workflows/monitors/ledger.js';

export interface MonitorCase {
  key: string;
  file: string;
  policy: CompiledPolicy;
  sources: { path: string; text: string }[];
  test: MonitorTest;
  world: WorldInput;
}

/** Every monitor test of the policies in `dir`, compiled as `charter test` compiles them. */
export function loadMonitorCases(dir: string): MonitorCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.json'))
    .sort();
  return files.flatMap((name) => {
    const file = path.join(dir, name);
    const testFile = readTestFile(file);
    if (testFile.monitorTests.length === 0) return [];
    const { compiled, diagnostics } = compileEntry(policyFileOf(file), diskHost);
    if (!compiled) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
    return testFile.monitorTests.map((test, i) => ({
      key: `${name.replace(/\.test\.json$/, '')}-monitor-${i}`,
      file: name,
      policy: compiled,
      sources: compiled.ir.sources.map((s) => ({ path: s.path, text: diskHost.readFile(s.path) ?? '' })),
      test,
      world: testFile.world,
    }));
  });
}

const WEEKDAYS: readonly DayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
const PMO = 'pmo@charter.test';

export const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** What the driver needs of the time-skipping environment and its worker's client. */
export interface MonitorDriver {
  store: Store;
  /** Moves the server's clock to `at` (timers due before it fire on the way). */
  skipTo(at: number): Promise<void>;
  /** Starts the monitor-run workflow as the schedule does and waits for its result. */
  run(workflowId: string): Promise<void>;
  /** Tells a finding's workflow that a person acted on it. */
  signalResolved(findingId: string): Promise<void>;
}

/** The monitor's schedule of `c` from its `from` to its `to`, day by day, as the simulator walks it. */
export async function playMonitorTest(c: MonitorCase, d: MonitorDriver): Promise<void> {
  const { test, policy } = c;
  const ir = policy.ir.monitors?.find((m) => m.name === test.monitor);
  if (!ir) throw new Error(`${c.file}: no monitor ${test.monitor}`);
  const { days, time, timezone } = ir.schedule;
  const policyName = policy.ir.policy.name;
  const start = instantOf(test.from, '00:00', timezone);
  await d.skipTo(start);
  for (const p of test.projects) await d.store.projects.create(p.code, fieldsOf(p), PMO, new Date(start));
  const applied = new Set<object>();
  for (let day = test.from; day <= test.to; day = nextDay(day)) {
    const at = instantOf(day, time, timezone);
    // The day's changes and approved reviews are in place before its run, as in the simulator.
    for (const change of test.changes.filter((x) => x.on <= day && !applied.has(x))) {
      applied.add(change);
      await d.store.projects.update(change.project, patchOf(change.set), null, PMO, new Date(start));
    }
    for (const [n, approval] of test.approvals.entries()) {
      if (approval.on > day || applied.has(approval)) continue;
      applied.add(approval);
      await approved(d.store, policy, approval, n, instantOf(approval.on, '00:01', timezone));
    }
    const resolutions = test.resolutions.filter((r) => r.on === day);
    const weekday = WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()];
    const runs = weekday !== undefined && days.includes(weekday);
    if (!runs && resolutions.length === 0) continue;
    await d.skipTo(at);
    for (const r of resolutions) {
      const [live] = await d.store.findings.liveByProject([r.project]);
      if (live === undefined) continue;
      await d.store.findings.resolve(live.id, PMO, new Date(at), 'resolved in the test', null);
      await d.signalResolved(live.id);
    }
    if (runs) await d.run(`${ir.name}:${policyName}-${new Date(at).toISOString().replace('.000Z', 'Z')}`);
  }
  await d.skipTo(instantOf(nextDay(test.to), '00:00', timezone));
}

/**
 * What the real system did, in the simulator's shape: a run per monitorRun fact of the monitor's
 * chain, and each finding with the day it opened, how it ended and its chase's alarms, from its
 * document and its ledger chain. Days are in the monitor's zone.
 */
export async function observed(store: Store, c: MonitorCase): Promise<MonitorSimulation> {
  const policyName = c.policy.ir.policy.name;
  const zone = c.policy.ir.monitors?.find((m) => m.name === c.test.monitor)?.schedule.timezone ?? 'UTC';
  const day = (at: Date | number): string => localDate(typeof at === 'number' ? at : at.getTime(), zone);
  const runs = (await store.audit.chainByName(monitorChain(policyName, c.test.monitor))).flatMap((e) =>
    e.fact?.kind === 'monitorRun'
      ? [{ day: e.fact.day, judged: e.fact.judged, failed: [], opened: [], closed: [] }]
      : [],
  );
  const findings: SimulatedFinding[] = [];
  const { items } = await store.findings.page({ monitor: c.test.monitor }, null, 500);
  for (const f of [...items].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())) {
    const chain = await store.audit.chainByName(findingChain(f.id));
    const alarms: SimulatedFinding['alarms'] = chain.flatMap((e): SimulatedFinding['alarms'] => {
      const fact = e.fact;
      if (fact?.kind === 'findingReminded') return [{ kind: 'remind', on: day(e.at) }];
      if (fact?.kind === 'findingOverdue') return [{ kind: 'due', on: day(e.at) }];
      if (fact?.kind === 'findingEscalated')
        return [{ kind: 'escalate', on: day(e.at), level: fact.level, people: [...fact.added].sort() }];
      return [];
    });
    const end: SimulatedFinding['end'] =
      f.status === 'closed' && f.closed
        ? { kind: 'closed', on: day(f.closed.at) }
        : f.status === 'resolved' && f.resolved
          ? { kind: 'resolved', on: day(f.resolved.at) }
          : { kind: 'open' };
    findings.push({
      project: f.project,
      openedOn: day(f.openedAt),
      message: f.message,
      // The simulator lists owners sorted; the store keeps the directory's order.
      owners: [...f.owners].sort(),
      end,
      alarms,
    });
  }
  return { runs, findings };
}

function fieldsOf(p: MonitorTest['projects'][number]): ProjectFields {
  return {
    name: p.name === '' ? p.code : p.name,
    phase: p.phase,
    manager: p.manager,
    sponsor: p.sponsor,
    budget: p.budget,
    start: p.start,
    end: p.end,
    health: { status: p.health, reason: null },
    tags: p.tags,
  };
}

function patchOf(set: MonitorTest['changes'][number]['set']): Partial<ProjectFields> {
  const { health, ...rest } = set;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...defined, ...(health === undefined ? {} : { health: { status: health, reason: null } }) };
}

/** An instance of the policy's process for the project, approved at `endedAt`, as the worker records it. */
async function approved(
  store: Store,
  policy: CompiledPolicy,
  a: MonitorTest['approvals'][number],
  n: number,
  endedAt: number,
): Promise<void> {
  const id = `approved-${a.process}-${a.project}-${n}`;
  await store.views.upsert({
    instanceId: id,
    workflowId: id,
    policy: { name: policy.ir.policy.name, version: policy.ir.policy.version, sha256: policy.sha256 },
    process: a.process,
    project: a.project,
    status: 'approved',
    message: null,
    startedAt: new Date(endedAt - DAY_MS),
    startedBy: PMO,
    endedAt: new Date(endedAt),
    currentSteps: [],
    blockedOn: [],
    transition: 3,
  });
}

export { findingChanged, findingWorkflowId };
