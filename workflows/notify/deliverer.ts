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
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly settings: Settings;

  constructor(
    private readonly store: Store,
    private readonly options: DelivererOptions,
  ) {
    this.settings = {
      hourlyLimit: options.hourlyLimit ?? 10,
      waiverWarningDays: options.waiverWarningDays ?? 3,
      leaseMs: options.leaseMs ?? 60_000,
      batch: options.batch ?? 20,
      pollMs: options.pollMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 24,
      now: options.now ?? (() => new Date()),
    };
  }

  /** Handles what is due now, the batch's deliveries side by side; returns how many were claimed. */
  async deliverDue(): Promise<number> {
    const now = this.settings.now();
    const claimed = await this.store.deliveries.claim(now, this.settings.leaseMs, this.settings.batch);
    if (claimed.length === 0) return 0;
    const people = await this.store.deliverySettings.of([...new Set(claimed.map((d) => d.recipient))]);
    await Promise.all(claimed.map((d) => this.handle(d, people.get(d.recipient)!, now)));
    return claimed.length;
  }

  start(log: (line: string) => void): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let claimed = 0;
        try {
          claimed = await this.deliverDue();
        } catch (error) {
          // The store may be down: the deliveries stay queued; try again after the idle wait.
          log(`deliverer: ${(error as Error).message}`);
        }
        if (claimed === 0 && this.running) await this.idle();
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.settings.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async handle(d: Delivery, person: DeliverySettingsOf, now: Date): Promise<void> {
    const notice = d.notices[0];
    if (d.digest || notice === undefined) {
      await this.finish(d, await this.send(d, person, now), now);
      return;
    }
    let decision: Decision = decide({
      channel: d.channel,
      notice,
      profile: person.profile,
      preferences: person.preferences,
      now: now.getTime(),
      waiverWarningDays: this.settings.waiverWarningDays,
      mailConfigured: this.options.senders.mail !== null,
    });
    if (decision.action === 'send' && d.channel !== 'inapp') {
      const key = `${d.recipient}/${d.channel}`;
      const within = await this.store.deliveryQuota.take(
        key,
        new Date(hourStart(now.getTime())),
        this.settings.hourlyLimit,
      );
      if (!within)
        decision = overLimit(person.profile, person.preferences, now.getTime(), this.settings.hourlyLimit);
    }
    switch (decision.action) {
      case 'send':
        await this.finish(d, await this.send(d, person, now), now);
        return;
      case 'hold':
        await this.store.deliveries.hold(d.id, new Date(decision.until), decision.note);
        return;
      case 'skip':
        await this.store.deliveries.skip(d.id, decision.note, now);
        return;
      case 'digest':
        await this.toDigest(d, notice, person, decision.at);
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
