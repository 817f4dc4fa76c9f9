// Routes of /v1/resources (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function resourcesRoutes(): RouteSpec[] {
  return [];
}
