// The synthetic-policy properties prove the machine on shapes we chose; the shipped policies are
// what customers run, with nested roles, parallel branches, waivers, reallocations and business
// calendars combined in ways nobody wrote a scenario for. Random inputs and random event orders
// over every process of every shipped policy reach what hand-written tests never do.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';
import { parseInput } from '../../../engine/input/index.js';
import type * as IR from '../../../engine/ir/types.js';
import type { ApprovalState, DecisionKind, MachineEvent, Refusal } from '../../../engine/machine/index.js';
import { start, step, validate } from '../../../engine/machine/index.js';
import type { CheckAnswer, World } from '../../../engine/simulate/index.js';
import { mergeWorld, parseTime, testFileSchema, worldSchema } from '../../../engine/simulate/index.js';
import { Simulation } from '../../../engine/simulate/index.js';

interface Start {
  input: Record<string, IR.ValueIR>;
  startedBy: string;
  startedAt: number;
}

interface Target {
  name: string;
  /** Counterexamples name the process instead of printing the whole compiled policy. */
  [fc.toStringMethod]: () => string;
  policy: IR.CompiledPolicy;
  process: IR.ProcessIR;
  world: World;
  people: string[];
  steps: IR.StepIR[];
  /** The test file's scenario starts: inputs that get past the first rules, to reach deeper steps. */
  seeds: Start[];
}

const MINUTE = 60_000;
const UNITS = ['minute', 'hour', 'day', 'week'] as const;
const OUTSIDER = 'outsider@nowhere.example';

const flatten = (steps: readonly IR.StepIR[]): IR.StepIR[] =>
  steps.flatMap((s) => [
    s,
    ...(s.kind === 'if' ? [...s.branches.flatMap((b) => flatten(b.steps)), ...flatten(s.otherwise)] : []),
    ...(s.kind === 'parallel' ? s.branches.flatMap((b) => flatten(b.steps)) : []),
  ]);

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const sharedWorld = worldSchema.parse(readJson('policies/shared/org.world.json'));

const TARGETS: Target[] = readdirSync('policies')
  .filter((file) => file.endsWith('.charter'))
  .sort()
  .flatMap((file) => {
    const policy = compileEntry(`policies/${file}`, diskHost).compiled;
    if (!policy) throw new Error(`${file} does not compile`);
    const tests = testFileSchema.parse(readJson(`policies/${file.replace(/\.charter$/, '.test.json')}`));
    const { include, ...own } = tests.world;
    if (include !== 'shared/org.world.json') throw new Error(`${file}: unexpected include ${include}`);
    const world = mergeWorld(sharedWorld, own);
    const known = new Set([...world.people, ...Object.values(world.groups).flat()]);
    for (const [person, manager] of Object.entries(world.managers)) known.add(person).add(manager);
    return policy.ir.processes.map((process) => ({
      name: `${file}/${process.name}`,
      [fc.toStringMethod]: () => `${file}/${process.name}`,
      policy,
      process,
      world,
      people: [...known].sort(),
      steps: flatten(process.steps),
      seeds: tests.tests.flatMap((t) => {
        const parsed = t.process === process.name ? parseInput(process, t.input) : null;
        const startedAt = parseTime(t.start ?? tests.start ?? '', 0, tests.timezone);
        return parsed?.ok && typeof startedAt === 'number'
          ? [{ input: parsed.values, startedBy: t.startedBy, startedAt }]
          : [];
      }),
    }));
  });

function valueOf(type: IR.TypeIR, people: readonly string[]): fc.Arbitrary<IR.ValueIR> {
  switch (type.kind) {
    case 'text':
      return fc.oneof(fc.constantFrom('', 'intranet', 'SAP ERP', 'Germany'), fc.string({ maxLength: 6 }));
    case 'number':
      return fc.oneof(fc.integer({ min: -3, max: 200 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    case 'percentage':
      return fc.integer({ min: 0, max: 120 });
    case 'boolean':
      return fc.boolean();
    case 'person':
      return fc.constantFrom(...people);
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'date':
      return fc
        .date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'money':
      // Valid input as parseInput returns it: exact decimal text.
      return fc
        .nat(2_000_000)
        .map((amount) => ({ amount: String(amount), currency: type.currency ?? 'EUR' }));
    case 'duration':
      return fc
        .tuple(fc.nat(72), fc.constantFrom(...UNITS))
        .map(([amount, unit]) => ({ amount, unit, business: false, calendar: null }));
    case 'list':
      return fc.array(valueOf(type.element, people), { maxLength: 4 });
  }
}

/** Fully random starts, or a test scenario's start with a field or two replaced. */
function startOf(t: Target): fc.Arbitrary<Start> {
  const fields = t.process.input;
  const model = Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, t.people)]));
  const requiredKeys = fields.filter((f) => !f.optional && f.default === null).map((f) => f.name);
  const random = fc.record({
    input: fc.record(model, { requiredKeys }),
    startedBy: fc.constantFrom(...t.people),
    startedAt: fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 1) })
      .map((at) => at - (at % MINUTE)),
  });
  if (t.seeds.length === 0) return random;
  const rarely = <T>(arb: fc.Arbitrary<T>, otherwise: T) =>
    fc.oneof({ weight: 4, arbitrary: fc.constant(otherwise) }, { weight: 1, arbitrary: arb });
  const mutated = fc
    .record({
      seed: fc.constantFrom(...t.seeds),
      other: random,
      replace: fc.subarray(Object.keys(model), { maxLength: 2 }),
      later: rarely(fc.nat(7 * 24 * 60), 0),
      by: rarely(fc.constantFrom(...t.people), null),
    })
    .map(({ seed, other, replace, later, by }): Start => {
      const input = { ...seed.input };
      for (const name of replace) {
        const value = other.input[name];
        if (value === undefined) delete input[name];
        else input[name] = value;
      }
      return { input, startedBy: by ?? seed.startedBy, startedAt: seed.startedAt + later * MINUTE };
    });
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 4, arbitrary: mutated });
}

/** Who acts: an assignee of the step's task, a person named in the input, someone excluded, anyone. */
const who = fc.record({
  from: fc.constantFrom('task', 'task', 'task', 'input', 'excluded', 'anyone'),
  n: fc.nat(),
});
type Who = typeof who extends fc.Arbitrary<infer W> ? W : never;

/** How often each kind of action comes up: mostly decisions and time passing, rarely a cancel. */
const KINDS = { advance: 25, decide: 35, attest: 10, waive: 5, answer: 10, cancel: 1 } as const;

/** One shape for every action; each kind reads the fields it needs. */
const action = fc.record({
  kind: fc.oneof(
    ...Object.entries(KINDS).map(([k, weight]) => ({
      weight,
      arbitrary: fc.constant(k as keyof typeof KINDS),
    })),
  ),
  /** Minutes to days, sometimes weeks (waits of 30 days); bounded far below TIMER_LIMIT. */
  minutes: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 3 * 24 * 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 45 }).map((d) => d * 24 * 60) },
  ),
  who,
  behalf: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: who }),
  /** A step with an open task, or sometimes any step of the process; for `answer`, a running check. */
  where: fc.record({ open: fc.constantFrom(true, true, true, true, false), n: fc.nat() }),
  decision: fc.constantFrom<DecisionKind>('approve', 'approve', 'approve', 'reject', 'requestChanges'),
  /** The reason of a decision or waiver, the evidence of an attestation. */
  text: fc.constantFrom(undefined, '', 'ticket 42: risk accepted'),
  outcome: fc.constantFrom('passed' as const, 'failed' as const, 'error' as const),
});
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

interface Run extends Start {
  t: Target;
  services: Record<string, CheckAnswer>;
  script: Action[];
}

/** Some services answer through the world (as the test file says, or failing), others wait for the script. */
function runOf(t: Target): fc.Arbitrary<Run> {
  const external = t.steps.flatMap((s) =>
    s.kind === 'check' && s.check.kind === 'external' ? [s.check.service] : [],
  );
  const services = fc
    .tuple(
      ...external.map(() =>
        fc.constantFrom('world', 'world', 'world', 'world', 'pending', 'failed', 'error'),
      ),
    )
    .map((choices) => {
      const out = { ...t.world.services };
      for (const [i, service] of external.entries()) {
        const outcome = choices[i];
        if (outcome !== undefined && outcome !== 'world') out[service] = { outcome };
      }
      return out;
    });
  const script = fc.array(action, { minLength: 4, maxLength: 40, size: 'max' });
  return fc
    .tuple(startOf(t), services, script)
    .map(([begin, s, a]) => ({ t, ...begin, services: s, script: a }));
}

const runs = fc.constantFrom(...TARGETS).chain(runOf);

const openApprovals = (sim: Simulation): ApprovalState[] =>
  sim.state.threads.flatMap((th) => (th.waiting?.kind === 'approve' ? [th.waiting.approval] : []));

const peopleIn = (value: IR.ValueIR | null | undefined): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(peopleIn) : [];

/** Whom a step excludes, read from the input without the machine (every shipped exclusion is a field). */
function excludedByInput(run: Run, id: string): string[] {
  const s = run.t.steps.find((x) => x.id === id);
  if (s?.kind !== 'approve') return [];
  const fields = s.exclude.flatMap((e) => (e.kind === 'expr' && e.expr.op === 'input' ? [e.expr.field] : []));
  const value = (f: string) => run.input[f] ?? run.t.process.input.find((x) => x.name === f)?.default;
  return fields.flatMap((f) => peopleIn(value(f)));
}

/** Someone to act on `stepId`: the people the step concerns first, falling back to anyone. */
function pick(sim: Simulation, run: Run, w: Who, stepId: string | null): string {
  const tasks = sim.openTasks();
  const approvals = openApprovals(sim);
  const pool =
    w.from === 'task'
      ? (tasks.find((task) => task.step === stepId) ?? tasks[0])?.assignees
      : w.from === 'input'
        ? Object.values(run.input).flatMap(peopleIn)
        : w.from === 'excluded'
          ? (approvals.find((a) => a.step === stepId) ?? approvals[0])?.excluded
          : [...run.t.people, OUTSIDER];
  const from = pool && pool.length > 0 ? pool : run.t.people;
  return from[w.n % from.length] ?? OUTSIDER;
}

/** The event an action stands for at the current clock; null when no check waits for an answer. */
function eventOf(sim: Simulation, run: Run, a: Action): MachineEvent | null {
  const at = sim.clock;
  const checks = sim.runningChecks();
  const check = checks[a.where.n % Math.max(1, checks.length)];
  if (a.kind === 'answer')
    return check ? { kind: 'checkResult', at, request: check.request, outcome: a.outcome } : null;
  if (a.kind === 'cancel')
    return { kind: 'cancel', at, actor: pick(sim, run, a.who, null), reason: 'withdrawn' };
  const open = [...new Set(sim.openTasks().map((task) => task.step))];
  const steps = a.where.open && open.length > 0 ? open : run.t.steps.map((s) => s.id);
  const target = steps[a.where.n % steps.length] ?? '';
  const base = { at, step: target, actor: pick(sim, run, a.who, target) };
  const acting = { ...base, ...(a.behalf ? { onBehalfOf: pick(sim, run, a.behalf, target) } : {}) };
  const reason = a.text === undefined ? {} : { reason: a.text };
  if (a.kind === 'decide') return { kind: 'decide', ...acting, decision: a.decision, ...reason };
  if (a.kind === 'waive') return { kind: 'waive', ...acting, reason: a.text ?? '' };
  return { kind: 'attest', ...acting, ...(a.text === undefined ? {} : { evidence: a.text }) };
}

interface Hooks {
  /** Before an event is sent, with the state it meets. */
  before?: (sim: Simulation, event: MachineEvent) => void;
  after?: (sim: Simulation, event: MachineEvent, refusal: Refusal | null, before: string) => void;
  /** At the start and after every action. */
  observe?: (sim: Simulation) => void;
}

function play(run: Run, hooks: Hooks = {}): Simulation {
  const { t, input, startedAt, startedBy, services } = run;
  const world = { ...t.world, services };
  const sim = new Simulation(t.policy, { process: t.process.name, input, startedAt, startedBy, world });
  hooks.observe?.(sim);
  for (const a of run.script) {
    if (a.kind === 'advance') sim.advanceTo(sim.clock + a.minutes * MINUTE);
    else {
      const event = eventOf(sim, run, a);
      if (event === null) continue;
      hooks.before?.(sim, event);
      const before = JSON.stringify(sim.state);
      const refusal = sim.act(event, a.kind);
      hooks.after?.(sim, event, refusal, before);
    }
    hooks.observe?.(sim);
  }
  return sim;
}

/** The quorum as DESIGN.md fixes it, over the eligible set at opening. */
function quorumOf(q: IR.QuorumIR, e: number): number {
  if (q.kind === 'atLeast') return q.count;
  if (q.kind === 'percent') return Math.max(1, Math.ceil((q.percent * e) / 100));
  return { any: 1, all: e, majority: Math.floor(e / 2) + 1 }[q.kind];
}

/** Each property runs on random processes of every policy; 150 runs keep the file fast on 2 cores. */
const property = (name: string, body: (run: Run) => void) =>
  test(name, () => fc.assert(fc.property(runs, body), { numRuns: 150 }));

describe('machine properties on the shipped policies', () => {
  property(
    'when any process runs any valid input and script, then the machine never throws and ends clean',
    (run) => {
      expect(parseInput(run.t.process, run.input)).toEqual({ ok: true, values: run.input });
      const sim = play(run);
      if (sim.ended) {
        expect(sim.state.timers).toEqual([]);
        expect(sim.openTasks()).toEqual([]);
      }
    },
  );

  property(
    'when the events are replayed or the script is played again, then state and timeline are identical',
    (run) => {
      const sim = play(run);
      const context = { instanceId: 'simulated', startedAt: run.startedAt, startedBy: run.startedBy };
      let state = start(run.t.policy, run.t.process.name, run.input, context).state;
      for (const event of sim.events) state = step(state, event).state;
      expect(JSON.stringify(state)).toBe(JSON.stringify(sim.state));
      const again = play(run);
      expect(again.timeline).toEqual(sim.timeline);
      expect(again.events).toEqual(sim.events);
    },
  );

  property(
    'when an approval step ends approved, then its quorum was met by eligible, non-excluded people',
    (run) => {
      const seen = new Map<string, ApprovalState>();
      const closed = new Set<string>();
      play(run, {
        observe(sim) {
          for (const a of openApprovals(sim).filter((x) => x.phase === 'open')) {
            const s = run.t.steps.find((x) => x.id === a.step);
            if (s?.kind !== 'approve') throw new Error(`no approval step ${a.step}`);
            const barred = new Set([...a.excluded, ...a.distinct.map((d) => d.person)]);
            // After a `hand over` one decision decides, whatever the step's quorum.
            const pool = a.approvers.filter((p) => !barred.has(p)).length;
            expect(a.needed).toBe(a.handover ? 1 : quorumOf(s.quorum, pool));
            expect(a.excluded).toEqual(expect.arrayContaining(excludedByInput(run, a.step)));
            seen.set(a.step, structuredClone(a));
          }
          for (const [id, result] of Object.entries(sim.state.results)) {
            if (result['outcome'] !== 'approved' || closed.has(id)) continue;
            closed.add(id);
            // Approval needs decisions, and every decision is an action after which we observed.
            const open = seen.get(id);
            if (!open) throw new Error(`${id} was approved without ever being open`);
            const approvers = new Set(peopleIn(result['approvers']));
            expect(approvers.size).toBeGreaterThanOrEqual(open.needed);
            for (const p of approvers) {
              expect(open.eligible).toContain(p);
              expect([...open.excluded, ...open.distinct.map((d) => d.person)]).not.toContain(p);
              expect(excludedByInput(run, id)).not.toContain(p);
            }
          }
        },
      });
    },
  );

  property('when an excluded person decides, or decides for someone, then the decision is refused', (run) => {
    play(run, {
      before(sim, event) {
        if (event.kind !== 'decide') return;
        const a = openApprovals(sim).find((x) => x.step === event.step && x.phase === 'open');
        if (!a) return;
        const barred = [
          ...excludedByInput(run, event.step),
          ...a.excluded,
          ...a.distinct.map((d) => d.person),
        ];
        if (!barred.includes(event.actor) && !barred.includes(event.onBehalfOf ?? event.actor)) return;
        const s = run.t.steps.find((x) => x.id === event.step);
        const delegating = event.onBehalfOf !== undefined && event.onBehalfOf !== event.actor;
        const first = delegating && s?.kind === 'approve' && !s.allowDelegation;
        // One code comes before both (refusals.ts): someone the step left out for a missing
        // qualification, deciding or decided for, hears `not-qualified`.
        const unqualified = (a.unqualified ?? []).some(
          (u) => u.person === event.actor || u.person === (event.onBehalfOf ?? event.actor),
        );
        const codes = unqualified
          ? ['not-qualified']
          : first
            ? ['delegation-not-allowed']
            : ['excluded', 'distinct-from'];
        expect(codes).toContain(validate(sim.state, event)?.code);
      },
      after(_sim, event, refusal) {
        if (event.kind !== 'decide' || refusal !== null) return;
        const barred = excludedByInput(run, event.step);
        expect(barred).not.toContain(event.actor);
        expect(barred).not.toContain(event.onBehalfOf ?? event.actor);
      },
    });
  });

  property(
    'when an event is refused, then validate and step agree and the state is unchanged byte for byte',
    (run) => {
      play(run, {
        before(sim, event) {
          const before = JSON.stringify(sim.state);
          const refusal = validate(sim.state, event);
          const out = step(sim.state, event);
          expect(JSON.stringify(sim.state)).toBe(before);
          if (refusal) {
            expect(out.commands).toEqual([]);
            expect(JSON.stringify(out.state)).toBe(before);
          }
        },
        after(sim, event, refusal, before) {
          if (refusal) expect(JSON.stringify(sim.state)).toBe(before);
          else expect(sim.events).toContain(event);
        },
      });
    },
  );

  property(
    'when a check that stops on failure fails or errs, then the process never ends approved',
    (run) => {
      const stopping = new Set(
        run.t.steps.flatMap((s) => (s.kind === 'check' && s.onFail.action === 'stop' ? [s.id] : [])),
      );
      play(run, {
        observe(sim) {
          // Request ids are `<step>#<seq>` (DESIGN.md), so an answer names its step.
          for (const e of sim.events) {
            if (e.kind !== 'checkResult' || e.outcome === 'passed') continue;
            const id = e.request.slice(0, e.request.lastIndexOf('#'));
            if (stopping.has(id)) expect(sim.state.results[id]?.['outcome']).toBe('failed');
          }
          const stopped = [...stopping].filter((id) => sim.state.results[id]?.['outcome'] === 'failed');
          if (stopped.length > 0) expect(sim.state.status).not.toBe('approved');
        },
      });
    },
  );
});
