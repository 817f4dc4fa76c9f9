// Single sign-on's configuration: the environment variables `charter serve` reads for OpenID
// Connect (api/config.ts adds them to its own), and the settings the sign-in routes run on. Nothing
// is set: no single sign-on (its routes answer 404, the console shows no button). CHARTER_OIDC_ISSUER
// set: the client id, its secret and CHARTER_PUBLIC_URL must be too, and every other value must make
// sense, or serve stops at start naming the variable. A provider's reachability is not checked at
// start (serve must not depend on it): sign-in discovers the provider on first use.
import { z } from 'zod';
import { ROLES, type Role } from '../../store/index.js';

/** Callback path under the API's public address: register `<CHARTER_PUBLIC_URL>` + this at the provider. */
export const CALLBACK_PATH = '/v1/session/oidc/callback';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

const claimName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$/, 'must be a claim name, such as groups or email');

/**
 * `pmo-staff=pmo,cab=approver,cab=auditor`: each entry a group as the provider names it, `=`, and a
 * Charter role; a group may appear more than once to map to several roles.
 */
const roleMap = z.string().transform((text, ctx): Map<string, Role[]> => {
  const map = new Map<string, Role[]>();
  for (const [index, raw] of text.split(',').entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.lastIndexOf('=');
    const group = eq < 0 ? '' : entry.slice(0, eq).trim();
    const role = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (group === '' || role === '') {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} ("${entry}") must be group=role, e.g. pmo-staff=pmo,cab=approver`,
      });
      continue;
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} ("${entry}"): ${role} is not a role; the roles are ${ROLES.join(', ')}`,
      });
      continue;
    }
    const roles = map.get(group) ?? [];
    if (!roles.includes(role as Role)) roles.push(role as Role);
    map.set(group, roles);
  }
  return map;
});

/** The variables, for api/config.ts's schema (and so for `--config FILE` and API_VARIABLES). */
export const oidcVariables = {
  /** The provider's issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  CHARTER_OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) URL of the provider (its issuer identifier)' })
    .refine((url) => new URL(url).protocol === 'https:' || LOOPBACK.has(new URL(url).hostname), {
      message: 'must be https:// (plain http only for a provider on this machine: 127.0.0.1, ::1, localhost)',
    })
    .optional(),
  CHARTER_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  CHARTER_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** What the sign-in button says: "Sign in with <name>". */
  CHARTER_OIDC_NAME: z.string().trim().min(1).max(60).optional(),
  /** Space-separated scopes to ask for; `openid` among them. */
  CHARTER_OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be scopes separated by single spaces')
    .refine((s) => s.split(' ').includes('openid'), { message: 'must include openid' })
    .default('openid email profile'),
  CHARTER_OIDC_GROUPS_CLAIM: claimName.default('groups'),
  CHARTER_OIDC_ROLES: roleMap.optional(),
  /** The claim whose value is a directory person's id (their e-mail address). */
  CHARTER_OIDC_PERSON_CLAIM: claimName.default('email'),
  /** The console's and API's address as people reach it (also the worker's, for links in messages). */
  CHARTER_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) URL people open Charter at' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
};

type OidcVariables = z.infer<z.ZodObject<typeof oidcVariables>>;

/** The variables that need CHARTER_OIDC_ISSUER to mean anything, and those it needs. */
const NEEDED = ['CHARTER_OIDC_CLIENT_ID', 'CHARTER_OIDC_CLIENT_SECRET', 'CHARTER_PUBLIC_URL'] as const;
const ONLY_WITH_ISSUER = [
  'CHARTER_OIDC_CLIENT_ID',
  'CHARTER_OIDC_CLIENT_SECRET',
  'CHARTER_OIDC_ROLES',
] as const;

/** The cross-variable checks, as issues at the variable to fix (api/config.ts's superRefine). */
export function oidcProblems(given: OidcVariables): { path: string[]; message: string }[] {
  if (given.CHARTER_OIDC_ISSUER === undefined) {
    return ONLY_WITH_ISSUER.filter((name) => given[name] !== undefined).map((name) => ({
      path: [name],
      message: 'is set but CHARTER_OIDC_ISSUER is not: set the issuer for single sign-on, or unset this',
    }));
  }
  return NEEDED.filter((name) => given[name] === undefined).map((name) => ({
    path: [name],
    message:
      name === 'CHARTER_PUBLIC_URL'
        ? `must be set with CHARTER_OIDC_ISSUER: the provider sends people back to it + ${CALLBACK_PATH}`
        : 'must be set with CHARTER_OIDC_ISSUER (the client Charter is registered as at the provider)',
  }));
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the sign-in button. */
  name: string;
  scopes: string;
  groupsClaim: string;
  /** Group as the provider names it -> the Charter roles it gives. */
  groupRoles: ReadonlyMap<string, readonly Role[]>;
  personClaim: string;
  /** Where the provider sends people back: CHARTER_PUBLIC_URL + CALLBACK_PATH. */
  redirectUri: string;
}

/** The single sign-on settings of a parsed configuration; null when CHARTER_OIDC_ISSUER is unset. */
export function oidcSettingsOf(config: OidcVariables): OidcSettings | null {
  const { CHARTER_OIDC_ISSUER: issuer, CHARTER_OIDC_CLIENT_ID: clientId } = config;
  const { CHARTER_OIDC_CLIENT_SECRET: clientSecret, CHARTER_PUBLIC_URL: publicUrl } = config;
  if (issuer === undefined) return null;
  // oidcProblems refused a configuration without them; this keeps the types honest.
  if (clientId === undefined || clientSecret === undefined || publicUrl === undefined) {
    throw new Error('CHARTER_OIDC_ISSUER without its client id, secret or CHARTER_PUBLIC_URL');
  }
  return {
    issuer: new URL(issuer),
    clientId,
    clientSecret,
    name: config.CHARTER_OIDC_NAME ?? new URL(issuer).hostname,
    scopes: config.CHARTER_OIDC_SCOPES,
    groupsClaim: config.CHARTER_OIDC_GROUPS_CLAIM,
    groupRoles: config.CHARTER_OIDC_ROLES ?? new Map(),
    personClaim: config.CHARTER_OIDC_PERSON_CLAIM,
    redirectUri: `${publicUrl}${CALLBACK_PATH}`,
  };
}

/** Whether plain http may be used with the issuer: only a provider on this machine (tests, a dev box). */
export const isLoopback = (url: URL): boolean => LOOPBACK.has(url.hostname);
