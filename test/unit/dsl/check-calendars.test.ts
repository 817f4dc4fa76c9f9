import { check } from '../../../dsl/check/index.js';
import { type Diagnostic, sortDiagnostics } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type SourceHost } from '../../../dsl/program.js';

function checked(main: string) {
  const host: SourceHost = {
    readFile: (path) => (path === 'main.charter' ? main : undefined),
    resolve: (_f, s) => s,
  };
  const { program, diagnostics } = loadProgram('main.charter', host);
  if (!program || diagnostics.length > 0)
    throw new Error(`fixture: ${diagnostics.map((d) => d.message).join('; ')}`);
  return check(program);
}

const diagnose = (main: string): Diagnostic[] => sortDiagnostics(checked(main).diagnostics);
const at = (d: Diagnostic) => `${d.code} ${d.severity} ${d.span.line}:${d.span.col} ${d.message}`;
const policy = (...lines: string[]) =>
  [
    'policy "p" version 1 effective 2026-01-01',
    'owner "pmo@example.com"',
    'role cab = group "cab"',
    ...lines,
  ].join('\n');

describe('check: calendar declarations', () => {
  test('when a calendar is well formed, including zone aliases and 24:00, then nothing is reported', () => {
    const diagnostics = diagnose(
      policy(
        'calendar india { timezone "Asia/Kolkata" hours mon-fri 09:00-13:00 hours mon-fri 13:00-17:30 }',
        'calendar night { timezone "UTC" hours sat, sun 18:00-24:00 holidays 2026-12-25 }',
      ),
    );

    expect(diagnostics).toEqual([]);
  });

  test('when the time zone is misspelt, then CH3208 suggests the IANA name', () => {
    const diagnostics = diagnose(policy('calendar office { timezone "Europe/Berln" hours mon 09:00-17:00 }'));

    expect(diagnostics.map(at)).toEqual(['CH3208 error 4:28 unknown time zone `Europe/Berln`']);
    expect(diagnostics[0]?.help).toBe('did you mean `Europe/Berlin`');
  });

  test('when a zone is an abbreviation rather than an IANA name, then CH3208 refuses it', () => {
    const diagnostics = diagnose(policy('calendar office { timezone "CET" hours mon 09:00-17:00 }'));

    expect(diagnostics.map(at)).toEqual(['CH3208 error 4:28 unknown time zone `CET`']);
  });

  test('when a calendar has no hours and no zone, then CH5010 and CH5011 are reported', () => {
    const diagnostics = diagnose(policy('calendar empty { holidays 2026-12-25 }'));

    expect(diagnostics.map(at)).toEqual([
      'CH5011 error 4:10 calendar `empty` has no time zone',
      'CH5010 error 4:10 calendar `empty` has no working hours',
    ]);
  });

  test('when hours are inverted, overlap or run backwards over days, then CH5012, CH5013 and CH5014 are reported', () => {
    const diagnostics = diagnose(
      policy(
        'calendar office {',
        '  timezone "UTC"',
        '  hours mon-fri 09:00-17:00',
        '  hours fri 16:00-18:00',
        '  hours sat 12:00-10:00',
        '  hours sun-mon 09:00-10:00',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5013 error 7:3 these hours overlap other hours on `fri`',
      'CH5012 error 8:13 working hours `12:00-10:00` end before they start',
      'CH5014 error 9:9 day range `sun-mon` runs backwards',
    ]);
    expect(diagnostics[0]?.related?.[0]?.span).toMatchObject({ line: 6, col: 3 });
  });
});

describe('check: business durations', () => {
  const office = 'calendar office { timezone "UTC" hours mon-fri 09:00-17:00 }';
  const plant = 'calendar plant { timezone "UTC" hours mon-sat 06:00-22:00 }';

  test('when the policy has exactly one calendar, then business durations count on it', () => {
    const { diagnostics, model } = checked(
      policy(
        office,
        'process p { input { } wait 2 business days approve a { by cab within 1 business day on timeout reject } }',
      ),
    );

    expect(diagnostics).toEqual([]);
    expect([...model.durationCalendars.values()]).toEqual(['office', 'office']);
    expect([...model.used.calendars]).toEqual(['office']);
  });

  test('when there are several calendars, then an approval names one and its other durations use it', () => {
    const { diagnostics, model } = checked(
      policy(
        office,
        plant,
        'process p { input { } approve a { by cab within 2 business days on plant remind every 4 business hours on timeout reject } }',
      ),
    );

    expect(diagnostics).toEqual([]);
    expect([...model.durationCalendars.values()]).toEqual(['plant', 'plant']);
  });

  test('when no calendar is in reach, then CH5008 says how many the policy declares', () => {
    const diagnostics = diagnose(
      policy(
        office,
        plant,
        'process p {',
        '  input { }',
        '  approve a { by cab within 2 business days on timeout reject }',
        '  wait 1 business day',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5008 error 8:29 `2 business days` needs a calendar, but the policy declares 2 (`office` and `plant`)',
      'CH5008 error 9:8 `1 business day` needs a calendar, but the policy declares 2 (`office` and `plant`)',
    ]);
    expect(diagnostics.map((d) => d.help)).toEqual([
      'name one with `within ... on <calendar>`',
      "outside an approval business time counts on the policy's only calendar: declare exactly one, or use a plain duration",
    ]);
  });

  test('when a calendar is named for a plain duration, then CH5009 warns that it changes nothing', () => {
    const diagnostics = diagnose(
      policy(office, 'process p { input { } approve a { by cab within 48h on office on timeout reject } }'),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5009 warning 5:56 calendar `office` does not change a plain duration',
    ]);
  });
});
