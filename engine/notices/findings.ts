// Notices about protocol monitors' findings: who is told when a fact of a finding's life lands on
// its ledger chain (`finding:<id>`), and the words of those messages. The instance notices of
// plan.ts and compose.ts are about a request and its tasks; a finding is about a project, has
// owners rather than a requester, and links to its own page, so it is planned and worded here and
// compose() hands it over.
//
// A notice's id is `<ledger event id>/<recipient>`, the event id being the keyed ledger's
// (`finding:<id>#<key>`): a retried activity plans the same ids, and every store of notices keeps
// each one once. Only the facts' fields decide who is told and what it says; the ledger's sentence
// is never read (the author's message and the monitor's why are data of the fact and the finding).
import { names, sentenceOf } from '../facts/index.js';
import type { Fact, Moment } from '../facts/index.js';
import { dueText, timeText, type Reader } from './when.js';
import type { ComposedMessage, Notice, NoticeFinding } from './types.js';

/** One fact of a finding's life, as it was written to the ledger, and the finding it is about. */
export interface FindingNoticeInput {
  finding: NoticeFinding;
  /** The finding's owners: an escalation tells them it happened, though its fact names only whom it added. */
  owners: readonly string[];
  /** The ledger event id of the fact (`finding:<id>#<key>`, store/keyed-ledger.ts). */
  eventId: string;
  /** When the fact happened (epoch ms). */
  at: number;
  fact: Fact;
  /** When the finding is due, for a fact that does not say (an escalation); null if never. */
  due: Moment | null;
}

/** The facts of a finding's life that somebody is told about. */
export const FINDING_NOTICE_FACTS: ReadonlySet<Fact['kind']> = new Set([
  'findingOpened',
  'findingReminded',
  'findingEscalated',
  'findingOverdue',
]);

/**
 * The notices one fact of a finding calls for, each person once: an opened finding to its owners
 * (a finding without owners reaches people through its escalation, which is called at once), a
 * reminder to the people it names, an escalation to the people it added and to the owners (told
 * that it was escalated), an overdue finding to its owners and the people escalation added.
 */
export function planFindingNotices(input: FindingNoticeInput): Notice[] {
  const { fact } = input;
  const { to, due } = audienceOf(input);
  return [...new Set(to)].map((recipient) => ({
    id: `${input.eventId}/${recipient}`,
    kind: 'finding',
    recipient,
    onBehalfOf: null,
    at: input.at,
    instance: null,
    finding: input.finding,
    task: null,
    step: null,
    due,
    cause: { kind: 'fact', fact },
  }));
}

/** Who is told about the fact (in this order, perhaps with repeats) and by when the finding is due. */
function audienceOf(input: FindingNoticeInput): { to: readonly string[]; due: Moment | null } {
  const { fact } = input;
  switch (fact.kind) {
    case 'findingOpened':
      return { to: fact.owners, due: fact.dueAt };
    case 'findingReminded':
      return { to: fact.people, due: fact.dueAt };
    case 'findingEscalated':
      // The people it added act now; the owners learn that it went over their heads.
      return { to: [...fact.added, ...input.owners], due: input.due };
    case 'findingOverdue':
      return { to: fact.people, due: fact.dueAt };
    default:
      return { to: [], due: null };
  }
}

/** The console page of a finding (the web's findingPath). */
export const findingPath = (finding: NoticeFinding): string => `/findings/${encodeURIComponent(finding.id)}`;

export interface FindingComposeContext extends Reader {
  /** The console's base URL without trailing slash (CHARTER_PUBLIC_URL). */
  publicUrl: string;
}

/** A notice about a finding in words: what was found on which project, why, and by when. */
export function composeFinding(
  notice: Notice,
  finding: NoticeFinding,
  ctx: FindingComposeContext,
): ComposedMessage {
  const fact = notice.cause.kind === 'fact' ? notice.cause.fact : null;
  const body = (fact === null ? null : bodyOf(notice, finding, fact, ctx)) ?? genericBody(finding, fact);
  const due = notice.due ?? body.due;
  return {
    subject: body.subject,
    headline: body.headline,
    why: body.why,
    due: due === null ? null : dueText(due.at, 'due', ctx),
    details: [
      { label: 'Monitor', value: finding.monitor },
      { label: 'Project', value: finding.project },
      { label: 'Policy', value: finding.policy },
    ],
    link: {
      url: `${ctx.publicUrl.replace(/\/+$/, '')}${findingPath(finding)}`,
      label: 'Open the finding',
    },
  };
}

interface Body {
  subject: string;
  headline: string;
  why: string | null;
  /** The fact's own deadline, shown when the notice carries no `due`. */
  due: Moment | null;
}

/** The message a fact of the finding makes, or null when the fact is not one people are told about. */
function bodyOf(notice: Notice, finding: NoticeFinding, fact: Fact, ctx: Reader): Body | null {
  const { monitor, project, message } = finding;
  const on = `finding on ${project}: ${message}`;
  const theFinding = `the finding of ${monitor} on ${project}`;
  /** ` due Wed 9 Dec, 09:00 (Europe/Berlin)` in the recipient's zone, or nothing. */
  const dueAt = (moment: Moment | null): string =>
    moment === null ? '' : ` due ${timeText(moment.at, ctx)}`;
  switch (fact.kind) {
    case 'findingOpened': {
      const headline = [`${monitor} found a problem on ${project}: ${message}.`];
      if (fact.owners.includes(notice.recipient)) headline.push('You own this finding.');
      if (fact.dueAt !== null) headline.push(`It is due ${timeText(fact.dueAt.at, ctx)}.`);
      return {
        subject: `Finding on ${project}: ${message}`,
        headline: headline.join(' '),
        why: fact.why,
        due: fact.dueAt,
      };
    }
    case 'findingReminded': {
      const due = notice.due ?? fact.dueAt;
      return {
        subject: `Reminder: ${on}`,
        headline: `Reminder: ${theFinding} is still open${due === null ? '' : ` and${dueAt(due)}`}: ${message}.`,
        why: null,
        due: fact.dueAt,
      };
    }
    case 'findingEscalated': {
      const added = fact.added.includes(notice.recipient);
      const to =
        fact.added.length === 0
          ? ', but nobody new could be added'
          : ` to ${withYou(fact.added, notice.recipient)}`;
      const why =
        `it was still open at level ${fact.level} of the monitor's escalation ladder` +
        (fact.problems.length > 0 ? `; could not reach: ${fact.problems.join('; ')}` : '');
      return {
        subject: `${added ? 'Escalated to you' : 'Escalated'}: ${on}`,
        headline: `${capitalised(theFinding)}${added ? '' : ', which you own,'} was escalated${to}: ${message}.`,
        why,
        due: null,
      };
    }
    case 'findingOverdue':
      return {
        subject: `Overdue: ${on}`,
        headline: `${capitalised(theFinding)} was${dueAt(fact.dueAt)} and is still open: ${message}.`,
        why: null,
        due: fact.dueAt,
      };
    default:
      return null;
  }
}

/** A finding notice whose cause has no message of its own: the decision log's sentence, so it still reads. */
function genericBody(finding: NoticeFinding, fact: Fact | null): Body {
  return {
    subject: `Update: finding on ${finding.project}: ${finding.message}`,
    headline:
      fact === null
        ? `The finding of ${finding.monitor} on ${finding.project} changed: ${finding.message}.`
        : `${capitalised(sentenceOf(fact))}.`,
    why: null,
    due: null,
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
