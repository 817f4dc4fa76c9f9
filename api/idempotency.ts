// Idempotency-Key on POST: the first request with a key runs; a retry with the same key and the
// same request gets the first answer again (marked `Idempotent-Replayed: true`) and causes no
// second effect; the same key on a different request is refused, and so is a retry that arrives
// while the first is still running. Keys are scoped to the caller: two people cannot collide.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { IdempotencyRecord, Store } from '../store/index.js';
import { ApiError } from './errors.js';
import type { Caller } from './route.js';

const KEY = /^[\x21-\x7e]{1,200}$/;

export interface Claim {
  key: string;
  /** Keeps the answer for retries (a 5xx gives the key back instead: the retry runs again). */
  settle(status: number, body: unknown): Promise<void>;
}

export type ClaimOutcome = { run: Claim } | { replay: { status: number; body: string } };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** null: the request has no key and runs as usual. */
export async function claimKey(
  store: Store,
  caller: Caller,
  req: Request,
  at: Date,
): Promise<ClaimOutcome | null> {
  const given = req.get('idempotency-key');
  if (given === undefined) return null;
  if (!KEY.test(given)) {
    throw new ApiError(
      422,
      'invalid-idempotency-key',
      'Idempotency-Key must be 1-200 visible ASCII characters',
      [{ path: 'headers.idempotency-key', message: 'expected 1-200 visible ASCII characters' }],
    );
  }
  const key = sha256(`${caller.person}\n${given}`);
  const fingerprint = sha256(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`);
  const earlier = await store.idempotency.claim(key, fingerprint, at);
  if (earlier === null) {
    return {
      run: {
        key,
        settle: async (status, body) => {
          if (status >= 500) await store.idempotency.release(key);
          else await store.idempotency.complete(key, status, JSON.stringify(body));
        },
      },
    };
  }
  return { replay: replayOf(earlier, fingerprint) };
}

function replayOf(earlier: IdempotencyRecord, fingerprint: string): { status: number; body: string } {
  if (earlier.fingerprint !== fingerprint) {
    throw new ApiError(
      422,
      'idempotency-key-reused',
      'this Idempotency-Key was used for a different request; use a new key for a new request',
    );
  }
  if (earlier.state === 'pending') {
    throw new ApiError(
      409,
      'idempotency-in-progress',
      'a request with this Idempotency-Key is still running',
    );
  }
  return { status: earlier.status, body: earlier.body };
}
