// Monitor tests in a policy's test file (`monitorTests`): a portfolio, its history and a period,
// run on the virtual clock (monitor-simulation.ts), then checked against what the author expects:
// how many runs, which findings open and close on which day, and (optionally) what their chase
// does. A failure names the expectation and shows what happened instead.
import { z } from 'zod';
import type { CompiledPolicy } from '../ir/types.js';
import type { ProjectFacts } from '../monitor/index.js';
import { type MonitorSimulation, type MonitorWorld, simulateMonitor } from './monitor-simulation.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const person = z.string().min(1);

const projectSchema = z.strictObject({
  code: z.string().min(1),
  name: z.string().default(''),
  phase: z.string().min(1),
  manager: person.nullable().default(null),
  sponsor: person.nullable().default(null),
  budget: z.strictObject({ amount: z.string(), currency: z.string() }).nullable().default(null),
  start: day.nullable().default(null),
  end: day.nullable().default(null),
  health: z.enum(['green', 'amber', 'red']).default('green'),
  tags: z.array(z.string()).default([]),
});

/** A change sets only the fields it names (no defaults, unlike a project). */
const changeSchema = z.strictObject({
  name: z.string().optional(),
  phase: z.string().min(1).optional(),
  manager: person.nullable().optional(),
  sponsor: person.nullable().optional(),
  budget: z.strictObject({ amount: z.string(), currency: z.string() }).nullable().optional(),
  start: day.nullable().optional(),
  end: day.nullable().optional(),
  health: z.enum(['green', 'amber', 'red']).optional(),
  tags: z.array(z.string()).optional(),
});

const dated = z.strictObject({ project: z.string(), on: day });

export const monitorTestSchema = z.strictObject({
  name: z.string().min(1),
  monitor: z.string().min(1),
  from: day,
  to: day,
  projects: z.array(projectSchema).min(1),
  changes: z.array(z.strictObject({ on: day, project: z.string(), set: changeSchema })).default([]),
  approvals: z.array(z.strictObject({ process: z.string(), project: z.string(), on: day })).default([]),
  resolutions: z.array(dated).default([]),
  expect: z.strictObject({
    runs: z.number().int().nonnegative().optional(),
    /** Every finding opened, in order: project and day. */
    opened: z.array(dated).optional(),
    /** Every finding closed by a passing run, in order. */
    closed: z.array(dated).optional(),
    /** Escalations of findings: project, day and level (and who was added, if given). */
    escalated: z
      .array(dated.extend({ level: z.number().int().positive(), people: z.array(person).optional() }))
      .optional(),
    /** Findings that went overdue: project and day. */
    overdue: z.array(dated).optional(),
  }),
});

export type MonitorTest = z.infer<typeof monitorTestSchema>;

export interface MonitorTestResult {
  name: string;
  passed: boolean;
  failures: string[];
  simulation: MonitorSimulation | null;
}

const show = (items: readonly { project: string; on: string }[]): string =>
  items.length === 0 ? 'none' : items.map((i) => `${i.project} on ${i.on}`).join(', ');

/** The fields a change names (zod leaves absent keys out, but a typed copy must say so). */
function definedOnly(set: z.infer<typeof changeSchema>): Partial<ProjectFacts> {
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
}

export function runMonitorTest(
  policy: CompiledPolicy,
  test: MonitorTest,
  directory: Pick<MonitorWorld, 'groups' | 'managers'>,
): MonitorTestResult {
  if (!policy.ir.monitors?.some((m) => m.name === test.monitor)) {
    const known = (policy.ir.monitors ?? []).map((m) => m.name);
    return {
      name: test.name,
      passed: false,
      failures: [`the policy has no monitor \`${test.monitor}\` (it has: ${known.join(', ') || 'none'})`],
      simulation: null,
    };
  }
  const simulation = simulateMonitor(
    policy,
    test.monitor,
    {
      ...directory,
      projects: test.projects,
      changes: test.changes.map((c) => ({ ...c, set: definedOnly(c.set) })),
      approvals: test.approvals,
      resolutions: test.resolutions,
    },
    test.from,
    test.to,
  );
  const failures = monitorFailures(test, simulation);
  return { name: test.name, passed: failures.length === 0, failures, simulation };
}

/**
 * What of the test's expectations `outcome` does not meet, one sentence each: for the simulator's
 * outcome (runMonitorTest), and for what the real workflows did (the monitor conformance test).
 */
export function monitorFailures(test: MonitorTest, simulation: MonitorSimulation): string[] {
  const failures: string[] = [];
  const { expect } = test;
  if (expect.runs !== undefined && simulation.runs.length !== expect.runs)
    failures.push(`expected ${expect.runs} runs, got ${simulation.runs.length}`);
  const compare = (
    what: string,
    wanted: readonly { project: string; on: string }[] | undefined,
    got: { project: string; on: string }[],
  ) => {
    if (wanted === undefined) return;
    const key = (i: { project: string; on: string }) => `${i.on} ${i.project}`;
    if (JSON.stringify(wanted.map(key)) !== JSON.stringify(got.map(key)))
      failures.push(`expected ${what}: ${show(wanted)}; got: ${show(got)}`);
  };
  const findings = simulation.findings;
  compare(
    'findings opened',
    expect.opened,
    findings.map((f) => ({ project: f.project, on: f.openedOn })),
  );
  compare(
    'findings closed',
    expect.closed,
    findings
      .flatMap((f) => (f.end.kind === 'closed' ? [{ project: f.project, on: f.end.on }] : []))
      .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)),
  );
  const alarmsOf = (kind: string) =>
    findings.flatMap((f) =>
      f.alarms.filter((a) => a.kind === kind).map((a) => ({ ...a, project: f.project })),
    );
  compare('overdue findings', expect.overdue, alarmsOf('due'));
  if (expect.escalated !== undefined) {
    const got = alarmsOf('escalate');
    compare('escalations', expect.escalated, got);
    expect.escalated.forEach((e, i) => {
      const g = got[i];
      if (g && g.level !== e.level)
        failures.push(`escalation ${i + 1}: expected level ${e.level}, got ${g.level ?? '?'}`);
      if (g && e.people && JSON.stringify([...e.people].sort()) !== JSON.stringify(g.people ?? []))
        failures.push(
          `escalation ${i + 1}: expected ${e.people.join(', ')} added, got ${(g.people ?? []).join(', ') || 'nobody'}`,
        );
    });
  }
  return failures;
}
