// The past the impact benchmark replays (bench/impact/main.ts): one published purchase policy (v1:
// the requester's manager approves, a director too above 5,000) and SEEDED finished instances of
// it, written straight into the store instead of through Temporal, so that 2,000 of them take
// seconds rather than an hour. What is written is what the runtime writes: each instance is run
// through the real machine (engine/machine start and step, as workflows/definitions/driver.ts
// feeds it: the directory's answer first, then the approver's decision), its audit commands become
// ledger events exactly as workflows/activities/effects.ts maps them, appended with
// store.audit.append (hash chain, heads), and its last view goes through store.views.upsert
// (input, input hash, visibility). The documents match those of test/integration/api-impact.test.ts,
// whose instances ran on the real runtime.
//
// The candidate v2 lowers the director's threshold to 2,000: an instance of 2,001 to 5,000 would
// wait for the director (`wouldWait`), every other one is the same (`expectedOf` counts them).
import type { CompiledPolicy } from '../../engine/ir/types.js';
import {
  type MachineCommand,
  type MachineEvent,
  type MachineState,
  type PersonRef,
  start,
  step,
} from '../../engine/machine/index.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { AuditEventInput, Store } from '../../store/index.js';
import { inputSha256 } from '../../store/instances.js';

export const POLICY = 'Impact bench purchase';
export const FILE = 'purchase.charter';
const DIRECTOR_THRESHOLD = { v1: 5000, v2: 2000 } as const;
const DIRECTOR = 'dora@bench.example';
const PUBLISHER = 'pmo@bench.example';
const REQUESTERS = 20;
/** Instance i starts this long after instance i - 1 (they overlap: each takes about 3 hours). */
const START_EVERY_MS = 30 * 60_000;
/** The directory answers this long after the step asked (as the first transition's activity does). */
const DIRECTORY_DELAY_MS = 200;
/** Each approver decides this long after their task opened. */
const DECISION_DELAY_MS = 90 * 60_000;

export const requesterOf = (i: number): string => `requester${i % REQUESTERS}@bench.example`;
const managerOf = (requester: string): string => requester.replace('requester', 'manager');
/** 500 to 9,500 in steps of 500, spread so that every run of 19 consecutive instances has each once. */
export const amountOf = (i: number): number => 500 + ((i * 7) % 19) * 500;

export function policyText(version: 1 | 2): string {
  const threshold = version === 1 ? DIRECTOR_THRESHOLD.v1 : DIRECTOR_THRESHOLD.v2;
  return `policy "${POLICY}" version ${version} effective 2026-01-01
owner "${PUBLISHER}"
role directors = group "directors"

process purchase {
  input {
    requester: person
    amount: number
  }
  approve manager_review {
    by manager of request.requester
    within 3d
  }
  if request.amount > ${threshold} {
    approve director_review {
      by directors
      within 2d
    }
  }
  end approved "bought"
}
`;
}

export function compiled(version: 1 | 2): CompiledPolicy {
  const out = compileEntry(FILE, memoryHost({ [FILE]: policyText(version) }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

/** What the replay of the newest `last` instances must answer, from the amounts seeded. */
export function expectedOf(
  seeded: number,
  last: number,
): { instances: number; wouldWait: number; same: number } {
  let wouldWait = 0;
  const instances = Math.min(seeded, last);
  for (let i = seeded - instances; i < seeded; i++) {
    const amount = amountOf(i);
    if (amount > DIRECTOR_THRESHOLD.v2 && amount <= DIRECTOR_THRESHOLD.v1) wouldWait++;
  }
  return { instances, wouldWait, same: instances - wouldWait };
}

/** The directory as the machine asks it: each requester's manager, the directors group. */
function resolve(ref: PersonRef): string[] {
  switch (ref.kind) {
    case 'managerOf':
      return [managerOf(ref.person)];
    case 'group':
      return ref.group === 'directors' ? [DIRECTOR] : [];
    case 'person':
      return [ref.person];
  }
}

interface Run {
  events: AuditEventInput[];
  state: MachineState;
  transition: number;
  assignees: Set<string>;
}

/** One transition's audit commands as workflows/activities/effects.ts writes them to the ledger. */
function ledgerEvents(run: Run, commands: MachineCommand[], inputHash: string): void {
  const { state } = run;
  const policy = {
    name: state.policy.ir.policy.name,
    version: state.policy.ir.policy.version,
    sha256: state.policy.sha256,
  };
  const ended = commands.find((c) => c.kind === 'finished');
  const audits = commands.filter((c): c is Extract<MachineCommand, { kind: 'audit' }> => c.kind === 'audit');
  audits.forEach((command, i) => {
    const d = command.decision;
    const isEnd = ended?.kind === 'finished' && i === audits.length - 1 && d.step === null;
    run.events.push({
      chain: state.instanceId,
      seq: d.seq,
      id: command.id,
      at: new Date(d.at),
      type: d.seq === 1 ? 'started' : isEnd ? 'ended' : d.actor ? 'action' : 'decision',
      instanceId: state.instanceId,
      process: state.process,
      project: null,
      policy,
      step: d.step,
      text: d.text,
      actor: d.actor ?? null,
      onBehalfOf: d.onBehalfOf ?? null,
      outcome: isEnd && ended?.kind === 'finished' ? ended.outcome : null,
      reasons: d.reasons ?? [],
      span: d.span,
      // The chain covers what was asked for: the start event carries the input's hash.
      ...(d.seq === 1 ? { inputSha256: inputHash } : {}),
      ...(d.fact === undefined ? {} : { fact: d.fact }),
    });
  });
}

/**
 * Runs instance `i` to its end through the machine: every `resolve` answered by the directory
 * first (as the driver's agenda takes store answers first), each opened task decided by its
 * first assignee; returns its ledger events, its view's fields and the people it asked.
 */
function runInstance(policy: CompiledPolicy, i: number, startedAt: number, inputHash: string): Run {
  const requester = requesterOf(i);
  const input = { requester, amount: amountOf(i) };
  const first = start(policy, 'purchase', input, {
    instanceId: `purchase-bench-${String(i).padStart(5, '0')}`,
    startedAt,
    startedBy: requester,
  });
  const run: Run = { events: [], state: first.state, transition: 1, assignees: new Set() };
  const answers: MachineEvent[] = [];
  const decisions: MachineEvent[] = [];
  const handle = (commands: MachineCommand[], at: number) => {
    ledgerEvents(run, commands, inputHash);
    for (const command of commands) {
      if (command.kind === 'resolve')
        answers.push({
          kind: 'resolved',
          at: at + DIRECTORY_DELAY_MS,
          request: command.request,
          people: command.refs.flatMap(resolve),
          problems: [],
        });
      if (command.kind === 'openTask') {
        const actor = command.people[0];
        if (actor === undefined) throw new Error(`instance ${i}: ${command.step} opened for nobody`);
        for (const person of command.people) run.assignees.add(person);
        decisions.push({
          kind: 'decide',
          at: at + DECISION_DELAY_MS,
          step: command.step,
          actor,
          decision: 'approve',
        });
      }
    }
  };
  handle(first.commands, startedAt);
  while (run.state.status === 'running') {
    const event = answers.shift() ?? decisions.shift();
    if (event === undefined) throw new Error(`instance ${i} waits for something the seed does not give`);
    const out = step(run.state, event);
    run.state = out.state;
    run.transition += 1;
    handle(out.commands, event.at);
  }
  return run;
}

export interface Seeded {
  instances: number;
  events: number;
  v1: CompiledPolicy;
}

/** Publishes v1 and seeds `count` finished instances of it, in batches of `batch` instances. */
export async function seedPast(store: Store, count: number, firstStart: Date, batch = 100): Promise<Seeded> {
  const v1 = compiled(1);
  await store.policies.publish({
    compiled: v1,
    sources: [{ path: FILE, text: policyText(1) }],
    publishedBy: PUBLISHER,
    at: new Date(firstStart.getTime() - 86_400_000),
  });
  const requesters = Array.from({ length: REQUESTERS }, (_, i) => requesterOf(i));
  await store.directory.seedFromWorld({
    groups: { directors: [DIRECTOR] },
    managers: Object.fromEntries(requesters.map((r) => [r, managerOf(r)])),
    people: [PUBLISHER],
  });
  let events = 0;
  for (let from = 0; from < count; from += batch) {
    const runs: { run: Run; input: { requester: string; amount: number } }[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const input = { requester: requesterOf(i), amount: amountOf(i) };
      runs.push({
        run: runInstance(v1, i, firstStart.getTime() + i * START_EVERY_MS, inputSha256(input)),
        input,
      });
    }
    const batchEvents = runs.flatMap(({ run }) => run.events);
    await store.audit.append(batchEvents);
    events += batchEvents.length;
    for (const { run, input } of runs) {
      const s = run.state;
      await store.views.upsert({
        instanceId: s.instanceId,
        workflowId: s.instanceId,
        policy: { name: v1.ir.policy.name, version: v1.ir.policy.version, sha256: v1.sha256 },
        process: s.process,
        project: null,
        status: s.status,
        message: s.message,
        startedAt: new Date(s.startedAt),
        startedBy: s.startedBy,
        endedAt: s.endedAt === null ? null : new Date(s.endedAt),
        currentSteps: [],
        blockedOn: [],
        transition: run.transition,
        assignees: [...run.assignees],
        input,
      });
    }
  }
  return { instances: count, events, v1 };
}
