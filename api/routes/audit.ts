// Routes of /v1/audit (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function auditRoutes(): RouteSpec[] {
  return [];
}
