// Who am I: the person and roles behind the caller's token, for the CLI's `charter whoami` and
// for clients that adapt their screens to the roles.
import { z } from 'zod';
import { ROLES } from '../../store/index.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';

const meSchema = z.object({ person: z.string(), roles: z.array(z.enum(ROLES)) });

export function accountRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/me',
      summary: 'The person and roles of the calling token',
      roles: ALL_ROLES,
      response: meSchema,
      handler: ({ caller }) => Promise.resolve(json({ person: caller.person, roles: caller.roles })),
    }),
  ];
}
