// The route table of /v1: each module contributes its routes; the app mounts them, the OpenAPI
// document describes them and the authorization-matrix test calls every one with every role.
import type { RouteSpec } from '../route.js';
import { accountRoutes } from './account.js';
import { auditRoutes } from './audit.js';
import { directoryRoutes } from './directory.js';
import { instancesRoutes } from './instances.js';
import { peopleResourcesRoutes } from './people-resources.js';
import { policiesRoutes } from './policies.js';
import { processesRoutes } from './processes.js';
import { reportsRoutes } from './reports.js';
import { resourcesRoutes } from './resources.js';
import { tasksRoutes } from './tasks.js';

export function allRoutes(): RouteSpec[] {
  return [
    ...accountRoutes(),
    ...policiesRoutes(),
    ...processesRoutes(),
    ...instancesRoutes(),
    ...tasksRoutes(),
    ...directoryRoutes(),
    ...resourcesRoutes(),
    ...peopleResourcesRoutes(),
    ...auditRoutes(),
    ...reportsRoutes(),
  ];
}
