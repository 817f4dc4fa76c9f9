// The approver's actions on one task, as API calls: each kind of action names its route, the
// fields its confirmation asks for, and which of them the API (or the engine) insists on. The
// server decides; the client only refuses what it can tell is incomplete before sending it.
import { api, idempotencyKey, unwrap } from '../../api-client/client.js';
import type { Task } from './inbox-data.js';

export type ActionKind = 'approve' | 'reject' | 'requestChanges' | 'waive' | 'attest' | 'delegate';

export interface ActionFields {
  /** Reason (approve, reject, request changes, waive) or evidence (attest). */
  text: string;
  /** Delegate: the person id, and the last day (YYYY-MM-DD, local) of the delegation. */
  to: string;
  until: string;
  note: string;
}

export interface ActionSpec {
  /** The button and the dialog's confirm button: "Approve", "Reject". */
  verb: string;
  /** What the result is called in the status line: "Approved", "Rejected". */
  done: string;
  /** The label of the text field, or null when the action has none (delegate has its own). */
  textLabel: string | null;
  /** Whether the text field must be filled in, and what is said when it is not. */
  textRequired: boolean;
  textMissing: string;
  /** Where the API reports a problem with the text field. */
  textPath: string;
  /** Whether doing it takes the task out of the inbox. */
  closes: boolean;
  danger: boolean;
}

export function actionSpec(kind: ActionKind, evidenceRequired: boolean): ActionSpec {
  switch (kind) {
    case 'approve':
      return {
        verb: 'Approve',
        done: 'Approved',
        textLabel: 'Reason (optional)',
        textRequired: false,
        textMissing: '',
        textPath: 'body.reason',
        closes: true,
        danger: false,
      };
    case 'reject':
      return {
        verb: 'Reject',
        done: 'Rejected',
        textLabel: 'Reason for rejecting',
        textRequired: true,
        textMissing: 'a rejection needs a reason',
        textPath: 'body.reason',
        closes: true,
        danger: true,
      };
    case 'requestChanges':
      return {
        verb: 'Request changes',
        done: 'Requested changes to',
        textLabel: 'What should change',
        textRequired: true,
        textMissing: 'say what should change',
        textPath: 'body.reason',
        closes: true,
        danger: false,
      };
    case 'waive':
      return {
        verb: 'Waive',
        done: 'Waived',
        textLabel: 'Reason for the waiver',
        textRequired: true,
        textMissing: 'a waiver needs a reason',
        textPath: 'body.reason',
        closes: true,
        danger: false,
      };
    case 'attest':
      return {
        verb: 'Attest',
        done: 'Attested',
        textLabel: evidenceRequired ? 'Evidence' : 'Evidence (optional)',
        textRequired: evidenceRequired,
        textMissing: 'this attestation needs evidence',
        textPath: 'body.evidence',
        closes: true,
        danger: false,
      };
    case 'delegate':
      return {
        verb: 'Delegate',
        done: 'Delegated',
        textLabel: null,
        textRequired: false,
        textMissing: '',
        textPath: 'body.note',
        closes: false,
        danger: false,
      };
  }
}

/** The actions a task of this kind offers (before what the policy allows is taken into account). */
export function actionsFor(task: Task): ActionKind[] {
  const delegate: ActionKind[] = task.onBehalfOf === null ? ['delegate'] : [];
  switch (task.kind) {
    case 'approval':
      return ['approve', 'reject', 'requestChanges', ...delegate];
    case 'waiver':
      return ['waive', ...delegate];
    case 'attestation':
      return ['attest', ...delegate];
  }
}

/** YYYY-MM-DD of the browser's day `days` from now: the delegation dialog's default end. */
export function localDatePlus(days: number, from = new Date()): string {
  const d = new Date(from);
  d.setDate(d.getDate() + days);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a local day (YYYY-MM-DD) as an instant: a delegation "until Friday" covers Friday. */
function endOfLocalDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, d ?? 1, 23, 59, 0).toISOString();
}

/** The task's path parameter, and a fresh Idempotency-Key so that a retried click acts once. */
const params = (task: Task) => ({ path: { id: task.id }, header: { 'Idempotency-Key': idempotencyKey() } });
const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

/** Sends the action; resolves when the API accepted it, throws its ApiFailure otherwise. */
export async function performAction(kind: ActionKind, task: Task, fields: ActionFields): Promise<void> {
  const reason = optional(fields.text);
  switch (kind) {
    case 'approve':
    case 'reject':
    case 'requestChanges':
      await unwrap(
        api.POST('/v1/tasks/{id}/decide', {
          params: params(task),
          body: reason === undefined ? { decision: kind } : { decision: kind, reason },
        }),
      );
      return;
    case 'waive':
      await unwrap(api.POST('/v1/tasks/{id}/waive', { params: params(task), body: { reason: fields.text } }));
      return;
    case 'attest':
      await unwrap(
        api.POST('/v1/tasks/{id}/attest', {
          params: params(task),
          body: reason === undefined ? {} : { evidence: reason },
        }),
      );
      return;
    case 'delegate': {
      const note = optional(fields.note);
      await unwrap(
        api.POST('/v1/tasks/{id}/delegate', {
          params: params(task),
          body: {
            to: fields.to.trim(),
            until: fields.until === '' ? '' : endOfLocalDay(fields.until),
            ...(note === undefined ? {} : { note }),
          },
        }),
      );
      return;
    }
  }
}
