// Chat messages out to the webhook a person configured (a Slack incoming webhook or a Teams
// Workflows webhook): one JSON POST each, with the delivery id in the same header the outbox
// notifier sends, so a receiver that sees a retry of a message it already posted can drop it.
//
// The answer decides what the delivery queue does next:
//  - 2xx: posted.
//  - 408 (timeout), 429 (rate limited) and 5xx: the service is busy or down; try again later.
//  - Any other 4xx: the webhook was removed (404, 410), its token revoked (403) or the body refused
//    (400): the same request would be refused again, so it is permanent.
//  - A redirect is permanent too: redirects are not followed, because fetch turns a redirected POST
//    into a GET, which would drop the message while looking successful; the URL must be updated.
//  - No answer (refused connection, DNS failure, timeout): transient.
// A webhook URL carries its secret, so it never appears in an error message.
import { DELIVERY_HEADER } from '../../notifier.js';
import type { SendOutcome } from './smtp.js';

export interface ChatSenderOptions {
  /** Budget of one POST, answer included (default 10 s). */
  timeoutMs?: number;
}

/** How much of a refusal's body goes into the error: Slack says why there (`invalid_blocks`). */
const ERROR_BODY_CHARS = 300;

export class ChatSender {
  private readonly timeoutMs: number;

  constructor(options: ChatSenderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** POST JSON; 2xx ok; 4xx except 408/429 permanent; 408, 429, 5xx, network errors transient. */
  async send(url: string, payload: unknown, deliveryId: string): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [DELIVERY_HEADER]: deliveryId },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { ok: false, permanent: false, error: `no answer: ${reason(error)}` };
    }
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true };
    }
    const status = response.status;
    const body = await snippet(response);
    const error = `HTTP ${status}${body === '' ? '' : `: ${body}`}`;
    if (status >= 300 && status < 400) {
      return { ok: false, permanent: true, error: `${error} (the webhook redirects: update its URL)` };
    }
    const transient = status === 408 || status === 429 || status >= 500;
    return { ok: false, permanent: !transient, error };
  }
}

/** The first characters of the body on one line; a huge or endless body is not read to its end. */
async function snippet(response: Response): Promise<string> {
  // Node's fetch types the body's chunks loosely; they are bytes.
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (reader === undefined) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The body broke off: what arrived is enough for an error message.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > ERROR_BODY_CHARS ? `${line.slice(0, ERROR_BODY_CHARS)}…` : line;
}

/**
 * undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND) in `cause`. Read by shape,
 * not `instanceof Error`: an error from another realm (a vm context, a worker) would fail that test.
 */
function reason(error: unknown): string {
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown; code?: unknown };
  };
  if (name === 'TimeoutError') return 'timed out';
  const text = typeof message === 'string' ? message : String(error);
  return typeof cause?.message === 'string' ? `${text} (${cause.message})` : text;
}
