// The route table of /v1: each module contributes its routes; the app mounts them, the OpenAPI
// document describes them and the authorization-matrix test calls every one with every role.
import type { RouteSpec } from './route.js';
import { accountRoutes } from './account/routes.js';
import { tokenRoutes } from './access/tokens.js';
import { auditRoutes } from './audit/routes.js';
import { dashboardsRoutes } from './dashboards/routes.js';
import { ledgerRoutes } from './audit/ledger-routes.js';
import { directoryRoutes } from './directory/routes.js';
import { findingsRoutes } from './findings/routes.js';
import { instancesRoutes } from './instances/routes.js';
import { monitorsRoutes } from './monitors/routes.js';
import { notificationsRoutes } from './notifications/routes.js';
import { oidcRoutes } from './oidc/routes.js';
import { peopleResourcesRoutes } from './resources/people.js';
import { policiesRoutes } from './policies/routes.js';
import { processesRoutes } from './processes/routes.js';
import { projectsRoutes } from './projects/routes.js';
import { qualificationsRoutes } from './qualifications/routes.js';
import { reportsRoutes } from './reports/routes.js';
import { resourcesRoutes } from './resources/routes.js';
import { tasksRoutes } from './tasks/routes.js';

export function allRoutes(): RouteSpec[] {
  return [
    ...accountRoutes(),
    ...oidcRoutes(),
    ...tokenRoutes(),
    ...policiesRoutes(),
    ...processesRoutes(),
    ...instancesRoutes(),
    ...tasksRoutes(),
    ...directoryRoutes(),
    ...notificationsRoutes(),
    ...resourcesRoutes(),
    ...peopleResourcesRoutes(),
    ...auditRoutes(),
    ...ledgerRoutes(),
    ...reportsRoutes(),
    ...dashboardsRoutes(),
    ...projectsRoutes(),
    ...qualificationsRoutes(),
    ...findingsRoutes(),
    ...monitorsRoutes(),
  ];
}
