// Who a provider's claims sign in, and with which roles: pure rules, kept apart from the routes so
// that they read as the policy they are (and are tested as units). Every answer that is not a
// person with at least one role is a refusal with a stable code; the console turns the code into a
// sentence (web/src/pages/sign-in/), the server log keeps the detail. Nothing here grants a role
// the configuration or an admin did not give.
import { canonicalRoles, type Role } from '../../store/index.js';
import type { Claims } from './relying-party.js';
import type { OidcSettings } from './settings.js';

/** Why a single sign-on did not start a session: the `sso-error` the sign-in page shows. */
export const REFUSALS = [
  'state',
  'expired',
  'denied',
  'provider',
  'unverified',
  'unknown-person',
  'no-roles',
] as const;
export type Refusal = (typeof REFUSALS)[number];

export class SignInRefused extends Error {
  override name = 'SignInRefused';
  constructor(
    readonly code: Refusal,
    /** For the server's log: what exactly did not match (never a token or a secret). */
    readonly detail: string,
  ) {
    super(`single sign-on refused (${code}): ${detail}`);
  }
}

/**
 * The directory person id the claims name: the person claim's value, trimmed and lower-cased like
 * every person id. With the `email` claim, an address the provider says it did not verify is
 * refused (anyone can type any address into some providers' profiles); an absent
 * `email_verified` is taken as the provider vouching for the addresses it issues.
 */
export function personIdOf(claims: Claims, settings: Pick<OidcSettings, 'personClaim'>): string {
  const value = claims[settings.personClaim];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SignInRefused('unknown-person', `the claim ${settings.personClaim} is missing or not text`);
  }
  if (
    settings.personClaim === 'email' &&
    (claims['email_verified'] === false || claims['email_verified'] === 'false')
  ) {
    throw new SignInRefused('unverified', `the provider has not verified ${value}`);
  }
  return value.trim().toLowerCase();
}

/** The groups claim as a list: providers send an array, some a single name or a space-separated one. */
export function groupsOf(claims: Claims, settings: Pick<OidcSettings, 'groupsClaim'>): string[] {
  const value = claims[settings.groupsClaim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return [];
}

/** The roles the person's groups map to (CHARTER_OIDC_ROLES); unmapped groups give none. */
export function mappedRoles(groups: readonly string[], settings: Pick<OidcSettings, 'groupRoles'>): Role[] {
  return canonicalRoles(groups.flatMap((group) => settings.groupRoles.get(group) ?? []));
}

/** The session's roles: mapped ∪ granted. None at all is a refusal, never an empty session. */
export function sessionRoles(person: string, mapped: readonly Role[], granted: readonly Role[]): Role[] {
  const roles = canonicalRoles([...mapped, ...granted]);
  if (roles.length === 0) {
    throw new SignInRefused('no-roles', `${person} has no mapped group and no role granted by an admin`);
  }
  return roles;
}

/**
 * A console path to return to after signing in, or null when `path` is not one: same origin only
 * (`/inbox?x=1`, never `//evil.example`, `/\evil`, a scheme or the API's own /v1 paths).
 */
export function safeReturnPath(path: string): string | null {
  if (path.length > 500 || !path.startsWith('/') || path.startsWith('//')) return null;
  // Backslashes (browsers read `/\host` as `//host`), spaces and control characters.
  if ([...path].some((c) => c === '\\' || c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/v1?')) return null;
  return path;
}
