// The simulator: a virtual clock that fires timers in order, a scripted world that answers the
// machine's requests (and fails closed like the real directory), refusals kept on the timeline,
// and replay: the events it applied give the same state again.
import { type MachineState, start, step } from '../../../engine/machine/index.js';
import {
  EMPTY_WORLD,
  parseTime,
  Simulation,
  SimulationError,
  type World,
} from '../../../engine/simulate/index.js';
import { HOUR, MONDAY_9, processOf } from './machine-support.js';

const REVIEW = `  approve review {
    by cab
    at least 2
    not request.requester
    within 2 business days on office
    remind every 4h
    escalate after 1 business day to group "cio"
    on timeout reject
  }
  end approved "done"`;

const world = (extra: Partial<World> = {}): World => ({
  ...EMPTY_WORLD,
  groups: { cab: ['alice', 'bob', 'carol', 'rita'], cio: ['cio'] },
  ...extra,
});

const simulate = (steps: string, w: World = world(), input: Record<string, string> = { requester: 'rita' }) =>
  new Simulation(processOf('    requester: person', steps), {
    process: 'p',
    input,
    startedAt: MONDAY_9,
    startedBy: 'rita',
    world: w,
  });

const decide = (sim: Simulation, actor: string, decision: 'approve' | 'reject' = 'approve') =>
  sim.act(
    { kind: 'decide', at: sim.clock, step: 'review', actor, decision, reason: 'no' },
    `${actor} ${decision}s`,
  );

describe('the virtual clock', () => {
  test('when time passes the deadline, then reminders, the escalation and the timeout fire in time order', () => {
    const sim = simulate(REVIEW);
    sim.advanceTo(MONDAY_9 + 7 * 24 * HOUR);
    const purposes = sim.fired.map((f) => f.purpose);
    // Reminders every 4 plain hours from 13:00; the escalation after 1 business day (Tue 09:00),
    // the timeout after 2 (Wed 09:00), which also stops the reminders.
    expect(purposes.filter((p) => p === 'escalate')).toHaveLength(1);
    expect(purposes.at(-1)).toBe('sla');
    expect(purposes.filter((p) => p === 'remind')).toHaveLength(11);
    const times = sim.fired.map((f) => f.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(sim.state.status).toBe('rejected');
    expect(sim.clock).toBe(MONDAY_9 + 7 * 24 * HOUR);
  });

  test('when the escalation fires, then the escalated person joins the open task', () => {
    const sim = simulate(REVIEW);
    sim.advanceTo(MONDAY_9 + 25 * HOUR);
    expect(sim.openTasks().map((t) => [...t.assignees].sort())).toEqual([['alice', 'bob', 'carol', 'cio']]);
  });

  test('when a script moves time backwards, then it is a simulation error, not a policy outcome', () => {
    const sim = simulate(REVIEW);
    sim.advanceTo(MONDAY_9 + HOUR);
    expect(() => sim.advanceTo(MONDAY_9)).toThrow(SimulationError);
  });

  test('when reminders would repeat without end, then the simulator stops at its limit', () => {
    const sim = simulate(`  approve review {
    by cab
    remind every 1m
  }`);
    expect(() => sim.advanceTo(MONDAY_9 + 30 * 24 * HOUR)).toThrow(/more than 10000 timers fired/);
  });
});

describe('the scripted world', () => {
  test('when a group is unknown or empty, or a person or manager is missing, then the step blocks (fail closed)', () => {
    const unknown = simulate(REVIEW, { ...EMPTY_WORLD });
    expect(unknown.blockedOn().map((b) => b.text)).toEqual([
      'review is blocked: group "cab": unknown group; due Wed 2026-12-09 09:00 Europe/Berlin; escalates to group "cio" at Tue 2026-12-08 09:00 Europe/Berlin; then rejected by timeout',
    ]);
    const empty = simulate(REVIEW, { ...EMPTY_WORLD, groups: { cab: [] } });
    expect(empty.blockedOn()[0]?.text).toContain('empty group');
    const manager = simulate(`  approve review { by manager of request.requester }`, world());
    expect(manager.blockedOn()[0]?.text).toContain('no manager');
    const person = simulate(`  approve review { by request.requester }`, world(), { requester: 'nobody' });
    expect(person.blockedOn()[0]?.text).toContain('unknown person');
  });

  test('when a service has a scripted answer, then the check gets it at once; otherwise it waits', () => {
    const steps = '  check scan: external "scanner"\n  end approved "done"';
    const answered = simulate(steps, world({ services: { scanner: { outcome: 'passed', evidence: 'r1' } } }));
    expect(answered.state.status).toBe('approved');
    const waiting = simulate(steps, world({ services: { scanner: { outcome: 'pending' } } }));
    expect(waiting.runningChecks()).toEqual([{ request: 'scan#1', step: 'scan', service: 'scanner' }]);
    const request = waiting.checkRequestOf('scan') ?? '';
    waiting.act(
      { kind: 'checkResult', at: waiting.clock, request, outcome: 'failed', detail: '2 findings' },
      'scan fails',
    );
    expect(waiting.state.message).toBe('scan failed: 2 findings');
    expect(waiting.runningChecks()).toEqual([]);
  });

  test('when a pending service never reports, then the check ends as an error after its whole budget, not before', () => {
    const steps = '  check scan: external "scanner" timeout 2h retry 2\n  end approved "done"';
    const sim = simulate(steps, world({ services: { scanner: { outcome: 'pending' } } }));
    sim.advanceTo(MONDAY_9 + 6 * HOUR - 1);
    expect(sim.runningChecks()).toHaveLength(1);
    sim.advanceTo(MONDAY_9 + 7 * HOUR);
    expect(sim.runningChecks()).toEqual([]);
    expect(sim.state.status).toBe('rejected');
    const error = sim.timeline.find((t) => t.text.includes('could not be checked'));
    expect(error?.at).toBe(MONDAY_9 + 6 * HOUR);
    expect(error?.text).toContain(
      '"scanner" accepted the check but reported no result within its timeout, 3 times',
    );
  });

  test('when checks and directory look-ups answer at the same moment, then the look-ups come first', () => {
    const steps = `  parallel {
    check scan: external "scanner"
    approve review { by cab }
  }
  end approved "done"`;
    const sim = simulate(steps, world({ services: { scanner: { outcome: 'passed' } } }));
    const texts = sim.state.decisions.map((d) => d.text);
    const opened = texts.findIndex((t) => t.startsWith('review open to'));
    const passed = texts.findIndex((t) => t.startsWith('scan passed'));
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(passed).toBeGreaterThan(opened);
  });

  test('when two reallocations draw on one pool, then the second gets insufficient capacity and the caller world is untouched', () => {
    const w = world({ capacity: { pool: { dba: 20 } } });
    const sim = simulate(
      `  reallocate first: 16 hours of skill "dba" from pool "pool" to project "x" for 1w
  reallocate second: 16 hours of skill "dba" from pool "pool" to project "x" for 1w
  end approved "done"`,
      w,
    );
    expect(sim.state.results['first']).toEqual({ allocated: true, hours: 16 });
    expect(sim.blockedOn()[0]?.text).toContain('pool "pool" has 4 free hours of "dba", 16 requested');
    expect(w.capacity).toEqual({ pool: { dba: 20 } });
  });
});

describe('acting and replaying', () => {
  test('when an action is refused, then the state is unchanged and the refusal is on the timeline', () => {
    const sim = simulate(REVIEW);
    const before = JSON.stringify(sim.state);
    expect(decide(sim, 'rita')?.code).toBe('excluded');
    expect(JSON.stringify(sim.state)).toBe(before);
    expect(sim.timeline.at(-1)).toMatchObject({ kind: 'refused', step: 'review' });
  });

  test('when the applied events are replayed from the start, then the state is the same byte for byte', () => {
    const sim = simulate(REVIEW);
    decide(sim, 'alice');
    sim.advanceTo(MONDAY_9 + 30 * HOUR);
    decide(sim, 'bob');
    expect(sim.state.status).toBe('approved');
    const policy = sim.state.policy;
    let state: MachineState = start(
      policy,
      'p',
      { requester: 'rita' },
      {
        instanceId: 'simulated',
        startedAt: MONDAY_9,
        startedBy: 'rita',
      },
    ).state;
    for (const event of sim.events) state = step(state, event).state;
    expect(JSON.stringify(state)).toBe(JSON.stringify(sim.state));
  });

  test('when approvals close, then the timeline shows the task closing right after the decision that closed it', () => {
    const sim = simulate(REVIEW);
    decide(sim, 'alice');
    decide(sim, 'bob');
    const texts = sim.timeline.map((e) => e.text);
    const approved = texts.findIndex((t) => t.startsWith('review approved'));
    expect(texts[approved - 1]).toMatch(/^task closed \(review approved\)/);
    expect(sim.outcomes).toEqual([['review', 'approved']]);
  });
});

describe('script times', () => {
  test('relative, local and ISO times', () => {
    expect(parseTime('+1d 2h 30m', 0, 'UTC')).toBe(26.5 * HOUR);
    expect(parseTime('+1w', 0, 'UTC')).toBe(7 * 24 * HOUR);
    expect(parseTime('2026-12-07 09:00', 0, 'Europe/Berlin')).toBe(MONDAY_9);
    expect(parseTime('2026-12-07T08:00:00Z', 0, 'Europe/Berlin')).toBe(MONDAY_9);
    expect(parseTime('2026-12-07T09:00+01:00', 0, 'UTC')).toBe(MONDAY_9);
  });

  test('anything else says what a time looks like', () => {
    expect(parseTime('+2 days', 0, 'UTC')).toMatch(/relative times look like/);
    expect(parseTime('tomorrow', 0, 'Europe/Berlin')).toMatch(/2026-12-08 10:00 \(in Europe\/Berlin\)/);
  });
});
