// The agenda both drivers share: waiting inputs come out by source (store, person, check) and
// check answers in the order their checks started; timers follow the machine's commands and come
// due earliest first, ties by start order; check attempts keep the policy's time budget. Properties
// over random command sequences, and the shipped policies' scenarios replayed through it: its
// timers are exactly the machine's at every step.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { readTestFile } from '../../../dsl/cli/scenario-files.js';
import { diskHost } from '../../../dsl/cli/files.js';
import { compileEntry } from '../../../dsl/index.js';
import { Agenda, AgendaError, type Due, type RunCheck } from '../../../engine/agenda/index.js';
import type { MachineCommand, MachineEvent } from '../../../engine/machine/index.js';
import { start, step } from '../../../engine/machine/index.js';
import { runTestFile } from '../../../engine/simulate/index.js';

const HOUR = 3_600_000;

const decide = (actor: string): MachineEvent => ({
  kind: 'decide',
  at: 0,
  step: 'review',
  actor,
  decision: 'approve',
});
const resolved = (request: string): MachineEvent => ({
  kind: 'resolved',
  at: 0,
  request,
  people: [],
  problems: [],
});
const passed = (request: string): MachineEvent => ({
  kind: 'checkResult',
  at: 0,
  request,
  outcome: 'passed',
});
const runCheck = (request: string, timeoutMs: number | null = HOUR, retries = 0): RunCheck => ({
  kind: 'runCheck',
  request,
  step: request.split('#')[0] ?? request,
  service: `${request}-service`,
  timeoutMs,
  retries,
});
const startTimer = (timer: string, at: number): MachineCommand => ({
  kind: 'startTimer',
  timer,
  step: timer.split('#')[0] ?? timer,
  at,
  purpose: 'remind',
});

/** Takes every waiting input, in order. */
function drained(agenda: Agenda): string[] {
  const out: string[] = [];
  for (let input = agenda.take(); input; input = agenda.take()) {
    const e = input.event;
    out.push(`${input.source}:${'request' in e ? e.request : 'actor' in e ? e.actor : e.kind}`);
  }
  return out;
}

describe('waiting inputs', () => {
  test('when inputs of every source wait, then store answers come first, then people, then checks', () => {
    const agenda = new Agenda();
    agenda.checkStarted(runCheck('scan#1'));
    agenda.checkEnded('scan#1', passed('scan#1'));
    agenda.arrive('person', decide('alice'));
    agenda.arrive('store', resolved('review#2'));
    agenda.arrive('person', decide('bob'));
    agenda.arrive('store', resolved('review#3'));

    expect(agenda.hasInput).toBe(true);
    expect(drained(agenda)).toEqual([
      'store:review#2',
      'store:review#3',
      'person:alice',
      'person:bob',
      'check:scan#1',
    ]);
    expect(agenda.idle).toBe(true);
  });

  test('when a later check answers first, then its answer still waits behind the earlier check', () => {
    const agenda = new Agenda();
    for (const r of ['a#1', 'b#2', 'c#3']) agenda.checkStarted(runCheck(r));
    agenda.checkEnded('c#3', passed('c#3'));
    agenda.checkEnded('a#1', null);
    agenda.checkEnded('b#2', passed('b#2'));

    expect(drained(agenda)).toEqual(['check:b#2', 'check:c#3']);
  });

  test('when the search stops at people, then a check answer stays for later', () => {
    const agenda = new Agenda();
    agenda.checkStarted(runCheck('scan#1'));
    agenda.checkEnded('scan#1', passed('scan#1'));

    expect(agenda.take('person')).toBeNull();
    expect(agenda.take()?.source).toBe('check');
  });
});

describe('timers', () => {
  test('when timers start, fire and are cancelled, then only the pending ones come due, earliest first', () => {
    const agenda = new Agenda([{ id: 'review#1', step: 'review', purpose: 'sla', at: 10 * HOUR }]);
    agenda.stepped(null, [startTimer('review#2', 2 * HOUR), startTimer('review#3', 4 * HOUR)]);
    agenda.stepped({ kind: 'timerFired', at: 2 * HOUR, timer: 'review#2' }, [
      startTimer('review#4', 6 * HOUR),
    ]);
    agenda.stepped(decide('alice'), [{ kind: 'cancelTimer', timer: 'review#3' }]);

    expect(agenda.pendingTimers().map((t) => t.id)).toEqual(['review#4', 'review#1']);
    expect(agenda.nextTimer()).toEqual({
      kind: 'timer',
      at: 6 * HOUR,
      timer: { id: 'review#4', step: 'review', purpose: 'remind', at: 6 * HOUR },
    });
  });

  test('when two timers fall due at one instant, then the one started first (by its id counter) comes first', () => {
    const agenda = new Agenda();
    agenda.stepped(null, [startTimer('zeta#10', HOUR), startTimer('alpha#9', HOUR)]);

    expect(agenda.nextTimer()?.timer.id).toBe('alpha#9');
  });

  test('when a check deadline and a timer fall at one instant, then the check comes due first', () => {
    const agenda = new Agenda();
    agenda.stepped(null, [startTimer('review#1', HOUR)]);
    agenda.checkStarted(runCheck('scan#2'));
    agenda.attemptPending('scan#2', 0);

    expect(agenda.nextDue()).toMatchObject({ kind: 'checkTimeout', at: HOUR, request: 'scan#2' });
    expect(agenda.nextTimer()?.timer.id).toBe('review#1');
  });
});

describe('check attempts and their time budget', () => {
  test('when a service stays pending, then each attempt times out after `timeout` and the last ends in an error', () => {
    const agenda = new Agenda();
    agenda.checkStarted(runCheck('scan#1', 2 * HOUR, 2));

    expect(agenda.attemptPending('scan#1', 0)).toBe(2 * HOUR);
    expect(agenda.awaitingReport('scan#1')).toEqual({ service: 'scan#1-service', step: 'scan' });
    expect(agenda.attemptTimedOut('scan#1', 2 * HOUR)).toEqual({ kind: 'retry', round: 2 });
    expect(agenda.awaitingReport('scan#1')).toBeNull();
    expect(agenda.nextDue()).toBeNull();
    expect(agenda.attemptPending('scan#1', 2 * HOUR)).toBe(4 * HOUR);
    expect(agenda.attemptTimedOut('scan#1', 4 * HOUR)).toMatchObject({ kind: 'retry', round: 3 });
    agenda.attemptPending('scan#1', 4 * HOUR);
    const last = agenda.attemptTimedOut('scan#1', 6 * HOUR);

    expect(last).toEqual({
      kind: 'gaveUp',
      answer: {
        kind: 'checkResult',
        at: 6 * HOUR,
        request: 'scan#1',
        outcome: 'error',
        detail: '"scan#1-service" accepted the check but reported no result within its timeout, 3 times',
      },
    });
    expect(agenda.idle).toBe(false);
  });

  test('when the policy sets no timeout, then a pending check never comes due', () => {
    const agenda = new Agenda();
    agenda.checkStarted(runCheck('scan#1', null));

    expect(agenda.attemptPending('scan#1', 0)).toBeNull();
    expect(agenda.nextDue()).toBeNull();
    expect(agenda.runningChecks()).toHaveLength(1);
  });

  test('when the late result is reported, then the check awaits no further report', () => {
    const agenda = new Agenda();
    agenda.checkStarted(runCheck('scan#1'));
    agenda.attemptPending('scan#1', 0);
    agenda.reportArrived('scan#1');

    expect(agenda.awaitingReport('scan#1')).toBeNull();
    expect(agenda.nextDue()).toBeNull();
  });

  test('when a driver asks about a check it never started, then it is an agenda error naming the request', () => {
    const agenda = new Agenda();
    expect(() => agenda.attemptPending('ghost#7', 0)).toThrow(AgendaError);
    expect(() => agenda.checkEnded('ghost#7', null)).toThrow('no check ghost#7 is running');
    agenda.checkStarted(runCheck('scan#1'));
    expect(() => agenda.checkStarted(runCheck('scan#1'))).toThrow('check scan#1 (scan) is already running');
    expect(() => agenda.attemptTimedOut('scan#1', 0)).toThrow('cannot time out while asking');
  });
});

/** One random thing a driver tells the agenda. */
const op = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), n: fc.nat(30), at: fc.integer({ min: 0, max: 48 }) }),
  fc.record({ kind: fc.constant('cancel' as const), n: fc.nat(30) }),
  fc.record({ kind: fc.constant('fire' as const) }),
  fc.record({ kind: fc.constant('check' as const), n: fc.nat(30), at: fc.integer({ min: 0, max: 48 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

/** Plays `ops`; returns what came due, in order, and the ids cancelled before they came due. */
function play(ops: readonly Op[]): { agenda: Agenda; out: string[]; cancelled: Set<string> } {
  const agenda = new Agenda();
  const out: string[] = [];
  const cancelled = new Set<string>();
  for (const o of ops) {
    if (o.kind === 'start') {
      const id = `t#${o.n}`;
      cancelled.delete(id);
      agenda.stepped(null, [startTimer(id, o.at * HOUR)]);
    } else if (o.kind === 'cancel') {
      agenda.stepped(null, [{ kind: 'cancelTimer', timer: `t#${o.n}` }]);
      cancelled.add(`t#${o.n}`);
    } else if (o.kind === 'check') {
      const request = `c#${o.n}`;
      if (agenda.runningChecks().some((c) => c.request === request)) continue;
      agenda.checkStarted(runCheck(request, o.at * HOUR));
      agenda.attemptPending(request, 0);
    } else {
      const due = agenda.nextDue();
      if (due === null) continue;
      out.push(describeDue(due));
      if (due.kind === 'timer') agenda.stepped({ kind: 'timerFired', at: due.at, timer: due.timer.id }, []);
      else agenda.checkEnded(due.request, null);
    }
  }
  return { agenda, out, cancelled };
}

const describeDue = (due: Due): string =>
  due.kind === 'timer' ? `${due.timer.id}@${due.at}` : `${due.request}@${due.at}`;

/** Everything pending comes due, in order. */
function emptied(agenda: Agenda): Due[] {
  const all: Due[] = [];
  for (let due = agenda.nextDue(); due; due = agenda.nextDue()) {
    all.push(due);
    if (due.kind === 'timer') agenda.stepped({ kind: 'timerFired', at: due.at, timer: due.timer.id }, []);
    else agenda.checkEnded(due.request, null);
  }
  return all;
}

describe('properties', () => {
  test('the next thing due is never later than anything else pending', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { agenda } = play(ops);
        const due = agenda.nextDue();
        const deadlines = agenda.runningChecks().flatMap((c) => (c.deadline === null ? [] : [c.deadline]));
        const pending = [...agenda.pendingTimers().map((t) => t.at), ...deadlines];
        if (due === null) return pending.length === 0;
        return pending.every((at) => due.at <= at);
      }),
    );
  });

  test('a cancelled timer never comes due, and everything comes due in time order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { agenda, cancelled } = play(ops);
        const rest = emptied(agenda);
        const ats = rest.map((d) => d.at);
        return (
          rest.every((d) => d.kind !== 'timer' || !cancelled.has(d.timer.id)) &&
          ats.every((at, i) => i === 0 || (ats[i - 1] ?? at) <= at)
        );
      }),
    );
  });

  test('the same commands in give the same order out, whatever order the timers were started in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ n: fc.nat(50), at: fc.integer({ min: 0, max: 10 }) }), {
          selector: (t) => t.n,
          maxLength: 20,
        }),
        fc.nat(),
        (timers, shift) => {
          const commands = timers.map((t) => startTimer(`t#${t.n}`, t.at * HOUR));
          const rotated = commands.map((_, i) => commands[(i + shift) % commands.length]);
          const orderOf = (cs: readonly (MachineCommand | undefined)[]): string[] => {
            const agenda = new Agenda();
            agenda.stepped(
              null,
              cs.filter((c) => c !== undefined),
            );
            return emptied(agenda).map(describeDue);
          };
          const once = orderOf(commands);
          expect(orderOf(commands)).toEqual(once);
          expect(orderOf(rotated)).toEqual(once);
        },
      ),
    );
  });

  test('check answers come out in the order the checks started, whatever order they answer in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), (count, shift) => {
        const agenda = new Agenda();
        const requests = Array.from({ length: count }, (_, i) => `c#${i + 1}`);
        for (const r of requests) agenda.checkStarted(runCheck(r));
        for (const [i] of requests.entries()) {
          const r = requests[(i + shift) % count] ?? '';
          agenda.checkEnded(r, passed(r));
        }
        expect(drained(agenda)).toEqual(requests.map((r) => `check:${r}`));
      }),
    );
  });
});

describe('the agenda follows the machine', () => {
  const policies = path.resolve('policies');
  const files = readdirSync(policies)
    .filter((f) => f.endsWith('.charter'))
    .map((f) => f.replace(/\.charter$/, ''));

  test.each(files)(
    'when the %s scenarios are replayed through an agenda, then its timers are the state timers at every step',
    (name) => {
      const policy = compileEntry(path.join(policies, `${name}.charter`), diskHost).compiled;
      if (!policy) throw new Error(`${name}.charter does not compile`);
      const file = readTestFile(path.join(policies, `${name}.test.json`));
      let steps = 0;
      for (const result of runTestFile(policy, file)) {
        const sim = result.simulation;
        if (!sim) continue;
        const first = start(policy, sim.state.process, sim.state.input, {
          instanceId: sim.state.instanceId,
          startedAt: sim.state.startedAt,
          startedBy: sim.state.startedBy,
        });
        let state = first.state;
        const agenda = new Agenda(state.timers);
        const ids = (): string[] => agenda.pendingTimers().map((t) => t.id);
        const stateIds = (): string[] => state.timers.map((t) => t.id).sort();
        for (const event of sim.events) {
          const out = step(state, event);
          agenda.stepped(event, out.commands);
          state = out.state;
          steps += 1;
          expect({ scenario: result.name, timers: [...ids()].sort() }).toEqual({
            scenario: result.name,
            timers: stateIds(),
          });
        }
        expect(agenda.pendingTimers()).toEqual(sim.agenda.pendingTimers());
      }
      expect(steps).toBeGreaterThan(10);
    },
  );
});
