// "Did you mean" as a fix (issue 18): tools apply the suggestion from data, never by parsing the
// help text back. A fix replaces exactly the diagnostic's span, so every case applies it and
// checks again: the fixed policy must be clean, or the fix is wrong. Where the span is not what
// the suggestion replaces (a type that needs `list of`, a run of stray words) there is help only.
import { checkEntry, memoryHost } from '../../../dsl/index.js';
import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { toJson } from '../../../dsl/diagnostics/render.js';

const POLICY = `policy "Fixes" version 1 effective 2026-01-01
owner "pmo@example.com"

calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}

role cab = group "cab"

rule high_risk = request.risk == "high" because "risky"

process change {
  input {
    risk: "low" | "high"
    budget: money EUR
    tags: list of text
  }
  approve review {
    by cab
    within 2 business days on office
    on timeout reject "no decision"
  }
  if high_risk or request.budget > 50_000 EUR { notify cab: "{upper(request.risk)} {review.outcome}" }
  end approved
}
`;

const diagnose = (text: string): Diagnostic[] =>
  checkEntry('main.charter', memoryHost({ 'main.charter': text })).diagnostics;

/** The policy with its first `from` written as `to`. */
function withSlip(from: string, to: string): string {
  if (!POLICY.includes(from)) throw new Error(`fixture: no \`${from}\` in the policy`);
  return POLICY.replace(from, to);
}

/** The text with the diagnostic's fix written over its span, as an editor's quick fix does. */
function applied(text: string, d: Diagnostic): string {
  if (!d.fix) throw new Error(`${d.code} has no fix`);
  return text.slice(0, d.span.offset) + d.fix.replacement + text.slice(d.span.end);
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0] as Diagnostic;
}

test('the policy the cases start from checks clean', () => {
  expect(diagnose(POLICY)).toEqual([]);
});

describe('a slip with one right spelling', () => {
  test.each([
    ['a misspelt role', 'by cab', 'by cba', 'CH3201', 'cab'],
    ['a misspelt calendar', 'on office', 'on ofice', 'CH3202', 'office'],
    ['a misspelt rule', 'if high_risk', 'if high_rsk', 'CH3203', 'high_risk'],
    ['an input field without `request.`', 'request.budget >', 'budget >', 'CH3203', 'request.budget'],
    ['a misspelt input field', 'request.budget >', 'request.budgt >', 'CH3204', 'budget'],
    ['a misspelt step in a message', '{review.outcome}', '{reviw.outcome}', 'CH3205', 'review'],
    ['a misspelt step result', 'review.outcome', 'review.outcme', 'CH3206', 'outcome'],
    ['a misspelt function', 'upper(', 'uper(', 'CH3207', 'upper'],
    ['a misspelt time zone, quoted', '"Europe/Berlin"', '"Europe/Berln"', 'CH3208', '"Europe/Berlin"'],
    ['a misspelt enumeration value, quoted', '"high" because', '"hgh" because', 'CH4005', '"high"'],
    ['a misspelt unit word', 'business days', 'business dais', 'CH2013', 'days'],
    ['a misspelt day', 'mon-fri', 'mon-fry', 'CH2004', 'fri'],
    ['a currency in lower case after an amount', '50_000 EUR', '50_000 eur', 'CH2005', 'EUR'],
    ['a currency in lower case in a type', 'money EUR', 'money eur', 'CH2022', 'EUR'],
    ['`=` where `==` compares', 'risk == "high"', 'risk = "high"', 'CH2001', '=='],
    ['a misspelt clause keyword', 'within', 'witin', 'CH1012', 'within'],
    ['a misspelt declaration keyword', 'calendar office', 'calender office', 'CH1012', 'calendar'],
  ])(
    'when the policy has %s, then the diagnostic carries the fix and applying it leaves the policy clean',
    (_, from, to, code, replacement) => {
      const text = withSlip(from, to);
      const diagnostic = only(diagnose(text), code);

      expect(diagnostic.fix).toEqual({ replacement });
      expect(diagnostic.help).toContain('did you mean');
      expect(diagnose(applied(text, diagnostic))).toEqual([]);
    },
  );
});

describe('a suggestion that is no fix', () => {
  test('when a type is close to `list`, then the help suggests it but no fix writes a bare `list`', () => {
    const diagnostic = only(diagnose(withSlip('list of text', 'lst')), 'CH2006');

    expect(diagnostic.help).toBe('did you mean `list`');
    expect(diagnostic.fix).toBeUndefined();
  });

  test('when a clause word starts a run of stray words, then `hand over` is help only: the span is the whole run', () => {
    const text = withSlip('on timeout reject "no decision"', 'handover after 2h to cab');
    const diagnostic = only(diagnose(text), 'CH1005');

    expect(text.slice(diagnostic.span.offset, diagnostic.span.end)).toBe('handover after 2h to cab');
    expect(diagnostic.help).toBe('did you mean `hand over` (two words)');
    expect(diagnostic.fix).toBeUndefined();
  });

  test('when nothing is close, then there is neither a suggestion nor a fix', () => {
    const diagnostic = only(diagnose(withSlip('by cab', 'by zzzzzz')), 'CH3201');

    expect(diagnostic.help).toBeUndefined();
    expect(diagnostic.fix).toBeUndefined();
  });
});

describe('the JSON of a diagnostic', () => {
  test('when a diagnostic has a fix, then its JSON carries it; when not, the JSON has no `fix`', () => {
    const fixed = only(diagnose(withSlip('by cab', 'by cba')), 'CH3201');
    const unfixed = only(diagnose(withSlip('list of text', 'lst')), 'CH2006');

    expect(toJson(fixed)).toMatchObject({ code: 'CH3201', fix: { replacement: 'cab' } });
    expect(toJson(unfixed)).not.toHaveProperty('fix');
  });
});
