// What a ledger event means for compliance: the few kinds the summary and the reports count.
// classify.ts reads them from facts, legacy-sentences.ts from the sentences of older events.
export type Vote = 'approved' | 'rejected' | 'changesRequested';

export type TimeoutOutcome = 'approvedByTimeout' | 'rejectedByTimeout' | 'failed' | 'escalated';

export type Meaning =
  | { kind: 'started' }
  | { kind: 'ended'; outcome: string }
  | { kind: 'vote'; step: string; vote: Vote; actor: string; onBehalfOf: string | null }
  | { kind: 'waiver'; step: string }
  /** A check failed (stopped, flagged, or waiting for a waiver); `deadline` when it failed by one. */
  | { kind: 'checkFailed'; step: string; deadline: boolean }
  /** A waiver deadline passed: the earlier failure stands. */
  | { kind: 'waiverMissed'; step: string }
  /** An approval's SLA passed and its `on timeout` action ran. */
  | { kind: 'approvalTimeout'; step: string; outcome: TimeoutOutcome }
  | { kind: 'other' };
