// Parallel blocks: one thread per branch, the process waits for every branch, and a branch that
// fails either cancels its siblings (`cancel others`) or lets them run to their end first.
import { blockedOn } from '../../../engine/machine/index.js';
import { Driver, HOUR, processOf } from './machine-support.js';

const INPUT = '    requester: person';
const approval = (id: string): string =>
  `approve ${id} {\n      by cab\n      within 2 days\n      on timeout reject\n    }`;

const parallel = (mode: string, after = '  end approved "all done"'): Driver => {
  const d = new Driver(
    processOf(
      INPUT,
      `  parallel ${mode} {\n    ${approval('legal')}\n    branch tech {\n      ${approval('arch')}\n      notify cab: "arch done"\n    }\n  }\n${after}`,
    ),
    { requester: 'rita' },
  );
  // One approver each, so that one decision settles an approval.
  d.resolveAll({ cab: ['alice'] });
  return d;
};

const decide = (d: Driver, step: string, decision: 'approve' | 'reject') =>
  d.decide('alice', decision, { step, ...(decision === 'reject' ? { reason: 'no' } : {}) });

describe('parallel', () => {
  test('when a parallel block is reached, then every branch runs at once and the process waits for all', () => {
    const d = parallel('');
    expect(d.state.threads.map((t) => t.id)).toEqual(['main', 'parallel_1/legal', 'parallel_1/tech']);
    expect(blockedOn(d.state).map((b) => b.step)).toEqual(['legal', 'arch']);
    decide(d, 'arch', 'approve');
    d.resolveAll({ cab: ['alice', 'bob'] });
    expect(d.of('notify')).toHaveLength(1);
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state).map((b) => b.step)).toEqual(['legal']);
    decide(d, 'legal', 'approve');
    expect(d.state.status).toBe('approved');
    expect(d.state.message).toBe('all done');
    expect(d.texts()).toContain('parallel_1: every branch has ended');
  });

  test('when a branch fails under cancel others, then the other branches are cancelled and the process ends rejected', () => {
    const d = parallel('on failure cancel others');
    decide(d, 'legal', 'reject');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toMatch(/^legal rejected/);
    const closed = d.of('closeTask').map((c) => c.task);
    expect(closed).toContain('arch#3');
    expect(d.state.timers).toEqual([]);
    expect(d.of('cancelTimer').length).toBeGreaterThan(0);
    expect(d.texts()).toContain(`parallel_1/legal ended rejected: ${d.state.message ?? ''}`);
  });

  test('when a branch fails under finish others, then the other branches run to their end before the process ends rejected', () => {
    const d = parallel('on failure finish others');
    decide(d, 'legal', 'reject');
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state).map((b) => b.step)).toEqual(['arch']);
    const failure = d.state.message;
    expect(failure).toBeNull();
    decide(d, 'arch', 'approve');
    d.resolveAll({ cab: ['alice'] });
    expect(d.of('notify', 'all').some((n) => n.message === 'arch done')).toBe(true);
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toMatch(/^legal rejected/);
  });

  test('when a timer of a branch fires, then it acts on that branch only', () => {
    const d = parallel('on failure finish others');
    const archSla = d.state.timers.find((t) => t.step === 'arch' && t.purpose === 'sla');
    d.send({ kind: 'timerFired', at: archSla?.at ?? 0, timer: archSla?.id ?? '' });
    expect(d.state.results['arch']?.['outcome']).toBe('rejected by timeout');
    expect(d.state.results['legal']).toBeUndefined();
    expect(blockedOn(d.state).map((b) => b.step)).toEqual(['legal']);
  });

  test('when a branch reaches end approved, then the process ends approved only after the other branches', () => {
    const d = new Driver(
      processOf(INPUT, `  parallel {\n    end approved "early"\n    ${approval('legal')}\n  }`),
      {
        requester: 'rita',
      },
    );
    d.resolveAll({ cab: ['alice'] });
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state).map((b) => b.step)).toEqual(['legal']);
    decide(d, 'legal', 'approve');
    expect(d.state.status).toBe('approved');
    expect(d.state.message).toBe('early');
  });

  test('when one branch reached end approved and another fails, then the failure wins', () => {
    const d = new Driver(
      processOf(
        INPUT,
        `  parallel on failure finish others {\n    end approved "early"\n    ${approval('legal')}\n  }`,
      ),
      { requester: 'rita' },
    );
    d.resolveAll({ cab: ['alice'] });
    decide(d, 'legal', 'reject');
    expect(d.state.status).toBe('rejected');
  });

  test('when an instance is cancelled during a parallel block, then every branch task closes', () => {
    const d = parallel('');
    d.send({ kind: 'cancel', at: d.at + HOUR, actor: 'pmo', reason: 'stopped' });
    expect(d.of('closeTask').map((c) => c.task)).toEqual(['legal#1', 'arch#3']);
    expect(d.state.status).toBe('cancelled');
    expect(d.state.threads).toEqual([]);
  });

  test('when a branch holds an if, then its inner block runs inside the branch', () => {
    const d = new Driver(
      processOf(
        INPUT,
        '  parallel {\n    branch b {\n      if request.requester == "rita" {\n        check ok: require 1 < 2\n      }\n      wait 1h\n    }\n    wait 2h\n  }\n  end approved "done"',
      ),
      { requester: 'rita' },
    );
    expect(d.state.results['ok']?.['passed']).toBe(true);
    expect(d.state.timers.map((t) => t.step)).toEqual(['wait_1', 'wait_2']);
    d.fire('wait');
    d.fire('wait');
    expect(d.state.status).toBe('approved');
  });
});
