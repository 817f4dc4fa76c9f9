// Routes of /v1/directory (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function directoryRoutes(): RouteSpec[] {
  return [];
}
