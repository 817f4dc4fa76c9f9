// Who am I, and the browser's session. `/me` gives the person and roles behind the caller's token
// or session (the CLI's `charter whoami`, clients that adapt their screens to the roles). The
// session routes sign the console in and out (api/session.ts): with an API token, or, only in the
// demo that `npm start` runs, by picking one of its people.
import { z } from 'zod';
import { ROLES } from '../../store/index.js';
import { tokenFor } from '../auth.js';
import { ApiError, invalidRequest } from '../errors.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import { endSession, startSession } from '../session.js';

const meSchema = z.object({ person: z.string(), roles: z.array(z.enum(ROLES)) });

const sessionSchema = meSchema.extend({
  /** Send it as `x-csrf-token` on every POST, PUT and DELETE; null for bearer-token callers. */
  csrfToken: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});

const signInBody = z.strictObject({
  token: z.string().min(1).max(200).optional().describe('an API token (chr_...)'),
  person: z.string().min(1).max(200).optional().describe('a demo person (only in the npm start demo)'),
});

const demoPeopleSchema = z.object({
  enabled: z.boolean(),
  people: z.array(z.object({ person: z.string(), roles: z.array(z.enum(ROLES)), why: z.string() })),
});

export function accountRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/me',
      summary: 'The person and roles of the calling token or session',
      roles: ALL_ROLES,
      response: meSchema,
      handler: ({ caller }) => Promise.resolve(json({ person: caller.person, roles: caller.roles })),
    }),
    route({
      method: 'post',
      path: '/session',
      summary: 'Sign in: a session cookie (HttpOnly, SameSite=Strict) and the CSRF token for mutations',
      roles: [],
      public: true,
      body: signInBody,
      response: sessionSchema,
      status: 201,
      handler: async ({ body, deps, req, res }) => {
        if ((body.token === undefined) === (body.person === undefined)) {
          throw invalidRequest([{ path: 'body', message: 'give either `token` or `person`, not both' }]);
        }
        let who;
        if (body.token !== undefined) {
          who = await tokenFor(deps.store, body.token.trim(), deps.now());
          if (!who) throw new ApiError(401, 'unauthorized', 'the token is unknown, expired or revoked');
        } else {
          if (!deps.demoPeople) {
            throw invalidRequest([
              {
                path: 'body.person',
                message: 'signing in by picking a person works only in the demo that `npm start` runs',
              },
            ]);
          }
          who = deps.demoPeople.find((p) => p.person === body.person);
          if (!who) {
            throw invalidRequest([{ path: 'body.person', message: `${body.person} is not a demo person` }]);
          }
        }
        const session = await startSession(deps.store, res, req, who, deps.now());
        return json({
          person: session.person,
          roles: session.roles,
          csrfToken: session.csrf,
          expiresAt: session.expiresAt.toISOString(),
        });
      },
    }),
    route({
      method: 'get',
      path: '/session',
      summary: 'The caller, and for a browser session its CSRF token and expiry (after a page reload)',
      roles: ALL_ROLES,
      response: sessionSchema,
      handler: ({ caller }) =>
        Promise.resolve(
          json({
            person: caller.person,
            roles: caller.roles,
            csrfToken: caller.session?.csrf ?? null,
            expiresAt: caller.session?.expiresAt.toISOString() ?? null,
          }),
        ),
    }),
    route({
      method: 'delete',
      path: '/session',
      summary: "Sign out: ends the browser's session and clears its cookie",
      roles: ALL_ROLES,
      response: z.object({ signedOut: z.boolean() }),
      handler: async ({ deps, req, res }) => json({ signedOut: await endSession(deps.store, req, res) }),
    }),
    route({
      method: 'get',
      path: '/session/demo-people',
      summary: 'The people of the npm start demo, to sign in as by picking one (empty elsewhere)',
      roles: [],
      public: true,
      response: demoPeopleSchema,
      handler: ({ deps }) =>
        Promise.resolve(
          json({
            enabled: deps.demoPeople !== undefined,
            people: (deps.demoPeople ?? []).map(({ person, roles, why }) => ({ person, roles, why })),
          }),
        ),
    }),
  ];
}
