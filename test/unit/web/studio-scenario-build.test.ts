// The studio's scenario builder: a form as a PMO author fills it in becomes a Scenario that the
// simulator's own schema accepts and plays; every bad field comes back keyed by the form field
// that shows it; and "Add to tests" gives a test file that `charter test`'s runner passes.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { CompiledPolicy } from '../../../engine/ir/types.js';
import { runScenario, scenarioSchema, testFileSchema } from '../../../engine/simulate/index.js';
import {
  actKindsFor,
  buildScenario,
  newAct,
  newForm,
  policyGroups,
  type ScenarioForm,
  stepsFor,
  usesManagers,
} from '../../../web/src/pages/studio/scenario/scenario-build.js';
import { playScenario } from '../../../web/src/pages/studio/scenario/scenario-run.js';
import { appendToTests, testDefaults } from '../../../web/src/pages/studio/scenario/tests-file.js';
import { runTests } from '../../../web/src/pages/studio/tests-run.js';
import { twoStepPurchase } from '../../support/purchase-policy.js';

const SOURCE = twoStepPurchase('try-it');

function compiled(source = SOURCE): CompiledPolicy {
  const out = compileEntry('try.charter', memoryHost({ 'try.charter': source })).compiled;
  if (!out) throw new Error('the test policy does not compile');
  return out;
}

const POLICY = compiled();
const PROCESS = POLICY.ir.processes[0]!;
const TESTS = JSON.stringify({
  timezone: 'Europe/Berlin',
  start: '2026-03-02 09:00',
  world: { groups: { reviewers: ['rob@x.example'], finance: ['fay@x.example'] } },
  tests: [],
});

/** The form filled in as the browser test fills it: one day passes, then the review is approved. */
function filled(): ScenarioForm {
  const form = newForm(POLICY, undefined, 'rita@x.example', testDefaults(TESTS, POLICY), '2026-12-07T10:00');
  const wait = { ...newAct('wait', [], PROCESS), at: '+1d' };
  const approve = { ...newAct('approve', [wait], PROCESS), as: 'rob@x.example', reason: 'fine' };
  return { ...form, values: { title: 'Laptops', amount: '1200' }, acts: [wait, approve] };
}

describe('the scenario form', () => {
  test('when a policy is read, then its groups, steps and acts are the ones it names', () => {
    expect(policyGroups(POLICY)).toEqual(['finance', 'reviewers']);
    expect(usesManagers(POLICY)).toBe(false);
    expect(stepsFor(PROCESS, 'approve')).toEqual(['review', 'budget']);
    expect(stepsFor(PROCESS, 'attest')).toEqual([]);
    expect(actKindsFor(PROCESS)).toEqual(['wait', 'approve', 'reject', 'requestChanges', 'cancel']);
  });

  test('when the form starts, then it takes the test file start and world, and the first process', () => {
    const form = newForm(POLICY, undefined, 'rita@x.example', testDefaults(TESTS, POLICY), 'now');
    expect(form).toMatchObject({
      process: 'purchase',
      startedBy: 'rita@x.example',
      start: '2026-03-02T09:00',
      groups: { reviewers: 'rob@x.example', finance: 'fay@x.example' },
      acts: [],
    });
    const bare = newForm(POLICY, undefined, 'rita@x.example', testDefaults('', POLICY), '2026-12-07T10:00');
    expect(bare.start).toBe('2026-12-07T10:00');
    expect(bare.groups).toEqual({ finance: '', reviewers: '' });
  });

  test('when the form is filled in, then the scenario is one the schema accepts, in script order', () => {
    const built = buildScenario(POLICY, filled(), testDefaults(TESTS, POLICY));
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(scenarioSchema.parse(built.scenario)).toEqual(built.scenario);
    expect(built.scenario).toMatchObject({
      process: 'purchase',
      start: '2026-03-02 09:00',
      startedBy: 'rita@x.example',
      input: { title: 'Laptops', amount: 1200 },
      script: [{ at: '+1d' }, { approve: 'review', as: 'rob@x.example', reason: 'fine' }],
    });
    // The groups are the file's: the scenario repeats none of its world.
    expect(built.scenario.world).toBeUndefined();
  });

  test('when groups differ from the file, then only the changed ones go into the scenario world', () => {
    const form = {
      ...filled(),
      groups: { reviewers: 'rob@x.example,\n ann@x.example', finance: 'fay@x.example' },
    };
    const built = buildScenario(POLICY, form, testDefaults(TESTS, POLICY));
    expect(built.ok && built.scenario.world).toEqual({
      groups: { reviewers: ['rob@x.example', 'ann@x.example'] },
    });
  });

  test('when fields are wrong, then each problem is keyed by the field that shows it', () => {
    const form = filled();
    const [wait, approve] = form.acts;
    const bad: ScenarioForm = {
      ...form,
      startedBy: ' ',
      start: '',
      values: { title: 'Laptops', amount: 'lots' },
      managers: 'no colon here',
      acts: [
        { ...wait!, at: '+2x' },
        { ...approve!, as: '' },
      ],
    };
    const built = buildScenario(POLICY, bad, testDefaults(TESTS, POLICY));
    if (built.ok) throw new Error('a bad form was accepted');
    const keys = built.problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'input.amount',
        'start',
        'startedBy',
        'managers',
        `acts.${wait!.id}.at`,
        `acts.${approve!.id}.as`,
      ]),
    );
    expect(built.problems.find((p) => p.key === 'input.amount')?.message).toContain('expected a number');
    expect(built.problems.find((p) => p.key === `acts.${approve!.id}.as`)?.message).toContain('needs `as`');
    expect(built.problems.find((p) => p.key === 'startedBy')?.message).toBe('required');
    expect(keys).not.toContain('');
  });

  test('when an unknown process is asked for, then the process field says so', () => {
    const built = buildScenario(POLICY, { ...filled(), process: 'gone' }, testDefaults(TESTS, POLICY));
    expect(built.ok ? [] : built.problems).toEqual([{ key: 'process', message: 'choose a process' }]);
  });
});

describe('running and keeping the scenario', () => {
  test('when the scenario is played, then it matches runScenario, times in the file zone', () => {
    const defaults = testDefaults(TESTS, POLICY);
    const built = buildScenario(POLICY, filled(), defaults);
    if (!built.ok) throw new Error('not built');
    const run = playScenario(POLICY, built.scenario, defaults);
    const reference = runScenario(POLICY, built.scenario, defaults).simulation!;
    if (run.kind !== 'ran') throw new Error(run.message);
    expect(run.status).toBe(reference.state.status);
    expect(run.status).toBe('running');
    expect(run.text.rows.map((r) => r.step)).toEqual(reference.timeline.map((e) => e.step));
    expect(run.text.rows[0]?.when).toBe('Mon 2026-03-02 09:00');
    expect(run.text.openTasks).toEqual([
      expect.objectContaining({ step: 'budget', assignees: ['fay@x.example'] }),
    ]);
  });

  test('when time goes back, then the run is an error with the simulator words, not a throw', () => {
    const defaults = testDefaults(TESTS, POLICY);
    const form = filled();
    const built = buildScenario(
      POLICY,
      { ...form, acts: [{ ...form.acts[0]!, at: '2026-01-01 09:00' }] },
      defaults,
    );
    if (!built.ok) throw new Error('not built');
    const run = playScenario(POLICY, built.scenario, defaults);
    expect(run.kind).toBe('error');
    expect(run.kind === 'error' && run.message).toContain('time cannot go back');
  });

  test('when the scenario is added to the tests, then the test file runs it and it passes', () => {
    const defaults = testDefaults(TESTS, POLICY);
    const built = buildScenario(POLICY, filled(), defaults);
    if (!built.ok) throw new Error('not built');
    const run = playScenario(POLICY, built.scenario, defaults);
    if (run.kind !== 'ran') throw new Error(run.message);
    const once = appendToTests(TESTS, built.scenario, run.status, defaults.timezone);
    if ('problem' in once) throw new Error(once.problem);
    const twice = appendToTests(once.text, built.scenario, run.status, defaults.timezone);
    if ('problem' in twice) throw new Error(twice.problem);
    const file = testFileSchema.parse(JSON.parse(twice.text));
    expect(file.tests.map((t) => t.name)).toEqual(['purchase in the studio', 'purchase in the studio (2)']);
    expect(file.tests[0]?.expect).toEqual({ status: 'running' });
    const report = runTests(POLICY, twice.text);
    expect(report.kind === 'report' && report.report.scenarios.map((s) => s.passed)).toEqual([true, true]);
  });

  test('when there is no test file yet, then one is made in the policy calendar zone', () => {
    const withCalendar = compiled(
      SOURCE.replace(
        'role reviewer',
        'calendar office {\n  timezone "Europe/Oslo"\n  hours mon-fri 09:00-17:00\n}\n\nrole reviewer',
      ),
    );
    const defaults = testDefaults('', withCalendar);
    expect(defaults.timezone).toBe('Europe/Oslo');
    const built = buildScenario(withCalendar, filled(), defaults);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const made = appendToTests('', built.scenario, 'running', defaults.timezone);
    expect('text' in made && JSON.parse(made.text)).toMatchObject({
      timezone: 'Europe/Oslo',
      tests: [{ name: 'purchase in the studio' }],
    });
    const refused = appendToTests('not json', built.scenario, 'running', 'UTC');
    expect('problem' in refused && refused.problem).toContain('not a JSON object');
  });
});
