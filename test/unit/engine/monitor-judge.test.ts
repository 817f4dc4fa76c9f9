// Judging projects against a monitor (engine/monitor) and running monitor tests on the virtual
// clock (engine/simulate): fail closed on what cannot be decided, render the author's message
// from the project, and report a wrong expectation with what happened instead.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { compileMonitor, type ProjectFacts } from '../../../engine/monitor/index.js';
import { monitorTestSchema, runMonitorTest } from '../../../engine/simulate/index.js';

const text = `policy "p" version 1 effective 2026-01-01
owner "pmo@example.com"
calendar office { timezone "Europe/Berlin" hours mon-fri 09:00-17:00 }
role pmo = group "pmo"
monitor budget_known {
  every mon 08:00
  where project.budget > 100_000 EUR
  require is_set(project.sponsor) and risk_review.last_approved >= today - 30 days
    else "{project.code} ({project.phase}) needs a sponsor and a recent risk review"
  owner project.manager, pmo
  within 2 business days
}
process risk_review {
  input { project: text }
  approve review { by pmo }
}
`;

function compiled(): CompiledPolicy {
  const out = compileEntry('p.charter', memoryHost({ 'p.charter': text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

const project = (over: Partial<ProjectFacts> = {}): ProjectFacts => ({
  code: 'PRJ-1',
  name: 'ERP',
  phase: 'build',
  manager: 'mia@example.com',
  sponsor: 'sam@example.com',
  budget: { amount: '250000', currency: 'EUR' },
  start: null,
  end: null,
  health: 'green',
  tags: [],
  ...over,
});

describe('judging a project', () => {
  const monitor = compileMonitor(compiled(), 'budget_known');

  test('when the project passes, then the verdict is passed with the reasons', () => {
    const verdict = monitor.judge(project(), { risk_review: { lastApproved: '2026-11-30' } }, '2026-12-07');
    expect(verdict.kind).toBe('passed');
  });

  test('when the process never ran for the project, then it fails closed with the author’s message', () => {
    const verdict = monitor.judge(project(), { risk_review: { lastApproved: null } }, '2026-12-07');
    expect(verdict).toMatchObject({
      kind: 'failed',
      message: 'PRJ-1 (build) needs a sponsor and a recent risk review',
    });
    expect(verdict.kind === 'failed' && verdict.why).toMatch(/risk_review\.last_approved is not set/);
  });

  test('when the scope cannot be decided (no budget), then the project is left out and counted as undecided', () => {
    const verdict = monitor.judge(
      project({ budget: null }),
      { risk_review: { lastApproved: null } },
      '2026-12-07',
    );
    expect(verdict).toMatchObject({ kind: 'notSelected', undecided: true });
  });

  test('when the scope does not apply, then the project is left out, decided', () => {
    const small = project({ budget: { amount: '5000', currency: 'EUR' } });
    expect(monitor.judge(small, { risk_review: { lastApproved: null } }, '2026-12-07')).toMatchObject({
      kind: 'notSelected',
      undecided: false,
    });
  });

  test('when owners are read, then the project’s manager and the role come as references', () => {
    expect(monitor.owners(project(), {}, '2026-12-07').refs).toEqual([
      { kind: 'person', person: 'mia@example.com' },
      { kind: 'group', group: 'pmo' },
    ]);
    expect(monitor.owners(project({ manager: null }), {}, '2026-12-07').problems).toEqual([
      'project.manager is not set',
    ]);
  });
});

describe('monitor tests on the virtual clock', () => {
  const test_ = (expect_: Record<string, unknown>) =>
    monitorTestSchema.parse({
      name: 'n',
      monitor: 'budget_known',
      from: '2026-12-01',
      to: '2026-12-31',
      projects: [
        {
          code: 'PRJ-1',
          phase: 'build',
          manager: 'mia@example.com',
          budget: { amount: '250000', currency: 'EUR' },
        },
      ],
      expect: expect_,
    });

  test('when the expectations match, then the test passes', () => {
    const result = runMonitorTest(
      compiled(),
      test_({ runs: 4, opened: [{ project: 'PRJ-1', on: '2026-12-07' }] }),
      {
        groups: { pmo: ['pat@example.com'] },
        managers: {},
      },
    );
    expect(result.failures).toEqual([]);
    expect(result.simulation?.findings[0]?.owners).toEqual(['mia@example.com', 'pat@example.com']);
  });

  test('when an expectation is wrong, then the failure says what happened instead', () => {
    const result = runMonitorTest(compiled(), test_({ runs: 5, opened: [] }), { groups: {}, managers: {} });
    expect(result.failures).toEqual([
      'expected 5 runs, got 4',
      'expected findings opened: none; got: PRJ-1 on 2026-12-07',
    ]);
  });

  test('when the monitor does not exist, then the test fails and lists the monitors', () => {
    const result = runMonitorTest(
      compiled(),
      { ...test_({}), monitor: 'budgets' },
      { groups: {}, managers: {} },
    );
    expect(result.failures).toEqual(['the policy has no monitor `budgets` (it has: budget_known)']);
  });
});
