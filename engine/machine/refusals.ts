// Every reason an action can be turned down, as one closed list in the order they take precedence
// when several apply: the first that applies is the one the person hears (and the ledger keeps).
// engine/machine/REFUSALS.md is the table for people; a unit test keeps it equal to this list.
//
// The order follows one rule: tell people what is true for good before what may change. An
// instance that has ended or a step that is not (or not yet) open comes first, since nothing about
// the person matters then. Next what bars this person whatever happens to the step (segregation of
// duties): an excluded requester who also sits in the approver pool is told `excluded` even while
// the step is blocked, because an escalation that unblocks the step would not let them decide,
// and because the auditor's question "who tried to approve their own request?" must find them.
// Then the step's own state (blocked), then membership (escalations may add people), then what
// was already done, and last what better input would fix. One exception: `not-qualified` comes
// right after `task-closed`, because the API decides it from the qualification registry before
// it asks the engine anything (see REFUSALS.md).

export interface RefusalInfo {
  /** The HTTP status the API answers with: 403 never for this person, 409 not now, 422 fix the input. */
  status: 403 | 409 | 422;
  /** Who decides it: the engine's validator, or the API before the engine is asked. */
  by: 'engine' | 'api';
  /** The request field to correct (422 only). */
  field?: string;
  meaning: string;
}

/** In precedence order: earlier entries win when several apply. */
export const REFUSALS = {
  ended: { status: 409, by: 'engine', meaning: 'the instance has ended' },
  'task-closed': { status: 409, by: 'api', meaning: 'the task closed before the action arrived' },
  // The API reads the registry before it sends a decision on, so this comes before every code the
  // engine gives; the engine keeps the same order for the people it left out when it resolved them.
  'not-qualified': {
    status: 403,
    by: 'api',
    meaning:
      'the person (or whoever they stand in for) does not hold a qualification the step requires, valid that day',
  },
  // An attestation that grants a qualification the registry does not have would record nothing:
  // the API refuses it before the engine is asked, and an admin adds the qualification first.
  'unknown-qualification': {
    status: 409,
    by: 'api',
    meaning: 'the attestation grants a qualification the registry does not have (yet)',
  },
  'unknown-request': {
    status: 409,
    by: 'engine',
    meaning: 'an answer to a request nobody waits for (driver events)',
  },
  'unknown-timer': { status: 409, by: 'engine', meaning: 'a timer that is not running (driver events)' },
  'no-such-check': {
    status: 409,
    by: 'engine',
    meaning: "a check service's report that no running check of that service awaits",
  },
  'step-not-open': {
    status: 409,
    by: 'engine',
    meaning: 'the step is not waiting for this action, or is still resolving who may act',
  },
  'delegation-not-allowed': {
    status: 403,
    by: 'engine',
    meaning: 'the step does not allow decisions by a stand-in',
  },
  excluded: { status: 403, by: 'engine', meaning: 'segregation of duties: the policy excludes the person' },
  'distinct-from': {
    status: 403,
    by: 'engine',
    meaning: 'segregation of duties: the person decided a step this one must be distinct from',
  },
  'step-blocked': {
    status: 409,
    by: 'engine',
    meaning: 'the step cannot take decisions as it stands (fail closed) until an escalation or its deadline',
  },
  'not-an-approver': {
    status: 403,
    by: 'engine',
    meaning: 'the person is not an eligible approver of the step',
  },
  'not-an-attester': { status: 403, by: 'engine', meaning: 'the person is not an attester of the step' },
  'not-a-waiver-approver': {
    status: 403,
    by: 'engine',
    meaning: 'the person may not waive this check',
  },
  'not-your-task': { status: 403, by: 'api', meaning: 'only an assignee can delegate a task' },
  'already-decided': {
    status: 409,
    by: 'engine',
    meaning: 'the person (or whoever they stand in for) has already decided the step',
  },
  'changes-not-allowed': {
    status: 422,
    by: 'engine',
    field: 'body.decision',
    meaning: 'the step does not allow requesting changes',
  },
  'reason-required': {
    status: 422,
    by: 'engine',
    field: 'body.reason',
    meaning: 'a rejection or waiver needs a reason',
  },
  'evidence-required': {
    status: 422,
    by: 'engine',
    field: 'body.evidence',
    meaning: 'the attestation needs evidence',
  },
} as const satisfies Record<string, RefusalInfo>;

export type RefusalCode = keyof typeof REFUSALS;

export const REFUSAL_CODES = Object.keys(REFUSALS) as [RefusalCode, ...RefusalCode[]];

export const isRefusalCode = (code: string): code is RefusalCode => Object.hasOwn(REFUSALS, code);

/** Why the Update validator (and step) refuses an event; `code` is stable, `message` is for people. */
export interface Refusal {
  code: RefusalCode;
  message: string;
}

export const refuse = (code: RefusalCode, message: string): Refusal => ({ code, message });
