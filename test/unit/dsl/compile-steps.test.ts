import { check } from '../../../dsl/check/index.js';
import { compile } from '../../../dsl/compile/index.js';
import { hasErrors } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type SourceHost } from '../../../dsl/program.js';
import type { ExprIR, StepIR } from '../../../engine/ir/types.js';

/** The steps of process `p` in a policy whose body starts on line 4. */
function compiledSteps(...lines: string[]): StepIR[] {
  const main = [
    'policy "p" version 1 effective 2026-01-01',
    'owner "pmo@example.com"',
    'calendar office { timezone "UTC" hours mon-fri 09:00-17:00 }  role cab = group "cab"',
    ...lines,
  ].join('\n');
  const host: SourceHost = {
    readFile: (path) => (path === 'main.charter' ? main : undefined),
    resolve: (_f, s) => s,
  };
  const { program, diagnostics } = loadProgram('main.charter', host);
  if (!program || diagnostics.length > 0)
    throw new Error(`fixture: ${diagnostics.map((d) => d.message).join('; ')}`);
  const checked = check(program);
  if (hasErrors(checked.diagnostics))
    throw new Error(`fixture: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  return compile(program, checked.model).ir.processes[0]?.steps ?? [];
}

/** Steps in source order, depth first, as `kind id`. */
function ids(steps: readonly StepIR[]): string[] {
  return steps.flatMap((step) => {
    const nested =
      step.kind === 'if'
        ? [...step.branches.flatMap((b) => b.steps), ...step.otherwise]
        : step.kind === 'parallel'
          ? step.branches.flatMap((b) => b.steps)
          : [];
    return [`${step.kind} ${step.id}`, ...ids(nested)];
  });
}

/** An expression without spans, to compare its shape. */
function shape(expr: ExprIR): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value: unknown) => (key === 'span' ? undefined : value)));
}

describe('compile: steps', () => {
  test('when steps are unnamed, then they get `<kind>_<n>` per kind in source order; named keep their id', () => {
    const steps = compiledSteps(
      'process p {',
      '  input { risk: text }',
      '  notify cab: "a"',
      '  if request.risk == "high" { notify heads_up: cab: "b" wait 1h } else { notify cab: "c" }',
      '  parallel { wait 2h branch pair { notify cab: "d" } }',
      '  end approved',
      '}',
    );

    expect(ids(steps)).toEqual([
      'notify notify_1',
      'if if_1',
      'notify heads_up',
      'wait wait_1',
      'notify notify_2',
      'parallel parallel_1',
      'wait wait_2',
      'notify notify_3',
      'end end_1',
    ]);
    const parallel = steps[2];
    expect(parallel?.kind === 'parallel' && parallel.branches.map((b) => b.id)).toEqual(['wait_2', 'pair']);
  });

  test('when clauses are left out, then the compiled steps spell out the defaults', () => {
    const [approve, check, reallocate, parallel] = compiledSteps(
      'process p {',
      '  input { project: text }',
      '  approve a { by cab }',
      '  check scan: external "scanner"',
      '  reallocate 8 hours of skill "dba" from pool "ops" to project request.project for 1w',
      '  parallel { wait 1h wait 2h }',
      '}',
    );

    expect(approve).toMatchObject({
      quorum: { kind: 'any' },
      veto: false,
      sla: null,
      onTimeout: null,
      allowDelegation: false,
    });
    expect(check).toMatchObject({
      onFail: { action: 'stop', outcome: 'rejected', message: null },
      check: { retries: 0 },
    });
    expect(reallocate).toMatchObject({
      priority: 'normal',
      hours: 8,
      period: { amount: 1, unit: 'week', business: false, calendar: null },
    });
    expect(parallel).toMatchObject({ onFailure: 'cancelOthers' });
  });

  test('when an approval has business time, then every duration carries the calendar', () => {
    const [approve] = compiledSteps(
      'process p {',
      '  input { }',
      '  approve a { by cab at least 2 of 3 any reject rejects within 2 business days remind every 4h',
      '    escalate after 1 business day to group "leads" on timeout reject "late" allow delegation }',
      '}',
    );

    expect(approve).toMatchObject({
      kind: 'approve',
      id: 'a',
      approvers: [{ kind: 'role', role: 'cab' }],
      quorum: { kind: 'atLeast', count: 2, poolAtLeast: 3 },
      veto: true,
      sla: { amount: 2, unit: 'day', business: true, calendar: 'office' },
      remindEvery: { amount: 4, unit: 'hour', business: false, calendar: null },
      escalations: [
        {
          after: { amount: 1, unit: 'day', business: true, calendar: 'office' },
          to: [{ kind: 'group', group: 'leads' }],
        },
      ],
      onTimeout: { action: 'reject', message: { parts: [{ text: 'late' }] } },
      allowDelegation: true,
      allowChanges: false,
      span: { file: 0, line: 6, col: 3, endLine: 7, endCol: 95 },
    });
  });

  test('when clause durations name calendars, then the IR of each duration carries the one that applies', () => {
    const [approve, check, wait] = compiledSteps(
      'calendar plant { timezone "UTC" hours mon-sat 06:00-22:00 }',
      'process p {',
      '  input { }',
      '  approve a { by cab within 2 business days on plant remind every 4 business hours',
      '    escalate after 1 business day to group "leads" escalate after 3 business days on office to group "cio"',
      '    on timeout reject }',
      '  check c: require true on fail require waiver by cab within 1 business day on plant valid for 30 days',
      '  wait 2 business days on office',
      '}',
    );

    const plantDay = { unit: 'day', business: true, calendar: 'plant' };
    expect(approve).toMatchObject({
      sla: { amount: 2, ...plantDay },
      remindEvery: { amount: 4, unit: 'hour', business: true, calendar: 'plant' },
      escalations: [
        { after: { amount: 1, ...plantDay } },
        { after: { amount: 3, unit: 'day', business: true, calendar: 'office' } },
      ],
    });
    expect(check).toMatchObject({
      onFail: {
        action: 'waiver',
        within: { amount: 1, ...plantDay },
        validFor: { amount: 30, unit: 'day', business: false, calendar: null },
      },
    });
    expect(wait).toMatchObject({
      kind: 'wait',
      wait: { kind: 'for', duration: { amount: 2, unit: 'day', business: true, calendar: 'office' } },
    });
  });

  test('when an approval hands over, then only the handover levels and timeout carry `handover: true`', () => {
    const [approve] = compiledSteps(
      'process p {',
      '  input { }',
      '  approve a { by cab at least 2 within 2 business days escalate after 4h to group "leads"',
      '    hand over after 1 business day to group "cio" on timeout hand over to person "ceo" }',
      '}',
    );
    if (approve?.kind !== 'approve') throw new Error('expected an approval');

    expect(approve.escalations.map((e) => [e.to[0]?.kind, e.handover])).toEqual([
      ['group', undefined],
      ['group', true],
    ]);
    expect(Object.keys(approve.escalations[0]!)).toEqual(['after', 'to', 'span']);
    expect(Object.keys(approve.escalations[1]!)).toEqual(['after', 'to', 'handover', 'span']);
    expect(approve.onTimeout).toMatchObject({ action: 'escalate', to: [{ person: 'ceo' }], handover: true });
    expect(approve.quorum).toEqual({ kind: 'atLeast', count: 2, poolAtLeast: null });
  });

  test('when an approval escalates without handing over, then its IR has no `handover` key at all', () => {
    const [approve] = compiledSteps(
      'process p {',
      '  input { }',
      '  approve a { by cab within 2d escalate after 1d to group "leads" on timeout escalate to group "cio" }',
      '}',
    );

    // Policies written before handovers are hashed and stored: their IR must not gain a key.
    expect(JSON.stringify(approve)).not.toContain('handover');
    expect(approve).toMatchObject({ onTimeout: { action: 'escalate', to: [{ group: 'cio' }] } });
  });

  test('when expressions are compiled, then each node keeps its checked type, its target and its span', () => {
    const [, rule] = compiledSteps(
      'rule costly = request.budget > 10 EUR because "x"',
      'process p {',
      '  input { budget: money EUR  reviewers: list of person }',
      '  approve a { by request.reviewers }',
      '  check c: require not costly and count(a.approvers) >= 2 else "only {count(a.approvers)} of {request.reviewers}"',
      '}',
    );

    expect(rule?.kind === 'check' && rule.check.kind === 'rule' && shape(rule.check.condition)).toEqual({
      op: 'and',
      type: { kind: 'boolean' },
      left: {
        op: 'not',
        type: { kind: 'boolean' },
        arg: { op: 'rule', rule: 'costly', type: { kind: 'boolean' } },
      },
      right: {
        op: 'ge',
        type: { kind: 'boolean' },
        left: {
          op: 'call',
          fn: 'count',
          type: { kind: 'number' },
          args: [
            {
              op: 'stepResult',
              step: 'a',
              property: 'approvers',
              type: { kind: 'list', element: { kind: 'person' } },
            },
          ],
        },
        right: { op: 'literal', value: 2, type: { kind: 'number' } },
      },
    });
    const message = rule?.kind === 'check' && rule.check.kind === 'rule' ? rule.check.message : null;
    expect(message?.parts.map((p) => ('text' in p ? p.text : p.expr.op))).toEqual([
      'only ',
      'call',
      ' of ',
      'input',
    ]);
    expect(rule?.kind === 'check' && rule.check.kind === 'rule' && rule.check.condition.span).toEqual({
      file: 0,
      line: 8,
      col: 20,
      endLine: 8,
      endCol: 58,
    });
  });

  test('when a step waits for a date and notifies people, then the expressions become approver and wait IR', () => {
    const [wait, notify] = compiledSteps(
      'process p {',
      '  input { due: date  owner: person }',
      '  wait until request.due + 2 business days',
      '  notify request.owner, manager of request.owner, person "pmo": "due"',
      '}',
    );

    const until = wait?.kind === 'wait' && wait.wait.kind === 'until' ? wait.wait.date : undefined;
    expect(until && shape(until)).toEqual({
      op: 'add',
      type: { kind: 'date' },
      left: { op: 'input', field: 'due', type: { kind: 'date' } },
      right: {
        op: 'literal',
        type: { kind: 'duration' },
        value: { amount: 2, unit: 'day', business: true, calendar: 'office' },
      },
    });
    expect(notify?.kind === 'notify' && notify.recipients.map((r) => r.kind)).toEqual([
      'expr',
      'managerOf',
      'person',
    ]);
  });
});
