import { type Diagnostic, sortDiagnostics } from '../../../dsl/diagnostics/diagnostic.js';
import { checked, diagnose, policyText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.severity} ${d.span.line}:${d.span.col} ${d.message}`;
const policy = (...lines: string[]) => policyText('role cab = group "cab"', ...lines);

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
      'add `on <calendar>` right after the duration, naming `office` or `plant`, e.g. `2 business days on office`',
      'add `on <calendar>` right after the duration, naming `office` or `plant`, e.g. `1 business day on office`',
    ]);
  });

  test('when the policy declares no calendar, then CH5008 says to declare one and add `on <calendar>`', () => {
    const diagnostics = diagnose(policy('process p { input { } wait 1 business day }'));

    expect(diagnostics.map(at)).toEqual([
      'CH5008 error 4:28 `1 business day` needs a calendar, but the policy declares no calendar',
    ]);
    expect(diagnostics[0]?.help).toBe(
      'declare a calendar and add `on <calendar>` right after the duration, or use a plain duration',
    );
  });

  test('when a business duration in an expression has no calendar in reach, then CH5008 does not suggest `on`', () => {
    const diagnostics = diagnose(
      policy(
        office,
        plant,
        'process p { input { downtime: duration } check c: require request.downtime <= 2 business days }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5008 error 6:79 `2 business days` needs a calendar, but the policy declares 2 (`office` and `plant`)',
    ]);
    expect(diagnostics[0]?.help).toBe(
      "inside an expression business time counts on the policy's only calendar: declare exactly one, or use a plain duration",
    );
  });

  test('when a calendar is named for a plain duration, then CH5009 warns that it changes nothing', () => {
    const diagnostics = diagnose(
      policy(office, 'process p { input { } approve a { by cab within 48h on office on timeout reject } }'),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5009 warning 5:56 calendar `office` does not change a plain duration',
    ]);
    expect(diagnostics[0]?.help).toBe(
      'write business time, e.g. `2 business days on office`, to count working hours only',
    );
  });

  test('when plain durations outside approvals name a calendar, then each gets CH5009 on the calendar name', () => {
    const diagnostics = diagnose(
      policy(
        office,
        'process p {',
        '  input { }',
        '  wait 2 days on office',
        '  check c: require true on fail require waiver by cab within 48h on office valid for 30 days on office',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5009 warning 7:18 calendar `office` does not change a plain duration',
      'CH5009 warning 8:69 calendar `office` does not change a plain duration',
      'CH5009 warning 8:97 calendar `office` does not change a plain duration',
    ]);
  });
});

describe('check: the calendar of a clause duration', () => {
  const berlin = 'calendar berlin { timezone "Europe/Berlin" hours mon-fri 09:00-17:00 }';
  const plant = 'calendar plant { timezone "UTC" hours mon-sat 06:00-22:00 }';
  const austin = 'calendar austin { timezone "America/Chicago" hours mon-fri 08:00-16:00 }';

  /** Each business duration of the checked policy as `<source text> -> <calendar>`. */
  function calendarsOf(main: string): { diagnostics: Diagnostic[]; calendars: string[] } {
    const { diagnostics, model } = checked(main);
    const calendars = [...model.durationCalendars].map(
      ([d, calendar]) => `${main.slice(d.span.offset, d.span.end)} -> ${calendar ?? 'none'}`,
    );
    return { diagnostics: sortDiagnostics(diagnostics), calendars };
  }

  test('when every clause duration names its calendar, then each counts on the one it names', () => {
    const { diagnostics, calendars } = calendarsOf(
      policy(
        berlin,
        plant,
        austin,
        'process p {',
        '  input { project: text }',
        '  check lic: attest by cab "ok" within 3 business days on austin',
        '  check scan: external "scanner" timeout 4 business hours on plant retry 1',
        '    on fail require waiver by cab within 1 business day on berlin valid for 10 business days on plant',
        '  wait 2 business days on berlin',
        '  reallocate 8 hours of skill "dba" from pool "ops" to project request.project for 5 business days on austin',
        '}',
      ),
    );

    expect(diagnostics).toEqual([]);
    expect(calendars).toEqual([
      '3 business days -> austin',
      '4 business hours -> plant',
      '1 business day -> berlin',
      '10 business days -> plant',
      '2 business days -> berlin',
      '5 business days -> austin',
    ]);
  });

  test('when reminders and escalations name no calendar, then they take the one of their approval deadline', () => {
    const { diagnostics, calendars } = calendarsOf(
      policy(
        berlin,
        plant,
        'process p {',
        '  input { }',
        '  approve a {',
        '    by cab',
        '    within 2 business days on berlin',
        '    remind every 4 business hours',
        '    escalate after 1 business day to group "leads"',
        '    escalate after 3 business days on plant to group "cio"',
        '    on timeout reject',
        '  }',
        '}',
      ),
    );

    expect(diagnostics).toEqual([]);
    expect(calendars).toEqual([
      '2 business days -> berlin',
      '4 business hours -> berlin',
      '1 business day -> berlin',
      '3 business days -> plant',
    ]);
  });

  test('when the deadline is plain time, then reminders inherit nothing and need their own calendar', () => {
    const diagnostics = diagnose(
      policy(
        berlin,
        plant,
        'process p { input { } approve a { by cab within 48h on berlin remind every 4 business hours on timeout reject } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5009 warning 6:56 calendar `berlin` does not change a plain duration',
      'CH5008 error 6:76 `4 business hours` needs a calendar, but the policy declares 2 (`berlin` and `plant`)',
    ]);
  });

  test('when a waiver outside any approval names no calendar, then it inherits none and CH5008 asks for `on`', () => {
    const diagnostics = diagnose(
      policy(
        berlin,
        plant,
        'process p { input { } check c: require true on fail require waiver by cab within 1 business day }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5008 error 6:82 `1 business day` needs a calendar, but the policy declares 2 (`berlin` and `plant`)',
    ]);
    expect(diagnostics[0]?.help).toBe(
      'add `on <calendar>` right after the duration, naming `berlin` or `plant`, e.g. `1 business day on berlin`',
    );
  });

  test('when a calendar name is misspelt, then CH3202 suggests the closest and nothing else is reported', () => {
    const diagnostics = diagnose(
      policy(
        berlin,
        plant,
        'process p {',
        '  input { }',
        '  wait 2 business days on berln',
        '  approve a { by cab within 1 business day on plnt remind every 2 business hours on timeout reject }',
        '}',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3202 error 8:27 unknown calendar `berln`',
      'CH3202 error 9:47 unknown calendar `plnt`',
    ]);
    expect(diagnostics.map((d) => d.help)).toEqual(['did you mean `berlin`', 'did you mean `plant`']);
  });

  test('when only the libraries declare calendars, then a duration names one of theirs and marks it used', () => {
    const library = ['library "org"', berlin, plant].join('\n');
    const main = [
      'policy "p" version 1 effective 2026-01-01',
      'use "org.charter"',
      'role cab = group "cab"',
      'process p { input { } wait 1 business day on plant }',
    ].join('\n');
    const { diagnostics, model } = checked(main, { 'org.charter': library });

    expect(diagnostics).toEqual([]);
    expect([...model.durationCalendars.values()]).toEqual(['plant']);
    expect([...model.used.calendars]).toEqual(['plant']);
  });
});
