// The ledger signer's activity, as a type: the signing workflow imports this file by type only,
// the worker binds the implementation (activities.ts).
import type { SignResult } from './signer.js';

export interface LedgerActivities {
  /** Grows the Merkle tree by every event appended since, then signs a head of its new size. */
  signLedger(): Promise<SignResult>;
}

export type { SignResult } from './signer.js';
