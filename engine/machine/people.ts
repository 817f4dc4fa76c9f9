// From the policy's approver clauses to references the directory can resolve. The machine does the
// part that needs no I/O (roles expanded, `manager of <expr>` and person fields evaluated); the
// driver resolves groups, people and managers. Whatever cannot be turned into a reference (an
// unset field, a role that names itself) is a problem, and problems fail closed upstream.
import { compileValue, type Facts, sourceOf } from '../expr/index.js';
export { names } from '../facts/index.js';
import type { ApproverIR, ValueIR } from '../ir/types.js';
import type { CompiledMachine } from './compiled.js';
import { factsOf } from './compiled.js';
import type { MachineState, PersonRef, ResolveProblem } from './types.js';

export interface Expanded {
  refs: PersonRef[];
  problems: string[];
}

export function expandApprovers(
  m: CompiledMachine,
  state: MachineState,
  approvers: readonly ApproverIR[],
): Expanded {
  return expandApproversIn(m, factsOf(state), approvers);
}

/** The same for any facts: a monitor's owners are read from the project it looks at. */
export function expandApproversIn(
  m: CompiledMachine,
  facts: Facts,
  approvers: readonly ApproverIR[],
): Expanded {
  const out: Expanded = { refs: [], problems: [] };
  const seen = new Set<string>();
  const add = (ref: PersonRef): void => {
    const key = JSON.stringify(ref);
    if (!seen.has(key)) {
      seen.add(key);
      out.refs.push(ref);
    }
  };
  const visit = (approver: ApproverIR, roles: readonly string[]): void => {
    switch (approver.kind) {
      case 'group':
        add({ kind: 'group', group: approver.group });
        return;
      case 'person':
        add({ kind: 'person', person: approver.person });
        return;
      case 'role': {
        const role = m.ir.roles.find((r) => r.name === approver.role);
        if (!role || roles.includes(role.name)) {
          out.problems.push(`role ${approver.role} cannot be expanded`);
          return;
        }
        for (const member of role.members) visit(member, [...roles, role.name]);
        return;
      }
      case 'managerOf':
      case 'expr': {
        const expr = approver.kind === 'expr' ? approver.expr : approver.of;
        const people = peopleIn(compileValue(expr, m.env)(facts));
        if (people === null) {
          out.problems.push(`${sourceOf(expr)} is not set`);
          return;
        }
        for (const person of people)
          add(approver.kind === 'expr' ? { kind: 'person', person } : { kind: 'managerOf', person });
        return;
      }
    }
  };
  for (const approver of approvers) visit(approver, []);
  return out;
}

/** The people a value names: one person, a list of them, or null when it is unset or not people. */
export function peopleIn(value: ValueIR | undefined): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return null;
}

export function refText(ref: PersonRef): string {
  switch (ref.kind) {
    case 'group':
      return `group "${ref.group}"`;
    case 'person':
      return `person "${ref.person}"`;
    case 'managerOf':
      return `manager of ${ref.person}`;
  }
}

export const problemText = (p: { ref: PersonRef; problem: ResolveProblem }): string =>
  `${refText(p.ref)}: ${p.problem}`;

/** A sorted, duplicate-free list: people sets must not depend on the directory's order. */
export const uniqueSorted = (people: readonly string[]): string[] => [...new Set(people)].sort();
