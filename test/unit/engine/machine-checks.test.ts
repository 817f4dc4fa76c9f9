// External checks and attestations: the commands they emit, the answers they accept or refuse,
// and how a failure (a failed or erroring service, a missed attestation) goes through on-fail.
import { blockedOn, validate } from '../../../engine/machine/index.js';
import { Driver, HOUR, MONDAY_9, processOf } from './machine-support.js';

const INPUT = '    requester: person';
const external = (onFail: string): Driver =>
  new Driver(
    processOf(INPUT, `  check scan: external "scanner" timeout 2h retry 3 ${onFail}\n  end approved "done"`),
    { requester: 'rita' },
  );

const result = (
  d: Driver,
  outcome: 'passed' | 'failed' | 'error',
  extra: { evidence?: string; detail?: string } = {},
) => {
  const request = d.of('runCheck', 'all').at(-1)?.request ?? '';
  return d.send({ kind: 'checkResult', at: d.at + HOUR, request, outcome, ...extra });
};

describe('external checks', () => {
  test('when an external check is reached, then runCheck is emitted and the instance waits for it', () => {
    const d = external('');
    expect(d.of('runCheck')).toEqual([
      {
        kind: 'runCheck',
        request: 'scan#1',
        step: 'scan',
        service: 'scanner',
        timeoutMs: 2 * HOUR,
        retries: 3,
      },
    ]);
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state)).toEqual([
      { step: 'scan', kind: 'check', text: 'scan: waiting for "scanner"', dueAt: null },
    ]);
  });

  test('when the service reports passed, then the check passes with its evidence and the process goes on', () => {
    const d = external('');
    result(d, 'passed', { evidence: 'report-42' });
    expect(d.state.results['scan']).toEqual({ passed: true, waived: false, outcome: 'passed' });
    expect(d.texts()).toContain('scan passed (evidence: report-42)');
    expect(d.state.status).toBe('approved');
  });

  test('when the service reports failed with on fail stop, then the process ends rejected with the detail', () => {
    const d = external('');
    result(d, 'failed', { detail: '2 critical findings' });
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('scan failed: 2 critical findings');
    expect(d.state.results['scan']).toEqual({ passed: false, waived: false, outcome: 'failed' });
  });

  test('when the service reports an error, then it counts as failed and the detail is recorded', () => {
    const d = external('on fail continue flagged');
    result(d, 'error', { detail: 'scanner unreachable' });
    expect(d.state.results['scan']).toEqual({ passed: false, waived: false, outcome: 'flagged' });
    expect(d.texts()).toContain(
      'scan could not be checked, which counts as failed: scanner unreachable; continued flagged: scan could not be checked, which counts as failed: scanner unreachable',
    );
    expect(d.state.status).toBe('approved');
  });

  test('when a result answers no running check, then it is refused', () => {
    const d = external('');
    const event = { kind: 'checkResult', at: MONDAY_9, request: 'nope#9', outcome: 'passed' } as const;
    expect(validate(d.state, event)?.code).toBe('unknown-request');
  });
});

const attestation = (clauses: string): Driver => {
  const d = new Driver(
    processOf(INPUT, `  check lic: attest by cab "licenses reviewed" ${clauses}\n  end approved "done"`),
    { requester: 'rita' },
  );
  d.resolveAll({ cab: ['bob', 'alice'] });
  return d;
};

describe('attestations', () => {
  test('when an attestation is reached, then its attesters are resolved and a task opens with the deadline', () => {
    const d = attestation('within 2 business days on office');
    expect(d.of('openTask', 'all')).toEqual([
      {
        kind: 'openTask',
        task: 'lic#3',
        step: 'lic',
        people: ['alice', 'bob'],
        title: 'attest lic: licenses reviewed',
        taskKind: 'attestation',
      },
    ]);
    expect(d.of('startTimer', 'all')[0]).toMatchObject({
      purpose: 'attestDue',
      at: MONDAY_9 + 48 * HOUR,
    });
    expect(blockedOn(d.state)[0]?.text).toBe(
      'lic: attestation from alice and bob; due Wed 2026-12-09 09:00 Europe/Berlin',
    );
  });

  test('when someone who is not an attester attests, then it is refused', () => {
    const d = attestation('');
    const event = { kind: 'attest', at: d.at, step: 'lic', actor: 'mallory' } as const;
    expect(validate(d.state, event)).toEqual({
      code: 'not-an-attester',
      message: 'mallory is not an attester of lic',
    });
  });

  test('when evidence is required and missing, then the attestation is refused', () => {
    const d = attestation('with evidence');
    const event = { kind: 'attest', at: d.at, step: 'lic', actor: 'bob', evidence: ' ' } as const;
    expect(validate(d.state, event)?.code).toBe('evidence-required');
  });

  test('when an attester attests, then the check passes, the task closes and the process goes on', () => {
    const d = attestation('with evidence within 2 days');
    d.send({
      kind: 'attest',
      at: d.at + HOUR,
      step: 'lic',
      actor: 'bob',
      onBehalfOf: 'alice',
      evidence: 'doc-7',
    });
    expect(d.of('closeTask', 'all')).toEqual([{ kind: 'closeTask', task: 'lic#3', reason: 'lic attested' }]);
    expect(d.of('cancelTimer', 'all')).toHaveLength(1);
    const decision = d.state.decisions.find((x) => x.text.startsWith('bob on behalf of alice attested'));
    expect(decision).toMatchObject({ actor: 'bob', onBehalfOf: 'alice' });
    expect(decision?.text).toBe('bob on behalf of alice attested lic: "licenses reviewed" (evidence: doc-7)');
    expect(d.state.results['lic']).toEqual({ passed: true, waived: false, outcome: 'passed' });
    expect(d.state.status).toBe('approved');
  });

  test('when the attestation deadline passes, then the check fails and its on fail applies', () => {
    const d = attestation('within 2 days');
    d.fire('attestDue');
    expect(d.state.status).toBe('rejected');
    expect(d.state.message).toBe('lic: no attestation by Wed 2026-12-09 09:00 Europe/Berlin');
    expect(d.of('closeTask')).toEqual([{ kind: 'closeTask', task: 'lic#3', reason: d.state.message }]);
  });

  test('when the attesters cannot be resolved, then the attestation blocks and is never passed', () => {
    const d = new Driver(processOf(INPUT, '  check lic: attest by cab "reviewed"'), { requester: 'r' });
    d.resolveAll({ cab: [] });
    expect(d.state.status).toBe('running');
    expect(blockedOn(d.state)[0]).toMatchObject({
      kind: 'blocked',
      text: 'lic is blocked: group "cab": empty group',
    });
  });
});
