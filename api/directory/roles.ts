// Routes of /v1/directory/people/:id/roles: the roles an admin granted a person of the directory
// (store/role-grants.ts). Single sign-on gives a person these roles beside those their groups map
// to (api/oidc/); a token keeps the roles it was issued with.
//
// Taking a role away takes effect at once: it ends every browser session of the person (whatever
// roles each carried: they sign in again and get their roles as they are now) and revokes their
// live tokens that carry a removed role. Each such token gets its own `tokenRevoked` event (with
// `because: roles-removed`), so that "when did this token stop working" reads the same for every
// token; the `rolesChanged` event names them too, with the number of sessions ended. Granting a
// role ends nothing; a session started before has the roles it started with.
//
// Order, so that nothing is left granted when something fails: the grant is stored, then sessions
// and tokens end, then the ledger is written, keyed by the grant's version. A retry of a request
// whose ledger write failed finds the roles already set and completes the record; the events'
// keys keep it from being written twice.
import { z } from 'zod';
import { ROLES, type Role, type RoleGrant, type Store } from '../../store/index.js';
import { hasRole } from '../auth.js';
import { forbidden, invalidRequest, notFound } from '../errors.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import { endAccess } from './access-end.js';
import { personId } from './schemas.js';

const grantView = z.object({
  person: z.string(),
  roles: z.array(z.enum(ROLES)).describe('the roles granted, in a fixed order; none when never granted'),
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
});

const changeView = grantView.extend({
  changed: z.boolean().describe('false when the person already had exactly these roles'),
  sessionsEnded: z.number().int().describe("the person's browser sessions a removed role ended"),
  tokensRevoked: z.array(z.string()).describe('ids of the live tokens revoked for carrying a removed role'),
});

const rolesBody = z.strictObject({
  roles: z
    .array(z.enum(ROLES))
    .max(ROLES.length * 2)
    .describe('every role the person is to have; an empty list takes all away'),
});

const params = z.object({ id: personId });

/** Who sees a person's granted roles besides the person: those who run and audit access. */
const SEE_ANYONES: readonly Role[] = ['admin', 'auditor'];

const showGrant = (person: string, grant: RoleGrant | null): z.infer<typeof grantView> =>
  grant === null || grant.version === 0
    ? { person, roles: [], updatedAt: null, updatedBy: null }
    : { person, roles: grant.roles, updatedAt: grant.updatedAt.toISOString(), updatedBy: grant.updatedBy };

/**
 * What a grant's change demands once stored: with roles removed, the person's sessions end and
 * their tokens carrying a removed role are revoked, each on the ledger; then the change itself.
 */
async function enforceAndRecord(
  store: Store,
  grant: RoleGrant,
  at: Date,
): Promise<{ sessionsEnded: number; tokensRevoked: string[] }> {
  if (grant.version === 0) return { sessionsEnded: 0, tokensRevoked: [] };
  const removed = grant.previous.filter((r) => !grant.roles.includes(r));
  const { sessionsEnded, tokensRevoked } =
    removed.length > 0
      ? await endAccess(store, {
          person: grant.person,
          roles: removed,
          upTo: grant.updatedAt,
          at,
          by: grant.updatedBy,
          because: 'roles-removed',
        })
      : { sessionsEnded: 0, tokensRevoked: [] };
  await store.adminLog.record({
    key: `roles:${grant.person}:v${grant.version}`,
    at: grant.updatedAt,
    actor: grant.updatedBy,
    fact: {
      kind: 'rolesChanged',
      person: grant.person,
      version: grant.version,
      from: grant.previous,
      to: grant.roles,
      by: grant.updatedBy,
      sessionsEnded,
      tokensRevoked,
    },
  });
  return { sessionsEnded, tokensRevoked };
}

export function roleGrantRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/directory/people/:id/roles',
      summary: "The roles granted to a person (admins and auditors: anyone's; others: their own)",
      roles: ALL_ROLES,
      ownership: { param: 'id', object: 'person', seeAll: SEE_ANYONES, othersGet: 403 },
      params,
      response: grantView,
      handler: async ({ deps, caller, params: { id } }) => {
        if (!hasRole(caller, ...SEE_ANYONES) && caller.person !== id) {
          throw forbidden(`only admins and auditors see someone else's roles; ${caller.person} is neither`);
        }
        if ((await deps.store.directory.person(id)) === null) throw notFound(`person ${id}`);
        return json(showGrant(id, await deps.store.roleGrants.of(id)));
      },
    }),
    route({
      method: 'put',
      path: '/directory/people/:id/roles',
      summary:
        'Sets the roles granted to a person (admins). Taking a role away ends all their browser ' +
        'sessions and revokes their live tokens that carry it, at once; granting ends nothing',
      roles: ['admin'],
      params,
      body: rolesBody,
      response: changeView,
      handler: async ({ deps, caller, params: { id }, body }) => {
        const person = await deps.store.directory.person(id);
        if (person === null) throw notFound(`person ${id}`);
        const current = await deps.store.roleGrants.rolesOf(id);
        const added = body.roles.filter((r) => !current.includes(r));
        if (!person.active && added.length > 0) {
          throw invalidRequest([
            {
              path: 'params.id',
              message: `${id} is inactive in the directory: reactivate them before granting a role (taking roles away works)`,
            },
          ]);
        }
        const at = deps.now();
        const { grant, changed } = await deps.store.roleGrants.set(id, body.roles, at, caller.person);
        const ended = await enforceAndRecord(deps.store, grant, at);
        return json({ ...showGrant(id, grant), changed, ...(changed ? ended : noneEnded) });
      },
    }),
  ];
}

/** A request that changed nothing ended nothing (a retry may have completed an earlier record). */
const noneEnded = { sessionsEnded: 0, tokensRevoked: [] as string[] };
