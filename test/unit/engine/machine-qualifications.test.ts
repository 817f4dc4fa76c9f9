// Approvals that require qualifications: the resolve of a step's deciders asks for them, people the
// driver answers as unqualified are left out with the reason (expired on a day, never held), the
// log and blockedOn say why, a step with nobody qualified blocks and escalates (fail closed),
// escalations and handovers ask for them too, the unqualified are refused `not-qualified`, and an
// answer without the new field (every recorded history) changes nothing.
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { blockedOn, type MachineEvent, validate } from '../../../engine/machine/index.js';
import { type Command, Driver, processOf } from './machine-support.js';

function approval(clauses: string): CompiledPolicy {
  return processOf('    requester: person', `  approve review {\n${clauses}\n  }\n  end approved "done"`);
}

const ITIL = approval(`    by cab
    not request.requester
    require qualification "itil-change"
    within 2 business days on office
    escalate after 1 business day to group "leads"
    on timeout reject "no decision"`);

const HANDOVER = approval(`    by cab
    require qualification "itil-change"
    within 1 business day on office
    on timeout hand over to group "leads"`);

/** Who holds what: a qualification valid, expired on a day, or (absent) never held. */
type Registry = Record<string, Record<string, 'valid' | { expiredOn: string }>>;

const DIRECTORY = { cab: ['alice', 'bob', 'carol', 'rita'], leads: ['lena', 'leo'] };
const REGISTRY: Registry = {
  alice: { 'itil-change': { expiredOn: '2026-10-01' } },
  carol: { 'itil-change': 'valid' },
  lena: { 'itil-change': { expiredOn: '2026-11-30' } },
  leo: { 'itil-change': 'valid' },
};

type Resolve = Command<'resolve'>;

/** The driver's answer to one resolve: the directory's people, screened when qualifications are asked. */
function answerOf(command: Resolve, at: number, registry: Registry): MachineEvent {
  const people = command.refs.flatMap((ref) =>
    ref.kind === 'group' ? (DIRECTORY[ref.group as keyof typeof DIRECTORY] ?? []) : [ref.person],
  );
  if (command.qualifications === undefined) {
    return { kind: 'resolved', at, request: command.request, people, problems: [] };
  }
  const unqualified = people.flatMap((person) =>
    (command.qualifications ?? []).flatMap((qualification) => {
      const held = registry[person]?.[qualification];
      if (held === 'valid') return [];
      return [{ person, qualification, expiredOn: held === undefined ? null : held.expiredOn }];
    }),
  );
  const left = new Set(unqualified.map((u) => u.person));
  return {
    kind: 'resolved',
    at,
    request: command.request,
    people: people.filter((p) => !left.has(p)),
    problems: [],
    unqualified,
  };
}

function answerAll(d: Driver, registry: Registry = REGISTRY): void {
  for (const command of d.of('resolve')) d.send(answerOf(command, d.at, registry));
}

function opened(policy = ITIL, registry: Registry = REGISTRY): Driver {
  const d = new Driver(policy, { requester: 'rita' });
  answerAll(d, registry);
  return d;
}

const decideEvent = (actor: string, onBehalfOf?: string): MachineEvent => ({
  kind: 'decide',
  at: Date.UTC(2026, 11, 7, 10, 0),
  step: 'review',
  actor,
  decision: 'approve',
  ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
});

describe('approvals that require qualifications', () => {
  test('when the step opens, then the approvers are asked for with the qualification and the exclusions without', () => {
    const d = new Driver(ITIL, { requester: 'rita' });

    expect(d.of('resolve')).toEqual([
      {
        kind: 'resolve',
        request: 'review#2',
        step: 'review',
        refs: [{ kind: 'group', group: 'cab' }],
        qualifications: ['itil-change'],
      },
      { kind: 'resolve', request: 'review#3', step: 'review', refs: [{ kind: 'person', person: 'rita' }] },
    ]);
  });

  test('when some approvers lack it, then only the qualified may decide and the log says why, per person', () => {
    const d = opened();

    expect(d.of('openTask')[0]?.people).toEqual(['carol']);
    expect(d.texts()).toContain(
      'review open to carol (any: 1 needed); not eligible: rita; not qualified: alice: qualification itil-change expired 2026-10-01; bob: has no qualification itil-change',
    );
    const fact = d.state.decisions.find((e) => e.fact?.kind === 'approvalOpened')?.fact;
    expect(fact).toMatchObject({
      eligible: ['carol'],
      barred: ['rita'],
      unqualified: [
        { person: 'alice', qualification: 'itil-change', expiredOn: '2026-10-01' },
        { person: 'bob', qualification: 'itil-change', expiredOn: null },
      ],
    });
  });

  test('when an unqualified approver decides, then the refusal is not-qualified with the reason', () => {
    const d = opened();

    expect(validate(d.state, decideEvent('alice'))).toEqual({
      code: 'not-qualified',
      message: 'qualification itil-change expired 2026-10-01',
    });
    expect(validate(d.state, decideEvent('bob'))).toEqual({
      code: 'not-qualified',
      message: 'has no qualification itil-change',
    });
    // For a stand-in, the person decided for comes first, named.
    expect(validate(d.state, decideEvent('carol', 'alice'))).toMatchObject({
      code: 'not-qualified',
      message: 'alice: qualification itil-change expired 2026-10-01',
    });
    expect(validate(d.state, decideEvent('carol'))).toBeNull();
  });

  test('when nobody qualified is left, then the step blocks with every reason and the first level hears of it', () => {
    const d = opened(ITIL, { ...REGISTRY, carol: { 'itil-change': { expiredOn: '2026-12-01' } } });

    const reason =
      'no eligible approver; not qualified: alice: qualification itil-change expired 2026-10-01; bob: has no qualification itil-change; carol: qualification itil-change expired 2026-12-01';
    expect(d.texts()).toContain(`review is blocked: ${reason}`);
    expect(blockedOn(d.state)[0]?.text).toMatch(
      /^review is blocked: no eligible approver; not qualified: alice: /,
    );
    expect(d.of('openTask', 'all')).toEqual([]);
    // The blocked notice goes to the first level as it is: being told needs no qualification.
    const notice = d.of('resolve').at(-1);
    expect(notice).toEqual({
      kind: 'resolve',
      request: expect.any(String) as string,
      step: 'review',
      refs: [{ kind: 'group', group: 'leads' }],
    });
    answerAll(d);
    expect(d.of('notify')[0]?.recipients).toEqual(['lena', 'leo']);
  });

  test('when the escalation brings people, then those without the qualification are left out with the reason', () => {
    const d = opened(ITIL, { ...REGISTRY, carol: { 'itil-change': { expiredOn: '2026-12-01' } } });
    answerAll(d);
    d.fire('escalate');

    expect(d.of('resolve')[0]?.qualifications).toEqual(['itil-change']);
    answerAll(d);
    expect(d.of('openTask')[0]?.people).toEqual(['leo']);
    expect(d.texts()).toContain(
      'review escalated to leo; not qualified: lena: qualification itil-change expired 2026-11-30',
    );
    expect(d.state.decisions.find((e) => e.fact?.kind === 'escalated')?.fact).toMatchObject({
      added: ['leo'],
      unqualified: [{ person: 'lena', qualification: 'itil-change', expiredOn: '2026-11-30' }],
    });
    expect(validate(d.state, decideEvent('lena'))).toMatchObject({ code: 'not-qualified' });
    expect(validate(d.state, decideEvent('leo'))).toBeNull();
  });

  test('when someone left out holds the qualification by the time an escalation names them, then they join', () => {
    const d = opened();
    const renewed: Registry = { ...REGISTRY, alice: { 'itil-change': 'valid' } };
    d.fire('escalate');
    const [command] = d.of('resolve');
    if (!command) throw new Error('no escalation resolve');
    // The level names alice too (a person ref beside the group): she renewed in the meantime.
    d.send(
      answerOf({ ...command, refs: [...command.refs, { kind: 'person', person: 'alice' }] }, d.at, renewed),
    );

    expect(d.of('addToTask')[0]?.people).toEqual(['alice', 'leo']);
    expect(validate(d.state, decideEvent('alice'))).toBeNull();
    expect(validate(d.state, decideEvent('bob'))).toMatchObject({ code: 'not-qualified' });
  });

  test('when an escalation finds that an eligible approver has let the qualification lapse, then the log says so and she is refused', () => {
    const d = opened();
    const lapsed: Registry = { ...REGISTRY, carol: { 'itil-change': { expiredOn: '2026-12-08' } } };
    d.fire('escalate');
    const [command] = d.of('resolve');
    if (!command) throw new Error('no escalation resolve');
    d.send(
      answerOf({ ...command, refs: [...command.refs, { kind: 'person', person: 'carol' }] }, d.at, lapsed),
    );

    expect(d.texts()).toContain(
      'review escalated to leo; not qualified: carol: qualification itil-change expired 2026-12-08; lena: qualification itil-change expired 2026-11-30',
    );
    // The quorum stays as it was fixed at opening; carol can no longer decide.
    expect(validate(d.state, decideEvent('carol'))).toEqual({
      code: 'not-qualified',
      message: 'qualification itil-change expired 2026-12-08',
    });
  });

  test('when a step is handed over to people without the qualification, then it blocks with why', () => {
    const d = opened(HANDOVER);
    d.fire('sla');
    expect(d.of('resolve')[0]?.qualifications).toEqual(['itil-change']);
    answerAll(d, { ...REGISTRY, leo: {} });

    expect(d.texts()).toContain(
      'review is blocked: nobody to hand over to; not qualified: lena: qualification itil-change expired 2026-11-30; leo: has no qualification itil-change',
    );
    expect(validate(d.state, decideEvent('carol'))).toMatchObject({ code: 'step-blocked' });
  });

  test('when a handover finds qualified people, then they decide and the fact names those left out', () => {
    const d = opened(HANDOVER);
    d.fire('sla');
    answerAll(d);

    expect(d.of('openTask')[0]?.people).toEqual(['leo']);
    expect(d.state.decisions.find((e) => e.fact?.kind === 'handedOver')?.fact).toMatchObject({
      to: ['leo'],
      unqualified: [{ person: 'lena', qualification: 'itil-change', expiredOn: '2026-11-30' }],
    });
  });

  test('when an answer carries no unqualified (a history recorded before), then everyone answered may decide', () => {
    const d = new Driver(ITIL, { requester: 'rita' });
    d.resolveAll(DIRECTORY);

    expect(d.of('openTask')[0]?.people).toEqual(['alice', 'bob', 'carol']);
    expect(d.state.decisions.find((e) => e.fact?.kind === 'approvalOpened')?.fact).not.toHaveProperty(
      'unqualified',
    );
    const waiting = d.state.threads[0]?.waiting;
    expect(waiting?.kind === 'approve' && 'unqualified' in waiting.approval).toBe(false);
  });

  test('when a step requires nothing, then its resolve has no qualifications key and its facts keep their shape', () => {
    const plain = approval('    by cab\n    not request.requester');
    const d = new Driver(plain, { requester: 'rita' });

    expect(d.of('resolve').every((c) => !('qualifications' in c))).toBe(true);
    d.resolveAll(DIRECTORY);
    expect(d.texts()).toContain('review open to alice, bob and carol (any: 1 needed); not eligible: rita');
  });
});
