// Facts in words: the one place that turns a fact into the English sentence people read in the
// decision log, the timeline and the ledger. Nothing reads these sentences back; compliance and
// the console read the facts. The wording of entries written before facts existed is frozen in
// the ledger, so a change here affects new entries only.
import { formatInstant } from '../calendar/index.js';
import type { ApprovalClose, Fact, GrantedQualification, Moment, OnFailTaken, Unqualified } from './types.js';
import { adminSentence, isAdminFact } from './admin-facts.js';
import { monitorSentence } from './monitor-facts.js';

/** `a`, `a and b`, `a, b and c`; `nobody` for none. */
export function names(people: readonly string[]): string {
  if (people.length <= 1) return people[0] ?? 'nobody';
  return `${people.slice(0, -1).join(', ')} and ${people[people.length - 1] ?? ''}`;
}

export const plural = (n: number, word: string): string => (n === 1 ? word : `${word}s`);

export const showMoment = (moment: Moment): string => formatInstant(moment.at, moment.zone);

/** `X`, or `X on behalf of Y` when a stand-in acted. */
export function byline(actor: string, onBehalfOf: string | null): string {
  return onBehalfOf === null || onBehalfOf === actor ? actor : `${actor} on behalf of ${onBehalfOf}`;
}

const VERBS = { approve: 'approved', reject: 'rejected', requestChanges: 'requested changes to' } as const;

/** Why an approval closed, in plain words. */
export function closeReason(why: ApprovalClose): string {
  switch (why.kind) {
    case 'quorumMet':
      return `${names(why.approvers)} approved; ${why.needed} ${plural(why.needed, 'approval')} ${why.needed === 1 ? 'was' : 'were'} needed`;
    case 'vetoed':
      return `rejected by ${names(why.by)} (any reject rejects)`;
    case 'quorumUnreachable': {
      const tally = [`${why.approved} approved`];
      if (why.rejected > 0) tally.push(`${why.rejected} rejected`);
      tally.push(`${why.undecided} still to decide`);
      return `it can no longer get the ${why.needed} ${plural(why.needed, 'approval')} it needs (${tally.join(', ')})`;
    }
    case 'timeout':
      return why.blocked === null
        ? why.message
        : `${why.message}; not approved by timeout because it is blocked: ${why.blocked}`;
  }
}

/** Why one person may not decide: `qualification itil-change expired 2026-10-01`, `has no qualification itil-change`. */
export function qualificationReason(u: Pick<Unqualified, 'qualification' | 'expiredOn'>): string {
  return u.expiredOn === null
    ? `has no qualification ${u.qualification}`
    : `qualification ${u.qualification} expired ${u.expiredOn}`;
}

/** `alice: qualification itil-change expired 2026-10-01; bob: has no qualification itil-change`. */
export function unqualifiedText(unqualified: readonly Unqualified[]): string {
  return unqualified.map((u) => `${u.person}: ${qualificationReason(u)}`).join('; ');
}

/** The tail a sentence about people gets when some were left out for a qualification. */
const notQualified = (unqualified: readonly Unqualified[] | undefined): string =>
  unqualified === undefined || unqualified.length === 0
    ? ''
    : `; not qualified: ${unqualifiedText(unqualified)}`;

function failedText(because: string, message: string, onFail: OnFailTaken): string {
  switch (onFail.action) {
    case 'stop':
      return `${because}; on fail stop ${onFail.outcome}`;
    case 'continue':
      return `${because}; continued flagged: ${message}`;
    case 'waiver': {
      // The waiver approver reads the author's words first, then the values that failed.
      const failure = message === because ? because : `${message} (${because})`;
      return `${failure}; a waiver is required by ${showMoment(onFail.dueAt)}`;
    }
  }
}

/** The sentence for one fact. */
export function sentenceOf(fact: Fact): string {
  switch (fact.kind) {
    case 'started':
      return `${fact.process} started by ${fact.by}`;
    case 'cancelled':
      return `cancelled by ${fact.by}: ${fact.reason}`;
    case 'settling':
      return `the process reached its end; it ends once the re-run of ${fact.steps.join(', ')} settles`;
    case 'ended':
      return `process ended ${fact.outcome}: ${fact.message}`;
    case 'branchTaken': {
      const text = `${fact.step}: branch ${fact.branch} taken: ${fact.because}`;
      return fact.notTaken.length === 0 ? text : `${text} (${fact.notTaken.join('; ')})`;
    }
    case 'elseTaken':
      return `${fact.step}: else taken: ${fact.notTaken.join('; ')}`;
    case 'branchesStarted': {
      const mode = fact.onFailure === 'cancelOthers' ? 'cancel others' : 'finish others';
      return `${fact.step}: started branches ${fact.threads.join(', ')} (on failure ${mode})`;
    }
    case 'branchEnded':
      return `${fact.thread} ended${fact.outcome ? ` ${fact.outcome}` : ''}: ${fact.message}`;
    case 'branchesJoined':
      return `${fact.step}: every branch has ended`;
    case 'waiting':
      return `${fact.step}: waiting until ${showMoment(fact.until)}`;
    case 'waited':
      return `${fact.step}: waited until ${showMoment(fact.until)}`;
    case 'waitSkipped':
      return `${fact.step}: not waiting: ${fact.because}`;
    case 'waitPassed':
      return `${fact.step}: ${fact.date} has passed; continuing at once`;
    case 'notified':
      return `${fact.step}: notified ${fact.recipients.join(', ')}: ${fact.message}`;
    case 'recipientSkipped':
      return `${fact.step}: recipient skipped: ${fact.problem}`;
    case 'nobodyToNotify':
      return `${fact.step}: nobody to notify`;
    case 'approvalResolving':
      return `${fact.step} opened: resolving approvers`;
    case 'approvalOpened': {
      const head = `${fact.step} open to ${names(fact.eligible)}`;
      const quorum = `${fact.quorum}: ${fact.needed} needed`;
      if (fact.afterEscalation) return `${head} after escalation (${quorum})`;
      const barred = fact.barred.length > 0 ? `; not eligible: ${names(fact.barred)}` : '';
      return `${head} (${quorum}${fact.veto ? ', any reject rejects' : ''})${barred}${notQualified(fact.unqualified)}`;
    }
    case 'stepBlocked':
      return `${fact.step} is ${fact.still ? 'still ' : ''}blocked: ${fact.reason}`;
    case 'blockedNoticeSent':
      return `${names(fact.recipients)} notified that ${fact.step} is blocked`;
    case 'escalationProblem':
      return `${fact.step} escalation: ${fact.problem}`;
    case 'escalated':
      return fact.added.length === 0
        ? `${fact.step} escalated: nobody new to add${notQualified(fact.unqualified)}`
        : `${fact.step} escalated to ${names(fact.added)}${notQualified(fact.unqualified)}`;
    case 'handedOver':
      return `${fact.step} handed over to ${names(fact.to)}: the first decision ${fact.to.length === 1 ? 'they make' : 'any of them makes'} decides the step; earlier decisions no longer count${notQualified(fact.unqualified)}`;
    case 'reminded':
      return `${fact.step}: reminded ${fact.people.join(', ')}`;
    case 'approvalTimedOut':
      return `${fact.step}: no decision by ${fact.dueAt === null ? 'the deadline' : showMoment(fact.dueAt)}; escalating`;
    case 'vote':
      return `${byline(fact.actor, fact.onBehalfOf)} ${VERBS[fact.vote]} ${fact.step}${fact.reason ? `: ${fact.reason}` : ''}`;
    case 'approvalClosed':
      return `${fact.step} ${fact.outcome}: ${closeReason(fact.why)}`;
    case 'checkRunning':
      return `${fact.step}: running external check "${fact.service}"`;
    case 'attestationOpened':
      return `${fact.step}: attestation "${fact.statement}" opened`;
    case 'checkPassed':
      return fact.because ?? `${fact.step} passed${evidenceText(fact.evidence)}`;
    case 'checkFailed':
      return failedText(fact.because, fact.message, fact.onFail);
    case 'checkTaskOpened':
      return `${fact.step} open to ${names(fact.people)} (${fact.task === 'attestation' ? 'attesters' : 'waiver approvers'})`;
    case 'attested':
      return `${byline(fact.actor, fact.onBehalfOf)} attested ${fact.step}: "${fact.statement}"${evidenceText(fact.evidence)}${grantText(fact.grants)}`;
    case 'waived': {
      const until = fact.until === null ? '' : ` until ${showMoment(fact.until)}`;
      return `${byline(fact.actor, fact.onBehalfOf)} waived ${fact.step}${until} (${fact.failure}): ${fact.reason}`;
    }
    case 'waiverMissed': {
      const who = fact.people.length > 0 ? ` from ${names(fact.people)}` : '';
      return `${fact.step}: no waiver in time${who}; the failure stands`;
    }
    case 'waiverExpired':
      return `${fact.step}: waiver expired; re-running the check`;
    case 'reallocationRequested':
      return `${fact.step}: requesting ${fact.hours} hours of skill "${fact.skill}" from pool "${fact.pool}" for ${fact.project} (priority ${fact.priority})`;
    case 'reallocated':
      return `${fact.step}: ${fact.hours} hours allocated${fact.detail ? `: ${fact.detail}` : ''}`;
    case 'policyRetired':
      return fact.version === null
        ? `policy ${fact.policy} retired, every version: ${fact.reason}`
        : `policy ${fact.policy} version ${fact.version} retired: ${fact.reason}`;
    default:
      return isAdminFact(fact) ? adminSentence(fact) : monitorSentence(fact, showMoment);
  }
}

const evidenceText = (evidence: string | null): string => (evidence ? ` (evidence: ${evidence})` : '');

/** `; itil-change recorded for alice, completed 2026-12-06`, or why nobody got it. */
function grantText(grant: GrantedQualification | undefined): string {
  if (grant === undefined) return '';
  if (grant.people.length === 0)
    return `; ${grant.qualification} recorded for nobody${grant.unset ? `: ${grant.unset} is not set` : ''}`;
  return `; ${grant.qualification} recorded for ${names(grant.people)}, completed ${grant.completedOn}`;
}
