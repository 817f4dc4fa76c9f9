// The worker's notification delivery, made from its configuration: the SMTP sender when a server
// is configured, the chat sender, and the loop that delivers the queue (worker-main.ts and
// `npm start` run it beside the Temporal worker).
import type { Store } from '../../store/index.js';
import { type NotifyConfig, smtpSettingsOf } from './config.js';
import { Deliverer } from './deliverer.js';
import { ChatSender } from './transport/chat.js';
import { SmtpSender } from './transport/smtp.js';

export interface RunningDelivery {
  /** How the worker's start line describes mail. */
  mail: string;
  stop(): Promise<void>;
}

export function startDelivery(
  store: Store,
  config: NotifyConfig,
  log: (line: string) => void,
): RunningDelivery {
  const mail = config.CHARTER_SMTP_HOST === undefined ? null : new SmtpSender(smtpSettingsOf(config));
  const deliverer = new Deliverer(store, {
    publicUrl: config.CHARTER_PUBLIC_URL,
    senders: { mail, chat: new ChatSender() },
    hourlyLimit: config.CHARTER_NOTIFY_HOURLY_LIMIT,
    waiverWarningDays: config.CHARTER_WAIVER_WARNING_DAYS,
  });
  deliverer.start(log);
  return {
    mail:
      config.CHARTER_SMTP_HOST === undefined
        ? 'off (no CHARTER_SMTP_HOST)'
        : `${config.CHARTER_SMTP_HOST}:${config.CHARTER_SMTP_PORT}`,
    async stop() {
      await deliverer.stop();
      mail?.close();
    },
  };
}

export { Deliverer } from './deliverer.js';
export type { DelivererOptions } from './deliverer.js';
