// The route table of /v1: each module contributes its routes; the app mounts them, the OpenAPI
// document describes them and the authorization-matrix test calls every one with every role.
import type { RouteSpec } from '../route.js';
import { accountRoutes } from './account.js';

export function allRoutes(): RouteSpec[] {
  return [...accountRoutes()];
}
