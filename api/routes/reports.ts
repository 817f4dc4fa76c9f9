// Routes of /v1/reports (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function reportsRoutes(): RouteSpec[] {
  return [];
}
