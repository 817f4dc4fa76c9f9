// The ledger signer's activity bound to the worker's store and signing key (keys.ts). A worker
// without a key still grows the tree, so that heads can be signed for every event once a key is
// configured; the run's result says no head was signed.
//
// After the tree grows, the PMO dashboard's projector folds its new leaves (store/dashboards.ts):
// the rollups are then at most one signer period behind the ledger. A fold that fails fails the
// activity, whose retry grows nothing twice and folds each leaf once (the projector's position).
import { Context } from '@temporalio/activity';
import type { Store } from '../../store/index.js';
import type { LedgerActivities } from './contract.js';
import type { SigningKey } from './keys.js';
import { growAndSign } from './signer.js';

/**
 * Fold batches (of 500 leaves) per run: 100,000 events, well inside the activity's 30 minutes
 * beside a large first tree; a longer backlog (a first fold over an old ledger) goes on next run.
 */
const FOLD_BATCHES_PER_RUN = 200;

export function createLedgerActivities(store: Store, key: SigningKey | null): LedgerActivities {
  return {
    signLedger: async () => {
      const signed = await growAndSign(store, key, () => new Date());
      await store.dashboards.foldAll(() => new Date(), {
        maxBatches: FOLD_BATCHES_PER_RUN,
        onBatch: heartbeat,
      });
      return signed;
    },
  };
}

function heartbeat(folded: number): void {
  try {
    Context.current().heartbeat(folded);
  } catch {
    // Not inside an activity (tests calling the function directly).
  }
}
