// Misspelt keywords (CH1012) and follow-on errors: one mistake, one diagnostic, wherever the
// keyword stands (a duration, a clause, a step, a check, a type, a calendar line, the header, a
// declaration), and the declaration read as the author meant it, so the checker finds what is
// really wrong next. Names that merely look like keywords stay names.
import { checkEntry, memoryHost } from '../../../dsl/index.js';
import { parse } from '../../../dsl/parse/index.js';

interface Seen {
  code: string;
  text: string;
  help?: string;
}

function diagnose(text: string): Seen[] {
  return parse(text, 'typo.charter').diagnostics.map((d) => ({
    code: d.code,
    text: text.slice(d.span.offset, d.span.end),
    ...(d.help === undefined ? {} : { help: d.help }),
  }));
}

const POSITION_KEYS = new Set(['offset', 'end', 'line', 'col', 'endLine', 'endCol']);

/** The AST without positions, which shift when a respelt word is longer or shorter. */
function shape(text: string): unknown {
  const { ast } = parse(text, 'typo.charter');
  return JSON.parse(
    JSON.stringify(ast, (key, value: unknown) => (POSITION_KEYS.has(key) ? undefined : value)),
  );
}

const POLICY = `policy "Typos" version 1 effective 2026-01-01
owner "pmo@example.com"

calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}

role cab = group "cab"

process change {
  input {
    requester: person
    title: text
  }
  approve review {
    by cab
    not request.requester
    at least 1
    within 2 business days on office
    allow delegation
    on timeout reject "no decision"
  }
  check baseline:
    external "baseline" timeout 1h retry 1
    on fail require waiver by cab within 5 business days on office valid for 30 days
  wait 2 days
  notify cab: "done"
  end approved
}
`;

/** The policy with the `nth` (1-based) occurrence of `word` misspelt as `typo`. */
function withTypo(word: string, typo: string, nth = 1): string {
  let seen = 0;
  return POLICY.replace(new RegExp(`\\b${word}\\b`, 'g'), (match) => (++seen === nth ? typo : match));
}

describe('a misspelt keyword', () => {
  test('when the policy is spelt right, then it parses clean (the cases below start from it)', () => {
    expect(diagnose(POLICY)).toEqual([]);
  });

  test.each([
    ['business', 'buisness', 1, 'a business duration in a clause'],
    ['business', 'busines', 2, 'a business duration in a waiver'],
    ['timeout', 'timout', 2, 'the second word of `on timeout`'],
    ['fail', 'fial', 1, 'the second word of `on fail`'],
    ['least', 'lest', 1, 'the second word of `at least`'],
    ['at', 'att', 1, 'the first word of `at least`'],
    ['within', 'witin', 1, 'a clause word'],
    ['delegation', 'delegaton', 1, 'the word after `allow`'],
    ['approve', 'aprove', 1, 'a step kind'],
    ['check', 'chek', 1, 'a step kind before `:`'],
    ['wait', 'wiat', 1, 'a step kind before a duration'],
    ['notify', 'notfy', 1, 'a step kind before recipients'],
    ['external', 'extrenal', 1, 'a check kind'],
    ['retry', 'retyr', 1, 'an optional word after a check'],
    ['waiver', 'waver', 1, 'the second word of `require waiver`'],
    ['valid', 'vaild', 1, 'the first word of `valid for`'],
    ['approved', 'aproved', 1, 'an outcome'],
    ['person', 'persn', 1, 'a type'],
    ['timezone', 'timzone', 1, 'a calendar line'],
    ['version', 'verison', 1, 'a header word'],
    ['process', 'proces', 1, 'a declaration'],
    ['calendar', 'calender', 1, 'a declaration that later ones use'],
  ])(
    'when `%s` is written `%s` (%i), in %s, then one CH1012 suggests it and the rest reads as meant',
    (word, typo, nth) => {
      const text = withTypo(word, typo, nth);

      expect(diagnose(text)).toEqual([{ code: 'CH1012', text: typo, help: `did you mean \`${word}\`` }]);
      expect(shape(text)).toEqual(shape(POLICY));
    },
  );

  test('when two keywords in one declaration are misspelt, then each gets its own CH1012', () => {
    const text = withTypo('wait', 'wiat').replace('on timeout', 'on timout');

    expect(diagnose(text).map((d) => [d.code, d.text])).toEqual([
      ['CH1012', 'timout'],
      ['CH1012', 'wiat'],
    ]);
    expect(shape(text)).toEqual(shape(POLICY));
  });

  test('when `on timeout` is misspelt, then the checker does not also warn that the deadline has no `on timeout`', () => {
    const host = memoryHost({ 'typo.charter': withTypo('timeout', 'timout', 2) });

    expect(checkEntry('typo.charter', host).diagnostics.map((d) => d.code)).toEqual(['CH1012']);
  });

  test('when an input type is misspelt, then the field is kept, so its uses are not reported as unknown', () => {
    const host = memoryHost({ 'typo.charter': withTypo('person', 'persn') });

    expect(checkEntry('typo.charter', host).diagnostics.map((d) => d.code)).toEqual(['CH1012']);
  });
});

describe('what is not a misspelt keyword', () => {
  test('when a name near an error only looks like a keyword, then it stays a name', () => {
    const text = POLICY.replace('role cab', 'role rejct').replace('    by cab\n', '    by rejct\n    soon\n');

    expect(diagnose(text)).toEqual([expect.objectContaining({ code: 'CH1005', text: 'soon' })]);
  });

  test('when respelling a word only moves the error one word on, then the word is left as it was', () => {
    const text = POLICY.replace('    allow delegation\n', '    hands off\n');

    expect(diagnose(text)).toEqual([{ code: 'CH1005', text: 'hands off', help: 'did you mean `hand over`' }]);
  });

  test('when a word is far from every keyword, then the parser reports it as before', () => {
    expect(diagnose(POLICY.replace('at least 1', 'at most 1'))).toEqual([
      expect.objectContaining({ code: 'CH1003', text: 'most' }),
    ]);
  });
});

describe('follow-on errors', () => {
  test('when a duration has an unknown unit, then the words after it are not reported again', () => {
    const text = POLICY.replace('within 2 business days on office', 'within 2 workin days on office');

    expect(diagnose(text)).toEqual([expect.objectContaining({ code: 'CH2013', text: 'workin' })]);
  });

  test('when a clause goes wrong, then recovery stays inside the approval and the steps after it are read', () => {
    const text = POLICY.replace('at least 1', 'at most 1');

    expect(diagnose(text)).toHaveLength(1);
    const process = parse(text, 'typo.charter').ast.declarations.find((d) => d.kind === 'process');
    expect(process?.kind === 'process' && process.steps.map((s) => s.kind)).toEqual([
      'approve',
      'check',
      'wait',
      'notify',
      'end',
    ]);
  });
});
