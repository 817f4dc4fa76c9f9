// Single sign-on logins under way (`oidc_logins`, `_id` = the sha256 of the login's `state`, hex):
// what the callback needs to finish a login it started (the PKCE verifier, the nonce, where the
// person was going) and the hash of the browser binding in the login cookie, so that a callback
// only completes in the browser that started it. In the database, not in the API process: the
// provider may send the person back to another API process than the one that sent them away.
//
// A login is taken once: `take` is one findOneAndDelete, so of two callbacks with the same state
// (a replay, a double click) only one gets it. Logins last minutes (`expiresAt`, checked on take;
// a TTL index removes the abandoned ones).
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { hexDigest, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const LOGINS = 'oidc_logins';

export interface PendingLogin {
  /** sha256 of the `state` sent to the provider, hex. */
  stateHash: string;
  /** sha256 of the random value in the browser's login cookie, hex. */
  bindingHash: string;
  codeVerifier: string;
  nonce: string;
  /** A console path (`/inbox`) to land on once signed in. */
  returnTo: string;
  createdAt: Date;
  expiresAt: Date;
}

const loginSchema = z.object({
  _id: hexDigest,
  bindingHash: hexDigest,
  codeVerifier: z.string().min(43).max(128),
  nonce: z.string().min(1),
  returnTo: z.string().startsWith('/'),
  createdAt: validDate,
  expiresAt: validDate,
});

export class OidcLogins {
  private readonly logins: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.logins = db.collection(LOGINS);
  }

  async add(login: PendingLogin): Promise<void> {
    const { stateHash, ...rest } = login;
    await this.logins.insertOne({ _id: stateHash, ...rest });
  }

  /**
   * Removes and answers the login with this state hash, expired or not (the caller tells an
   * expired login from an unknown state); null when there is none, or another callback took it.
   */
  async take(stateHash: string): Promise<PendingLogin | null> {
    const raw = await this.logins.findOneAndDelete({ _id: stateHash });
    if (raw === null) return null;
    const { _id, ...rest } = parseDoc(loginSchema, raw, LOGINS);
    return { stateHash: _id, ...rest };
  }
}

/** This module's collection and the index that expires abandoned logins (store/manifest.ts). */
export const oidcLoginCollections: CollectionSpec[] = [
  {
    name: LOGINS,
    holds:
      'one single sign-on login under way, by the sha256 of its state: PKCE verifier, nonce, browser binding, where to return',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'expiry',
        key: { expiresAt: 1 },
        expireAfterSeconds: 3600,
        serves: 'the TTL monitor removes logins nobody finished (the callback checks expiresAt itself)',
      },
    ],
  },
];
