// Who is told what after a transition: the notices a transition's facts call for, one per person.
// Pure, so the activity that stores a transition, the simulator and the tests all plan alike.
//
// A notice's id is `<audit event id>/<recipient>`: the event ids are deterministic, so an activity
// retried after a crash plans the same ids, and every store of notices keeps each one once. Only the
// facts decide who is told; the sentences beside them are never read.
import type { Fact, Moment } from '../facts/index.js';
import type { Notice, NoticeInstance, NoticeKind } from './types.js';

/** One entry of the transition's decision log with its fact and its ledger id. */
export interface FactEntry {
  /** The audit event id (`<instance>:<seq>`). */
  id: string;
  at: number;
  fact: Fact;
}

/** A task of the instance as stored after the transition's writes. */
export interface TaskRef {
  /** The stored id, `<instance>/<task>`, which the console's task page takes. */
  id: string;
  step: string;
  open: boolean;
  due: Moment | null;
}

export type CheckFailedFact = Extract<Fact, { kind: 'checkFailed' }>;

export interface PlanInput {
  instance: NoticeInstance;
  entries: readonly FactEntry[];
  /** The instance's tasks, so that a reminder or an escalation can link to the task it is about. */
  tasks: readonly TaskRef[];
  /** The last failure of each check step, for waiver tasks opened after it (earlier transitions). */
  failures: Readonly<Record<string, CheckFailedFact>>;
}

/** The fact kinds that lead to a notice: the activity reads tasks and failures only when one occurs. */
export const NOTICE_FACTS: ReadonlySet<Fact['kind']> = new Set([
  'approvalOpened',
  'checkTaskOpened',
  'reminded',
  'escalated',
  'handedOver',
  'approvalClosed',
  'waived',
  'ended',
  'notified',
]);

/** Whether planning needs the failure a waiver task is about (a waiver task is opened). */
export const needsFailure = (fact: Fact): boolean =>
  fact.kind === 'checkTaskOpened' && fact.task === 'waiver';

/** The notices of one transition, in the order of its facts, each person once per fact. */
export function planNotices(input: PlanInput): Notice[] {
  const notices: Notice[] = [];
  for (const entry of input.entries) {
    for (const draft of draftsOf(entry.fact, input)) {
      const seen = new Set<string>();
      for (const recipient of draft.to) {
        if (seen.has(recipient)) continue;
        seen.add(recipient);
        notices.push({
          id: `${entry.id}/${recipient}`,
          kind: draft.kind,
          recipient,
          onBehalfOf: null,
          at: entry.at,
          instance: input.instance,
          task: draft.task,
          step: 'step' in entry.fact ? entry.fact.step : null,
          due: draft.due,
          cause: draft.failure
            ? { kind: 'fact', fact: entry.fact, failure: draft.failure }
            : { kind: 'fact', fact: entry.fact },
        });
      }
    }
  }
  return withoutRepeats(notices);
}

/**
 * An escalation that opens a blocked step also opens its task: the people it added learn both
 * from the escalation notice, so their task notice for the same step is dropped.
 */
function withoutRepeats(notices: Notice[]): Notice[] {
  const escalatedTo = new Set(
    notices
      .filter((n) => n.kind === 'escalation' && n.task !== null)
      .map((n) => `${n.step ?? ''}\u0000${n.recipient}`),
  );
  if (escalatedTo.size === 0) return notices;
  return notices.filter(
    (n) => n.kind !== 'taskAssigned' || !escalatedTo.has(`${n.step ?? ''}\u0000${n.recipient}`),
  );
}

interface Draft {
  kind: NoticeKind;
  to: readonly string[];
  task: string | null;
  due: Moment | null;
  failure?: CheckFailedFact;
}

function draftsOf(fact: Fact, input: PlanInput): Draft[] {
  const requester = input.instance.requester;
  const task = (step: string) => openTaskOf(input.tasks, step);
  switch (fact.kind) {
    case 'approvalOpened': {
      const barred = new Set(fact.barred);
      const open = task(fact.step);
      const to = fact.eligible.filter((p) => !barred.has(p));
      return [{ kind: 'taskAssigned', to, task: open?.id ?? null, due: open?.due ?? null }];
    }
    case 'checkTaskOpened': {
      const open = task(fact.step);
      if (fact.task === 'attestation') {
        return [{ kind: 'taskAssigned', to: fact.people, task: open?.id ?? null, due: open?.due ?? null }];
      }
      const failure = input.failures[fact.step];
      const due = failure?.onFail.action === 'waiver' ? failure.onFail.dueAt : (open?.due ?? null);
      return [
        {
          kind: 'waiverNeeded',
          to: fact.people,
          task: open?.id ?? null,
          due,
          ...(failure === undefined ? {} : { failure }),
        },
      ];
    }
    case 'reminded': {
      const open = task(fact.step);
      return [
        { kind: 'reminder', to: fact.people, task: open?.id ?? null, due: fact.dueAt ?? open?.due ?? null },
      ];
    }
    case 'escalated':
    case 'handedOver': {
      const open = task(fact.step);
      const to = fact.kind === 'escalated' ? fact.added : fact.to;
      const due = open?.due ?? null;
      // The new deciders act; the requester learns their request moved on and to whom.
      return [
        { kind: 'escalation', to, task: open?.id ?? null, due },
        { kind: 'escalation', to: to.includes(requester) ? [] : [requester], task: null, due },
      ];
    }
    case 'approvalClosed':
      return [{ kind: 'decision', to: [requester], task: null, due: null }];
    case 'waived':
      if (fact.until === null) return [];
      // Told when it is about to run out: the delivery holds it until a few working days before.
      return [
        {
          kind: 'waiverExpiring',
          to: unique([requester, fact.onBehalfOf ?? fact.actor]),
          task: null,
          due: fact.until,
        },
      ];
    case 'ended':
      return [{ kind: 'ended', to: [requester], task: null, due: null }];
    case 'notified':
      // The policy's own words to the people its `notify` step names.
      return [{ kind: 'policyMessage', to: fact.recipients, task: null, due: null }];
    default:
      return [];
  }
}

/** The open task of `step`, else its latest task (a closed task still shows its history). */
function openTaskOf(tasks: readonly TaskRef[], step: string): TaskRef | null {
  let latest: TaskRef | null = null;
  for (const t of tasks) {
    if (t.step !== step) continue;
    if (t.open) return t;
    latest = t;
  }
  return latest;
}

const unique = (people: readonly string[]): string[] => [...new Set(people)];

/** Kinds a delegate also receives for the person they stand in for (they may act on these). */
const ACTIONABLE: ReadonlySet<NoticeKind> = new Set([
  'taskAssigned',
  'reminder',
  'escalation',
  'waiverNeeded',
]);

/**
 * Adds a copy for each delegate of a recipient of an actionable notice, on the recipient's behalf
 * (`<source>/<delegate>`); a delegate who is told in their own right gets only that notice.
 */
export function withDelegates(
  notices: readonly Notice[],
  delegations: readonly { from: string; to: string }[],
): Notice[] {
  if (delegations.length === 0) return [...notices];
  const ids = new Set(notices.map((n) => n.id));
  const out = [...notices];
  for (const notice of notices) {
    if (!ACTIONABLE.has(notice.kind) || notice.task === null) continue;
    const source = notice.id.slice(0, notice.id.length - notice.recipient.length - 1);
    for (const d of delegations) {
      if (d.from !== notice.recipient) continue;
      const id = `${source}/${d.to}`;
      if (ids.has(id)) continue;
      ids.add(id);
      out.push({ ...notice, id, recipient: d.to, onBehalfOf: d.from });
    }
  }
  return out;
}
