// Routes of /v1/tokens: issuing, listing and revoking API tokens. An admin issues a token to any
// known, active person of the directory with any roles; anyone else issues tokens to themselves
// with roles they already have (the CLI token of a person signed in to the console), and sees and
// revokes only their own. The token's text is in the issuing answer only: the store keeps its
// hash, so the answer is never kept for an Idempotency-Key replay either. Every issue and revoke
// is an event on the ledger's admin chain, written after the store and keyed by the token, so a
// retry adds none; an issue the ledger could not record is revoked again before the error goes out.
import { z } from 'zod';
import { isLive, ROLES, type Role, type Store, type TokenSummary } from '../../store/index.js';
import { hasRole, issueTokenFor } from '../auth.js';
import { forbidden, invalidRequest, notFound } from '../errors.js';
import { pageAnswer, pageOf, pageQuery } from '../paging.js';
import { ALL_ROLES, type Caller, json, route, type RouteSpec } from '../route.js';
import { personId, requireActivePeople } from '../directory/schemas.js';

/** Without `expiresInDays`, a token lasts a quarter: long enough for a CLI, short enough to lapse. */
export const DEFAULT_TOKEN_DAYS = 90;
const DAY_MS = 86_400_000;

const tokenId = z.string().regex(/^[0-9a-f]{16}$/, 'expected a token id: 16 hexadecimal digits');

export const tokenView = z.object({
  id: tokenId,
  person: z.string(),
  roles: z.array(z.enum(ROLES)),
  label: z.string(),
  status: z.enum(['live', 'expired', 'revoked']),
  createdAt: z.iso.datetime(),
  createdBy: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  revokedBy: z.string().nullable(),
});

const issued = tokenView.extend({
  token: z.string().describe('the token text (chr_...): shown in this answer only, never again'),
});

const issueBody = z.strictObject({
  person: personId.optional().describe('whose token; yourself when omitted'),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  label: z.string().trim().min(1).max(100).describe('what it is for: "laptop CLI", "CI pipeline"'),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .nullable()
    .optional()
    .describe(`days until it stops working (default ${DEFAULT_TOKEN_DAYS}); null for never (admins only)`),
});

const listQuery = pageQuery.extend({
  person: personId.optional().describe("one person's tokens (an admin's choice; others see their own)"),
});

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function showToken(token: TokenSummary, at: Date): z.infer<typeof tokenView> {
  const status = token.revokedAt !== null ? 'revoked' : isLive(token, at) ? 'live' : 'expired';
  return {
    id: token.id,
    person: token.person,
    roles: token.roles,
    label: token.label,
    status,
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdBy,
    expiresAt: iso(token.expiresAt),
    revokedAt: iso(token.revokedAt),
    revokedBy: token.revokedBy,
  };
}

/** 422 unless `caller` may issue these roles to `person`; an admin may issue anything to anyone known. */
async function checkIssue(
  store: Store,
  caller: Caller,
  person: string,
  roles: readonly Role[],
  days: number | null,
) {
  if (hasRole(caller, 'admin')) {
    if (person !== caller.person)
      await requireActivePeople(store.directoryQueries, [person], () => 'body.person');
    return;
  }
  if (person !== caller.person)
    throw forbidden(`only an admin issues tokens to someone else; ${caller.person} is not one`);
  const problems = roles.flatMap((role, i) =>
    caller.roles.includes(role)
      ? []
      : [{ path: `body.roles.${i}`, message: `you do not have the role ${role}; only an admin can give it` }],
  );
  if (days === null)
    problems.push({ path: 'body.expiresInDays', message: 'only an admin issues tokens that never expire' });
  if (problems.length > 0) throw invalidRequest(problems);
}

/** The token named `id` if the caller may see it (an admin, or its person); else 404. */
async function visibleToken(store: Store, caller: Caller, id: string): Promise<TokenSummary> {
  const token = await store.tokens.byId(id);
  if (token === null || (!hasRole(caller, 'admin') && token.person !== caller.person))
    throw notFound(`token ${id}`);
  return token;
}

export function tokenRoutes(): RouteSpec[] {
  // A token is its person's; its id is not secret, but whose it is stays hidden from others.
  const owned = { param: 'id', object: 'token', seeAll: ['admin'], othersGet: 404 } as const;
  return [
    route({
      method: 'post',
      path: '/tokens',
      summary: 'Issues an API token: to anyone with any roles (admins), or to yourself with roles you have',
      roles: ALL_ROLES,
      oneTimeSecret: true,
      body: issueBody,
      response: issued,
      status: 201,
      handler: async ({ deps, caller, body }) => {
        const person = body.person ?? caller.person;
        const days = body.expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : body.expiresInDays;
        const roles = [...new Set(body.roles)];
        await checkIssue(deps.store, caller, person, roles, days);
        const at = deps.now();
        const expiresAt = days === null ? null : new Date(at.getTime() + days * DAY_MS);
        const { text, id } = await issueTokenFor(deps.store, {
          person,
          roles,
          label: body.label,
          at,
          createdBy: caller.person,
          expiresAt,
        });
        try {
          await deps.store.adminLog.record({
            key: `token:${id}:issued`,
            at,
            actor: caller.person,
            fact: {
              kind: 'tokenIssued',
              token: id,
              person,
              roles,
              label: body.label,
              expiresAt: iso(expiresAt),
              by: caller.person,
            },
          });
        } catch (error) {
          await deps.store.tokens.revoke(id, at, caller.person);
          throw error;
        }
        // What was just stored, without reading it back.
        const token: TokenSummary = {
          id,
          person,
          roles,
          label: body.label,
          createdAt: at,
          createdBy: caller.person,
          expiresAt,
          revokedAt: null,
          revokedBy: null,
        };
        return json({ ...showToken(token, at), token: text }, 201);
      },
    }),
    route({
      method: 'get',
      path: '/tokens',
      summary:
        "API tokens by id, revoked and expired ones too (admins: everyone's or one person's; others: their own)",
      roles: ALL_ROLES,
      query: listQuery,
      response: pageOf(tokenView),
      handler: async ({ deps, caller, query }) => {
        const admin = hasRole(caller, 'admin');
        if (!admin && query.person !== undefined && query.person !== caller.person) {
          throw forbidden(`only an admin lists someone else's tokens; ${caller.person} is not one`);
        }
        const person = admin ? (query.person ?? null) : caller.person;
        const page = await deps.store.tokens.page(person, query.cursor ?? null, query.limit);
        const at = deps.now();
        return json(pageAnswer({ items: page.items, next: page.next }, (t) => showToken(t, at)));
      },
    }),
    route({
      method: 'get',
      path: '/tokens/:id',
      summary: 'One API token (never its text)',
      roles: ALL_ROLES,
      ownership: owned,
      params: z.object({ id: tokenId }),
      response: tokenView,
      handler: async ({ deps, caller, params }) =>
        json(showToken(await visibleToken(deps.store, caller, params.id), deps.now())),
    }),
    route({
      method: 'delete',
      path: '/tokens/:id',
      summary: 'Revokes an API token (an admin any, others their own); revoking it again changes nothing',
      roles: ALL_ROLES,
      ownership: owned,
      params: z.object({ id: tokenId }),
      response: tokenView,
      handler: async ({ deps, caller, params }) => {
        await visibleToken(deps.store, caller, params.id);
        const at = deps.now();
        const done = await deps.store.tokens.revoke(params.id, at, caller.person);
        if (done === null) throw notFound(`token ${params.id}`);
        const { token } = done;
        // Also when it was revoked already: a retry after a failed ledger write completes the record.
        await deps.store.adminLog.record({
          key: `token:${token.id}:revoked`,
          at: token.revokedAt ?? at,
          actor: token.revokedBy,
          fact: {
            kind: 'tokenRevoked',
            token: token.id,
            person: token.person,
            label: token.label,
            by: token.revokedBy ?? caller.person,
          },
        });
        return json(showToken(token, at));
      },
    }),
  ];
}
