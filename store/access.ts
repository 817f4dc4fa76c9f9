// What the control API keeps for itself: API tokens (only their sha256 is stored, so a database
// dump gives nobody a working token) and idempotency records (the first answer to a POST with an
// Idempotency-Key, replayed to every retry of it).
//
// Both rely only on inserts under unique `_id`s: FerretDB v1 has no atomic filtered update, and a
// unique key is what decides which of two concurrent requests with one Idempotency-Key runs.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { hexDigest, isDuplicateKey, parseDoc, validDate } from './documents.js';

export const ROLES = ['author', 'requester', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiToken {
  /** sha256 of the token text, hex. */
  hash: string;
  person: string;
  roles: Role[];
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const tokenSchema = z.object({
  _id: hexDigest,
  person: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  label: z.string(),
  createdAt: validDate,
  revokedAt: validDate.nullable().default(null),
});

export class ApiTokens {
  private readonly tokens: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.tokens = db.collection('api_tokens');
  }

  async ensureIndexes(): Promise<void> {
    await this.tokens.createIndex({ person: 1 });
  }

  /** Stores a token by its hash; the same hash again (a retried seed) is a no-op. */
  async add(token: Omit<ApiToken, 'revokedAt'>): Promise<void> {
    const { hash, ...rest } = token;
    try {
      await this.tokens.insertOne({ _id: hash, ...rest, revokedAt: null });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** The live token with this hash, or null (unknown or revoked). */
  async find(hash: string): Promise<ApiToken | null> {
    const doc = await this.tokens.findOne({ _id: hash });
    if (!doc) return null;
    const { _id, ...token } = parseDoc(tokenSchema, doc, 'api_tokens');
    return token.revokedAt === null ? { hash: _id, ...token } : null;
  }

  async revoke(hash: string, at: Date): Promise<void> {
    await this.tokens.updateOne({ _id: hash }, { $set: { revokedAt: at } });
  }
}

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
    this.records = db.collection('idempotency');
  }

  async ensureIndexes(): Promise<void> {
    await this.records.createIndex({ startedAt: 1 });
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
    if (!doc) return { state: 'pending', fingerprint, startedAt: at };
    const record = parseDoc(recordSchema, doc, 'idempotency');
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

  /** Keeps the answer for retries. Only the request that claimed the key writes it. */
  async complete(key: string, status: number, body: string): Promise<void> {
    await this.records.updateOne({ _id: key }, { $set: { state: 'done', status, body } });
  }

  /** Gives the key back after a failure that had no effect, so that a retry runs again. */
  async release(key: string): Promise<void> {
    await this.records.deleteOne({ _id: key, state: 'pending' });
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const accessCollections: CollectionSpec[] = [];
