// The ledger signer's activity bound to the worker's store and signing key (keys.ts). A worker
// without a key still grows the tree, so that heads can be signed for every event once a key is
// configured; the run's result says no head was signed.
import type { Store } from '../../store/index.js';
import type { LedgerActivities } from './contract.js';
import type { SigningKey } from './keys.js';
import { growAndSign } from './signer.js';

export function createLedgerActivities(store: Store, key: SigningKey | null): LedgerActivities {
  return {
    signLedger: () => growAndSign(store, key, () => new Date()),
  };
}
