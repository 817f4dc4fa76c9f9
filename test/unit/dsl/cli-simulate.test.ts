// `charter test` and `charter simulate` on real files: policy tests pass and fail with readable
// reasons, coverage names what no test reached, and broken test files are usage errors with the
// field path, not failed tests.
import { charter, useTempFolder } from './cli-support.js';

const POLICY = `policy "Laptop purchase" version 1 effective 2026-12-01
owner "pmo@example.com"

calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}

role it_manager = group "it-managers"

process laptop_purchase {
  input {
    requester: person
    price: money EUR
  }

  if request.price > 2_000 EUR {
    approve manager_ok {
      by it_manager
      not request.requester
      within 2 business days
      on timeout reject "no decision within two business days"
    }
  }
  end approved "laptop ordered"
}
`;

const scenario = (name: string, extra: Record<string, unknown>) => ({
  name,
  process: 'laptop_purchase',
  startedBy: 'rita',
  input: { requester: 'rita', price: '2,500 EUR' },
  ...extra,
});

const testFile = (tests: unknown[], world: unknown = { groups: { 'it-managers': ['mona', 'rita'] } }) =>
  JSON.stringify({ timezone: 'Europe/Berlin', start: '2026-12-07 09:00', world, tests });

const APPROVED = scenario('the manager approves an expensive laptop', {
  script: [
    { at: '+1h', as: 'rita', approve: 'manager_ok', refused: 'excluded' },
    { expect: { tasks: [{ step: 'manager_ok', assignees: ['mona'] }] } },
    { as: 'mona', approve: 'manager_ok' },
  ],
  expect: { status: 'approved', message: 'laptop ordered' },
});

const temp = useTempFolder('charter-sim-');

describe('charter test', () => {
  test('when the tests pass, then it exits 0 and reports each test and the coverage with what is missing', () => {
    temp.write('laptop.charter', POLICY);
    temp.write('laptop.test.json', testFile([APPROVED]));

    const result = charter('test', temp.dir);

    expect(result.code).toBe(0);
    expect(result.out).toContain('✓ the manager approves an expensive laptop');
    expect(result.out).toContain('coverage: steps 3/3 (100%), branches 2/5 (40.0%)');
    expect(result.out).toContain('not covered: line 17: laptop_purchase/if_1: else');
    expect(result.out).toContain('not covered: line 18: laptop_purchase/manager_ok: rejected');
    expect(result.out).toContain('not covered: line 22: laptop_purchase/manager_ok: timeout');
    expect(result.out).toMatch(/1 passed, 0 failed; coverage over 1 policies/);
  });

  test('when coverage is below --min-coverage, then it exits 1 and says which policy', () => {
    temp.write('laptop.charter', POLICY);
    temp.write('laptop.test.json', testFile([APPROVED]));

    const result = charter('test', temp.dir, '--min-coverage', '100');

    expect(result.code).toBe(1);
    expect(result.out).toContain('laptop.charter is 2/5 (40.0%), below 100%');
  });

  test('when every branch is tested, then --min-coverage 100 passes', () => {
    temp.write('laptop.charter', POLICY);
    const cheap = scenario('a cheap laptop needs nobody', {
      input: { requester: 'rita', price: '900 EUR' },
      expect: { status: 'approved', noDecisions: ['manager_ok'] },
    });
    const silent = scenario('a silent manager lets the order lapse', {
      script: [{ at: '+3d' }],
      expect: { status: 'rejected', message: 'no decision within two business days' },
    });
    temp.write('laptop.test.json', testFile([APPROVED, cheap, silent]));

    const result = charter('test', temp.dir, '--min-coverage', '100');

    expect(result.out).toContain('coverage: steps 3/3 (100%), branches 5/5 (100%)');
    expect(result.code).toBe(0);
  });

  test('when an expectation fails, then it exits 1 with the entry, what was expected and the timeline', () => {
    temp.write('laptop.charter', POLICY);
    const wrong = scenario('the requester approves her own laptop', {
      script: [{ at: '+1h', as: 'rita', approve: 'manager_ok' }],
      expect: { status: 'approved' },
    });
    temp.write('laptop.test.json', testFile([wrong]));

    const result = charter('test', temp.dir);

    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'script[0] (rita approves manager_ok): refused (excluded): rita may not decide manager_ok: excluded by segregation of duties',
    );
    expect(result.err).toContain('expect: status is running, expected approved');
    expect(result.err).toContain('Mon 2026-12-07 10:00 ✗ rita approves manager_ok: refused (excluded)');
  });

  test('when a policy has no test file, then it is reported untested and uncovered', () => {
    temp.write('laptop.charter', POLICY);

    const result = charter('test', temp.dir, '--format', 'json');

    const report = JSON.parse(result.out) as { policies: { testFile: string | null; branches: unknown }[] };
    expect(report.policies[0]).toMatchObject({ testFile: null, branches: { covered: 0, total: 5 } });
  });

  test('when a test file is malformed, then it is a usage error naming the field path', () => {
    temp.write('laptop.charter', POLICY);
    temp.write(
      'laptop.test.json',
      testFile([scenario('two verbs', { script: [{ as: 'mona', approve: 'x', reject: 'x' }] })]),
    );

    const result = charter('test', temp.dir);

    expect(result.code).toBe(2);
    expect(result.err).toContain('tests[0].script[0]: one action per entry, not approve and reject');
  });

  test('when the input does not fit the process, then the test fails with the field path', () => {
    temp.write('laptop.charter', POLICY);
    temp.write(
      'laptop.test.json',
      testFile([scenario('bad money', { input: { requester: 'rita', price: '12 euros' } })]),
    );

    const result = charter('test', temp.dir);

    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'input.price: expected an amount of money like "80,000 EUR", got "12 euros"',
    );
  });

  test('when the world includes a shared file, then its groups resolve relative to the test file', () => {
    temp.write('laptop.charter', POLICY);
    temp.write('org.world.json', JSON.stringify({ groups: { 'it-managers': ['mona'] }, people: ['rita'] }));
    temp.write('laptop.test.json', testFile([APPROVED], { include: 'org.world.json' }));

    expect(charter('test', temp.dir).code).toBe(0);
  });
});

describe('charter simulate', () => {
  test('when given input, events and a world, then it prints the timeline in the policy zone and where it stands', () => {
    const policy = temp.write('laptop.charter', POLICY);
    const input = temp.write('in.json', JSON.stringify({ requester: 'rita', price: '2,500 EUR' }));
    const events = temp.write('ev.json', JSON.stringify([{ at: '+2h', as: 'mona', approve: 'manager_ok' }]));
    const world = temp.write('w.json', JSON.stringify({ groups: { 'it-managers': ['mona'] } }));

    const result = charter(
      'simulate',
      policy,
      '--process',
      'laptop_purchase',
      '--input',
      input,
      '--events',
      events,
      '--world',
      world,
      '--start',
      '2026-12-07 09:00',
      '--as',
      'rita',
    );

    expect(result.code).toBe(0);
    expect(result.out).toContain('Mon 2026-12-07 09:00   laptop_purchase started by rita');
    expect(result.out).toContain('Mon 2026-12-07 11:00 → mona approves manager_ok');
    expect(result.out).toContain('status: approved (laptop ordered)');
  });

  test('when nothing happens, then it shows what the instance is blocked on, as JSON too', () => {
    const policy = temp.write('laptop.charter', POLICY);
    const input = temp.write('in.json', JSON.stringify({ requester: 'rita', price: '2,500 EUR' }));
    const world = temp.write('w.json', JSON.stringify({ groups: { 'it-managers': ['mona'] } }));

    const result = charter(
      'simulate',
      policy,
      '--process',
      'laptop_purchase',
      '--input',
      input,
      '--world',
      world,
      '--start',
      '2026-12-07 09:00',
      '--as',
      'rita',
      '--format',
      'json',
    );

    const out = JSON.parse(result.out) as { status: string; blockedOn: { text: string }[] };
    expect(out.status).toBe('running');
    expect(out.blockedOn[0]?.text).toBe(
      '1 more approval from manager_ok (1 of 1 needed; none yet); due Wed 2026-12-09 09:00 Europe/Berlin; then rejected by timeout',
    );
  });

  test('when the process or input is wrong, then it exits 1 with the reason', () => {
    const policy = temp.write('laptop.charter', POLICY);
    const input = temp.write('in.json', JSON.stringify({ requester: 'rita' }));

    expect(charter('simulate', policy, '--process', 'nope', '--input', input).err).toContain(
      'has no process nope (it has laptop_purchase)',
    );
    expect(charter('simulate', policy, '--process', 'laptop_purchase', '--input', input).err).toContain(
      'input.price: required (money EUR)',
    );
    expect(charter('simulate', policy, '--input', input).code).toBe(2);
  });
});
