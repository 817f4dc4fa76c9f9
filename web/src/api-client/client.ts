// The console's one way to the server: openapi-fetch over the types generated from /openapi.json
// (schema.d.ts), so a request or answer that does not match the API is a type error here. Every
// call goes to /v1 with the session cookie; mutations carry the session's CSRF token. `unwrap`
// turns an error answer into an ApiFailure, and a 401 tells the session to show the sign-in page.
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiFailure, failureOf, networkFailure } from './failure.js';
import type { paths } from './schema.js';

export type { paths } from './schema.js';
export { ApiFailure, asFailure } from './failure.js';

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

/** The CSRF token of the signed-in session (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called once when any answer says the session is gone, so the page can ask to sign in again. */
export function whenSignedOut(listener: (() => void) | null): void {
  onSignedOut = listener;
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken !== null && MUTATIONS.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/v1/session')) onSignedOut?.();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiFailure with the API's code, message and field paths. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw error instanceof ApiFailure ? error : networkFailure(error);
  }
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  throw failureOf(answer.response.status, answer.error);
}

/** A fresh Idempotency-Key, so that a retried click never does the thing twice. */
export const idempotencyKey = (): string => crypto.randomUUID();
