// The process diff between two compiled versions of a policy, as PMO authors review it: two real
// policy texts compiled with the DSL front end, then diffed. A raised quorum, a longer deadline,
// a new escalation, a changed condition, a new step, a removed step and retyped inputs each show
// as one typed change with short before/after words; the same version against itself shows none;
// processes only one version has are added or removed; the shipped change-management policy
// diffed with an edited copy finds exactly the edits.
import { readFileSync } from 'node:fs';
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import { diffPolicies, type PolicyDiff, type PolicyIR } from '../../../engine/ir/index.js';

function compile(source: string, files: Record<string, string> = {}): PolicyIR {
  const outcome = compileEntry('policy.charter', memoryHost({ 'policy.charter': source, ...files }));
  if (outcome.compiled === null) {
    throw new Error(outcome.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  }
  return outcome.compiled.ir;
}

const V1 = `policy "Stage gate" version 1 effective 2026-01-01
owner "pmo@halden.example"

role cab = person "ana@halden.example", person "ben@halden.example", person "cleo@halden.example"
role pmo_leads = person "dora@halden.example"

rule large = request.budget >= 50_000 EUR

process gate {
  input {
    title: text
    budget: money EUR
    phase: "plan" | "build"
    sponsor: person
    code: number
  }

  check titled:
    require length(request.title) >= 5
    else "give the request a title"

  approve cab_review {
    by cab
    within 2 days
    escalate after 1 day to pmo_leads
  }

  if large {
    notify large_told: request.sponsor: "a large request: {request.title}"
  }

  notify told: request.sponsor: "{request.title} passed the gate"
  end approved
}

process retro {
  input {
    title: text
  }
  end approved
}
`;

const V2 = V1.replace('version 1 effective 2026-01-01', 'version 2 effective 2026-03-01')
  .replace('rule large = request.budget >= 50_000 EUR', 'rule large = request.budget >= 80_000 EUR')
  .replace(
    '    phase: "plan" | "build"\n',
    '    phase: "plan" | "build" | "run"\n    risk: "low" | "high" = "low"\n',
  )
  .replace('    code: number\n', '    code: text\n')
  .replace(
    '    by cab\n    within 2 days\n    escalate after 1 day to pmo_leads\n',
    '    by cab\n    at least 2\n    within 3 days\n    remind every 1 day\n    escalate after 1 day to pmo_leads\n    escalate after 2 days to person "erik@halden.example"\n',
  )
  .replace('require length(request.title) >= 5', 'require length(request.title) >= 10')
  .replace(
    '  notify told: request.sponsor: "{request.title} passed the gate"\n',
    '  approve sponsor_ok {\n    by request.sponsor\n    within 1 day\n  }\n',
  )
  .replace(
    'process retro {\n  input {\n    title: text\n  }\n  end approved\n}\n',
    'process closeout {\n  input {\n    title: text\n  }\n  end approved\n}\n',
  );

const changesOf = (diff: PolicyDiff, process: string) => diff.processes.find((p) => p.name === process);

describe('diffPolicies of two versions of a policy', () => {
  const before = compile(V1);
  const after = compile(V2);
  const diff = diffPolicies(before, after);

  test('when a quorum is raised and a deadline, a reminder and an escalation change, then each is one change of the approval', () => {
    const gate = changesOf(diff, 'gate');
    expect(gate?.status).toBe('changed');
    expect(gate?.changes.filter((c) => c.step === 'cab_review')).toEqual([
      { step: 'cab_review', kind: 'quorum', before: 'any 1 of cab', after: 'at least 2 of cab' },
      { step: 'cab_review', kind: 'deadline', before: '2 days', after: '3 days' },
      { step: 'cab_review', kind: 'reminder', before: 'none', after: 'every 1 day' },
      {
        step: 'cab_review',
        kind: 'escalation',
        before: 'escalate after 1 day to pmo_leads',
        after: 'escalate after 1 day to pmo_leads; escalate after 2 days to person "erik@halden.example"',
      },
    ]);
  });

  test('when a check condition changes, then it is a condition change in the words of the policy', () => {
    expect(changesOf(diff, 'gate')?.changes.filter((c) => c.step === 'titled')).toEqual([
      {
        step: 'titled',
        kind: 'condition',
        before: 'length(request.title) >= 5',
        after: 'length(request.title) >= 10',
      },
    ]);
  });

  test('when a step is added and another removed, then they are listed with a one-line summary', () => {
    const gate = changesOf(diff, 'gate');
    expect(gate?.addedSteps).toEqual([
      { step: 'sponsor_ok', kind: 'approve', summary: 'approve: any 1 of request.sponsor, within 1 day' },
    ]);
    expect(gate?.removedSteps).toEqual([
      { step: 'told', kind: 'notify', summary: 'notify request.sponsor: "{request.title} passed the gate"' },
    ]);
  });

  test('when inputs are added, retyped or widened, then each is an input change', () => {
    expect(changesOf(diff, 'gate')?.inputs).toEqual([
      { field: 'phase', change: 'retyped', before: '"plan" | "build"', after: '"plan" | "build" | "run"' },
      { field: 'risk', change: 'added', before: null, after: 'risk: "low" | "high" = "low"' },
      { field: 'code', change: 'retyped', before: 'number', after: 'text' },
    ]);
  });

  test('when a process is only in one version, then it is added or removed; the header and rules are compared too', () => {
    expect(diff.processes.map((p) => `${p.name}: ${p.status}`)).toEqual([
      'closeout: added',
      'gate: changed',
      'retro: removed',
    ]);
    expect(changesOf(diff, 'retro')?.removedSteps.map((s) => s.kind)).toEqual(['end']);
    expect(diff.definitions).toEqual([
      { kind: 'policy', name: 'effective', status: 'changed', before: '2026-01-01', after: '2026-03-01' },
      {
        kind: 'rule',
        name: 'large',
        status: 'changed',
        before: 'request.budget >= 50,000 EUR',
        after: 'request.budget >= 80,000 EUR',
      },
    ]);
  });

  test('when a version is compared with itself, then nothing changed', () => {
    const same = diffPolicies(before, before);
    expect(same.definitions).toEqual([]);
    expect(same.processes.map((p) => p.status)).toEqual(['same', 'same']);
    expect(
      same.processes.flatMap((p) => [...p.changes, ...p.addedSteps, ...p.removedSteps, ...p.inputs]),
    ).toEqual([]);
  });

  test('when the diff is read the other way round, then additions and removals swap', () => {
    const back = diffPolicies(after, before);
    expect(changesOf(back, 'gate')?.addedSteps.map((s) => s.step)).toEqual(['told']);
    expect(changesOf(back, 'gate')?.removedSteps.map((s) => s.step)).toEqual(['sponsor_ok']);
    expect(changesOf(back, 'gate')?.changes.find((c) => c.kind === 'quorum')).toMatchObject({
      before: 'at least 2 of cab',
      after: 'any 1 of cab',
    });
  });
});

describe('diffPolicies of the shipped change-management policy', () => {
  const policies = new URL('../../../policies/', import.meta.url);
  const source = readFileSync(new URL('change-management.charter', policies), 'utf8');
  const org = { 'shared/org.charter': readFileSync(new URL('shared/org.charter', policies), 'utf8') };

  test('when the CAB quorum, its handover and a nested step change, then exactly those show, with their placement kept', () => {
    const edited = source
      .replace('at least 3 of 5', 'at least 4 of 5')
      .replace('on timeout hand over to cio', 'on timeout reject "no emergency decision in time"')
      .replace(
        'external "qualys-vm-scan" timeout 2h retry 3',
        'external "qualys-vm-scan" timeout 4h retry 3',
      );
    const diff = diffPolicies(compile(source, org), compile(edited, org));
    const change = diff.processes.find((p) => p.name === 'change_request');
    expect(change?.changes.map((c) => `${c.step} ${c.kind}: ${c.before} -> ${c.after}`)).toEqual([
      'ecab_review timeout: hand over to cio -> reject "no emergency decision in time"',
      'cab_review quorum: at least 3 of 5 of cab -> at least 4 of 5 of cab',
      'vulnerability_scan check: external "qualys-vm-scan" timeout 2 hours retry 3 -> external "qualys-vm-scan" timeout 4 hours retry 3',
    ]);
    expect(change?.addedSteps).toEqual([]);
    expect(change?.removedSteps).toEqual([]);
    expect(diff.processes.find((p) => p.name === 'post_implementation_review')?.status).toBe('same');
  });
});
