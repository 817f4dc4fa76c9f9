// An instance's progress over its process graph, read from the sentences the real machine records
// (the same ones the workflow writes to the audit ledger): each step kind's outcome, branches not
// taken, parallel blocks and their joins, the implicit end, and what an ended instance leaves.
import { processGraph } from '../../../engine/graph/index.js';
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { blockedOn } from '../../../engine/machine/index.js';
import type { LedgerLine } from '../../../api/processes/ledger.js';
import { type NodeProgress, progressOf } from '../../../api/processes/states.js';
import { Driver, HOUR, processOf } from '../engine/machine-support.js';

const INPUT = '    requester: person\n    budget: number';
const approval = (id: string, extra = ''): string => `approve ${id} {\n    by cab\n${extra}  }`;

/** The decisions as the workflow's activities write them to the ledger (effects.ts). */
const ledgerOf = (d: Driver): LedgerLine[] =>
  d.state.decisions.map((decision) => ({
    type: decision.seq === 1 ? 'started' : decision.actor ? 'action' : 'decision',
    step: decision.step,
    text: decision.text,
    actor: decision.actor ?? null,
    onBehalfOf: decision.onBehalfOf ?? null,
    span: decision.span,
  }));

function progress(policy: CompiledPolicy, d: Driver): Record<string, string> {
  const process = policy.ir.processes[0];
  if (!process) throw new Error('no process');
  const standing = { status: d.state.status, currentSteps: blockedOn(d.state).map((b) => b.step) };
  const nodes = progressOf(process, processGraph(process), ledgerOf(d), standing);
  const shown = (p: NodeProgress) => (p.outcome === null ? p.state : `${p.state} (${p.outcome})`);
  return Object.fromEntries([...nodes].map(([id, p]) => [id, shown(p)]));
}

function run(steps: string, budget: number): { policy: CompiledPolicy; d: Driver } {
  const policy = processOf(INPUT, steps);
  const d = new Driver(policy, { requester: 'rita', budget });
  d.resolveAll({ cab: ['alice'] });
  return { policy, d };
}

const BRANCHES = [
  '  if request.budget > 100 {',
  `  ${approval('board')}`,
  '  } else {',
  '    notify told: request.requester: "small"',
  '  }',
  '  check enough: require request.budget > 5',
].join('\n');

describe('progress over the process graph', () => {
  test('when an approval waits, then it is current, the steps after it pending and the untaken branch skipped', () => {
    const { policy, d } = run(BRANCHES, 500);

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      if_1: 'done (request.budget > 100)',
      board: 'current',
      told: 'skipped',
      enough: 'pending',
      '#end': 'pending',
    });
  });

  test('when the approval is given and the rule check passes, then the run ends at the implicit end', () => {
    const { policy, d } = run(BRANCHES, 500);
    d.decide('alice', 'approve', { step: 'board' });

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      if_1: 'done (request.budget > 100)',
      board: 'done (approved)',
      told: 'skipped',
      enough: 'done (passed)',
      '#end': 'done (approved)',
    });
  });

  test('when the otherwise is taken and the check fails, then the notify is done, the check failed and the end skipped', () => {
    const { policy, d } = run(BRANCHES.replace('> 5', '> 50'), 10);
    d.resolveAll({});

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      if_1: 'done (otherwise)',
      board: 'skipped',
      told: 'done (notified)',
      enough: 'failed (failed)',
      '#end': 'skipped',
    });
  });

  test('when an approval is rejected, then it failed and every step after it is skipped', () => {
    const { policy, d } = run(`  ${approval('review')}\n  wait pause: 2 days\n  end approved "ok"`, 1);
    d.decide('alice', 'reject', { step: 'review', reason: 'no' });

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      review: 'failed (rejected)',
      pause: 'skipped',
      end_1: 'skipped',
    });
  });

  test('when a wait has passed and an explicit end is reached, then both are done with their outcomes', () => {
    const { policy, d } = run(`  ${approval('review')}\n  wait pause: 2 days\n  end rejected "late"`, 1);
    d.decide('alice', 'approve', { step: 'review' });
    expect(progress(policy, d)['pause']).toBe('current');
    d.fire('wait');

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      review: 'done (approved)',
      pause: 'done (waited)',
      end_1: 'done (rejected)',
    });
  });

  test('when a check fails and waits for a waiver that comes, then it is current, then done as waived', () => {
    const steps = `  check small: require request.budget < 100 on fail require waiver by cab within 2 days\n  end approved "ok"`;
    const { policy, d } = run(steps, 500);
    d.resolveAll({ cab: ['alice'] });
    expect(progress(policy, d)['small']).toBe('current (failed)');
    d.send({ kind: 'waive', at: d.at + HOUR, step: 'small', actor: 'alice', reason: 'accepted' });

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      small: 'done (waived)',
      end_1: 'done (approved)',
    });
  });

  test('when parallel branches run, then the fork is current and the join pending until every branch has ended', () => {
    const steps = [
      '  parallel {',
      `  ${approval('legal')}`,
      '    branch tech {',
      `    ${approval('arch')}`,
      '    }',
      '  }',
      '  end approved "all done"',
    ].join('\n');
    const { policy, d } = run(steps, 1);
    d.decide('alice', 'approve', { step: 'arch' });
    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      parallel_1: 'current',
      legal: 'current',
      arch: 'done (approved)',
      '#join:parallel_1': 'pending',
      end_1: 'pending',
    });
    d.decide('alice', 'approve', { step: 'legal' });

    expect(progress(policy, d)).toMatchObject({
      parallel_1: 'done',
      legal: 'done (approved)',
      '#join:parallel_1': 'done',
      end_1: 'done (approved)',
    });
  });

  test('when a branch fails under cancel others, then the fork failed, the sibling was cut off and the join skipped', () => {
    const steps = `  parallel on failure cancel others {\n  ${approval('legal')}\n  ${approval('arch')}\n  }\n  end approved "ok"`;
    const { policy, d } = run(steps, 1);
    d.decide('alice', 'reject', { step: 'legal', reason: 'no' });

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      parallel_1: 'failed',
      legal: 'failed (rejected)',
      arch: 'failed (cancelled)',
      '#join:parallel_1': 'skipped',
      end_1: 'skipped',
    });
  });

  test('when an instance is cancelled while an approval waits, then that approval is cut off and the rest skipped', () => {
    const { policy, d } = run(`  ${approval('review')}\n  notify told: request.requester: "done"`, 1);
    d.send({ kind: 'cancel', at: d.at + HOUR, actor: 'rita', reason: 'not needed' });

    expect(progress(policy, d)).toEqual({
      '#start': 'done',
      review: 'failed (cancelled)',
      told: 'skipped',
      '#end': 'skipped',
    });
  });
});
