// The web console's built files (web/, built by scripts/build-web.ts) served at `/` by the same
// app that serves `/v1`, so `npm start` and one browser tab are all a person needs. Hashed assets
// are cached for a year (their names change with their content); index.html is revalidated on
// every load, so a new build reaches people at their next navigation. Any other GET that a browser
// navigates to (a deep link from a mail: /tasks/<id>) gets index.html, and the console routes it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from './errors.js';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** Paths the API owns: never answered with the console's page. */
const API_PATHS = /^\/(v1|openapi\.json|docs|healthz|readyz)(\/|$)/;

/**
 * The console's page may load only what it ships: no inline script, no other origin. Inline
 * styles stay allowed because the process diagram positions its nodes with style attributes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function securityHeaders(res: Response): void {
  res.set({
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
}

export function consoleRouter(dir: string): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  // An old page asking for an asset of an earlier build: a plain 404, never the page itself.
  router.use('/assets', (req) => {
    throw new ApiError(404, 'no-such-asset', `there is no console asset ${req.path}`);
  });
  router.use(
    express.static(dir, {
      index: false,
      maxAge: 0,
      setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
    }),
  );
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text')
        .send('The console is not built: run `npm run build:web` (npm start and npm test do it for you).\n');
      return;
    }
    securityHeaders(res);
    res.set('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
