// Browser sessions (`sessions`, `_id` = the sha256 of the session id, hex): a person signed in to
// the console, with the roles of the token they signed in with, the CSRF token their page sends on
// every mutation, and an absolute expiry. Only the hash is stored, so a database dump gives nobody a
// working cookie. Read by `_id` on every browser request, with the expiry in the filter: an expired
// session is refused even before the TTL monitor (a TTL index on `expiresAt`) has removed it.
// Sign-out deletes the document, so a stolen cookie dies with it; so does an admin taking a role
// away from its person (all their sessions, by the `person` index).
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { type Role, ROLES } from './access.js';
import { hexDigest, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const SESSIONS = 'sessions';

export interface Session {
  /** sha256 of the session id the cookie carries, hex. */
  hash: string;
  person: string;
  roles: Role[];
  /** Sent back by the page in `x-csrf-token` on every mutation; random, per session. */
  csrf: string;
  createdAt: Date;
  expiresAt: Date;
}

const sessionSchema = z.object({
  _id: hexDigest,
  person: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  csrf: z.string().min(16),
  createdAt: validDate,
  expiresAt: validDate,
});

export class SessionStore {
  private readonly sessions: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.sessions = db.collection(SESSIONS);
  }

  async add(session: Session): Promise<void> {
    const { hash, ...rest } = session;
    await this.sessions.insertOne({ _id: hash, ...rest });
  }

  /** The session with this hash if it has not expired at `at`, else null. */
  async find(hash: string, at: Date): Promise<Session | null> {
    const doc = await this.sessions.findOne({ _id: hash, expiresAt: { $gt: at } });
    if (!doc) return null;
    const { _id, ...session } = parseDoc(sessionSchema, doc, SESSIONS);
    return { hash: _id, ...session };
  }

  /**
   * Ends every session of `person` started at or before `upTo` (sessions started later already
   * carry the roles as they are since); answers how many ended.
   */
  async endAllOf(person: string, upTo: Date): Promise<number> {
    const result = await this.sessions.deleteMany({ person, createdAt: { $lte: upTo } });
    return result.deletedCount;
  }

  /** Ends the session; true when there was one to end. */
  async revoke(hash: string): Promise<boolean> {
    const result = await this.sessions.deleteOne({ _id: hash });
    return result.deletedCount === 1;
  }
}

/** This module's collection and the index that expires its documents (store/manifest.ts). */
export const sessionCollections: CollectionSpec[] = [
  {
    name: SESSIONS,
    holds: 'one browser session by the sha256 of its id: person, roles, CSRF token, expiry',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'expiry',
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
        serves: 'the TTL monitor removes sessions once expired (reads check expiresAt themselves)',
      },
      {
        name: 'person_created',
        key: { person: 1, createdAt: 1 },
        serves: "ending a person's sessions when an admin takes a role away",
      },
    ],
  },
];
