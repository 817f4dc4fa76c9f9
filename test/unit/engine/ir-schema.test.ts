import {
  hashPolicyIR,
  parseCompiledPolicy,
  parsePolicyIR,
  PolicyIRError,
  type PolicyIR,
} from '../../../engine/ir/index.js';
import { sampleIR } from './ir-sample.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deep copy of the sample as plain JSON, to be mangled by a test. */
const sampleJson = (): { [key: string]: Json } =>
  JSON.parse(JSON.stringify(sampleIR())) as { [key: string]: Json };

/** The object or array at `path` inside `root` (which must exist). */
function at(root: Json, path: readonly (string | number)[]): { [key: string]: Json } {
  let node: Json = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') throw new Error(`no container at ${String(key)}`);
    node = (node as Record<string, Json>)[key as string] as Json;
  }
  if (node === null || typeof node !== 'object')
    throw new Error(`no container at the end of ${path.join('.')}`);
  return node as { [key: string]: Json };
}

/** Every value of `key` anywhere in the tree, to prove the sample covers the whole IR. */
function valuesOf(root: unknown, key: string, found = new Set<unknown>()): Set<unknown> {
  if (Array.isArray(root)) for (const item of root) valuesOf(item, key, found);
  else if (root !== null && typeof root === 'object') {
    for (const [k, v] of Object.entries(root)) {
      if (k === key && typeof v === 'string') found.add(v);
      valuesOf(v, key, found);
    }
  }
  return found;
}

describe('the hand-written sample', () => {
  test('when its expressions are collected, then every op of ExprIR appears', () => {
    const ops = ['literal', 'input', 'stepResult', 'rule', 'not', 'neg', 'list', 'call'];
    const binary = ['and', 'or', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'add', 'sub', 'mul', 'div'];
    expect([...valuesOf(sampleIR(), 'op')].sort()).toEqual([...ops, ...binary].sort());
  });

  test('when its kinds are collected, then every step, approver, check and type kind appears', () => {
    const kinds = valuesOf(sampleIR(), 'kind');
    const expected = [
      ...['approve', 'check', 'reallocate', 'notify', 'wait', 'if', 'parallel', 'end'],
      ...['role', 'group', 'person', 'managerOf', 'expr'],
      ...['all', 'majority', 'atLeast', 'percent'],
      ...['rule', 'external', 'attest', 'for', 'until'],
      ...['text', 'number', 'percentage', 'duration', 'date', 'boolean', 'person', 'money', 'enum', 'list'],
    ];
    for (const kind of expected) expect(kinds).toContain(kind);
    expect(valuesOf(sampleIR(), 'action')).toEqual(
      new Set(['stop', 'continue', 'waiver', 'reject', 'approve', 'fail', 'escalate']),
    );
  });
});

describe('parsePolicyIR', () => {
  test('when the sample goes through JSON and back, then the schema returns it unchanged', () => {
    const ir = sampleIR();
    expect(parsePolicyIR(JSON.parse(JSON.stringify(ir)))).toEqual(ir);
  });

  test.each<[string, (json: { [key: string]: Json }) => void, string]>([
    [
      'a quorum count is a string',
      (j) => (at(j, ['processes', 0, 'steps', 2, 'quorum']).count = '2'),
      'processes[0].steps[2].quorum.count: expected number, received "2"',
    ],
    [
      'a step has an unknown key',
      (j) => (at(j, ['processes', 0, 'steps', 7]).color = 'red'),
      'processes[0].steps[7]: unknown key `color`',
    ],
    [
      'a step kind does not exist',
      (j) => (at(j, ['processes', 0, 'steps', 0]).kind = 'review'),
      'processes[0].steps[0].kind: expected one of "approve", "check", "reallocate"',
    ],
    [
      'a nested expression has an unknown op',
      (j) => (at(j, ['processes', 0, 'steps', 6, 'check', 'condition', 'arg', 'left']).op = 'pow'),
      'processes[0].steps[6].check.condition.arg.left.op: expected one of "literal"',
    ],
    [
      'a step deep in a parallel branch misses a field',
      (j) => delete at(j, ['processes', 0, 'steps', 3, 'branches', 1, 'steps', 2]).veto,
      'processes[0].steps[3].branches[1].steps[2].veto: expected boolean, received nothing',
    ],
    [
      'a step inside an if branch has a wrong enum value',
      (j) => (at(j, ['processes', 0, 'steps', 1, 'otherwise', 0]).kind = 'email'),
      'processes[0].steps[1].otherwise[0].kind: expected one of',
    ],
    [
      'a template part is neither text nor an expression',
      (j) => (at(j, ['processes', 0, 'steps', 0, 'check', 'message', 'parts', 1]).expr = 5),
      'processes[0].steps[0].check.message.parts[1].expr: expected object, received number',
    ],
    ['the IR version is from the future', (j) => (j.irVersion = 2), 'irVersion: expected 1'],
    [
      'the effective date is not a date',
      (j) => (at(j, ['policy']).effective = '1 Dec 2026'),
      'policy.effective: expected a date as YYYY-MM-DD',
    ],
    [
      'a span line is fractional',
      (j) => (at(j, ['rules', 0, 'span']).line = 1.5),
      'rules[0].span.line: expected int',
    ],
    [
      'a duration unit is unknown',
      (j) => (at(j, ['processes', 0, 'steps', 4, 'period']).unit = 'fortnight'),
      'processes[0].steps[4].period.unit: expected one of "minute", "hour", "day", "week"',
    ],
    [
      'a default value is an object that is neither money nor a duration',
      (j) => (at(j, ['processes', 0, 'input', 7]).default = { percent: 10 }),
      'processes[0].input[7].default.amount: expected string or number, received nothing',
    ],
    [
      'a nested default value has no ValueIR type at all',
      (j) => (at(j, ['processes', 0, 'input', 11]).default = [[null]]),
      'processes[0].input[11].default[0][0]: expected string or number or boolean or object or array, received null',
    ],
  ])('when %s, then it is refused naming the path', (_case, mangle, message) => {
    const json = sampleJson();
    mangle(json);
    expect(() => parsePolicyIR(json)).toThrow(PolicyIRError);
    expect(() => parsePolicyIR(json)).toThrow(message);
  });

  test('when the document is not an object at all, then the root is named', () => {
    expect(() => parsePolicyIR('policy')).toThrow(
      'invalid policy IR: (root): expected object, received "policy"',
    );
  });

  test('when several fields are wrong, then the first is named and the rest are counted', () => {
    const json = sampleJson();
    at(json, ['policy']).version = 'three';
    at(json, ['policy']).owner = 7;
    expect(() => parsePolicyIR(json)).toThrow(/policy\.version: expected number.*\(and 1 more\)/);
  });
});

describe('parseCompiledPolicy', () => {
  const compiled = (ir: PolicyIR) => ({ ir, sha256: hashPolicyIR(ir) });

  test('when the hash matches the IR, then the compiled policy is returned', () => {
    const policy = compiled(sampleIR());
    expect(parseCompiledPolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
  });

  test('when the IR was edited after hashing, then it is refused as a mismatch', () => {
    const policy = compiled(sampleIR());
    policy.ir.policy.version = 4;
    expect(() => parseCompiledPolicy(policy)).toThrow(/sha256: the IR hashes to [0-9a-f]{64}, not /);
  });

  test('when the IR inside is malformed, then the path starts at `ir`', () => {
    const policy = { ir: { ...sampleIR(), roles: 'cab' }, sha256: 'f'.repeat(64) };
    expect(() => parseCompiledPolicy(policy)).toThrow('invalid compiled policy: ir.roles: expected array');
  });

  test('when the hash is not 64 hex digits, then it is refused before hashing', () => {
    expect(() => parseCompiledPolicy({ ir: sampleIR(), sha256: 'ABC' })).toThrow(
      'sha256: expected 64 lowercase hex digits',
    );
  });
});
