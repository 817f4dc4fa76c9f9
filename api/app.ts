// The Express application, without `listen`: tests and the benchmark mount it on their own
// servers. Every /v1 route comes from the route table (api/routes), and runs the same way:
// authenticate, authorize by role, parse params, query and body with zod (422 with field paths),
// claim the Idempotency-Key of a POST, run the handler, answer JSON.
import { createHash, randomUUID } from 'node:crypto';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express, type Request, type Response } from 'express';
import { authenticate, authorize } from './auth.js';
import type { ApiDeps } from './deps.js';
import { consoleRouter } from './console.js';
import { ApiError, errorBody, errorHandler, invalidRequest, type Problem, problemsOf } from './errors.js';
import { claimKey } from './idempotency.js';
import { ApiMetrics } from './metrics.js';
import { MAX_CSV_BYTES } from './notifications/import.js';
import { docsPage, openApiDocument } from './openapi.js';
import type { Caller, RouteContext, RouteSpec } from './route.js';
import { allRoutes } from './routes.js';

export interface AppOptions {
  /** Largest JSON body accepted (bytes); bigger ones get 413. */
  bodyLimit?: number;
  routes?: RouteSpec[];
  /** The web console's built files, served at `/` (api/console.ts); none when absent. */
  consoleDir?: string;
  /**
   * Express's `trust proxy`: how many proxies (or which addresses) stand in front. Behind a load
   * balancer that ends TLS, the session cookie is Secure only when X-Forwarded-Proto is trusted.
   */
  trustProxy?: number | string;
}

const READY_TIMEOUT_MS = 2_000;

export function createApp(deps: ApiDeps, options: AppOptions = {}): Express {
  const routes = options.routes ?? allRoutes();
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.set('etag', false);
  const metrics = deps.metrics ?? new ApiMetrics(deps.store, deps.now);
  app.use((req, res, next) => {
    const id = randomUUID();
    res.locals['requestId'] = id;
    res.set('x-request-id', id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (res.locals['route'] as string | undefined) ?? routeOfUnmatched(req.path, res.statusCode);
      metrics.observeRequest(req.method, route, res.statusCode, seconds);
      deps.requestLog?.({
        requestId: id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        person: (res.locals['person'] as string | undefined) ?? null,
        instanceId: (res.locals['instanceId'] as string | undefined) ?? null,
      });
    });
    next();
  });
  app.use(express.json({ limit: options.bodyLimit ?? 1024 * 1024, strict: true }));
  // The one body that is not JSON: the people import's CSV file (api/notifications/import.ts).
  app.use(express.text({ type: 'text/csv', limit: MAX_CSV_BYTES }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (deps.health.stopping?.() === true) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const [mongo, temporal] = await Promise.all([probe(deps.health.mongo), probe(deps.health.temporal)]);
    const ready = mongo === 'ok' && temporal === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', mongo, temporal });
  });
  // The scraper signs in like any client: a token of someone allowed to see the installation's figures.
  app.get('/metrics', async (req, res, next) => {
    try {
      res.locals['route'] = '/metrics';
      const caller = await authenticate(deps.store, req, deps.now());
      authorize(caller, METRICS_ROLES, 'GET /metrics');
      const { contentType, body } = await metrics.text();
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  const document = openApiDocument(routes);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(document));
  });

  const v1 = express.Router();
  for (const spec of routes) {
    v1[spec.method](spec.path, (req, res) => {
      res.locals['route'] = `/v1${spec.path}`;
      return run(deps, spec, req, res);
    });
  }
  app.use('/v1', v1);
  if (options.consoleDir !== undefined) app.use(consoleRouter(options.consoleDir));

  app.use((req) => {
    throw new ApiError(404, 'no-such-route', `there is no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.log));
  return app;
}

const ANONYMOUS: Caller = { person: 'anonymous', roles: [] };

/** Who may read `/metrics`: the people who run the installation and those who watch it. */
const METRICS_ROLES = ['admin', 'auditor', 'pmo'] as const;

/** The route label of a request no route took: few values, whatever paths clients send. */
function routeOfUnmatched(path: string, status: number): string {
  if (path === '/healthz' || path === '/readyz' || path === '/openapi.json' || path === '/docs') return path;
  if (status === 404) return 'unmatched';
  return path.startsWith('/v1/') ? 'unmatched' : 'console';
}

/**
 * Answers the requests Node's HTTP parser refuses before Express sees them (headers over Node's
 * limit, a malformed request) in the API's error shape, instead of Node's empty 431 or 400.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a socket already answering has nobody left to tell.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(
      errorBody(
        tooLarge
          ? new ApiError(431, 'headers-too-large', 'the request headers are larger than the server accepts')
          : new ApiError(400, 'malformed-request', 'the request is not valid HTTP'),
        undefined,
      ),
    );
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/**
 * Every `__proto__` member of a parsed JSON body, at its path. JSON.parse keeps one as an own
 * member, but zod's records and objects drop it without a word: an input field so named would
 * vanish from the request instead of being refused like any other unknown field.
 */
function prototypeKeysOf(value: unknown, path: string[], depth = 0): Problem[] {
  if (typeof value !== 'object' || value === null || depth > 64) return [];
  const problems: Problem[] = [];
  for (const [key, member] of Object.entries(value)) {
    const at = [...path, key];
    if (key === '__proto__')
      problems.push({ path: at.join('.'), message: '`__proto__` is not a name a member may have' });
    problems.push(...prototypeKeysOf(member, at, depth + 1));
  }
  return problems;
}

async function run(deps: ApiDeps, spec: RouteSpec, req: Request, res: Response): Promise<void> {
  const caller = spec.public ? ANONYMOUS : await authenticate(deps.store, req, deps.now());
  if (!spec.public) res.locals['person'] = caller.person;
  if (spec.path.startsWith('/instances/:id')) res.locals['instanceId'] = req.params['id'];
  if (!spec.public) authorize(caller, spec.roles, `${spec.method.toUpperCase()} /v1${spec.path}`);
  if (spec.body && req.body === undefined && spec.method !== 'get') {
    const type = spec.consumes ?? 'application/json';
    if (req.get('content-length') !== undefined && !req.is(type)) {
      throw new ApiError(415, 'unsupported-media-type', `the request body must be ${type}`);
    }
  }
  const problems: Problem[] = [];
  const parse = <T>(where: string, schema: RouteSpec['body'], value: unknown): T => {
    if (!schema) return value as T;
    const out = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
    if (out.success) return out.data as T;
    problems.push(...problemsOf(where, out.error));
    return undefined as T;
  };
  const ctx: RouteContext<unknown, unknown, unknown> = {
    caller,
    params: parse('params', spec.params, req.params),
    query: parse('query', spec.query, req.query),
    body: parse('body', spec.body, req.body),
    deps,
    req,
    res,
  };
  if (spec.body) problems.push(...prototypeKeysOf(req.body, ['body']));
  if (problems.length > 0) throw invalidRequest(problems);

  if (spec.oneTimeSecret && req.get('idempotency-key') !== undefined) {
    throw invalidRequest([
      {
        path: 'headers.idempotency-key',
        message: 'not accepted here: the answer holds a secret shown once, which is never kept for a replay',
      },
    ]);
  }
  const claim =
    spec.method === 'post' && !spec.public && !spec.oneTimeSecret
      ? await claimKey(deps.store, caller, req, deps.now())
      : null;
  if (claim && 'replay' in claim) {
    res.status(claim.replay.status).set('idempotent-replayed', 'true').type('json').send(claim.replay.body);
    return;
  }
  let result;
  try {
    result = await spec.handler(ctx);
  } catch (error) {
    if (claim) {
      const status = error instanceof ApiError ? error.status : 500;
      const requestId = res.locals['requestId'] as string | undefined;
      const body = error instanceof ApiError ? errorBody(error, requestId) : null;
      await claim.run.settle(status, body).catch((e: unknown) => deps.log('idempotency record', e));
    }
    throw error;
  }
  if ('streamed' in result) return;
  if ('redirect' in result) {
    res.set('cache-control', 'no-store').redirect(302, result.redirect);
    return;
  }
  const answered = (result.json as { instanceId?: unknown } | null)?.instanceId;
  if (typeof answered === 'string') res.locals['instanceId'] = answered;
  const status = result.status ?? spec.status ?? 200;
  if (claim) await claim.run.settle(status, result.json);
  if (spec.method === 'get' && status === 200) {
    sendWithEtag(req, res, result.json);
    return;
  }
  res.status(status).json(result.json);
}

/**
 * A read answered with an ETag made from the answer itself, so any API process behind one address
 * gives the same tag for the same state: a page that polls sends If-None-Match and gets a bodiless
 * 304 until something changed. `no-cache` lets the browser keep the body but revalidate each time.
 */
function sendWithEtag(req: Request, res: Response, body: unknown): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  res.set({ etag, 'cache-control': 'private, no-cache', vary: 'Authorization, Cookie' });
  const given = req.get('if-none-match');
  if (given !== undefined && given.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type('json').send(text);
}

async function probe(check: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
