// Notices in words: one channel-neutral message per notice (subject, headline, why, due, details,
// link), which the mail, Slack and Teams formats lay out. Everything is rendered from the typed
// fields of the notice and its fact, never from an engine sentence; only a combination that has no
// message of its own (a fact that does not fit the notice's kind) falls back to sentenceOf(fact),
// so an odd notice still reads sensibly instead of failing a delivery.
//
// Times are shown in the recipient's zone (when.ts), and "due in 2 working days" counts on the
// recipient's working hours: the person reading it plans with their own week, not the policy's.
// A notice about a protocol monitor's finding is worded by findings.ts, a reminder that a
// qualification expires by qualifications.ts; everything below is about instances.
import { byline, closeReason, names, plural, sentenceOf, stepOfFact } from '../facts/index.js';
import type { Fact, Moment } from '../facts/index.js';
import { composeFinding, findingPath } from './findings.js';
import { composeQualification, qualificationPath } from './qualifications.js';
import { dueText, sinceText, timeText } from './when.js';
import { NOTICE_KINDS } from './types.js';
import type {
  ComposedMessage,
  DeliveryProfile,
  Notice,
  NoticeCause,
  NoticeInstance,
  NoticeKind,
} from './types.js';

export interface ComposeContext {
  /** The recipient's profile: zone and working hours for "due" in business time. */
  profile: DeliveryProfile;
  /** The console's base URL without trailing slash, e.g. https://charter.example.org (CHARTER_PUBLIC_URL). */
  publicUrl: string;
  /** Now (epoch ms), for "due in 2 working days". */
  now: number;
}

export interface ComposedDigest {
  subject: string;
  intro: string;
  items: ComposedMessage[];
}

/**
 * The console path for a notice: its finding's or qualification's page, else the task when there
 * is one, else the instance.
 */
export function noticePath(notice: Notice): string {
  if (notice.finding !== undefined) return findingPath(notice.finding);
  if (notice.qualification !== undefined) return qualificationPath(notice.qualification);
  return notice.task === null
    ? `/instances/${encodeURIComponent(notice.instance?.id ?? '')}`
    : `/tasks/${encodeURIComponent(notice.task)}`;
}

/** A notice about an instance: every notice but a finding's and a qualification reminder. */
type InstanceNotice = Notice & {
  instance: NoticeInstance;
  cause: Exclude<NoticeCause, { kind: 'qualificationExpiry' }>;
};
const aboutInstance = (notice: Notice): notice is InstanceNotice =>
  notice.instance !== null && notice.cause.kind !== 'qualificationExpiry';

/** The kind-specific words of a message; compose() adds the due line, details and link. */
interface Body {
  subject: string;
  headline: string;
  why: string | null;
  /** The fact's own deadline, shown when the notice carries no `due`. */
  due: Moment | null;
  /** `expires` for a waiver's end, `due` for everything else. */
  dueWord: 'due' | 'expires';
}

/** Kinds whose recipient is asked to decide something: a delegate decides for the delegator. */
const ASKS_TO_DECIDE: ReadonlySet<NoticeKind> = new Set([
  'taskAssigned',
  'reminder',
  'escalation',
  'waiverNeeded',
]);

export function compose(notice: Notice, ctx: ComposeContext): ComposedMessage {
  if (notice.finding !== undefined) return composeFinding(notice, notice.finding, ctx);
  if (notice.qualification !== undefined) return composeQualification(notice.qualification, ctx);
  if (!aboutInstance(notice))
    throw new Error(`notice ${notice.id} is about neither an instance, a finding nor a qualification`);
  const body = bodyOf(notice, ctx);
  const due = notice.due ?? body.due;
  let headline = body.headline;
  if (notice.onBehalfOf !== null && notice.cause.kind !== 'delegation') {
    const verb = ASKS_TO_DECIDE.has(notice.kind) ? 'decide' : 'receive this';
    headline += ` You ${verb} on behalf of ${notice.onBehalfOf}, who delegated their decisions to you.`;
  }
  return {
    subject: body.subject,
    headline,
    why: body.why,
    due: due === null ? null : dueText(due.at, body.dueWord, ctx),
    details: detailsOf(notice),
    link: {
      url: `${ctx.publicUrl.replace(/\/+$/, '')}${noticePath(notice)}`,
      label: notice.task === null ? 'Open the request' : 'Open the task',
    },
  };
}

/** A digest of several notices (newest last): "Charter: 7 updates since Friday". */
export function composeDigest(notices: readonly Notice[], ctx: ComposeContext): ComposedDigest {
  const items = notices.map((notice) => compose(notice, ctx));
  if (notices.length === 0) return { subject: 'Charter: no updates', intro: 'Nothing new.', items };
  const since = Math.min(...notices.map((notice) => notice.at));
  const count = `${notices.length} ${plural(notices.length, 'update')}`;
  const counts = NOTICE_KINDS.map((kind) => [kind, notices.filter((n) => n.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${plural(n, DIGEST_NOUNS[kind])}`);
  return {
    subject: `Charter: ${count} ${sinceText(since, ctx)}`,
    intro: `Since ${timeText(since, ctx)}: ${names(counts)}.`,
    items,
  };
}

const DIGEST_NOUNS: Readonly<Record<NoticeKind, string>> = {
  taskAssigned: 'new task',
  reminder: 'reminder',
  escalation: 'escalation',
  decision: 'decision',
  waiverNeeded: 'waiver request',
  waiverExpiring: 'expiring waiver',
  mention: 'mention',
  ended: 'finished request',
  policyMessage: 'message',
  finding: 'finding',
  qualificationExpiring: 'expiring qualification',
};

function bodyOf(notice: InstanceNotice, ctx: ComposeContext): Body {
  const { cause } = notice;
  switch (cause.kind) {
    case 'mention': {
      const on = notice.step === null ? about(notice) : `${notice.step} of ${about(notice)}`;
      const subject = `${cause.by} mentioned you on ${on}`;
      return { subject, headline: `${subject}.`, why: cause.excerpt, due: null, dueWord: 'due' };
    }
    case 'delegation':
      return delegationBody(notice, cause, ctx);
    case 'fact':
      return factBody(notice, cause, ctx) ?? genericBody(notice, cause.fact);
  }
}

function delegationBody(
  notice: InstanceNotice,
  cause: Extract<NoticeCause, { kind: 'delegation' }>,
  ctx: ComposeContext,
): Body {
  const whose =
    cause.by === cause.from ? `${cause.from} delegated their` : `${cause.by} delegated ${cause.from}'s`;
  const what =
    notice.step === null ? `the open decisions on ${about(notice)}` : `${notice.step} of ${about(notice)}`;
  return {
    subject: `Delegated to you: ${notice.step === null ? 'decisions' : notice.step} on ${about(notice)}`,
    headline:
      `${whose} decisions to you until ${timeText(cause.until, ctx)}. ` +
      `You can now decide ${what}, requested by ${notice.instance.requester}, on their behalf.`,
    why: cause.note ?? null,
    due: null,
    dueWord: 'due',
  };
}

type FactCause = Extract<NoticeCause, { kind: 'fact' }>;
type CheckFailed = Extract<Fact, { kind: 'checkFailed' }>;

/** The message a fact makes for the notice's kind, or null when the two do not fit together. */
function factBody(notice: InstanceNotice, cause: FactCause, ctx: ComposeContext): Body | null {
  const { fact } = cause;
  const what = about(notice);
  const asked = requested(notice, false);
  /** `asked` inside a sentence that goes on after it. */
  const askedThen = requested(notice, true);
  const body = (subject: string, headline: string, why: string | null, due: Moment | null = null): Body => ({
    subject,
    headline,
    why,
    due,
    dueWord: 'due',
  });
  switch (fact.kind) {
    case 'approvalOpened': {
      if (notice.kind !== 'taskAssigned') return null;
      const task = TASK_WORDS[fact.task];
      const verb = fact.task === 'approval' ? 'approve' : 'decide';
      const quorum = `${fact.needed} of ${fact.eligible.length} must ${verb} (${fact.quorum})`;
      const veto = fact.veto ? '; any reject rejects' : '';
      return body(
        `${task.subject}: ${fact.step} on ${what}`,
        `Your ${task.noun} is needed on ${fact.step} of ${asked}: ${quorum}${veto}.`,
        fact.afterEscalation ? `you were added when ${fact.step} was escalated` : null,
      );
    }
    case 'attestationOpened':
      if (notice.kind !== 'taskAssigned') return null;
      return body(
        `${TASK_WORDS.attestation.subject}: ${fact.step} on ${what}`,
        `Your attestation is needed on ${fact.step} of ${asked}: "${fact.statement}".`,
        null,
        fact.dueAt,
      );
    case 'checkTaskOpened':
      if (fact.task === 'waiver') {
        if (notice.kind !== 'waiverNeeded' && notice.kind !== 'taskAssigned') return null;
        return waiverBody(notice, fact.step, cause.failure ?? null);
      }
      if (notice.kind !== 'taskAssigned') return null;
      return body(
        `${TASK_WORDS.attestation.subject}: ${fact.step} on ${what}`,
        `Your attestation is needed on ${fact.step} of ${asked}.`,
        null,
      );
    case 'checkFailed':
      if (notice.kind !== 'waiverNeeded' || fact.onFail.action !== 'waiver') return null;
      return waiverBody(notice, fact.step, fact);
    case 'notified':
      if (notice.kind !== 'policyMessage') return null;
      return body(
        `${fact.step} on ${what}`,
        fact.message,
        `the policy's ${fact.step} step sends this to you`,
      );
    case 'reminded': {
      if (notice.kind !== 'reminder') return null;
      const due = notice.due ?? fact.dueAt;
      const when = due === null ? 'is waiting for your decision' : `is due ${timeText(due.at, ctx)}`;
      return body(
        `Reminder: ${fact.step} on ${what}`,
        `Reminder: ${fact.step} of ${askedThen} ${when}.`,
        null,
        fact.dueAt,
      );
    }
    case 'escalated': {
      if (notice.kind !== 'escalation') return null;
      const to =
        fact.added.length === 0
          ? ', but nobody new could be added'
          : ` to ${withYou(fact.added, notice.recipient)}`;
      return body(
        `Escalated: ${fact.step} on ${what}`,
        `${fact.step} of ${askedThen} was escalated${to}.`,
        ladder(fact.level),
      );
    }
    case 'handedOver': {
      if (notice.kind !== 'escalation') return null;
      const deciders = fact.to.length === 1 ? 'the new decider' : 'any of the new deciders';
      return body(
        `Handed over: ${fact.step} on ${what}`,
        `${fact.step} of ${askedThen} was handed over to ${withYou(fact.to, notice.recipient)}: the first decision ` +
          `of ${deciders} decides the step, and decisions made before no longer count.`,
        ladder(fact.level),
      );
    }
    case 'approvalTimedOut': {
      if (notice.kind !== 'escalation') return null;
      const by = fact.dueAt === null ? 'by the deadline' : `by ${timeText(fact.dueAt.at, ctx)}`;
      const then =
        fact.action === 'escalate'
          ? 'it is being escalated'
          : `on timeout it is ${TIMEOUT_WORDS[fact.action]}`;
      return body(
        `No decision in time: ${fact.step} on ${what}`,
        `Nobody decided ${fact.step} of ${askedThen} ${by}; ${then}.`,
        `nobody decided ${by}, and the policy says: on timeout ${fact.action}`,
      );
    }
    case 'approvalClosed': {
      if (notice.kind !== 'decision') return null;
      const outcome = fact.outcome === 'failed' ? 'failed' : `was ${fact.outcome}`;
      return body(
        `${capitalised(fact.outcome)}: ${fact.step} on ${what}`,
        `${fact.step} of ${askedThen} ${outcome}.`,
        closeReason(fact.why),
      );
    }
    case 'waived': {
      if (notice.kind !== 'waiverExpiring') return null;
      const until = notice.due ?? fact.until;
      const when = until === null ? 'is about to expire' : `expires ${timeText(until.at, ctx)}`;
      return {
        subject: `Waiver expiring: ${fact.step} on ${what}`,
        headline: `The waiver for ${fact.step} on ${what} ${when}; then the check runs again.`,
        why: `${byline(fact.actor, fact.onBehalfOf)} waived it: ${fact.reason} (the failure: ${fact.failure})`,
        due: fact.until,
        dueWord: 'expires',
      };
    }
    case 'ended':
      if (notice.kind !== 'ended') return null;
      return body(
        `${what} ended: ${fact.outcome}`,
        `${capitalised(askedThen)} ended: ${fact.outcome}.`,
        fact.message,
      );
    case 'cancelled':
      if (notice.kind !== 'ended') return null;
      return body(
        `${what} was cancelled`,
        `${capitalised(askedThen)} was cancelled by ${fact.by}.`,
        fact.reason,
      );
    default:
      return null;
  }
}

/** Any fact, for any kind: the decision log's sentence about the request. */
function genericBody(notice: InstanceNotice, fact: Fact): Body {
  const step = stepOfFact(fact) ?? notice.step;
  return {
    subject: `Update: ${step === null ? '' : `${step} on `}${about(notice)}`,
    headline: `${about(notice)}: ${sentenceOf(fact)}.`,
    why: null,
    due: null,
    dueWord: 'due',
  };
}

const TASK_WORDS = {
  approval: { subject: 'Approval needed', noun: 'approval' },
  attestation: { subject: 'Attestation needed', noun: 'attestation' },
  waiver: { subject: 'Waiver decision needed', noun: 'waiver decision' },
} as const;

const TIMEOUT_WORDS = { approve: 'approved', reject: 'rejected', fail: 'failed' } as const;

/** Why an escalation happened: a level of the ladder (0-based), or `on timeout escalate` (-1). */
function ladder(level: number): string {
  return level < 0
    ? 'nobody decided by the deadline, and the policy escalates on timeout'
    : `nobody had decided yet at level ${level + 1} of the escalation ladder`;
}

/** `change-request for project Apollo`, or the process alone when there is no project. */
function about(notice: InstanceNotice): string {
  const { process, project } = notice.instance;
  return project === null ? process : `${process} for project ${project}`;
}

/**
 * The request as its recipient knows it: `your request change-request for project Apollo` for the
 * requester, else `change-request for project Apollo, requested by lea.hofmann@example.org`, with
 * the closing comma when the sentence goes on (`inner`).
 */
function requested(notice: InstanceNotice, inner: boolean): string {
  const { requester } = notice.instance;
  if (notice.recipient === requester) return `your request ${about(notice)}`;
  return `${about(notice)}, requested by ${requester}${inner ? ',' : ''}`;
}

/**
 * A waiver to decide: the check that failed and, when the planner handed the failure over, why
 * it failed (the author's message first, then the engine's explanation) and by when.
 */
function waiverBody(notice: InstanceNotice, step: string, failure: CheckFailed | null): Body {
  const why =
    failure === null
      ? null
      : failure.message === failure.because
        ? failure.because
        : `${failure.message} (${failure.because})`;
  return {
    subject: `Waiver needed: ${step} failed on ${about(notice)}`,
    headline: `The check ${step} failed on ${requested(notice, true)} and the request goes on only if you waive the failure.`,
    why,
    due: failure?.onFail.action === 'waiver' ? failure.onFail.dueAt : null,
    dueWord: 'due',
  };
}

/** `names(people)` with the recipient as "you", first. */
function withYou(people: readonly string[], recipient: string): string {
  const others = people.filter((p) => p !== recipient);
  return names(others.length < people.length ? ['you', ...others] : others);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function detailsOf(notice: InstanceNotice): ComposedMessage['details'] {
  const { instance } = notice;
  const step = notice.step ?? (notice.cause.kind === 'fact' ? stepOfFact(notice.cause.fact) : null);
  const details = [{ label: 'Process', value: instance.process }];
  if (instance.project !== null) details.push({ label: 'Project', value: instance.project });
  details.push(
    { label: 'Policy', value: instance.policy },
    { label: 'Requested by', value: instance.requester },
  );
  if (step !== null) details.push({ label: 'Step', value: step });
  if (notice.onBehalfOf !== null) details.push({ label: 'On behalf of', value: notice.onBehalfOf });
  return details;
}
