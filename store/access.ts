// What the control API keeps for itself (tokens are in tokens.ts): the roles a caller can have,
// and idempotency records (`idempotency`, `_id` = the hash of caller and Idempotency-Key): the
// first answer to a POST with that key, replayed to every retry of it. Claiming the key is one
// insertOne: the unique `_id` decides which of two concurrent requests runs. Completing it and
// releasing it are one conditional write each, on `state: 'pending'`, so a record that holds an
// answer is never overwritten or released. The API does not expire records, so no TTL index.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { hexDigest, isDuplicateKey, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const IDEMPOTENCY = 'idempotency';

// `pmo`: PMO leads. They read what an auditor reads, plus people, capacity and allocations.
export const ROLES = ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The answer given to the first request with a key; `pending` while that request still runs. */
export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; startedAt: Date }
  | { state: 'done'; fingerprint: string; status: number; body: string; startedAt: Date };

const recordSchema = z.discriminatedUnion('state', [
  z.object({ _id: z.string(), state: z.literal('pending'), fingerprint: hexDigest, startedAt: validDate }),
  z.object({
    _id: z.string(),
    state: z.literal('done'),
    fingerprint: hexDigest,
    status: z.number().int(),
    body: z.string(),
    startedAt: validDate,
  }),
]);

export class IdempotencyRecords {
  private readonly records: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.records = db.collection(IDEMPOTENCY);
  }

  /**
   * Claims `key` for a request with this fingerprint (a hash of method, path and body). Returns
   * null when this request won the key and must run; otherwise the record of the request that
   * did, for the caller to replay or refuse.
   */
  async claim(key: string, fingerprint: string, at: Date): Promise<IdempotencyRecord | null> {
    try {
      await this.records.insertOne({ _id: key, state: 'pending', fingerprint, startedAt: at });
      return null;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const doc = await this.records.findOne({ _id: key });
    // Released in between (the first request failed without effect): "still running", retry later.
    if (!doc) return { state: 'pending', fingerprint, startedAt: at };
    const record = parseDoc(recordSchema, doc, IDEMPOTENCY);
    return record.state === 'pending'
      ? { state: 'pending', fingerprint: record.fingerprint, startedAt: record.startedAt }
      : {
          state: 'done',
          fingerprint: record.fingerprint,
          status: record.status,
          body: record.body,
          startedAt: record.startedAt,
        };
  }

  /** Keeps the answer for retries. Only the request that claimed the key writes it, once. */
  async complete(key: string, status: number, body: string): Promise<void> {
    await this.records.updateOne({ _id: key, state: 'pending' }, { $set: { state: 'done', status, body } });
  }

  /** Gives the key back after a failure that had no effect, so that a retry runs again. */
  async release(key: string): Promise<void> {
    await this.records.deleteOne({ _id: key, state: 'pending' });
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const accessCollections: CollectionSpec[] = [
  {
    name: IDEMPOTENCY,
    holds: 'one Idempotency-Key of one caller: pending, or the first answer to replay',
    shardKey: { _id: 'hashed' },
    // Claimed, completed and released by `_id` only; the unique `_id` settles concurrent claims.
    indexes: [],
  },
];
