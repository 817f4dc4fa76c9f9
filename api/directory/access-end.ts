// Ending someone's access at once: their browser sessions end and their live tokens are revoked,
// each revocation its own `tokenRevoked` event on the admin chain with why (`because`), so that
// "when did this token stop working" reads the same for every token whatever ended it. Two causes:
// an admin took roles away (roles.ts: the tokens carrying a removed role), or made the person
// inactive in the directory (routes.ts: every token, whatever its roles). Sessions and tokens end
// before the ledger is written: a failure leaves nothing working that should not, and a retry of
// the request finds the tokens already revoked (keyed events are written once).
import { ROLES, type Role, type Store, type TokenSummary } from '../../store/index.js';

export type RevokedBecause = 'roles-removed' | 'person-deactivated';

export interface AccessEnded {
  sessionsEnded: number;
  /** Ids of the tokens revoked by this request (those already revoked are not named again). */
  tokensRevoked: string[];
}

/** Revokes each token still live, and writes a `tokenRevoked` event for each it revoked. */
async function revokeRecorded(
  store: Store,
  tokens: readonly TokenSummary[],
  at: Date,
  by: string,
  because: RevokedBecause,
): Promise<string[]> {
  const revoked: string[] = [];
  for (const token of tokens) {
    const done = await store.tokens.revoke(token.id, at, by);
    if (done === null || !done.revoked) continue;
    revoked.push(token.id);
    await store.adminLog.record({
      key: `token:${token.id}:revoked`,
      at,
      actor: by,
      fact: { kind: 'tokenRevoked', token: token.id, person: token.person, label: token.label, by, because },
    });
  }
  return revoked;
}

/**
 * Ends `person`'s sessions started up to `upTo` and revokes their tokens made up to then that
 * carry one of `roles` (all of them: every token).
 */
export async function endAccess(
  store: Store,
  request: {
    person: string;
    roles?: readonly Role[];
    upTo: Date;
    at: Date;
    by: string;
    because: RevokedBecause;
  },
): Promise<AccessEnded> {
  const { person, upTo, at, by, because } = request;
  const sessionsEnded = await store.sessions.endAllOf(person, upTo);
  const tokens = await store.tokens.liveCarrying(person, request.roles ?? ROLES, upTo, at);
  return { sessionsEnded, tokensRevoked: await revokeRecorded(store, tokens, at, by, because) };
}
