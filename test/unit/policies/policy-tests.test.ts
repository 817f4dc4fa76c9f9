// The shipped policies' own tests (policies/*.test.json) run here through `charter test`, the
// way an author runs them, and must keep every step and branch of every policy covered: a policy
// edit that adds a path without a test fails `npm test`.
import { run } from '../../../dsl/cli/main.js';

interface Report {
  passed: number;
  failed: number;
  policies: {
    policy: string;
    testFile: string | null;
    tests: { name: string; passed: boolean; failures: string[] }[];
    steps: { covered: number; total: number };
    branches: { covered: number; total: number };
    uncovered: { line: number; point: string }[];
  }[];
}

let out = '';
let err = '';
const code = run(['test', 'policies', '--min-coverage', '100', '--format', 'json'], {
  out: (t) => (out += t),
  err: (t) => (err += t),
});
const report = JSON.parse(out) as Report;

test('every shipped policy has its tests, and they all pass', () => {
  const failures = report.policies.flatMap((p) =>
    p.tests.filter((t) => !t.passed).map((t) => `${p.policy}: ${t.name}\n  ${t.failures.join('\n  ')}`),
  );
  expect(failures).toEqual([]);
  expect(report.policies.map((p) => p.testFile)).toEqual(
    report.policies.map((p) => p.policy.replace(/\.charter$/, '.test.json')),
  );
  expect(report.policies).toHaveLength(8);
  expect(err).toBe('');
});

test.each(['steps', 'branches'] as const)('every policy has full %s coverage', (kind) => {
  for (const policy of report.policies) {
    expect({ policy: policy.policy, uncovered: policy.uncovered }).toEqual({
      policy: policy.policy,
      uncovered: [],
    });
    expect(policy[kind].covered).toBe(policy[kind].total);
  }
  expect(code).toBe(0);
});
