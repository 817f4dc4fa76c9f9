// Money written before amounts were exact: published policies whose IR holds JSON numbers (kept in
// MongoDB with the hash taken over those numbers) and machine states in Temporal's history whose
// input holds them. Both must keep verifying, running and reading exactly as before.
import { createHash } from 'node:crypto';
import type { CompiledPolicy, ExprIR, PolicyIR, ValueIR } from '../../../engine/ir/types.js';
import { canonicalJson, hashPolicyIR, parseCompiledPolicy, PolicyIRError } from '../../../engine/ir/index.js';
import { compileRules, explain, type Facts } from '../../../engine/expr/index.js';
import { explain as decisionsOf, type MachineState } from '../../../engine/machine/index.js';
import { CAB, Driver, processOf } from './machine-support.js';

/** Every money literal and default as the compiler wrote it before: a JSON number. */
function withNumberAmounts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNumberAmounts);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, withNumberAmounts(v)] as const);
  const record = Object.fromEntries(entries) as Record<string, unknown>;
  if (typeof record['amount'] === 'string' && typeof record['currency'] === 'string')
    record['amount'] = Number(record['amount']);
  return record;
}

const INPUT = '    requester: person\n    budget: money EUR\n    cap: money EUR = 50_000.5 EUR';
const STEPS = `  approve review {
    by cab
  }
  if request.budget + 0.2 EUR > request.cap * 50% {
    end rejected "{request.budget} is over half of {request.cap}"
  }
  end approved "{request.budget} fits"`;

const current = processOf(INPUT, STEPS);

/** The policy as the old compiler stored it: number amounts, and the hash of those bytes. */
function storedBeforeExactMoney(): { text: string; sha256: string } {
  const text = canonicalJson(withNumberAmounts(current.ir));
  return { text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

const moneyLiterals = (ir: PolicyIR): unknown[] =>
  JSON.stringify(ir).match(/\{"amount":[^,]+,"currency":"EUR"\}/g) ?? [];

describe('IR stored before amounts were exact', () => {
  test('when it is read back, then its stored hash verifies and its numbers stay numbers', () => {
    const { text, sha256 } = storedBeforeExactMoney();
    expect(text).toContain('"default":{"amount":50000.5,"currency":"EUR"}');
    const parsed = parseCompiledPolicy({ ir: JSON.parse(text) as unknown, sha256 });

    expect(parsed.sha256).toBe(sha256);
    // The store writes canonicalJson(ir) when publishing: the same bytes, so the same hash.
    expect(canonicalJson(parsed.ir)).toBe(text);
    expect(hashPolicyIR(parsed.ir)).toBe(sha256);
    expect(moneyLiterals(parsed.ir)).toEqual([
      '{"amount":50000.5,"currency":"EUR"}',
      '{"amount":0.2,"currency":"EUR"}',
    ]);
  });

  test('when it was edited after approval, then the hash still catches it', () => {
    const { text, sha256 } = storedBeforeExactMoney();
    const edited = text.replace('"amount":50000.5', '"amount":50000.6');
    expect(() => parseCompiledPolicy({ ir: JSON.parse(edited) as unknown, sha256 })).toThrow(PolicyIRError);
  });

  test('when an amount is text but not canonical, then the IR is refused with its path', () => {
    const ir = JSON.parse(canonicalJson(current.ir)) as PolicyIR;
    const field = ir.processes[0]?.input.find((f) => f.name === 'cap');
    if (field) field.default = { amount: '50000.50', currency: 'EUR' };
    expect(() => parseCompiledPolicy({ ir, sha256: hashPolicyIR(ir) })).toThrow(
      'processes[0].input[2].default.amount: expected a decimal amount in canonical form, like "1234.5"',
    );
  });

  test('when its rules run, then they decide and explain as the exact IR does, on old and new input', () => {
    const { text, sha256 } = storedBeforeExactMoney();
    const legacy = parseCompiledPolicy({ ir: JSON.parse(text) as unknown, sha256 });
    const condition = (policy: CompiledPolicy): ExprIR => {
      const step = policy.ir.processes[0]?.steps.find((s) => s.kind === 'if');
      if (step?.kind !== 'if' || !step.branches[0]) throw new Error('no if step');
      return step.branches[0].condition;
    };
    const rulesOf = (policy: CompiledPolicy) =>
      compileRules({
        rules: [{ name: 'over', condition: condition(policy), because: null, span: condition(policy).span }],
        addDuration: (date) => date,
      });
    const cap = { amount: 50_000.5, currency: 'EUR' };
    for (const budget of [24_999.5, 25_000.05, '25000.05', '25000.06']) {
      const f: Facts = { input: { budget: { amount: budget, currency: 'EUR' }, cap }, steps: {} };
      const [old, exact] = [rulesOf(legacy), rulesOf(current)].map((rules) => rules.evaluate('over', f));
      expect(old).toEqual(exact);
    }
    const f: Facts = { input: { budget: { amount: 25_000.06, currency: 'EUR' }, cap }, steps: {} };
    expect(explain(rulesOf(legacy).evaluate('over', f))).toBe(
      'over held because request.budget + 0.20 EUR = 25,000.26 EUR > request.cap * 50% = 25,000.25 EUR',
    );
  });
});

describe('machine states from before amounts were exact', () => {
  /** A state as Temporal's history keeps it: JSON, read back in a later workflow task. */
  const throughHistory = (d: Driver): void => {
    d.state = JSON.parse(JSON.stringify(d.state)) as MachineState;
  };

  const { text, sha256 } = storedBeforeExactMoney();
  const legacy = parseCompiledPolicy({ ir: JSON.parse(text) as unknown, sha256 });

  /** An instance pinned to `policy`, through an approval, its state through history twice. */
  function run(policy: CompiledPolicy, budget: ValueIR, cap?: ValueIR): Driver {
    const input: Record<string, ValueIR> = { requester: 'rita', budget };
    if (cap !== undefined) input['cap'] = cap;
    const d = new Driver(policy, input);
    throughHistory(d);
    d.resolveAll(CAB);
    throughHistory(d);
    d.decide('alice', 'approve');
    return d;
  }

  test.each<[string, ValueIR, ValueIR | undefined, string, string]>([
    [
      'over half',
      { amount: 25_000.06, currency: 'EUR' },
      undefined,
      'rejected',
      '25,000.06 EUR is over half of 50,000.50 EUR',
    ],
    [
      'within',
      { amount: 25_000, currency: 'EUR' },
      { amount: 60_000, currency: 'EUR' },
      'approved',
      '25,000 EUR fits',
    ],
  ])(
    'when a state holding a number amount (%s) goes on after a decision, then it ends as the exact one does',
    (...[, budget, cap, status, message]) => {
      const old = run(legacy, budget, cap);
      const exact = run(
        current,
        { ...(budget as object), amount: String((budget as { amount: number }).amount) } as ValueIR,
        cap === undefined
          ? undefined
          : ({ ...(cap as object), amount: String((cap as { amount: number }).amount) } as ValueIR),
      );
      expect(old.state.status).toBe(status);
      expect(old.state.message).toBe(message);
      expect(old.state.message).toBe(exact.state.message);
      expect(decisionsOf(old.state).map((x) => x.text)).toEqual(decisionsOf(exact.state).map((x) => x.text));
    },
  );
});
