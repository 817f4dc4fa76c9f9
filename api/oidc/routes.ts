// Signing in to the console with an OpenID Connect provider. Three public routes:
// - GET /v1/session/single-sign-on: whether it is configured and the provider's name (the sign-in
//   page shows its button only then);
// - GET /v1/session/oidc: starts a login (state, nonce and PKCE verifier kept in the database, a
//   random binding in an HttpOnly cookie of this browser) and redirects to the provider;
// - GET /v1/session/oidc/callback: where the provider sends the browser back. The login is taken
//   once, must have been started by this browser and be fresh; the code is exchanged and the ID
//   token checked (relying-party.ts); the person and roles follow sign-in.ts's rules; then the
//   same session as any other sign-in starts (api/session.ts) and the browser lands where it was
//   going. Every refusal lands on the sign-in page with `?sso-error=<code>` and starts nothing.
//
// The binding cookie is SameSite=Lax, not Strict like the session's: the provider's redirect back
// is a navigation from another site, which carries Lax cookies and not Strict ones. It only names
// a login under way, is good for one callback and opens nothing by itself.
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { json, redirect, route, type RouteSpec } from '../route.js';
import { cookieOf, startSession } from '../session.js';
import { OidcRelyingParty } from './relying-party.js';
import {
  groupsOf,
  mappedRoles,
  personIdOf,
  type Refusal,
  safeReturnPath,
  sessionRoles,
  SignInRefused,
} from './sign-in.js';

const LOGIN_COOKIE = 'charter_oidc';
const LOGIN_PATH = '/v1/session/oidc';
/** Long enough to type a password and answer a second factor; short enough not to linger. */
export const LOGIN_MINUTES = 10;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const startQuery = z.object({
  next: z
    .string()
    .max(500)
    .refine((path) => safeReturnPath(path) !== null, {
      message: 'must be a path of the console, such as /inbox (not a full URL, not under /v1)',
    })
    .optional()
    .describe('the console path to land on once signed in (default /)'),
});

// What providers send back (RFC 6749 4.1.2, RFC 9207); openid-client checks them, not zod.
const callbackQuery = z.looseObject({
  state: z.string().max(2000).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
});

const optionsView = z.object({
  enabled: z.boolean(),
  name: z.string().nullable().describe('the provider, for "Sign in with <name>"'),
  start: z.string().nullable().describe('where the browser goes to sign in'),
});

function requireConfigured(deps: ApiDeps): OidcRelyingParty {
  if (deps.singleSignOn) return deps.singleSignOn;
  throw new ApiError(
    404,
    'single-sign-on-off',
    'single sign-on is not configured on this Charter (CHARTER_OIDC_ISSUER is unset): sign in with an API token',
  );
}

/** The sign-in page with the refusal's code, keeping where the person was going. */
const refusedTo = (code: Refusal, returnTo: string): string =>
  `/sign-in?sso-error=${code}${returnTo === '/' ? '' : `&next=${encodeURIComponent(returnTo)}`}`;

const cookieOptions = (req: Request) =>
  ({ httpOnly: true, sameSite: 'lax', secure: req.secure, path: LOGIN_PATH }) as const;

async function startLogin(deps: ApiDeps, rp: OidcRelyingParty, req: Request, res: Response, next: string) {
  const login = OidcRelyingParty.newLogin();
  let location: URL;
  try {
    location = await rp.authorizationUrl(login);
  } catch (error) {
    deps.log('single sign-on: the provider could not be discovered', error);
    return redirect(refusedTo('provider', next));
  }
  const binding = randomBytes(32).toString('base64url');
  const at = deps.now();
  await deps.store.oidcLogins.add({
    stateHash: sha256(login.state),
    bindingHash: sha256(binding),
    codeVerifier: login.codeVerifier,
    nonce: login.nonce,
    returnTo: next,
    createdAt: at,
    expiresAt: new Date(at.getTime() + LOGIN_MINUTES * 60_000),
  });
  res.cookie(LOGIN_COOKIE, binding, { ...cookieOptions(req), maxAge: LOGIN_MINUTES * 60_000 });
  return redirect(location.href);
}

/** The callback's work up to a session; throws SignInRefused for anything that is not a sign-in. */
async function finishLogin(
  deps: ApiDeps,
  rp: OidcRelyingParty,
  req: Request,
  res: Response,
  query: z.infer<typeof callbackQuery>,
): Promise<string> {
  const state = query.state;
  const login = state === undefined ? null : await deps.store.oidcLogins.take(sha256(state));
  if (state === undefined || login === null)
    throw new SignInRefused('state', 'no login under way has this state');
  const binding = cookieOf(req, LOGIN_COOKIE);
  if (binding === null || sha256(binding) !== login.bindingHash) {
    throw new SignInRefused('state', 'the login was started in another browser (or its cookie is gone)');
  }
  if (login.expiresAt <= deps.now())
    throw new SignInRefused('expired', `older than ${LOGIN_MINUTES} minutes`);
  if (query.error !== undefined) {
    throw new SignInRefused(
      query.error === 'access_denied' ? 'denied' : 'provider',
      `the provider said ${query.error}`,
    );
  }
  const callbackUrl = new URL(rp.settings.redirectUri);
  callbackUrl.search = new URL(req.originalUrl, 'http://callback.invalid').search;
  let claims;
  try {
    claims = await rp.claimsOf(callbackUrl, { state, nonce: login.nonce, codeVerifier: login.codeVerifier });
  } catch (error) {
    throw new SignInRefused('provider', error instanceof Error ? error.message : String(error));
  }
  const person = personIdOf(claims, rp.settings);
  const known = await deps.store.directory.person(person);
  if (known === null || !known.active) {
    throw new SignInRefused('unknown-person', `${person} is not a known, active person of the directory`);
  }
  const roles = sessionRoles(
    person,
    mappedRoles(groupsOf(claims, rp.settings), rp.settings),
    await deps.store.roleGrants.rolesOf(person),
  );
  await startSession(deps.store, res, req, { person, roles }, deps.now());
  return login.returnTo;
}

export function oidcRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/session/single-sign-on',
      summary: 'Whether the console offers single sign-on, and the name of the provider',
      roles: [],
      public: true,
      response: optionsView,
      handler: ({ deps }) =>
        Promise.resolve(
          json(
            deps.singleSignOn
              ? { enabled: true, name: deps.singleSignOn.settings.name, start: LOGIN_PATH }
              : { enabled: false, name: null, start: null },
          ),
        ),
    }),
    route({
      method: 'get',
      path: '/session/oidc',
      summary:
        'Single sign-on: redirects the browser to the OpenID Connect provider (404 when not configured)',
      roles: [],
      public: true,
      redirects: true,
      query: startQuery,
      handler: ({ deps, req, res, query }) =>
        startLogin(deps, requireConfigured(deps), req, res, query.next ?? '/'),
    }),
    route({
      method: 'get',
      path: '/session/oidc/callback',
      summary:
        'Single sign-on: where the provider sends the browser back; starts a session and redirects to the ' +
        'console, or to the sign-in page with `sso-error` (state, expired, denied, provider, unverified, ' +
        'unknown-person, no-roles) and no session',
      roles: [],
      public: true,
      redirects: true,
      query: callbackQuery,
      handler: async ({ deps, req, res, query }) => {
        const rp = requireConfigured(deps);
        res.clearCookie(LOGIN_COOKIE, cookieOptions(req));
        try {
          return redirect(await finishLogin(deps, rp, req, res, query));
        } catch (error) {
          if (!(error instanceof SignInRefused)) throw error;
          deps.log(`single sign-on refused (${error.code}): ${error.detail}`);
          return redirect(refusedTo(error.code, '/'));
        }
      },
    }),
  ];
}
