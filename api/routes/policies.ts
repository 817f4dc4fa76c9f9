// Routes of /v1/policies (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function policiesRoutes(): RouteSpec[] {
  return [];
}
