import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { diagnose, policyText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.file}:${d.span.line}:${d.span.col} ${d.message}`;

/** A policy whose body starts on line 3. */
const policy = policyText;

describe('check: files and declarations', () => {
  test('when a file has no header, then CH3001 says so at its first line', () => {
    const diagnostics = diagnose('role cab = group "cab"\n');

    expect(diagnostics.map(at)).toEqual(['CH3001 main.charter:1:1 this file has no `policy` header']);
  });

  test('when the entry file is a library, then it is checked without asking for a policy header', () => {
    const diagnostics = diagnose('library "lib"\nrule r = 1 > 2 because "x"\n');

    expect(diagnostics).toEqual([]);
  });

  test('when names repeat across kinds, then every duplicate is reported pointing at the first', () => {
    const diagnostics = diagnose(
      policy(
        'role cab = group "a"',
        'rule cab = 1 > 2 because "x"',
        'calendar cab { timezone "UTC" hours mon 09:00-10:00 }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3101 main.charter:4:6 `cab` is already declared',
      'CH3101 main.charter:5:10 `cab` is already declared',
    ]);
    expect(diagnostics.map((d) => d.related?.[0])).toMatchObject([
      { message: 'first declared here as a role', file: 'main.charter', span: { line: 3, col: 6 } },
      { message: 'first declared here as a role', file: 'main.charter', span: { line: 3, col: 6 } },
    ]);
  });

  test('when a local name shadows an imported one, then the local declaration is reported', () => {
    const diagnostics = diagnose(
      policy('use "lib.charter"', 'role cab = group "local"', 'process p { input { } notify cab: "x" }'),
      {
        'lib.charter': 'library "lib"\nrole cab = group "shared"\n',
      },
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3101 main.charter:4:6 `cab` is already declared in `lib.charter`',
    ]);
    expect(diagnostics[0]?.related?.[0]).toMatchObject({ file: 'lib.charter', span: { line: 2, col: 6 } });
  });

  test('when input fields and enumeration values repeat, then each repeat is reported', () => {
    const diagnostics = diagnose(
      policy(
        'process p {',
        '  input {',
        '    a: text',
        '    b: "x" | "y" | "x"',
        '    a: number',
        '    a: date',
        '  }',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3104 main.charter:6:20 `"x"` is already a value of this enumeration',
      'CH3102 main.charter:7:5 input field `a` is already declared',
      'CH3102 main.charter:8:5 input field `a` is already declared',
    ]);
    expect(diagnostics[2]?.related?.[0]?.span).toMatchObject({ line: 5, col: 5 });
  });

  test('when step ids repeat, including an automatic id, then the written id is reported', () => {
    const diagnostics = diagnose(
      policy(
        'role cab = group "cab"',
        'process p {',
        '  input { }',
        '  notify cab: "first unnamed notify is notify_1"',
        '  notify notify_1: cab: "clashes with it"',
        '  approve review { by cab }',
        '  check review: require 1 > 0',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3103 main.charter:7:10 step id `notify_1` is already used in process `p`',
      'CH3103 main.charter:9:9 step id `review` is already used in process `p`',
    ]);
    expect(diagnostics.map((d) => d.related?.[0]?.message)).toEqual([
      'an unnamed step gets this id automatically',
      'first used here',
    ]);
  });
});

describe('check: unknown names', () => {
  const body = [
    'role cab = group "cab"',
    'role it_director = group "it"',
    'calendar office { timezone "UTC" hours mon-fri 09:00-17:00 }',
    'process change {',
    '  input { risk: "low" | "high"  budget: number  requester: person }',
  ];

  test('when a role is misspelt, then CH3201 suggests the declared one', () => {
    const diagnostics = diagnose(policy(...body, '  notify it_directr: "x"', '}'));

    expect(diagnostics.map(at)).toEqual(['CH3201 main.charter:8:10 unknown role `it_directr`']);
    expect(diagnostics[0]?.help).toBe('did you mean `it_director`');
  });

  test('when a name of another kind stands where a role belongs, then CH3201 says what it is', () => {
    const diagnostics = diagnose(policy(...body, '  notify office: "x"', '}'));

    expect(diagnostics.map(at)).toEqual(['CH3201 main.charter:8:10 `office` is a calendar, not a role']);
    expect(diagnostics[0]?.related?.[0]?.span).toMatchObject({ line: 5, col: 10 });
  });

  test('when a calendar is misspelt, then CH3202 suggests it', () => {
    const diagnostics = diagnose(
      policy(...body, '  approve a { by cab within 2 business days on ofice on timeout reject }', '}'),
    );

    expect(diagnostics.map(at)).toEqual(['CH3202 main.charter:8:48 unknown calendar `ofice`']);
    expect(diagnostics[0]?.help).toBe('did you mean `office`');
  });

  test('when a rule is misspelt or is really an input field, then CH3203 helps with either', () => {
    const rule = 'rule high_risk = request.risk == "high" because "risky"';
    const diagnostics = diagnose(
      policy(
        rule,
        ...body,
        '  if high_risk { end rejected }',
        '  if high_rsk or budget > 0 { end rejected }',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3203 main.charter:10:6 unknown rule `high_rsk`',
      'CH3203 main.charter:10:18 unknown rule `budget`',
    ]);
    expect(diagnostics.map((d) => d.help)).toEqual([
      'did you mean `high_risk`',
      'did you mean `request.budget`',
    ]);
  });

  test('when an input field is unknown, then CH3204 names the process and suggests a field', () => {
    const diagnostics = diagnose(policy(...body, '  if request.budgt > 5 { notify cab: "x" }', '}'));

    expect(diagnostics.map(at)).toEqual([
      'CH3204 main.charter:8:14 `budgt` is not an input field of process `change`',
    ]);
    expect(diagnostics[0]?.help).toBe('did you mean `budget`');
  });

  test('when a step or a step result is unknown, then CH3205 and CH3206 suggest the right name', () => {
    const diagnostics = diagnose(
      policy(
        ...body,
        '  approve review { by cab }',
        '  notify cab: "{reviw.outcome} {review.aproved} {review.when}"',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3205 main.charter:9:17 unknown step `reviw`',
      'CH3206 main.charter:9:40 approve step `review` has no result `aproved`',
      'CH3206 main.charter:9:57 approve step `review` has no result `when`',
    ]);
    expect(diagnostics.map((d) => d.help)).toEqual([
      'did you mean `review`',
      'did you mean `approved`',
      'its results are `approved`, `outcome`, `approvers`, `decided_at`',
    ]);
  });

  test('when a step without results is read, then CH3206 says it has none', () => {
    const diagnostics = diagnose(
      policy(...body, '  notify heads_up: cab: "x"', '  notify cab: "{heads_up.sent}"', '}'),
    );

    expect(diagnostics.map(at)).toEqual(['CH3206 main.charter:9:26 notify step `heads_up` has no results']);
  });

  test('when a function is unknown, then CH3207 suggests a built-in', () => {
    const diagnostics = diagnose(policy(...body, '  notify cab: "{uper(request.risk)}"', '}'));

    expect(diagnostics.map(at)).toEqual(['CH3207 main.charter:8:17 unknown function `uper`']);
    expect(diagnostics[0]?.help).toBe('did you mean `upper`');
  });

  test('when a reference has the wrong shape, then CH3212 explains the shapes', () => {
    const diagnostics = diagnose(
      policy(
        ...body,
        '  approve review { by cab }',
        '  notify cab: "{request} {review} {request.risk.name}"',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3212 main.charter:9:17 `request` needs a field',
      'CH3212 main.charter:9:27 step `review` needs a result',
      'CH3212 main.charter:9:36 a reference has at most two parts',
    ]);
    expect(diagnostics[1]?.help).toBe('write `review.<result>`, e.g. `review.approved`');
  });
});

describe('check: roles and rules outside processes', () => {
  test('when roles include each other in a circle, then CH3209 reports the member closing it', () => {
    const diagnostics = diagnose(policy('role a = b', 'role b = group "x", a'));

    expect(diagnostics.map(at)).toEqual([
      'CH3209 main.charter:4:21 role `a` includes itself: `a` → `b` → `a`',
    ]);
  });

  test('when rules refer to each other in a circle, then CH3210 reports the reference closing it', () => {
    const diagnostics = diagnose(
      policy(
        'rule a = b because "x"',
        'rule b = not a because "y"',
        'process p { input { } if a { end rejected } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3210 main.charter:4:14 rule `a` refers to itself: `a` → `b` → `a`',
    ]);
  });

  test('when a role reads request or a rule reads a step, then CH3211 explains why it cannot', () => {
    const diagnostics = diagnose(
      policy(
        'role requester = request.requester',
        'rule signed_off = review.approved because "x"',
        'process p { input { requester: person } approve review { by person "a" } if signed_off { end approved } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3211 main.charter:3:18 role `requester` cannot read `request` or step results',
      'CH3211 main.charter:4:19 a rule cannot read step results',
    ]);
  });
});
