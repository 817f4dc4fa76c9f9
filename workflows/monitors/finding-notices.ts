// The notices of a finding's life: who is told that it opened, the reminders, the escalation and
// the overdue notice, posted to the delivery queue right after the fact is on the finding's ledger
// chain. The planner (engine/notices/findings.ts) decides who is told what from the fact; this
// hands it the finding and posts the notices to the same queue as an instance's
// (store.deliveries: the in-app list, mail and chat), which the worker's deliverer sends
// (workflows/notify).
//
// Called whether or not the ledger write was this call's: an activity retried after its write
// landed but before its notices did must still post them. Posting is idempotent by notice id
// (`<ledger event id>/<recipient>`), so a retry that finds them queued adds nothing. People are
// told the fact as the ledger holds it, not as the caller computed it again: a retried escalation
// finds the people it added already on the finding and would compute that it added nobody.
import type { Fact } from '../../engine/facts/index.js';
import { FINDING_NOTICE_FACTS, planFindingNotices } from '../../engine/notices/findings.js';
import type { Notice } from '../../engine/notices/types.js';
import type { Store } from '../../store/index.js';
import { keyedEventId } from '../../store/keyed-ledger.js';
import type { FindingRecord } from './findings-port.js';
import { findingChain } from './ledger.js';

/** The ledger event id of a finding's fact written under `key` (what findingFact names it). */
export const findingEventId = (finding: Pick<FindingRecord, 'id'>, key: string): string =>
  keyedEventId(findingChain(finding.id), key);

/** One fact of one finding whose notices are to be posted. */
export interface FindingNoticeInput {
  finding: FindingRecord;
  fact: Fact;
  eventId: string;
  at: Date;
}

/** Plans and posts the notices of one fact of `finding`; returns them (for tests and logs). */
export function postFindingNotices(
  store: Store,
  finding: FindingRecord,
  fact: Fact,
  eventId: string,
  at: Date,
): Promise<Notice[]> {
  return postFindingNoticesMany(store, [{ finding, fact, eventId, at }]);
}

/**
 * The notices of many findings' facts (a run's page): one read of the ledger events they are
 * about and one post to the delivery queue, whatever their number.
 */
export async function postFindingNoticesMany(
  store: Store,
  inputs: readonly FindingNoticeInput[],
): Promise<Notice[]> {
  const told = inputs.filter((i) => FINDING_NOTICE_FACTS.has(i.fact.kind));
  if (told.length === 0) return [];
  const written = await store.audit.getMany(told.map((i) => i.eventId));
  const notices = told.flatMap(({ finding, fact, eventId, at }) =>
    planFindingNotices({
      finding: {
        id: finding.id,
        monitor: finding.monitor,
        policy: finding.policy.name,
        project: finding.project,
        message: finding.message,
      },
      owners: finding.owners,
      eventId,
      at: at.getTime(),
      fact: written.get(eventId)?.fact ?? fact,
      // Shown in each recipient's own zone, so the zone it is recorded in does not matter.
      due: finding.dueAt === null ? null : { at: finding.dueAt.getTime(), zone: 'UTC' },
    }),
  );
  if (notices.length === 0) return [];
  await store.deliveries.post(notices);
  return notices;
}
