// The impact of a policy change, replayed without I/O: a record is made by running the version in
// force in the simulator with people's acts (its decisions stand in for the ledger's facts), then
// impactOf replays it under that version and under a candidate. A raised director threshold leaves
// the bigger purchases waiting for the director (never assumed approved), a removed step leaves the
// outcome and drops its approver, a longer SLA moves the due time, and the same IR changes nothing.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import {
  EMPTY_WORLD,
  impactOf,
  type PastInstance,
  Simulation,
  type World,
} from '../../../engine/simulate/index.js';

const DAY = 24 * 3_600_000;
const START = Date.UTC(2026, 11, 7, 9, 0);
const RITA = 'rita@example.com';
const MARK = 'mark@example.com';
const DORA = 'dora@example.com';
const FIONA = 'fiona@example.com';

const WORLD: World = {
  ...EMPTY_WORLD,
  groups: { directors: [DORA], finance: [FIONA] },
  managers: { [RITA]: MARK },
};

/** A purchase policy: the manager decides within `sla`, then whatever `more` adds. */
function purchase(version: number, more: string, sla = '3d'): CompiledPolicy {
  const text = `policy "Purchase" version ${version} effective 2026-01-01
owner "pmo@example.com"
role directors = group "directors"
role finance = group "finance"

process purchase {
  input {
    requester: person
    amount: number
  }
  approve manager_review {
    by manager of request.requester
    within ${sla}
    on timeout reject
  }
${more}
  end approved "bought"
}
`;
  const out = compileEntry('purchase.charter', memoryHost({ 'purchase.charter': text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

const directorAbove = (threshold: number) => `  if request.amount > ${threshold} {
    approve director_review {
      by directors
      within 2d
    }
  }`;

const FINANCE = `  approve finance_review {
    by finance
    within 2d
  }`;

/**
 * What the ledger would hold for an instance of `policy` in which each of `votes` approves its step
 * a day after the one before: the simulator's decisions, as the worker writes them.
 */
function recordOf(
  policy: CompiledPolicy,
  id: string,
  amount: number,
  votes: [person: string, step: string][],
): PastInstance {
  const sim = new Simulation(policy, {
    process: 'purchase',
    input: { requester: RITA, amount },
    startedAt: START,
    startedBy: RITA,
    instanceId: id,
    world: WORLD,
  });
  for (const [person, step] of votes) {
    sim.advanceTo(sim.clock + DAY);
    const refusal = sim.act(
      { kind: 'decide', at: sim.clock, step, actor: person, decision: 'approve' },
      'vote',
    );
    if (refusal) throw new Error(`${person} on ${step}: ${refusal.message}`);
  }
  expect(sim.state.status).toBe('approved');
  return {
    instanceId: id,
    process: 'purchase',
    input: sim.state.input,
    startedAt: START,
    startedBy: RITA,
    endedAt: sim.state.endedAt ?? sim.clock,
    facts: sim.state.decisions.flatMap((d) => (d.fact ? [{ at: d.at, fact: d.fact }] : [])),
  };
}

describe('the impact of a policy change', () => {
  test('when the candidate raises who must approve, then the bigger purchases would wait for the director', () => {
    const base = purchase(1, directorAbove(10_000));
    const candidate = purchase(2, directorAbove(5_000));
    const past = [
      recordOf(base, 'small', 1_000, [[MARK, 'manager_review']]),
      recordOf(base, 'medium', 6_000, [[MARK, 'manager_review']]),
      recordOf(base, 'large', 12_000, [
        [MARK, 'manager_review'],
        [DORA, 'director_review'],
      ]),
    ];
    const report = impactOf(base, candidate, WORLD, past);
    expect(report.instances.map((i) => [i.instanceId, i.verdict])).toEqual([
      ['small', 'same'],
      ['medium', 'wouldWait'],
      ['large', 'same'],
    ]);
    const medium = report.instances[1];
    expect(medium?.candidate).toEqual({
      status: 'running',
      message: null,
      waitingFor: [
        { step: 'director_review', people: [DORA], text: `would wait for ${DORA} at director_review` },
      ],
    });
    expect(medium?.base).toEqual({ status: 'approved', message: 'bought' });
    expect(medium?.differences).toEqual(
      expect.arrayContaining([
        {
          kind: 'outcome',
          base: 'approved',
          candidate: 'running',
          baseMessage: 'bought',
          candidateMessage: null,
        },
        { kind: 'approvers', step: 'director_review', base: [], candidate: [DORA] },
      ]),
    );
    // The replay of the version in force reproduces every record.
    expect(report.instances.every((i) => i.replayDiffersFromRecord.length === 0)).toBe(true);
    expect(report.summary).toEqual({
      instances: 3,
      same: 2,
      differs: 0,
      wouldWait: 1,
      notReplayed: 0,
      replayDiffersFromRecord: 0,
      notReplayedReasons: {},
    });
    expect(report.unresolved).toEqual([]);
  });

  test('when the candidate removes a step, then the outcome stays and its approver and vote drop out', () => {
    const base = purchase(1, FINANCE);
    const candidate = purchase(2, '');
    const past = [
      recordOf(base, 'p1', 2_000, [
        [MARK, 'manager_review'],
        [FIONA, 'finance_review'],
      ]),
    ];
    const [only] = impactOf(base, candidate, WORLD, past).instances;
    expect(only?.verdict).toBe('differs');
    expect(only?.candidate?.status).toBe('approved');
    expect(only?.differences.map((d) => d.kind)).not.toContain('outcome');
    const skipped = only?.differences.flatMap((d) => (d.kind === 'actSkipped' ? [d.skipped] : []));
    expect(skipped?.map((s) => [s.act.kind, 'actor' in s.act ? s.act.actor : null, s.reason])).toEqual([
      ['decide', FIONA, 'the instance had already ended approved'],
    ]);
    expect(only?.differences).toEqual(
      expect.arrayContaining([
        { kind: 'approvers', step: 'finance_review', base: [FIONA], candidate: [] },
        expect.objectContaining({ kind: 'deadlines', step: 'finance_review', candidate: [] }),
      ]),
    );
  });

  test('when the candidate lengthens a deadline, then the due time differs and nothing else', () => {
    const base = purchase(1, '', '3d');
    const candidate = purchase(2, '', '5d');
    const [only] = impactOf(base, candidate, WORLD, [
      recordOf(base, 'p1', 500, [[MARK, 'manager_review']]),
    ]).instances;
    expect(only?.verdict).toBe('differs');
    expect(only?.differences).toEqual([
      { kind: 'deadlines', step: 'manager_review', base: [START + 3 * DAY], candidate: [START + 5 * DAY] },
    ]);
  });

  test('when the candidate is the version in force, then nothing differs', () => {
    const base = purchase(1, directorAbove(5_000));
    const past = [
      recordOf(base, 'a', 100, [[MARK, 'manager_review']]),
      recordOf(base, 'b', 9_000, [
        [MARK, 'manager_review'],
        [DORA, 'director_review'],
      ]),
    ];
    const report = impactOf(base, base, WORLD, past);
    expect(report.summary).toMatchObject({ instances: 2, same: 2, differs: 0, wouldWait: 0 });
    expect(report.instances.flatMap((i) => [...i.differences, ...i.replayDiffersFromRecord])).toEqual([]);
  });

  test('when the world does not know the director or the record cannot start, then it says so', () => {
    const base = purchase(1, directorAbove(10_000));
    const candidate = purchase(2, directorAbove(5_000));
    const medium = recordOf(base, 'medium', 6_000, [[MARK, 'manager_review']]);
    const report = impactOf(base, candidate, { ...WORLD, groups: {} }, [
      medium,
      { ...medium, instanceId: 'gone', process: 'retired_process' },
    ]);
    expect(report.unresolved).toEqual([{ kind: 'group', group: 'directors' }]);
    expect(report.instances[1]).toMatchObject({
      verdict: 'notReplayed',
      reason: 'the version in force: version 1 has no process retired_process',
    });
    expect(report.summary.notReplayedReasons).toEqual({
      'the version in force: version 1 has no process retired_process': 1,
    });
  });
});
