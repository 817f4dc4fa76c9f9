// Routes of /v1/tasks (being built; see api/routes/index.ts).
import type { RouteSpec } from '../route.js';

export function tasksRoutes(): RouteSpec[] {
  return [];
}
