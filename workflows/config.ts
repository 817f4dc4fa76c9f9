// Where a worker finds its servers and check services: environment variables with defaults that
// match `npm run services:start`. Bad values stop the worker at start with the variable named.
import { z } from 'zod';
import { notifySettings, smtpAuthComplete } from './notify/config.js';
import { qualificationSettings } from './qualifications/config.js';
import { temporalTransportSettings } from './temporal-connection.js';

const checkServices = z.record(z.string().min(1), z.url({ protocol: /^https?$/ }));

const webhooks = z.array(
  z.strictObject({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(16) }),
);

/** A JSON environment variable checked against `shape`, with the entry that is wrong named. */
function jsonVariable<T extends z.ZodType>(shape: T, what: string) {
  return z.string().transform((text, ctx): z.infer<T> => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const parsed = shape.safeParse(raw);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    ctx.addIssue({ code: 'custom', message: `must be ${what} (${where.join('; ')})` });
    return z.NEVER;
  });
}

/** Where the servers are: the same variables and defaults for the worker, the API and `npm start`. */
export const serverSettings = {
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** TLS and an API key for a Temporal cluster that asks for them (temporal-connection.ts). */
  ...temporalTransportSettings,
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI')
    .default('mongodb://127.0.0.1:27017/'),
  CHARTER_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'must be 1-60 letters, digits, _ or -')
    .default('charter'),
  CHARTER_TASK_QUEUE: z.string().min(1).default('charter'),
};

const schema = z
  .object({
    ...serverSettings,
    ...notifySettings,
    ...qualificationSettings,
    /** JSON: check service name to URL, e.g. {"qualys-vm-scan":"http://127.0.0.1:4010/scan"}. */
    CHARTER_CHECK_SERVICES: jsonVariable(
      checkServices,
      'a JSON object of service name to http(s) URL',
    ).default({}),
    /**
     * host:port where the worker serves Temporal's runtime metrics in Prometheus's format at
     * /metrics (activity failures and retries, task latencies, slots); none when unset.
     */
    CHARTER_WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464')
      .optional(),
    /** `charter worker`'s log: JSON lines on stdout (production), or text lines on stderr. */
    CHARTER_LOG_FORMAT: z.enum(['json', 'text']).default('json'),
    /**
     * A file the worker keeps its workflow bundle in: read at start when it was built from these
     * sources, else built and written there (workflows/bundle-file.ts). Unset: built at every start.
     */
    CHARTER_WORKFLOW_BUNDLE: z.string().min(1).optional(),
    /** How long running activities may take to finish once `charter worker` is told to stop. */
    CHARTER_WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
    /** Minutes between signed tree heads of the audit ledger (workflows/ledger/schedule.ts). */
    CHARTER_LEDGER_SIGN_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
    /** Days a delivered webhook message is kept in the outbox before the notifier removes it. */
    CHARTER_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** JSON: [{"url":"https://chat.example/hooks/pmo","secret":"at least 16 characters"}]. */
    CHARTER_WEBHOOKS: jsonVariable(
      webhooks,
      'a JSON list of {url, secret} (secret of 16+ characters)',
    ).default([]),
  })
  .refine(smtpAuthComplete, {
    message: 'CHARTER_SMTP_USER and CHARTER_SMTP_PASSWORD go together',
    path: ['CHARTER_SMTP_PASSWORD'],
  });

export type WorkerConfig = z.infer<typeof schema>;

/** Every variable a worker reads (`--config FILE` refuses others): the schema's and the signing key's. */
export const WORKER_VARIABLES: readonly string[] = [
  ...Object.keys(schema.shape),
  'CHARTER_SIGNING_KEY',
  'CHARTER_SIGNING_KEY_FILE',
];

export class ConfigError extends Error {}

export function workerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`configuration problems:\n${lines.join('\n')}`);
}
