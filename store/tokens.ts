// API tokens (`api_tokens`, `_id` = the sha256 of the token text, hex): only the hash is stored, so
// a database dump gives nobody a working token. Read by `_id` on every request. A token's public
// name is the first 16 hex digits of its hash (`id`): shown in lists and the ledger, used to revoke
// it, and useless for signing in. Revoking keeps the document (who had access, and until when, is
// an auditor's question); an expired token is refused like a revoked one.
import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import { ROLES, type Role } from './access.js';
import { hexDigest, isDuplicateKey, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { findPage, type Page } from './paging.js';

const TOKENS = 'api_tokens';
/** The list name in the tokens' cursors (store/paging.ts). */
const LIST = 'api_tokens';
export const TOKEN_ID_LENGTH = 16;

export interface ApiToken {
  /** sha256 of the token text, hex. */
  hash: string;
  person: string;
  roles: Role[];
  label: string;
  createdAt: Date;
  /** Who issued it: an admin, the person themselves, or `charter serve` (bootstrap) / a seed. */
  createdBy: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** What lists show: the token without its hash, named by its id. */
export type TokenSummary = Omit<ApiToken, 'hash'> & { id: string };

const tokenSchema = z.object({
  _id: hexDigest,
  person: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  label: z.string(),
  createdAt: validDate,
  // Tokens stored before these fields existed: nobody recorded, never expiring, never revoked by anyone named.
  createdBy: z.string().nullable().default(null),
  expiresAt: validDate.nullable().default(null),
  revokedAt: validDate.nullable().default(null),
  revokedBy: z.string().nullable().default(null),
});

export const tokenIdOf = (hash: string): string => hash.slice(0, TOKEN_ID_LENGTH);

const toToken = (raw: unknown): ApiToken => {
  const { _id, ...rest } = parseDoc(tokenSchema, raw, TOKENS);
  return { hash: _id, ...rest };
};

const summaryOf = ({ hash, ...rest }: ApiToken): TokenSummary => ({ id: tokenIdOf(hash), ...rest });

/** Whether `token` lets its holder in at `at`: not revoked and not expired. */
export const isLive = (token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, at: Date): boolean =>
  token.revokedAt === null && (token.expiresAt === null || token.expiresAt > at);

/** The `_id` range of the hashes that start with `id`: hex digits all sort below `g`. */
const idRange = (id: string): Filter<{ _id: string }> => ({ _id: { $gte: id, $lt: `${id}g` } });

export type NewToken = Omit<ApiToken, 'revokedAt' | 'revokedBy' | 'createdBy' | 'expiresAt'> &
  Partial<Pick<ApiToken, 'createdBy' | 'expiresAt'>>;

export class ApiTokens {
  private readonly tokens: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.tokens = db.collection(TOKENS);
  }

  /** Stores a token by its hash; the same hash again (a retried seed) is a no-op. */
  async add(token: NewToken): Promise<void> {
    const { hash, ...rest } = token;
    try {
      await this.tokens.insertOne({
        _id: hash,
        createdBy: null,
        expiresAt: null,
        ...rest,
        revokedAt: null,
        revokedBy: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** The live token with this hash, or null (unknown, revoked, or expired at `at`). */
  async find(hash: string, at: Date = new Date()): Promise<ApiToken | null> {
    const doc = await this.tokens.findOne({ _id: hash });
    if (!doc) return null;
    const token = toToken(doc);
    return isLive(token, at) ? token : null;
  }

  /** The token named `id` (live or not), or null. */
  async byId(id: string): Promise<TokenSummary | null> {
    if (!/^[0-9a-f]{16}$/.test(id)) return null;
    const raws = await this.tokens.find(idRange(id), { limit: 2 }).toArray();
    // Two hashes sharing 64 bits would be a 1 in 2^32 event at 65,536 tokens; refuse to guess.
    if (raws.length !== 1) return null;
    return summaryOf(toToken(raws[0]));
  }

  /**
   * Revokes the token named `id` unless it already is: answers it as stored afterwards, and
   * whether this call revoked it (a second revoke changes nothing, so the ledger gets one event).
   */
  async revoke(
    id: string,
    at: Date,
    by: string | null,
  ): Promise<{ token: TokenSummary; revoked: boolean } | null> {
    const token = await this.byId(id);
    if (token === null) return null;
    const result = await this.tokens.updateOne(
      { ...idRange(id), revokedAt: null },
      { $set: { revokedAt: at, revokedBy: by } },
    );
    if (result.modifiedCount === 0) return { token, revoked: false };
    return { token: { ...token, revokedAt: at, revokedBy: by }, revoked: true };
  }

  /** Revokes by hash (tests and the demo set-up, which hold the text). */
  async revokeHash(hash: string, at: Date): Promise<void> {
    await this.tokens.updateOne({ _id: hash, revokedAt: null }, { $set: { revokedAt: at } });
  }

  /** A page of tokens, of one person or of everyone, by id; revoked and expired ones included. */
  async page(person: string | null, after: string | null, limit: number): Promise<Page<TokenSummary>> {
    return findPage(this.tokens as unknown as Collection, {
      list: LIST,
      filter: person === null ? {} : { person },
      sort:
        person === null
          ? [{ field: '_id', order: 1 }]
          : [
              { field: 'person', order: 1 },
              { field: '_id', order: 1 },
            ],
      ...(after === null ? {} : { after }),
      limit,
      parse: (raw) => summaryOf(toToken(raw)),
      hint: person === null ? '_id_' : 'person_id',
    });
  }

  /**
   * The tokens of `person` live at `at`, made at or before `upTo`, that carry one of `roles`: those
   * an admin's taking these roles away revokes (one person has a handful, so no paging).
   */
  async liveCarrying(person: string, roles: readonly Role[], upTo: Date, at: Date): Promise<TokenSummary[]> {
    if (roles.length === 0) return [];
    const raws = await this.tokens
      .find(
        { person, roles: { $in: [...roles] }, revokedAt: null, createdAt: { $lte: upTo } },
        { hint: 'person_id' },
      )
      .toArray();
    return raws
      .map(toToken)
      .filter((t) => isLive(t, at))
      .map(summaryOf);
  }

  /** Whether some admin token is live at `at` (a fresh `charter serve` makes one when none is). */
  async hasLiveAdmin(at: Date): Promise<boolean> {
    const raws = await this.tokens.find({ roles: 'admin', revokedAt: null }, { hint: 'roles' }).toArray();
    return raws.some((raw) => isLive(toToken(raw), at));
  }
}

/** This module's collection and the indexes its queries use (store/manifest.ts). */
export const tokenCollections: CollectionSpec[] = [
  {
    name: TOKENS,
    holds: 'one API token by the sha256 of its text: person, roles, label, who issued it, expiry, revocation',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'person_id',
        key: { person: 1, _id: 1 },
        serves: "one person's tokens, by id (GET /v1/tokens); those a role taken away revokes",
      },
      {
        name: 'roles',
        key: { roles: 1 },
        serves: 'whether a live admin token exists (a fresh `charter serve` bootstraps one)',
      },
    ],
  },
];
