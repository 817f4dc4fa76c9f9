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

/** Plans and posts the notices of one fact of `finding`; returns them (for tests and logs). */
export async function postFindingNotices(
  store: Store,
  finding: FindingRecord,
  fact: Fact,
  eventId: string,
  at: Date,
): Promise<Notice[]> {
  if (!FINDING_NOTICE_FACTS.has(fact.kind)) return [];
  const written = await store.audit.get(eventId);
  const notices = planFindingNotices({
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
    fact: written?.fact ?? fact,
    // Shown in each recipient's own zone, so the zone it is recorded in does not matter.
    due: finding.dueAt === null ? null : { at: finding.dueAt.getTime(), zone: 'UTC' },
  });
  if (notices.length === 0) return [];
  await store.deliveries.post(notices);
  return notices;
}
