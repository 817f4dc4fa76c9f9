import { check } from '../../../dsl/check/index.js';
import { compile, CompileError } from '../../../dsl/compile/index.js';
import { hasErrors } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type Program, type SourceHost } from '../../../dsl/program.js';
import { canonicalJson, hashPolicyIR, parsePolicyIR, sha256Hex } from '../../../engine/ir/index.js';

function load(files: Record<string, string>): Program {
  const host: SourceHost = { readFile: (path) => files[path], resolve: (_from, spec) => spec };
  const { program, diagnostics } = loadProgram('main.charter', host);
  if (!program || diagnostics.length > 0)
    throw new Error(`fixture: ${diagnostics.map((d) => d.message).join('; ')}`);
  return program;
}

function compileFiles(files: Record<string, string>) {
  const program = load(files);
  const { diagnostics, model } = check(program);
  if (hasErrors(diagnostics)) throw new Error(`fixture: ${diagnostics.map((d) => d.message).join('; ')}`);
  return compile(program, model);
}

const library = [
  'library "org"',
  'calendar office { timezone "Europe/Berlin" hours mon-fri 09:00-17:00 }',
  'calendar plant { timezone "UTC" hours sat 08:00-12:00 }',
  'role staff = group "staff"',
  'role leads = staff, person "lee"',
  'role unused_role = group "nobody"',
  'rule big = request.budget > 100 EUR because "big spend"',
  'rule spare = 1 > 2 because "not used by this policy"',
  'role auditors = group "audit"',
].join('\n');

const main = [
  'policy "Purchasing" version 4 effective 2026-03-01',
  'owner "pmo@example.com"',
  'use "lib/org.charter"',
  'role zeta = group "z"',
  'role alpha = leads',
  'calendar local { timezone "UTC" hours fri 13:00-17:00 hours mon 09:00-12:00 hours mon 07:00-08:00 holidays 2026-12-25, 2026-01-01, 2026-12-25 }',
  'process purchase {',
  '  input { budget: money EUR  note: text = "none"  items: list of text = ["a", "b"]  limit: money EUR = -5 EUR  due: date optional }',
  '  if big { approve review { by alpha within 2 business days on office on timeout reject } }',
  '}',
  'process another { input { } notify zeta: "hello" }',
  'role watchers = auditors',
].join('\n');

const files = { 'main.charter': main, 'lib/org.charter': library };

describe('compile: the policy', () => {
  test('when the same sources compile twice, then the bytes and the hash are the same and valid', () => {
    const first = compileFiles(files);
    const second = compileFiles(files);

    expect(canonicalJson(second)).toBe(canonicalJson(first));
    expect(first.sha256).toBe(hashPolicyIR(first.ir));
    expect(parsePolicyIR(first.ir)).toEqual(first.ir);
  });

  test('when a policy compiles, then its header and the sha256 of every source are recorded', () => {
    const { ir } = compileFiles(files);

    expect(ir.irVersion).toBe(1);
    expect(ir.policy).toEqual({
      name: 'Purchasing',
      version: 4,
      effective: '2026-03-01',
      owner: 'pmo@example.com',
    });
    expect(ir.sources).toEqual([
      { path: 'main.charter', sha256: sha256Hex(main) },
      { path: 'lib/org.charter', sha256: sha256Hex(library) },
    ]);
  });

  test('when declarations come in any order, then every list is sorted by name', () => {
    const { ir } = compileFiles(files);

    expect(ir.processes.map((p) => p.name)).toEqual(['another', 'purchase']);
    expect(ir.roles.map((r) => r.name)).toEqual(['alpha', 'auditors', 'leads', 'staff', 'watchers', 'zeta']);
    expect(ir.calendars.map((c) => c.name)).toEqual(['local', 'office']);
  });

  test('when libraries hold more than the policy uses, then only what it or its own roles use comes along', () => {
    const { ir } = compileFiles(files);

    expect(ir.rules.map((r) => r.name)).toEqual(['big']);
    expect(ir.rules[0]?.because).toBe('big spend');
    expect(ir.rules[0]?.span).toEqual({ file: 1, line: 7, col: 1, endLine: 7, endCol: 56 });
    expect(ir.roles.find((r) => r.name === 'leads')?.members).toEqual([
      { kind: 'role', role: 'staff', span: { file: 1, line: 5, col: 14, endLine: 5, endCol: 19 } },
      { kind: 'person', person: 'lee', span: { file: 1, line: 5, col: 21, endLine: 5, endCol: 33 } },
    ]);
  });

  test('when a calendar lists day ranges and holidays, then hours are per day sorted by start', () => {
    const { ir } = compileFiles(files);

    expect(ir.calendars[0]).toEqual({
      name: 'local',
      timezone: 'UTC',
      hours: [
        { day: 'mon', from: '07:00', to: '08:00' },
        { day: 'mon', from: '09:00', to: '12:00' },
        { day: 'fri', from: '13:00', to: '17:00' },
      ],
      holidays: ['2026-01-01', '2026-12-25'],
      span: { file: 0, line: 6, col: 1, endLine: 6, endCol: 144 },
    });
    expect(ir.calendars[1]?.hours.map((h) => h.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  test('when input fields have defaults, then they become plain values and make the field optional', () => {
    const { ir } = compileFiles(files);
    const input = ir.processes.find((p) => p.name === 'purchase')?.input ?? [];

    expect(input.map((f) => [f.name, f.type, f.optional, f.default])).toEqual([
      ['budget', { kind: 'money', currency: 'EUR' }, false, null],
      ['note', { kind: 'text' }, true, 'none'],
      ['items', { kind: 'list', element: { kind: 'text' } }, true, ['a', 'b']],
      ['limit', { kind: 'money', currency: 'EUR' }, true, { amount: '-5', currency: 'EUR' }],
      ['due', { kind: 'date' }, true, null],
    ]);
    expect(input[0]?.span).toEqual({ file: 0, line: 8, col: 11, endLine: 8, endCol: 28 });
  });

  test('when the entry file is a library, then compile refuses it', () => {
    const program = load({ 'main.charter': library });

    expect(() => compile(program, check(program).model)).toThrow(CompileError);
  });
});
