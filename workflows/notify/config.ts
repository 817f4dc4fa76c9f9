// How a worker reaches people: the console's address for links, the SMTP server, and the limits of
// delivery, from environment variables. Bad values stop the worker at start with the variable
// named, like the rest of its configuration (workflows/config.ts). Without CHARTER_SMTP_HOST the
// worker sends no mail: mail deliveries are recorded as skipped with the reason, and the console's
// list and chat still work.
import { z } from 'zod';
import type { SmtpSettings } from './transport/smtp.js';

const port = z.coerce.number().int().min(1).max(65_535);

export const notifySettings = {
  /** The console's base URL as people reach it, for the links in messages. */
  CHARTER_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:3000'),
  CHARTER_SMTP_HOST: z.string().min(1).optional(),
  /** 587 (submission with STARTTLS) by default; 465 means TLS from the first byte. */
  CHARTER_SMTP_PORT: port.default(587),
  /** `require` (refuse to send in clear), `opportunistic` (upgrade when offered), `off` (never). */
  CHARTER_SMTP_STARTTLS: z.enum(['require', 'opportunistic', 'off']).default('require'),
  CHARTER_SMTP_USER: z.string().min(1).optional(),
  CHARTER_SMTP_PASSWORD: z.string().min(1).optional(),
  CHARTER_MAIL_FROM: z.string().min(3).default('Charter <charter@localhost>'),
  /** Mails (and chat messages) per person and hour; the rest waits for the next digest. */
  CHARTER_NOTIFY_HOURLY_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** How many working days before a waiver expires its holder is warned. */
  CHARTER_WAIVER_WARNING_DAYS: z.coerce.number().int().min(0).max(60).default(3),
};

/** The SMTP user and password come together or not at all. */
export const smtpAuthComplete = (s: {
  CHARTER_SMTP_USER?: string | undefined;
  CHARTER_SMTP_PASSWORD?: string | undefined;
}): boolean => (s.CHARTER_SMTP_USER === undefined) === (s.CHARTER_SMTP_PASSWORD === undefined);

/** The parsed notification settings. */
export type NotifyConfig = z.infer<z.ZodObject<typeof notifySettings>>;

/** The SMTP sender's settings from a parsed configuration that names a host. */
export function smtpSettingsOf(config: NotifyConfig): SmtpSettings {
  return {
    host: config.CHARTER_SMTP_HOST ?? '127.0.0.1',
    port: config.CHARTER_SMTP_PORT,
    starttls: config.CHARTER_SMTP_STARTTLS,
    user: config.CHARTER_SMTP_USER ?? null,
    password: config.CHARTER_SMTP_PASSWORD ?? null,
    from: config.CHARTER_MAIL_FROM,
  };
}
