// What people do with a finding: who may (acknowledge and resolve: its owners, the people
// escalation added, the PMO and admins; waive: the PMO, admins and the people the monitor names in
// `waive by`), the store's change, and the word to the finding's workflow so that it stops chasing.
//
// The store is the truth: the action is written first, then the workflow is told with a signal
// (fire and forget). A finding without a running workflow (it never had one, or it ended) is
// normal; any other failure to signal is logged for the operator and never fails the request:
// the action is stored, and answering an error would invite the person to do it again.
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  type Finding,
  FindingNotFoundError,
  FindingNotLiveError,
  FindingVersionConflictError,
  LIVE_STATUSES,
} from '../../store/index.js';
import { findingChanged, findingWorkflowId } from '../../workflows/definitions/monitor-messages.js';
import { findingFact } from '../../workflows/monitors/ledger.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import type { Caller } from '../route.js';
import type { FindingView } from './schemas.js';

export type FindingAction = 'acknowledged' | 'resolved' | 'waived';

const isStaff = (caller: Caller): boolean => caller.roles.includes('pmo') || caller.roles.includes('admin');

/** The finding's people: its owners and whoever escalation added. */
const isOwner = (caller: Caller, f: Finding): boolean =>
  f.owners.includes(caller.person) || f.added.includes(caller.person);

const mayWork = (caller: Caller, f: Finding): boolean => isStaff(caller) || isOwner(caller, f);
const mayWaive = (caller: Caller, f: Finding): boolean =>
  isStaff(caller) || f.waivers.includes(caller.person);

/** What `caller` may do with `f` now: their part in it and its status together. */
export function mayOf(caller: Caller, f: Finding): FindingView['may'] {
  const live = LIVE_STATUSES.includes(f.status);
  return {
    acknowledge: f.status === 'open' && mayWork(caller, f),
    resolve: live && mayWork(caller, f),
    waive: live && mayWaive(caller, f),
  };
}

/** The finding, or 404 as for any unknown id. */
export async function findingOf(deps: ApiDeps, id: string): Promise<Finding> {
  const finding = await deps.store.findings.get(id);
  if (finding === null) throw notFound(`finding ${id}`);
  return finding;
}

/** 403 unless `caller` may take `action` on `f`, with who may. */
export function checkMay(caller: Caller, f: Finding, action: FindingAction): void {
  if (action === 'waived') {
    if (!mayWaive(caller, f)) {
      throw forbidden(
        `only the PMO, admins and the people monitor ${f.monitor} names in \`waive by\` may waive this finding`,
      );
    }
    return;
  }
  if (!mayWork(caller, f)) {
    const verb = action === 'acknowledged' ? 'acknowledge' : 'resolve';
    throw forbidden(
      `only the finding's owners, the people it was escalated to, the PMO and admins may ${verb} it`,
    );
  }
}

/** The store's refusals as the API answers them: 404, or 409 naming the status or the version. */
export function actionError(error: unknown, action: FindingAction): Error {
  if (error instanceof FindingNotFoundError) return notFound(`finding ${error.id}`);
  if (error instanceof FindingNotLiveError) {
    const why =
      error.status === 'acknowledged'
        ? 'it is acknowledged already'
        : `it is ${error.status}, no longer live`;
    return new ApiError(409, 'finding-not-live', `the finding cannot be ${action}: ${why}`, [], {
      status: error.status,
    });
  }
  if (error instanceof FindingVersionConflictError) {
    return new ApiError(
      409,
      'version-conflict',
      `the finding is at version ${error.currentVersion}, not ${error.expected}: read it again and decide again`,
      [],
      { currentVersion: error.currentVersion },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

const isWorkflowNotFound = (error: unknown): boolean =>
  // By name too: jest's vm modules may load @temporalio/client twice, which defeats instanceof.
  error instanceof WorkflowNotFoundError ||
  (error instanceof Error && error.name === 'WorkflowNotFoundError');

/** Tells the finding's workflow that a person acted on it; never fails (see the file comment). */
export async function tellWorkflow(deps: ApiDeps, id: string, action: FindingAction): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(findingWorkflowId(id)).signal(findingChanged, { action });
  } catch (error) {
    if (isWorkflowNotFound(error)) return;
    deps.log(`finding ${id} was ${action}, but its workflow could not be told`, error);
  }
}

/**
 * The action on the finding's ledger chain, as a fact (once: keyed by the action and the version
 * it made). After the store's write, so the ledger never holds an action the store refused; a
 * failure here fails the request with 500 and the retried request writes the fact.
 */
export async function recordAction(deps: ApiDeps, f: Finding, action: FindingAction): Promise<void> {
  const base = { monitor: f.monitor, project: f.project };
  const fact =
    action === 'acknowledged' && f.acknowledged
      ? { kind: 'findingAcknowledged' as const, ...base, by: f.acknowledged.by, note: f.acknowledged.note }
      : action === 'resolved' && f.resolved
        ? { kind: 'findingResolved' as const, ...base, by: f.resolved.by, evidence: f.resolved.evidence }
        : action === 'waived' && f.waived
          ? {
              kind: 'findingWaived' as const,
              ...base,
              by: f.waived.by,
              until: f.waived.until,
              reason: f.waived.reason,
            }
          : null;
  if (fact === null) return;
  await findingFact(deps.store, f, `${action}:${f.version}`, deps.now(), fact, fact.by);
}
