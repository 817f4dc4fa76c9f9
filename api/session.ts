// Browser sessions beside bearer tokens. Signing in (with an API token, or by picking a demo
// person when `npm start` runs the demo) makes a session: a random id in an HttpOnly,
// SameSite=Strict cookie, only its sha256 stored, with a fixed expiry; and a CSRF token the page
// keeps in memory and sends as `x-csrf-token` on every request that changes something. SameSite
// keeps other sites' requests from carrying the cookie; the header is the second lock, for
// browsers and proxies that get SameSite wrong. Sign-out deletes the session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Role, Session, Store } from '../store/index.js';
import { ApiError } from './errors.js';

export const SESSION_COOKIE = 'charter_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A working day and then some: a session signed in in the morning lasts until the evening. */
export const SESSION_HOURS = 12;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The value of cookie `name` in the request's Cookie header, if any. */
export function cookieOf(req: Request, name: string): string | null {
  const header = req.get('cookie');
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Starts a session for `person` and sets its cookie on `res`. */
export async function startSession(
  store: Store,
  res: Response,
  req: Request,
  who: { person: string; roles: Role[] },
  at: Date,
): Promise<Session> {
  const id = randomBytes(32).toString('base64url');
  const session: Session = {
    hash: sha256(id),
    person: who.person,
    roles: who.roles,
    csrf: randomBytes(24).toString('base64url'),
    createdAt: at,
    expiresAt: new Date(at.getTime() + SESSION_HOURS * 3_600_000),
  };
  await store.sessions.add(session);
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    expires: session.expiresAt,
  });
  return session;
}

/** Ends the request's session (if any) and clears its cookie. */
export async function endSession(store: Store, req: Request, res: Response): Promise<boolean> {
  const id = cookieOf(req, SESSION_COOKIE);
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  return id === null ? false : store.sessions.revoke(sha256(id));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The live session behind the request's cookie, or null when it carries none. A cookie whose
 * session expired or ended is a 401; a mutation without the session's CSRF token is a 403.
 */
export async function sessionOf(store: Store, req: Request, at: Date): Promise<Session | null> {
  const id = cookieOf(req, SESSION_COOKIE);
  if (id === null) return null;
  const session = await store.sessions.find(sha256(id), at);
  if (!session) {
    throw new ApiError(401, 'unauthorized', 'the session has expired or was ended; sign in again');
  }
  if (!SAFE_METHODS.has(req.method) && !sameSecret(req.get(CSRF_HEADER), session.csrf)) {
    throw new ApiError(
      403,
      'csrf-token',
      `a browser request that changes something must carry the session's \`${CSRF_HEADER}\` header`,
    );
  }
  return session;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
