// `hand over` (a ladder level or on timeout): the people resolved replace those deciding under a
// new task, one decision decides, earlier votes no longer count, segregation of duties still
// applies and a handover that leaves nobody blocks (fail closed). And the precedence of refusals
// where several apply (engine/machine/REFUSALS.md).
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { REFUSAL_CODES, validate } from '../../../engine/machine/index.js';
import { readFileSync } from 'node:fs';
import { CAB, Driver, processOf } from './machine-support.js';

function approval(clauses: string): CompiledPolicy {
  return processOf(
    '    requester: person\n    sponsor: person optional',
    `  approve review {\n${clauses}\n  }\n  end approved "done"`,
  );
}

const EMERGENCY = approval(`    by cab
    all
    not request.requester
    within 4h
    on timeout hand over to group "cio"`);

function timedOut(policy = EMERGENCY, cio = ['zed']): Driver {
  const d = new Driver(policy, { requester: 'rita' });
  d.resolveAll(CAB);
  d.decide('alice', 'approve');
  d.fire('sla');
  d.resolveAll({ cio });
  return d;
}

describe('hand over', () => {
  test('when the deadline passes, then the CIO alone decides under a new task and the old task closes', () => {
    const d = timedOut();
    expect(d.of('closeTask')).toEqual([
      { kind: 'closeTask', task: 'review#1', reason: 'review handed over' },
    ]);
    expect(d.of('openTask')).toEqual([
      {
        kind: 'openTask',
        task: 'review#6',
        step: 'review',
        people: ['zed'],
        title: 'decide review',
        taskKind: 'approval',
      },
    ]);
    expect(d.state.decisions.at(-2)?.fact).toEqual({
      kind: 'handedOver',
      step: 'review',
      to: ['zed'],
      level: -1,
    });
    expect(d.of('notify')[0]).toMatchObject({ recipients: ['zed'] });
    // The pool handed over from may no longer decide; the CIO's one approval approves.
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'bob', decision: 'approve' }),
    ).toMatchObject({ code: 'not-an-approver' });
    d.decide('zed', 'approve', {});
    expect(d.state.status).toBe('approved');
    expect(d.state.results['review']).toMatchObject({ approvers: ['zed'] });
  });

  test('when the CIO rejects after a handover, then one rejection rejects whatever the quorum', () => {
    const d = timedOut();
    d.decide('zed', 'reject', { reason: 'not an emergency' });
    expect(d.state.status).toBe('rejected');
  });

  test('when someone of the old pool is also in the target, then they decide again: earlier votes no longer count', () => {
    const d = timedOut(EMERGENCY, ['alice', 'zed']);
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'alice', decision: 'approve' }),
    ).toBeNull();
    d.decide('alice', 'approve');
    expect(d.state.status).toBe('approved');
  });

  test('when the handover target is excluded, then the step blocks (fail closed) and never falls back', () => {
    const d = timedOut(EMERGENCY, ['rita']);
    expect(d.state.decisions.at(-1)?.fact).toEqual({
      kind: 'stepBlocked',
      step: 'review',
      reason: 'nobody to hand over to who may decide it (segregation of duties)',
      still: false,
    });
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'bob', decision: 'approve' }),
    ).toMatchObject({ code: 'step-blocked' });
    // The excluded requester hears why she may never decide, not that the step is blocked.
    expect(
      validate(d.state, { kind: 'decide', at: d.at, step: 'review', actor: 'rita', decision: 'approve' }),
    ).toMatchObject({ code: 'excluded' });
  });

  test('when a ladder level hands over, then a later escalate level adds to the new pool and one decision still decides', () => {
    const d = new Driver(
      approval(`    by cab
    all
    not request.requester
    hand over after 1 day to group "cio"
    escalate after 2 days to group "board"`),
      { requester: 'rita' },
    );
    d.resolveAll(CAB);
    d.fire('escalate');
    d.resolveAll({ cio: ['zed'] });
    d.fire('escalate');
    d.resolveAll({ board: ['yan'] });
    // The later level adds to the handed-over task, not the one that closed.
    const task = d.of('openTask', 'all').at(-1)?.task;
    expect(d.of('addToTask')).toEqual([{ kind: 'addToTask', task, people: ['yan'] }]);
    d.decide('yan', 'approve');
    expect(d.state.status).toBe('approved');
  });
});

describe('refusal precedence', () => {
  test('when the requester sits in the pool of an at least 2 of 3 step that cannot reach its quorum, then she is told excluded', () => {
    const d = new Driver(approval('    by cab\n    at least 2 of 4\n    not request.requester'), {
      requester: 'rita',
    });
    d.resolveAll(CAB);
    const event = { kind: 'decide', at: d.at, step: 'review', decision: 'approve' } as const;
    expect(validate(d.state, { ...event, actor: 'rita' })).toMatchObject({ code: 'excluded' });
    expect(validate(d.state, { ...event, actor: 'alice' })).toMatchObject({ code: 'step-blocked' });
  });

  test('when the table in REFUSALS.md is read, then it lists every code once, in precedence order', () => {
    const doc = readFileSync(new URL('../../../engine/machine/REFUSALS.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) +\| `([a-z-]+)` /gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows.map(([, code]) => code)).toEqual(REFUSAL_CODES);
    expect(rows.map(([rank]) => rank)).toEqual(REFUSAL_CODES.map((_, i) => i + 1));
  });
});
