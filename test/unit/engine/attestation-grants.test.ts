// Attestations that grant a qualification (`grants qualification "<id>" to <people>`): the checker
// wants people and an id, the formatter keeps the clause, the IR carries it only when written, and
// in the simulator the completion is in the registry from the day of the attestation, so a later
// step that requires the qualification admits the person granted it.
import { format } from '../../../dsl/index.js';
import type { CheckStepIR, StepIR, ValueIR } from '../../../engine/ir/types.js';
import { EMPTY_WORLD, Simulation, type World } from '../../../engine/simulate/index.js';
import { diagnose, processText } from '../dsl/check-support.js';
import { MONDAY_9, processOf } from './machine-support.js';

const INPUT = '    trainee: person\n    buddy: person optional\n    cohort: list of person = []';

const onboarding = (grantee: string) => `  check course:
    attest by group "leads" "the course was completed" with evidence
      grants qualification "itil-change" to ${grantee}
  approve first_change {
    by request.trainee, request.cohort
    require qualification "itil-change"
  }
  end approved "done"`;

const REGISTRY: NonNullable<World['qualifications']> = {
  'itil-change': { validityMonths: 12, completed: { tom: ['2026-03-01'] } },
};

const simulate = (grantee: string, input: Record<string, ValueIR>) =>
  new Simulation(processOf(INPUT, onboarding(grantee)), {
    process: 'p',
    input,
    startedAt: MONDAY_9,
    startedBy: 'rita',
    world: {
      ...EMPTY_WORLD,
      people: ['ben', 'tom', 'amy', 'zoe'],
      groups: { leads: ['lena'] },
      qualifications: REGISTRY,
    },
  });

const attest = (sim: Simulation) =>
  sim.act({ kind: 'attest', at: sim.clock, step: 'course', actor: 'lena', evidence: 'cert 42' }, 'attest');

const checkOf = (steps: readonly StepIR[]): CheckStepIR['check'] => {
  const step = steps.find((s) => s.kind === 'check');
  if (step?.kind !== 'check') throw new Error('no check step');
  return step.check;
};

describe('attestations that grant a qualification', () => {
  test('when the grantee is not a person, then CH4012 names the grantee of the step', () => {
    const diagnostics = diagnose(
      processText([], 'title: text', [
        'check course: attest by group "leads" "done" grants qualification "itil-change" to request.title',
      ]),
    );
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'CH4012 the grantee of `course` needs `person` or `list of person`, but `request.title` is `text`',
    ]);
  });

  test('when the qualification id is empty, then CH5021 points at it', () => {
    const diagnostics = diagnose(
      processText([], 'who: person', [
        'check course: attest by group "leads" "done" grants qualification "" to request.who',
      ]),
    );
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([
      'CH5021 5:69 attestation `course` grants a qualification with no id',
    ]);
  });

  test('when formatted, then the grant stays after the evidence and before the deadline', () => {
    const source = processText([], 'who: person', [
      'check course: attest by group "leads" "done" with evidence grants qualification "itil-change"   to request.who within 2d',
    ]);
    const out = format(source, 'main.charter');
    expect(out.text).toContain(
      '    attest by group "leads" "done" with evidence grants qualification "itil-change" to request.who\n      within 2d\n',
    );
    expect(format(out.text ?? '', 'main.charter').text).toBe(out.text);
  });

  test('when compiled, then the IR carries the grant, and an attestation without one has no key', () => {
    const granted = checkOf(processOf(INPUT, onboarding('request.trainee')).ir.processes[0]?.steps ?? []);
    expect(granted).toMatchObject({ kind: 'attest', grants: { qualification: 'itil-change' } });
    const plain = checkOf(
      processOf(INPUT, '  check course:\n    attest by group "leads" "done"\n  end approved "done"').ir
        .processes[0]?.steps ?? [],
    );
    expect(plain).not.toHaveProperty('grants');
  });

  test('when the trainee is granted the qualification, then the step that requires it admits them', () => {
    const sim = simulate('request.trainee', { trainee: 'ben' });
    expect(attest(sim)).toBeNull();
    expect(sim.timeline.map((t) => t.text)).toContain(
      'lena attested course: "the course was completed" (evidence: cert 42); itil-change recorded for ben, completed 2026-12-07',
    );
    expect(sim.openTasks().map((t) => [t.step, t.assignees])).toEqual([['first_change', ['ben']]]);
  });

  test('when nobody was granted it, then the trainee is left out of the step that requires it', () => {
    const sim = simulate('request.buddy', { trainee: 'ben' });
    attest(sim);
    expect(sim.timeline.map((t) => t.text)).toContain(
      'lena attested course: "the course was completed" (evidence: cert 42); itil-change recorded for nobody: request.buddy is not set',
    );
    expect(sim.openTasks()).toEqual([]);
    expect(sim.blockedOn()[0]?.text).toMatch(/first_change/);
  });

  test('when a cohort is granted it, then each member gains it once, and an earlier holder keeps theirs', () => {
    const sim = simulate('request.cohort', { trainee: 'tom', cohort: ['zoe', 'amy', 'zoe'] });
    attest(sim);
    expect(sim.timeline.map((t) => t.text)).toContain(
      'lena attested course: "the course was completed" (evidence: cert 42); itil-change recorded for amy and zoe, completed 2026-12-07',
    );
    expect(sim.openTasks().map((t) => t.assignees)).toEqual([['amy', 'tom', 'zoe']]);
    // The simulation's registry gained them; the world the caller gave is left as it was.
    expect(REGISTRY['itil-change']?.completed).toEqual({ tom: ['2026-03-01'] });
  });
});
