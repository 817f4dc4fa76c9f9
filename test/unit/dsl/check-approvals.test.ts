import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { diagnose, processText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.severity} ${d.span.line}:${d.span.col} ${d.message}`;

/** A process whose steps start on line 8. */
const steps = (...lines: string[]) =>
  diagnose(
    processText(
      ['role cab = group "cab"', 'role dana = person "dana"', 'role pair = dana, person "eve"'],
      'requester: person  sponsor: person  reviewers: list of person',
      lines,
    ),
  );

describe('check: quorums', () => {
  test('when quorums can be met, then nothing is reported', () => {
    const diagnostics = steps(
      'approve a { by cab at least 2 of 3 }',
      'approve b { by pair at least 2 }',
      'approve c { by request.reviewers at least 3 }',
      'approve d { by cab at least 100% }',
      'approve e { by request.requester, request.sponsor all }',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when a quorum needs nobody or more than its pool, then CH5003 is reported', () => {
    const diagnostics = steps(
      'approve a { by cab at least 0 }',
      'approve b { by cab at least 3 of 2 }',
      'approve c { by cab at least 0% }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5003 error 8:22 `at least 0` needs no approval at all',
      'CH5003 error 9:22 `at least 3 of 2` asks for more approvals than deciders',
      'CH5003 error 10:22 `at least 0%` needs no approval at all',
    ]);
  });

  test('when the approvers are fewer people than the quorum, then CH5004 counts them', () => {
    const diagnostics = steps(
      'approve a { by dana at least 2 }',
      'approve b { by request.requester at least 1 of 2 }',
      'approve c { by pair, person "zoe" at least 3 not person "eve" }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5004 error 8:23 this quorum needs 2 people, but `a` has at most 1 possible approver',
      'CH5004 error 9:36 this quorum needs 2 people, but `b` has at most 1 possible approver',
      'CH5004 error 10:37 this quorum needs 3 people, but `c` has at most 2 possible approvers',
    ]);
    expect(diagnostics[0]?.related?.[0]?.span).toMatchObject({ line: 8, col: 18 });
  });
});

describe('check: segregation of duties', () => {
  test('when `not` excludes every approver, then CH5005 is reported', () => {
    const diagnostics = steps(
      'approve a { by request.requester not request.requester }',
      'approve b { by person "a" not person "a" }',
      'approve c { by pair not dana, person "eve" }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5005 error 8:40 `not` excludes every possible approver of `a`',
      'CH5005 error 9:33 `not` excludes every possible approver of `b`',
      'CH5005 error 10:27 `not` excludes every possible approver of `c`',
    ]);
  });

  test('when `not` leaves someone, or a group stays unknown, then nothing is reported', () => {
    const diagnostics = steps(
      'approve a { by cab not request.requester }',
      'approve b { by request.requester, request.sponsor not request.requester }',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when `distinct from` names a non-approval, an unknown or a later step, then each is reported', () => {
    const diagnostics = steps(
      'check scan: external "scan"',
      'approve first { by cab }',
      'approve second { by cab distinct from first, scan, frist, third }',
      'approve third { by cab }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5006 error 10:48 `scan` is a check step, not an approval',
      'CH3205 error 10:54 unknown step `frist`',
      'CH5001 error 10:61 step `third` has not run yet here',
    ]);
    expect(diagnostics[1]?.help).toBe('did you mean `first`');
  });
});

describe('check: deadlines', () => {
  test('when an approval has `within` but no `on timeout`, then CH5007 warns what happens instead', () => {
    const diagnostics = steps(
      'approve a { by cab within 2d }',
      'approve b { by cab within 2d on timeout reject }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5007 warning 8:22 `a` has a deadline but no `on timeout`, so it keeps waiting once the deadline passes',
    ]);
  });

  test('when escalations and timeouts name unknown roles, then CH3201 reports each', () => {
    const diagnostics = steps(
      'approve a { by cab within 2d escalate after 1d to cabb on timeout escalate to boss }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3201 error 8:53 unknown role `cabb`',
      'CH3201 error 8:81 unknown role `boss`',
    ]);
    expect(diagnostics[0]?.help).toBe('did you mean `cab`');
  });
});

describe('check: handovers', () => {
  test('when a handover goes to people the exclusions leave in, then nothing is reported', () => {
    const diagnostics = steps(
      'approve first { by cab }',
      'approve a { by cab not request.requester within 2d hand over after 1d to dana on timeout hand over to cab }',
      'approve b { by cab not dana within 2d on timeout hand over to pair }',
      'approve c { by cab distinct from first within 2d on timeout hand over to request.sponsor }',
      'approve d { by cab within 2d on timeout hand over to request.requester }',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when `not` covers everyone a handover names, then CH5017 points at the handover and the exclusion', () => {
    const diagnostics = steps(
      'approve a { by cab not request.requester within 2d on timeout hand over to request.requester }',
      'approve b { by cab not pair within 2d hand over after 1d to dana, person "eve" on timeout reject }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5017 error 8:78 `a` would be handed over only to people excluded from deciding it',
      'CH5017 error 9:63 `b` would be handed over only to people excluded from deciding it',
    ]);
    expect(diagnostics[0]?.related?.map((r) => [r.message, r.span.line, r.span.col])).toEqual([
      ['excluded by `not` here', 8, 26],
    ]);
    expect(diagnostics[0]?.help).toMatch(/^segregation of duties still applies after a handover/);
  });

  test('when a handover goes to the approvers of a `distinct from` step, then CH5017 names that step', () => {
    const diagnostics = steps(
      'approve first { by cab }',
      'approve a { by cab distinct from first not request.requester within 2d',
      '  on timeout hand over to first.approvers, request.requester }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5017 error 10:29 `a` would be handed over only to people excluded from deciding it',
    ]);
    expect(diagnostics[0]?.related?.map((r) => [r.message, r.span.line, r.span.col])).toEqual([
      ['excluded by `not` here', 9, 46],
      ['excluded by `distinct from first` here', 9, 36],
    ]);
  });

  test('when `escalate` adds only excluded people, then nothing is reported: the approvers still decide', () => {
    const diagnostics = steps(
      'approve a { by cab not request.requester within 2d escalate after 1d to request.requester on timeout escalate to request.requester }',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when a handover names an unknown role, then only CH3201 is reported', () => {
    const diagnostics = steps('approve a { by cab not dana within 2d on timeout hand over to cio }');

    expect(diagnostics.map((d) => d.code)).toEqual(['CH3201']);
  });

  test('when a handover names a role that includes itself, then only the cycle is reported', () => {
    const diagnostics = diagnose(
      processText(['role cab = group "cab"', 'role loop = again', 'role again = loop'], 'requester: person', [
        'approve a { by cab not request.requester within 2d on timeout hand over to loop }',
      ]),
    );

    expect(diagnostics.map((d) => d.code)).toEqual(['CH3209']);
  });
});
