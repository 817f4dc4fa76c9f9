// Where the API server finds its servers and where it listens: environment variables, the same
// names and defaults as the worker (workflows/config.ts) so that one environment serves both, plus
// the listening address. Bad values stop the server at start with the variable named.
import { z } from 'zod';
import { serverSettings } from '../workflows/config.js';
import { oidcProblems, oidcVariables } from './oidc/settings.js';

/** Ports the OS picks (0) are allowed: tests listen on an ephemeral port. */
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const schema = z
  .object({
    ...serverSettings,
    CHARTER_API_HOST: z.string().min(1).default('127.0.0.1'),
    CHARTER_API_PORT: port.default(3000),
    /** The web console's built files; the clone's web/dist when unset (api/server.ts). */
    CHARTER_CONSOLE_DIR: z.string().min(1).optional(),
    /** `charter serve` on a database without a live admin token: whom the first one is for. */
    CHARTER_BOOTSTRAP_ADMIN: z.email('must be an e-mail address').default('admin@charter.local'),
    /**
     * Where the first admin token goes instead of the log (written 0600), or, when the file already
     * holds one (made by a secret manager), the token to register.
     */
    CHARTER_BOOTSTRAP_TOKEN_FILE: z.string().min(1).optional(),
    /**
     * The proxies in front of the API: a number of hops (1 behind one load balancer) or a
     * comma-separated list of their addresses or subnets. Unset: none, and X-Forwarded-* is ignored.
     */
    CHARTER_TRUST_PROXY: z
      .string()
      .regex(
        /^(\d{1,2}|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*|loopback|linklocal|uniquelocal)$/,
        'must be a number of proxies or a list of addresses or subnets',
      )
      .transform((v): number | string => (/^\d+$/.test(v) ? Number(v) : v))
      .optional(),
    /** `charter serve`'s log: JSON lines on stdout (production), or text lines on stderr. */
    CHARTER_LOG_FORMAT: z.enum(['json', 'text']).default('json'),
    /** How long requests in flight may take to finish once `charter serve` is told to stop. */
    CHARTER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    /**
     * How long `charter serve`, told to stop, goes on serving with `/readyz` answering 503, so that
     * the load balancer takes it out before the listener closes (its probe interval times its
     * failure threshold, and some). 0: the listener closes at once.
     */
    CHARTER_SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(300_000).default(0),
    /** Single sign-on with OpenID Connect (api/oidc/settings.ts): none unless CHARTER_OIDC_ISSUER is set. */
    ...oidcVariables,
  })
  .superRefine((config, ctx) => {
    for (const problem of oidcProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
  });

export type ApiConfig = z.infer<typeof schema>;

/** Every variable the API server reads (`charter serve --config FILE` refuses others). */
export const API_VARIABLES: readonly string[] = Object.keys(schema.shape);

export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

/** The configuration in `env`, or an ApiConfigError that names every wrong variable. */
export function apiConfig(env: Record<string, string | undefined>): ApiConfig {
  // An empty variable means "not set" (a blank line in an env file), not "set to nothing".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ApiConfigError(`configuration problems:\n${lines.join('\n')}`);
}
