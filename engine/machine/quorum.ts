// Quorum arithmetic over the eligible set E, as the design fixes it: any = 1, all = |E|,
// majority = ⌊|E|/2⌋ + 1, at least N, at least N of M (also |E| ≥ M), at least p% = ⌈p·|E|/100⌉.
// A quorum that E cannot meet is a reason to block, never a reason to lower the bar.
import { plural } from '../facts/index.js';
import type { QuorumIR } from '../ir/types.js';
import type { ApprovalState } from './types.js';

export type Needed = { needed: number } | { blocked: string };

export function neededFor(quorum: QuorumIR, eligible: number): Needed {
  if (eligible === 0) return { blocked: 'no eligible approver' };
  let needed: number;
  switch (quorum.kind) {
    case 'any':
      needed = 1;
      break;
    case 'all':
      needed = eligible;
      break;
    case 'majority':
      needed = Math.floor(eligible / 2) + 1;
      break;
    case 'atLeast':
      if (quorum.poolAtLeast !== null && eligible < quorum.poolAtLeast) {
        return {
          blocked: `only ${eligible} eligible ${plural(eligible, 'approver')}, at least ${quorum.poolAtLeast} required`,
        };
      }
      needed = quorum.count;
      break;
    case 'percent':
      // At least one approval, whatever the percentage: 0% of a board approves nothing.
      needed = Math.max(1, Math.ceil((quorum.percent * eligible) / 100));
      break;
  }
  if (needed > eligible) {
    return {
      blocked: `only ${eligible} eligible ${plural(eligible, 'approver')}, ${needed} approvals needed`,
    };
  }
  return { needed };
}

/** Votes that count: approvals and rejections, by principal (change requests do not decide). */
export function tally(a: ApprovalState): { approvals: string[]; rejections: string[]; undecided: string[] } {
  const approvals = a.votes.filter((v) => v.decision === 'approve').map((v) => v.person);
  const rejections = a.votes.filter((v) => v.decision === 'reject').map((v) => v.person);
  const decided = new Set([...approvals, ...rejections]);
  return { approvals, rejections, undecided: a.eligible.filter((p) => !decided.has(p)) };
}

/** Approved once the quorum is met; rejected on a veto, or once the quorum is out of reach. */
export function verdict(a: ApprovalState, veto: boolean): 'approved' | 'rejected' | null {
  const { approvals, rejections, undecided } = tally(a);
  if ((veto || a.handover === true) && rejections.length > 0) return 'rejected';
  if (approvals.length >= a.needed) return 'approved';
  if (approvals.length + undecided.length < a.needed) return 'rejected';
  return null;
}

export function quorumText(quorum: QuorumIR): string {
  switch (quorum.kind) {
    case 'any':
    case 'all':
    case 'majority':
      return quorum.kind;
    case 'atLeast':
      return quorum.poolAtLeast === null
        ? `at least ${quorum.count}`
        : `at least ${quorum.count} of ${quorum.poolAtLeast}`;
    case 'percent':
      return `at least ${quorum.percent}%`;
  }
}
