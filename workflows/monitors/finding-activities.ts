// What a finding's workflow asks of the world: its plan (is it still live, was it acknowledged,
// when do its reminders, escalations and due notice come) and the effect of one alarm. The plan
// is computed from the policy version that opened the finding, so a later version of the monitor
// never changes how an open finding is chased. Each alarm writes its fact once (keyed on the
// finding's chain), so a retried activity neither notifies nor escalates twice.
import { compileMonitor, type FindingAlarm, findingAlarms, findingZone } from '../../engine/monitor/index.js';
import { uniqueSorted } from '../../engine/machine/people.js';
import type { Fact } from '../../engine/facts/index.js';
import type { Store } from '../../store/index.js';
import type { FindingRecord, FindingsPort } from './findings-port.js';
import { findingEventId, postFindingNotices } from './finding-notices.js';
import { findingFact } from './ledger.js';
import { projectFacts } from './run.js';

export interface FindingPlan {
  live: boolean;
  acknowledged: boolean;
  alarms: FindingAlarm[];
}

export interface FindingDeps {
  store: Store;
  findings: FindingsPort;
}

const isLive = (f: FindingRecord): boolean => f.status === 'open' || f.status === 'acknowledged';

async function monitorOf(store: Store, finding: FindingRecord) {
  const compiled = await store.policies.compiled(finding.policy.name, finding.policy.version);
  if (compiled === null)
    throw new Error(
      `finding ${finding.id}: policy ${finding.policy.name} v${finding.policy.version} is not stored`,
    );
  return compileMonitor(compiled, finding.monitor);
}

export async function findingPlan(deps: FindingDeps, findingId: string): Promise<FindingPlan> {
  const finding = await deps.findings.get(findingId);
  if (finding === null || !isLive(finding)) return { live: false, acknowledged: false, alarms: [] };
  const monitor = await monitorOf(deps.store, finding);
  return {
    live: true,
    acknowledged: finding.status === 'acknowledged',
    alarms: findingAlarms(monitor, finding.openedAt.getTime(), finding.owners.length === 0),
  };
}

/** Carries out one alarm, if the finding is still live; answers what it did. */
export async function findingAlarm(
  deps: FindingDeps,
  input: { findingId: string; alarm: FindingAlarm },
): Promise<'done' | 'skipped'> {
  const { alarm } = input;
  const finding = await deps.findings.get(input.findingId);
  if (finding === null || !isLive(finding)) return 'skipped';
  const monitor = await monitorOf(deps.store, finding);
  const at = new Date(alarm.at);
  const people = uniqueSorted([...finding.owners, ...finding.added]);
  const dueAt = finding.dueAt === null ? null : { at: finding.dueAt.getTime(), zone: findingZone(monitor) };
  const base = { monitor: finding.monitor, project: finding.project };
  switch (alarm.kind) {
    case 'remind': {
      if (finding.status === 'acknowledged') return 'skipped';
      const key = `remind:${alarm.n}`;
      const fact: Fact = { kind: 'findingReminded', ...base, people, dueAt };
      await findingFact(deps.store, finding, key, at, fact);
      await postFindingNotices(deps.store, finding, fact, findingEventId(finding, key), at);
      return 'done';
    }
    case 'due': {
      if (dueAt === null) return 'skipped';
      const fact: Fact = { kind: 'findingOverdue', ...base, dueAt, people };
      await findingFact(deps.store, finding, 'overdue', at, fact);
      await postFindingNotices(deps.store, finding, fact, findingEventId(finding, 'overdue'), at);
      return 'done';
    }
    case 'escalate': {
      const level = monitor.ir.escalations[alarm.level - 1];
      if (!level) return 'skipped';
      const project = await deps.store.projects.get(finding.project);
      const facts = project === null ? null : projectFacts(project);
      const expanded =
        facts === null
          ? { refs: [], problems: [`project ${finding.project} no longer exists`] }
          : monitor.escalationOf(alarm.level, facts);
      const [resolution] =
        expanded.refs.length === 0
          ? [undefined]
          : await deps.store.directory.resolveMany([expanded.refs], at);
      const added = (resolution?.people ?? []).filter((p) => !people.includes(p));
      const problems = [...expanded.problems, ...(resolution?.problems ?? []).map((p) => p.problem)];
      if (added.length > 0) await deps.findings.addPeople(finding.id, added, at);
      const key = `escalate:${alarm.level}`;
      const fact: Fact = { kind: 'findingEscalated', ...base, added, level: alarm.level, problems };
      await findingFact(deps.store, finding, key, at, fact);
      await postFindingNotices(deps.store, finding, fact, findingEventId(finding, key), at);
      return 'done';
    }
  }
}
