// Monitors in the language: a monitor checks clean when it says when it runs, what projects must
// satisfy and who owns a finding; it reads projects, `today` and process histories and nothing
// of a request; it compiles to a schedule the Temporal Schedule can be made from; and policies
// without monitors or qualifications keep their IR bytes.
import { check } from '../../../dsl/check/index.js';
import { compile } from '../../../dsl/compile/index.js';
import { hasErrors } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type SourceHost } from '../../../dsl/program.js';
import type { PolicyIR } from '../../../engine/ir/types.js';
import { parsePolicyIR } from '../../../engine/ir/index.js';
import { diagnose, policyText } from './check-support.js';

const at = (d: { code: string; span: { line: number; col: number }; message: string }) =>
  `${d.code} ${d.span.line}:${d.span.col} ${d.message}`;

function compiled(text: string): PolicyIR {
  const host: SourceHost = {
    readFile: (p) => (p === 'main.charter' ? text : undefined),
    resolve: (_f, s) => s,
  };
  const { program, diagnostics } = loadProgram('main.charter', host);
  if (!program || diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const result = check(program);
  if (hasErrors(result.diagnostics)) throw new Error(result.diagnostics.map(at).join('; '));
  return compile(program, result.model).ir;
}

const BERLIN = 'calendar berlin { timezone "Europe/Berlin" hours mon-fri 09:00-17:00 }';
const REVIEW = ['process risk_review {', '  input { project: text }', '  approve review { by pmo }', '}'];

const monitor = (...clauses: string[]) =>
  policyText(
    BERLIN,
    'role pmo = group "pmo"',
    'monitor m {',
    ...clauses.map((c) => `  ${c}`),
    '}',
    ...REVIEW,
  );

describe('monitors: checking', () => {
  test('when a monitor reads project fields, today and a history, then it checks clean', () => {
    const text = monitor(
      'every mon-wed, fri 08:00',
      'where project.phase in ["build", "test"] and project.budget > 10_000 EUR',
      'require risk_review.last_approved >= today - 30 days and is_set(project.sponsor)',
      '  else "{project.code} ({project.manager}) needs a risk review"',
      'owner project.manager, pmo',
      'within 5 business days',
      'remind every 1 business day',
      'escalate after 3 business days to pmo',
      'waive by pmo',
      'health red',
    );

    expect(diagnose(text).map(at)).toEqual([]);
  });

  test('when a rule over project fields is used by a monitor, then it is typed against projects', () => {
    const text = policyText(
      'role pmo = group "pmo"',
      'rule late = project.end < today because "the planned end has passed"',
      'monitor m { every mon 08:00 require not late owner pmo }',
    );

    expect(diagnose(text).map(at)).toEqual([]);
  });

  test('when a monitor compares a text field with a number, then the type error is reported', () => {
    const text = monitor('every mon 08:00', 'require project.phase == 3', 'owner pmo');

    expect(diagnose(text).map((d) => d.code)).toEqual(['CH4001']);
  });

  test('when an owner is not a person, then CH4012 says so', () => {
    const text = monitor('every mon 08:00', 'require true', 'owner project.code');

    expect(diagnose(text).map((d) => d.code)).toEqual(['CH4012']);
  });

  test('when a clause is written twice, then the second is reported and points at the first', () => {
    const host: SourceHost = {
      readFile: () => monitor('every mon 08:00', 'every tue 08:00', 'require true', 'owner pmo'),
      resolve: (_f, s) => s,
    };
    const { diagnostics } = loadProgram('main.charter', host);

    expect(diagnostics.map(at)).toEqual(['CH2007 7:3 monitor `m` has a second `every` clause']);
  });

  test('when a clause word is misspelt, then it is read as the clause meant and reported once', () => {
    const host: SourceHost = {
      readFile: () => monitor('every mon 08:00', 'require true', 'ower pmo'),
      resolve: (_f, s) => s,
    };
    const { diagnostics } = loadProgram('main.charter', host);

    expect(diagnostics.map((d) => [d.code, d.help])).toEqual([['CH1012', 'did you mean `owner`']]);
  });

  test('when a process names a rule `today`, then it still means the rule there', () => {
    const text = policyText(
      'rule today = request.urgent because "urgent requests are for today"',
      'process p {',
      '  input { urgent: boolean }',
      '  if today { end approved }',
      '}',
    );

    expect(diagnose(text).map(at)).toEqual([]);
  });

  test('when a library declares a monitor, then CH2017 refuses it', () => {
    const host: SourceHost = {
      readFile: (p) =>
        p === 'main.charter'
          ? policyText('use "lib.charter"')
          : 'library "l"\nrole pmo = group "pmo"\nmonitor m { every mon 08:00 require true owner pmo }',
      resolve: (_f, s) => s,
    };
    const { diagnostics } = loadProgram('main.charter', host);

    expect(diagnostics.map((d) => d.code)).toContain('CH2017');
  });
});

describe('monitors: compiling', () => {
  test('when a monitor compiles, then its schedule spells out the days and carries the zone', () => {
    const ir = compiled(monitor('every mon-wed, fri 08:00', 'require true', 'owner pmo', 'health amber'));

    expect(ir.monitors?.[0]).toMatchObject({
      name: 'm',
      schedule: {
        days: ['mon', 'tue', 'wed', 'fri'],
        time: '08:00',
        calendar: 'berlin',
        timezone: 'Europe/Berlin',
      },
      where: null,
      due: null,
      health: 'amber',
      waivers: [],
    });
    expect(parsePolicyIR(ir)).toEqual(ir);
  });

  test('when a monitor reads projects, today and a history, then the IR has those references', () => {
    const ir = compiled(
      monitor(
        'every mon 08:00',
        'require risk_review.last_approved >= today - 30 days',
        'owner project.manager',
      ),
    );
    const require = ir.monitors?.[0]?.require;

    expect(require).toMatchObject({
      op: 'ge',
      left: { op: 'history', process: 'risk_review', property: 'last_approved' },
      right: { op: 'sub', left: { op: 'today' } },
    });
    expect(ir.monitors?.[0]?.owner).toMatchObject([
      { kind: 'expr', expr: { op: 'project', field: 'manager' } },
    ]);
  });

  test('when a policy has no calendar, then its monitors run on UTC', () => {
    const ir = compiled(
      policyText('role pmo = group "pmo"', 'monitor m { every sun 23:30 require true owner pmo }'),
    );

    expect(ir.monitors?.[0]?.schedule).toEqual({
      days: ['sun'],
      time: '23:30',
      calendar: null,
      timezone: 'UTC',
    });
  });

  test('when a policy has no monitor or qualification, then the IR has neither key', () => {
    const ir = compiled(policyText('role pmo = group "pmo"', ...REVIEW));

    expect('monitors' in ir).toBe(false);
    expect(ir.processes[0]?.steps[0]).not.toHaveProperty('qualifications');
  });

  test('when an approval requires qualifications, then the IR lists each once, sorted', () => {
    const ir = compiled(
      policyText(
        'role pmo = group "pmo"',
        'process p {',
        '  input { t: text }',
        '  approve review { by pmo require qualification "risk-101" require qualification "itil-change" require qualification "risk-101" }',
        '}',
      ),
    );

    expect(ir.processes[0]?.steps[0]).toMatchObject({ qualifications: ['itil-change', 'risk-101'] });
  });
});
