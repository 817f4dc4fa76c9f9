// Delivery of the notification outbox to the configured webhooks (chat, mail gateway, ticketing).
// The workflow only enqueues (an idempotent write); this loop, in the worker process, claims due
// items with a lease and POSTs each to every webhook, signed with the webhook's secret so the
// receiver can trust it. A failed delivery goes back to the queue with exponential back-off; the
// delivery id lets receivers drop the duplicates that at-least-once delivery may produce.
// Once an hour it also removes what was delivered longer ago than the retention period.
import { createHmac } from 'node:crypto';
import type { Outbox, OutboxItem } from '../store/index.js';
import { PollingLoop } from './polling-loop.js';

export interface Webhook {
  url: string;
  secret: string;
}

export interface NotifierOptions {
  /** How long a claimed item is ours before another sender may take it. */
  leaseMs?: number;
  batch?: number;
  /** Idle wait between polls when nothing was due. */
  pollMs?: number;
  /** Per-request time budget. */
  timeoutMs?: number;
  /** How long delivered items are kept (CHARTER_OUTBOX_RETENTION_DAYS); default 30 days. */
  retentionMs?: number;
  /** How often the delivered items past retention are removed; default hourly. */
  pruneEveryMs?: number;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

export const SIGNATURE_HEADER = 'x-charter-signature';
export const DELIVERY_HEADER = 'x-charter-delivery';

/** `sha256=<hex HMAC of the exact body>`, as GitHub-style receivers expect. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** 30 s after the first failure, doubling, at most an hour: a receiver down for a day loses nothing. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * The notifier a worker runs for its settings, and whether its transitions queue for it: none, and
 * no queueing, without webhooks (effects.ts says why). `charter worker` and `npm start` share it.
 */
export function webhookNotifier(
  outbox: Outbox,
  settings: { CHARTER_WEBHOOKS: readonly Webhook[]; CHARTER_OUTBOX_RETENTION_DAYS: number },
): Notifier | null {
  if (settings.CHARTER_WEBHOOKS.length === 0) return null;
  return new Notifier(outbox, settings.CHARTER_WEBHOOKS, {
    retentionMs: settings.CHARTER_OUTBOX_RETENTION_DAYS * DAY_MS,
  });
}

export class Notifier {
  private readonly poller: PollingLoop;
  private readonly options: Required<NotifierOptions>;
  /** When the delivered items were last pruned (null: not yet in this process). */
  private prunedAt: number | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly webhooks: readonly Webhook[],
    options: NotifierOptions = {},
  ) {
    this.options = {
      leaseMs: options.leaseMs ?? 60_000,
      batch: options.batch ?? 20,
      pollMs: options.pollMs ?? 1_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      retentionMs: options.retentionMs ?? 30 * DAY_MS,
      pruneEveryMs: options.pruneEveryMs ?? 3_600_000,
      now: options.now ?? (() => new Date()),
    };
    this.poller = new PollingLoop('notifier', () => this.deliverDue(), this.options.pollMs);
  }

  /** Delivers what is due now; returns how many items were delivered to every webhook. */
  async deliverDue(): Promise<number> {
    const now = this.options.now();
    await this.pruneIfDue(now);
    const items = await this.outbox.claim(now, this.options.leaseMs, this.options.batch);
    let delivered = 0;
    for (const item of items) {
      const failure = await this.send(item);
      if (failure === null) {
        await this.outbox.markDelivered(item.id, this.options.now());
        delivered += 1;
      } else {
        await this.outbox.markFailed(item.id, failure, new Date(now.getTime() + retryDelayMs(item.attempts)));
      }
    }
    return delivered;
  }

  /** Removes the items delivered before the retention period, at most every `pruneEveryMs`. */
  private async pruneIfDue(now: Date): Promise<void> {
    if (this.prunedAt !== null && now.getTime() - this.prunedAt < this.options.pruneEveryMs) return;
    this.prunedAt = now.getTime();
    await this.outbox.pruneDelivered(new Date(now.getTime() - this.options.retentionMs));
  }

  start(log: (line: string) => void): void {
    this.poller.start(log);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Null when every webhook took the item, else why not (the item is retried for all of them). */
  private async send(item: OutboxItem): Promise<string | null> {
    const body = JSON.stringify({
      id: item.id,
      instanceId: item.instanceId,
      step: item.step,
      recipients: item.recipients,
      message: item.message,
      at: item.at.toISOString(),
    });
    const failures: string[] = [];
    for (const hook of this.webhooks) {
      try {
        const response = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signature(hook.secret, body),
            [DELIVERY_HEADER]: item.id,
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        if (!response.ok) failures.push(`${hook.url} answered HTTP ${response.status}`);
        await response.body?.cancel();
      } catch (error) {
        failures.push(`${hook.url}: ${(error as Error).message}`);
      }
    }
    return failures.length === 0 ? null : failures.join('; ');
  }
}
