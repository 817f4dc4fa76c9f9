// Every route of the API is a declaration: method, path, who may call it, the zod schemas of its
// params, query and body, and one handler. The same table mounts the Express routes, generates
// the OpenAPI document and drives the authorization-matrix test, so the three cannot disagree.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../store/index.js';
import type { ApiDeps } from './deps.js';

/** Who is calling: the person a token belongs to, with the token's roles. */
export interface Caller {
  person: string;
  roles: readonly Role[];
  /** The browser session the request came with; absent for bearer tokens. */
  session?: { hash: string; csrf: string; expiresAt: Date };
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

/**
 * A handler's answer: a JSON body (sent with the route's status), `streamed` once it wrote itself,
 * or a browser redirect (single sign-on) to a URL or a console path.
 */
export type RouteResult = { json: unknown; status?: number } | { streamed: true } | { redirect: string };

/**
 * A route about an object that belongs to someone: a requester's instance, an approver's task
 * (theirs or delegated to them), a person's delegation, a person's absence or planning weeks, the
 * owners' finding of a protocol monitor.
 * Declared so that the ownership test calls the route, with each allowed role, on an object of
 * somebody else's and checks the answer; the handler does the checking.
 */
export interface Ownership<K extends string = string> {
  /** The path parameter naming the object. */
  param: K;
  object: 'instance' | 'task' | 'delegation' | 'person' | 'finding' | 'token';
  /** Allowed roles that act on or see anyone's object, not only their own. */
  seeAll: readonly Role[];
  /**
   * What any other allowed caller gets for an object not theirs: 404 when the object is hidden
   * (exactly as for an unknown id, so that ids cannot be probed), 403 when everyone may know it
   * exists but only its owner (or `seeAll`) may do this.
   */
  othersGet: 403 | 404;
}

/** The names of a route's path parameters; any string for the untyped table. */
type ParamName<P> = unknown extends P ? string : Extract<keyof P, string>;

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path under /v1, e.g. `/instances/:id`. */
  path: string;
  /** One line for the OpenAPI document and the docs page. */
  summary: string;
  /** The roles allowed to call it (any one suffices). Ownership checks are the handler's. */
  roles: readonly Role[];
  /**
   * Called without a token or session (signing in, the demo people): `roles` is empty and the
   * handler gets an anonymous caller. Nothing public reveals or changes anyone's data.
   */
  public?: true;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The body's content type when it is not JSON (the CSV import: `text/csv`). */
  consumes?: string;
  /**
   * The route answers browsers with a 302 to follow (single sign-on), never JSON on success; the
   * OpenAPI document says so. Its errors before redirecting are JSON like everyone's.
   */
  redirects?: true;
  /** The success answer's schema, for the OpenAPI document. */
  response?: z.ZodType;
  /** The success status (default 200); 201 for creations. */
  status?: number;
  /** Other success statuses with the same body (a PUT that created its object answers 201). */
  alsoStatus?: number[];
  /** Content type of a streamed answer (exports), for the OpenAPI document. */
  produces?: string[];
  /**
   * The answer carries a secret shown once (a new token's text): it is never kept for an
   * Idempotency-Key replay, so the header is refused here and not documented.
   */
  oneTimeSecret?: true;
  /** The route is about someone's object named by a path parameter; see Ownership. */
  ownership?: Ownership<ParamName<P>>;
  handler: (ctx: RouteContext<P, Q, B>) => Promise<RouteResult>;
}

/** Declares a route with its types inferred from its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/**
 * `routes` with the ownership declared by method and path (`'DELETE /directory/delegations/:id'`),
 * for routes built in modules of their own; a declaration that matches no route throws, so that a
 * renamed route cannot silently lose it.
 */
export function withOwnership(routes: RouteSpec[], declared: Record<string, Ownership>): RouteSpec[] {
  const key = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path}`;
  const unmatched = Object.keys(declared).filter((k) => !routes.some((spec) => key(spec) === k));
  if (unmatched.length > 0) throw new Error(`ownership declared for no route: ${unmatched.join(', ')}`);
  return routes.map((spec) => {
    const ownership = declared[key(spec)];
    return ownership === undefined ? spec : { ...spec, ownership };
  });
}

/** Sends the browser on to `location` (302), never cached. */
export const redirect = (location: string): RouteResult => ({ redirect: location });

export const json = (body: unknown, status?: number): RouteResult =>
  status === undefined ? { json: body } : { json: body, status };

export const ALL_ROLES: readonly Role[] = ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'];
