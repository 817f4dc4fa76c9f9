// Routes of a published policy's processes: what the console needs to draw a process and to
// build its start form (the input block with types and defaults, the flow graph with the policy
// line of every node). Everyone reads them, as they read the policy itself.
import { z } from 'zod';
import { publishedProcess } from './progress.js';
import { processResponse } from './schemas.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import { versionParams } from '../policies/routes.js';

export function processesRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/policies/:name/versions/:version/processes/:process',
      summary: 'One process of a published version: its input fields and its flow graph',
      roles: ALL_ROLES,
      params: versionParams.extend({ process: z.string().min(1).max(200) }),
      response: processResponse,
      handler: async ({ params, deps }) =>
        json(
          await publishedProcess(deps.store, {
            name: params.name,
            version: params.version,
            process: params.process,
          }),
        ),
    }),
  ];
}
