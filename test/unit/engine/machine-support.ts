// Test support for the process machine: compile a small policy with the real front end and drive
// an instance with scripted events, keeping every command the machine emitted.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { CompiledPolicy, ValueIR } from '../../../engine/ir/types.js';
import {
  type MachineCommand,
  type MachineEvent,
  type MachineState,
  start,
  step,
} from '../../../engine/machine/index.js';

/** Monday 2026-12-07 09:00 in Berlin. */
export const MONDAY_9 = Date.UTC(2026, 11, 7, 8, 0);
export const HOUR = 3_600_000;

export const HEADER = `policy "test" version 1 effective 2026-12-01
owner "pmo@example.com"
calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}
role cab = group "cab"
`;

export function policyOf(body: string): CompiledPolicy {
  const out = compileEntry('test.charter', memoryHost({ 'test.charter': HEADER + body }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return out.compiled;
}

/** A process `p` with the given input block body and steps. */
export const processOf = (input: string, steps: string): CompiledPolicy =>
  policyOf(`process p {\n  input {\n${input}\n  }\n${steps}\n}\n`);

export type Command<K extends MachineCommand['kind']> = Extract<MachineCommand, { kind: K }>;

export class Driver {
  state: MachineState;
  last: MachineCommand[];
  all: MachineCommand[];
  at: number;

  constructor(policy: CompiledPolicy, input: Record<string, ValueIR>, at = MONDAY_9) {
    const out = start(policy, 'p', input, { instanceId: 'i1', startedAt: at, startedBy: 'rita' });
    this.state = out.state;
    this.last = out.commands;
    this.all = [...out.commands];
    this.at = at;
  }

  send(event: MachineEvent): MachineCommand[] {
    this.at = event.at;
    const out = step(this.state, event);
    this.state = out.state;
    this.last = out.commands;
    this.all.push(...out.commands);
    return out.commands;
  }

  /** Commands of a kind from the last transition (or all of them). */
  of<K extends MachineCommand['kind']>(kind: K, from: 'last' | 'all' = 'last'): Command<K>[] {
    return (from === 'last' ? this.last : this.all).filter((c): c is Command<K> => c.kind === kind);
  }

  /** Answers the open resolve requests of the last transition in order, by ref. */
  resolveAll(directory: Record<string, string[]>, at = this.at): void {
    for (const request of this.of('resolve')) {
      const people: string[] = [];
      const problems: Extract<MachineEvent, { kind: 'resolved' }>['problems'] = [];
      for (const ref of request.refs) {
        const key =
          ref.kind === 'group' ? ref.group : ref.kind === 'person' ? ref.person : `manager:${ref.person}`;
        const found = directory[key] ?? (ref.kind === 'person' ? [ref.person] : undefined);
        if (found === undefined)
          problems.push({ ref, problem: ref.kind === 'group' ? 'unknown group' : 'no manager' });
        else if (found.length === 0) problems.push({ ref, problem: 'empty group' });
        else people.push(...found);
      }
      this.send({ kind: 'resolved', at, request: request.request, people, problems });
    }
  }

  decide(
    actor: string,
    decision: 'approve' | 'reject' | 'requestChanges',
    extra: { onBehalfOf?: string; reason?: string; step?: string } = {},
  ): MachineCommand[] {
    const { step: stepId = 'review', ...rest } = extra;
    return this.send({ kind: 'decide', at: this.at + 60_000, step: stepId, actor, decision, ...rest });
  }

  fire(purpose: string, at?: number): MachineCommand[] {
    const timer = this.state.timers.find((t) => t.purpose === purpose);
    if (!timer) throw new Error(`no ${purpose} timer`);
    return this.send({ kind: 'timerFired', at: at ?? timer.at, timer: timer.id });
  }

  texts(): string[] {
    return this.state.decisions.map((d) => d.text);
  }
}

export const CAB = { cab: ['alice', 'bob', 'carol', 'rita'] };
