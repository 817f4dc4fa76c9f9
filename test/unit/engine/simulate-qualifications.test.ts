// The simulator's qualification registry: the same standing rule as the store's (held to it case by
// case), a world that lists completions (checked with field paths), and scenarios in which the
// simulator leaves out the approvers who lack a qualification, explains why, blocks when nobody
// qualified is left and escalates, exactly as the worker does against the store.
import { addMonths, screenQualified, standingIn } from '../../../engine/simulate/qualifications.js';
import {
  EMPTY_WORLD,
  runScenario,
  scenarioSchema,
  Simulation,
  testFileSchema,
  type World,
  worldSchema,
} from '../../../engine/simulate/index.js';
import { addMonths as storeAddMonths, standingsOf } from '../../../store/qualification-model.js';
import { MONDAY_9, processOf } from './machine-support.js';

const CAB_REVIEW = `  approve review {
    by cab
    require qualification "itil-change"
    within 2 business days on office
    escalate after 1 business day to group "leads"
    on timeout reject "no decision"
  }
  end approved "done"`;

const REGISTRY: NonNullable<World['qualifications']> = {
  'itil-change': {
    validityMonths: 12,
    completed: {
      // 2025-10-01 + 12 months: expired on 2026-10-01, long before the Monday 2026-12-07 start.
      alice: ['2025-10-01'],
      carol: ['2026-03-02'],
      // Renewed: the latest completion decides.
      dave: ['2024-01-15', '2026-01-15'],
      leo: ['2026-06-30'],
      // Completed after the day asked about: not held yet.
      erin: ['2026-12-08'],
    },
  },
};

const world = (qualifications = REGISTRY): World => ({
  ...EMPTY_WORLD,
  groups: { cab: ['alice', 'bob', 'carol', 'dave', 'erin'], leads: ['lena', 'leo'] },
  qualifications,
});

const simulate = (w: World = world()) =>
  new Simulation(processOf('    requester: person', CAB_REVIEW), {
    process: 'p',
    input: { requester: 'rita' },
    startedAt: MONDAY_9,
    startedBy: 'rita',
    world: w,
  });

describe('the standing rule', () => {
  const DAYS = [
    '2026-01-30',
    '2026-01-31',
    '2026-02-28',
    '2026-03-01',
    '2026-12-31',
    '2027-02-28',
    '2028-02-29',
  ];
  const COMPLETIONS = [
    ['2026-01-31'],
    ['2025-02-28', '2026-01-30'],
    ['2027-01-31'],
    ['2024-02-29', '2025-12-31'],
  ];

  test.each([1, 2, 12, 13, null])(
    'when a completion is valid %p months, then the simulator and the store agree on every day',
    (months) => {
      for (const completed of COMPLETIONS) {
        for (const day of DAYS) {
          const store = standingsOf(
            ['p'],
            completed.map((completedOn) => ({
              person: 'p',
              completedOn,
              expiresOn: months === null ? null : storeAddMonths(completedOn, months),
            })),
            day,
          ).get('p');
          const simulated = standingIn(
            { q: { validityMonths: months, completed: { p: completed } } },
            'q',
            'p',
            day,
          );
          expect({ completed, day, status: simulated.status }).toEqual({
            completed,
            day,
            status: store?.status,
          });
          if (simulated.status === 'expired' && store?.status === 'expired')
            expect(simulated.on).toBe(store.on);
        }
      }
    },
  );

  test('when months are added past the end of a shorter month, then it is that month last day, as in the store', () => {
    for (const [day, months] of [
      ['2027-01-31', 1],
      ['2024-02-29', 12],
      ['2026-08-31', 6],
    ] as const) {
      expect(addMonths(day, months)).toBe(storeAddMonths(day, months));
    }
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
  });

  test('when a qualification is not in the registry, then nobody holds it', () => {
    expect(screenQualified(REGISTRY, ['carol'], ['cab-basics'], MONDAY_9)).toEqual({
      people: [],
      unqualified: [{ person: 'carol', qualification: 'cab-basics', expiredOn: null }],
    });
  });
});

describe('the simulator answers qualifications like the worker', () => {
  test('when the approval opens, then the unqualified are left out and the timeline says why, per person', () => {
    const sim = simulate();

    expect(sim.openTasks().map((t) => t.assignees)).toEqual([['carol', 'dave']]);
    expect(sim.timeline.map((t) => t.text)).toContain(
      'review open to carol and dave (any: 1 needed); not qualified: alice: qualification itil-change expired 2026-10-01; bob: has no qualification itil-change; erin: has no qualification itil-change',
    );
    expect(
      sim.act(
        { kind: 'decide', at: sim.clock, step: 'review', actor: 'alice', decision: 'approve' },
        'alice approves',
      ),
    ).toEqual({ code: 'not-qualified', message: 'qualification itil-change expired 2026-10-01' });
    expect(sim.timeline.at(-1)?.text).toBe(
      'alice approves: refused (not-qualified): qualification itil-change expired 2026-10-01',
    );
  });

  test('when nobody qualified is left, then the step blocks, and the escalation adds only the qualified', () => {
    const sim = simulate(
      world({ 'itil-change': { validityMonths: 12, completed: { leo: ['2026-06-30'] } } }),
    );

    expect(sim.blockedOn()[0]?.text).toMatch(
      /^review is blocked: no eligible approver; not qualified: alice: has no qualification itil-change; bob: /,
    );
    sim.advanceTo(MONDAY_9 + 24 * 3_600_000);
    expect(sim.timeline.map((t) => t.text)).toContain(
      'review escalated to leo; not qualified: lena: has no qualification itil-change',
    );
    expect(sim.openTasks().map((t) => t.assignees)).toEqual([['leo']]);
  });

  test('when a world lists a completion with a bad day, then the path names it', () => {
    const parsed = worldSchema.safeParse({
      qualifications: { 'itil-change': { validityMonths: 12, completed: { alice: ['1 Oct 2025'] } } },
    });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['qualifications', 'itil-change', 'completed', 'alice', 0]);
  });

  test('when a scenario renews a qualification over the file world, then its entry replaces the file one', () => {
    const file = testFileSchema.parse({
      start: '2026-12-07 09:00',
      timezone: 'Europe/Berlin',
      world: { groups: world().groups, qualifications: REGISTRY },
      tests: [
        {
          name: 'alice renewed',
          process: 'p',
          startedBy: 'rita',
          input: { requester: 'rita' },
          world: {
            qualifications: { 'itil-change': { validityMonths: null, completed: { alice: ['2026-11-02'] } } },
          },
          script: [{ as: 'alice', approve: 'review' }],
          expect: { status: 'approved' },
        },
      ],
    });
    const [scenario] = file.tests;
    if (!scenario) throw new Error('no scenario');

    const result = runScenario(
      processOf('    requester: person', CAB_REVIEW),
      scenarioSchema.parse(scenario),
      file,
    );
    expect(result.failures).toEqual([]);
    expect(result.simulation?.timeline.map((t) => t.text)).toContain(
      'review open to alice (any: 1 needed); not qualified: bob: has no qualification itil-change; carol: has no qualification itil-change; dave: has no qualification itil-change; erin: has no qualification itil-change',
    );
  });
});
