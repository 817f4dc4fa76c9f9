// Every route of the API is a declaration: method, path, who may call it, the zod schemas of its
// params, query and body, and one handler. The same table mounts the Express routes, generates
// the OpenAPI document and drives the authorization-matrix test, so the three cannot disagree.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../engine/store/index.js';
import type { ApiDeps } from './deps.js';

/** Who is calling: the person a token belongs to, with the token's roles. */
export interface Caller {
  person: string;
  roles: readonly Role[];
}

export interface RouteContext<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  deps: ApiDeps;
  req: Request;
  res: Response;
}

/** A handler's answer: a JSON body (sent with the route's status), or `streamed` once it wrote itself. */
export type RouteResult = { json: unknown; status?: number } | { streamed: true };

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path under /v1, e.g. `/instances/:id`. */
  path: string;
  /** One line for the OpenAPI document and the docs page. */
  summary: string;
  /** The roles allowed to call it (any one suffices). Ownership checks are the handler's. */
  roles: readonly Role[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The success answer's schema, for the OpenAPI document. */
  response?: z.ZodType;
  /** The success status (default 200); 201 for creations. */
  status?: number;
  /** Content type of a streamed answer (exports), for the OpenAPI document. */
  produces?: string[];
  handler: (ctx: RouteContext<P, Q, B>) => Promise<RouteResult>;
}

/** Declares a route with its types inferred from its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

export const json = (body: unknown, status?: number): RouteResult =>
  status === undefined ? { json: body } : { json: body, status };

export const ALL_ROLES: readonly Role[] = ['author', 'requester', 'approver', 'auditor', 'admin'];
