// The audit ledger's signer: started every 10 minutes by the Temporal Schedule
// `charter:ledger-signer:<task queue>` (workflows/ledger/schedule.ts) and on demand by the API
// (POST /v1/audit/heads). The work is one activity (workflows/ledger/signer.ts) that grows the
// Merkle tree and signs a head; it is safe to run twice at once, since the tree's writes are
// conditioned on the size they started from.
import { proxyActivities } from '@temporalio/workflow';
import type { LedgerActivities, SignResult } from '../ledger/contract.js';

const activities = proxyActivities<LedgerActivities>({
  // A batch of 2,000 events is a transaction of a few seconds; a first run over a large existing
  // ledger takes its batches with a heartbeat each.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function charterLedgerSigner(): Promise<SignResult> {
  return activities.signLedger();
}
