// Bearer API tokens, and the browser sessions made from them (session.ts). A token is `chr_` and 32 random bytes (base64url); only its sha256 is stored,
// bound to one person and their roles. Unknown, revoked or missing token: 401; a role the route
// does not allow: 403. Which objects a caller may see is decided by each route (404 otherwise).
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { type Role, type Store, tokenIdOf } from '../store/index.js';
import { ApiError } from './errors.js';
import type { Caller } from './route.js';
import { sessionOf } from './session.js';

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export const newToken = (): string => `chr_${randomBytes(32).toString('base64url')}`;

export interface TokenRequest {
  person: string;
  roles: Role[];
  label: string;
  at: Date;
  /** Who issued it; null for Charter itself (the bootstrap token, the demo and test seeds). */
  createdBy?: string | null;
  expiresAt?: Date | null;
}

/** Issues a token; its text is returned once and never stored, its id names it from then on. */
export async function issueTokenFor(
  store: Store,
  request: TokenRequest,
): Promise<{ text: string; id: string }> {
  const text = newToken();
  const hash = tokenHash(text);
  const { at, ...rest } = request;
  await store.tokens.add({ hash, createdAt: at, ...rest });
  return { text, id: tokenIdOf(hash) };
}

/** Issues a never-expiring token for `person` with `roles` (seeds and tests); answers its text. */
export async function issueToken(
  store: Store,
  person: string,
  roles: Role[],
  label: string,
  at: Date,
): Promise<string> {
  return (await issueTokenFor(store, { person, roles, label, at })).text;
}

const unauthorized = (message: string): ApiError => new ApiError(401, 'unauthorized', message);

/**
 * The caller behind the request: its bearer token (the CLI, integrations), else its session
 * cookie (the console; mutations need the CSRF header, see session.ts).
 */
export async function authenticate(store: Store, req: Request, at: Date): Promise<Caller> {
  const header = req.get('authorization');
  if (header === undefined) {
    const session = await sessionOf(store, req, at);
    if (session) {
      const { hash, csrf, expiresAt } = session;
      return { person: session.person, roles: session.roles, session: { hash, csrf, expiresAt } };
    }
    throw unauthorized('an `Authorization: Bearer <token>` header or a signed-in session is required');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized('the Authorization header must be `Bearer <token>`');
  const token = await tokenFor(store, match[1], at);
  if (!token) throw unauthorized('the token is unknown, expired or revoked');
  return { person: token.person, roles: token.roles };
}

/** The live token with this text at `at`, or null. */
export const tokenFor = (store: Store, text: string, at: Date = new Date()) =>
  store.tokens.find(tokenHash(text), at);

export function authorize(caller: Caller, allowed: readonly Role[], what: string): void {
  if (caller.roles.some((r) => allowed.includes(r))) return;
  throw new ApiError(
    403,
    'forbidden',
    `${what} needs one of the roles ${allowed.join(', ')}; ${caller.person} has ${caller.roles.join(', ') || 'none'}`,
  );
}

export const hasRole = (caller: Caller, ...roles: Role[]): boolean =>
  caller.roles.some((r) => roles.includes(r));
