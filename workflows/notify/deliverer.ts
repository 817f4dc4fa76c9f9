// The worker's delivery loop: claims due deliveries with a lease, decides for each (decide.ts),
// and sends it to the console's list, by mail or to the person's chat webhook.
//
// Once per (notice, recipient, channel): the queue holds one document per delivery (its id is the
// notice's id and the channel), a claim is one atomic findOneAndUpdate, and a delivery is marked
// delivered right after the server took it. Two workers never hold the same lease; a worker killed
// mid-send leaves a lease that expires, and the next claim sends it again. The only window for a
// duplicate is between the server's acceptance and our mark (milliseconds): the mail's Message-ID
// and the chat request's `x-charter-delivery` header are the delivery id, so receivers can drop it.
// Never blocks an instance: the workflow only posted the notices; a failing target is recorded here.
import { compose, composeDigest } from '../../engine/notices/compose.js';
import { digestDay, hourStart, nextDigestTime } from '../../engine/notices/schedule.js';
import type { Notice } from '../../engine/notices/types.js';
import type { Delivery, Store } from '../../store/index.js';
import type { DeliverySettingsOf } from '../../store/directory-delivery.js';
import { type Decision, decide, overLimit } from './decide.js';
import { type Outgoing, sendRendered } from './send.js';
import type { SendOutcome } from './transport/smtp.js';
import { retryDelayMs } from '../notifier.js';
import { PollingLoop } from '../polling-loop.js';

export interface DelivererOptions {
  /** The console's base URL, for links (CHARTER_PUBLIC_URL). */
  publicUrl: string;
  /** Mail and chat senders; `mail` null when no SMTP server is configured. */
  senders: Outgoing;
  /** Messages per recipient and channel and hour before the rest goes to the digest. */
  hourlyLimit?: number;
  waiverWarningDays?: number;
  leaseMs?: number;
  batch?: number;
  pollMs?: number;
  /** Transient failures before a delivery is recorded as failed for good. */
  maxAttempts?: number;
  now?: () => Date;
}

type Settings = Required<Omit<DelivererOptions, 'senders' | 'publicUrl'>>;

export class Deliverer {
  private readonly poller: PollingLoop;
  private readonly settings: Settings;

  constructor(
    private readonly store: Store,
    private readonly options: DelivererOptions,
  ) {
    this.settings = {
      hourlyLimit: options.hourlyLimit ?? 10,
      waiverWarningDays: options.waiverWarningDays ?? 3,
      leaseMs: options.leaseMs ?? 60_000,
      batch: options.batch ?? 50,
      pollMs: options.pollMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 24,
      now: options.now ?? (() => new Date()),
    };
    this.poller = new PollingLoop('deliverer', () => this.deliverDue(), this.settings.pollMs);
  }

  /**
   * Handles what is due now; returns how many deliveries were claimed. The batch is decided first,
   * its hourly quota taken in one round trip, then its deliveries go out side by side; deliveries
   * the servers took are marked in groups (MarkBuffer) rather than one write each.
   */
  async deliverDue(): Promise<number> {
    const now = this.settings.now();
    const claimed = await this.store.deliveries.claim(now, this.settings.leaseMs, this.settings.batch);
    if (claimed.length === 0) return 0;
    const people = await this.store.deliverySettings.of([...new Set(claimed.map((d) => d.recipient))]);
    const planned = claimed.map((d) => {
      const person = people.get(d.recipient)!;
      return { d, person, decision: this.decide(d, person, now) };
    });
    await this.applyQuota(planned, now);
    const marks = new MarkBuffer((ids) => this.store.deliveries.markDeliveredMany(ids, this.settings.now()));
    await Promise.all(planned.map((p) => this.carryOut(p.d, p.person, p.decision, now, marks)));
    await marks.done();
    return claimed.length;
  }

  start(log: (line: string) => void): void {
    this.poller.start(log);
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  private decide(d: Delivery, person: DeliverySettingsOf, now: Date): Decision {
    const notice = d.notices[0];
    // A digest was decided when its notices went into it.
    if (d.digest || notice === undefined) return { action: 'send' };
    return decide({
      channel: d.channel,
      notice,
      profile: person.profile,
      preferences: person.preferences,
      now: now.getTime(),
      waiverWarningDays: this.settings.waiverWarningDays,
      mailConfigured: this.options.senders.mail !== null,
    });
  }

  /** Single mail and chat messages count against the hourly limit; those past it go to the digest. */
  private async applyQuota(
    planned: { d: Delivery; person: DeliverySettingsOf; decision: Decision }[],
    now: Date,
  ): Promise<void> {
    const limited = planned.filter(
      (p) => p.decision.action === 'send' && !p.d.digest && p.d.channel !== 'inapp',
    );
    if (limited.length === 0) return;
    const keyOf = (d: Delivery) => `${d.recipient}/${d.channel}`;
    const granted = await this.store.deliveryQuota.takeMany(
      limited.map((p) => ({ key: keyOf(p.d), count: 1 })),
      new Date(hourStart(now.getTime())),
      this.settings.hourlyLimit,
    );
    for (const p of limited) {
      const left = granted.get(keyOf(p.d)) ?? 0;
      if (left > 0) granted.set(keyOf(p.d), left - 1);
      else
        p.decision = overLimit(
          p.person.profile,
          p.person.preferences,
          now.getTime(),
          this.settings.hourlyLimit,
        );
    }
  }

  private async carryOut(
    d: Delivery,
    person: DeliverySettingsOf,
    decision: Decision,
    now: Date,
    marks: MarkBuffer,
  ): Promise<void> {
    switch (decision.action) {
      case 'send': {
        const outcome = await this.send(d, person, now);
        if (outcome.ok) marks.add(d.id);
        else await this.finish(d, outcome, now);
        return;
      }
      case 'hold':
        await this.store.deliveries.hold(d.id, new Date(decision.until), decision.note);
        return;
      case 'skip':
        await this.store.deliveries.skip(d.id, decision.note, now);
        return;
      case 'digest':
        await this.toDigest(d, d.notices[0]!, person, decision.at);
        return;
    }
  }

  /** Adds the notice to the digest due at `at` (or the next one, when that one is already going out). */
  private async toDigest(d: Delivery, notice: Notice, person: DeliverySettingsOf, at: number): Promise<void> {
    let sendAt = at;
    for (let tries = 0; tries < 7; tries++) {
      const digestId = `digest/${d.recipient}/${d.channel}/${digestDay(sendAt, person.profile)}`;
      const added = await this.store.deliveries.addToDigest(
        digestId,
        d.recipient,
        d.channel,
        notice,
        new Date(sendAt),
      );
      if (added === 'added') {
        await this.store.deliveries.markDigested(d.id, digestId, new Date(sendAt));
        return;
      }
      sendAt = nextDigestTime(sendAt, person.profile, person.preferences);
    }
    // Seven digests in a row already gone out: something is wrong with the clock; send it singly.
    await this.finish(d, await this.send(d, person, this.settings.now()), this.settings.now());
  }

  private async send(d: Delivery, person: DeliverySettingsOf, now: Date): Promise<SendOutcome> {
    const ctx = { profile: person.profile, publicUrl: this.options.publicUrl, now: now.getTime() };
    if (d.channel === 'inapp') {
      for (const notice of d.notices) await this.store.notifications.add(notice, now);
      return { ok: true };
    }
    const content = d.digest
      ? { digest: composeDigest(d.notices, ctx) }
      : { single: compose(d.notices[0]!, ctx) };
    return sendRendered(this.options.senders, d, person.profile, content);
  }

  private async finish(d: Delivery, outcome: SendOutcome, now: Date): Promise<void> {
    const at = this.settings.now();
    if (outcome.ok) await this.store.deliveries.markDelivered(d.id, at);
    else if (outcome.permanent) await this.store.deliveries.markFailed(d.id, outcome.error, at);
    else if (d.attempts >= this.settings.maxAttempts) {
      await this.store.deliveries.markFailed(
        d.id,
        `gave up after ${d.attempts} attempts: ${outcome.error}`,
        at,
      );
    } else {
      await this.store.deliveries.retryLater(
        d.id,
        outcome.error,
        new Date(now.getTime() + retryDelayMs(d.attempts)),
      );
    }
  }
}

/**
 * Deliveries the servers took, marked in groups: one write for all that finished within
 * FLUSH_MS of the first, instead of one write each. A worker that dies in between sends those
 * again when their lease lapses (at most FLUSH_MS of deliveries; receivers can drop them by id).
 */
class MarkBuffer {
  private ids: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly writes: Promise<void>[] = [];

  constructor(private readonly write: (ids: string[]) => Promise<void>) {}

  add(id: string): void {
    this.ids.push(id);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  async done(): Promise<void> {
    this.flush();
    await Promise.all(this.writes);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.ids.splice(0);
    if (ids.length === 0) return;
    const write = this.write(ids);
    // Handled here so that a failure before done() is not an unhandled rejection; done() reports it.
    write.catch(() => undefined);
    this.writes.push(write);
  }
}

const FLUSH_MS = 50;
