import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { diagnose, processText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`;

const input = [
  'title: text',
  'budget: money EUR',
  'fee: money USD',
  'anymoney: money',
  'risk: "low" | "high"',
  'level: "a" | "b"',
  'requester: person',
  'reviewers: list of person',
  'systems: list of text = []',
  'n: number',
  'share: percentage = 10%',
  'downtime: duration',
  'start: date',
  'opt: date optional',
  'flag: boolean',
].join('  ');

/** A process whose steps start on line 6, each given line one line further down. */
const steps = (...lines: string[]) => diagnose(processText(['role cab = group "cab"'], input, lines));

describe('check: expression types', () => {
  test('when every operator meets the types it accepts, then nothing is reported', () => {
    const diagnostics = steps(
      'if request.start + request.downtime > request.start and request.start - 2d < request.start { end rejected }',
      'if request.budget * 10% > 5 EUR or request.budget / request.budget > 2 or -request.budget < 0 EUR { end rejected }',
      'if request.anymoney > 5 USD and request.requester == "dana" and request.risk in ["low", "high"] { end rejected }',
      'if is_set(request.opt) and days_between(request.start, request.opt) > 2 and contains(request.systems, "x") { end rejected }',
      'if min(request.downtime, 4h) > 1h and max(request.share, 5%) > 1% and request.n * 10% > 1 { end rejected }',
      'if count(request.reviewers) >= 2 and length(lower(request.title)) > 3 and request.risk != request.title { end rejected }',
      'notify request.requester, request.reviewers: "{request.title} costs {request.budget} by {request.start + 1w}"',
      'wait until request.opt',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when operators meet values they do not accept, then CH4001 names the types', () => {
    const diagnostics = steps(
      'if request.title < "b" { end rejected }',
      'if request.flag + 1 > 0 { end rejected }',
      'if request.share > 5 { end rejected }',
      'if -request.title == "x" { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4001 6:6 `<` cannot order `text` values',
      'CH4001 7:6 cannot apply `+` to `boolean` and `number`',
      'CH4001 8:6 cannot compare `request.share` (`percentage`) with `5` (`number`)',
      'CH4001 9:6 cannot negate `text`',
    ]);
    expect(diagnostics[2]?.help).toBe('write a percentage with `%`, e.g. `15%`');
  });

  test('when money of two currencies meets, then CH4002 refuses to mix them', () => {
    const diagnostics = steps(
      'if request.budget > request.fee or request.budget + 5 USD > 0 EUR { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4002 6:6 cannot compare `request.budget` (`money EUR`) with `request.fee` (`money USD`)',
      'CH4002 6:38 cannot apply `+` to `money EUR` and `money USD`',
    ]);
  });

  test('when money meets a plain number, then CH4003 asks for a currency', () => {
    const diagnostics = steps('if request.budget > 50_000 or request.budget - 1 > 0 EUR { end rejected }');

    expect(diagnostics.map(at)).toEqual([
      'CH4003 6:6 cannot compare `request.budget` (`money EUR`) with `50_000` (`number`)',
      'CH4003 6:33 cannot apply `-` to `money EUR` and `number`',
    ]);
    expect(diagnostics[0]?.help).toBe('write the amount with its currency, e.g. `50_000 EUR`');
  });

  test('when dates and durations mix wrongly, then CH4004 points to days_between', () => {
    const diagnostics = steps(
      'if request.start > request.downtime { end rejected }',
      'if request.start - request.start > 2d { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4004 6:6 cannot compare `request.start` (`date`) with `request.downtime` (`duration`)',
      'CH4004 7:6 cannot apply `-` to `date` and `date`',
    ]);
    expect(diagnostics[1]?.help).toBe('use `days_between(a, b)` for the days between two dates');
  });

  test('when an enumeration meets a value it cannot hold, then CH4005 suggests one of its values', () => {
    const diagnostics = steps(
      'if request.risk == "hgh" { end rejected }',
      'if request.risk in ["low", "meduim"] { end rejected }',
      'if request.risk == request.level { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4005 6:22 `request.risk` can never be `"hgh"`',
      'CH4005 7:30 `request.risk` can never be `"meduim"`',
      'CH4005 8:6 cannot compare `request.risk` (`"low" | "high"`) with `request.level` (`"a" | "b"`)',
    ]);
    expect(diagnostics.map((d) => d.help)).toEqual([
      'did you mean `"high"`',
      'its values are `"low"`, `"high"`',
      'they share no value',
    ]);
  });

  test('when `in` has no list or a list of another type, then CH4006 is reported', () => {
    const diagnostics = steps(
      'if request.n in request.systems { end rejected }',
      'if request.n in request.title { end rejected }',
      'if request.risk in [1, 2] { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4006 6:6 `request.n` is `number`, but the list holds `text`',
      'CH4006 7:19 `in` needs a list on the right, but `request.title` is `text`',
      'CH4006 8:6 `request.risk` is `"low" | "high"`, but the list holds `number`',
    ]);
  });

  test('when a condition is not true or false, then CH4007 says which condition', () => {
    const diagnostics = steps(
      'if request.title { end rejected }',
      'if request.flag and request.n { end rejected }',
      'check c: require request.budget',
      'if not request.n { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4007 6:6 the condition of `if` must be true or false, but `request.title` is `text`',
      'CH4007 7:23 each side of `and` must be true or false, but `request.n` is `number`',
      'CH4007 8:20 the condition of `c` must be true or false, but `request.budget` is `money EUR`',
      'CH4007 9:10 the value after `not` must be true or false, but `request.n` is `number`',
    ]);
  });

  test('when a function gets the wrong number or types of arguments, then CH4008 and CH4009 are reported', () => {
    const diagnostics = steps(
      'if length(request.title, 2) > 1 or count() > 0 { end rejected }',
      'if count(request.title) > 1 or contains(request.systems, 5) { end rejected }',
      'if min(request.budget, request.fee) > 1 EUR or days_between(request.start, 2d) > 1 { end rejected }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4008 6:6 `length` takes 1 argument, but 2 were given',
      'CH4008 6:38 `count` takes 1 argument, but 0 were given',
      'CH4009 7:12 `count` needs a list, but `request.title` is `text`',
      'CH4009 7:60 `5` is `number`, but the list holds `text`',
      'CH4009 8:26 `min` needs two values of one type, not `money EUR` and `money USD`',
      'CH4009 8:78 `days_between` needs a date, but `2d` is `duration`',
    ]);
  });

  test('when a message prints true or false, then CH4010 suggests an if', () => {
    const diagnostics = steps('notify cab: "flag is {request.flag}"', 'end rejected "{request.n > 2}"');

    expect(diagnostics.map(at)).toEqual([
      'CH4010 6:25 `request.flag` is `boolean`, which cannot be printed in a message',
      'CH4010 7:18 `request.n > 2` is `boolean`, which cannot be printed in a message',
    ]);
    expect(diagnostics[0]?.help).toBe('choose the wording with an `if` instead of printing true or false');
  });

  test('when `wait until` gets no date, then CH4011 suggests `wait <duration>` for durations', () => {
    const diagnostics = steps('wait until request.downtime', 'wait until request.title');

    expect(diagnostics.map(at)).toEqual([
      'CH4011 6:14 `wait until` needs a date, but `request.downtime` is `duration`',
      'CH4011 7:14 `wait until` needs a date, but `request.title` is `text`',
    ]);
    expect(diagnostics[0]?.help).toBe('to wait for a length of time, write `wait <duration>`');
  });

  test('when approvers are not people, then CH4012 is reported for fields and `manager of`', () => {
    const diagnostics = steps('approve a { by request.title, manager of request.reviewers }');

    expect(diagnostics.map(at)).toEqual([
      'CH4012 6:18 an approver needs `person` or `list of person`, but `request.title` is `text`',
      'CH4012 6:44 `manager of` needs `person`, but `request.reviewers` is `list of person`',
    ]);
  });

  test('when list items have different types, then CH4016 points at the first odd item', () => {
    const diagnostics = steps('if request.title in ["a", 2, "b"] { end rejected }');

    expect(diagnostics.map(at)).toEqual(['CH4016 6:29 list item `2` is `number`, not `text`']);
    expect(diagnostics[0]?.related?.[0]?.span).toMatchObject({ line: 6, col: 24 });
  });

  test('when is_set gets a required field or no field, then CH4017 is reported', () => {
    const diagnostics = steps('if is_set(request.title) or is_set("x") { end rejected }');

    expect(diagnostics.map(at)).toEqual([
      'CH4017 6:13 `title` is not optional, so it is always set',
      'CH4017 6:38 `is_set` needs an optional input field, not `"x"`',
    ]);
  });

  test('when a reallocation names its project with a number, then CH4018 is reported', () => {
    const diagnostics = steps(
      'reallocate 8 hours of skill "dba" from pool "ops" to project request.n for 1w',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4018 6:64 the project must be text, but `request.n` is `number`',
    ]);
  });
});

describe('check: input defaults', () => {
  const withInput = (...fields: string[]) =>
    diagnose(
      [
        'policy "p" version 1 effective 2026-01-01',
        'owner "x@y.z"',
        'process p {',
        '  input {',
        ...fields.map((f) => `    ${f}`),
        '  }',
        '}',
      ].join('\n'),
    );

  test('when defaults are literals of the field type, then nothing is reported', () => {
    const diagnostics = withInput(
      'a: number = -5',
      'b: money EUR = 10 EUR',
      'c: money = 3 USD',
      'd: "x" | "y" = "y"',
      'e: list of "x" | "y" = ["x"]',
      'f: duration = 2 weeks',
      'g: list of number = []',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when a default has another type or is not a literal, then CH4013, CH4005 or CH4014 is reported', () => {
    const diagnostics = withInput(
      'a: number = "5"',
      'b: money EUR = 10 USD',
      'c: "x" | "y" = "z"',
      'd: number = 1 + 1',
      'e: text = request.a',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4013 5:17 the default `"5"` is `text`, but `a` is `number`',
      'CH4013 6:20 the default `10 USD` is `money USD`, but `b` is `money EUR`',
      'CH4005 7:20 `"z"` is not a value of `"x" | "y"`',
      'CH4014 8:17 the default of `d` must be a literal value',
      'CH4014 9:15 the default of `e` must be a literal value',
    ]);
  });
});
