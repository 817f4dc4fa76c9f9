// Properties of approvals under random decisions by random people, the excluded requester and
// outsiders included: the machine never throws, never approves without its quorum, never accepts
// an excluded person's decision, refuses exactly what validate refuses, and is deterministic.
import fc from 'fast-check';
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { type MachineEvent, type MachineState, step, validate } from '../../../engine/machine/index.js';
import { CAB, Driver, HOUR, processOf } from './machine-support.js';

const policyWith = (veto: boolean): CompiledPolicy =>
  processOf(
    '    requester: person',
    `  approve review {
    by cab
    at least 2 of 3
    ${veto ? 'any reject rejects' : ''}
    not request.requester
    within 2 business days on office
    remind every 4h
    escalate after 1 business day to group "cio"
    allow delegation
  }
  end approved "done"`,
  );

const POLICIES = [policyWith(true), policyWith(false)] as const;
const PEOPLE = ['alice', 'bob', 'carol', 'rita', 'mallory', 'zed'] as const;
const EXCLUDED = 'rita';

const action = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    actor: fc.constantFrom(...PEOPLE),
    onBehalfOf: fc.option(fc.constantFrom(...PEOPLE), { nil: undefined }),
    decision: fc.constantFrom('approve' as const, 'reject' as const, 'requestChanges' as const),
    reason: fc.option(fc.constantFrom('', 'no backout plan'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('fire' as const), purpose: fc.constantFrom('remind', 'escalate') }),
);

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

function eventFor(state: MachineState, a: Action, at: number): MachineEvent | null {
  if (a.kind === 'fire') {
    const timer = state.timers.find((t) => t.purpose === a.purpose);
    return timer ? { kind: 'timerFired', at: Math.max(at, timer.at), timer: timer.id } : null;
  }
  return {
    kind: 'decide',
    at,
    step: 'review',
    actor: a.actor,
    decision: a.decision,
    ...(a.onBehalfOf === undefined ? {} : { onBehalfOf: a.onBehalfOf }),
    ...(a.reason === undefined ? {} : { reason: a.reason }),
  };
}

/** Runs the script and returns every state in order; checks the per-step invariants on the way. */
function play(policy: CompiledPolicy, script: readonly Action[]): string[] {
  const d = new Driver(policy, { requester: EXCLUDED });
  d.resolveAll(CAB);
  const states = [JSON.stringify(d.state)];
  let at = d.at;
  for (const a of script) {
    at += HOUR;
    const event = eventFor(d.state, a, at);
    if (!event) continue;
    const before = d.state;
    const refusal = validate(before, event);
    const out = step(before, event);
    if (refusal) {
      expect(out.state).toBe(before);
      expect(out.commands).toEqual([]);
    }
    d.state = out.state;
    d.last = out.commands;
    if (d.of('resolve').length > 0) d.resolveAll({ cio: ['zed', EXCLUDED] }, at);
    at = Math.max(at, event.at);
    states.push(JSON.stringify(d.state));
    const review = d.state.results['review'];
    if (review?.['approved'] === true) {
      const approvers = review['approvers'] as string[];
      expect(new Set(approvers).size).toBeGreaterThanOrEqual(2);
      expect(approvers).not.toContain(EXCLUDED);
      expect(approvers).not.toContain('mallory');
    }
    for (const decision of d.state.decisions) {
      if (decision.step === 'review') {
        expect(decision.actor).not.toBe(EXCLUDED);
        expect(decision.onBehalfOf).not.toBe(EXCLUDED);
      }
    }
  }
  return states;
}

describe('approval properties', () => {
  test('when random people decide in random order, then the machine stays sound and deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.array(action, { maxLength: 14 }), (which, script) => {
        const policy = POLICIES[which] ?? POLICIES[0];
        const first = play(policy, script);
        const second = play(policy, script);
        expect(second).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});
