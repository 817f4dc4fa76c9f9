// Routes of /v1/instances (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function instancesRoutes(): RouteSpec[] {
  return [];
}
